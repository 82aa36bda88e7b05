// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-media: a session's buffer queues. The device owns the buffers;
 * the driver relays the buffer ioctls and keeps what DQBUF and poll()
 * need without asking it: which buffers the device holds, and the ones it
 * returned in DQBUF events, which are served locally as the specification
 * says. MMAP buffers are offered, whose memory is the device's own, and
 * USERPTR buffers where allowed (virtio_media_userptr.c).
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
 * The buffer capabilities the driver relays: MMAP memory, USERPTR where
 * allowed, no DMABUF, no cache hints (so no V4L2_MEMORY_FLAG_NON_COHERENT),
 * and whether the device frees buffers that are still mapped (their
 * mappings stay until MUNMAP, as the specification has it) or refuses to
 * (EBUSY).
 */
static u32 vmedia_buf_caps(struct vmedia *vm, u32 caps)
{
	u32 relayed = V4L2_BUF_CAP_SUPPORTS_MMAP |
		      V4L2_BUF_CAP_SUPPORTS_ORPHANED_BUFS;

	if (vmedia_userptr_allowed(vm))
		relayed |= V4L2_BUF_CAP_SUPPORTS_USERPTR;
	return caps & relayed;
}

static bool vmedia_memory_offered(struct vmedia *vm, u32 memory)
{
	return memory == V4L2_MEMORY_MMAP ||
	       (memory == V4L2_MEMORY_USERPTR && vmedia_userptr_allowed(vm));
}

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

/*
 * Forget q's buffers: the device freed them or took them all back. What
 * they held goes to freed (returned buffers) and unpin (the user memory
 * of those the device held), to free without the lock.
 */
static void vmedia_queue_clear(struct vmedia_queue *q, struct list_head *freed,
			       struct list_head *unpin)
{
	unsigned int i;

	for (i = 0; i < VIDEO_MAX_FRAME; i++) {
		if (q->user[i])
			list_add_tail(&q->user[i]->node, unpin);
		q->user[i] = NULL;
	}
	bitmap_zero(q->queued, VIDEO_MAX_FRAME);
	list_splice_tail_init(&q->done, freed);
}

static void vmedia_done_free(struct vmedia_done *d)
{
	if (d)
		vmedia_userbuf_free(d->user);
	kfree(d);
}

static void vmedia_free_cleared(struct list_head *freed,
				struct list_head *unpin)
{
	struct vmedia_done *d, *tmp;

	list_for_each_entry_safe(d, tmp, freed, node)
		vmedia_done_free(d);
	vmedia_userbufs_free(unpin);
}

/**
 * vmedia_queues_release - free what a closed session's queues held
 * @s: the session, no longer reachable by events
 * @device_may_hold: the device did not answer its CLOSE: the user memory
 *	of the buffers it held stays pinned until it is reset
 * @resets: vmedia_resets() from before the CLOSE
 */
void vmedia_queues_release(struct vmedia_session *s, bool device_may_hold,
			   unsigned int resets)
{
	LIST_HEAD(freed);
	LIST_HEAD(unpin);
	unsigned int i;

	for (i = 0; i < VMEDIA_QUEUES; i++)
		vmedia_queue_clear(&s->queues[i], &freed, &unpin);
	if (device_may_hold)
		vmedia_userbufs_orphan(s->vm, &unpin, resets);
	vmedia_free_cleared(&freed, &unpin);
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
	struct vmedia_session *s = vmedia_file_session(file);
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
	/* the device is done with its memory: unpinned */
	vmedia_done_free(d);
	return err;
}

/*
 * A USERPTR buffer returned: its planes must be as long as they were
 * queued, and their addresses are the ones queued, whatever the device
 * says. With queues_lock held; 0, or -EIO when the device lied.
 */
static int vmedia_user_done(struct vmedia *vm, struct vmedia_queue *q,
			    struct vmedia_done *d)
{
	const struct vmedia_userbuf *ub = q->user[d->buf.index];
	struct v4l2_buffer *b = &d->buf;
	bool mplane = V4L2_TYPE_IS_MULTIPLANAR(b->type);
	/* the plane count is checked against the queued one below */
	u32 n = mplane ? min(b->length, ub->nplanes) : 1, i;

	for (i = 0; i < n; i++) {
		u32 *length = mplane ? &d->planes[i].length : &b->length;

		if (*length != ub->length[i]) {
			vmedia_complain(vm,
					"buffer %u plane %u returned %u bytes long, queued %u\n",
					b->index, i, *length, ub->length[i]);
			return -EIO;
		}
		if (mplane)
			d->planes[i].m.userptr = ub->userptr[i];
		else
			b->m.userptr = ub->userptr[i];
	}
	return 0;
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
	if (q->memory == V4L2_MEMORY_USERPTR && vmedia_user_done(vm, q, d))
		return -EIO;
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
	/* dequeued, as vb2 reports a buffer DQBUF returns; in the queue's memory */
	b->flags &= ~(V4L2_BUF_FLAG_QUEUED | V4L2_BUF_FLAG_DONE |
		      V4L2_BUF_FLAG_PREPARED);
	b->memory = q->memory;
	d->user = q->user[b->index];
	q->user[b->index] = NULL;
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
		vmedia_done_free(done);
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

/*
 * The device took q's buffers back (STREAMOFF) or freed them (REQBUFS):
 * what it returned before its answer is handled first, so that no event
 * of theirs is taken for a buffer queued after. Then the queue is
 * emptied, and with stop no longer streams.
 */
static void vmedia_queue_taken_back(struct vmedia_session *s,
				    struct vmedia_queue *q, bool stop)
{
	LIST_HEAD(freed);
	LIST_HEAD(unpin);

	vmedia_flush_events(s->vm);
	spin_lock(&s->queues_lock);
	vmedia_queue_clear(q, &freed, &unpin);
	if (stop)
		q->streaming = false;
	spin_unlock(&s->queues_lock);
	wake_up_all(&s->done_wait);
	vmedia_free_cleared(&freed, &unpin);
}

/**
 * vmedia_queues_mappable - whether a session has MMAP buffers to map
 * @s: the session
 *
 * As vb2: the buffers of a queue set up for other memory have no mapping.
 *
 * Return: true when one of its queues has MMAP buffers.
 */
bool vmedia_queues_mappable(struct vmedia_session *s)
{
	bool mappable = false;
	unsigned int i;

	spin_lock(&s->queues_lock);
	for (i = 0; i < VMEDIA_QUEUES; i++)
		mappable |= s->queues[i].memory == V4L2_MEMORY_MMAP &&
			    s->queues[i].num_buffers;
	spin_unlock(&s->queues_lock);
	return mappable;
}

/* The device allocated count buffers of type and memory for q (REQBUFS). */
static void vmedia_queue_allocated(struct vmedia_session *s, u32 type,
				   u32 memory, u32 count)
{
	struct vmedia_queue *q = vmedia_queue(s, type);

	vmedia_queue_taken_back(s, q, !count);
	spin_lock(&s->queues_lock);
	q->type = type;
	q->memory = memory;
	q->num_buffers = count;
	spin_unlock(&s->queues_lock);
}

int vmedia_reqbufs(struct file *file, void *fh, struct v4l2_requestbuffers *rb)
{
	struct vmedia_session *s = vmedia_file_session(file);
	int err;

	if (!vmedia_memory_offered(s->vm, rb->memory))
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
	rb->capabilities = vmedia_buf_caps(s->vm, rb->capabilities);
	rb->flags = 0;
	vmedia_queue_allocated(s, rb->type, rb->memory, rb->count);
	return 0;
}

int vmedia_create_bufs(struct file *file, void *fh,
		       struct v4l2_create_buffers *cb)
{
	struct vmedia_session *s = vmedia_file_session(file);
	u32 type = cb->format.type, count = cb->count;
	struct vmedia_queue *q = vmedia_queue(s, type);
	int err;

	if (!vmedia_memory_offered(s->vm, cb->memory))
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
	cb->capabilities = vmedia_buf_caps(s->vm, cb->capabilities);
	cb->flags = 0;
	spin_lock(&s->queues_lock);
	if (cb->count) {
		q->type = type;
		q->memory = cb->memory;
		q->num_buffers = max(q->num_buffers, cb->index + cb->count);
	}
	spin_unlock(&s->queues_lock);
	return 0;
}

/*
 * Relay a v4l2_buffer ioctl, the planes after the buffer, then the
 * scatter list of a USERPTR buffer's memory (sg_len bytes at sg, or none);
 * the device must keep the buffer's index and type, and may only lower
 * its plane count. No kernel pointer goes to the device.
 */
static int vmedia_buf_ioctl(struct vmedia_session *s, unsigned int cmd,
			    struct v4l2_buffer *b,
			    struct virtio_media_sg_entry *sg, size_t sg_len)
{
	bool mplane = V4L2_TYPE_IS_MULTIPLANAR(b->type);
	struct v4l2_plane *planes = mplane ? b->m.planes : NULL;
	u32 index = b->index, type = b->type, nplanes = mplane ? b->length : 0;
	struct vmedia_payload p = {
		.arg = b,
		.size = sizeof(*b),
		.array = planes,
		.array_len = nplanes * sizeof(*planes),
		.sg = sg,
		.sg_len = sg_len,
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
	return vmedia_buf_ioctl(vmedia_file_session(file), VIDIOC_QUERYBUF, b, NULL, 0);
}

/*
 * A USERPTR buffer's memory would have to stay pinned from PREPARE_BUF to
 * a QBUF that may never come: not offered for USERPTR.
 */
int vmedia_prepare_buf(struct file *file, void *fh, struct v4l2_buffer *b)
{
	if (b->memory == V4L2_MEMORY_USERPTR)
		return -ENOTTY;
	if (b->memory != V4L2_MEMORY_MMAP)
		return -EINVAL;
	return vmedia_buf_ioctl(vmedia_file_session(file), VIDIOC_PREPARE_BUF, b,
				NULL, 0);
}

/* Whether b may be queued in q now. With queues_lock held. */
static bool vmedia_queueable(const struct vmedia_queue *q,
			     const struct v4l2_buffer *b)
{
	return b->type == q->type && b->memory == q->memory &&
	       b->index < q->num_buffers && !test_bit(b->index, q->queued);
}

/*
 * QBUF of buffer index failed with err: it is not queued. Its user memory
 * is unpinned, unless a DQBUF event returned it already or the device may
 * hold it (it did not answer).
 */
static void vmedia_qbuf_failed(struct vmedia_session *s, struct vmedia_queue *q,
			       u32 index, int err, unsigned int resets)
{
	struct vmedia_userbuf *ub;
	LIST_HEAD(unpin);

	spin_lock(&s->queues_lock);
	clear_bit(index, q->queued);
	ub = q->user[index];
	q->user[index] = NULL;
	spin_unlock(&s->queues_lock);
	if (!ub)
		return;
	list_add(&ub->node, &unpin);
	if (vmedia_device_may_hold(err))
		vmedia_userbufs_orphan(s->vm, &unpin, resets);
	vmedia_userbufs_free(&unpin);
}

/*
 * The buffer counts as queued before the device answers: it may return it
 * in a DQBUF event before the answer is read. A USERPTR buffer's memory
 * is pinned first, and stays so while the device may use it.
 */
int vmedia_qbuf(struct file *file, void *fh, struct v4l2_buffer *b)
{
	struct vmedia_session *s = vmedia_file_session(file);
	struct vmedia_queue *q = vmedia_queue(s, b->type);
	struct virtio_media_sg_entry *sg = NULL;
	struct vmedia_userbuf *ub = NULL;
	u32 index = b->index;
	unsigned int resets;
	size_t sg_len = 0;
	bool ok;
	int err;

	spin_lock(&s->queues_lock);
	ok = vmedia_queueable(q, b);
	spin_unlock(&s->queues_lock);
	if (!ok)
		return -EINVAL;
	if (b->memory == V4L2_MEMORY_USERPTR) {
		err = vmedia_userptr_pin(s->vm, b, &ub, &sg, &sg_len);
		if (err)
			return err;
	}
	/* again: another thread may have queued it meanwhile */
	spin_lock(&s->queues_lock);
	ok = vmedia_queueable(q, b);
	if (ok) {
		set_bit(index, q->queued);
		q->planes[index] = V4L2_TYPE_IS_MULTIPLANAR(b->type) ?
				   b->length : 1;
		q->user[index] = ub;
	}
	spin_unlock(&s->queues_lock);
	if (!ok) {
		err = -EINVAL;
		goto free;
	}

	resets = vmedia_resets(s->vm);
	err = vmedia_buf_ioctl(s, VIDIOC_QBUF, b, sg, sg_len);
	kvfree(sg);
	if (err)
		vmedia_qbuf_failed(s, q, index, err, resets);
	return err;
free:
	vmedia_userbuf_free(ub);
	kvfree(sg);
	return err;
}

int vmedia_streamon(struct file *file, void *fh, enum v4l2_buf_type type)
{
	struct vmedia_session *s = vmedia_file_session(file);
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
	struct vmedia_session *s = vmedia_file_session(file);
	u32 arg = type;
	int err;

	err = vmedia_ioctl(s, VIDIOC_STREAMOFF, &arg, sizeof(arg));
	if (!err)
		vmedia_queue_taken_back(s, vmedia_queue(s, type), true);
	return err;
}
