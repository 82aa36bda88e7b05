#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vhost-rng through the tools people use: iproute2's vdpa for management,
# sysfs for settings, rngtest on what a guest reads through vhost-vdpa,
# and the stock virtio_rng driver reading it through virtio_vdpa in the
# same kernel. Removal and unload under traffic. TAP. Needs vhost_rng,
# vhost_vdpa and virtio_rng loaded; run through vm-run (run-tests does).
#
#   vhost-rng.sh [TEST]...   the named tests only (default: all)

# The tests are called by name, from the list at the end.
# shellcheck disable=SC2317
set -uo pipefail
cd "$(dirname "$0")/../../.." || exit 1
# shellcheck source=tools/testing/lib/rngtest-verdict.sh
. tools/testing/lib/rngtest-verdict.sh
# shellcheck source=tools/testing/lib/tap-tests.sh
. tools/testing/lib/tap-tests.sh
# shellcheck source=tools/testing/vhost/vhost-rng-devices.sh
. tools/testing/vhost/vhost-rng-devices.sh

blocks=1000
# a third on a slow kernel (vm-run): the verdict scales with the count
[ "${VX_SLOW_KERNEL:-0}" = 1 ] && blocks=300
log=$VX_SCRATCH/vhost-rng.log
modprobe -q virtio_vdpa || exit 1

# accepted LOG: rngtest's verdict on LOG, printed.
accepted() {
	local verdict status

	sed 's/^/# /' "$1"
	verdict=$(rngtest_verdict "$1" "$blocks")
	status=$?
	echo "# rngtest successes, failures: $verdict"
	return "$status"
}

# served NAME: bytes the device gave its driver.
served() {
	cat "/sys/bus/vdpa/devices/$1/served_bytes"
}

test_listed_by_vdpa_tool() {
	vdpa mgmtdev show vhost_rng | tee "$log" | sed 's/^/# /'
	grep -q '^vhost_rng:' "$log" || return 1
	rng_add r0 vhost_vdpa && vdpa dev show r0 | tee "$log" | sed 's/^/# /'
	grep -q 'r0: type .* mgmtdev vhost_rng vendor_id 0 max_vqs 1 max_vq_size 1024' "$log" &&
		vdpa dev del r0
}

# QEMU takes the device with the options Documentation/vhost/vhost-rng.rst
# gives: vhost-vdpa-device-pci realized, a virtio entropy device on its PCI
# bus (1af4:1005, subsystem 0004: virtio device ID 4). The guest is never
# run (-S): under TCG inside TCG it would take minutes.
test_qemu_attaches() {
	rng_add q0 vhost_vdpa || return 1
	printf 'info pci\nquit\n' |
		timeout 120 qemu-system-x86_64 -S -nodefaults -display none -m 256M \
			-object memory-backend-memfd,id=mem,size=256M,share=on \
			-machine q35,memory-backend=mem \
			-device vhost-vdpa-device-pci,vhostdev="$(vhost_node q0)" \
			-monitor stdio >"$log" 2>&1
	grep -v '(qemu)' "$log" | sed 's/^/# /'
	grep -A1 'PCI device 1af4:1005' "$log" | grep -q 'PCI subsystem 1af4:0004' &&
		vdpa dev del q0
}

test_rngtest_through_vhost_vdpa() {
	rng_add r0 vhost_vdpa || return 1
	build/tests/vdpa-rng-read "$(vhost_node r0)" $((blocks * 2500 + 2500)) |
		rngtest -c "$blocks" >"$log" 2>&1
	accepted "$log" && [ "$(served r0)" -ge $((blocks * 2500)) ] && vdpa dev del r0
}

# The host's own virtio_rng serves /dev/hwrng from vhost-rng.
test_virtio_rng_end_to_end() {
	hwrng_add e0 || return 1
	echo "# $hwrng on $(basename "$(readlink /sys/bus/vdpa/devices/e0/virtio*/driver)")"
	head -c $((blocks * 2500 + 2500)) /dev/hwrng | rngtest -c "$blocks" >"$log" 2>&1
	accepted "$log" && [ "$(served e0)" -ge $((blocks * 2500)) ] && vdpa dev del e0
}

# Eight devices at once: six read through vhost-vdpa in parallel, two
# serve virtio_rng.
test_many_devices() {
	local i pids=() ok=0 bytes=200000

	# a quarter on a slow kernel (vm-run)
	[ "${VX_SLOW_KERNEL:-0}" = 1 ] && bytes=50000
	for i in 0 1 2 3 4 5; do
		rng_add "m$i" vhost_vdpa || return 1
	done
	for i in 0 1 2 3 4 5; do
		build/tests/vdpa-rng-read "$(vhost_node "m$i")" "$bytes" >"$log.$i" &
		pids+=($!)
	done
	for i in 6 7; do
		hwrng_add "m$i" && [ "$(head -c $((bytes / 4)) /dev/hwrng | wc -c)" = $((bytes / 4)) ] && ok=$((ok + 1))
	done
	for i in 0 1 2 3 4 5; do
		wait "${pids[$i]}" && [ "$(stat -c %s "$log.$i")" = "$bytes" ] && ok=$((ok + 1))
	done
	echo "# $ok of 8 devices served, $(vbe_workers) workers"
	for i in 0 1 2 3 4 5 6 7; do
		vdpa dev del "m$i" || return 1
	done
	[ "$ok" = 8 ] && [ "$(vbe_workers)" = 0 ]
}

test_rate_limit_setting() {
	rng_add r0 vhost_vdpa || return 1
	local attr=/sys/bus/vdpa/devices/r0/rate_limit

	[ "$(cat "$attr")" = 0 ] && echo 100000 >"$attr" && [ "$(cat "$attr")" = 100000 ] || return 1
	! echo lots 2>/dev/null >"$attr" && [ "$(cat "$attr")" = 100000 ] || return 1
	dmesg | tail -n 5 | grep -q 'rate_limit: not a number of bytes per second' &&
		vdpa dev del r0
}

test_refusals() {
	rng_add r0 vhost_vdpa || return 1
	if vdpa dev add name r0 mgmtdev vhost_rng 2>"$log"; then
		echo "# a second r0 was created"
		return 1
	fi
	sed 's/^/# /' "$log"
	if vdpa dev add name r1 mgmtdev vhost_rng mac 00:11:22:33:44:55 2>"$log"; then
		echo "# a MAC address was accepted"
		return 1
	fi
	sed 's/^/# /' "$log"
	vdpa dev del r0
}

# The module parameter max_devices bounds how many devices exist.
test_max_devices() {
	rmmod vhost_rng && modprobe vhost_rng max_devices=2 || return 1
	rng_add c0 vhost_vdpa && rng_add c1 vhost_vdpa || return 1
	if vdpa dev add name c2 mgmtdev vhost_rng 2>"$log"; then
		echo "# a third device was created"
		return 1
	fi
	sed 's/^/# /' "$log"
	dmesg | tail -n 5 | grep -q 'device c2 refused: 2 devices exist' || return 1
	# unloading removes the devices
	rmmod vhost_rng && modprobe vhost_rng && [ ! -e /sys/bus/vdpa/devices/c0 ] &&
		[ "$(vbe_workers)" = 0 ]
}

# A driver's callback must not outlive its binding: after virtio_vdpa has
# gone (module unloaded), a vhost-vdpa user breaks the device, which
# interrupts whoever set a configuration callback since the last reset.
test_callback_after_rebind() {
	local status

	hwrng_add e0 || return 1
	echo e0 >/sys/bus/vdpa/drivers/virtio_vdpa/unbind &&
		rmmod virtio_vdpa && bind e0 vhost_vdpa || return 1
	status=$(build/tests/vdpa-set-status "$(vhost_node e0)" 0x7)
	echo "# status after DRIVER_OK without FEATURES_OK: $status"
	modprobe virtio_vdpa && [ "$status" = 0x47 ] && vdpa dev del e0
}

# Removal while virtio_rng reads: the reader ends, the host goes on.
test_removal_under_traffic() {
	hwrng_add e0 || return 1
	dd if=/dev/hwrng of=/dev/null bs=4096 2>/dev/null &
	local reader=$!

	sleep 1
	timeout 30 vdpa dev del e0 || return 1
	for _ in $(seq 100); do
		kill -0 "$reader" 2>/dev/null || break
		sleep 0.1
	done
	# another source may remain; then the reader goes on with it
	kill "$reader" 2>/dev/null
	wait "$reader" 2>/dev/null
	[ "$(vbe_workers)" = 0 ]
}

# vhost-vdpa keeps a device while its user has it open: removal waits,
# and ends when the user goes (here, killed mid-transfer).
test_removal_waits_for_vhost_user() {
	rng_add r0 vhost_vdpa || return 1
	build/tests/vdpa-rng-read "$(vhost_node r0)" 100000000000 >/dev/null &
	local reader=$! del

	sleep 0.5
	timeout 60 vdpa dev del r0 &
	del=$!
	sleep 1
	kill -0 "$del" 2>/dev/null || { echo "# removal did not wait"; return 1; }
	kill -9 "$reader"
	wait "$reader" 2>/dev/null
	wait "$del" && [ ! -e /sys/bus/vdpa/devices/r0 ] && [ "$(vbe_workers)" = 0 ]
}

# The guest's work is charged to its VMM: the worker serving a vhost-vdpa
# user is a thread of the user's process, in its cgroup, and the cgroup's
# cpu.stat counts what the worker spends.
test_worker_in_owner_cgroup() {
	local cg=/sys/fs/cgroup/vx-owner owner task where usage0 usage worker_usec

	[ -e /sys/fs/cgroup/cgroup.controllers ] || mount -t cgroup2 none /sys/fs/cgroup || return 1
	mkdir -p "$cg" && rng_add r0 vhost_vdpa || return 1
	usage0=$(awk '$1 == "usage_usec" { print $2 }' "$cg/cpu.stat")
	sh -c "echo \$\$ >$cg/cgroup.procs && exec build/tests/vdpa-rng-read $(vhost_node r0) 100000000000" \
		>/dev/null &
	owner=$!
	sleep 3
	task=$(grep -l '^vbe-r0' /proc/"$owner"/task/[0-9]*/comm | head -n 1)
	task=${task%/comm}
	if [ -z "$task" ]; then
		echo "# no worker among the threads of the owner, pid $owner"
		kill "$owner"
		return 1
	fi
	# utime and stime, in clock ticks
	worker_usec=$(awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000000 / hz) }' \
		"$task/stat")
	usage=$(awk '$1 == "usage_usec" { print $2 }' "$cg/cpu.stat")
	where=$(cat "$task/cgroup")
	echo "# worker $(cat "$task/comm") in $where: ${worker_usec} us;" \
		"the cgroup's usage grew by $((usage - usage0)) us"
	kill "$owner"
	wait "$owner" 2>/dev/null
	vdpa dev del r0 && rmdir "$cg" || return 1
	[ "$where" = "0::/vx-owner" ] && [ "$worker_usec" -gt 0 ] &&
		[ $((usage - usage0)) -ge "$worker_usec" ]
}

test_unload_under_traffic() {
	hwrng_add e0 || return 1
	dd if=/dev/hwrng of=/dev/null bs=4096 2>/dev/null &
	local reader=$!

	sleep 1
	timeout 30 rmmod vhost_rng || return 1
	kill "$reader" 2>/dev/null
	wait "$reader" 2>/dev/null
	[ "$(vbe_workers)" = 0 ] && rmmod virtio_backend && modprobe vhost_rng
}

tests=(
	listed_by_vdpa_tool qemu_attaches rngtest_through_vhost_vdpa virtio_rng_end_to_end
	many_devices rate_limit_setting refusals max_devices callback_after_rebind
	removal_under_traffic removal_waits_for_vhost_user worker_in_owner_cgroup
	unload_under_traffic
)
# vhost-rng.sh [TEST]...: only those
[ $# = 0 ] || tests=("$@")

# what a failed test left behind goes before the next one starts
after_test() {
	vdpa_del_all
}

tap_run vhost-rng "${tests[@]}"
