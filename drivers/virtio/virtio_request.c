// SPDX-License-Identifier: GPL-2.0
/*
 * A request a virtio device may never answer.
 *
 * A driver sends a request, waits a bounded time, and then gives up on it;
 * but its buffers stay the device's, which may still write them. So the
 * request is not freed: it is abandoned, and the queue takes no other
 * until the device returns it or is reset. Whoever then finds it answered
 * frees it: the next submission, or the driver giving back what a reset
 * device held. The queue carries one request at a time, which is what the
 * control and request queues of virtio-can, virtio-rpmb and
 * virtio-watchdog need.
 *
 * The driver serializes submissions and resets (its own mutex); the queue's
 * spinlock orders them against the queue's callback.
 */
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/virtio.h>

#include "virtio_request.h"

/**
 * vreq_init - prepare a request
 * @req: the request, in the driver's structure
 * @release: frees that structure
 */
void vreq_init(struct vreq *req, void (*release)(struct vreq *req))
{
	init_completion(&req->done);
	req->used_len = 0;
	req->status = 0;
	req->answered = false;
	req->abandoned = false;
	req->release = release;
}
EXPORT_SYMBOL_GPL(vreq_init);

/**
 * vreq_queue_init - a queue with no virtqueue yet: requests get -ENODEV
 * @q: the queue
 */
void vreq_queue_init(struct vreq_queue *q)
{
	spin_lock_init(&q->lock);
	q->vq = NULL;
	q->held = NULL;
}
EXPORT_SYMBOL_GPL(vreq_queue_init);

/**
 * vreq_queue_open - let requests go on a virtqueue
 * @q: the queue
 * @vq: the virtqueue, set up and empty
 */
void vreq_queue_open(struct vreq_queue *q, struct virtqueue *vq)
{
	spin_lock_irq(&q->lock);
	q->vq = vq;
	spin_unlock_irq(&q->lock);
}
EXPORT_SYMBOL_GPL(vreq_queue_open);

/**
 * vreq_queue_close - no more requests: the device is about to be reset or
 *	removed
 * @q: the queue
 *
 * A request the device holds stays held: give it back once the device is
 * reset, with vreq_queue_give_back().
 */
void vreq_queue_close(struct vreq_queue *q)
{
	spin_lock_irq(&q->lock);
	q->vq = NULL;
	spin_unlock_irq(&q->lock);
}
EXPORT_SYMBOL_GPL(vreq_queue_close);

/**
 * vreq_queue_stuck - whether the device holds a request it has not answered
 * @q: the queue
 *
 * Return: true when no request can go until the device answers, or the
 * driver resets the device or the queue.
 */
bool vreq_queue_stuck(struct vreq_queue *q)
{
	bool stuck;

	spin_lock_irq(&q->lock);
	stuck = q->held && !q->held->answered;
	spin_unlock_irq(&q->lock);
	return stuck;
}
EXPORT_SYMBOL_GPL(vreq_queue_stuck);

/* Take an abandoned request the device returned; the caller frees it. */
static struct vreq *vreq_queue_take_abandoned(struct vreq_queue *q)
{
	struct vreq *req = q->held;

	lockdep_assert_held(&q->lock);
	if (!req || !req->answered || !req->abandoned)
		return NULL;
	q->held = NULL;
	return req;
}

/**
 * vreq_queue_give_back - the device (or the queue) was reset: what it held
 *	is back
 * @q: the queue
 * @status: the errno its waiter gets
 *
 * Process context: an abandoned request is freed here.
 */
void vreq_queue_give_back(struct vreq_queue *q, int status)
{
	struct vreq *req;

	spin_lock_irq(&q->lock);
	req = q->held;
	if (req && !req->answered) {
		req->status = status;
		req->answered = true;
		if (!req->abandoned)
			complete(&req->done);
	}
	req = vreq_queue_take_abandoned(q);
	spin_unlock_irq(&q->lock);
	if (req)
		req->release(req);
}
EXPORT_SYMBOL_GPL(vreq_queue_give_back);

/**
 * vreq_queue_complete - take what the device returned; the virtqueue's
 *	callback
 * @q: the queue
 * @vq: its virtqueue
 *
 * Any context. Only the waiter, or the next submission, frees a request.
 */
void vreq_queue_complete(struct vreq_queue *q, struct virtqueue *vq)
{
	struct vreq *req;
	unsigned long flags;
	unsigned int len;

	spin_lock_irqsave(&q->lock, flags);
	while ((req = virtqueue_get_buf(vq, &len))) {
		req->used_len = len;
		req->answered = true;
		if (!req->abandoned)
			complete(&req->done);
	}
	spin_unlock_irqrestore(&q->lock, flags);
}
EXPORT_SYMBOL_GPL(vreq_queue_complete);

/**
 * vreq_submit - give a request to the device
 * @q: the queue
 * @req: the request, from vreq_init()
 * @sgs: its buffers: device-readable, then device-writable
 * @out_sgs: how many are device-readable
 * @in_sgs: how many are device-writable
 *
 * An abandoned request the device returned since is freed first.
 *
 * Return: 0, and the request is the queue's until vreq_wait(); -EBUSY when
 * the device holds a request it never answered; -ENODEV when the queue is
 * closed or broken; another errno from virtqueue_add_sgs(). On error the
 * request stays the caller's.
 */
int vreq_submit(struct vreq_queue *q, struct vreq *req,
		struct scatterlist *sgs[], unsigned int out_sgs,
		unsigned int in_sgs)
{
	struct vreq *done;
	int err;

	spin_lock_irq(&q->lock);
	done = vreq_queue_take_abandoned(q);
	if (!q->vq || virtqueue_is_broken(q->vq)) {
		err = -ENODEV;
	} else if (q->held) {
		err = -EBUSY;
	} else {
		err = virtqueue_add_sgs(q->vq, sgs, out_sgs, in_sgs, req,
					GFP_ATOMIC);
		if (!err) {
			q->held = req;
			virtqueue_kick(q->vq);
		}
	}
	spin_unlock_irq(&q->lock);
	if (done)
		done->release(done);
	return err;
}
EXPORT_SYMBOL_GPL(vreq_submit);

/**
 * vreq_wait - wait for the answer to a submitted request
 * @q: the queue
 * @req: the request
 * @ms: how long
 *
 * Return: true when it was answered (or given back: see req->status), and
 * it is the caller's again; false when the time ran out: it is abandoned,
 * the queue's to free, and the caller must not touch it.
 */
bool vreq_wait(struct vreq_queue *q, struct vreq *req, unsigned int ms)
{
	bool answered;

	wait_for_completion_timeout(&req->done, msecs_to_jiffies(ms));
	spin_lock_irq(&q->lock);
	answered = req->answered;
	if (!answered)
		req->abandoned = true;
	else if (q->held == req)
		q->held = NULL;
	spin_unlock_irq(&q->lock);
	return answered;
}
EXPORT_SYMBOL_GPL(vreq_wait);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("virtio-extra developers");
MODULE_DESCRIPTION("virtio-extra: requests a virtio device may never answer");
