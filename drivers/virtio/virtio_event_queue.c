// SPDX-License-Identifier: GPL-2.0
/*
 * An event queue: the device writes events into buffers the driver gave
 * it, at a time of its choosing.
 *
 * A buffer the device returned is copied out and given back at once,
 * under the driver's lock, before the driver looks at the event: what the
 * driver checks and uses is the copy, which the device can no longer
 * change, and the device is never short of buffers for longer than a copy
 * takes. A work item does it, a budget of one round of the buffers at a
 * time, so a device that never stops sending cannot hold the CPU.
 *
 * The driver's reset path: vevq_stop() before the reset (the work takes
 * nothing more), then vevq_stopped() once the virtqueues are deleted (until
 * then a callback could schedule the work again).
 */
#include <linux/cache.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/virtio.h>

#include "virtio_event_queue.h"

/* Give a buffer to the device, under the lock. */
static int vevq_post(struct vevq *q, u8 *buf)
{
	struct scatterlist sg;

	sg_init_one(&sg, buf, q->size);
	return virtqueue_add_inbuf(q->vq, &sg, 1, buf, GFP_ATOMIC);
}

static void vevq_work(struct work_struct *work)
{
	struct vevq *q = container_of(work, struct vevq, work);
	unsigned int n, len;
	u8 *buf;

	for (n = 0; n < q->nbufs; n++) {
		spin_lock_irq(q->lock);
		buf = q->gone ? NULL : virtqueue_get_buf(q->vq, &len);
		if (buf) {
			memcpy(q->copy, buf, min_t(size_t, len, q->size));
			if (vevq_post(q, buf))
				dev_warn_ratelimited(&q->vq->vdev->dev,
						     "event buffer not given back\n");
			virtqueue_kick(q->vq);
		}
		spin_unlock_irq(q->lock);
		if (!buf)
			return;
		/* given back empty (a device going away): nothing to take */
		if (len)
			q->take(q, q->copy, len);
	}
	schedule_work(&q->work);
}

/**
 * vevq_init - allocate an event queue's buffers
 * @q: the queue, in the driver's structure
 * @lock: the driver's spinlock that guards the queue
 * @nbufs: how many buffers the device gets
 * @size: the bytes of each: the largest event the driver takes
 * @take: the driver's handler of one event
 *
 * Return: 0 or -ENOMEM. vevq_free() frees what it allocated, even after a
 * failure.
 */
int vevq_init(struct vevq *q, spinlock_t *lock, unsigned int nbufs,
	      size_t size,
	      void (*take)(struct vevq *q, const void *event, unsigned int len))
{
	size_t align = max_t(size_t, SMP_CACHE_BYTES, ARCH_DMA_MINALIGN);

	q->lock = lock;
	q->vq = NULL;
	q->gone = true;
	q->nbufs = nbufs;
	q->size = size;
	q->stride = ALIGN(size, align);
	q->take = take;
	INIT_WORK(&q->work, vevq_work);
	/* kmalloc() aligns only some sizes to a cache line: align by hand */
	q->mem = kzalloc(size_add(array_size(nbufs, q->stride), align - 1), GFP_KERNEL);
	q->bufs = q->mem ? PTR_ALIGN(q->mem, align) : NULL;
	q->copy = kmalloc(size, GFP_KERNEL);
	return q->mem && q->copy ? 0 : -ENOMEM;
}
EXPORT_SYMBOL_GPL(vevq_init);

/**
 * vevq_free - free an event queue's buffers, once it is stopped
 * @q: the queue
 */
void vevq_free(struct vevq *q)
{
	kfree(q->mem);
	kfree(q->copy);
	q->mem = NULL;
	q->bufs = NULL;
	q->copy = NULL;
}
EXPORT_SYMBOL_GPL(vevq_free);

/**
 * vevq_start - give every buffer to the device
 * @q: the queue
 * @vq: its virtqueue, set up and empty
 *
 * The driver kicks the queue (vevq_kick()) once its device is ready.
 *
 * Return: 0, or the error of adding a buffer, the queue stopped again; the
 * driver then deletes the virtqueue and calls vevq_stopped().
 */
int vevq_start(struct vevq *q, struct virtqueue *vq)
{
	unsigned int i;
	int err = 0;

	spin_lock_irq(q->lock);
	q->vq = vq;
	q->gone = false;
	for (i = 0; i < q->nbufs && !err; i++)
		err = vevq_post(q, q->bufs + i * q->stride);
	q->gone = err != 0;
	spin_unlock_irq(q->lock);
	return err;
}
EXPORT_SYMBOL_GPL(vevq_start);

/**
 * vevq_kick - tell the device its buffers wait
 * @q: the queue, started
 */
void vevq_kick(struct vevq *q)
{
	virtqueue_kick(q->vq);
}
EXPORT_SYMBOL_GPL(vevq_kick);

/**
 * vevq_done - the virtqueue's callback: events came
 * @q: the queue
 */
void vevq_done(struct vevq *q)
{
	schedule_work(&q->work);
}
EXPORT_SYMBOL_GPL(vevq_done);

/**
 * vevq_stop - take nothing more from the device, before its reset
 * @q: the queue
 */
void vevq_stop(struct vevq *q)
{
	spin_lock_irq(q->lock);
	q->gone = true;
	spin_unlock_irq(q->lock);
}
EXPORT_SYMBOL_GPL(vevq_stop);

/**
 * vevq_stopped - wait for the work, once the virtqueues are deleted
 * @q: the queue, stopped
 */
void vevq_stopped(struct vevq *q)
{
	cancel_work_sync(&q->work);
	q->vq = NULL;
}
EXPORT_SYMBOL_GPL(vevq_stopped);

MODULE_DESCRIPTION("Event queues of virtio devices, shared by the virtio-extra front-ends");
MODULE_LICENSE("GPL");
