#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check the specs against uapi headers written elsewhere.

For every spec whose header (or device ID) an installed copy of the kernel's
uapi headers also defines -- linux-libc-dev in /usr/include and each
installed kernel's headers -- compile that foreign header with assertions
that every constant, struct size and member offset it shares with the spec
has the spec's value. What the foreign header lacks is counted, not failed.
Prints TAP, one test per foreign header.
"""

import glob
import os
import shutil
import subprocess
import sys
import tempfile

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
vspec = __import__("vspec-gen")


def header_roots(stubs):
    """(label, compiler flags) for every installed copy of the uapi headers.

    A kernel's own include/uapi is used as headers_install would export it:
    without the kernel-internal linux/compiler_types.h (stubs holds an empty
    one) and with __EXPORTED_HEADERS__.
    """
    roots = []
    if os.path.exists("/usr/include/linux/virtio_ids.h"):
        roots.append(("linux-libc-dev", []))
    for common in sorted(glob.glob("/usr/src/linux-headers-*-common")):
        arch = common.removesuffix("-common") + "-amd64"
        flags = ["-D__EXPORTED_HEADERS__", f"-I{stubs}",
                 f"-I{common}/include/uapi",
                 f"-I{common}/arch/x86/include/uapi",
                 f"-I{arch}/arch/x86/include/generated/uapi"]
        roots.append((os.path.basename(common).removesuffix("-common"),
                      flags))
    return roots


def constants(spec):
    """Every constant a spec defines, as (C name, value)."""
    raw = spec.raw
    out = []
    for f in raw.get("features", []):
        out.append((spec.const_name(f"f-{f['name']}"), f["bit"]))
    for q in raw.get("virtqueues", []):
        out.append((spec.const_name(f"vq-{q['name']}"),
                    spec.resolve(q["value"])))
    if raw.get("virtqueues"):
        out.append((spec.const_name("vq-max-cnt"), len(raw["virtqueues"])))
    for d in raw.get("definitions", []):
        if d["type"] == "const":
            out.append((spec.const_name(d["name"]), spec.consts[d["name"]]))
            continue
        for e in d["entries"]:
            value = 1 << e["bit"] if d["type"] == "flags" else \
                spec.resolve(e["value"])
            out.append((spec.const_name(e["name"], spec.enum_prefix(d)),
                        value))
    return out


def compiles(source, flags):
    with tempfile.NamedTemporaryFile("w", suffix=".c") as f:
        f.write(source)
        f.flush()
        r = subprocess.run(["gcc", "-fsyntax-only", "-x", "c", *flags,
                            f.name], capture_output=True, text=True)
    return r.returncode == 0, r.stderr


def check(spec, header, flags):
    """Compare one foreign header with the spec: (ok, compared, absent, log)."""
    include = f"#include <{header}>\n"
    compared = absent = 0
    log = []

    consts = constants(spec)
    if header == "linux/virtio_ids.h":
        consts = [(f"VIRTIO_ID_{vspec.c_upper(spec.raw['id-name'])}",
                   spec.raw["device-id"])]
    src = include
    for name, value in consts:
        src += (f"#ifdef {name}\n_Static_assert(({name}) == ({value}), "
                f"\"{name} is not {value}\");\n#endif\n")
    ok, err = compiles(src, flags)
    if not ok:
        log.append(err)
    # Count which constants the header has, from the preprocessor.
    pre = subprocess.run(["gcc", "-E", "-dM", "-x", "c", *flags, "-"],
                         input=include, capture_output=True, text=True)
    defined = {line.split()[1] for line in pre.stdout.splitlines()
               if line.startswith("#define ")}
    for name, _ in consts:
        if name in defined:
            compared += 1
        else:
            absent += 1

    if header != "linux/virtio_ids.h":
        for s in spec.structs.values():
            there, _ = compiles(f"{include}int x = sizeof(struct {s.cname});\n",
                                flags)
            if not there:
                absent += 1
                continue
            src = include + (f"_Static_assert(sizeof(struct {s.cname}) == "
                             f"{s.size}, \"{s.cname} size\");\n")
            for m in s.members:
                src += (f"_Static_assert(__builtin_offsetof(struct {s.cname}, "
                        f"{m.name}) == {m.offset}, \"{s.cname}.{m.name}\");\n")
            good, err = compiles(src, flags)
            if not good:
                ok = False
                log.append(err)
            compared += 1 + len(s.members)
    return ok, compared, absent, log


def main():
    root = vspec.ROOT
    with open(os.path.join(root, "Documentation/virtio/virtio-device.yaml"),
              encoding="utf-8") as f:
        schema = yaml.safe_load(f)
    specs = [vspec.Spec(p, schema) for p in
             sorted(glob.glob(os.path.join(root,
                                           "Documentation/virtio/specs/*.yaml")))]
    stubs = tempfile.mkdtemp()
    os.mkdir(os.path.join(stubs, "linux"))
    with open(os.path.join(stubs, "linux/compiler_types.h"), "w",
              encoding="utf-8") as f:
        f.write("#define __user\n#define __force\n")
    cases = []
    for label, flags in header_roots(stubs):
        for spec in specs:
            for header in ("linux/virtio_ids.h",
                           f"linux/{spec.raw['uapi-header']}"):
                there, _ = compiles(f"#include <{header}>\n", flags)
                if there:
                    cases.append((label, flags, spec, header))

    print("TAP version 13")
    print(f"1..{max(len(cases), 1)}")
    if not cases:
        print("ok 1 abi # SKIP no foreign uapi headers are installed")
        return 0
    failed = 0
    for i, (label, flags, spec, header) in enumerate(cases, 1):
        ok, compared, absent, log = check(spec, header, flags)
        what = f"{spec.raw['name']} vs {label} {header}"
        for text in log:
            for line in text.strip().splitlines():
                print(f"# {line}")
        if ok and compared == 0:
            print(f"ok {i} {what} # SKIP defines none of it")
        elif ok:
            print(f"ok {i} {what}: {compared} equal, {absent} not defined "
                  "there")
        else:
            print(f"not ok {i} {what}")
            failed += 1
    shutil.rmtree(stubs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
