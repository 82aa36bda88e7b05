# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by scripts inside a VM that make vhost-rng devices: on
# vhost_vdpa, or on virtio_vdpa for the host's own virtio_rng, behind
# /dev/hwrng.

# shellcheck source=tools/testing/vhost/vdpa-devices.sh
. tools/testing/vhost/vdpa-devices.sh

# rng_add NAME DRIVER: a new vhost-rng device, bound to DRIVER.
rng_add() {
	vdpa dev add name "$1" mgmtdev vhost_rng && bind "$1" "$2"
}

# hwrng_new BEFORE: a virtio_rng hwrng that is not in the list BEFORE.
hwrng_new() {
	local r

	# shellcheck disable=SC2013 # a list of words on one line
	for r in $(cat /sys/class/misc/hw_random/rng_available); do
		case " $1 " in
		*" $r "*) continue ;;
		esac
		case $r in
		virtio_rng*) echo "$r" && return 0 ;;
		esac
	done
	return 1
}

# hwrng_add NAME: rng_add NAME on virtio_vdpa, and make the virtio_rng
# hwrng it gets the current one. Sets hwrng.
hwrng_add() {
	local before

	before=$(cat /sys/class/misc/hw_random/rng_available)
	rng_add "$1" virtio_vdpa || return 1
	for _ in $(seq 200); do
		hwrng=$(hwrng_new "$before") && break
		sleep 0.02
	done
	[ -n "$hwrng" ] && echo "$hwrng" >/sys/class/misc/hw_random/rng_current
}
