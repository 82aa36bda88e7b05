# SPDX-License-Identifier: GPL-2.0
#
# Sourced by scripts inside a VM. can_lab_start [vlab-can options] starts a
# virtio CAN controller in the lab whose bus is the vcan interface vcan0
# (created on first use, carrying CAN FD: newer kernels make a vcan with
# another MTU), and waits for virtio_can's interface for it.
# Sets can_model (the model's pid), can_vdev (virtioN) and can_if (canN);
# the model's output goes to $VX_SCRATCH/vlab-can.log. can_lab_stop kills
# the model, which removes the device as hardware vanishing would.

# A frame written to a vcan reaches its readers through the writing CPU's
# backlog, and 6.1 leaves a busy backlog to ksoftirqd. So writers to vcan0
# run on one CPU, bus_cpu (taskset -c "$bus_cpu" CMD, which execs CMD: $!
# stays its pid): one that moved to another CPU meanwhile would overtake
# its own frames, which no CAN bus does. And can_lab_start lets the backlog
# hold a whole flood (vcan has no flow control; its overflow is a drop).
bus_cpu=0
bus_backlog=8192

can_lab_start() {
	modprobe -q vcan && modprobe -q can_raw || return 1
	sysctl -qw net.core.netdev_max_backlog="$bus_backlog" || return 1
	if [ ! -e /sys/class/net/vcan0 ]; then
		ip link add vcan0 type vcan && ip link set vcan0 mtu 72 up || return 1
	fi
	taskset -c "$bus_cpu" build/tests/vlab-can "$@" vcan0 >"$VX_SCRATCH/vlab-can.log" 2>&1 &
	can_model=$!
	can_vdev=
	can_if=
	for _ in $(seq 500); do
		[ -z "$can_vdev" ] && can_vdev=$(sed -n 's/^vlab-can: \(virtio[0-9]*\)$/\1/p' "$VX_SCRATCH/vlab-can.log")
		if [ -n "$can_vdev" ] && [ -d "/sys/bus/virtio/devices/$can_vdev/net" ]; then
			can_if=$(ls "/sys/bus/virtio/devices/$can_vdev/net")
			[ -n "$can_if" ] && return 0
		fi
		kill -0 "$can_model" 2>/dev/null || break
		sleep 0.02
	done
	sed 's/^/# /' "$VX_SCRATCH/vlab-can.log"
	return 1
}

can_lab_stop() {
	kill "$can_model" 2>/dev/null
	wait "$can_model" 2>/dev/null || true
	for _ in $(seq 500); do
		[ -e "/sys/class/net/$can_if" ] || return 0
		sleep 0.02
	done
	return 1
}

# can_lab_stat NAME: a counter of /sys/class/net/<if>/statistics.
can_lab_stat() {
	cat "/sys/class/net/$can_if/statistics/$1"
}
