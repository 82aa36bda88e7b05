# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by scripts that play a lab device with a vlab-* tool and use the
# node in /dev its driver makes.
#
# vlab_node TOOL LOG CLASS: wait up to 10 s until the device that TOOL
# announced in LOG ("TOOL: virtioN") has a node in /dev, made by its driver
# under the class CLASS (misc, watchdog). Sets vlab_vdev (virtioN) and
# vlab_dev (/dev/...). The sysfs entry comes before the node in /dev: the
# node itself is waited for.
# The limit is in time, not tries: a try costs several processes, which
# the debug kernel makes slow.
vlab_node() {
	local node end=$((SECONDS + 10))

	while [ "$SECONDS" -le "$end" ]; do
		vlab_vdev=$(sed -n "s/^$1: \(virtio[0-9]*\)$/\1/p" "$2")
		node=$(ls "/sys/bus/virtio/devices/$vlab_vdev/$3" 2>/dev/null || true)
		vlab_dev=/dev/$node
		[ -n "$vlab_vdev" ] && [ -n "$node" ] && [ -c "$vlab_dev" ] && return 0
		sleep 0.01
	done
	return 1
}
