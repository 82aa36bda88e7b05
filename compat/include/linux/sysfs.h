/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stands first on the include path (compat/Kbuild.include): the kernel's
 * linux/sysfs.h, plus what the probes found missing.
 */
#include_next <linux/sysfs.h>

#ifndef VX_COMPAT_SYSFS_H
#define VX_COMPAT_SYSFS_H

/*
 * A binary attribute as sysfs hands it to its callbacks and lists it in a
 * group: const since the kernels after 6.12, writable before.
 */
#ifdef VX_HAVE_CONST_BIN_ATTRS
#define vx_bin_attribute const struct bin_attribute
#else
#define vx_bin_attribute struct bin_attribute
#endif

#endif /* VX_COMPAT_SYSFS_H */
