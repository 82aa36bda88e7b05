# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# What a guest of a vhost-i2c device on the test adapter (vx_test_i2c,
# the EEPROM at 0x50 allowed with 0x30) checks on its i2c-virtio adapter,
# whether the guest is this kernel's virtio_vdpa or a VMM's guest. Sourced.

# i2c_tools_check BUS: repeated START reads, SMBus emulation, and
# i2cdetect seeing exactly the allowed targets that answer.
i2c_tools_check() {
	local out

	out=$(i2ctransfer -y "$1" w1@0x50 0x10 r4) && echo "# i2ctransfer: $out" &&
		[ "$out" = "0x10 0x11 0x12 0x13" ] || return 1
	i2cset -y "$1" 0x50 0x20 0xab && out=$(i2cget -y "$1" 0x50 0x20) &&
		echo "# i2cset then i2cget: $out" && [ "$out" = 0xab ] || return 1
	out=$(i2cdetect -y -q "$1") || return 1
	printf '%s\n' "$out" | sed 's/^/# /'
	[ "$(grep -oE ' [0-9a-f]{2}' <<<"$out" | tr -d '\n')" = " 30 50" ] || return 1
	# there is a target at 0x51? nobody knows: it is not allowed
	! i2cget -y "$1" 0x51 0x00 2>/dev/null
}

# at24_check BUS: the kernel's at24 driver reads the EEPROM through its
# eeprom file and writes "virtio" at 0x60, for the host to find there.
at24_check() {
	local eeprom=/sys/bus/i2c/devices/$1-0050/eeprom out

	echo 24c02 0x50 >"/sys/bus/i2c/devices/i2c-$1/new_device" || return 1
	for _ in $(seq 100); do
		[ -e "$eeprom" ] && break
		sleep 0.05
	done
	out=$(od -An -tx1 -j 0x40 -N 4 "$eeprom" | tr -d ' ')
	echo "# at24 read at 0x40: $out"
	[ "$out" = 40414243 ] || return 1
	printf 'virtio' | dd of="$eeprom" bs=1 seek=$((0x60)) conv=notrunc status=none || return 1
	echo 0x50 >"/sys/bus/i2c/devices/i2c-$1/delete_device"
}

# at24_written HOST_ADAPTER: the host's adapter (i2c-N) finds at 0x60 what
# at24_check wrote.
at24_written() {
	local out

	out=$(i2ctransfer -y "${1#i2c-}" w1@0x50 0x60 r6)
	echo "# the host's adapter reads at 0x60: $out"
	[ "$out" = "0x76 0x69 0x72 0x74 0x69 0x6f" ]
}
