# SPDX-License-Identifier: GPL-2.0
#
# Sourced by scripts inside a VM: entropy_hwrng_start crng|counter starts
# the lab's entropy model, fed from that source, in the background, and makes
# the stock virtio_rng driver's hwrng for it the one /dev/hwrng reads. Sets
# entropy_model (its pid) and entropy_rng (the hwrng's name); the model's
# output goes to $VX_SCRATCH/entropy.log. Returns 1 if no hwrng appeared.

entropy_hwrng_start() {
	# The model may be a counter: credit it no entropy.
	echo 0 >/sys/module/rng_core/parameters/default_quality 2>/dev/null
	local source=()

	[ "$1" = counter ] && source=(--counter)
	build/tests/vlab-entropy "${source[@]}" >"$VX_SCRATCH/entropy.log" 2>&1 &
	entropy_model=$!
	entropy_rng=
	for _ in $(seq 500); do
		entropy_rng=$(tr ' ' '\n' </sys/class/misc/hw_random/rng_available |
			grep virtio_rng | tail -n1)
		[ -n "$entropy_rng" ] && break
		sleep 0.01
	done
	[ -n "$entropy_rng" ] || return 1
	echo "$entropy_rng" >/sys/class/misc/hw_random/rng_current
}
