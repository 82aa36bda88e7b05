/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stands first on the include path (compat/Kbuild.include): the kernel's
 * linux/vdpa.h, plus what the probes found missing.
 */
#include_next <linux/vdpa.h>

#ifndef VX_COMPAT_VDPA_H
#define VX_COMPAT_VDPA_H

#ifdef VX_HAVE_VIRTIO_MAP
/* The device that performs a vDPA device's DMA (an lvalue). */
#define vx_vdpa_dma_dev(vdpa) ((vdpa)->vmap.dma_dev)
#else
#define vx_vdpa_dma_dev(vdpa) ((vdpa)->dma_dev)

struct virtio_map_ops;

/* No map operations: the DMA API maps on the DMA device. */
static inline struct vdpa_device *
vx_compat_vdpa_alloc_device(struct device *parent,
			    const struct vdpa_config_ops *config,
			    const struct virtio_map_ops *map,
			    unsigned int ngroups, unsigned int nas, size_t size,
			    const char *name, bool use_va)
{
	return __vdpa_alloc_device(parent, config, ngroups, nas, size, name,
				   use_va);
}

#define __vdpa_alloc_device vx_compat_vdpa_alloc_device
#endif

#endif /* VX_COMPAT_VDPA_H */
