# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# Sourced by the scripts and make rules that run something for each
# installed kernel (so plain sh, as make's shell is).
#
# vx_kernels [--bootable] [--no-debug]: print, one a line in version order,
# the kernels with a build tree in /lib/modules (those modules can be built
# for); --bootable keeps those with an image in /boot, --no-debug drops
# kernels built with the memory checkers (the debug kernel), for benchmarks
# and demonstrations. VX_KERNELS, when set, keeps only the releases it
# names or matches (shell patterns, separated by spaces).

# vx_kernel_has KVER SYMBOL: the kernel was built with SYMBOL (=y or =m).
vx_kernel_has() {
	grep -qsE "^$2=[ym]" "/lib/modules/$1/build/.config"
}

vx_kernels() {
	local bootable=0 no_debug=0 d k pattern keep

	while [ $# -gt 0 ]; do
		case $1 in
		--bootable) bootable=1 ;;
		--no-debug) no_debug=1 ;;
		esac
		shift
	done
	for d in /lib/modules/*/build; do
		[ -e "$d/Makefile" ] || continue
		k=$(basename "$(dirname "$d")")
		[ "$bootable" = 0 ] || [ -e "/boot/vmlinuz-$k" ] || continue
		[ "$no_debug" = 0 ] || ! vx_kernel_has "$k" CONFIG_KASAN || continue
		if [ -n "${VX_KERNELS:-}" ]; then
			keep=0
			for pattern in $VX_KERNELS; do
				# shellcheck disable=SC2254 # a pattern, on purpose
				case $k in $pattern) keep=1 ;; esac
			done
			[ "$keep" = 1 ] || continue
		fi
		echo "$k"
	done | sort -V
}

# vx_once_kernel: the kernel a run gives what is the same on every kernel
# (the runner's own logic, the media relay's V4L2 plumbing): the newest
# booted without the memory checkers, else the newest booted.
vx_once_kernel() {
	local k

	k=$(vx_kernels --bootable --no-debug | tail -n 1)
	[ -n "$k" ] || k=$(vx_kernels --bootable | tail -n 1)
	echo "$k"
}
