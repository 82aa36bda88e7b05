/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stands first on the include path (compat/Kbuild.include): the kernel's
 * linux/virtio_config.h, plus what the probes found missing.
 */
#include_next <linux/virtio_config.h>

#ifndef VX_COMPAT_VIRTIO_CONFIG_H
#define VX_COMPAT_VIRTIO_CONFIG_H

#ifndef VX_HAVE_VIRTQUEUE_INFO
#include <linux/slab.h>

/* Before 6.11, find_vqs() took parallel arrays of callbacks, names and ctx. */
struct virtqueue_info {
	const char *name;
	vq_callback_t *callback;
	bool ctx;
};

static inline int vx_compat_virtio_find_vqs(struct virtio_device *vdev,
					    unsigned int nvqs,
					    struct virtqueue *vqs[],
					    struct virtqueue_info vqs_info[],
					    struct irq_affinity *desc)
{
	vq_callback_t **callbacks;
	const char **names;
	bool *ctx;
	unsigned int i;
	int err = -ENOMEM;

	callbacks = kcalloc(nvqs, sizeof(*callbacks), GFP_KERNEL);
	names = kcalloc(nvqs, sizeof(*names), GFP_KERNEL);
	ctx = kcalloc(nvqs, sizeof(*ctx), GFP_KERNEL);
	if (callbacks && names && ctx) {
		for (i = 0; i < nvqs; i++) {
			callbacks[i] = vqs_info[i].callback;
			names[i] = vqs_info[i].name;
			ctx[i] = vqs_info[i].ctx;
		}
		err = vdev->config->find_vqs(vdev, nvqs, vqs, callbacks, names,
					     ctx, desc);
	}
	kfree(ctx);
	kfree(names);
	kfree(callbacks);
	return err;
}

#define virtio_find_vqs vx_compat_virtio_find_vqs

#endif /* VX_HAVE_VIRTQUEUE_INFO */

#endif /* VX_COMPAT_VIRTIO_CONFIG_H */
