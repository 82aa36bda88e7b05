/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stands first on the include path (compat/Kbuild.include): the kernel's
 * media/v4l2-ioctl.h, plus what the probes found missing.
 */
#include_next <media/v4l2-ioctl.h>

#ifndef VX_COMPAT_V4L2_IOCTL_H
#define VX_COMPAT_V4L2_IOCTL_H

/*
 * VX_V4L2_LEGACY_CTRLS(code): code, the ops of VIDIOC_QUERYCTRL, G_CTRL
 * and S_CTRL and their initializers, only where the core passes those
 * ioctls on; after 6.12 it turns them into the extended control ioctls.
 */
#ifdef VX_HAVE_VIDIOC_G_CTRL
#define VX_V4L2_LEGACY_CTRLS(...) __VA_ARGS__
#else
#define VX_V4L2_LEGACY_CTRLS(...)
#endif

#endif /* VX_COMPAT_V4L2_IOCTL_H */
