# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by the DKMS tests, from the project's top directory.
# dkms_declared_modules KVER KDIR: the modules dkms.conf declares for the
# kernel KVER built in KDIR, one a line, as DKMS reads them.
dkms_declared_modules() {
	kernelver=$1 kernel_source_dir=$2 dkms_tree=/nonexistent \
		bash -c '. ./dkms.conf; printf "%s\n" "${BUILT_MODULE_NAME[@]}"' | grep .
}
