#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# virtio_rpmb against the lab's RPMB device through mmc-utils, unchanged:
# "mmc rpmb write-key / read-counter / write-block / read-block" on
# /dev/vrpmbN as on an eMMC's /dev/mmcblkNrpmb. TAP. Needs virtio_lab and
# virtio_rpmb loaded; run through vm-run (run-tests does).

# The tests are called by name, from the list at the end.
# shellcheck disable=SC2317
set -uo pipefail
cd "$(dirname "$0")/../../.." || exit 1
# shellcheck source=tools/testing/lib/tap-tests.sh
. tools/testing/lib/tap-tests.sh
# shellcheck source=tools/testing/lib/vlab-node.sh
. tools/testing/lib/vlab-node.sh

work=${VX_SCRATCH:-/tmp}/virtio-rpmb
rm -rf "$work"
mkdir -p "$work"
state=$work/state
key=$work/key
model=
dev=
# One 128 KiB unit: blocks 0 to 511. Reads of at most 8 blocks.
capacity_blocks=512
max_rd=8

head -c 32 /dev/urandom >"$key"
head -c 32 /dev/urandom >"$work/wrong-key"

# rpmb_start: play the device on $state; sets model (pid) and dev (/dev/vrpmbN).
rpmb_start() {
	build/tests/vlab-rpmb --state "$state" --capacity 1 --max-wr 4 \
		--max-rd "$max_rd" >"$work/model.log" 2>&1 &
	model=$!
	if ! vlab_node vlab-rpmb "$work/model.log" misc; then
		echo "# no /dev/vrpmbN for '$vlab_vdev'"
		cat "$work/model.log"
		return 1
	fi
	dev=$vlab_dev
}

rpmb_stop() {
	kill "$model" 2>/dev/null
	wait "$model" 2>/dev/null
	model=
}

# counter_is N: mmc rpmb read-counter prints N.
counter_is() {
	local out

	out=$(mmc rpmb read-counter "$dev") || { echo "# read-counter: $out"; return 1; }
	[ "$out" = "$(printf 'Counter value: 0x%08x' "$1")" ] ||
		{ echo "# read-counter: '$out', expected $1"; return 1; }
}

# block FILE CHAR: 256 bytes of CHAR.
block() {
	head -c 256 /dev/zero | tr '\0' "$2" >"$1"
}

# read_blocks ADDRESS COUNT [KEY]: mmc rpmb read-block into $work/out.
read_blocks() {
	rm -f "$work/out"
	mmc rpmb read-block "$dev" "$1" "$2" "$work/out" "${@:3}"
}

# fails_with CODE CMD...: CMD fails, reporting RPMB result CODE.
fails_with() {
	local code=$1 out

	shift
	if out=$("$@" 2>&1); then
		echo "# '$*' succeeded: $out"
		return 1
	fi
	grep -q "retcode $code" <<<"$out" || { echo "# '$*': $out, expected retcode $code"; return 1; }
}

test_sysfs_limits() {
	local sys=/sys/class/misc/${dev#/dev/}

	[ "$(cat "$sys/capacity")" = $((capacity_blocks * 256)) ] &&
		[ "$(cat "$sys/max_wr_cnt")" = 4 ] &&
		[ "$(cat "$sys/max_rd_cnt")" = "$max_rd" ]
}

test_no_key_yet() {
	fails_with 0x0007 mmc rpmb read-counter "$dev"
}

test_write_key() {
	mmc rpmb write-key "$dev" "$key" && counter_is 0
}

test_second_key_refused() {
	fails_with 0x0005 mmc rpmb write-key "$dev" "$work/wrong-key" && counter_is 0
}

test_authenticated_write_and_read() {
	block "$work/a" a
	mmc rpmb write-block "$dev" 0x02 "$work/a" "$key" &&
		counter_is 1 &&
		read_blocks 0x02 1 "$key" &&
		cmp "$work/a" "$work/out"
}

test_counter_advances_by_one() {
	local i

	block "$work/b" b
	for i in 1 2 3; do
		mmc rpmb write-block "$dev" 0x03 "$work/b" "$key" || return 1
		counter_is $((1 + i)) || return 1
	done
}

# Two blocks, one MAC over both frames, checked by mmc-utils.
test_multi_block_read() {
	read_blocks 0x02 2 "$key" &&
		cat "$work/a" "$work/b" | cmp - "$work/out"
}

test_wrong_key_writes_nothing() {
	block "$work/c" c
	fails_with 0x0002 mmc rpmb write-block "$dev" 0x02 "$work/c" "$work/wrong-key" &&
		counter_is 4 &&
		read_blocks 0x02 1 "$key" &&
		cmp "$work/a" "$work/out"
}

test_out_of_range() {
	fails_with 0x0004 read_blocks "$capacity_blocks" 1 &&
		fails_with 0x0004 mmc rpmb read-block "$dev" $((capacity_blocks - 1)) 2 "$work/out" &&
		fails_with 0x0004 mmc rpmb write-block "$dev" "$capacity_blocks" "$work/c" "$key" &&
		counter_is 4
}

# More blocks than the device reads at once: refused before the device.
test_read_over_limit() {
	local out

	if out=$(mmc rpmb read-block "$dev" 0 $((max_rd + 1)) "$work/out" 2>&1); then
		echo "# read of $((max_rd + 1)) blocks succeeded"
		return 1
	fi
	grep -q "RPMB ioctl failed: Invalid argument" <<<"$out" ||
		{ echo "# $out"; return 1; }
}

test_state_survives_recreation() {
	rpmb_stop
	rpmb_start &&
		counter_is 4 &&
		read_blocks 0x02 2 "$key" &&
		cat "$work/a" "$work/b" | cmp - "$work/out" &&
		fails_with 0x0005 mmc rpmb write-key "$dev" "$key"
}

rpmb_start || exit 1
tap_run virtio-rpmb sysfs_limits no_key_yet write_key second_key_refused \
	authenticated_write_and_read counter_advances_by_one multi_block_read \
	wrong_key_writes_nothing out_of_range read_over_limit \
	state_survives_recreation
status=$?
rpmb_stop
exit $status
