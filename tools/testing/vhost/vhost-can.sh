#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vhost-can through the tools people use: iproute2's vdpa for management,
# sysfs for binding, and, end to end in one kernel, this project's
# virtio_can driver on the device through virtio_vdpa, with can-utils
# traffic between its interface and the vcan the device is bound to.
# Removal and unload under traffic. TAP. Needs vhost_vdpa and vcan
# loaded; run through vm-run (run-tests does).
#
#   vhost-can.sh [TEST]...   the named tests only (default: all)

# The tests are called by name, from the list at the end.
# shellcheck disable=SC2317
set -uo pipefail
cd "$(dirname "$0")/../../.." || exit 1
# shellcheck source=tools/testing/lib/tap-tests.sh
. tools/testing/lib/tap-tests.sh
# shellcheck source=tools/testing/lib/can-readers.sh
. tools/testing/lib/can-readers.sh
# shellcheck source=tools/testing/lib/can-state.sh
. tools/testing/lib/can-state.sh
# shellcheck source=tools/testing/vhost/vhost-can-devices.sh
. tools/testing/vhost/vhost-can-devices.sh

log=$VX_SCRATCH/vhost-can.log
modprobe -q can_raw && modprobe -q vhost_can && modprobe -q virtio_vdpa && modprobe -q virtio_can || exit 1

test_listed_by_vdpa_tool() {
	vdpa mgmtdev show vhost_can | tee "$log" | sed 's/^/# /'
	grep -q '^vhost_can:' "$log" || return 1
	can_add c0 vcan0 vhost_vdpa && vdpa dev show c0 | tee "$log" | sed 's/^/# /'
	grep -q 'c0: type .* mgmtdev vhost_can vendor_id 0 max_vqs 3 max_vq_size 1024' "$log" &&
		[ "$(cat /sys/bus/vdpa/devices/c0/netdev)" = vcan0 ] && vdpa dev del c0
}

# sequence LOG N: candump's LOG holds cansequence's N frames, in order
# (their payload byte is the sequence number modulo 256).
sequence() {
	local i

	for i in $(seq 0 $(($2 - 1))); do
		printf '%02X\n' $((i % 256))
	done >"$1.want"
	awk '{ print toupper($4) }' "$1" | cmp -s - "$1.want"
}

# cansequence floods the guest's interface: every frame reaches the
# host's, in order (candump's buffer is made large enough to hold what a
# reader under TCG falls behind). cangen the other way, paced as a bus
# is: every frame arrives.
test_frames_both_ways() {
	local n=2000 dump before

	# a third on a slow kernel (vm-run)
	[ "${VX_SLOW_KERNEL:-0}" = 1 ] && n=700

	guest_add g0 vcan0 || return 1
	before=$(can_raw_receivers)
	timeout 120 candump -r 4194304 -n "$n" -T 10000 vcan0 >"$log" &
	dump=$!
	can_reader_ready "$before" || return 1
	timeout 120 cansequence -p --loop="$n" "$canif" >/dev/null || return 1
	wait "$dump"
	sequence "$log" "$n" ||
		{ echo "# host got $(wc -l <"$log") of $n frames, or out of order"; return 1; }
	echo "# $n frames guest to host, in sequence"
	before=$(can_raw_receivers)
	timeout 120 candump -r 4194304 -n 500 -T 10000 "$canif" >"$log" &
	dump=$!
	can_reader_ready "$before" || return 1
	cangen vcan0 -g 1 -n 500 -I i -L 8 -D i || return 1
	wait "$dump"
	echo "# $(wc -l <"$log") of 500 frames host to guest"
	[ "$(wc -l <"$log")" = 500 ] &&
		[ "$(cat /sys/bus/vdpa/devices/g0/statistics/tx_failed)" = 0 ] && vdpa dev del g0
}

# An allowlist admits exactly what it names, end to end: with 123:7ff only
# the standard data frame 0x123 from the guest reaches the bus, not the
# extended ID 0x123 nor the remote frame; written with :r, only the remote
# frame does.
test_allowlist_admits_what_it_names() {
	local dump sent

	guest_add g0 vcan0 || return 1
	echo 123:7ff >/sys/bus/vdpa/devices/g0/tx_allow || return 1
	# the first two frames on the bus: a wrong one comes before the last
	timeout 60 candump -n 2 vcan0 >"$log" &
	dump=$!
	sleep 0.3
	for sent in 123#11 00000123#11 123#R 124#11; do
		cansend "$canif" "$sent"
	done
	echo 123:7ff:r >/sys/bus/vdpa/devices/g0/tx_allow || return 1
	for sent in 123#22 123#R; do
		cansend "$canif" "$sent"
	done
	wait "$dump"
	sed 's/^/# /' "$log"
	[ "$(awk '{ print $2, $3, $4 }' "$log")" = "$(printf '123 [1] 11\n123 [0] remote')" ] &&
		vdpa dev del g0
}

# canfdtest: the guest's interface echoes what the host generates (ID + 1,
# data + 1), the generator checks every frame.
test_canfdtest() {
	guest_add g0 vcan0 || return 1
	timeout 120 canfdtest "$canif" >/dev/null 2>&1 &
	local dut=$!

	sleep 0.3
	timeout 120 canfdtest -g -l 1000 vcan0 >"$log" 2>&1
	local status=$?
	tail -n 3 "$log" | sed 's/^/# /'
	kill "$dut" 2>/dev/null
	wait "$dut" 2>/dev/null
	[ "$status" = 0 ] && vdpa dev del g0
}

# Bus-off on the host (a controller's error frame, here injected on the
# vcan) reaches the guest's interface; a restart brings it back.
test_bus_off_reaches_guest() {
	guest_add g0 vcan0 || return 1
	[ "$(can_state "$canif")" = ERROR-ACTIVE ] || return 1
	cansend vcan0 20000040#0000000000000000 || return 1
	can_wait_state "$canif" BUS-OFF || return 1
	ip link set "$canif" type can restart || return 1
	echo "# after restart: $(can_state "$canif")"
	[ "$(can_state "$canif")" = ERROR-ACTIVE ] || return 1
	timeout 30 candump -n 1 vcan0 >"$log" &
	local dump=$!
	sleep 0.3
	cansend "$canif" 123#11 && wait "$dump" && grep -q ' 123 ' "$log" && vdpa dev del g0
}

# Removal while the guest's interface sends flat out.
test_removal_under_traffic() {
	guest_add g0 vcan0 || return 1
	cangen "$canif" -g 0 -p 10 >/dev/null 2>&1 &
	local gen=$!

	sleep 1
	timeout 30 vdpa dev del g0 || return 1
	kill "$gen" 2>/dev/null
	wait "$gen" 2>/dev/null
	[ ! -e "/sys/class/net/$canif" ] && [ "$(vbe_workers)" = 0 ]
}

test_unload_under_traffic() {
	guest_add g0 vcan0 || return 1
	cangen "$canif" -g 0 -p 10 >/dev/null 2>&1 &
	local gen=$!

	sleep 1
	timeout 30 rmmod vhost_can || return 1
	kill "$gen" 2>/dev/null
	wait "$gen" 2>/dev/null
	[ "$(vbe_workers)" = 0 ] && modprobe vhost_can
}

# A guest toggling its controller gets at most 10 STARTs a second (each
# registers filters in the CAN core); the others are refused, counted and
# logged, and after a pause the controller starts and carries frames.
test_start_churn_bounded() {
	local refused dump

	guest_add g0 vcan0 || return 1
	for _ in $(seq 100); do
		echo "link set $canif down"
		echo "link set $canif up"
	done | ip -force -batch - 2>/dev/null
	refused=$(cat /sys/bus/vdpa/devices/g0/statistics/starts_refused)
	echo "# 100 down/up cycles: $refused STARTs refused"
	# all of dmesg read: grep -q would leave it a SIGPIPE, which pipefail sees
	[ "$refused" -gt 0 ] && dmesg | grep 'START refused: more than 10 a second' >/dev/null ||
		return 1
	sleep 1.1
	ip link set "$canif" down && ip link set "$canif" up || return 1
	timeout 30 candump -n 1 vcan0 >"$log" &
	dump=$!
	sleep 0.3
	cansend "$canif" 123#11 && wait "$dump" && grep -q ' 123 ' "$log" && vdpa dev del g0
}

# The device bound to an interface in a namespace, which is deleted while
# the guest's interface goes up and down (each START and STOP registers or
# removes filters on the interface); then the device is deleted during
# the churn. The device holds the namespace while bound: nothing is used
# after it is freed (the debug kernel's KASAN would report it).
test_namespace_deleted_under_churn() {
	local churn ok=0 status

	ip netns add vxns && ip link add dev vcan1 netns vxns type vcan &&
		ip -n vxns link set vcan1 mtu 72 up || return 1
	echo 0 >/sys/bus/vdpa/drivers_autoprobe
	vdpa dev add name g0 mgmtdev vhost_can &&
		ip netns exec vxns sh -c 'echo vcan1 >/sys/bus/vdpa/devices/g0/netdev' &&
		echo 0:0 >/sys/bus/vdpa/devices/g0/tx_allow &&
		echo 0:0 >/sys/bus/vdpa/devices/g0/rx_allow &&
		bind g0 virtio_vdpa && ok=1
	echo 1 >/sys/bus/vdpa/drivers_autoprobe
	[ "$ok" = 1 ] && guest_if g0 vcan1 || return 1
	# some STARTs are refused for coming too often: go on regardless
	while [ -e "/sys/class/net/$canif" ]; do
		ip link set "$canif" down
		ip link set "$canif" up
	done 2>/dev/null &
	churn=$!
	sleep 1
	ip netns del vxns || return 1
	sleep 1
	timeout 30 vdpa dev del g0
	status=$?
	kill "$churn" 2>/dev/null
	wait "$churn" 2>/dev/null
	[ "$status" = 0 ] && [ "$(vbe_workers)" = 0 ]
}

tests=(
	listed_by_vdpa_tool frames_both_ways allowlist_admits_what_it_names canfdtest
	bus_off_reaches_guest removal_under_traffic unload_under_traffic
	start_churn_bounded namespace_deleted_under_churn
)
# vhost-can.sh [TEST]...: only those
[ $# = 0 ] || tests=("$@")

before_test() {
	bus_add vcan0
}

# what a failed test left behind goes before the next one starts
after_test() {
	vdpa_del_all
	ip link del dev vcan0 2>/dev/null
	ip netns del vxns 2>/dev/null
}

tap_run vhost-can "${tests[@]}"
