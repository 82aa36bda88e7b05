# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# A CAN controller's state as ip(8) shows it, and waiting for one. Sourced.

# can_state IF: the state (ERROR-ACTIVE, BUS-OFF ...).
can_state() {
	ip -details link show "$1" | sed -n 's/.* state \([A-Z-]*\) .*restart-ms.*/\1/p'
}

# can_wait_state IF STATE: wait up to 5 s for it.
can_wait_state() {
	for _ in $(seq 250); do
		[ "$(can_state "$1")" = "$2" ] && return 0
		sleep 0.02
	done
	echo "# $1 is $(can_state "$1"), not $2"
	return 1
}
