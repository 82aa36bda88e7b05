// SPDX-License-Identifier: GPL-2.0
/*
 * A virtio-media device (ID 48) played in the lab: a test-pattern camera.
 * Sessions are numbered from 1; the format is the device's, shared by its
 * sessions; ioctls it does not know get ENOTTY, as the specification says.
 * Its MMAP buffers are slots of shared memory region 0, its USERPTR
 * buffers the driver's memory its scatter lists describe; they are owned by
 * one session at a time. While it streams, it fills the oldest queued
 * buffer with the test pattern every MEDIA_MODEL_FRAME_MS and returns it
 * in a DQBUF event.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/virtio_config.h>
#include <linux/virtio_extra/virtio_media.h>

#include "media_model.h"
#include "clock.h"

#define QUEUE_SIZE 64
#define MIN_SIZE 16

static void media_default_format(struct v4l2_pix_format *fmt)
{
	memset(fmt, 0, sizeof(*fmt));
	fmt->width = 640;
	fmt->height = 480;
	fmt->pixelformat = V4L2_PIX_FMT_YUYV;
	fmt->field = V4L2_FIELD_NONE;
	fmt->bytesperline = fmt->width * 2;
	fmt->sizeimage = fmt->bytesperline * fmt->height;
	fmt->colorspace = V4L2_COLORSPACE_SRGB;
}

int media_model_create(struct media_model *m)
{
	struct virtio_media_config config = {
		.device_caps = htole32(V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_STREAMING),
		.device_type = htole32(0),
		.card = MEDIA_MODEL_CARD,
	};

	memset(m, 0, sizeof(*m));
	media_default_format(&m->fmt);
	m->brightness = MEDIA_MODEL_CTRL_DEFAULT;
	m->contrast = MEDIA_MODEL_CTRL_DEFAULT;
	return media_device_start(&m->dev, &config, MEDIA_MODEL_SHM_SIZE);
}

/* The buffers go back to no one: after REQBUFS, CLOSE or a reset. */
static void media_free_buffers(struct media_model *m)
{
	unsigned int i;

	for (i = 0; i < MEDIA_MODEL_MAX_BUFFERS; i++)
		m->bufs[i].queued = false;
	m->nqueued = 0;
	m->nbufs = 0;
	m->region_used = 0;
	m->owner = 0;
	m->memory = 0;
	m->streaming = false;
}

static bool media_buffers_mapped(struct media_model *m)
{
	unsigned int i;

	for (i = 0; i < MEDIA_MODEL_MAX_BUFFERS; i++)
		if (m->bufs[i].mapped)
			return true;
	return false;
}

/*
 * Up to count more buffers of length bytes each, after those there are,
 * as far as the table and, for MMAP, the region take them: how many.
 */
static uint32_t media_add_buffers(struct media_model *m, uint32_t count,
				  uint32_t length)
{
	uint32_t page = getpagesize(), size = (length + page - 1) & ~(page - 1);
	uint32_t added = 0;

	if (m->memory != V4L2_MEMORY_MMAP)
		size = 0;
	while (added < count && m->nbufs < MEDIA_MODEL_MAX_BUFFERS &&
	       size <= MEDIA_MODEL_SHM_SIZE - m->region_used) {
		m->bufs[m->nbufs].offset = m->region_used;
		m->bufs[m->nbufs].length = length;
		m->region_used += size;
		m->nbufs++;
		added++;
	}
	return added;
}

#define MEDIA_MODEL_BUF_CAPS \
	(V4L2_BUF_CAP_SUPPORTS_MMAP | V4L2_BUF_CAP_SUPPORTS_USERPTR)

static bool media_memory_ok(uint32_t memory)
{
	return memory == V4L2_MEMORY_MMAP || memory == V4L2_MEMORY_USERPTR;
}

static int media_reqbufs(struct media_model *m, uint32_t id,
			 struct v4l2_requestbuffers *rb)
{
	uint32_t count = rb->count;

	if (rb->type != V4L2_BUF_TYPE_VIDEO_CAPTURE ||
	    !media_memory_ok(rb->memory))
		return -EINVAL;
	if ((m->owner && m->owner != id) || media_buffers_mapped(m))
		return -EBUSY;
	media_free_buffers(m);
	rb->flags = 0;
	memset(rb->reserved, 0, sizeof(rb->reserved));
	rb->capabilities = MEDIA_MODEL_BUF_CAPS;
	if (!count)
		return 0;
	m->memory = rb->memory;
	rb->count = media_add_buffers(m, count < 2 ? 2 : count, m->fmt.sizeimage);
	if (rb->count < 2) {
		media_free_buffers(m);
		return -ENOMEM;
	}
	m->owner = id;
	return 0;
}

/* More buffers, for a format at least as large as the current one. */
static int media_create_bufs(struct media_model *m, uint32_t id,
			     struct v4l2_create_buffers *cb)
{
	uint32_t sizeimage = cb->format.fmt.pix.sizeimage;

	if (cb->format.type != V4L2_BUF_TYPE_VIDEO_CAPTURE ||
	    !media_memory_ok(cb->memory))
		return -EINVAL;
	/* another session's buffers, whatever their memory: as vb2 */
	if (m->owner && m->owner != id)
		return -EBUSY;
	if (sizeimage < m->fmt.sizeimage ||
	    (m->nbufs && cb->memory != m->memory))
		return -EINVAL;
	cb->flags = 0;
	cb->capabilities = MEDIA_MODEL_BUF_CAPS;
	cb->index = m->nbufs;
	if (!cb->count)
		return 0;
	m->memory = cb->memory;
	cb->count = media_add_buffers(m, cb->count, sizeimage);
	if (!cb->count)
		return -ENOMEM;
	m->owner = id;
	return 0;
}

/* Buffer i as QUERYBUF describes it. */
static void media_describe(struct media_model *m, uint32_t i,
			   struct v4l2_buffer *b)
{
	memset(b, 0, sizeof(*b));
	b->index = i;
	b->type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	b->memory = m->memory;
	b->field = V4L2_FIELD_NONE;
	if (m->memory == V4L2_MEMORY_USERPTR)
		b->m.userptr = m->bufs[i].userptr;
	else
		b->m.offset = m->bufs[i].offset;
	b->length = m->bufs[i].length;
	b->flags = V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC;
	if (m->bufs[i].queued)
		b->flags |= V4L2_BUF_FLAG_QUEUED;
	if (m->bufs[i].mapped)
		b->flags |= V4L2_BUF_FLAG_MAPPED;
}

/*
 * A USERPTR buffer queued: at least a frame long, at b->m.userptr, and
 * the scatter list after b (len bytes in all) describes exactly that much.
 */
static int media_take_user_buffer(struct media_model *m,
				  const struct v4l2_buffer *b, uint32_t len)
{
	const struct virtio_media_sg_entry *sg = (const void *)(b + 1);
	struct media_buffer *buf = &m->bufs[b->index];
	uint32_t nsg = (len - sizeof(*b)) / sizeof(*sg), i;
	uint64_t covered = 0;

	if (len < sizeof(*b) || b->length < m->fmt.sizeimage || !nsg ||
	    nsg > MEDIA_MODEL_MAX_SG)
		return -EINVAL;
	for (i = 0; i < nsg; i++)
		covered += le32toh(sg[i].len);
	if (covered != b->length)
		return -EINVAL;
	buf->userptr = b->m.userptr;
	buf->length = b->length;
	buf->nsg = nsg;
	memcpy(buf->sg, sg, nsg * sizeof(*sg));
	return 0;
}

static int media_buffer_ioctl(struct media_model *m, uint32_t id, uint32_t nr,
			      struct v4l2_buffer *b, uint32_t len)
{
	uint32_t i = b->index;
	int err;

	if (b->type != V4L2_BUF_TYPE_VIDEO_CAPTURE || id != m->owner ||
	    i >= m->nbufs)
		return -EINVAL;
	if (nr == _IOC_NR(VIDIOC_QBUF)) {
		if (b->memory != m->memory || m->bufs[i].queued)
			return -EINVAL;
		if (m->memory == V4L2_MEMORY_USERPTR) {
			err = media_take_user_buffer(m, b, len);
			if (err)
				return err;
		}
		m->bufs[i].queued = true;
		m->order[m->nqueued++] = i;
	}
	media_describe(m, i, b);
	return 0;
}

static int media_stream(struct media_model *m, uint32_t id, uint32_t nr,
			const uint32_t *type)
{
	if (*type != V4L2_BUF_TYPE_VIDEO_CAPTURE)
		return -EINVAL;
	if (m->owner && id != m->owner)
		return -EBUSY;
	if (nr == _IOC_NR(VIDIOC_STREAMON)) {
		if (!m->nbufs)
			return -EINVAL;
		/* again while streaming: nothing restarts, as with vb2 */
		if (m->streaming)
			return 0;
		m->streaming = true;
		m->sequence = 0;
		m->next_frame_ms = now_ms() + MEDIA_MODEL_FRAME_MS;
		return 0;
	}
	m->streaming = false;
	while (m->nqueued)
		m->bufs[m->order[--m->nqueued]].queued = false;
	return 0;
}

/* TRY_FMT's answer: the nearest format the camera has. */
static void media_try_format(struct v4l2_pix_format *fmt)
{
	uint32_t width = fmt->width, height = fmt->height;

	memset(fmt, 0, sizeof(*fmt));
	fmt->width = width < MIN_SIZE ? MIN_SIZE : width > 1920 ? 1920 : width & ~1u;
	fmt->height = height < MIN_SIZE ? MIN_SIZE : height > 1080 ? 1080 : height;
	fmt->pixelformat = V4L2_PIX_FMT_YUYV;
	fmt->field = V4L2_FIELD_NONE;
	fmt->bytesperline = fmt->width * 2;
	fmt->sizeimage = fmt->bytesperline * fmt->height;
	fmt->colorspace = V4L2_COLORSPACE_SRGB;
}

/* Its controls, in id order, as QUERY_EXT_CTRL describes them. */
static const struct v4l2_query_ext_ctrl media_ctrls[] = {
	{
		.id = V4L2_CID_USER_CLASS,
		.type = V4L2_CTRL_TYPE_CTRL_CLASS,
		.name = "User Controls",
		.flags = V4L2_CTRL_FLAG_READ_ONLY | V4L2_CTRL_FLAG_WRITE_ONLY,
		.elem_size = 4,
		.elems = 1,
	}, {
		.id = V4L2_CID_BRIGHTNESS,
		.type = V4L2_CTRL_TYPE_INTEGER,
		.name = "Brightness",
		.maximum = 255,
		.step = 1,
		.default_value = MEDIA_MODEL_CTRL_DEFAULT,
		.elem_size = 4,
		.elems = 1,
	}, {
		.id = V4L2_CID_CONTRAST,
		.type = V4L2_CTRL_TYPE_INTEGER,
		.name = "Contrast",
		.maximum = 255,
		.step = 1,
		.default_value = MEDIA_MODEL_CTRL_DEFAULT,
		.elem_size = 4,
		.elems = 1,
	}, {
		.id = MEDIA_MODEL_CID_TITLE,
		.type = V4L2_CTRL_TYPE_STRING,
		.name = "Title",
		.maximum = MEDIA_MODEL_TITLE_SIZE - 1,
		.step = 1,
		.flags = V4L2_CTRL_FLAG_HAS_PAYLOAD,
		.elem_size = MEDIA_MODEL_TITLE_SIZE,
		.elems = 1,
	}, {
		.id = MEDIA_MODEL_CID_LEVELS,
		.type = V4L2_CTRL_TYPE_U8,
		.name = "Levels",
		.maximum = 255,
		.step = 1,
		.flags = V4L2_CTRL_FLAG_HAS_PAYLOAD,
		.elem_size = 1,
		.elems = MEDIA_MODEL_LEVELS,
		.nr_of_dims = 1,
		.dims = { MEDIA_MODEL_LEVELS },
	},
};

static bool media_ctrl_compound(const struct v4l2_query_ext_ctrl *q)
{
	return q->nr_of_dims || q->type >= V4L2_CTRL_COMPOUND_TYPES;
}

/*
 * The control id names: itself, or with V4L2_CTRL_FLAG_NEXT_* the first
 * after it of the kinds asked for, as the V4L2 core enumerates them.
 */
static const struct v4l2_query_ext_ctrl *media_find_ctrl(uint32_t id)
{
	uint32_t next = id & MEDIA_CTRL_NEXT_FLAGS, i;
	const struct v4l2_query_ext_ctrl *q;

	for (i = 0; i < ARRAY_SIZE(media_ctrls); i++) {
		q = &media_ctrls[i];
		if (!next && q->id == id)
			return q;
		if (next && q->id > (id & ~MEDIA_CTRL_NEXT_FLAGS) &&
		    (media_ctrl_compound(q) ? next & V4L2_CTRL_FLAG_NEXT_COMPOUND :
					      next & V4L2_CTRL_FLAG_NEXT_CTRL))
			return q;
	}
	return NULL;
}

static int32_t *media_ctrl_int(struct media_model *m, uint32_t id)
{
	switch (id) {
	case V4L2_CID_BRIGHTNESS:
		return &m->brightness;
	case V4L2_CID_CONTRAST:
		return &m->contrast;
	default:
		return NULL;
	}
}

static int media_query_ext_ctrl(struct v4l2_query_ext_ctrl *q)
{
	const struct v4l2_query_ext_ctrl *c = media_find_ctrl(q->id);

	if (!c)
		return -EINVAL;
	*q = *c;
	return 0;
}

/* QUERYCTRL: the same, without what only QUERY_EXT_CTRL can say. */
static int media_queryctrl(struct v4l2_queryctrl *q)
{
	const struct v4l2_query_ext_ctrl *c;

	c = media_find_ctrl(q->id);
	if (!c)
		return -EINVAL;
	memset(q, 0, sizeof(*q));
	q->id = c->id;
	q->type = c->type;
	q->flags = c->flags;
	memcpy(q->name, c->name, sizeof(q->name));
	if (c->type == V4L2_CTRL_TYPE_INTEGER || c->type == V4L2_CTRL_TYPE_STRING) {
		q->minimum = c->minimum;
		q->maximum = c->maximum;
		q->step = c->step;
		q->default_value = c->default_value;
	}
	return 0;
}

/* Control i's value, taken in for S/TRY: 0 or -errno as V4L2 has it. */
static int media_ctrl_take(struct media_model *m, struct v4l2_ext_control *c,
			   const struct v4l2_query_ext_ctrl *q,
			   const struct virtio_media_sg_entry *sg, uint32_t nsg,
			   uint32_t *next, uint8_t *value)
{
	uint32_t len = c->size;
	uint8_t scratch[MEDIA_MODEL_TITLE_SIZE];
	int err;

	if (q->type == V4L2_CTRL_TYPE_INTEGER) {
		*(int32_t *)value = c->value;
		return c->value < q->minimum || c->value > q->maximum ? -ERANGE : 0;
	}
	if (q->type == V4L2_CTRL_TYPE_STRING) {
		if (!len)
			return -ERANGE;
		if (len > sizeof(scratch))
			len = sizeof(scratch);
		err = media_sg_copy(&m->dev.lab, sg, nsg, next, c->size, scratch, len,
				    false);
		if (err)
			return err;
		if (scratch[len - 1] && len == sizeof(scratch))
			return -ERANGE;
		scratch[len - 1] = 0;
		memcpy(value, scratch, len);
		return 0;
	}
	if (len < q->elems * q->elem_size)
		return -EFAULT;
	return media_sg_copy(&m->dev.lab, sg, nsg, next, c->size, value,
			     q->elems * q->elem_size, false);
}

/* Control c's value, given out; 0 or -errno as V4L2 has it. */
static int media_ctrl_give(struct media_model *m, struct v4l2_ext_control *c,
			   const struct v4l2_query_ext_ctrl *q,
			   const struct virtio_media_sg_entry *sg, uint32_t nsg,
			   uint32_t *next, const uint8_t *value)
{
	uint32_t len = q->elems * q->elem_size, size;

	if (q->type == V4L2_CTRL_TYPE_INTEGER) {
		c->value = *(const int32_t *)value;
		return 0;
	}
	if (q->type == V4L2_CTRL_TYPE_STRING)
		len = strnlen((const char *)value, q->elem_size) + 1;
	if (c->size < len) {
		c->size = q->type == V4L2_CTRL_TYPE_STRING ? q->elem_size : len;
		return -ENOSPC;
	}
	size = c->size;
	if (q->type != V4L2_CTRL_TYPE_STRING)
		c->size = len;
	if (m->lie == MEDIA_LIE_CTRL_SIZE_GROWN)
		c->size += 16;
	return media_sg_copy(&m->dev.lab, sg, nsg, next, size, (void *)value, len, true);
}

static uint8_t *media_ctrl_value(struct media_model *m, uint32_t id)
{
	switch (id) {
	case MEDIA_MODEL_CID_TITLE:
		return (uint8_t *)m->title;
	case MEDIA_MODEL_CID_LEVELS:
		return m->levels;
	default:
		return (uint8_t *)media_ctrl_int(m, id);
	}
}

/*
 * G/S/TRY_EXT_CTRLS on cs, the controls after it and the scatter list
 * after them (len bytes in all). All are checked before any is set. As in
 * V4L2, TRY names the control it refuses (error_idx), G only the one too
 * small for its value, S none.
 */
static int media_ext_ctrls(struct media_model *m, uint32_t nr,
			   struct v4l2_ext_controls *cs, uint32_t len)
{
	struct v4l2_ext_control *c = (struct v4l2_ext_control *)(cs + 1);
	const struct virtio_media_sg_entry *sg = (const void *)(c + cs->count);
	bool get = nr == _IOC_NR(VIDIOC_G_EXT_CTRLS);
	bool def = cs->which == V4L2_CTRL_WHICH_DEF_VAL;
	uint8_t values[MEDIA_MODEL_MAX_CTRLS][MEDIA_MODEL_TITLE_SIZE];
	const struct v4l2_query_ext_ctrl *q[MEDIA_MODEL_MAX_CTRLS];
	uint32_t i, nsg, next = 0;
	int err;

	if (cs->count > MEDIA_MODEL_MAX_CTRLS ||
	    len < sizeof(*cs) + cs->count * sizeof(*c))
		return -EINVAL;
	nsg = (len - sizeof(*cs) - cs->count * sizeof(*c)) / sizeof(*sg);
	if (def && !get)
		return -EINVAL;
	for (i = 0; i < cs->count; i++) {
		cs->error_idx = nr == _IOC_NR(VIDIOC_TRY_EXT_CTRLS) ? i : cs->count;
		q[i] = media_find_ctrl(c[i].id);
		if (!q[i] || c[i].id & MEDIA_CTRL_NEXT_FLAGS ||
		    (cs->which && !def && V4L2_CTRL_ID2WHICH(c[i].id) != cs->which))
			return -EINVAL;
		if (q[i]->flags & (get ? V4L2_CTRL_FLAG_WRITE_ONLY :
				   V4L2_CTRL_FLAG_READ_ONLY))
			return -EACCES;
	}
	for (i = 0; i < cs->count; i++) {
		cs->error_idx = get || nr == _IOC_NR(VIDIOC_TRY_EXT_CTRLS) ?
				i : cs->count;
		if (get) {
			memset(values[i], 0, sizeof(values[i]));
			if (!def)
				memcpy(values[i], media_ctrl_value(m, c[i].id),
				       q[i]->elems * q[i]->elem_size);
			else if (q[i]->type == V4L2_CTRL_TYPE_INTEGER)
				*(int32_t *)values[i] = q[i]->default_value;
			err = media_ctrl_give(m, &c[i], q[i], sg, nsg, &next,
					      values[i]);
		} else {
			err = media_ctrl_take(m, &c[i], q[i], sg, nsg, &next,
					      values[i]);
		}
		if (err)
			return err;
	}
	if (get)
		return 0;
	/* S and TRY give back what they took, as V4L2 does */
	for (i = 0, next = 0; i < cs->count; i++) {
		if (nr == _IOC_NR(VIDIOC_S_EXT_CTRLS))
			memcpy(media_ctrl_value(m, c[i].id), values[i],
			       q[i]->elems * q[i]->elem_size);
		err = media_ctrl_give(m, &c[i], q[i], sg, nsg, &next, values[i]);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Run ioctl nr of session id on the payload p (in and out), of which the
 * driver wrote len bytes; 0 or -errno.
 */
static int media_run_ioctl(struct media_model *m, uint32_t id, uint32_t nr,
			   void *p, uint32_t len)
{
	struct v4l2_format *f = p;
	struct v4l2_fmtdesc *d = p;
	struct v4l2_event_subscription *sub = p;
	struct v4l2_control *ctrl = p;
	struct v4l2_input *in = p;
	uint32_t *index = p;
	int32_t *v;

	switch (nr) {
	case _IOC_NR(VIDIOC_ENUM_FMT):
		if (d->index || d->type != V4L2_BUF_TYPE_VIDEO_CAPTURE)
			return -EINVAL;
		snprintf((char *)d->description, sizeof(d->description),
			 "YUYV 4:2:2");
		d->pixelformat = V4L2_PIX_FMT_YUYV;
		d->flags = 0;
		return 0;
	case _IOC_NR(VIDIOC_G_FMT):
		if (f->type != V4L2_BUF_TYPE_VIDEO_CAPTURE)
			return -EINVAL;
		f->fmt.pix = m->fmt;
		return 0;
	case _IOC_NR(VIDIOC_S_FMT):
	case _IOC_NR(VIDIOC_TRY_FMT):
		if (f->type != V4L2_BUF_TYPE_VIDEO_CAPTURE)
			return -EINVAL;
		media_try_format(&f->fmt.pix);
		if (nr != _IOC_NR(VIDIOC_S_FMT))
			return 0;
		/* the buffers are sized for the format they were made for */
		if (m->nbufs)
			return -EBUSY;
		m->fmt = f->fmt.pix;
		return 0;
	case _IOC_NR(VIDIOC_ENUMINPUT):
		if (in->index)
			return -EINVAL;
		memset(in, 0, sizeof(*in));
		snprintf((char *)in->name, sizeof(in->name), "Test pattern");
		in->type = V4L2_INPUT_TYPE_CAMERA;
		return 0;
	case _IOC_NR(VIDIOC_G_INPUT):
		*index = 0;
		return 0;
	case _IOC_NR(VIDIOC_S_INPUT):
		return *index ? -EINVAL : 0;
	case _IOC_NR(VIDIOC_QUERYCTRL):
		return media_queryctrl(p);
	case _IOC_NR(VIDIOC_QUERY_EXT_CTRL):
		return media_query_ext_ctrl(p);
	case _IOC_NR(VIDIOC_G_CTRL):
	case _IOC_NR(VIDIOC_S_CTRL):
		if (ctrl->id == V4L2_CID_USER_CLASS)
			return -EACCES;
		v = media_ctrl_int(m, ctrl->id);
		if (!v)
			return -EINVAL;
		if (nr == _IOC_NR(VIDIOC_G_CTRL)) {
			ctrl->value = *v;
			return 0;
		}
		if (ctrl->value < 0 || ctrl->value > 255)
			return -ERANGE;
		*v = ctrl->value;
		return 0;
	case _IOC_NR(VIDIOC_G_EXT_CTRLS):
	case _IOC_NR(VIDIOC_S_EXT_CTRLS):
	case _IOC_NR(VIDIOC_TRY_EXT_CTRLS):
		return media_ext_ctrls(m, nr, p, len);
	case _IOC_NR(VIDIOC_REQBUFS):
		return media_reqbufs(m, id, p);
	case _IOC_NR(VIDIOC_CREATE_BUFS):
		return media_create_bufs(m, id, p);
	case _IOC_NR(VIDIOC_QUERYBUF):
	case _IOC_NR(VIDIOC_QBUF):
		return media_buffer_ioctl(m, id, nr, p, len);
	case _IOC_NR(VIDIOC_STREAMON):
	case _IOC_NR(VIDIOC_STREAMOFF):
		return media_stream(m, id, nr, p);
	case _IOC_NR(VIDIOC_SUBSCRIBE_EVENT):
	case _IOC_NR(VIDIOC_UNSUBSCRIBE_EVENT):
		if (nr == _IOC_NR(VIDIOC_UNSUBSCRIBE_EVENT) &&
		    sub->type == V4L2_EVENT_ALL)
			return 0;
		switch (sub->type) {
		case V4L2_EVENT_SOURCE_CHANGE:
		case V4L2_EVENT_EOS:
		case V4L2_EVENT_CTRL:
			return 0;
		default:
			return -EINVAL;
		}
	default:
		return -ENOTTY;
	}
}

/*
 * Answer an ioctl (out_len bytes at out, in_len of room) in answer, the
 * header and the payload of a read ioctl, as the lie has it; its length.
 */
static uint32_t media_ioctl_run(struct media_model *m, const uint8_t *out,
				uint32_t out_len, uint32_t in_len,
				uint8_t *answer)
{
	uint8_t arg[MEDIA_MODEL_MAX_PAYLOAD] = { 0 };
	uint32_t hdr = sizeof(struct virtio_media_resp_ioctl);
	struct media_ioctl_req r;
	int err;

	err = media_ioctl_parse(out, out_len, in_len, sizeof(arg), &r);
	if (!err && (r.session >= MEDIA_MODEL_MAX_SESSIONS || !m->open[r.session]))
		err = -EINVAL;
	if (!err) {
		memcpy(arg, out + sizeof(struct virtio_media_cmd_ioctl), r.written);
		err = media_run_ioctl(m, r.session, r.nr, arg, r.written);
	}
	m->ioctls++;
	if (m->lie == MEDIA_LIE_ERROR_WITH_PAYLOAD && err && r.payload) {
		media_ioctl_answer(answer, &r, err, arg);
		memset(answer + hdr, 0x5a, r.payload);
		return hdr + r.payload;
	}
	if (m->lie == MEDIA_LIE_ERROR_WITHOUT_PAYLOAD && err)
		r.payload = 0;
	if (m->lie == MEDIA_LIE_PAYLOAD_SHORT && !err)
		r.payload /= 2;
	return media_ioctl_answer(answer, &r, err, arg);
}

/* Whether a silent device holds this ioctl rather than answer it. */
static bool media_holds(struct media_model *m, const struct vlab_event *ev)
{
	const struct virtio_media_cmd_ioctl *cmd = (const void *)ev->data;

	if (ev->out_len > sizeof(m->held_cmd))
		return false;
	return m->lie == MEDIA_LIE_SILENT ||
	       (m->lie == MEDIA_LIE_SILENT_EXT_CTRLS &&
		media_error_payload(le32toh(cmd->code)));
}

static uint32_t media_ioctl(void *dev, const struct vlab_event *ev,
			    uint8_t *answer)
{
	struct media_model *m = dev;

	/* run only when answered: it may write guest memory then */
	if (media_holds(m, ev)) {
		m->held = true;
		m->held_id = ev->id;
		memcpy(m->held_cmd, ev->data, ev->out_len);
		m->held_out_len = ev->out_len;
		m->held_in_len = ev->in_len;
		return 0;
	}
	return media_ioctl_run(m, ev->data, ev->out_len, ev->in_len, answer);
}

static int media_open(void *dev)
{
	struct media_model *m = dev;
	uint32_t id;

	for (id = 1; id < MEDIA_MODEL_MAX_SESSIONS && m->open[id]; id++)
		;
	if (m->lie == MEDIA_LIE_SESSION_REUSED && m->sessions)
		id = m->last_opened;
	if (id == MEDIA_MODEL_MAX_SESSIONS)
		return -EBUSY;
	if (!m->open[id])
		m->sessions++;
	m->open[id] = true;
	m->last_opened = id;
	m->opens++;
	return id;
}

static void media_close(void *dev, uint32_t id)
{
	struct media_model *m = dev;

	if (id < MEDIA_MODEL_MAX_SESSIONS && m->open[id]) {
		m->open[id] = false;
		m->sessions--;
	}
	/* its mappings stay until MUNMAP, as the specification says */
	if (id == m->owner && media_buffers_mapped(m))
		m->closed_mapped++;
	if (id == m->owner)
		media_free_buffers(m);
	m->closes++;
}

static int media_mmap(void *dev, uint32_t session, uint32_t flags,
		      uint32_t offset, uint64_t *driver_addr, uint64_t *len)
{
	struct media_model *m = dev;
	uint32_t i;

	for (i = 0; i < m->nbufs && m->bufs[i].offset != offset; i++)
		;
	if (session != m->owner || !m->owner || i == m->nbufs ||
	    m->memory != V4L2_MEMORY_MMAP)
		return -EINVAL;
	m->bufs[i].mapped++;
	m->mmaps++;
	*driver_addr = offset;
	if (m->lie == MEDIA_LIE_MMAP_OUTSIDE)
		*driver_addr = offset + MEDIA_MODEL_SHM_SIZE;
	*len = m->bufs[i].length;
	return 0;
}

static int media_munmap(void *dev, uint64_t driver_addr)
{
	struct media_model *m = dev;
	/* the lie's addresses too: the model knows where it put them */
	uint64_t addr = driver_addr % MEDIA_MODEL_SHM_SIZE;
	uint32_t i;

	for (i = 0; i < MEDIA_MODEL_MAX_BUFFERS; i++)
		if (m->bufs[i].mapped && m->bufs[i].offset == addr)
			break;
	if (i == MEDIA_MODEL_MAX_BUFFERS)
		return -EINVAL;
	m->bufs[i].mapped--;
	m->munmaps++;
	return 0;
}

/* A reset forgets sessions and every chain. */
static void media_reset(void *dev)
{
	struct media_model *m = dev;

	memset(m->open, 0, sizeof(m->open));
	m->sessions = 0;
	m->held = false;
	media_free_buffers(m);
	memset(m->bufs, 0, sizeof(m->bufs));
	media_default_format(&m->fmt);
	m->brightness = MEDIA_MODEL_CTRL_DEFAULT;
	m->contrast = MEDIA_MODEL_CTRL_DEFAULT;
	memset(m->title, 0, sizeof(m->title));
	memset(m->levels, 0, sizeof(m->levels));
}

static void media_fill_pattern(uint8_t *p, uint32_t len, uint32_t sequence)
{
	uint32_t i;

	for (i = 0; i < len && i < 256; i++)
		p[i] = (uint8_t)(sequence + i);
	/* (sequence + i) & 0xff repeats every 256 bytes */
	for (; i < len; i += 256)
		memcpy(p + i, p, len - i < 256 ? len - i : 256);
	for (i = 0; i < 4 && i < len; i++)
		p[i] = media_pattern_byte(sequence, i);
}

/* The next frame into buf: in the region, or through its scatter list. */
static int media_fill(struct media_model *m, const struct media_buffer *buf)
{
	uint32_t next = 0;
	uint8_t *frame;
	int err;

	if (m->memory == V4L2_MEMORY_MMAP) {
		media_fill_pattern(m->dev.shm + buf->offset, m->fmt.sizeimage,
				   m->sequence);
		return 0;
	}
	frame = malloc(m->fmt.sizeimage);
	if (!frame)
		return -ENOMEM;
	media_fill_pattern(frame, m->fmt.sizeimage, m->sequence);
	err = media_sg_copy(&m->dev.lab, buf->sg, buf->nsg, &next, buf->length,
			    frame, m->fmt.sizeimage, true);
	free(frame);
	return err;
}

/*
 * While streaming, once a frame is due: the oldest queued buffer gets the
 * next frame and goes back in a DQBUF event. With the lock held.
 */
static int media_produce(struct media_model *m)
{
	struct virtio_media_event_dqbuf ev = {
		.hdr.event = htole32(VIRTIO_MEDIA_EVT_DQBUF),
		.hdr.session_id = htole32(m->owner),
	};
	struct v4l2_buffer b;
	struct timespec ts;
	uint32_t i;
	int err;

	if (!m->streaming || !m->nqueued || !m->dev.events.n ||
	    now_ms() < m->next_frame_ms)
		return 0;
	m->next_frame_ms = now_ms() + MEDIA_MODEL_FRAME_MS;
	i = m->order[0];
	memmove(m->order, m->order + 1, --m->nqueued * sizeof(m->order[0]));
	m->bufs[i].queued = false;
	err = media_fill(m, &m->bufs[i]);
	if (err)
		return err;
	media_describe(m, i, &b);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	b.timestamp.tv_sec = ts.tv_sec;
	b.timestamp.tv_usec = ts.tv_nsec / 1000;
	b.sequence = m->sequence++;
	b.bytesused = m->fmt.sizeimage;
	if (m->lie == MEDIA_LIE_DQBUF_UNKNOWN_BUFFER)
		b.index = m->nbufs + 1;
	if (m->lie == MEDIA_LIE_DQBUF_OVERSIZED)
		b.bytesused = b.length + 1;
	if (m->lie == MEDIA_LIE_DQBUF_USERPTR)
		b.memory = V4L2_MEMORY_USERPTR;
	if (m->lie == MEDIA_LIE_DQBUF_LENGTH_GROWN) {
		b.length += 4096;
		b.bytesused = b.length;
	}
	memcpy(ev.buffer, &b, sizeof(b));
	m->frames++;
	return media_events_send(&m->dev.lab, &m->dev.events, &ev, sizeof(ev));
}

static const struct media_device_ops media_model_ops = {
	.open = media_open,
	.close = media_close,
	.mmap = media_mmap,
	.munmap = media_munmap,
	.ioctl = media_ioctl,
	.reset = media_reset,
};

int media_model_serve(struct media_model *m)
{
	struct vlab_event *ev;
	bool streaming, stop;
	int err;

	for (;;) {
		pthread_mutex_lock(&m->dev.lock);
		stop = m->dev.stop;
		err = stop ? 0 : media_produce(m);
		streaming = m->streaming;
		pthread_mutex_unlock(&m->dev.lock);
		err = media_device_verdict(err);
		if (stop || err)
			return err > 0 ? 0 : err;
		ev = vlab_next(&m->dev.lab, streaming ? MEDIA_MODEL_FRAME_MS / 4 : 100);
		if (!ev) {
			if (errno == ETIMEDOUT)
				continue;
			return errno == ENODEV ? 0 : -errno;
		}
		pthread_mutex_lock(&m->dev.lock);
		err = media_device_handle(&m->dev, &media_model_ops, m, ev,
					  m->answer);
		pthread_mutex_unlock(&m->dev.lock);
		err = media_device_verdict(err);
		if (err)
			return err > 0 ? 0 : err;
	}
}

void media_model_stop(struct media_model *m)
{
	media_device_stop(&m->dev);
}

void media_model_set_lie(struct media_model *m, enum media_lie lie)
{
	pthread_mutex_lock(&m->dev.lock);
	m->lie = lie;
	pthread_mutex_unlock(&m->dev.lock);
}

int media_model_answer_held(struct media_model *m)
{
	int err = -ENOENT;
	uint32_t len;

	pthread_mutex_lock(&m->dev.lock);
	if (m->held) {
		m->held = false;
		len = media_ioctl_run(m, m->held_cmd, m->held_out_len,
				      m->held_in_len, m->answer);
		if (len > m->held_in_len)
			len = m->held_in_len;
		err = vlab_complete(&m->dev.lab, VIRTIO_MEDIA_VQ_COMMAND, m->held_id,
				    m->answer, len, len, 0);
	}
	pthread_mutex_unlock(&m->dev.lock);
	return err;
}

int media_model_send_event(struct media_model *m, const void *ev, uint32_t len)
{
	int err;

	pthread_mutex_lock(&m->dev.lock);
	err = media_events_send(&m->dev.lab, &m->dev.events, ev, len);
	pthread_mutex_unlock(&m->dev.lock);
	return err;
}

void media_model_destroy(struct media_model *m)
{
	media_device_destroy(&m->dev);
}
