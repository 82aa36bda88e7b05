#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vhost-i2c through the tools people use: iproute2's vdpa for management,
# sysfs for binding, and, end to end in one kernel, Linux's i2c-virtio on
# the device through virtio_vdpa, driven by i2c-tools and the at24 EEPROM
# driver, against the plain-I2C test adapter (vx_test_i2c) and i2c-stub.
# Removal, unload and the adapter going away under traffic. TAP. Needs
# vhost_vdpa, vx_test_i2c and i2c-stub chip_addr=0x48 loaded; run through
# vm-run (run-tests does).
#
#   vhost-i2c.sh [TEST]...   the named tests only (default: all)

# The tests are called by name, from the list at the end.
# shellcheck disable=SC2317
set -uo pipefail
cd "$(dirname "$0")/../../.." || exit 1
# shellcheck source=tools/testing/lib/tap-tests.sh
. tools/testing/lib/tap-tests.sh
# shellcheck source=tools/testing/vhost/vhost-i2c-devices.sh
. tools/testing/vhost/vhost-i2c-devices.sh
# shellcheck source=tools/testing/vhost/i2c-guest-checks.sh
. tools/testing/vhost/i2c-guest-checks.sh

log=$VX_SCRATCH/vhost-i2c.log
modprobe -q vhost_i2c && modprobe -q virtio_vdpa && modprobe -q i2c-virtio &&
	modprobe -q i2c-dev && modprobe -q at24 || exit 1

# transfer_fails ARGS...: i2ctransfer ARGS fails, or sends not all of its
# messages (it then says so, but exits with 0).
transfer_fails() {
	local out

	out=$(i2ctransfer "$@" 2>&1) || return 0
	[[ $out == *"Warning: only"* ]]
}

# traffic: random reads from the EEPROM on the guest's adapter (a write of
# the offset, then a read), flat out, in the background (pid in traffic_pid).
traffic() {
	while :; do
		i2ctransfer -y "$bus" w1@0x50 0x00 r16 >/dev/null 2>&1
	done &
	traffic_pid=$!
}

traffic_stop() {
	kill "$traffic_pid" 2>/dev/null
	wait "$traffic_pid" 2>/dev/null
}

test_listed_by_vdpa_tool() {
	vdpa mgmtdev show vhost_i2c | tee "$log" | sed 's/^/# /'
	grep -q '^vhost_i2c:' "$log" || return 1
	vdpa dev add name d0 mgmtdev vhost_i2c && vdpa dev show d0 | tee "$log" | sed 's/^/# /'
	grep -q 'd0: type .* mgmtdev vhost_i2c vendor_id 0 max_vqs 1 max_vq_size 1024' "$log" &&
		[ -z "$(cat /sys/bus/vdpa/devices/d0/adapter)" ] &&
		[ -z "$(cat /sys/bus/vdpa/devices/d0/allow)" ] && vdpa dev del d0
}

# i2c-tools on the guest's adapter; the device counts what it refused.
test_i2c_tools() {
	guest_add g0 "$(adapter_named vx-test-i2c)" "0x30 0x50" && i2c_tools_check "$bus" &&
		[ "$(cat /sys/bus/vdpa/devices/g0/statistics/refused)" -gt 0 ] && vdpa dev del g0
}

# The kernel's at24 driver on the guest's adapter reads and writes the
# EEPROM through its eeprom file; the host sees the write on its adapter.
test_at24_eeprom() {
	local host

	host=$(adapter_named vx-test-i2c)
	guest_add g0 "$host" 0x50 && at24_check "$bus" && at24_written "$host" && vdpa dev del g0
}

# i2c-stub speaks SMBus only: the guest's transfers become SMBus again.
test_smbus_end_to_end() {
	local out

	guest_add g0 "$(adapter_named 'SMBus stub driver')" 0x48 || return 1
	i2cset -y "$bus" 0x48 0x10 0x5a && out=$(i2cget -y "$bus" 0x48 0x10) &&
		echo "# byte data: $out" && [ "$out" = 0x5a ] || return 1
	i2cset -y "$bus" 0x48 0x11 0x1234 w && out=$(i2cget -y "$bus" 0x48 0x11 w) &&
		echo "# word data: $out" && [ "$out" = 0x1234 ] || return 1
	i2cset -y "$bus" 0x48 0x40 1 2 3 4 i && out=$(i2ctransfer -y "$bus" w1@0x48 0x40 r4) &&
		echo "# I2C block: $out" && [ "$out" = "0x01 0x02 0x03 0x04" ] || return 1
	# a plain read of four bytes has no SMBus form
	transfer_fails -y "$bus" r4@0x48 &&
		[ "$(cat /sys/bus/vdpa/devices/g0/statistics/unsupported)" = 1 ] && vdpa dev del g0
}

test_removal_under_traffic() {
	guest_add g0 "$(adapter_named vx-test-i2c)" 0x50 || return 1
	traffic
	sleep 1
	timeout 30 vdpa dev del g0 || return 1
	traffic_stop
	[ ! -e "/dev/i2c-$bus" ] && [ "$(vbe_workers)" = 0 ]
}

test_unload_under_traffic() {
	guest_add g0 "$(adapter_named vx-test-i2c)" 0x50 || return 1
	traffic
	sleep 1
	timeout 30 rmmod vhost_i2c || return 1
	traffic_stop
	[ "$(vbe_workers)" = 0 ] && modprobe vhost_i2c
}

# Refused two-message transfers, many: Linux's i2c-virtio frees a
# transfer's requests when it sees the first fail, so a device answering
# the second after it completes freed memory (KASAN on the debug kernel).
# The device answers a group last request first.
test_failed_transfers_free_nothing_early() {
	local n

	guest_add g0 "$(adapter_named vx-test-i2c)" 0x50 || return 1
	for n in $(seq 40); do
		transfer_fails -y "$bus" w1@0x51 0x00 r2 || return 1
	done
	echo "# $n refused write-then-read transfers"
	[ "$(cat /sys/bus/vdpa/devices/g0/statistics/refused)" = 40 ] && vdpa dev del g0
}

# The host adapter's driver is unbound while the guest reads: the device
# lets go of it, the guest's transfers fail, nothing hangs.
test_adapter_gone_under_traffic() {
	guest_add g0 "$(adapter_named vx-test-i2c)" 0x50 || return 1
	echo 2000 >/sys/module/vx_test_i2c/parameters/xfer_delay_us
	traffic
	sleep 1
	timeout 30 sh -c 'echo vx_test_i2c >/sys/bus/platform/drivers/vx_test_i2c/unbind' ||
		return 1
	echo 0 >/sys/module/vx_test_i2c/parameters/xfer_delay_us
	[ -z "$(cat /sys/bus/vdpa/devices/g0/adapter)" ] || return 1
	transfer_fails -y "$bus" r1@0x50 || return 1
	traffic_stop
	echo vx_test_i2c >/sys/bus/platform/drivers/vx_test_i2c/bind && vdpa dev del g0
}

tests=(
	listed_by_vdpa_tool i2c_tools at24_eeprom smbus_end_to_end
	failed_transfers_free_nothing_early removal_under_traffic
	unload_under_traffic adapter_gone_under_traffic
)
# vhost-i2c.sh [TEST]...: only those
[ $# = 0 ] || tests=("$@")

# what a failed test left behind goes before the next one starts
after_test() {
	[ -z "${traffic_pid:-}" ] || traffic_stop
	vdpa_del_all
	echo 0 >/sys/module/vx_test_i2c/parameters/xfer_delay_us
	[ -e /sys/bus/platform/drivers/vx_test_i2c/vx_test_i2c ] ||
		echo vx_test_i2c >/sys/bus/platform/drivers/vx_test_i2c/bind
}

tap_run vhost-i2c "${tests[@]}"
