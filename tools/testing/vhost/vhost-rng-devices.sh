# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by scripts inside a VM that make vhost-rng devices with iproute2's
# vdpa tool and put them where they are wanted: on vhost_vdpa (a character
# device for a VMM or a test driver) or on virtio_vdpa (the host's own
# virtio_rng, behind /dev/hwrng).

# bind NAME DRIVER: a vDPA device probes with whichever driver comes
# first; move it to vhost_vdpa or virtio_vdpa.
bind() {
	local name=$1 drv=$2 dir=/sys/bus/vdpa/devices/$1 cur

	cur=$(basename "$(readlink "$dir/driver")" 2>/dev/null)
	[ "$cur" = "$drv" ] && return 0
	[ -z "$cur" ] || echo "$name" >"/sys/bus/vdpa/drivers/$cur/unbind" || return 1
	echo "$drv" >"$dir/driver_override" &&
		echo "$name" >/sys/bus/vdpa/drivers_probe &&
		[ "$(basename "$(readlink "$dir/driver")")" = "$drv" ]
}

# rng_add NAME DRIVER: a new vhost-rng device, bound to DRIVER.
rng_add() {
	vdpa dev add name "$1" mgmtdev vhost_rng && bind "$1" "$2"
}

# vhost_node NAME: its /dev/vhost-vdpa-N.
vhost_node() {
	local d

	for d in "/sys/bus/vdpa/devices/$1"/vhost-vdpa-*; do
		[ -e "$d" ] && echo "/dev/${d##*/}" && return 0
	done
	return 1
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
