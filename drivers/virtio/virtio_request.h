/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A request a virtio device may never answer, on a queue that carries one
 * at a time: virtio_request.c. The front-ends' control and request queues
 * share it.
 */
#ifndef _VIRTIO_REQUEST_H
#define _VIRTIO_REQUEST_H

#include <linux/completion.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct scatterlist;
struct virtqueue;

/**
 * struct vreq - one request, from submission until it is freed
 * @done: completed when the device answers or gives it back, unless
 *	@abandoned.
 * @used_len: the length the device reported.
 * @status: 0, or the errno it was given back with (a reset, a removal).
 * @answered: the device returned it, or never will; under the queue's lock.
 * @abandoned: its caller stopped waiting; under the queue's lock. The queue
 *	frees it once answered.
 * @release: frees the request and what surrounds it.
 */
struct vreq {
	struct completion done;
	unsigned int used_len;
	int status;
	bool answered;
	bool abandoned;
	void (*release)(struct vreq *req);
};

/**
 * struct vreq_queue - a virtqueue that carries one request at a time
 * @lock: guards the fields below against the queue's callback.
 * @vq: the virtqueue while requests may go, else NULL.
 * @held: the request the device holds, waited for or abandoned, or NULL.
 */
struct vreq_queue {
	spinlock_t lock; /* against the queue's callback */
	struct virtqueue *vq;
	struct vreq *held;
};

void vreq_init(struct vreq *req, void (*release)(struct vreq *req));
void vreq_queue_init(struct vreq_queue *q);
void vreq_queue_open(struct vreq_queue *q, struct virtqueue *vq);
void vreq_queue_close(struct vreq_queue *q);
bool vreq_queue_stuck(struct vreq_queue *q);
void vreq_queue_give_back(struct vreq_queue *q, int status);
void vreq_queue_complete(struct vreq_queue *q, struct virtqueue *vq);
int vreq_submit(struct vreq_queue *q, struct vreq *req,
		struct scatterlist *sgs[], unsigned int out_sgs,
		unsigned int in_sgs);
bool vreq_wait(struct vreq_queue *q, struct vreq *req, unsigned int ms);

#endif /* _VIRTIO_REQUEST_H */
