/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stands first on the include path (compat/Kbuild.include): the kernel's
 * media/v4l2-fh.h, plus what the probes found missing.
 */
#include_next <media/v4l2-fh.h>

#ifndef VX_COMPAT_V4L2_FH_H
#define VX_COMPAT_V4L2_FH_H

#ifndef VX_HAVE_FILE_TO_V4L2_FH
/* The file handle of an open file, wherever the core keeps it. */
static inline struct v4l2_fh *file_to_v4l2_fh(struct file *file)
{
	return file->private_data;
}
#endif

#ifndef VX_HAVE_V4L2_FH_ADD_FILE
/* Before v4l2_fh_add() and v4l2_fh_del() took the file (after 6.12). */
static inline void vx_compat_v4l2_fh_add(struct v4l2_fh *fh, struct file *file)
{
	file->private_data = fh;
	v4l2_fh_add(fh);
}

static inline void vx_compat_v4l2_fh_del(struct v4l2_fh *fh, struct file *file)
{
	v4l2_fh_del(fh);
	file->private_data = NULL;
}

#define v4l2_fh_add vx_compat_v4l2_fh_add
#define v4l2_fh_del vx_compat_v4l2_fh_del
#endif

#endif /* VX_COMPAT_V4L2_FH_H */
