#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# virtio_can against the lab's CAN controller, whose bus is vcan0, through
# the tools people use: can-utils and ip(8). TAP. Needs virtio_lab and
# virtio_can loaded; run through vm-run (run-tests does).

# The tests are called by name, from the list at the end.
# shellcheck disable=SC2317
set -uo pipefail
cd "$(dirname "$0")/../../.." || exit 1
# shellcheck source=tools/testing/virtio-lab/can-lab.sh
. tools/testing/virtio-lab/can-lab.sh
# shellcheck source=tools/testing/lib/tap-tests.sh
. tools/testing/lib/tap-tests.sh
# shellcheck source=tools/testing/lib/can-readers.sh
. tools/testing/lib/can-readers.sh
# shellcheck source=tools/testing/lib/can-state.sh
. tools/testing/lib/can-state.sh

flood_frames=3000
# a third on a slow kernel (vm-run)
[ "${VX_SLOW_KERNEL:-0}" = 1 ] && flood_frames=1000
can_model=
can_if=
# Frames queue in sockets while a slow reader catches up.
sysctl -qw net.core.rmem_default=16777216 net.core.rmem_max=16777216

# dump_start FILE COUNT IF...: candump -L of COUNT frames in the background.
dump_start() {
	local file=$1 count=$2 before

	shift 2
	before=$(can_raw_receivers)
	timeout 60 candump -L -n "$count" "$@" >"$file" &
	dump=$!
	can_reader_ready "$before"
}

# dump_frames FILE: the frames of a candump -L log, without time and
# interface, and without CAN FD flags (BRS, ESI), which virtio-can does not
# carry, and which kernels set differently (FDF).
dump_frames() {
	sed 's/^([0-9.]*) [a-z0-9]* //; s/##./##/' "$1"
}

# expect_frames FILE EXPECTED: the dump is exactly these lines.
expect_frames() {
	wait "$dump"
	if [ "$(dump_frames "$1")" != "${2//\#\#?/##}" ]; then
		echo "# expected:"
		printf '%s\n' "$2" | sed 's/^/#   /'
		echo "# got:"
		dump_frames "$1" | sed 's/^/#   /'
		return 1
	fi
}

# send_all IF FRAME...: cansend each frame.
send_all() {
	local ifname=$1 frame

	shift
	for frame in "$@"; do
		taskset -c "$bus_cpu" cansend "$ifname" "$frame" || return 1
	done
}

# sequence_check FILE COUNT: COUNT frames whose identifiers rise by one.
sequence_check() {
	awk -v want="$2" '
		function hex(s, i, v) {
			for (i = 1; i <= length(s); i++)
				v = v * 16 + index("0123456789ABCDEF", substr(s, i, 1)) - 1
			return v
		}
		{ split($3, f, "#"); id = hex(f[1]) }
		NR > 1 && id != (prev + 1) % 2048 { printf "# frame %d: id %x after %x\n", NR, id, prev; bad = 1; exit }
		{ prev = id }
		END { if (NR != want) { printf "# %d frames, not %d\n", NR, want; bad = 1 } exit bad }' "$1"
}

# both_ways FRAME...: the frames go from the guest to the bus, then back.
both_ways() {
	local expected

	expected=$(printf '%s\n' "$@")
	dump_start "$VX_SCRATCH/out" $# vcan0
	send_all "$can_if" "$@" || return 1
	expect_frames "$VX_SCRATCH/out" "$expected" || return 1
	dump_start "$VX_SCRATCH/in" $# "$can_if"
	send_all vcan0 "$@" || return 1
	expect_frames "$VX_SCRATCH/in" "$expected"
}

test_classic_both_ways() {
	both_ways 123#DEADBEEF 12345678#0011223344556677 7FF# 000#01 \
		1FFFFFFF#A5 5A5#0102030405060708
}

test_fd_every_length() {
	local frames=() len

	for len in 0 1 2 3 4 5 6 7 8 12 16 20 24 32 48 64; do
		frames+=("1AB##0$(head -c "$len" /dev/urandom | od -An -tx1 -v | tr -d ' \n' | tr a-f A-F)")
	done
	both_ways "${frames[@]}"
}

test_rtr() {
	both_ways 123#R 12345678#R
}

test_cangen_full_rate() {
	dump_start "$VX_SCRATCH/out" "$flood_frames" vcan0
	cangen "$can_if" -g 0 -n "$flood_frames" -I i -L 8 -D i -p 1000 || return 1
	wait "$dump"
	sequence_check "$VX_SCRATCH/out" "$flood_frames"
}

# cansequence_pair SENDER_IF RECEIVER_IF
cansequence_pair() {
	local before receiver

	before=$(can_raw_receivers)
	timeout 120 cansequence -r --quit=1 --loop="$flood_frames" "$2" >"$VX_SCRATCH/seq" 2>&1 &
	receiver=$!
	can_reader_ready "$before" || return 1
	taskset -c "$bus_cpu" cansequence -p --loop="$flood_frames" "$1" >/dev/null || return 1
	if ! wait "$receiver"; then
		sed 's/^/# /' "$VX_SCRATCH/seq" | tail -5
		return 1
	fi
}

test_cansequence_out() {
	cansequence_pair "$can_if" vcan0
}

test_cansequence_in() {
	cansequence_pair vcan0 "$can_if"
}

test_canfdtest_echo() {
	local before dut

	before=$(can_raw_receivers)
	taskset -c "$bus_cpu" canfdtest vcan0 >/dev/null 2>&1 &
	dut=$!
	can_reader_ready "$before" || return 1
	timeout 120 canfdtest -g -l 1000 "$can_if" >"$VX_SCRATCH/canfdtest" 2>&1
	local status=$?

	kill "$dut"
	wait "$dut" 2>/dev/null
	[ "$status" = 0 ] || tail -5 "$VX_SCRATCH/canfdtest" | sed 's/^/# /'
	return "$status"
}

test_bus_off_manual_restart() {
	dump_start "$VX_SCRATCH/err" 1 "$can_if,0~0,#FFFFFFFF"
	kill -USR1 "$can_model"
	can_wait_state "$can_if" BUS-OFF || return 1
	wait "$dump"
	# CAN_ERR_FLAG | CAN_ERR_BUSOFF
	grep -q ' 20000040#' "$VX_SCRATCH/err" || { echo "# no bus-off error frame:"; sed 's/^/#   /' "$VX_SCRATCH/err"; return 1; }
	ip link set "$can_if" type can restart || return 1
	can_wait_state "$can_if" ERROR-ACTIVE || return 1
	dump_start "$VX_SCRATCH/out" 1 vcan0
	cansend "$can_if" 123#AA || return 1
	expect_frames "$VX_SCRATCH/out" "123#AA"
}

# can_counter NAME: a counter of ip -details -statistics (re-started, bus-off ...).
can_counter() {
	ip -details -statistics link show "$can_if" |
		awk -v name="$1" '$1 == "re-started" { for (i = 1; i <= NF; i++) col[$i] = i; getline; print $col[name] }'
}

test_bus_off_restart_ms() {
	ip link set "$can_if" down
	ip link set "$can_if" type can restart-ms 100 || return 1
	ip link set "$can_if" up || return 1
	local bus_off restarts

	bus_off=$(can_counter bus-off)
	restarts=$(can_counter re-started)
	kill -USR1 "$can_model"
	# Bus-off lasts 100 ms: watch the counters, not the state.
	for _ in $(seq 250); do
		[ "$(can_counter re-started)" -gt "$restarts" ] && break
		sleep 0.02
	done
	[ "$(can_counter bus-off)" = $((bus_off + 1)) ] || { echo "# bus-off counted $(can_counter bus-off) times"; return 1; }
	[ "$(can_counter re-started)" = $((restarts + 1)) ] || { echo "# restarted $(can_counter re-started) times"; return 1; }
	can_wait_state "$can_if" ERROR-ACTIVE || return 1
	dump_start "$VX_SCRATCH/out" 1 vcan0
	cansend "$can_if" 123#BB || return 1
	expect_frames "$VX_SCRATCH/out" "123#BB"
}

# traffic_start: frames both ways at full rate until traffic_stop.
traffic_start() {
	cangen "$can_if" -g 0 -i >/dev/null 2>&1 &
	traffic_out=$!
	cangen vcan0 -g 0 -i >/dev/null 2>&1 &
	traffic_in=$!
	sleep 0.5
}

traffic_stop() {
	kill "$traffic_out" "$traffic_in" 2>/dev/null
	wait "$traffic_out" "$traffic_in" 2>/dev/null
}

# frames_flow: one frame each way.
frames_flow() {
	dump_start "$VX_SCRATCH/out" 1 vcan0,456:7FF
	cansend "$can_if" 456#0102 || return 1
	expect_frames "$VX_SCRATCH/out" "456#0102" || return 1
	dump_start "$VX_SCRATCH/in" 1 "$can_if,654:7FF"
	cansend vcan0 654#0304 || return 1
	expect_frames "$VX_SCRATCH/in" "654#0304"
}

test_down_up_under_traffic() {
	local i cycles=10

	# a few on a slow kernel (vm-run): each cycle costs it seconds
	[ "${VX_SLOW_KERNEL:-0}" = 1 ] && cycles=4
	traffic_start
	for i in $(seq "$cycles"); do
		ip link set "$can_if" down || break
		ip link set "$can_if" up || break
	done
	traffic_stop
	[ "$i" = "$cycles" ] || return 1
	frames_flow
}

test_freeze_restore() {
	local sleep_attr=/sys/bus/virtio/devices/$can_vdev/lab_sleep

	traffic_start
	echo freeze >"$sleep_attr" || { traffic_stop; return 1; }
	echo restore >"$sleep_attr" || { traffic_stop; return 1; }
	traffic_stop
	can_wait_state "$can_if" ERROR-ACTIVE || return 1
	frames_flow || return 1
	# Down while frozen, then up: NAPI stays balanced.
	echo freeze >"$sleep_attr" || return 1
	ip link set "$can_if" down
	echo restore >"$sleep_attr" || return 1
	ip link set "$can_if" up || return 1
	frames_flow || return 1
	# Frozen and restored while down.
	ip link set "$can_if" down
	echo freeze >"$sleep_attr" && echo restore >"$sleep_attr" || return 1
	ip link set "$can_if" up || return 1
	frames_flow
}

# Resumed after bus-off, the controller runs again, with carrier.
test_bus_off_then_freeze_restore() {
	local sleep_attr=/sys/bus/virtio/devices/$can_vdev/lab_sleep

	# No restart but the resume's.
	ip link set "$can_if" down
	ip link set "$can_if" type can restart-ms 0 || return 1
	ip link set "$can_if" up || return 1
	kill -USR1 "$can_model"
	can_wait_state "$can_if" BUS-OFF || return 1
	echo freeze >"$sleep_attr" && echo restore >"$sleep_attr" || return 1
	can_wait_state "$can_if" ERROR-ACTIVE || return 1
	grep -q 1 "/sys/class/net/$can_if/carrier" || return 1
	frames_flow
}

test_mtu_rules_fd() {
	[ "$(cat "/sys/class/net/$can_if/mtu")" = 72 ] || return 1
	ip link set "$can_if" down
	! ip link set "$can_if" mtu 16 2>/dev/null || return 1
	ip link set "$can_if" up
}

# device_up VLAB_CAN_OPTION...: a new device with other features, its
# interface up.
device_up() {
	can_lab_stop && can_lab_start "$@" && ip link set "$can_if" up
}

# Device variants: each test restarts the model with other features.
test_classic_only() {
	device_up --no-fd || return 1
	[ "$(cat "/sys/class/net/$can_if/mtu")" = 16 ] || return 1
	ip link set "$can_if" down
	! ip link set "$can_if" mtu 72 2>/dev/null || return 1
	ip link set "$can_if" up || return 1
	# A socket refuses CAN FD frames for a classic interface.
	! cansend "$can_if" 123##0AA 2>/dev/null || return 1
	frames_flow
}

# refused_and_counted VLAB_CAN_OPTION FRAME KIND: a device started with the
# option does not carry FRAME; the driver drops it, counts it and says so.
refused_and_counted() {
	device_up "$1" || return 1
	local before

	before=$(can_lab_stat tx_dropped)
	cansend "$can_if" "$2" || return 1
	sleep 0.2
	[ "$(can_lab_stat tx_dropped)" = $((before + 1)) ] || { echo "# tx_dropped $(can_lab_stat tx_dropped)"; return 1; }
	dmesg | grep -c "$can_if: dropped a $3 frame: the device did not offer that frame type" >/dev/null
}

test_rtr_refused_and_counted() {
	refused_and_counted --no-rtr 123#R RTR && frames_flow
}

test_fd_only_refuses_classic() {
	refused_and_counted --no-classic 123#11 "classic CAN" || return 1
	dump_start "$VX_SCRATCH/out" 1 vcan0
	cansend "$can_if" 123##011 || return 1
	expect_frames "$VX_SCRATCH/out" "123##011"
}

test_late_ack() {
	device_up --late-ack || return 1
	grep -q . "/sys/bus/virtio/devices/$can_vdev/features" &&
		[ "$(cut -c4 "/sys/bus/virtio/devices/$can_vdev/features")" = 1 ] || return 1
	test_cangen_full_rate
}

# rebound_works: virtio_can bound to the device again; its new interface
# comes up and carries frames.
rebound_works() {
	can_if=$(ls "/sys/bus/virtio/devices/$can_vdev/net") &&
		ip link set "$can_if" up && frames_flow
}

test_unbind_under_traffic() {
	traffic_start
	echo "$can_vdev" >/sys/bus/virtio/drivers/virtio_can/unbind
	local status=$?

	traffic_stop
	[ "$status" = 0 ] && [ ! -e "/sys/class/net/$can_if" ] || return 1
	echo "$can_vdev" >/sys/bus/virtio/drivers/virtio_can/bind || return 1
	rebound_works
}

test_surprise_removal_under_traffic() {
	traffic_start
	kill -9 "$can_model"
	wait "$can_model" 2>/dev/null
	local gone=1

	for _ in $(seq 250); do
		[ -e "/sys/class/net/$can_if" ] || { gone=0; break; }
		sleep 0.02
	done
	traffic_stop
	return "$gone"
}

test_unload_under_traffic() {
	traffic_start
	rmmod virtio_can
	local status=$?

	traffic_stop
	[ "$status" = 0 ] && [ ! -e "/sys/class/net/$can_if" ] || return 1
	modprobe virtio_can || return 1
	rebound_works
}

tests=(
	classic_both_ways fd_every_length rtr cangen_full_rate cansequence_out
	cansequence_in canfdtest_echo bus_off_manual_restart bus_off_restart_ms
	down_up_under_traffic freeze_restore bus_off_then_freeze_restore
	mtu_rules_fd classic_only
	rtr_refused_and_counted fd_only_refuses_classic late_ack
	unbind_under_traffic unload_under_traffic surprise_removal_under_traffic
)
# Every test starts from a fresh device that is up, unless one is left.
before_test() {
	if [ ! -e "/sys/class/net/${can_if:-none}" ] || ! kill -0 "${can_model:-0}" 2>/dev/null; then
		can_lab_stop >/dev/null 2>&1
		can_lab_start || { echo "# no virtio_can interface"; return 1; }
	fi
	ip link set "$can_if" up 2>/dev/null
	return 0
}

tap_run virtio_can "${tests[@]}"
status=$?
can_lab_stop
exit $status
