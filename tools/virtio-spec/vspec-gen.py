#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Generate uapi headers from virtio device specs.

A spec (Documentation/virtio/specs/*.yaml) is validated against
Documentation/virtio/virtio-device.yaml, its struct layouts are computed here
(natural alignment, no implicit padding allowed, so the layout is the same on
every ABI) and checked against the sizes the spec states. Two outputs:

  --mode uapi    include/uapi/linux/virtio_extra/<uapi-header>: constants,
                 structs with typed byte order, compile-time size and offset
                 checks.
  --mode layout  a table of every struct and member with offset and wire
                 type, consumed by the kernel and userspace layout tests.

Runs with Debian's /usr/bin/python3 (python3-yaml, python3-jsonschema).
"""

import argparse
import os
import sys
import textwrap

import jsonschema
import yaml

SCALARS = {
    "u8": ("__u8", 1),
    "le16": ("__le16", 2),
    "le32": ("__le32", 4),
    "le64": ("__le64", 8),
    "be16": ("__be16", 2),
    "be32": ("__be32", 4),
    "be64": ("__be64", 8),
}

UAPI_MARKER = "/* VSPEC-GEN uapi header */"
LAYOUT_MARKER = "/* VSPEC-GEN layout table */"
LICENSE = "((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)"


class SpecError(Exception):
    pass


def c_upper(name):
    return name.replace("-", "_").upper()


def c_lower(name):
    return name.replace("-", "_")


def wrap(text, prefix, width=80):
    """Wrap prose into comment lines that start with prefix."""
    out = []
    for para in text.strip().split("\n\n"):
        lines = textwrap.wrap(" ".join(para.split()),
                              width=width - len(prefix.expandtabs()))
        if out:
            out.append(prefix.rstrip())
        out.extend(prefix + line for line in lines)
    return out


class Member:
    def __init__(self, spec, raw, offset):
        self.name = c_lower(raw["name"])
        self.doc = raw["doc"]
        self.kind = raw["type"]
        self.enum = raw.get("enum")
        self.offset = offset
        self.flexible = raw.get("len") == "flexible"
        self.is_array = "len" in raw
        self.count = 1
        if "len" in raw and not self.flexible:
            self.count = spec.resolve(raw["len"])
        if self.kind == "struct":
            if "struct" not in raw:
                raise SpecError(f"member {self.name}: type struct needs struct")
            inner = spec.struct(raw["struct"])
            self.ctype = f"struct {inner.cname}"
            self.elem_size, self.align = inner.size, inner.align
        else:
            self.ctype, self.elem_size = SCALARS[self.kind]
            self.align = self.elem_size
        self.size = 0 if self.flexible else self.elem_size * self.count


class Struct:
    def __init__(self, spec, raw):
        self.name = raw["name"]
        self.distribution = raw.get("distribution", False)
        self.cname = f"{spec.cprefix}_{c_lower(raw['name'])}"
        self.doc = raw["doc"]
        self.members = []
        offset, align = 0, 1
        for i, rm in enumerate(raw["members"]):
            m = Member(spec, rm, offset)
            if offset % m.align:
                raise SpecError(
                    f"struct {self.cname}: implicit padding before "
                    f"{m.name} (offset {offset}, alignment {m.align}); "
                    "add an explicit padding member")
            if m.flexible and i != len(raw["members"]) - 1:
                raise SpecError(f"struct {self.cname}: flexible array "
                                f"{m.name} must be the last member")
            self.members.append(m)
            offset += m.size
            align = max(align, m.align)
        if offset % align:
            raise SpecError(f"struct {self.cname}: size {offset} is not a "
                            f"multiple of its alignment {align}; add "
                            "explicit tail padding")
        self.size, self.align = offset, align
        if raw["size"] != self.size:
            raise SpecError(f"struct {self.cname}: the spec states size "
                            f"{raw['size']}, the members add up to "
                            f"{self.size}")


class Spec:
    def __init__(self, path, schema):
        with open(path, encoding="utf-8") as f:
            self.raw = yaml.safe_load(f)
        try:
            jsonschema.validate(self.raw, schema)
        except jsonschema.ValidationError as e:
            where = "/".join(str(p) for p in e.absolute_path) or "top level"
            raise SpecError(f"{path}: {where}: {e.message}") from None
        self.path = path
        self.prefix = self.raw.get("c-prefix", f"virtio-{self.raw['name']}")
        self.cprefix = c_lower(self.prefix)
        self.consts = {}
        self.structs = {}
        for d in self.raw.get("definitions", []):
            if d["type"] == "const":
                if "value" not in d:
                    raise SpecError(f"const {d['name']} needs a value")
                self.consts[d["name"]] = self.resolve(d["value"])
        for s in self.raw.get("structs", []):
            if s["name"] in self.structs:
                raise SpecError(f"struct {s['name']} defined twice")
            self.structs[s["name"]] = Struct(self, s)
        items = (self.raw.get("features", []) + self.raw.get("virtqueues", [])
                 + self.raw.get("definitions", [])
                 + self.raw.get("structs", []))
        if (not self.raw.get("distribution-header")
                and any(i.get("distribution") for i in items)):
            raise SpecError(f"{path}: items marked distribution need a "
                            "distribution-header")

    def resolve(self, value):
        if isinstance(value, int):
            return value
        if value not in self.consts:
            raise SpecError(f"{self.path}: unknown const {value}")
        return self.consts[value]

    def struct(self, name):
        if name not in self.structs:
            raise SpecError(f"{self.path}: struct {name} is used before it "
                            "is defined")
        return self.structs[name]

    def const_name(self, name, prefix=None):
        return c_upper(f"{prefix or self.prefix}-{name}")

    def enum_prefix(self, d):
        return d.get("name-prefix", f"{self.prefix}-{d['name']}")


def render_value(value, hexa):
    if value < 0:
        return f"({value})"
    if hexa:
        # as wide as the field the value belongs in: 16 or 32 bits
        if value <= 0xffff:
            return f"0x{value:04x}"
        return f"0x{value:08x}" if value <= 0xffffffff else f"0x{value:x}"
    return str(value)


def render_bit(bit):
    return f"(1U << {bit})" if bit < 31 else f"(1ULL << {bit})"


def define(name, value, doc=None):
    lines = []
    if doc:
        lines += wrap(doc, "/* ", 78) if len(doc) < 70 else \
            ["/*"] + wrap(doc, " * ") + [" */"]
        if len(lines) == 1:
            lines[0] += " */"
    lines.append(f"#define {name} {value}")
    return lines


def header_banner(spec, what):
    src = os.path.relpath(spec.path, ROOT)
    return [
        f"/* SPDX-License-Identifier: {LICENSE} */",
        "/*",
        " * Do not edit directly, auto-generated from:",
        f" *\t{src}",
        f" * by tools/virtio-spec/vspec-gen.py ({what}).",
        " */",
    ]


def gen_uapi(spec):
    raw = spec.raw
    guard = "_UAPI_LINUX_VIRTIO_EXTRA_" + c_upper(
        raw["uapi-header"].removesuffix(".h")) + "_H"
    out = header_banner(spec, "uapi")
    out += [UAPI_MARKER, ""]
    out += ["/*"] + wrap(raw["doc"], " * ")
    out += [" *"] + wrap(f"Specification: {raw['spec-ref']}", " * ") + [" */"]
    out += [f"#ifndef {guard}", f"#define {guard}", "",
            "#include <linux/types.h>", "#include <linux/virtio_ids.h>"]
    # Only what the distribution's headers lack: a program may include both.
    if raw.get("distribution-header"):
        out.append(f"#include <linux/{raw['distribution-header']}>")
    id_name = f"VIRTIO_ID_{c_upper(raw['id-name'])}"
    out += ["", f"#ifndef {id_name}"]
    out += define(id_name, raw["device-id"])
    out.append("#endif")

    features = [f for f in raw.get("features", [])
                if not f.get("distribution")]
    if features:
        out += ["", "/* Feature bits */"]
        for f in features:
            out += define(spec.const_name(f"f-{f['name']}"), f["bit"],
                          f["doc"])
    queues = raw.get("virtqueues", [])
    if any(not q.get("distribution") for q in queues):
        out += ["", "/* Virtqueue indexes */"]
        for q in queues:
            if not q.get("distribution"):
                out += define(spec.const_name(f"vq-{q['name']}"),
                              spec.resolve(q["value"]), q["doc"])
        out += define(spec.const_name("vq-max-cnt"), len(queues),
                      "Number of virtqueues the device can have")

    for d in raw.get("definitions", []):
        if d.get("distribution"):
            continue
        out.append("")
        hexa = d.get("render") == "hex"
        if d["type"] == "const":
            out += define(spec.const_name(d["name"]),
                          render_value(spec.consts[d["name"]], hexa),
                          d["doc"])
            continue
        out += ["/*"] + wrap(d["doc"], " * ") + [" */"]
        for e in d["entries"]:
            name = spec.const_name(e["name"], spec.enum_prefix(d))
            if d["type"] == "flags":
                if "bit" not in e:
                    raise SpecError(f"flags {d['name']}: {e['name']} "
                                    "needs bit")
                value = render_bit(e["bit"])
            else:
                if "value" not in e:
                    raise SpecError(f"enum {d['name']}: {e['name']} "
                                    "needs value")
                value = render_value(spec.resolve(e["value"]), hexa)
            out += define(name, value, e["doc"])

    enum_prefixes = {d["name"]: c_upper(spec.enum_prefix(d))
                     for d in raw.get("definitions", [])
                     if d["type"] != "const"}
    for s in spec.structs.values():
        if s.distribution:
            continue
        out += ["", "/**"]
        first, _, rest = s.doc.strip().partition("\n\n")
        out += wrap(f"struct {s.cname} - {' '.join(first.split())}", " * ")
        for m in s.members:
            doc = m.doc
            if m.enum:
                if m.enum not in enum_prefixes:
                    raise SpecError(f"{s.cname}.{m.name}: unknown enum "
                                    f"{m.enum}")
                doc = f"{doc.rstrip('.')}: {enum_prefixes[m.enum]}_*."
            out += wrap(f"@{m.name}: {doc}", " * ")
        if rest:
            out += [" *"] + wrap(rest, " * ")
        out += [" */", f"struct {s.cname} {{"]
        for m in s.members:
            if m.flexible:
                out.append(f"\t{m.ctype} {m.name}[];")
            elif m.is_array:
                out.append(f"\t{m.ctype} {m.name}[{m.count}];")
            else:
                out.append(f"\t{m.ctype} {m.name};")
        out.append("};")

    fn = f"{spec.cprefix}_layout_check"
    out += ["", "/*",
            " * The device ID and the layouts the specification states, the",
            " * distribution's included. Never called: the compiler checks "
            "them",
            " * wherever this header is included (a negative array size "
            "fails).",
            " */",
            f"static inline void {fn}(void)", "{",
            f"\t(void)sizeof(char[{id_name} == {raw['device-id']} ? 1 : -1]);"]
    for s in spec.structs.values():
        out.append(f"\t(void)sizeof(char[sizeof(struct {s.cname}) == "
                   f"{s.size} ? 1 : -1]);")
        for m in s.members:
            out.append(f"\t(void)sizeof(char[__builtin_offsetof(struct "
                       f"{s.cname},")
            out.append(f"\t\t\t\t\t\t {m.name}) == {m.offset} ? "
                       "1 : -1]);")
    out.append("}")
    out += ["", f"#endif /* {guard} */"]
    return "\n".join(out) + "\n"


# Value written into each scalar kind by the layout tests; uapi_layout_check.h
# knows which bytes each must produce.
LAYOUT_PATTERNS = {
    "u8": ("", "0x5a"),
    "le16": ("vx_cpu_to_le16", "0x0102"),
    "be16": ("vx_cpu_to_be16", "0x0102"),
    "le32": ("vx_cpu_to_le32", "0x01020304"),
    "be32": ("vx_cpu_to_be32", "0x01020304"),
    "le64": ("vx_cpu_to_le64", "0x0102030405060708ULL"),
    "be64": ("vx_cpu_to_be64", "0x0102030405060708ULL"),
}


def call(fn, first, rest):
    """A call statement with its arguments after the first on a line aligned
    with the open parenthesis, as kernel style has it."""
    col = 8 + len(fn) + 1
    indent = "\t" * (col // 8) + " " * (col % 8)
    return [f"\t{fn}({first},", f"{indent}{rest});"]


def gen_layout(specs):
    guard = "VX_UAPI_LAYOUTS_H"
    out = [f"/* SPDX-License-Identifier: {LICENSE} */", "/*",
           " * Do not edit directly, auto-generated from:"]
    out += [f" *\t{os.path.relpath(s.path, ROOT)}" for s in specs]
    out += [" * by tools/virtio-spec/vspec-gen.py (layout).", " *",
            " * One check per struct of every spec, listed in",
            " * vx_uapi_layouts[]: each member is written through its",
            " * declared type, converted to its wire byte order, and",
            " * uapi_layout_check.h compares the bytes with the spec.",
            " */", LAYOUT_MARKER, f"#ifndef {guard}", f"#define {guard}", ""]
    for spec in specs:
        out.append(f"#include <linux/virtio_extra/{spec.raw['uapi-header']}>")
    table = []
    for spec in specs:
        for s in spec.structs.values():
            fn = f"vx_layout_{s.cname}"
            table.append(f"\t{{ \"{s.cname}\", {fn} }},")
            out += ["", f"static void {fn}(struct vx_layout_ctx *ctx)", "{",
                    f"\tstruct {s.cname} *p = vx_layout_struct(ctx, "
                    f"sizeof(*p), {s.size});", ""]
            for m in s.members:
                first = f"ctx, \"{m.name}\""
                where = f"offsetof(typeof(*p), {m.name}), {m.offset}"
                if m.flexible:
                    out += call("vx_layout_flex", first, where)
                elif m.is_array or m.kind == "struct":
                    out.append(f"\tmemset(&p->{m.name}, VX_LAYOUT_FILL, "
                               f"sizeof(p->{m.name}));")
                    out += call("vx_layout_bytes", first,
                                f"{where}, {m.size}")
                else:
                    conv, value = LAYOUT_PATTERNS[m.kind]
                    out.append(f"\tp->{m.name} = {conv}({value});")
                    out += call("vx_layout_scalar", first,
                                f"{where}, VX_{c_upper(m.kind)}")
            out.append("}")
    out += ["", "static const struct vx_layout vx_uapi_layouts[] = {"]
    out += table + ["};", "", f"#endif /* {guard} */"]
    return "\n".join(out) + "\n"


ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def write(path, text, check):
    """Write path, or with check report whether it would change."""
    old = None
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            old = f.read()
    if old == text:
        return True
    if check:
        print(f"vspec-gen: {os.path.relpath(path, ROOT)} differs from its "
              "spec; run 'make regen'", file=sys.stderr)
        return False
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"vspec-gen: wrote {os.path.relpath(path, ROOT)}")
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="write nothing; fail if an output would change")
    ap.add_argument("specs", nargs="+", help="spec files")
    ap.add_argument("--layout-out", required=True,
                    help="path of the layout table to write")
    args = ap.parse_args()

    schema_path = os.path.join(ROOT, "Documentation/virtio/virtio-device.yaml")
    with open(schema_path, encoding="utf-8") as f:
        schema = yaml.safe_load(f)
    try:
        specs = [Spec(p, schema) for p in sorted(args.specs)]
    except SpecError as e:
        print(f"vspec-gen: {e}", file=sys.stderr)
        return 1
    seen = {}
    for s in specs:
        other = seen.setdefault(s.raw["uapi-header"], s.path)
        if other != s.path:
            print(f"vspec-gen: {s.path} and {other} both generate "
                  f"{s.raw['uapi-header']}", file=sys.stderr)
            return 1

    ok = True
    for s in specs:
        try:
            text = gen_uapi(s)
        except SpecError as e:
            print(f"vspec-gen: {s.path}: {e}", file=sys.stderr)
            return 1
        path = os.path.join(ROOT, "include/uapi/linux/virtio_extra",
                            s.raw["uapi-header"])
        ok &= write(path, text, args.check)
    ok &= write(os.path.abspath(args.layout_out), gen_layout(specs),
                args.check)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
