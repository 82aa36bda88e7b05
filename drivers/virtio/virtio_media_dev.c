// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-media: the device side of the driver. Commands go one at a time
 * through the command queue, as virtio_request requests: a device that
 * never answers costs the caller answer_ms, and the command queue stays
 * closed to others until it answers or is reset. Events come back in
 * buffers the driver keeps posted and are handled in a work item.
 *
 * What the device says is checked before use: lengths, statuses, session
 * ids. Its buffers are copied before they are read.
 */
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <media/v4l2-event.h>

#include "virtio_media.h"

static unsigned int answer_ms = 5000;
module_param(answer_ms, uint, 0644);
MODULE_PARM_DESC(answer_ms, "How long a command waits for the device's answer, in ms (default 5000)");

/**
 * struct vmedia_cmd - one command on its way through the device
 * @req: its life on the command queue.
 * @out: what the driver wrote.
 * @in: what the device writes, on cache lines of its own.
 * @shared: memory the device reaches through addresses in @out, held
 *	until the device gives the command back.
 */
struct vmedia_cmd {
	struct vreq req;
	void *out;
	void *in;
	void *shared;
};

static void vmedia_cmd_release(struct vreq *req)
{
	struct vmedia_cmd *cmd = container_of(req, struct vmedia_cmd, req);

	kfree(cmd->out);
	kvfree(cmd->in);
	kvfree(cmd->shared);
	kfree(cmd);
}

/**
 * vmedia_alloc_dev_writable - memory the device may write
 * @len: its size in bytes
 *
 * Alone on its cache lines (and DMA alignment units): kmalloc() aligns a
 * power-of-two size to itself, and what is larger than a page comes in
 * whole pages. Free it with kvfree().
 *
 * Return: zeroed memory, or NULL.
 */
void *vmedia_alloc_dev_writable(size_t len)
{
	if (len > PAGE_SIZE)
		return kvzalloc(PAGE_ALIGN(len), GFP_KERNEL);
	return kzalloc(roundup_pow_of_two(max3(len, (size_t)L1_CACHE_BYTES,
					       (size_t)ARCH_DMA_MINALIGN)),
		       GFP_KERNEL);
}

static void vmedia_cmd_done(struct virtqueue *vq)
{
	struct vmedia *vm = vq->vdev->priv;

	vreq_queue_complete(&vm->commands, vq);
}

static size_t vmedia_kvec_len(const struct kvec *v, unsigned int n)
{
	size_t len = 0;

	while (n--)
		len += v[n].iov_len;
	return len;
}

/* The status of an answer (its header), as 0 or -errno. */
static int vmedia_status(struct vmedia *vm, u32 type,
			 const struct virtio_media_resp_header *resp)
{
	u32 status = le32_to_cpu(resp->status);

	if (!status)
		return 0;
	if (status < MAX_ERRNO)
		return -status;
	vmedia_complain(vm, "command %u answered with status %u, not an errno\n",
			type, status);
	return -EIO;
}

/*
 * Check the answer the device gave cmd: its header alone, or every piece
 * of in, in_len bytes in all (none when in_count is 0). The header is
 * copied into in[0]; the other pieces only when the whole answer came and
 * it is a success, or error_payload takes the payload of an error too.
 */
static int vmedia_answer(struct vmedia *vm, struct vmedia_cmd *cmd, u32 type,
			 const struct kvec *in, unsigned int in_count,
			 size_t in_len, bool error_payload, unsigned int *used)
{
	unsigned int i;
	size_t off;
	int err;

	err = cmd->req.status;
	if (err)
		return err;
	*used = cmd->req.used_len;
	if (*used != in_len && (!in_count || *used != in[0].iov_len)) {
		vmedia_complain(vm, "command %u answered with %u bytes, not %zu or %zu\n",
				type, *used, in_count ? in[0].iov_len : 0, in_len);
		return -EIO;
	}
	if (!in_count)
		return 0;
	memcpy(in[0].iov_base, cmd->in, in[0].iov_len);
	err = vmedia_status(vm, type, in[0].iov_base);
	if (*used != in_len || (err && (err == -EIO || !error_payload)))
		return err;
	for (i = 1, off = in[0].iov_len; i < in_count; off += in[i++].iov_len)
		memcpy(in[i].iov_base, cmd->in + off, in[i].iov_len);
	return err;
}

/*
 * Send the pieces of out, in order; the device answers into the pieces of
 * in, the first of which is the answer's header (see vmedia_answer()).
 * When shared is given, the command owns *shared, memory the device
 * reaches through addresses in out: it gives it back (leaves *shared) once
 * the device answered, else keeps it until the device gives the command
 * back and sets *shared to NULL.
 *
 * Return: 0, or -errno: the device's status, -ENODEV once the device is
 * gone, -ETIMEDOUT when it did not answer, -EIO when it broke a rule (with
 * a log line).
 */
static int vmedia_command(struct vmedia *vm, const struct kvec *out,
			  unsigned int out_count, const struct kvec *in,
			  unsigned int in_count, void **shared, bool error_payload,
			  unsigned int *used)
{
	struct scatterlist sg_out, sg_in, *sgs[2] = { &sg_out, &sg_in };
	u32 type = le32_to_cpu(((const struct virtio_media_cmd_header *)
				out[0].iov_base)->cmd);
	size_t out_len = vmedia_kvec_len(out, out_count);
	size_t in_len = vmedia_kvec_len(in, in_count);
	unsigned int i, ms = READ_ONCE(answer_ms);
	struct vmedia_cmd *cmd;
	bool answered;
	size_t off;
	int err;

	*used = 0;
	cmd = kzalloc(sizeof(*cmd), GFP_KERNEL);
	if (!cmd) {
		if (shared) {
			kvfree(*shared);
			*shared = NULL;
		}
		return -ENOMEM;
	}
	vreq_init(&cmd->req, vmedia_cmd_release);
	if (shared)
		cmd->shared = *shared;
	cmd->out = kmalloc(out_len, GFP_KERNEL);
	cmd->in = in_len ? vmedia_alloc_dev_writable(in_len) : NULL;
	if (!cmd->out || (in_len && !cmd->in)) {
		err = -ENOMEM;
		goto keep;
	}
	for (i = 0, off = 0; i < out_count; off += out[i++].iov_len)
		memcpy(cmd->out + off, out[i].iov_base, out[i].iov_len);
	sg_init_one(&sg_out, cmd->out, out_len);
	if (in_len)
		sg_init_one(&sg_in, cmd->in, in_len);

	mutex_lock(&vm->cmd_lock);
	err = vreq_submit(&vm->commands, &cmd->req, sgs, 1, in_len ? 1 : 0);
	if (err) {
		mutex_unlock(&vm->cmd_lock);
		if (err == -EBUSY)
			vmedia_complain(vm, "device still holds a command it never answered\n");
		else if (err != -ENODEV)
			vmedia_complain(vm, "command %u not queued (%d)\n", type, err);
		err = err == -ENODEV ? err : -EIO;
		goto keep;
	}
	answered = vreq_wait(&vm->commands, &cmd->req, ms);
	mutex_unlock(&vm->cmd_lock);
	if (!answered) {
		vmedia_complain(vm, "device did not answer command %u in %u ms\n",
				type, ms);
		err = -ETIMEDOUT;
		goto keep;
	}
	err = vmedia_answer(vm, cmd, type, in, in_count, in_len, error_payload,
			    used);
	/* answered or given back: the device holds nothing any more */
	cmd->shared = NULL;
	vmedia_cmd_release(&cmd->req);
	return err;
keep:
	if (shared)
		*shared = NULL;
	/* the queue frees an abandoned command once the device returns it */
	if (err != -ETIMEDOUT)
		vmedia_cmd_release(&cmd->req);
	return err;
}

/*
 * A command whose answer is resp_len bytes, its header first: 0, or
 * -errno as vmedia_command() gives it.
 */
static int vmedia_call(struct vmedia *vm, const void *cmd, size_t len,
		       void *resp, size_t resp_len)
{
	struct kvec out = { (void *)cmd, len };
	struct kvec in[2] = {
		{ resp, sizeof(struct virtio_media_resp_header) },
		{ resp + sizeof(struct virtio_media_resp_header),
		  resp_len - sizeof(struct virtio_media_resp_header) },
	};
	u32 type = le32_to_cpu(((const struct virtio_media_cmd_header *)cmd)->cmd);
	unsigned int used;
	int err;

	err = vmedia_command(vm, &out, 1, in, 2, NULL, false, &used);
	if (!err && used != resp_len) {
		vmedia_complain(vm, "command %u answered with %u bytes, not %zu\n",
				type, used, resp_len);
		err = -EIO;
	}
	return err;
}

static struct vmedia_session *vmedia_find_session(struct vmedia *vm, u32 id)
{
	struct vmedia_session *s;

	lockdep_assert_held(&vm->sessions_lock);
	list_for_each_entry(s, &vm->sessions, node)
		if (s->id == id)
			return s;
	return NULL;
}

/**
 * vmedia_open_session - open a session on the device for a new file
 * @vm: the device
 * @s: the session, to be added to the device's
 *
 * Return: 0, or -errno (-EIO when the device lied, with a log line).
 */
int vmedia_open_session(struct vmedia *vm, struct vmedia_session *s)
{
	struct virtio_media_cmd_open cmd = {
		.hdr.cmd = cpu_to_le32(VIRTIO_MEDIA_CMD_OPEN),
	};
	struct virtio_media_resp_open resp;
	int err;

	err = vmedia_call(vm, &cmd, sizeof(cmd), &resp, sizeof(resp));
	if (err)
		return err;

	s->vm = vm;
	s->id = le32_to_cpu(resp.session_id);
	s->dead = 0;
	mutex_lock(&vm->sessions_lock);
	/* Two files on one session would see each other's state. */
	if (vmedia_find_session(vm, s->id)) {
		mutex_unlock(&vm->sessions_lock);
		vmedia_complain(vm, "OPEN answered with session %u, which is open\n",
				s->id);
		return -EIO;
	}
	list_add_tail(&s->node, &vm->sessions);
	mutex_unlock(&vm->sessions_lock);
	return 0;
}

/**
 * vmedia_close_session - close a file's session
 * @vm: the device
 * @s: the session, taken from the device's
 *
 * The device frees what the session held. It owes no answer but the
 * buffer. A session the device forgot in a reset is not closed.
 *
 * Return: 0, or -errno as for any command: the caller learns whether the
 * device may still hold the session's buffers.
 */
int vmedia_close_session(struct vmedia *vm, struct vmedia_session *s)
{
	struct virtio_media_cmd_close cmd = {
		.hdr.cmd = cpu_to_le32(VIRTIO_MEDIA_CMD_CLOSE),
		.session_id = cpu_to_le32(s->id),
	};
	struct kvec out = { &cmd, sizeof(cmd) };
	unsigned int used;
	bool known;

	mutex_lock(&vm->sessions_lock);
	known = !list_empty(&s->node);
	list_del_init(&s->node);
	mutex_unlock(&vm->sessions_lock);
	/* a reset device may have given its id to another session */
	if (!known)
		return 0;
	return vmedia_command(vm, &out, 1, NULL, 0, NULL, false, &used);
}

/**
 * vmedia_ioctl_payload - run a V4L2 ioctl in a session on the device
 * @s: the session
 * @cmd: the ioctl (VIDIOC_*); its direction says which way the payload goes
 * @p: the payload
 *
 * The pointer in @p->arg to @p->array is left as the device returns it:
 * the caller puts its own back. A payload after an error is taken only
 * where V4L2 itself returns the argument on error (the extended control
 * ioctls, for their error_idx) and @p->error_payload asks for it.
 *
 * Return: 0 with the payload as the device left it, or -errno: the
 * device's status, or -EIO when it broke a rule.
 */
int vmedia_ioctl_payload(struct vmedia_session *s, unsigned int cmd,
			 struct vmedia_payload *p)
{
	struct virtio_media_cmd_ioctl req = {
		.hdr.cmd = cpu_to_le32(VIRTIO_MEDIA_CMD_IOCTL),
		.session_id = cpu_to_le32(s->id),
		.code = cpu_to_le32(_IOC_NR(cmd)),
	};
	struct virtio_media_resp_ioctl resp;
	bool to_dev = _IOC_DIR(cmd) & _IOC_WRITE;
	bool from_dev = _IOC_DIR(cmd) & _IOC_READ;
	struct kvec out[4] = { { &req, sizeof(req) } };
	struct kvec in[3] = { { &resp, sizeof(resp) } };
	unsigned int out_count = 1, in_count = 1, used;
	int err;

	p->returned = false;
	if (WARN_ON_ONCE(p->size != _IOC_SIZE(cmd) || (p->shared && !to_dev)))
		return -EINVAL;
	mutex_lock(&s->vm->sessions_lock);
	err = s->dead;
	mutex_unlock(&s->vm->sessions_lock);
	if (err)
		return err;

	if (to_dev) {
		out[out_count++] = (struct kvec){ p->arg, p->size };
		if (p->array_len)
			out[out_count++] = (struct kvec){ p->array, p->array_len };
		/* the scatter list is the device's to read only */
		if (p->sg_len)
			out[out_count++] = (struct kvec){ p->sg, p->sg_len };
	}
	if (from_dev) {
		in[in_count++] = (struct kvec){ p->arg, p->size };
		if (p->array_len)
			in[in_count++] = (struct kvec){ p->array, p->array_len };
	}
	err = vmedia_command(s->vm, out, out_count, in, in_count,
			     p->shared ? &p->shared : NULL, p->error_payload,
			     &used);
	p->returned = in_count > 1 && used == vmedia_kvec_len(in, in_count) &&
		      (!err || (p->error_payload && err != -EIO));
	return err;
}

/**
 * vmedia_ioctl - run a V4L2 ioctl whose argument is all its payload
 * @s: the session
 * @cmd: the ioctl (VIDIOC_*); its direction says which way arg goes
 * @arg: its argument, in the 64-bit layout (see the Kbuild condition)
 * @size: the size of the argument, _IOC_SIZE(cmd)
 *
 * Return: as vmedia_ioctl_payload().
 */
int vmedia_ioctl(struct vmedia_session *s, unsigned int cmd, void *arg,
		 size_t size)
{
	struct vmedia_payload p = { .arg = arg, .size = size };

	return vmedia_ioctl_payload(s, cmd, &p);
}

/**
 * vmedia_map - ask the device where an MMAP buffer lies in region 0
 * @s: the session that owns the buffer
 * @flags: VIRTIO_MEDIA_MMAP_FLAG_RW or 0
 * @offset: the buffer's (or plane's) offset, from QUERYBUF
 * @driver_addr: where it lies in the region, unchecked
 * @len: its length, unchecked
 *
 * Return: 0, or -errno (-EIO when the device lied).
 */
int vmedia_map(struct vmedia_session *s, u32 flags, u32 offset,
	       u64 *driver_addr, u64 *len)
{
	struct virtio_media_cmd_mmap cmd = {
		.hdr.cmd = cpu_to_le32(VIRTIO_MEDIA_CMD_MMAP),
		.session_id = cpu_to_le32(s->id),
		.flags = cpu_to_le32(flags),
		.offset = cpu_to_le32(offset),
	};
	struct virtio_media_resp_mmap resp;
	int err;

	err = READ_ONCE(s->dead);
	if (!err)
		err = vmedia_call(s->vm, &cmd, sizeof(cmd), &resp, sizeof(resp));
	if (err)
		return err;
	*driver_addr = le64_to_cpu(resp.driver_addr);
	*len = le64_to_cpu(resp.len);
	return 0;
}

/**
 * vmedia_unmap - tell the device a buffer is no longer mapped
 * @vm: the device
 * @driver_addr: where the buffer lies in region 0, as MMAP said
 */
void vmedia_unmap(struct vmedia *vm, u64 driver_addr)
{
	struct virtio_media_cmd_munmap cmd = {
		.hdr.cmd = cpu_to_le32(VIRTIO_MEDIA_CMD_MUNMAP),
		.driver_addr = cpu_to_le64(driver_addr),
	};
	struct virtio_media_resp_munmap resp;
	int err;

	err = vmedia_call(vm, &cmd, sizeof(cmd), &resp, sizeof(resp));
	/* a removed device forgot its mappings */
	if (err && err != -ENODEV)
		vmedia_complain(vm, "MUNMAP of %#llx failed (%d)\n",
				driver_addr, err);
}

/**
 * vmedia_flush_events - handle the events the device sent so far
 * @vm: the device
 *
 * For the answer to a command that takes buffers back: the device sent
 * the buffers it returned before answering.
 */
void vmedia_flush_events(struct vmedia *vm)
{
	schedule_work(&vm->event_work);
	flush_work(&vm->event_work);
}

static void vmedia_post_event(struct vmedia *vm, struct vmedia_event_buf *buf)
{
	struct scatterlist sg;

	sg_init_one(&sg, &buf->ev, sizeof(buf->ev));
	if (virtqueue_add_inbuf(vm->event_vq, &sg, 1, buf, GFP_ATOMIC))
		vmedia_complain(vm, "event buffer not queued\n");
}

static void vmedia_event_done(struct virtqueue *vq)
{
	struct vmedia *vm = vq->vdev->priv;

	schedule_work(&vm->event_work);
}

/* The device ended a session: the file's next calls fail with errnum. */
static void vmedia_session_error(struct vmedia *vm,
				 const struct virtio_media_event_error *ev)
{
	u32 id = le32_to_cpu(ev->hdr.session_id);
	u32 errnum = le32_to_cpu(ev->errnum);
	struct vmedia_session *s;

	if (!errnum || errnum >= MAX_ERRNO) {
		vmedia_complain(vm, "error event for session %u with errno %u\n",
				id, errnum);
		errnum = EIO;
	}
	mutex_lock(&vm->sessions_lock);
	s = vmedia_find_session(vm, id);
	if (s && !s->dead) {
		WRITE_ONCE(s->dead, -errnum);
		vmedia_queues_end(s);
	}
	mutex_unlock(&vm->sessions_lock);
	if (!s)
		vmedia_complain(vm, "error event for session %u, which is not open\n",
				id);
	else
		dev_info_ratelimited(vm->v4l2_dev.dev, "session %u ended by the device (errno %u)\n",
				     id, errnum);
}

/* A V4L2 event: to the session's file, if it subscribed to it. */
static void vmedia_session_event(struct vmedia *vm,
				 const struct virtio_media_event_event *ev)
{
	u32 id = le32_to_cpu(ev->hdr.session_id);
	struct vmedia_session *s;
	struct v4l2_event event;

	static_assert(sizeof(event) == sizeof(ev->event));
	memcpy(&event, ev->event, sizeof(event));
	mutex_lock(&vm->sessions_lock);
	s = vmedia_find_session(vm, id);
	if (s)
		v4l2_event_queue_fh(&s->fh, &event);
	mutex_unlock(&vm->sessions_lock);
	if (!s)
		vmedia_complain(vm, "V4L2 event for session %u, which is not open\n",
				id);
}

/* A buffer the device returned: to its session's queue, for DQBUF. */
static void vmedia_dqbuf_event(struct vmedia *vm,
			       const struct virtio_media_event_dqbuf *ev)
{
	struct vmedia_done *done = kmalloc(sizeof(*done), GFP_KERNEL);
	u32 id = le32_to_cpu(ev->hdr.session_id);
	struct vmedia_session *s;

	static_assert(sizeof(done->buf) == sizeof(ev->buffer));
	static_assert(sizeof(done->planes) == sizeof(ev->planes));
	if (!done) {
		vmedia_complain(vm, "buffer event lost: no memory\n");
		return;
	}
	memcpy(&done->buf, ev->buffer, sizeof(done->buf));
	memcpy(done->planes, ev->planes, sizeof(done->planes));
	mutex_lock(&vm->sessions_lock);
	s = vmedia_find_session(vm, id);
	if (s)
		vmedia_buffer_done(s, done);
	mutex_unlock(&vm->sessions_lock);
	if (!s) {
		vmedia_complain(vm, "buffer event for session %u, which is not open\n",
				id);
		kfree(done);
	}
}

/* One event of len bytes, a copy of what the device wrote. */
static void vmedia_handle_event(struct vmedia *vm, const union vmedia_event *ev,
				unsigned int len)
{
	static const unsigned int size[] = {
		[VIRTIO_MEDIA_EVT_ERROR] = sizeof(ev->error),
		[VIRTIO_MEDIA_EVT_DQBUF] = sizeof(ev->dqbuf),
		[VIRTIO_MEDIA_EVT_EVENT] = sizeof(ev->event),
	};
	u32 type = len >= sizeof(ev->hdr) ? le32_to_cpu(ev->hdr.event) : U32_MAX;

	if (type >= ARRAY_SIZE(size) || len != size[type]) {
		vmedia_complain(vm, "event of %u bytes, type %d: not one of the specification\n",
				len, (int)type);
		return;
	}
	switch (type) {
	case VIRTIO_MEDIA_EVT_ERROR:
		vmedia_session_error(vm, &ev->error);
		break;
	case VIRTIO_MEDIA_EVT_EVENT:
		vmedia_session_event(vm, &ev->event);
		break;
	default:
		vmedia_dqbuf_event(vm, &ev->dqbuf);
		break;
	}
}

static void vmedia_event_work(struct work_struct *work)
{
	struct vmedia *vm = container_of(work, struct vmedia, event_work);
	struct vmedia_event_buf *buf;
	union vmedia_event *ev;
	unsigned int len;

	ev = kmalloc(sizeof(*ev), GFP_KERNEL);
	for (;;) {
		spin_lock_irq(&vm->event_lock);
		buf = vm->gone ? NULL : virtqueue_get_buf(vm->event_vq, &len);
		/* the device may write it again once posted: copy it first */
		if (buf && ev)
			memcpy(ev, &buf->ev, min_t(size_t, len, sizeof(*ev)));
		if (buf) {
			vmedia_post_event(vm, buf);
			virtqueue_kick(vm->event_vq);
		}
		spin_unlock_irq(&vm->event_lock);
		if (!buf)
			break;
		if (!ev)
			vmedia_complain(vm, "event lost: no memory\n");
		else if (len > sizeof(*ev))
			vmedia_complain(vm, "event of %u bytes, more than its buffer\n",
					len);
		else
			vmedia_handle_event(vm, ev, len);
	}
	kfree(ev);
}

static int vmedia_setup_vqs(struct vmedia *vm)
{
	struct virtqueue_info vqs_info[VIRTIO_MEDIA_VQ_MAX_CNT] = {
		[VIRTIO_MEDIA_VQ_COMMAND] = { "command", vmedia_cmd_done },
		[VIRTIO_MEDIA_VQ_EVENT] = { "event", vmedia_event_done },
	};
	struct virtqueue *vqs[VIRTIO_MEDIA_VQ_MAX_CNT];
	unsigned int i;
	int err;

	err = virtio_find_vqs(vm->vdev, VIRTIO_MEDIA_VQ_MAX_CNT, vqs, vqs_info,
			      NULL);
	if (err) {
		dev_err(&vm->vdev->dev, "setting up the queues failed (%d)\n", err);
		return err;
	}
	vm->cmd_vq = vqs[VIRTIO_MEDIA_VQ_COMMAND];
	vm->event_vq = vqs[VIRTIO_MEDIA_VQ_EVENT];
	virtio_device_ready(vm->vdev);

	mutex_lock(&vm->cmd_lock);
	vreq_queue_open(&vm->commands, vm->cmd_vq);
	mutex_unlock(&vm->cmd_lock);
	spin_lock_irq(&vm->event_lock);
	vm->gone = false;
	for (i = 0; i < VMEDIA_EVENT_BUFS; i++)
		vmedia_post_event(vm, &vm->events[i]);
	virtqueue_kick(vm->event_vq);
	spin_unlock_irq(&vm->event_lock);
	return 0;
}

/* Stop the device and delete its queues; commands it held get -ENODEV. */
static void vmedia_teardown_vqs(struct vmedia *vm)
{
	mutex_lock(&vm->cmd_lock);
	vreq_queue_close(&vm->commands);
	mutex_unlock(&vm->cmd_lock);
	spin_lock_irq(&vm->event_lock);
	vm->gone = true;
	spin_unlock_irq(&vm->event_lock);
	virtio_reset_device(vm->vdev);
	cancel_work_sync(&vm->event_work);
	vmedia_userptr_reset(vm);
	/* Indirect tables of what the device held are freed only by detaching. */
	while (virtqueue_detach_unused_buf(vm->cmd_vq))
		;
	while (virtqueue_detach_unused_buf(vm->event_vq))
		;
	vreq_queue_give_back(&vm->commands, -ENODEV);
	vm->vdev->config->del_vqs(vm->vdev);
}

/* The capabilities of a device the driver relays. */
#define VMEDIA_DEVICE_CAPS (V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_VIDEO_OUTPUT | \
			    V4L2_CAP_VIDEO_CAPTURE_MPLANE |			\
			    V4L2_CAP_VIDEO_OUTPUT_MPLANE |			\
			    V4L2_CAP_VIDEO_M2M | V4L2_CAP_VIDEO_M2M_MPLANE |	\
			    V4L2_CAP_STREAMING | V4L2_CAP_EXT_PIX_FORMAT)

/* Read and check the configuration: what kind of node, and its name. */
static int vmedia_read_config(struct vmedia *vm)
{
	struct virtio_device *vdev = vm->vdev;
	u32 caps, type;

	virtio_cread_le(vdev, struct virtio_media_config, device_caps, &caps);
	virtio_cread_le(vdev, struct virtio_media_config, device_type, &type);
	virtio_cread_bytes(vdev, offsetof(struct virtio_media_config, card),
			   vm->card, VIRTIO_MEDIA_CARD_SIZE);
	vm->card[VIRTIO_MEDIA_CARD_SIZE] = '\0';

	if (type != VFL_TYPE_VIDEO) {
		dev_err(&vdev->dev, "device type %u: only video devices (%u) are supported\n",
			type, VFL_TYPE_VIDEO);
		return -EINVAL;
	}
	if (!(caps & (V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_VIDEO_OUTPUT |
		      V4L2_CAP_VIDEO_CAPTURE_MPLANE | V4L2_CAP_VIDEO_OUTPUT_MPLANE |
		      V4L2_CAP_VIDEO_M2M | V4L2_CAP_VIDEO_M2M_MPLANE))) {
		dev_err(&vdev->dev,
			"capabilities 0x%08x: neither video capture, output nor m2m\n",
			caps);
		return -EINVAL;
	}
	/* what is relayed: no read(), overlay, VBI, radio, metadata... */
	vm->device_caps = caps & VMEDIA_DEVICE_CAPS;
	vm->guest_phys = !virtio_has_feature(vdev, VIRTIO_F_ACCESS_PLATFORM);
	if (!vm->card[0])
		strscpy(vm->card, "virtio-media", sizeof(vm->card));
	return 0;
}

/* Streaming needs region 0, where MMAP buffers live, mappable by pages. */
static void vmedia_read_shm(struct vmedia *vm)
{
	struct virtio_shm_region *shm = &vm->shm;

	if (!(vm->device_caps & V4L2_CAP_STREAMING))
		return;
	if (!virtio_get_shm_region(vm->vdev, shm, VIRTIO_MEDIA_SHM_MMAP)) {
		dev_warn(&vm->vdev->dev, "no shared memory region %u: streaming is not offered\n",
			 VIRTIO_MEDIA_SHM_MMAP);
	} else if (!shm->len || !PAGE_ALIGNED(shm->addr) ||
		   !PAGE_ALIGNED(shm->len) || shm->addr + shm->len < shm->addr) {
		dev_warn(&vm->vdev->dev, "shared memory region of %#llx bytes at %#llx is not in whole pages: streaming is not offered\n",
			 shm->len, shm->addr);
	} else {
		return;
	}
	vm->device_caps &= ~V4L2_CAP_STREAMING;
}

/* The last user of the video node is gone. */
static void vmedia_release(struct v4l2_device *v4l2_dev)
{
	struct vmedia *vm = container_of(v4l2_dev, struct vmedia, v4l2_dev);

	v4l2_device_unregister(&vm->v4l2_dev);
	vmedia_mmap_exit(vm);
	kfree(vm->events);
	kfree(vm);
}

static int vmedia_validate(struct virtio_device *vdev)
{
	if (!vdev->config->get) {
		dev_err(&vdev->dev, "transport has no configuration access\n");
		return -EINVAL;
	}
	return 0;
}

static int vmedia_probe(struct virtio_device *vdev)
{
	struct vmedia *vm;
	int err;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return -ENOMEM;
	vm->events = kcalloc(VMEDIA_EVENT_BUFS, sizeof(*vm->events), GFP_KERNEL);
	if (!vm->events) {
		kfree(vm);
		return -ENOMEM;
	}
	vm->vdev = vdev;
	vdev->priv = vm;
	mutex_init(&vm->cmd_lock);
	vreq_queue_init(&vm->commands);
	mutex_init(&vm->sessions_lock);
	INIT_LIST_HEAD(&vm->sessions);
	spin_lock_init(&vm->event_lock);
	INIT_WORK(&vm->event_work, vmedia_event_work);
	vmedia_userptr_init(vm);
	/* Per device: one device's complaints cannot hide another's. */
	ratelimit_state_init(&vm->rs, 5 * HZ, 10);

	err = vmedia_read_config(vm);
	if (err)
		goto free;
	vmedia_read_shm(vm);
	vmedia_mmap_init(vm);
	err = v4l2_device_register(&vdev->dev, &vm->v4l2_dev);
	if (err)
		goto free;
	err = vmedia_setup_vqs(vm);
	if (err)
		goto unregister;
	err = vmedia_video_register(vm);
	if (err)
		goto teardown;
	/* from here on, the V4L2 device's release frees vm */
	vm->v4l2_dev.release = vmedia_release;
	dev_info(&vdev->dev, "%s: %s\n", video_device_node_name(&vm->video),
		 vm->card);
	return 0;

teardown:
	vmedia_teardown_vqs(vm);
unregister:
	v4l2_device_unregister(&vm->v4l2_dev);
free:
	kfree(vm->events);
	kfree(vm);
	return err;
}

/*
 * Sessions end with the device, with errnum: whoever waits on one wakes.
 * After a reset the device no longer knows them (forget).
 */
static void vmedia_end_sessions(struct vmedia *vm, int errnum, bool forget)
{
	struct vmedia_session *s, *tmp;

	mutex_lock(&vm->sessions_lock);
	list_for_each_entry_safe(s, tmp, &vm->sessions, node) {
		if (!s->dead)
			WRITE_ONCE(s->dead, errnum);
		vmedia_queues_end(s);
		if (forget)
			list_del_init(&s->node);
	}
	mutex_unlock(&vm->sessions_lock);
}

static void vmedia_remove(struct virtio_device *vdev)
{
	struct vmedia *vm = vdev->priv;

	/*
	 * The mappings of the region first, which the device may reuse once
	 * reset; then the device: commands it holds come back as -ENODEV,
	 * and new ones fail so; then no new file, and open files' calls
	 * fail with -ENODEV. The last file's release frees vm.
	 */
	vmedia_mmap_revoke(vm, true);
	vmedia_teardown_vqs(vm);
	vmedia_end_sessions(vm, -ENODEV, false);
	video_unregister_device(&vm->video);
	v4l2_device_disconnect(&vm->v4l2_dev);
	v4l2_device_put(&vm->v4l2_dev);
}

#ifdef CONFIG_PM_SLEEP
/*
 * The specification carries no session across a reset: open files' sessions
 * end (-EIO), their mappings are taken down, and files opened after
 * restore get new sessions.
 */
static int vmedia_freeze(struct virtio_device *vdev)
{
	struct vmedia *vm = vdev->priv;

	vmedia_mmap_revoke(vm, false);
	vmedia_teardown_vqs(vm);
	vmedia_end_sessions(vm, -EIO, true);
	return 0;
}

static int vmedia_restore(struct virtio_device *vdev)
{
	return vmedia_setup_vqs(vdev->priv);
}
#endif

static const struct virtio_device_id vmedia_id_table[] = {
	{ VIRTIO_ID_MEDIA, VIRTIO_DEV_ANY_ID },
	{ 0 },
};
MODULE_DEVICE_TABLE(virtio, vmedia_id_table);

static struct virtio_driver vmedia_driver = {
	.driver.name = KBUILD_MODNAME,
	.id_table = vmedia_id_table,
	.validate = vmedia_validate,
	.probe = vmedia_probe,
	.remove = vmedia_remove,
#ifdef CONFIG_PM_SLEEP
	.freeze = vmedia_freeze,
	.restore = vmedia_restore,
#endif
};
module_virtio_driver(vmedia_driver);

MODULE_DESCRIPTION("virtio-media: V4L2 devices relayed over virtio");
MODULE_LICENSE("GPL");
