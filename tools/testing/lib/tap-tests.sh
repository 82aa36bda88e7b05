# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by test scripts whose tests are shell functions test_<name>.
# tap_run PREFIX NAME...: runs test_<NAME> for each, in order, as TAP
# ("ok N PREFIX: NAME (seconds)"), and returns 1 if one failed. A script
# may define before_test, run first for each test (when it fails, so does
# the test, unrun), and after_test, run after each.

tap_run() {
	local prefix=$1 n=0 status=0 t start

	shift
	echo "TAP version 13"
	echo "1..$#"
	for t in "$@"; do
		n=$((n + 1))
		if declare -F before_test >/dev/null && ! before_test; then
			echo "not ok $n $prefix: $t"
			status=1
			continue
		fi
		start=$(date +%s.%N)
		if "test_$t"; then
			echo "ok $n $prefix: $t ($(echo "$(date +%s.%N) - $start" | bc | cut -c1-5) s)"
		else
			echo "not ok $n $prefix: $t"
			status=1
		fi
		! declare -F after_test >/dev/null || after_test
	done
	return $status
}
