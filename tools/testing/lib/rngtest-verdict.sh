# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by tests. rngtest_verdict LOG BLOCKS: whether the rngtest run
# that wrote LOG accepts the source, for BLOCKS blocks of 20,000 bits.
# About 1 block in 1,000 fails FIPS 140-2 by chance even for a perfect
# source, so failures are Poisson with a mean near 1 per 1,000 blocks:
# 4 or more happen in about 2 % of good runs, more than 1 % of the
# blocks in fewer than one in 10^7. One failure more is allowed, so that a
# short run is not failed by chance: at 20 blocks, one good run in 50 has
# a failure, one in 5,000 two. A broken source (constant, repeating,
# biased) fails nearly every block. Prints "<successes> <failures>".

rngtest_verdict() {
	local log=$1 blocks=$2 successes failures allowed

	allowed=$((blocks / 100 + 1))
	failures=$(sed -n 's/.*FIPS 140-2 failures: \([0-9]*\).*/\1/p' "$log")
	successes=$(sed -n 's/.*FIPS 140-2 successes: \([0-9]*\).*/\1/p' "$log")
	echo "${successes:-0} ${failures:-?}"
	[ "${successes:-0}" -ge $((blocks - allowed)) ] &&
		[ "${failures:-$blocks}" -le "$allowed" ]
}
