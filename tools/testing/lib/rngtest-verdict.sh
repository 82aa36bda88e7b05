# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by tests. rngtest_verdict LOG BLOCKS: whether the rngtest run
# that wrote LOG accepts the source, for BLOCKS blocks of 20,000 bits.
# About 1 block in 1,000 fails FIPS 140-2 by chance even for a perfect
# source, so a few failures are allowed. Prints "<successes> <failures>".

rngtest_allowed_failures=3

rngtest_verdict() {
	local log=$1 blocks=$2 successes failures

	failures=$(sed -n 's/.*FIPS 140-2 failures: \([0-9]*\).*/\1/p' "$log")
	successes=$(sed -n 's/.*FIPS 140-2 successes: \([0-9]*\).*/\1/p' "$log")
	echo "${successes:-0} ${failures:-?}"
	[ "${successes:-0}" -ge $((blocks - rngtest_allowed_failures)) ] &&
		[ "${failures:-99}" -le "$rngtest_allowed_failures" ]
}
