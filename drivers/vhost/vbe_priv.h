/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between the files of the back-end core: guest memory (vbe_mem.c), the
 * split ring (vbe_ring.c) and the worker (vbe_worker.c), used by the vDPA
 * plumbing (vbe_core.c).
 */

#ifndef _VBE_PRIV_H
#define _VBE_PRIV_H

#include <linux/virtio_config.h>

#include "vbe.h"

/* The driver set DRIVER_OK, and the device neither broke nor was suspended. */
static inline bool vbe_running(const struct vbe_device *dev)
{
	return (dev->status & (VIRTIO_CONFIG_S_DRIVER_OK |
			       VIRTIO_CONFIG_S_NEEDS_RESET)) ==
	       VIRTIO_CONFIG_S_DRIVER_OK && !dev->suspended;
}

int vbe_worker_init(struct vbe_device *dev);
void vbe_worker_exit(struct vbe_device *dev);
int vbe_worker_bind_owner(struct vbe_device *dev, struct mm_struct *mm);
void vbe_worker_unbind_owner(struct vbe_device *dev);
void vbe_worker_kick(struct vbe_device *dev);

int vbe_mem_read(struct vbe_device *dev, u64 addr, void *buf, size_t len);
int vbe_mem_write(struct vbe_device *dev, u64 addr, const void *buf,
		  size_t len);
int vbe_mem_set_map(struct vbe_device *dev, struct vhost_iotlb *iotlb);
void vbe_mem_reset_map(struct vbe_device *dev);
int vbe_mem_check(struct vbe_device *dev, u64 addr, u64 len, bool write);

void vbe_callback(const struct vdpa_callback *cb);
int vbe_mem_read16(struct vbe_device *dev, u64 addr, u16 *val);
int vbe_mem_write16(struct vbe_device *dev, u64 addr, u16 val);

int vbe_vq_check_layout(struct vbe_vq *vq);
void vbe_vq_start(struct vbe_vq *vq);
void vbe_vq_reset(struct vbe_vq *vq);
void vbe_vq_disable_kicks(struct vbe_vq *vq);
void vbe_vq_interrupt(struct vbe_vq *vq);

#endif /* _VBE_PRIV_H */
