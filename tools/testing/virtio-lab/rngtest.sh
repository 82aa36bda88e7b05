#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rngtest (FIPS 140-2) on a large sample of /dev/hwrng, served by the stock
# virtio_rng driver from the lab's entropy model fed by the CRNG. TAP.
# Needs virtio_lab and virtio_rng loaded; run through vm-run.

set -uo pipefail
cd "$(dirname "$0")/../../.." || exit 1
blocks=1000
# a third on a slow kernel (vm-run): the verdict scales with the count
[ "${VX_SLOW_KERNEL:-0}" = 1 ] && blocks=300
# shellcheck source=tools/testing/lib/rngtest-verdict.sh
. tools/testing/lib/rngtest-verdict.sh

echo "TAP version 13"
echo "1..1"
# shellcheck source=tools/testing/virtio-lab/entropy-hwrng.sh
. tools/testing/virtio-lab/entropy-hwrng.sh
if ! entropy_hwrng_start crng; then
	sed 's/^/# /' "$VX_SCRATCH/entropy.log"
	echo "not ok 1 rngtest: no virtio_rng hwrng appeared"
	exit 1
fi
start=$(date +%s.%N)
head -c $((blocks * 2500 + 2500)) /dev/hwrng | rngtest -c "$blocks" >"$VX_SCRATCH/rngtest.log" 2>&1
end=$(date +%s.%N)
kill "$entropy_model"
wait "$entropy_model" 2>/dev/null
sed 's/^/# /' "$VX_SCRATCH/rngtest.log"
echo "# $((blocks * 2500)) bytes through $entropy_rng in $(echo "$end - $start" | bc) s"
if verdict=$(rngtest_verdict "$VX_SCRATCH/rngtest.log" "$blocks"); then
	echo "ok 1 rngtest accepts $blocks blocks from /dev/hwrng (successes, failures: $verdict)"
else
	echo "not ok 1 rngtest on /dev/hwrng: successes, failures: $verdict"
	exit 1
fi
