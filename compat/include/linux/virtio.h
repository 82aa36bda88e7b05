/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stands first on the include path (compat/Kbuild.include): the kernel's
 * linux/virtio.h, plus what the probes found missing.
 */
#include_next <linux/virtio.h>

#ifndef VX_COMPAT_VIRTIO_H
#define VX_COMPAT_VIRTIO_H

#ifndef VX_HAVE_VIRTQUEUE_RECYCLE_DONE

static inline int vx_compat_virtqueue_reset(struct virtqueue *vq,
					    void (*recycle)(struct virtqueue *vq, void *buf),
					    void (*recycle_done)(struct virtqueue *vq))
{
	int err;
#ifdef VX_HAVE_VIRTQUEUE_RESET
	/* 6.4 to 6.12.y: no recycle_done */
	err = virtqueue_reset(vq, recycle);
#else
	/*
	 * Before 6.4 only virtqueue_resize() resets one queue, and to the
	 * same size it does nothing: through half the size and back. If the
	 * second step fails, the queue works at half its size.
	 */
	unsigned int num = virtqueue_get_vring_size(vq);

	if (num < 2)
		return -EOPNOTSUPP;
	err = virtqueue_resize(vq, num / 2, recycle);
	if (!err)
		err = virtqueue_resize(vq, num, recycle);
#endif
	if (recycle_done)
		recycle_done(vq);
	return err;
}

#define virtqueue_reset vx_compat_virtqueue_reset

#endif /* VX_HAVE_VIRTQUEUE_RECYCLE_DONE */

#ifndef VX_HAVE_VIRTIO_MAP
/* Before the map tokens (after 6.12), a device's DMA was a struct device. */
union virtio_map {
	struct device *dma_dev;
};
#endif

#endif /* VX_COMPAT_VIRTIO_H */
