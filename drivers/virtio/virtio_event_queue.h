/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An event queue: buffers a virtio device writes events into, which the
 * driver copies out and gives back at once: virtio_event_queue.c. The
 * front-ends' event queues share it.
 */
#ifndef _VIRTIO_EVENT_QUEUE_H
#define _VIRTIO_EVENT_QUEUE_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct virtqueue;

/**
 * struct vevq - an event queue
 * @lock: the driver's spinlock, taken with interrupts off, which guards
 *	@vq and @gone and may guard more of the driver.
 * @vq: the virtqueue once started, NULL once stopped.
 * @gone: the device is being reset: the work takes nothing more.
 * @mem: the allocation the buffers lie in.
 * @bufs: the buffers, each on cache lines of its own.
 * @nbufs: how many.
 * @size: the bytes the device may write in each.
 * @stride: the distance between two buffers.
 * @copy: where the work copies an event to.
 * @take: the driver's handler of one event: @copy and the length the
 *	device said it wrote, which is a lie when more than @size (then only
 *	@size bytes were copied). Called from @work, outside @lock, never for
 *	a buffer the device gave back empty.
 * @work: copies events out, gives their buffers back and takes them.
 */
struct vevq {
	spinlock_t *lock; /* the driver's, for vq and gone */
	struct virtqueue *vq;
	bool gone;
	void *mem;
	u8 *bufs;
	unsigned int nbufs;
	size_t size;
	size_t stride;
	u8 *copy;
	void (*take)(struct vevq *q, const void *event, unsigned int len);
	struct work_struct work;
};

int vevq_init(struct vevq *q, spinlock_t *lock, unsigned int nbufs,
	      size_t size,
	      void (*take)(struct vevq *q, const void *event, unsigned int len));
void vevq_free(struct vevq *q);
int vevq_start(struct vevq *q, struct virtqueue *vq);
void vevq_kick(struct vevq *q);
void vevq_done(struct vevq *q);
void vevq_stop(struct vevq *q);
void vevq_stopped(struct vevq *q);

#endif /* _VIRTIO_EVENT_QUEUE_H */
