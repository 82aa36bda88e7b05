# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by scripts inside a VM that make vhost-i2c devices: a device on
# a host adapter, for a VMM on vhost_vdpa or for Linux's i2c-virtio
# through virtio_vdpa.

# shellcheck source=tools/testing/vhost/vdpa-devices.sh
. tools/testing/vhost/vdpa-devices.sh

# adapter_named NAME: the host adapter whose name is NAME, as i2c-N.
adapter_named() {
	grep -lx "$1" /sys/bus/i2c/devices/i2c-*/name 2>/dev/null |
		sed -n 's|.*/\(i2c-[0-9]*\)/name|\1|p' | head -n 1
}

# i2c_add NAME ADAPTER ALLOW DRIVER: a vhost-i2c device on host ADAPTER
# that allows ALLOW, on DRIVER.
i2c_add() {
	local ok=0

	echo 0 >/sys/bus/vdpa/drivers_autoprobe
	vdpa dev add name "$1" mgmtdev vhost_i2c &&
		echo "$2" >"/sys/bus/vdpa/devices/$1/adapter" &&
		echo "$3" >"/sys/bus/vdpa/devices/$1/allow" &&
		bind "$1" "$4" && ok=1
	echo 1 >/sys/bus/vdpa/drivers_autoprobe
	[ "$ok" = 1 ]
}

# guest_add NAME ADAPTER ALLOW: i2c_add NAME ADAPTER ALLOW on virtio_vdpa;
# sets bus to the number of the guest's adapter (i2c-virtio's).
guest_add() {
	local dir

	i2c_add "$1" "$2" "$3" virtio_vdpa || return 1
	for _ in $(seq 200); do
		dir=$(ls -d "/sys/bus/vdpa/devices/$1"/virtio*/i2c-* 2>/dev/null) && break
		sleep 0.02
	done
	bus=${dir##*/i2c-}
	echo "# $1: i2c-$bus (i2c-virtio) on $2 ($(cat "/sys/bus/i2c/devices/$2/name"))"
	[ -n "$bus" ] && [ -e "/dev/i2c-$bus" ]
}
