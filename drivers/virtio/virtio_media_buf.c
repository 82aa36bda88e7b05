// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-media: a session's buffer queues. The device owns the buffers;
 * the driver relays the buffer ioctls and keeps what DQBUF and poll()
 * need without asking it: which buffers the device holds, and the ones it
 * returned in DQBUF events, which are served locally as the specification
 * says. Only MMAP buffers are offered: their memory is the device's own.
 */
#include <linux/poll.h>
#include <linux/slab.h>
#include <media/v4l2-event.h>

#include "virtio_media.h"

/* The payload sizes of the specification, which relays them verbatim. */
static_assert(sizeof(struct v4l2_requestbuffers) == 20);
static_assert(sizeof(struct v4l2_create_buffers) == 256);
static_assert(sizeof(struct v4l2_buffer) == VIRTIO_MEDIA_V4L2_BUFFER_SIZE);
static_assert(sizeof(struct v4l2_plane) * VIRTIO_MEDIA_MAX_PLANES ==
	      VIRTIO_MEDIA_V4L2_PLANES_SIZE);
static_assert(VIDEO_MAX_PLANES == VIRTIO_MEDIA_MAX_PLANES);

/*
 * The buffer capabilities the driver relays: MMAP memory only, no cache
 * hints (so no V4L2_MEMORY_FLAG_NON_COHERENT), and whether the device
 * frees buffers that are still mapped (their mappings stay until MUNMAP,
 * as the specification has it) or refuses to (EBUSY).
 */
#define VMEDIA_BUF_CAPS (V4L2_BUF_CAP_SUPPORTS_MMAP | \
			 V4L2_BUF_CAP_SUPPORTS_ORPHANED_BUFS)

static bool vmedia_video_type(u32 type)
{
	return type == V4L2_BUF_TYPE_VIDEO_CAPTURE ||
	       type == V4L2_BUF_TYPE_VIDEO_OUTPUT ||
	       type == V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE ||
	       type == V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE;
}

/* The queue of a buffer type the V4L2 core has checked. */
static struct vmedia_queue *vmedia_queue(struct vmedia_session *s, u32 type)
{
	return &s->queues[V4L2_TYPE_IS_OUTPUT(type) ? 1 : 0];
}

/**
 * vmedia_queues_init - give a new session empty queues
 * @s: the session
 */
void vmedia_queues_init(struct vmedia_session *s)
{
	unsigned int i;

	spin_lock_init(&s->queues_lock);
	init_waitqueue_head(&s->done_wait);
	for (i = 0; i < VMEDIA_QUEUES; i++)
		INIT_LIST_HEAD(&s->queues[i].done);
}

/* Forget q's buffers: the device freed them or took them all back. */
static void vmedia_queue_clear(struct vmedia_queue *q, struct list_head *freed)
{
	bitmap_zero(q->queued, VIDEO_MAX_FRAME);
	list_splice_tail_init(&q->done, freed);
}

static void vmedia_free_done(struct list_head *freed)
{
	struct vmedia_done *d, *tmp;

	list_for_each_entry_safe(d, tmp, freed, node)
		kfree(d);
}

/**
 * vmedia_queues_release - free what a closed session's queues held
 * @s: the session, no longer reachable by events
 */
void vmedia_queues_release(struct vmedia_session *s)
{
	unsigned int i;

	for (i = 0; i < VMEDIA_QUEUES; i++)
		vmedia_free_done(&s->queues[i].done);
}

/**
 * vmedia_queues_end - wake whoever waits on a session that has ended
 * @s: the session, its @dead set
 */
void vmedia_queues_end(struct vmedia_session *s)
{
	wake_up_all(&s->done_wait);
}

/*
 * The first buffer q's device returned, into b; -EAGAIN when there is
 * none yet. With queues_lock held.
 */
static int vmedia_take_done(struct vmedia_session *s, struct vmedia_queue *q,
			    struct v4l2_buffer *b, struct vmedia_done **taken)
{
	struct v4l2_plane *planes = b->m.planes;
	int dead = READ_ONCE(s->dead);
	struct vmedia_done *d;

	if (dead)
		return dead;
	if (b->type != q->type || !q->num_buffers)
		return -EINVAL;
	d = list_first_entry_or_null(&q->done, struct vmedia_done, node);
	if (!d)
		return q->streaming ? -EAGAIN : -EINVAL;
	if (V4L2_TYPE_IS_MULTIPLANAR(b->type)) {
		/* the caller's array must take every plane, as vb2 asks */
		if (b->length < d->buf.length)
			return -EINVAL;
		memcpy(planes, d->planes, d->buf.length * sizeof(*planes));
	}
	*b = d->buf;
	if (V4L2_TYPE_IS_MULTIPLANAR(b->type))
		b->m.planes = planes;
	list_del(&d->node);
	*taken = d;
	return 0;
}

/* DQBUF from the DQBUF events: waits, unless the file is non-blocking. */
int vmedia_dqbuf(struct file *file, void *fh, struct v4l2_buffer *b)
{
	struct vmedia_session *s = vmedia_session(fh);
	struct vmedia_queue *q = vmedia_queue(s, b->type);
	struct vmedia_done *d = NULL;
	int err;

	for (;;) {
		spin_lock(&s->queues_lock);
		err = vmedia_take_done(s, q, b, &d);
		spin_unlock(&s->queues_lock);
		if (err != -EAGAIN || (file->f_flags & O_NONBLOCK))
			break;
		/* STREAMOFF, an error event or removal ends the wait too */
		err = wait_event_interruptible(s->done_wait,
					       !list_empty_careful(&q->done) ||
					       !READ_ONCE(q->streaming) ||
					       READ_ONCE(s->dead));
		if (err)
			return err;
	}
	kfree(d);
	return err;
}

/*
 * Check a returned buffer against what the session queued, then keep it
 * for DQBUF. With queues_lock held; 0, or -EIO when the device lied.
 */
static int vmedia_queue_done(struct vmedia *vm, struct vmedia_session *s,
			     struct vmedia_done *d)
{
	struct v4l2_buffer *b = &d->buf;
	struct vmedia_queue *q;
	u32 i;

	if (!vmedia_video_type(b->type)) {
		vmedia_complain(vm, "buffer event of type %u, not a video buffer\n",
				b->type);
		return -EIO;
	}
	q = vmedia_queue(s, b->type);
	if (b->type != q->type || b->index >= q->num_buffers ||
	    !test_bit(b->index, q->queued)) {
		vmedia_complain(vm, "buffer %u (type %u) returned, not queued by session %u\n",
				b->index, b->type, s->id);
		return -EIO;
	}
	if (V4L2_TYPE_IS_MULTIPLANAR(b->type)) {
		if (!b->length || b->length > q->planes[b->index]) {
			vmedia_complain(vm, "buffer %u returned with %u planes, queued with %u\n",
					b->index, b->length,
					q->planes[b->index]);
			return -EIO;
		}
		for (i = 0; i < b->length; i++) {
			if (d->planes[i].bytesused > d->planes[i].length ||
			    d->planes[i].data_offset > d->planes[i].bytesused) {
				vmedia_complain(vm, "buffer %u plane %u: %u bytes from %u, in %u\n",
						b->index, i,
						d->planes[i].bytesused,
						d->planes[i].data_offset,
						d->planes[i].length);
				return -EIO;
			}
		}
		b->m.planes = NULL;
	} else if (b->bytesused > b->length) {
		vmedia_complain(vm, "buffer %u returned with %u bytes, in %u\n",
				b->index, b->bytesused, b->length);
		return -EIO;
	}
	/* dequeued, as vb2 reports a buffer DQBUF returns; MMAP, the one kind */
	b->flags &= ~(V4L2_BUF_FLAG_QUEUED | V4L2_BUF_FLAG_DONE |
		      V4L2_BUF_FLAG_PREPARED);
	b->memory = V4L2_MEMORY_MMAP;
	clear_bit(b->index, q->queued);
	list_add_tail(&d->node, &q->done);
	return 0;
}

/**
 * vmedia_buffer_done - a DQBUF event: the device returned a buffer
 * @s: the session the event names
 * @done: the event's buffer and planes, copied; kept or freed here
 *
 * A buffer the session has not queued, or one described beyond its
 * bounds, is refused with a log line: the session's queue stays as it was.
 */
void vmedia_buffer_done(struct vmedia_session *s, struct vmedia_done *done)
{
	int err;

	spin_lock(&s->queues_lock);
	err = vmedia_queue_done(s->vm, s, done);
	spin_unlock(&s->queues_lock);
	if (err)
		kfree(done);
	else
		wake_up_all(&s->done_wait);
}

static bool vmedia_polls_capture(struct vmedia *vm, __poll_t asked)
{
	return vm->video.vfl_dir != VFL_DIR_TX &&
	       (asked & (EPOLLIN | EPOLLRDNORM));
}

static bool vmedia_polls_output(struct vmedia *vm, __poll_t asked)
{
	return vm->video.vfl_dir != VFL_DIR_RX &&
	       (asked & (EPOLLOUT | EPOLLWRNORM));
}

/**
 * vmedia_queues_poll - poll() on a session's buffers
 * @s: the session
 * @file: its file
 * @wait: the poll table
 *
 * As vb2, for the directions the caller asks about: an error while the
 * node's queue is not streaming or holds no buffer; readable (capture) or
 * writable (output) with a buffer to dequeue.
 *
 * Return: the events.
 */
__poll_t vmedia_queues_poll(struct vmedia_session *s, struct file *file,
			    poll_table *wait)
{
	__poll_t asked = poll_requested_events(wait);
	struct vmedia *vm = s->vm;
	__poll_t mask = 0;
	unsigned int i;

	poll_wait(file, &s->done_wait, wait);
	spin_lock(&s->queues_lock);
	for (i = 0; i < VMEDIA_QUEUES; i++) {
		struct vmedia_queue *q = &s->queues[i];
		bool out = i == 1;

		if (out ? !vmedia_polls_output(vm, asked) :
			  !vmedia_polls_capture(vm, asked))
			continue;
		if (READ_ONCE(s->dead) || !q->streaming ||
		    (list_empty(&q->done) &&
		     bitmap_empty(q->queued, VIDEO_MAX_FRAME)))
			mask |= EPOLLERR;
		else if (!list_empty(&q->done))
			mask |= out ? EPOLLOUT | EPOLLWRNORM :
				      EPOLLIN | EPOLLRDNORM;
	}
	spin_unlock(&s->queues_lock);
	return mask;
}

/* The device allocated count buffers of type for q (REQBUFS). */
static void vmedia_queue_allocated(struct vmedia_session *s, u32 type,
				   u32 count)
{
	struct vmedia_queue *q = vmedia_queue(s, type);
	LIST_HEAD(freed);

	spin_lock(&s->queues_lock);
	vmedia_queue_clear(q, &freed);
	q->type = type;
	q->num_buffers = count;
	if (!count)
		q->streaming = false;
	spin_unlock(&s->queues_lock);
	wake_up_all(&s->done_wait);
	vmedia_free_done(&freed);
}

int vmedia_reqbufs(struct file *file, void *fh, struct v4l2_requestbuffers *rb)
{
	struct vmedia_session *s = vmedia_session(fh);
	int err;

	if (rb->memory != V4L2_MEMORY_MMAP)
		return -EINVAL;
	rb->flags = 0;
	/* the buffers this process unmapped are unmapped for the device too */
	flush_work(&s->vm->munmap_work);
	err = vmedia_ioctl(s, VIDIOC_REQBUFS, rb, sizeof(*rb));
	if (err)
		return err;
	if (rb->count > VIDEO_MAX_FRAME) {
		vmedia_complain(s->vm, "REQBUFS answered with %u buffers, more than %u\n",
				rb->count, VIDEO_MAX_FRAME);
		return -EIO;
	}
	rb->capabilities &= VMEDIA_BUF_CAPS;
	rb->flags = 0;
	vmedia_queue_allocated(s, rb->type, rb->count);
	return 0;
}

int vmedia_create_bufs(struct file *file, void *fh,
		       struct v4l2_create_buffers *cb)
{
	struct vmedia_session *s = vmedia_session(fh);
	u32 type = cb->format.type, count = cb->count;
	struct vmedia_queue *q = vmedia_queue(s, type);
	int err;

	if (cb->memory != V4L2_MEMORY_MMAP)
		return -EINVAL;
	cb->flags = 0;
	flush_work(&s->vm->munmap_work);
	err = vmedia_ioctl(s, VIDIOC_CREATE_BUFS, cb, sizeof(*cb));
	if (err)
		return err;
	/* vb2 may grant more than asked for, to reach its minimum */
	if (cb->format.type != type || cb->index > VIDEO_MAX_FRAME ||
	    cb->count > VIDEO_MAX_FRAME - cb->index) {
		vmedia_complain(s->vm, "CREATE_BUFS answered %u+%u of type %u, for %u of type %u\n",
				cb->index, cb->count, cb->format.type, count,
				type);
		return -EIO;
	}
	cb->capabilities &= VMEDIA_BUF_CAPS;
	cb->flags = 0;
	spin_lock(&s->queues_lock);
	if (cb->count) {
		q->type = type;
		q->num_buffers = max(q->num_buffers, cb->index + cb->count);
	}
	spin_unlock(&s->queues_lock);
	return 0;
}

/*
 * Relay a v4l2_buffer ioctl, the planes after the buffer; the device must
 * keep the buffer's index and type, and may only lower its plane count.
 * No kernel pointer goes to the device.
 */
static int vmedia_buf_ioctl(struct vmedia_session *s, unsigned int cmd,
			    struct v4l2_buffer *b)
{
	bool mplane = V4L2_TYPE_IS_MULTIPLANAR(b->type);
	struct v4l2_plane *planes = mplane ? b->m.planes : NULL;
	u32 index = b->index, type = b->type, nplanes = mplane ? b->length : 0;
	struct vmedia_payload p = {
		.arg = b,
		.size = sizeof(*b),
		.array = planes,
		.array_len = nplanes * sizeof(*planes),
	};
	int err;

	if (mplane)
		b->m.planes = NULL;
	err = vmedia_ioctl_payload(s, cmd, &p);
	if (mplane)
		b->m.planes = planes;
	if (!err && (b->index != index || b->type != type ||
		     (mplane && (!b->length || b->length > nplanes)))) {
		vmedia_complain(s->vm, "ioctl %u: buffer/type/planes %u/%u/%u, not %u/%u/%u\n",
				_IOC_NR(cmd), b->index, b->type,
				mplane ? b->length : 1, index, type,
				mplane ? nplanes : 1);
		b->index = index;
		b->type = type;
		if (mplane)
			b->length = nplanes;
		err = -EIO;
	}
	return err;
}

int vmedia_querybuf(struct file *file, void *fh, struct v4l2_buffer *b)
{
	return vmedia_buf_ioctl(vmedia_session(fh), VIDIOC_QUERYBUF, b);
}

int vmedia_prepare_buf(struct file *file, void *fh, struct v4l2_buffer *b)
{
	if (b->memory != V4L2_MEMORY_MMAP)
		return -EINVAL;
	return vmedia_buf_ioctl(vmedia_session(fh), VIDIOC_PREPARE_BUF, b);
}

/*
 * The buffer counts as queued before the device answers: it may return it
 * in a DQBUF event before the answer is read.
 */
int vmedia_qbuf(struct file *file, void *fh, struct v4l2_buffer *b)
{
	struct vmedia_session *s = vmedia_session(fh);
	struct vmedia_queue *q = vmedia_queue(s, b->type);
	u32 index = b->index;
	int err = 0;

	if (b->memory != V4L2_MEMORY_MMAP)
		return -EINVAL;
	spin_lock(&s->queues_lock);
	if (b->type != q->type || index >= q->num_buffers ||
	    test_bit(index, q->queued)) {
		err = -EINVAL;
	} else {
		set_bit(index, q->queued);
		q->planes[index] = V4L2_TYPE_IS_MULTIPLANAR(b->type) ?
				   b->length : 1;
	}
	spin_unlock(&s->queues_lock);
	if (err)
		return err;

	err = vmedia_buf_ioctl(s, VIDIOC_QBUF, b);
	if (err) {
		spin_lock(&s->queues_lock);
		clear_bit(index, q->queued);
		spin_unlock(&s->queues_lock);
	}
	return err;
}

int vmedia_streamon(struct file *file, void *fh, enum v4l2_buf_type type)
{
	struct vmedia_session *s = vmedia_session(fh);
	struct vmedia_queue *q = vmedia_queue(s, type);
	u32 arg = type;
	int err;

	err = vmedia_ioctl(s, VIDIOC_STREAMON, &arg, sizeof(arg));
	if (err)
		return err;
	spin_lock(&s->queues_lock);
	q->streaming = true;
	spin_unlock(&s->queues_lock);
	return 0;
}

/* The device takes every buffer back: none stays queued or to dequeue. */
int vmedia_streamoff(struct file *file, void *fh, enum v4l2_buf_type type)
{
	struct vmedia_session *s = vmedia_session(fh);
	struct vmedia_queue *q = vmedia_queue(s, type);
	u32 arg = type;
	LIST_HEAD(freed);
	int err;

	err = vmedia_ioctl(s, VIDIOC_STREAMOFF, &arg, sizeof(arg));
	if (err)
		return err;
	spin_lock(&s->queues_lock);
	vmedia_queue_clear(q, &freed);
	q->streaming = false;
	spin_unlock(&s->queues_lock);
	wake_up_all(&s->done_wait);
	vmedia_free_done(&freed);
	return 0;
}
