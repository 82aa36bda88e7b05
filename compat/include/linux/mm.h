/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stands first on the include path (compat/Kbuild.include): the kernel's
 * linux/mm.h, plus what the probes found missing.
 */
#include_next <linux/mm.h>

#ifndef VX_COMPAT_MM_H
#define VX_COMPAT_MM_H

#ifndef VX_HAVE_VM_FLAGS_CLEAR
/* 6.3 made vm_flags read-only outside these helpers. */
static inline void vm_flags_set(struct vm_area_struct *vma,
				unsigned long flags)
{
	vma->vm_flags |= flags;
}

static inline void vm_flags_clear(struct vm_area_struct *vma,
				  unsigned long flags)
{
	vma->vm_flags &= ~flags;
}
#endif

#endif /* VX_COMPAT_MM_H */
