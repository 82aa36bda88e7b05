/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For a vDPA parent: VX_VDPA_VQ_MAP_OP, the designated initializer of the
 * config op that says what performs a virtqueue's DMA, with this kernel's
 * name and signature. It calls VX_GET_VQ_MAP_IMPL, which the parent writes
 * with the newest one (get_vq_map, returning union virtio_map) and names
 * before including this file:
 *
 *	#define VX_GET_VQ_MAP_IMPL my_get_vq_map
 *	#include <vx-compat/vdpa_vq_map_op.h>
 */
#include <linux/vdpa.h>

#ifdef VX_HAVE_VIRTIO_MAP
#define VX_VDPA_VQ_MAP_OP .get_vq_map = VX_GET_VQ_MAP_IMPL
#else
static struct device *vx_get_vq_dma_dev(struct vdpa_device *vdpa, u16 idx)
{
	return VX_GET_VQ_MAP_IMPL(vdpa, idx).dma_dev;
}

#define VX_VDPA_VQ_MAP_OP .get_vq_dma_dev = vx_get_vq_dma_dev
#endif
