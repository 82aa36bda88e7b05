# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by scripts that read ALSA controls with amixer.
#
# amixer_value CARD NAME INDEX: what amixer reads of the control: the name
# of its item for an enumerated control, its value(s) for the others.
amixer_value() {
	local out v

	out=$(amixer -c "$1" cget "name='$2',index=$3")
	v=$(sed -n 's/^  : values=//p' <<<"$out")
	if grep -q 'type=ENUMERATED' <<<"$out"; then
		sed -n "s/^  ; Item #$v '\(.*\)'$/\1/p" <<<"$out"
	else
		echo "$v"
	fi
}

# card_of_virtio VDEV: the number of the ALSA card of virtio device VDEV,
# once its control device is in /dev; nothing before.
card_of_virtio() {
	local c

	for c in /sys/bus/virtio/devices/"$1"/sound/card*; do
		[ -c "/dev/snd/controlC${c##*/card}" ] && echo "${c##*/card}"
	done
}
