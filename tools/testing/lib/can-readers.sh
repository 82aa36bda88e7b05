# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Readers of CAN frames started in the background (candump, cansequence
# -r, canfdtest as the device under test) receive only once their socket
# is bound: a frame sent before is theirs to miss. On a slow kernel (the
# debug kernel under TCG) that takes longer than any fixed pause, so the
# tests wait for the reader's receivers, as /proc/net/can lists them.
# Sourced.

# can_raw_receivers: receivers of CAN_RAW sockets, on every CAN interface.
can_raw_receivers() {
	cat /proc/net/can/rcvlist_* 2>/dev/null | grep -c ' raw$'
}

# can_reader_ready BEFORE: wait (10 s at most) until more CAN_RAW
# receivers are registered than BEFORE, read before starting the reader.
can_reader_ready() {
	local before=$1

	for _ in $(seq 500); do
		[ "$(can_raw_receivers)" -gt "$before" ] && return 0
		sleep 0.02
	done
	echo "# no CAN reader bound in 10 s"
	return 1
}
