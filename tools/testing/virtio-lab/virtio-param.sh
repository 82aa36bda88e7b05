#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# virtio_param against the lab's vehicle (vlab-param) through the tools a
# user has: cat, echo, poll() from Python's select module, and udevadm
# monitor. TAP. Needs virtio_lab and virtio_param loaded; run through
# vm-run (run-tests does).

# The tests are called by name, from the list at the end.
# shellcheck disable=SC2317
set -uo pipefail
cd "$(dirname "$0")/../../.." || exit 1
# shellcheck source=tools/testing/lib/tap-tests.sh
. tools/testing/lib/tap-tests.sh

work=${VX_SCRATCH:-/tmp}/virtio-param
rm -rf "$work"
mkdir -p "$work"
log=$work/model.log
model=
props=

# The Vehicle HAL's IDs of the properties used here.
vin=p_11100100/area_00000000
gear=p_11400400/area_00000000
speed=p_11600207
hvac_left=p_15600503/area_00000001

before_test() {
	build/tests/vlab-param >"$log" 2>&1 &
	model=$!
	local vdev end=$((SECONDS + 10))

	while [ "$SECONDS" -le "$end" ]; do
		vdev=$(sed -n 's/^vlab-param: \(virtio[0-9]*\)$/\1/p' "$log")
		props=/sys/bus/virtio/devices/$vdev/properties
		[ -n "$vdev" ] && [ -e "/sys/bus/virtio/devices/$vdev/param/events" ] && return 0
		sleep 0.01
	done
	echo "# no properties for '$vdev'"
	cat "$log"
	return 1
}

after_test() {
	kill "$model" 2>/dev/null
	wait "$model" 2>/dev/null
}

test_cat_reads_values() {
	[ "$(cat "$props/$vin/current_value")" = 1HGCM82633A004352 ] &&
		[ "$(cat "$props/p_11100100/type")" = string ] &&
		[ "$(cat "$props/$speed/area_00000000/current_value")" = 27.5 ] &&
		[ "$(cat "$props/$hvac_left/status")" = available ]
}

test_echo_sets_values() {
	echo 24.5 >"$props/$hvac_left/current_value" &&
		[ "$(cat "$props/$hvac_left/current_value")" = 24.5 ]
}

# Refusals come back as errno: echo prints them.
test_echo_refused_with_errno() {
	local out

	out=$( (echo 99 >"$props/$hvac_left/current_value") 2>&1)
	grep -q 'Numerical result out of range' <<<"$out" || { echo "# $out"; return 1; }
	out=$( (echo X >"$props/$vin/current_value") 2>&1)
	grep -q 'Permission denied' <<<"$out" || { echo "# $out"; return 1; }
}

# poll() on current_value, as any program would: from Python's select.
test_poll_wakes_on_change() {
	local out

	out=$(/usr/bin/python3 - "$props/$gear/current_value" "$model" <<'EOF'
import os, select, signal, sys
f = open(sys.argv[1])
f.read()
p = select.poll()
p.register(f, select.POLLPRI | select.POLLERR)
os.kill(int(sys.argv[2]), signal.SIGUSR1)
events = p.poll(5000)
f.seek(0)
print("woken" if events else "timeout", f.read().strip())
EOF
	)
	[ "$out" = "woken 2" ] || { echo "# $out"; return 1; }
}

# Changes are uevents of the device naming property and area (ten a second).
test_udevadm_monitor_sees_changes() {
	local mon=$work/udevadm.log

	# the test VM runs the command in a chroot, which udevadm would refuse
	SYSTEMD_IGNORE_CHROOT=1 udevadm monitor --kernel --property --subsystem-match=virtio \
		>"$mon" 2>&1 &
	local pid=$!
	local end=$((SECONDS + 5))
	# a change every 0.3 s: the probe's events may have spent the second's uevents
	while [ "$SECONDS" -le "$end" ] && ! grep -q 'PROPERTY=0x11400400' "$mon"; do
		kill -USR1 "$model"
		sleep 0.3
	done
	kill "$pid"
	wait "$pid" 2>/dev/null
	if grep -q 'PROPERTY=0x11400400' "$mon" && grep -q 'AREA=0x00000000' "$mon" &&
		grep -q 'ACTION=change' "$mon"; then
		return 0
	fi
	sed 's/^/# /' "$mon"
	return 1
}

# A rate written subscribes; samples then wake readers; 0 ends it.
test_sample_rate_subscribes() {
	local events before after

	events=$(dirname "$props")/param/events
	echo 50 >"$props/$speed/sample_rate" || return 1
	[ "$(cat "$props/$speed/sample_rate")" = 50 ] || return 1
	before=$(cat "$events")
	sleep 1
	after=$(cat "$events")
	echo 0 >"$props/$speed/sample_rate" || return 1
	# 50 a second for a second, whatever TCG makes of it
	[ $((after - before)) -ge 10 ] || { echo "# $before -> $after events"; return 1; }
}

tap_run virtio-param cat_reads_values echo_sets_values echo_refused_with_errno \
	poll_wakes_on_change udevadm_monitor_sees_changes sample_rate_subscribes
