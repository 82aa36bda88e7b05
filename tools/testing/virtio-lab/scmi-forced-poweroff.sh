#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A graceful shutdown request that userspace does not carry out in time:
# virtio_scmi_agent powers the machine off by itself, at three quarters of
# the request's timeout. A boot of its own, which the kernel ends; the
# command (the lab's platform, requesting a shutdown within 2 s) would run
# for a minute. TAP. Runs on the host: run-tests calls it with the kernel.
#
#   scmi-forced-poweroff.sh KVER

# The tests are called by name, from the list at the end.
# shellcheck disable=SC2317
set -uo pipefail
cd "$(dirname "$0")/../../.." || exit 1
# shellcheck source=tools/testing/lib/tap-tests.sh
. tools/testing/lib/tap-tests.sh

kver=${1:?usage: scmi-forced-poweroff.sh KVER}

test_graceful_shutdown_forced_in_time() {
	local out status

	out=$(tools/testing/vm/vm-run -k "$kver" -t 180 -m virtio_lab -m virtio_scmi_agent -- \
		timeout 60 build/tests/vlab-scmi --request shutdown --timeout 2000 2>&1)
	status=$?
	# init's shutdown path asked, then the kernel's own power-off
	if [ "$status" = 97 ] &&
		grep -q 'vm-init: poweroff requested' <<<"$out" &&
		grep -q 'graceful shutdown not done in time: forcing it' <<<"$out" &&
		grep -q 'reboot: Power down' <<<"$out"; then
		return 0
	fi
	echo "# vm-run exit $status:"
	tail -40 <<<"$out" | sed 's/^/# /'
	return 1
}

tap_run scmi-power graceful_shutdown_forced_in_time
