/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For a virtio transport: defines vx_find_vqs_op, its find_vqs config op
 * with this kernel's signature, calling VX_FIND_VQS_IMPL, which the
 * transport writes with the 6.11 one (struct virtqueue_info) and names
 * before including this file:
 *
 *	#define VX_FIND_VQS_IMPL my_find_vqs
 *	#include <vx-compat/find_vqs_op.h>
 */
#include <linux/virtio_config.h>

#ifdef VX_HAVE_VIRTQUEUE_INFO
#define vx_find_vqs_op VX_FIND_VQS_IMPL
#else
static int vx_find_vqs_op(struct virtio_device *vdev, unsigned int nvqs,
			  struct virtqueue *vqs[], vq_callback_t *callbacks[],
			  const char * const names[], const bool *ctx,
			  struct irq_affinity *desc)
{
	struct virtqueue_info *info;
	unsigned int i;
	int err;

	info = kcalloc(nvqs, sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	for (i = 0; i < nvqs; i++) {
		info[i].name = names[i];
		info[i].callback = callbacks[i];
		info[i].ctx = ctx && ctx[i];
	}
	err = VX_FIND_VQS_IMPL(vdev, nvqs, vqs, info, desc);
	kfree(info);
	return err;
}
#endif
