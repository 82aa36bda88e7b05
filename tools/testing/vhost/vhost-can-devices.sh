# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by scripts inside a VM that make vhost-can devices: a vcan bus,
# and a device on it on vhost_vdpa or on virtio_vdpa.

# shellcheck source=tools/testing/vhost/vdpa-devices.sh
. tools/testing/vhost/vdpa-devices.sh

# bus_add IF: a vcan interface carrying CAN FD, up.
bus_add() {
	ip link add dev "$1" type vcan && ip link set "$1" mtu 72 up
}

# can_add NAME IF DRIVER: a vhost-can device on IF allowing every ID, on
# DRIVER. Bound before a driver probes it: drivers probe with what the
# device offers, which depends on its interface.
can_add() {
	local ok=0

	echo 0 >/sys/bus/vdpa/drivers_autoprobe
	vdpa dev add name "$1" mgmtdev vhost_can &&
		echo "$2" >"/sys/bus/vdpa/devices/$1/netdev" &&
		echo 0:0 >"/sys/bus/vdpa/devices/$1/tx_allow" &&
		echo 0:0 >"/sys/bus/vdpa/devices/$1/rx_allow" &&
		bind "$1" "$3" && ok=1
	echo 1 >/sys/bus/vdpa/drivers_autoprobe
	[ "$ok" = 1 ]
}

# guest_if NAME IF: sets canif to the virtio_can interface of device NAME,
# bound to IF, once it appears, and brings it up.
guest_if() {
	for _ in $(seq 200); do
		canif=$(ls "/sys/bus/vdpa/devices/$1"/virtio*/net 2>/dev/null) &&
			[ -n "$canif" ] && break
		sleep 0.02
	done
	echo "# $1: $canif on $2"
	[ -n "$canif" ] && ip link set "$canif" up
}

# guest_add NAME IF: can_add NAME IF on virtio_vdpa, and guest_if.
guest_add() {
	can_add "$1" "$2" virtio_vdpa && guest_if "$1" "$2"
}
