# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by scripts inside a VM that handle vDPA devices made with
# iproute2's vdpa tool: put them on vhost_vdpa (a character device for a
# VMM or a test driver) or on virtio_vdpa (the host's own virtio drivers).

# The busy wait (microseconds) the benchmarks measure besides sleeping:
# about what a wake-up costs under TCG, so a worker still waiting busy
# finds the next request of a round trip.
VX_BENCH_POLL_US=200

# bench_both_ways CMD...: a benchmark with both back-ends sleeping between
# requests, then waiting busy VX_BENCH_POLL_US first (poll_us); the first
# failure's status.
bench_both_ways() {
	local us

	for us in 0 "$VX_BENCH_POLL_US"; do
		VX_POLL_US=$us "$@" || return
	done
}

# bind NAME DRIVER: a vDPA device probes with whichever driver comes
# first; move it to vhost_vdpa or virtio_vdpa.
bind() {
	local name=$1 drv=$2 dir=/sys/bus/vdpa/devices/$1 cur

	cur=$(basename "$(readlink "$dir/driver")" 2>/dev/null)
	[ "$cur" = "$drv" ] && return 0
	[ -z "$cur" ] || echo "$name" >"/sys/bus/vdpa/drivers/$cur/unbind" || return 1
	echo "$drv" >"$dir/driver_override" &&
		echo "$name" >/sys/bus/vdpa/drivers_probe &&
		[ "$(basename "$(readlink "$dir/driver")")" = "$drv" ]
}

# vhost_node NAME: its /dev/vhost-vdpa-N.
vhost_node() {
	local d

	for d in "/sys/bus/vdpa/devices/$1"/vhost-vdpa-*; do
		[ -e "$d" ] && echo "/dev/${d##*/}" && return 0
	done
	return 1
}

# vdpa_del_all: remove every vDPA device (what a failed test left).
vdpa_del_all() {
	local d

	for d in /sys/bus/vdpa/devices/*; do
		[ -e "$d" ] && timeout 30 vdpa dev del "${d##*/}"
	done
}

# vbe_workers: the back-end core's worker threads alive: kernel threads,
# and threads of the owners' processes.
vbe_workers() {
	grep -l '^vbe-' /proc/[0-9]*/task/[0-9]*/comm 2>/dev/null | wc -l
}
