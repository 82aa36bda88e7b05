// SPDX-License-Identifier: GPL-2.0
/*
 * A real V4L2 node behind a virtio-media device: see media_proxy.h.
 *
 * The payload of an ioctl is the native 64-bit layout, so an ioctl runs
 * on the payload itself, with the pointers it holds pointed into it (the
 * controls of G/S/TRY_EXT_CTRLS) or at the values their scatter lists
 * name. MMAP buffers get a slot of region 0 each; what the real node
 * returns is copied into the slot before the DQBUF event goes out.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/virtio_config.h>
#include <linux/virtio_extra/virtio_media.h>

#include "media_proxy.h"

#define MAX_CTRLS 256

/* The ioctls relayed, found by their number. */
static const unsigned long proxy_ioctls[] = {
	VIDIOC_ENUM_FMT, VIDIOC_G_FMT, VIDIOC_S_FMT, VIDIOC_TRY_FMT,
	VIDIOC_ENUMINPUT, VIDIOC_G_INPUT, VIDIOC_S_INPUT,
	VIDIOC_ENUMOUTPUT, VIDIOC_G_OUTPUT, VIDIOC_S_OUTPUT,
	VIDIOC_G_PARM, VIDIOC_S_PARM,
	VIDIOC_ENUM_FRAMESIZES, VIDIOC_ENUM_FRAMEINTERVALS,
	VIDIOC_G_SELECTION, VIDIOC_S_SELECTION,
	VIDIOC_QUERYCTRL, VIDIOC_QUERY_EXT_CTRL, VIDIOC_QUERYMENU,
	VIDIOC_G_CTRL, VIDIOC_S_CTRL,
	VIDIOC_G_EXT_CTRLS, VIDIOC_S_EXT_CTRLS, VIDIOC_TRY_EXT_CTRLS,
	VIDIOC_SUBSCRIBE_EVENT, VIDIOC_UNSUBSCRIBE_EVENT,
	VIDIOC_REQBUFS, VIDIOC_CREATE_BUFS, VIDIOC_QUERYBUF,
	VIDIOC_PREPARE_BUF, VIDIOC_QBUF, VIDIOC_STREAMON, VIDIOC_STREAMOFF,
};

static unsigned long proxy_ioctl_cmd(uint32_t nr)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(proxy_ioctls); i++)
		if (_IOC_NR(proxy_ioctls[i]) == nr)
			return proxy_ioctls[i];
	return 0;
}

static int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

int media_proxy_create(struct media_proxy *p, const char *node)
{
	struct virtio_media_config config = { .device_type = htole32(0) };
	struct v4l2_capability cap;
	unsigned int i;
	int fd, err;

	memset(p, 0, sizeof(*p));
	p->node = node;
	for (i = 0; i < MEDIA_PROXY_MAX_SESSIONS; i++)
		p->sessions[i].fd = -1;
	fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = xioctl(fd, VIDIOC_QUERYCAP, &cap);
	close(fd);
	if (err)
		return err;
	config.device_caps = htole32(cap.device_caps);
	memcpy(config.card, cap.card, sizeof(config.card));
	return media_device_start(&p->dev, &config, MEDIA_PROXY_SHM_SIZE);
}

static struct proxy_session *proxy_session(struct media_proxy *p, uint32_t id)
{
	if (id >= MEDIA_PROXY_MAX_SESSIONS || p->sessions[id].fd < 0)
		return NULL;
	return &p->sessions[id];
}

/*
 * Whether a session has buffers or the guest maps a slot: the slots may
 * start over if neither.
 */
static bool proxy_slots_in_use(struct media_proxy *p)
{
	unsigned int i;

	for (i = 0; i < MEDIA_PROXY_MAX_SESSIONS; i++)
		if (p->sessions[i].nbufs)
			return true;
	for (i = 0; i < ARRAY_SIZE(p->slot_maps); i++)
		if (p->slot_maps[i])
			return true;
	return false;
}

/* The session's buffers go: unmapped from the proxy, slots forgotten. */
static void proxy_release_buffers(struct proxy_session *s)
{
	unsigned int i;

	for (i = 0; i < s->nbufs; i++)
		if (s->bufs[i].real)
			munmap(s->bufs[i].real, s->bufs[i].length);
	memset(s->bufs, 0, sizeof(s->bufs));
	s->nbufs = 0;
	s->queued = 0;
}

/*
 * Buffers first..first+count-1 the real node allocated: map each and give
 * it a slot of region 0. Slots of buffers the guest still maps are never
 * reused. 0 or -errno.
 */
static int proxy_add_buffers(struct media_proxy *p, struct proxy_session *s,
			     uint32_t type, uint32_t first, uint32_t count)
{
	uint32_t page = MEDIA_PROXY_PAGE, i, size;
	struct proxy_buffer *pb;
	struct v4l2_buffer b;
	int err;

	if (!proxy_slots_in_use(p))
		p->region_used = 0;
	for (i = first; i < first + count; i++) {
		if (i >= VIDEO_MAX_FRAME)
			return -ENOMEM;
		memset(&b, 0, sizeof(b));
		b.index = i;
		b.type = type;
		b.memory = V4L2_MEMORY_MMAP;
		err = xioctl(s->fd, VIDIOC_QUERYBUF, &b);
		if (err)
			return err;
		pb = &s->bufs[i];
		size = (b.length + page - 1) & ~(page - 1);
		if (size > MEDIA_PROXY_SHM_SIZE - p->region_used)
			return -ENOMEM;
		pb->real = mmap(NULL, b.length, PROT_READ, MAP_SHARED, s->fd,
				b.m.offset);
		if (pb->real == MAP_FAILED) {
			pb->real = NULL;
			return -errno;
		}
		pb->length = b.length;
		pb->slot = p->region_used;
		p->region_used += size;
		if (i >= s->nbufs)
			s->nbufs = i + 1;
	}
	s->type = type;
	return 0;
}

/*
 * The memory the proxy relays: MMAP only, its slots of region 0 (the real
 * node cannot reach the driver's USERPTR pages nor its dma-bufs).
 */
static uint32_t proxy_buf_caps(uint32_t caps)
{
	return caps & ~(V4L2_BUF_CAP_SUPPORTS_USERPTR |
			V4L2_BUF_CAP_SUPPORTS_DMABUF);
}

static int proxy_reqbufs(struct media_proxy *p, struct proxy_session *s,
			 struct v4l2_requestbuffers *rb)
{
	struct v4l2_requestbuffers none = {
		.type = rb->type, .memory = V4L2_MEMORY_MMAP,
	};
	int err;

	if (rb->memory != V4L2_MEMORY_MMAP || V4L2_TYPE_IS_MULTIPLANAR(rb->type))
		return -EINVAL;
	/* the real node frees no buffer the proxy maps */
	proxy_release_buffers(s);
	err = xioctl(s->fd, VIDIOC_REQBUFS, rb);
	rb->capabilities = proxy_buf_caps(rb->capabilities);
	if (err || !rb->count)
		return err;
	err = proxy_add_buffers(p, s, rb->type, 0, rb->count);
	if (err) {
		proxy_release_buffers(s);
		xioctl(s->fd, VIDIOC_REQBUFS, &none);
	}
	return err;
}

static int proxy_create_bufs(struct media_proxy *p, struct proxy_session *s,
			     struct v4l2_create_buffers *cb)
{
	int err;

	if (cb->memory != V4L2_MEMORY_MMAP ||
	    V4L2_TYPE_IS_MULTIPLANAR(cb->format.type))
		return -EINVAL;
	err = xioctl(s->fd, VIDIOC_CREATE_BUFS, cb);
	cb->capabilities = proxy_buf_caps(cb->capabilities);
	if (err || !cb->count)
		return err;
	/* slots for them; the real buffers stay until the next REQBUFS */
	return proxy_add_buffers(p, s, cb->format.type, cb->index, cb->count);
}

/* Buffer b as the guest sees it: in its slot, mapped if the guest maps it. */
static void proxy_describe(struct proxy_session *s, struct v4l2_buffer *b,
			   unsigned int mapped)
{
	b->m.offset = s->bufs[b->index].slot;
	b->flags &= ~V4L2_BUF_FLAG_MAPPED;
	if (mapped)
		b->flags |= V4L2_BUF_FLAG_MAPPED;
}

/* How many of the guest's mappings name slot. */
static unsigned int proxy_slot_mapped(struct media_proxy *p, uint32_t slot)
{
	return p->slot_maps[slot / MEDIA_PROXY_PAGE];
}

static int proxy_buffer_ioctl(struct media_proxy *p, struct proxy_session *s,
			      unsigned long cmd, struct v4l2_buffer *b)
{
	uint32_t i = b->index;
	int err;

	if (V4L2_TYPE_IS_MULTIPLANAR(b->type) || i >= s->nbufs ||
	    !s->bufs[i].real)
		return -EINVAL;
	err = xioctl(s->fd, cmd, b);
	if (err)
		return err;
	if (cmd == VIDIOC_QBUF && !s->bufs[i].queued) {
		s->bufs[i].queued = true;
		s->queued++;
	}
	proxy_describe(s, b, proxy_slot_mapped(p, s->bufs[i].slot));
	return 0;
}

static int proxy_stream(struct proxy_session *s, unsigned long cmd,
			uint32_t *type)
{
	unsigned int i;
	int err;

	err = xioctl(s->fd, cmd, type);
	if (err)
		return err;
	s->streaming = cmd == VIDIOC_STREAMON;
	if (cmd == VIDIOC_STREAMOFF) {
		for (i = 0; i < s->nbufs; i++)
			s->bufs[i].queued = false;
		s->queued = 0;
	}
	return 0;
}

/*
 * G/S/TRY_EXT_CTRLS: the controls follow the structure, the scatter lists
 * of the values of their own follow the controls (len bytes in all). Each
 * value is read from guest memory, handed to the real node, and what it
 * leaves is written back.
 */
static int proxy_ext_ctrls(struct media_proxy *p, struct proxy_session *s,
			   unsigned long cmd, struct v4l2_ext_controls *cs,
			   uint32_t len)
{
	struct v4l2_ext_control *c = (struct v4l2_ext_control *)(cs + 1);
	const struct virtio_media_sg_entry *sg = (const void *)(c + cs->count);
	uint32_t sizes[MAX_CTRLS] = { 0 }, i, nsg, next = 0, back;
	void *values[MAX_CTRLS] = { NULL };
	struct v4l2_query_ext_ctrl q;
	int err = 0, err2;

	if (cs->count > MAX_CTRLS ||
	    len < sizeof(*cs) + cs->count * sizeof(*c))
		return -EINVAL;
	nsg = (len - sizeof(*cs) - cs->count * sizeof(*c)) / sizeof(*sg);
	for (i = 0; !err && i < cs->count; i++) {
		memset(&q, 0, sizeof(q));
		q.id = c[i].id;
		if (!c[i].size || xioctl(s->fd, VIDIOC_QUERY_EXT_CTRL, &q) ||
		    !(q.flags & V4L2_CTRL_FLAG_HAS_PAYLOAD))
			continue;
		sizes[i] = c[i].size;
		values[i] = calloc(1, sizes[i]);
		err = values[i] ? media_sg_copy(&p->dev.lab, sg, nsg, &next, sizes[i],
						values[i], sizes[i], false) :
				  -ENOMEM;
		c[i].ptr = values[i];
	}
	cs->controls = c;
	if (!err)
		err = xioctl(s->fd, cmd, cs);
	cs->controls = NULL;
	for (i = 0, next = 0; i < cs->count; i++) {
		if (!values[i])
			continue;
		back = c[i].size < sizes[i] ? c[i].size : sizes[i];
		err2 = media_sg_copy(&p->dev.lab, sg, nsg, &next, sizes[i], values[i],
				     err ? 0 : back, true);
		if (!err)
			err = err2;
		c[i].ptr = NULL;
		free(values[i]);
	}
	return err;
}

/*
 * vivid's own controls (its class, 0x00f00000) include buttons that
 * disconnect it or inject errors: v4l2-compliance leaves them alone on
 * vivid, which it knows by its driver name, but would press them through
 * the relay. The proxy hides them.
 */
#define VIVID_CLASS 0x00f00000

static bool proxy_hidden(uint32_t id)
{
	return V4L2_CTRL_ID2WHICH(id & ~MEDIA_CTRL_NEXT_FLAGS) == VIVID_CLASS;
}

/*
 * QUERYCTRL and QUERY_EXT_CTRL (arg, whose id is its first field):
 * enumeration steps over hidden controls, which are not found by id.
 */
static int proxy_query_ctrl(struct proxy_session *s, unsigned long cmd,
			    uint32_t *arg)
{
	uint32_t flags = *arg & MEDIA_CTRL_NEXT_FLAGS;
	int err;

	if (!flags && proxy_hidden(*arg))
		return -EINVAL;
	for (;;) {
		err = xioctl(s->fd, cmd, arg);
		if (err || !flags || !proxy_hidden(*arg))
			return err;
		*arg |= flags;
	}
}

/* An extended control ioctl naming a hidden control or class. */
static bool proxy_ext_ctrls_hidden(const struct v4l2_ext_controls *cs)
{
	const struct v4l2_ext_control *c = (const void *)(cs + 1);
	uint32_t i;

	if (cs->which == VIVID_CLASS)
		return true;
	for (i = 0; i < cs->count && i < MAX_CTRLS; i++)
		if (proxy_hidden(c[i].id))
			return true;
	return false;
}

/* Run ioctl nr of session s on the payload arg, len bytes of it written. */
static int proxy_run_ioctl(struct media_proxy *p, struct proxy_session *s,
			   uint32_t nr, void *arg, uint32_t len)
{
	unsigned long cmd = proxy_ioctl_cmd(nr);
	int err;

	if (!cmd)
		return -ENOTTY;
	if (len < _IOC_SIZE(cmd) && (_IOC_DIR(cmd) & _IOC_WRITE))
		return -EINVAL;
	switch (cmd) {
	case VIDIOC_QUERYCTRL:
	case VIDIOC_QUERY_EXT_CTRL:
		return proxy_query_ctrl(s, cmd, arg);
	case VIDIOC_QUERYMENU:
	case VIDIOC_G_CTRL:
	case VIDIOC_S_CTRL:
		/* the control's id comes first in all three */
		if (proxy_hidden(*(uint32_t *)arg))
			return -EINVAL;
		return xioctl(s->fd, cmd, arg);
	case VIDIOC_G_EXT_CTRLS:
	case VIDIOC_S_EXT_CTRLS:
	case VIDIOC_TRY_EXT_CTRLS:
		if (len >= sizeof(struct v4l2_ext_controls) &&
		    proxy_ext_ctrls_hidden(arg)) {
			((struct v4l2_ext_controls *)arg)->error_idx =
				((struct v4l2_ext_controls *)arg)->count;
			return -EINVAL;
		}
		return proxy_ext_ctrls(p, s, cmd, arg, len);
	case VIDIOC_REQBUFS:
		return proxy_reqbufs(p, s, arg);
	case VIDIOC_CREATE_BUFS:
		return proxy_create_bufs(p, s, arg);
	case VIDIOC_QUERYBUF:
	case VIDIOC_PREPARE_BUF:
	case VIDIOC_QBUF:
		return proxy_buffer_ioctl(p, s, cmd, arg);
	case VIDIOC_STREAMON:
	case VIDIOC_STREAMOFF:
		return proxy_stream(s, cmd, arg);
	case VIDIOC_SUBSCRIBE_EVENT:
		err = xioctl(s->fd, cmd, arg);
		s->subscribed |= !err;
		return err;
	default:
		return xioctl(s->fd, cmd, arg);
	}
}

static uint32_t proxy_ioctl(void *dev, const struct vlab_event *ev,
			    uint8_t *answer)
{
	struct media_proxy *p = dev;
	struct proxy_session *s;
	struct media_ioctl_req r;
	int err;

	memset(p->payload, 0, sizeof(p->payload));
	err = media_ioctl_parse(ev->data, ev->out_len, ev->in_len,
				sizeof(p->payload), &r);
	s = err ? NULL : proxy_session(p, r.session);
	if (!s)
		return media_ioctl_answer(answer, &r, -EINVAL, p->payload);
	memcpy(p->payload, ev->data + sizeof(struct virtio_media_cmd_ioctl),
	       r.written);
	err = proxy_run_ioctl(p, s, r.nr, p->payload, r.written);
	return media_ioctl_answer(answer, &r, err, p->payload);
}

static int proxy_open(void *dev)
{
	struct media_proxy *p = dev;
	uint32_t id;
	int fd;

	for (id = 1; id < MEDIA_PROXY_MAX_SESSIONS && p->sessions[id].fd >= 0; id++)
		;
	if (id == MEDIA_PROXY_MAX_SESSIONS)
		return -EBUSY;
	fd = open(p->node, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	memset(&p->sessions[id], 0, sizeof(p->sessions[id]));
	p->sessions[id].fd = fd;
	return id;
}

static void proxy_close_session(struct proxy_session *s)
{
	proxy_release_buffers(s);
	close(s->fd);
	s->fd = -1;
	s->streaming = false;
	s->subscribed = false;
}

/* Its slots stay until MUNMAP, as the specification says. */
static void proxy_close(void *dev, uint32_t session)
{
	struct proxy_session *s = proxy_session(dev, session);

	if (s)
		proxy_close_session(s);
}

static int proxy_mmap(void *dev, uint32_t session, uint32_t flags,
		      uint32_t offset, uint64_t *driver_addr, uint64_t *len)
{
	struct media_proxy *p = dev;
	struct proxy_session *s = proxy_session(p, session);
	uint32_t page = MEDIA_PROXY_PAGE, i;

	for (i = 0; s && i < s->nbufs; i++)
		if (s->bufs[i].real && s->bufs[i].slot == offset)
			break;
	if (!s || i == s->nbufs)
		return -EINVAL;
	p->slot_maps[s->bufs[i].slot / MEDIA_PROXY_PAGE]++;
	*driver_addr = s->bufs[i].slot;
	*len = (s->bufs[i].length + page - 1) & ~(page - 1);
	return 0;
}

static int proxy_munmap(void *dev, uint64_t addr)
{
	struct media_proxy *p = dev;

	if (addr >= MEDIA_PROXY_SHM_SIZE || !p->slot_maps[addr / MEDIA_PROXY_PAGE])
		return -EINVAL;
	p->slot_maps[addr / MEDIA_PROXY_PAGE]--;
	return 0;
}

/* A reset forgets sessions, mappings and every chain. */
static void proxy_reset(void *dev)
{
	struct media_proxy *p = dev;
	unsigned int i;

	for (i = 0; i < MEDIA_PROXY_MAX_SESSIONS; i++)
		if (p->sessions[i].fd >= 0)
			proxy_close_session(&p->sessions[i]);
	p->region_used = 0;
	memset(p->slot_maps, 0, sizeof(p->slot_maps));
}

/* A buffer the real node returned goes to its slot, then to the driver. */
static int proxy_dqbuf(struct media_proxy *p, uint32_t id)
{
	struct proxy_session *s = &p->sessions[id];
	struct virtio_media_event_dqbuf ev = {
		.hdr.event = htole32(VIRTIO_MEDIA_EVT_DQBUF),
		.hdr.session_id = htole32(id),
	};
	struct proxy_buffer *pb;
	struct v4l2_buffer b = { .type = s->type, .memory = V4L2_MEMORY_MMAP };
	int err;

	err = xioctl(s->fd, VIDIOC_DQBUF, &b);
	if (err)
		return err == -EAGAIN ? 0 : err;
	if (b.index >= s->nbufs || !s->bufs[b.index].real)
		return -EIO;
	pb = &s->bufs[b.index];
	if (pb->queued) {
		pb->queued = false;
		s->queued--;
	}
	memcpy(p->dev.shm + pb->slot, pb->real,
	       b.bytesused < pb->length ? b.bytesused : pb->length);
	proxy_describe(s, &b, proxy_slot_mapped(p, pb->slot));
	memcpy(ev.buffer, &b, sizeof(b));
	p->frames++;
	return media_events_send(&p->dev.lab, &p->dev.events, &ev, sizeof(ev));
}

/* A V4L2 event of the real node goes to the driver. */
static int proxy_dqevent(struct media_proxy *p, uint32_t id)
{
	struct virtio_media_event_event ev = {
		.hdr.event = htole32(VIRTIO_MEDIA_EVT_EVENT),
		.hdr.session_id = htole32(id),
	};
	struct v4l2_event e;
	int err;

	err = xioctl(p->sessions[id].fd, VIDIOC_DQEVENT, &e);
	if (err)
		return err == -ENOENT ? 0 : err;
	memcpy(ev.event, &e, sizeof(e));
	return media_events_send(&p->dev.lab, &p->dev.events, &ev, sizeof(ev));
}

/*
 * Wait for the lab or a session: buffers (while it streams with buffers
 * queued: vb2 reports an error otherwise) and events, while there is an
 * event buffer to send them in.
 */
static int proxy_wait(struct media_proxy *p, struct pollfd *fds, uint32_t *ids)
{
	unsigned int n = 1, i;
	struct proxy_session *s;

	fds[0] = (struct pollfd){ .fd = p->dev.lab.fd, .events = POLLIN };
	for (i = 0; p->dev.events.n && i < MEDIA_PROXY_MAX_SESSIONS; i++) {
		s = &p->sessions[i];
		if (s->fd < 0)
			continue;
		fds[n].events = (s->streaming && s->queued ? POLLIN : 0) |
				(s->subscribed ? POLLPRI : 0);
		if (!fds[n].events)
			continue;
		fds[n].fd = s->fd;
		ids[n++] = i;
	}
	return poll(fds, n, 100) < 0 ? -errno : (int)n;
}

static const struct media_device_ops proxy_ops = {
	.open = proxy_open,
	.close = proxy_close,
	.mmap = proxy_mmap,
	.munmap = proxy_munmap,
	.ioctl = proxy_ioctl,
	.reset = proxy_reset,
};

int media_proxy_serve(struct media_proxy *p)
{
	struct pollfd fds[1 + MEDIA_PROXY_MAX_SESSIONS];
	uint32_t ids[1 + MEDIA_PROXY_MAX_SESSIONS];
	struct vlab_event *ev;
	int n, i, err = 0;

	while (!media_device_stopped(&p->dev)) {
		n = proxy_wait(p, fds, ids);
		if (n < 0)
			return n == -EINTR ? 0 : n;
		for (i = 1; !err && i < n; i++) {
			if (fds[i].revents & POLLPRI && p->dev.events.n)
				err = proxy_dqevent(p, ids[i]);
			if (!err && fds[i].revents & POLLIN && p->dev.events.n)
				err = proxy_dqbuf(p, ids[i]);
		}
		if (!err && fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ev = vlab_next(&p->dev.lab, 0);
			if (!ev && errno != ETIMEDOUT)
				return errno == ENODEV ? 0 : -errno;
			if (ev)
				err = media_device_handle(&p->dev, &proxy_ops, p, ev,
							  p->answer);
		}
		err = media_device_verdict(err);
		if (err)
			return err > 0 ? 0 : err;
	}
	return 0;
}

void media_proxy_stop(struct media_proxy *p)
{
	media_device_stop(&p->dev);
}

void media_proxy_destroy(struct media_proxy *p)
{
	unsigned int i;

	for (i = 0; i < MEDIA_PROXY_MAX_SESSIONS; i++)
		if (p->sessions[i].fd >= 0)
			proxy_close_session(&p->sessions[i]);
	media_device_destroy(&p->dev);
}
