# SPDX-License-Identifier: GPL-2.0
#
# virtio-extra: entry points for people. Kbuild reads ./Kbuild, not this file.
#
#   make [KVER=<release> | KDIR=<kernel build dir>]  build the modules
#   make modules_install                              install them
#   make test-modules                                 build the test modules
#   make selftests                                    build the userspace tests
#   make regen                                        headers from the specs
#   make check                                        all tests, all kernels
#   make demo                                         the modules at work in VMs
#   make bench-can                                    virtio_can against vcan
#   make bench-media                                  virtio_media relaying vivid, against vivid
#   make bench-scmi                                   SCMI sensor reads: hwmon against raw
#   make bench-param                                  parameter server GETs and events
#   make bench-rng                                    vhost-rng against its peers
#   make bench-vhost-can                              vhost-can against userspace
#   make bench-vhost-i2c                              vhost-i2c against the host adapter
#   make dkms-install                                 register with DKMS
#   make deb                                          the virtio-extra-dkms package
#   make clean
#
# Each kernel builds in its own build/<release>/ (a tree of links to the
# sources), so several kernels are built side by side without cleaning.

ifneq ($(KDIR),)
KVER ?= $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
endif
KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build

PYTHON := /usr/bin/python3
# make -C $(KDIR) with the kernel's own toolchain (scripts/kernel-toolchain).
KMAKE := $(CURDIR)/scripts/kernel-toolchain $(KDIR) make -C
BUILD_DIR := $(CURDIR)/build/$(KVER)
SPECS := $(sort $(wildcard Documentation/virtio/specs/*.yaml))
LAYOUT_TABLE := tools/testing/uapi/uapi_layouts.h
PACKAGE_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
# What DKMS needs to build the modules: no tests, no tools.
DKMS_SOURCES := Kbuild dkms.conf compat drivers include
DKMS_DEST ?= /usr/src/virtio-extra-$(PACKAGE_VERSION)

.PHONY: all modules modules_install test-modules upstream-i2c-virtio tree kernel-check \
	selftests regen regen-check check demo bench-can bench-media bench-scmi bench-param bench-rng bench-vhost-can bench-vhost-i2c dkms-source dkms-install deb clean

all: modules

kernel-check:
	@if [ ! -e "$(KDIR)/Makefile" ]; then \
		echo "virtio-extra: no kernel build tree for $(KVER) at $(KDIR)." >&2; \
		echo "virtio-extra: install linux-headers-$(KVER), or pass KVER= or KDIR=" >&2; \
		echo "virtio-extra: (scripts/install-deps installs the tested kernels)." >&2; \
		exit 1; \
	fi

tree: kernel-check
	@mkdir -p $(BUILD_DIR)/tools/testing
	@cp -rsf $(CURDIR)/Kbuild $(CURDIR)/compat $(CURDIR)/drivers \
		$(CURDIR)/include $(BUILD_DIR)/
	@cp -rsf $(CURDIR)/tools/testing/modules $(CURDIR)/tools/testing/uapi \
		$(CURDIR)/tools/testing/virtio-lab $(BUILD_DIR)/tools/testing/
	@find $(BUILD_DIR) -xtype l -delete

modules: tree
	+$(KMAKE) $(KDIR) M=$(BUILD_DIR) modules
	@grep -qsE '^CONFIG_VHOST_VDPA=[ym]' $(KDIR)/.config && \
	 grep -qsE '^CONFIG_VDPA=[ym]' $(KDIR)/.config || \
	 echo "virtio-extra: $(KVER) has no CONFIG_VDPA and CONFIG_VHOST_VDPA:" \
	      "the vhost back-ends are skipped, the front-ends are built."
	@grep -qsE '^CONFIG_RPMB=[ym]' $(KDIR)/.config || \
	 echo "virtio-extra: $(KVER) has no CONFIG_RPMB:" \
	      "virtio_rpmb serves /dev/vrpmbN only, not the kernel's RPMB subsystem."
	@! grep -qsE '^CONFIG_CAN_VIRTIO_CAN=[ym]' $(KDIR)/.config || \
	 echo "virtio-extra: $(KVER) has its own virtio_can (CONFIG_CAN_VIRTIO_CAN):" \
	      "ours is not built."
	@! grep -qsE '^CONFIG_ARM_SCMI_TRANSPORT_VIRTIO=[ym]' $(KDIR)/.config || \
	 echo "virtio-extra: $(KVER) has Linux's SCMI virtio transport:" \
	      "virtio_scmi_agent is not built."
	@grep -qsE '^CONFIG_HWMON=[ym]' $(KDIR)/.config && \
	 grep -qsE '^CONFIG_AUXILIARY_BUS=y' $(KDIR)/.config || \
	 echo "virtio-extra: $(KVER) has no CONFIG_HWMON and CONFIG_AUXILIARY_BUS:" \
	      "virtio_scmi_agent is skipped."

modules_install: modules
	+$(KMAKE) $(KDIR) M=$(BUILD_DIR) INSTALL_MOD_DIR=updates/virtio-extra \
		modules_install

test-modules: tree
	+$(KMAKE) $(KDIR) M=$(BUILD_DIR)/tools/testing/modules \
		VX_KSELFTEST_DIR=$$(scripts/kernel-tools)/tools/testing/selftests \
		modules
	@$(MAKE) -s upstream-i2c-virtio

# Linux's i2c-virtio, which Debian does not build: the vhost-i2c tests give
# it a vhost-i2c device through virtio_vdpa. From linux-source, built as it
# is (not our code: no W=1, no sparse), never committed.
UPSTREAM_DIR := $(BUILD_DIR)/tools/testing/upstream
upstream-i2c-virtio: kernel-check
	@if grep -qsE '^CONFIG_VIRTIO_VDPA=[ym]' $(KDIR)/.config && \
	    ! grep -qsE '^CONFIG_I2C_VIRTIO=[ym]' $(KDIR)/.config; then \
		mkdir -p $(UPSTREAM_DIR) && \
		cp $$(scripts/kernel-tools)/drivers/i2c/busses/i2c-virtio.c $(UPSTREAM_DIR)/ && \
		echo 'obj-m += i2c-virtio.o' >$(UPSTREAM_DIR)/Kbuild && \
		$(KMAKE) $(KDIR) M=$(UPSTREAM_DIR) W= C=0 modules; \
	fi

# Userspace tests and device models, built against the generated headers and
# the kselftest harness of linux-source.
LAB := tools/testing/virtio-lab
SELFTESTS := build/tests/uapi_layout_test build/tests/lab_test \
	build/tests/console_test build/tests/can_test build/tests/vlab-entropy \
	build/tests/vlab-can build/tests/vlab-rpmb build/tests/rpmb_test build/tests/vlab-watchdog \
	build/tests/watchdog-test build/tests/watchdog_test build/tests/scmi_test build/tests/vlab-scmi build/tests/scmi-bench build/tests/param_test build/tests/vlab-param build/tests/param-bench \
	build/tests/audio_policy_test build/tests/vlab-audio-policy build/tests/mixer-test build/tests/media_test build/tests/vlab-media build/tests/can-bench build/tests/vhost_rng_test build/tests/vhost_can_test \
	build/tests/vhost-can-bench \
	build/tests/vhost_i2c_test build/tests/i2c-bench build/tests/vhost-i2c-bench build/tests/vdpa-rng-read build/tests/vdpa-set-status build/tests/vhost-rng-bench
SELFTEST_CFLAGS := -Wall -Wextra -Wno-unused-parameter -Werror -Iinclude/uapi -I$(LAB) \
	-Itools/testing/lib
CAN_RAW := tools/testing/lib/can_raw.c
TEST_LIB := tools/testing/lib/klog.c tools/testing/lib/sysfs.c tools/testing/lib/shell.c \
	tools/testing/lib/stats.c
LAB_LIB := $(LAB)/libvlab.c $(LAB)/entropy_model.c $(LAB)/console_model.c \
	$(LAB)/can_model.c $(CAN_RAW) $(TEST_LIB)
LAB_HEADERS := $(wildcard $(LAB)/*.h) $(wildcard tools/testing/lib/*.h) \
	$(wildcard include/uapi/linux/virtio_extra/*.h)

selftests: $(SELFTESTS)

build/tests/uapi_layout_test: tools/testing/uapi/uapi_layout_test.c \
		tools/testing/uapi/uapi_layout_check.h $(LAYOUT_TABLE) $(LAB_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) -I$$(scripts/kernel-tools)/tools/testing/selftests $< -o $@

build/tests/lab_test build/tests/console_test build/tests/can_test: build/tests/%: $(LAB)/%.c \
		$(LAB_LIB) $(LAB_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) -I$$(scripts/kernel-tools)/tools/testing/selftests \
		$< $(LAB_LIB) -lpthread -o $@

build/tests/vlab-entropy build/tests/vlab-can: build/tests/%: $(LAB)/%.c $(LAB_LIB) $(LAB_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) $< $(LAB_LIB) -o $@

# The RPMB model signs with HMAC-SHA256 from OpenSSL's libcrypto.
RPMB_LIB := $(LAB)/rpmb_model.c $(LAB)/rpmb_state.c
build/tests/vlab-rpmb: build/tests/%: $(LAB)/%.c $(RPMB_LIB) $(LAB_LIB) $(LAB_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) $< $(RPMB_LIB) $(LAB_LIB) -lcrypto -o $@

# The watchdog model runs its timer on its own; tests serve it from a thread.
WATCHDOG_LIB := $(LAB)/watchdog_model.c
build/tests/vlab-watchdog: build/tests/%: $(LAB)/%.c $(WATCHDOG_LIB) $(LAB_LIB) $(LAB_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) $< $(WATCHDOG_LIB) $(LAB_LIB) -lpthread -o $@

build/tests/watchdog_test: $(LAB)/watchdog_test.c $(WATCHDOG_LIB) $(LAB_LIB) $(LAB_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) -I$$(scripts/kernel-tools)/tools/testing/selftests \
		$< $(WATCHDOG_LIB) $(LAB_LIB) -lpthread -o $@

build/tests/scmi_test: $(LAB)/scmi_test.c $(LAB)/scmi_model.c $(LAB_LIB) $(LAB_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) -I$$(scripts/kernel-tools)/tools/testing/selftests \
		$< $(LAB)/scmi_model.c $(LAB_LIB) -lpthread -o $@

build/tests/param_test: $(LAB)/param_test.c $(LAB)/param_model.c $(LAB_LIB) $(LAB_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) -I$$(scripts/kernel-tools)/tools/testing/selftests \
		$< $(LAB)/param_model.c $(LAB_LIB) -lpthread -o $@

build/tests/vlab-param: $(LAB)/vlab-param.c $(LAB)/param_model.c $(LAB_LIB) $(LAB_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) $< $(LAB)/param_model.c $(LAB_LIB) -lpthread -o $@

build/tests/audio_policy_test: $(LAB)/audio_policy_test.c $(LAB)/apol_model.c $(LAB_LIB) \
		$(LAB_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) -I$$(scripts/kernel-tools)/tools/testing/selftests \
		$< $(LAB)/apol_model.c $(LAB_LIB) -lpthread -o $@

build/tests/vlab-audio-policy: $(LAB)/vlab-audio-policy.c $(LAB)/apol_model.c $(LAB_LIB) \
		$(LAB_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) $< $(LAB)/apol_model.c $(LAB_LIB) -lpthread -o $@

# ALSA's kselftest of every control of every card, from linux-source, with
# alsa-lib, with upstream's flags; its configuration library linked in, not a
# shared object.
build/tests/mixer-test: scripts/kernel-tools
	@mkdir -p $(dir $@)
	kt=$$(scripts/kernel-tools)/tools/testing/selftests/alsa && \
		$(CC) -O2 -D_GNU_SOURCE $$(pkg-config --cflags alsa) $$kt/mixer-test.c $$kt/conf.c \
		$$(pkg-config --libs alsa) -lpthread -lm -o $@

build/tests/param-bench: $(LAB)/param-bench.c $(LAB_LIB) $(LAB_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) $< $(LAB_LIB) -o $@

build/tests/scmi-bench: $(LAB)/scmi-bench.c $(LAB)/scmi_model.c $(LAB_LIB) $(LAB_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) $< $(LAB)/scmi_model.c $(LAB_LIB) -lpthread -o $@

build/tests/vlab-scmi: $(LAB)/vlab-scmi.c $(LAB)/scmi_model.c $(LAB_LIB) $(LAB_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) $< $(LAB)/scmi_model.c $(LAB_LIB) -lpthread -o $@

MEDIA_LIB := $(LAB)/media_model.c $(LAB)/media_proxy.c $(LAB)/media_device.c
build/tests/vlab-media: build/tests/%: $(LAB)/%.c $(MEDIA_LIB) $(LAB_LIB) $(LAB_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) $< $(MEDIA_LIB) $(LAB_LIB) -lpthread -o $@

build/tests/media_test: $(LAB)/media_test.c $(MEDIA_LIB) $(LAB_LIB) $(LAB_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) -I$$(scripts/kernel-tools)/tools/testing/selftests \
		$< $(MEDIA_LIB) $(LAB_LIB) -lpthread -o $@

# The kernel's own watchdog tool, from linux-source: never committed here.
build/tests/watchdog-test:
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall $$(scripts/kernel-tools)/tools/testing/selftests/watchdog/watchdog-test.c -o $@

build/tests/rpmb_test: $(LAB)/rpmb_test.c $(RPMB_LIB) $(LAB_LIB) $(LAB_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) -I$$(scripts/kernel-tools)/tools/testing/selftests \
		$< $(RPMB_LIB) $(LAB_LIB) -lcrypto -lpthread -o $@

# The back-ends' tests: a vhost-vdpa driver in userspace, as QEMU's.
VHOST := tools/testing/vhost
VHOST_DRIVER := $(VHOST)/vdpa_driver.c
VHOST_HEADERS := $(wildcard $(VHOST)/*.h)

build/tests/vhost_rng_test build/tests/vhost_can_test build/tests/vhost_i2c_test: build/tests/%: $(VHOST)/%.c $(VHOST_DRIVER) \
		$(VHOST)/vdpa_mgmt.c $(VHOST)/kmsg.c $(VHOST)/vdpa_can.c $(CAN_RAW) \
		tools/testing/lib/shell.c $(VHOST_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) -I$(VHOST) -I$$(scripts/kernel-tools)/tools/testing/selftests \
		$< $(VHOST_DRIVER) $(VHOST)/vdpa_mgmt.c $(VHOST)/kmsg.c $(VHOST)/vdpa_can.c $(CAN_RAW) \
		tools/testing/lib/shell.c -lpthread -o $@

# Small tools on the driver: build/tests/vdpa-<name> from vdpa_<name>.c
build/tests/vdpa-rng-read build/tests/vdpa-set-status: build/tests/vdpa-%: \
		$(VHOST_DRIVER) $(VHOST_HEADERS) $(VHOST)/vdpa_rng_read.c $(VHOST)/vdpa_set_status.c
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) -I$(VHOST) $(VHOST)/vdpa_$(subst -,_,$*).c $(VHOST_DRIVER) -o $@

# The back-ends' benchmarks: each against a userspace device on user_vq.
BENCH_COMMON := $(VHOST_DRIVER) $(VHOST)/user_vq.c $(VHOST)/bench_stats.c \
	tools/testing/lib/stats.c

VHOST_RNG_BENCH := $(BENCH_COMMON) $(VHOST)/user_rng.c
build/tests/vhost-rng-bench: $(VHOST)/vhost_rng_bench.c $(VHOST_RNG_BENCH) $(VHOST_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) -O2 -I$(VHOST) $< $(VHOST_RNG_BENCH) -o $@

VHOST_CAN_BENCH := $(BENCH_COMMON) $(VHOST)/vdpa_can.c $(VHOST)/user_can.c $(CAN_RAW)
build/tests/vhost-can-bench: $(VHOST)/vhost_can_bench.c $(VHOST_CAN_BENCH) $(VHOST_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) -O2 -I$(VHOST) $< $(VHOST_CAN_BENCH) -lpthread -o $@

VHOST_I2C_BENCH := $(BENCH_COMMON) $(VHOST)/user_i2c.c
build/tests/vhost-i2c-bench: $(VHOST)/vhost_i2c_bench.c $(VHOST_I2C_BENCH) $(VHOST_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) -O2 -I$(VHOST) $< $(VHOST_I2C_BENCH) -o $@

build/tests/i2c-bench: $(VHOST)/i2c_bench.c
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) -O2 $< -o $@

build/tests/can-bench: tools/testing/can/can-bench.c $(CAN_RAW) tools/testing/lib/stats.c
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) -O2 $< $(CAN_RAW) tools/testing/lib/stats.c -lpthread -o $@

regen:
	$(PYTHON) tools/virtio-spec/vspec-gen.py --layout-out $(LAYOUT_TABLE) $(SPECS)

regen-check:
	$(PYTHON) tools/virtio-spec/vspec-gen.py --check --layout-out $(LAYOUT_TABLE) $(SPECS)

# Both install what the machine lacks first (quick when all is there).
check:
	@scripts/install-deps
	@scripts/check

demo:
	@scripts/install-deps
	@scripts/demo

# Benchmarks, not tests: in a VM of each installed kernel but the debug
# kernel, whose checkers would be what they measure.
BENCH_bench-can := tools/testing/can/bench-virtio-can
BENCH_bench-media := tools/testing/virtio-lab/bench-virtio-media
BENCH_bench-scmi := tools/testing/virtio-lab/bench-virtio-scmi
BENCH_bench-param := tools/testing/virtio-lab/bench-virtio-param
bench-can bench-media bench-scmi bench-param:
	@scripts/install-deps
	@. tools/testing/lib/kernels.sh; for k in $$(vx_kernels --bootable --no-debug); do \
		$(MAKE) -s KVER=$$k modules test-modules selftests && \
		$(BENCH_$@) $$k | \
			grep -vE '^\[ *[0-9]+\.[0-9]+\]|^vm-init' || exit 1; \
	done

# Benchmarks, not tests: in a VM of each installed kernel with vDPA (not the
# debug kernel), by
# tools/testing/vhost/bench-vhost-rng, bench-vhost-can and bench-vhost-i2c.
bench-rng bench-vhost-can bench-vhost-i2c:
	@scripts/install-deps
	@. tools/testing/lib/kernels.sh; for k in $$(vx_kernels --bootable --no-debug); do \
		vx_kernel_has $$k CONFIG_VHOST_VDPA || continue; \
		$(MAKE) -s KVER=$$k modules test-modules selftests && \
		tools/testing/vhost/$(subst bench-rng,bench-vhost-rng,$@) $$k | \
			grep -vE '^\[ *[0-9]+\.[0-9]+\]|^vm-init' || exit 1; \
	done

dkms-source:
	rm -rf $(DKMS_DEST)
	mkdir -p $(DKMS_DEST)
	cp -r $(DKMS_SOURCES) $(DKMS_DEST)/

dkms-install: dkms-source
	dkms add virtio-extra/$(PACKAGE_VERSION)
	dkms autoinstall

# virtio-extra-dkms_<version>_all.deb in build/deb/, from a copy of what
# the package is made of (dpkg-buildpackage writes beside its source).
DEB_SOURCES := $(DKMS_SOURCES) Makefile README.md debian
DEB_DIR := build/deb
deb:
	@command -v dh_dkms >/dev/null || { echo "make deb needs dh-dkms (scripts/install-deps)" >&2; exit 1; }
	@v=$$(dpkg-parsechangelog -S Version); [ "$$v" = "$(PACKAGE_VERSION)" ] || \
		{ echo "debian/changelog says $$v, dkms.conf $(PACKAGE_VERSION)" >&2; exit 1; }
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_DIR)/virtio-extra-$(PACKAGE_VERSION)
	cp -r $(DEB_SOURCES) $(DEB_DIR)/virtio-extra-$(PACKAGE_VERSION)/
	cd $(DEB_DIR)/virtio-extra-$(PACKAGE_VERSION) && dpkg-buildpackage -b -us -uc --no-pre-clean
	rm -rf $(DEB_DIR)/virtio-extra-$(PACKAGE_VERSION)

clean:
	rm -rf build
