#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# virtio_watchdog against the lab's watchdog device through tools written
# elsewhere: the kernel's watchdog-test (built from linux-source) and wdctl
# from util-linux. The model records expiry instead of resetting the VM.
# TAP. Needs virtio_lab and virtio_watchdog loaded; run through vm-run
# (run-tests does).

# The tests are called by name, from the list at the end.
# shellcheck disable=SC2317
set -uo pipefail
cd "$(dirname "$0")/../../.." || exit 1
# shellcheck source=tools/testing/lib/tap-tests.sh
. tools/testing/lib/tap-tests.sh
# shellcheck source=tools/testing/lib/vlab-node.sh
. tools/testing/lib/vlab-node.sh

work=${VX_SCRATCH:-/tmp}/virtio-watchdog
rm -rf "$work"
mkdir -p "$work"
log=$work/model.log
wdt_test=build/tests/watchdog-test
model=
vdev=
dev=
# The kernel's pretimeout governor that logs the event.
modprobe pretimeout_noop

# wdt_start [vlab-watchdog options]: play a device; sets model, vdev, dev.
wdt_start() {
	build/tests/vlab-watchdog "$@" >"$log" 2>&1 &
	model=$!
	if ! vlab_node vlab-watchdog "$log" watchdog; then
		echo "# no /dev/watchdogN for '$vlab_vdev'"
		cat "$log"
		return 1
	fi
	vdev=$vlab_vdev
	dev=$vlab_dev
}

wdt_stop() {
	[ -n "$model" ] || return 0
	kill "$model" 2>/dev/null
	wait "$model" 2>/dev/null
	model=
}

# Each test marks the kernel log where it begins.
mark=
before_test() {
	mark="virtio-watchdog.sh: test $$.$SECONDS.$RANDOM begins"
	echo "$mark" >/dev/kmsg
}

after_test() {
	wdt_stop
}

# logged REGEX: the kernel logged a line matching REGEX since the mark. Read
# whole (grep -c): grep -q ending a pipe early fails it under pipefail.
logged() {
	dmesg >"$work/dmesg"
	sed -n "/$mark/,\$p" "$work/dmesg" | grep -cE "$1" >/dev/null
}

# said TEXT: the model printed a line with TEXT.
said() {
	grep -q "^vlab-watchdog: $1" "$log"
}

# wait_said TEXT SECONDS: the model prints TEXT within SECONDS.
wait_said() {
	local _

	for _ in $(seq $(($2 * 10))); do
		said "$1" && return 0
		sleep 0.1
	done
	echo "# the model did not say '$1' in $2 s:"
	sed 's/^/#   /' "$log"
	return 1
}

# line_of TEXT: the number of the model's first line with TEXT.
line_of() {
	grep -n -m1 "^vlab-watchdog: $1" "$log" | cut -d: -f1
}

# run_wdt ARGS: watchdog-test on the device; its output in $work/out.
run_wdt() {
	"$wdt_test" -f "$dev" "$@" >"$work/out" 2>&1
}

# printed TEXT: watchdog-test printed TEXT.
printed() {
	grep -qF "$1" "$work/out" || { echo "# no '$1' in:"; sed 's/^/#   /' "$work/out"; return 1; }
}

# printed_re REGEX: watchdog-test or wdctl printed a line matching REGEX.
printed_re() {
	grep -qE "$1" "$work/out" || { echo "# no /$1/ in:"; sed 's/^/#   /' "$work/out"; return 1; }
}

# Hold the watchdog open, pinged every second, in the background: sets pinger.
pinger=
ping_start() {
	"$wdt_test" -f "$dev" "$@" -p 1 >"$work/pinger.out" 2>&1 &
	pinger=$!
}

# ping_kill SIGNAL: TERM closes with the magic character, KILL without.
ping_kill() {
	kill "-$1" "$pinger"
	wait "$pinger" 2>/dev/null
	pinger=
}

test_wdctl_shows_the_device() {
	wdt_start --boot-status 1 || return 1
	wdctl "$dev" >"$work/out" 2>&1 || { printed wdctl; return 1; }
	# wdctl opens it, which starts it, and closes it with the magic character.
	printed_re "Identity: *virtio watchdog" &&
		printed_re "Timeout: *30 seconds" &&
		printed_re "Timeleft: *[0-9]+ seconds" &&
		printed_re "CARDRESET .* 1 +1$" &&
		printed PRETIMEOUT &&
		said started && said stopped
}

# Setting the pretimeout restarts the countdown, and the read that follows can
# come within the same millisecond: 7 s left is as right as 6.
test_watchdog_test_options() {
	wdt_start --boot-status 1 --max-pretimeout 3000 || return 1
	run_wdt -i -b -T -t 7 -T -n 3 -N -L -d -e -d &&
		printed " identity:		virtio watchdog" &&
		printed "Support/Status: Set timeout (in seconds)" &&
		printed "Support/Status: Pretimeout (in seconds), get/set" &&
		printed "Last boot is caused by: Card previously reset the CPU" &&
		printed "WDIOC_GETTIMEOUT returns 30 seconds." &&
		printed "WDIOC_GETTIMEOUT returns 7 seconds." &&
		printed "WDIOC_GETPRETIMEOUT returns 3 seconds." &&
		printed_re "WDIOC_GETTIMELEFT returns [67] seconds\.$" &&
		printed "Watchdog card disabled." &&
		printed "Watchdog card enabled." &&
		said "set timeout=7000 pretimeout=0 running=1" &&
		said "set timeout=7000 pretimeout=3000 running=1" &&
		said stopped && said "started timeout=7000 pretimeout=3000"
}

test_no_expiry_while_pinged() {
	wdt_start || return 1
	ping_start -t 2
	sleep 5
	ping_kill TERM
	said "set timeout=2000" && said stopped || return 1
	! said expired || { echo "# expired while pinged"; return 1; }
}

test_expiry_when_pings_stop() {
	wdt_start || return 1
	ping_start -t 2
	sleep 1.5
	# Closed without the magic character: the timer runs on, unpinged.
	ping_kill KILL
	wait_said "expired after 2000 ms without a ping" 5 || return 1
	logged "watchdog did not stop!"
}

test_magic_close_stops() {
	wdt_start || return 1
	ping_start -t 2
	sleep 1.5
	ping_kill TERM
	said stopped || return 1
	sleep 3
	! said expired || { echo "# expired after a magic close"; return 1; }
}

test_pretimeout_before_expiry() {
	local pre exp

	wdt_start || return 1
	ping_start -t 3 -n 1
	sleep 1
	ping_kill KILL
	wait_said "expired after 3000 ms" 6 || return 1
	pre=$(line_of "pretimeout sent") exp=$(line_of expired)
	if [ -z "$pre" ] || [ "$pre" -gt "$exp" ]; then
		echo "# no pretimeout event before expiry"
		sed 's/^/#   /' "$log"
		return 1
	fi
	# The noop governor logged it.
	logged "watchdog[0-9]+: pretimeout event"
}

test_timeouts_out_of_range_refused() {
	wdt_start --min 2000 --max 10000 --max-pretimeout 3000 || return 1
	run_wdt -T -t 1 -t 11 -n 4 -T -t 2 -T
	printed "WDIOC_GETTIMEOUT returns 10 seconds." &&
		[ "$(grep -c "WDIOC_SETTIMEOUT error 'Invalid argument'" "$work/out")" = 2 ] &&
		printed "WDIOC_SETPRETIMEOUT error 'Invalid argument'" &&
		printed "WDIOC_GETTIMEOUT returns 2 seconds." &&
		! said "refused"
}

# The timeout parameter (read at probe) goes through the watchdog core: a
# value the device takes is used; one it does not is refused with a
# message, not clamped. (Earlier tests leave the module pinned by a
# watchdog that cannot stop, so it is set, not loaded again.)
timeout_param=/sys/module/virtio_watchdog/parameters/timeout

# timeout_with SECONDS: a device of 2 to 10 s probed with that parameter,
# shown by wdctl.
timeout_with() {
	wdt_stop
	echo "$1" >"$timeout_param" &&
		wdt_start --min 2000 --max 10000 --max-pretimeout 3000 &&
		wdctl "$dev" >"$work/out" 2>&1
}

test_timeout_parameter() {
	local status

	timeout_with 9 && printed_re "Timeout: *9 seconds" &&
		timeout_with 60 && printed_re "Timeout: *10 seconds" &&
		logged "driver supplied timeout \(60\) out of range"
	status=$?
	echo 0 >"$timeout_param"
	return $status
}

test_nowayout_cannot_be_stopped() {
	wdt_start --features control,nowayout,timeleft || return 1
	# Set 2 s, then try to disable it and close it with the magic character.
	run_wdt -t 2 -d
	printed "WDIOS_DISABLECARD error 'Device or resource busy'" || return 1
	! said stopped || { echo "# stopped under nowayout"; return 1; }
	wait_said "expired after 2000 ms" 5 || return 1
	logged "nowayout prevents watchdog being stopped"
}

# Cloud Hypervisor's protocol: fixed 15 s, no stop, the kernel pings on.
test_cloud_hypervisor_protocol() {
	local pings ms

	wdt_start --basic || return 1
	run_wdt -i -T -t 5
	printed "WDIOC_GETTIMEOUT returns 15 seconds." &&
		printed "WDIOC_SETTIMEOUT error 'Operation not supported'" || return 1
	! grep -q "Set timeout" "$work/out" || { echo "# settable timeout"; return 1; }
	said "started basic" || return 1
	# Closed with the magic character, it cannot stop: the kernel pings it.
	pings=$(grep -c pinged "$log")
	sleep 9
	[ "$(grep -c pinged "$log")" -gt "$pings" ] ||
		{ echo "# no ping from the kernel after the close"; return 1; }
	# Unbound, nobody pings: expiry 20 s after the last ping, at a 15 s check.
	echo "$vdev" >/sys/bus/virtio/drivers/virtio_watchdog/unbind || return 1
	wait_said "expired after" 40 || return 1
	ms=$(sed -n 's/^vlab-watchdog: expired after \([0-9]*\) ms.*/\1/p' "$log")
	if [ "$ms" -le 20000 ] || [ "$ms" -gt 35000 ]; then
		echo "# expired after $ms ms, not 20 to 35 s after the last ping"
		return 1
	fi
}

test_removal_while_open() {
	wdt_start || return 1
	ping_start -t 5
	sleep 1.5
	# An orderly removal of the device under the open file.
	wdt_stop
	[ ! -e "$dev" ] || { echo "# $dev is still there"; return 1; }
	kill -0 "$pinger" || { echo "# watchdog-test died"; return 1; }
	ping_kill TERM
}

tap_run virtio-watchdog wdctl_shows_the_device watchdog_test_options \
	no_expiry_while_pinged expiry_when_pings_stop magic_close_stops \
	pretimeout_before_expiry timeouts_out_of_range_refused timeout_parameter \
	nowayout_cannot_be_stopped cloud_hypervisor_protocol removal_while_open
