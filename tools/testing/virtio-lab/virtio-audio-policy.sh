#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# virtio_audio_policy against the lab's vehicle policy (vlab-audio-policy)
# through the tools a user has: amixer, alsactl monitor, and ALSA's own
# kselftest of every control, mixer-test. TAP. Needs virtio_lab and
# virtio_audio_policy loaded, and no other sound card; run through vm-run
# (run-tests does).

# The tests are called by name, from the list at the end.
# shellcheck disable=SC2317
set -uo pipefail
cd "$(dirname "$0")/../../.." || exit 1
# shellcheck source=tools/testing/lib/tap-tests.sh
. tools/testing/lib/tap-tests.sh
# shellcheck source=tools/testing/lib/amixer.sh
. tools/testing/lib/amixer.sh

work=${VX_SCRATCH:-/tmp}/virtio-audio-policy
rm -rf "$work"
mkdir -p "$work"
log=$work/model.log
model=
card=

before_test() {
	build/tests/vlab-audio-policy >"$log" 2>&1 &
	model=$!
	local vdev end=$((SECONDS + 10))

	while [ "$SECONDS" -le "$end" ]; do
		vdev=$(sed -n 's/^vlab-audio-policy: \(virtio[0-9]*\)$/\1/p' "$log")
		card=$(card_of_virtio "$vdev")
		[ -n "$vdev" ] && [ -n "$card" ] && return 0
		sleep 0.01
	done
	echo "# no card for '$vdev'"
	cat "$log"
	return 1
}

after_test() {
	kill "$model" 2>/dev/null
	wait "$model" 2>/dev/null
}

# ask USAGE ZONE REQUEST: amixer writes a Focus Request.
ask() {
	amixer -q -c "$card" cset "name='$1 Focus Request',index=$2" "$3"
}

# value NAME INDEX: what amixer reads of a control.
value() {
	amixer_value "$card" "$1" "$2"
}

# expect NAME INDEX WANT: the control reads WANT within 5 s.
expect() {
	local got end=$((SECONDS + 5))

	while [ "$SECONDS" -le "$end" ]; do
		got=$(value "$1" "$2")
		[ "$got" = "$3" ] && return 0
		sleep 0.05
	done
	echo "# $1 ($2): '$got', not '$3'"
	return 1
}

# ALSA's kselftest: every control read, named, written with valid and
# invalid values, its events neither missing nor spurious.
test_mixer_test() {
	local out=$work/mixer-test.log

	build/tests/mixer-test >"$out" 2>&1
	if grep -q '^# Totals: pass:[1-9][0-9]* fail:0 ' "$out" &&
		grep -q 'AudioPolicy' "$out"; then
		grep '^# Totals' "$out"
		return 0
	fi
	grep -E '^not ok|^# Totals|Bail' "$out" | sed 's/^/# /'
	return 1
}

test_amixer_lists_the_controls() {
	local out

	out=$(amixer -c "$card" controls)
	if grep -q "name='Media Focus Request',index=1" <<<"$out" &&
		grep -q "name='Emergency Focus State'" <<<"$out" &&
		grep -q "name='Jack Mute',index=1" <<<"$out" &&
		[ "$(value 'Zone Name' 0)" = Front ]; then
		return 0
	fi
	printf '# %s\n' "$out"
	return 1
}

test_emergency_preempts_media() {
	ask Media 0 Gain && expect 'Media Focus State' 0 Gain &&
		ask Emergency 0 'Gain Transient' && expect 'Emergency Focus State' 0 Gain &&
		expect 'Media Focus State' 0 'Loss Transient' &&
		ask Emergency 0 None && expect 'Media Focus State' 0 Gain
}

test_navigation_ducks_media() {
	ask Media 0 Gain && ask Navigation 0 'May Duck' &&
		expect 'Media Focus State' 0 'Can Duck' && expect 'Stream Duck' 0 on &&
		expect 'Stream Policy Reasons' 0 16 &&
		ask Navigation 0 None && expect 'Media Focus State' 0 Gain &&
		expect 'Stream Duck' 0 off
}

test_call_is_exclusive() {
	ask Media 0 Gain && ask Call 0 Exclusive && expect 'Media Focus State' 0 'Loss Transient' &&
		ask Navigation 0 'May Duck' && expect 'Navigation Focus State' 0 Denied &&
		ask Call 0 None && expect 'Media Focus State' 0 Gain
}

# alsactl monitor prints each change of a Focus State and of a gain limit.
test_alsactl_monitor_sees_changes() {
	local mon=$work/monitor.log pid end=$((SECONDS + 5))

	alsactl monitor "hw:$card" >"$mon" 2>&1 &
	pid=$!
	sleep 0.5
	ask Media 0 Gain
	ask Navigation 0 'May Duck'
	kill -USR1 "$model"
	while [ "$SECONDS" -le "$end" ] && ! grep -q 'Stream Gain Limit' "$mon"; do
		sleep 0.05
	done
	kill "$pid"
	wait "$pid" 2>/dev/null
	if grep -q 'Media Focus State' "$mon" && grep -q 'Stream Duck' "$mon" &&
		[ "$(value 'Stream Gain Limit' 0)" = 50 ]; then
		return 0
	fi
	sed 's/^/# /' "$mon"
	return 1
}

tap_run virtio-audio-policy mixer_test amixer_lists_the_controls emergency_preempts_media \
	navigation_ducks_media call_is_exclusive alsactl_monitor_sees_changes
