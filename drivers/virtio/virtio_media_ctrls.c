// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-media: G/S/TRY_EXT_CTRLS. The structure goes to the device with
 * its controls after it. A control whose value lies in memory of its own
 * (strings, arrays, compound controls: V4L2_CTRL_FLAG_HAS_PAYLOAD) names
 * that memory by a user pointer; the device gets a copy of it in kernel
 * memory instead, described by a scatter list of guest-physical extents,
 * and what the device leaves there is copied back to the user.
 */
#include <linux/overflow.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/virtio_config.h>
#include <linux/vmalloc.h>
#include <media/v4l2-event.h>
#include <media/v4l2-ioctl.h>

#include "virtio_media.h"

/* The most value bytes one extended control ioctl carries. */
#define VMEDIA_CTRL_VALUES_MAX SZ_1M

/**
 * struct vmedia_ctrl_value - where a control's value travels
 * @user: the user's pointer to the value.
 * @len: the size the user gave: the bytes the device gets.
 * @offset: where they lie in the shared memory.
 */
struct vmedia_ctrl_value {
	void __user *user;
	u32 len;
	size_t offset;
};

/**
 * struct vmedia_ctrl_values - the values of one extended control ioctl
 * @ctrl: per control; @len 0 for a control whose value is in the array.
 * @total: bytes of shared memory they take.
 * @sg: the scatter list of that memory.
 * @nsg: its entries.
 */
struct vmedia_ctrl_values {
	struct vmedia_ctrl_value *ctrl;
	size_t total;
	struct virtio_media_sg_entry *sg;
	unsigned int nsg;
};

/*
 * Whether control id has a value of its own, as the device describes the
 * control: 1 or 0; one it does not know has none (it refuses the control
 * itself). -errno when the device failed.
 */
static int vmedia_ctrl_has_payload(struct vmedia_session *s, u32 id)
{
	struct v4l2_query_ext_ctrl q = { .id = id };
	int err;

	err = vmedia_ioctl(s, VIDIOC_QUERY_EXT_CTRL, &q, sizeof(q));
	if (err == -EINVAL || err == -ENOTTY)
		return 0;
	if (err)
		return err;
	return q.id == id && q.flags & V4L2_CTRL_FLAG_HAS_PAYLOAD;
}

/* Describe one value, len bytes at buf, from an entry of its own. */
static void vmedia_sg_add(struct vmedia_ctrl_values *v, u8 *buf,
			  size_t len)
{
	unsigned int from = v->nsg;
	size_t chunk;
	u64 addr;

	for (; len; buf += chunk, len -= chunk) {
		chunk = min_t(size_t, len, PAGE_SIZE - offset_in_page(buf));
		addr = is_vmalloc_addr(buf) ?
		       page_to_phys(vmalloc_to_page(buf)) + offset_in_page(buf) :
		       virt_to_phys(buf);
		vmedia_sg_append(v->sg, &v->nsg, from, addr, chunk);
	}
}

/*
 * Take the values of the controls that have their own: copy them in (for
 * G too: what the device does not write goes back as it came), and
 * describe them. 0, or -errno with cs->error_idx set.
 */
static int vmedia_ctrl_values_get(struct vmedia_session *s,
				  struct v4l2_ext_controls *cs,
				  struct vmedia_ctrl_values *v, void **shared)
{
	struct v4l2_ext_control *c = cs->controls;
	struct vmedia_ctrl_value *val;
	unsigned int pieces = 0;
	u8 *mem;
	u32 i;
	int err;

	for (i = 0; i < cs->count; i++) {
		if (!c[i].size)
			continue;
		err = vmedia_ctrl_has_payload(s, c[i].id);
		if (err < 0) {
			cs->error_idx = cs->count;
			return err;
		}
		if (!err)
			continue;
		if (!v->ctrl) {
			v->ctrl = kcalloc(cs->count, sizeof(*v->ctrl), GFP_KERNEL);
			if (!v->ctrl)
				goto nomem;
		}
		val = &v->ctrl[i];
		val->user = c[i].ptr;
		val->len = c[i].size;
		val->offset = v->total;
		v->total += ALIGN(val->len, sizeof(u64));
		pieces += DIV_ROUND_UP(val->len, PAGE_SIZE) + 1;
		if (v->total > VMEDIA_CTRL_VALUES_MAX) {
			cs->error_idx = i;
			return -ENOMEM;
		}
	}
	if (!v->total)
		return 0;
	/* scatter lists name guest-physical memory, not what an IOMMU maps */
	if (!s->vm->guest_phys) {
		cs->error_idx = cs->count;
		return -EOPNOTSUPP;
	}
	mem = vmedia_alloc_dev_writable(v->total);
	v->sg = kcalloc(pieces, sizeof(*v->sg), GFP_KERNEL);
	*shared = mem;
	if (!mem || !v->sg)
		goto nomem;
	for (i = 0; i < cs->count; i++) {
		val = &v->ctrl[i];
		if (!val->len)
			continue;
		if (copy_from_user(mem + val->offset, val->user, val->len)) {
			cs->error_idx = cs->count;
			return -EFAULT;
		}
		vmedia_sg_add(v, mem + val->offset, val->len);
		/* the device gets no pointer of ours */
		c[i].ptr = NULL;
	}
	return 0;
nomem:
	/* no control is to blame */
	cs->error_idx = cs->count;
	return -ENOMEM;
}

/*
 * Give the user back its pointers, and the values the device left, unless
 * err. The sizes are the device's, as V4L2 sets them; one larger than the
 * memory given is the size the value needs with ENOSPC, and a lie without.
 * 0 or -errno.
 */
static int vmedia_ctrl_values_put(struct vmedia_session *s,
				  struct v4l2_ext_controls *cs,
				  struct vmedia_ctrl_values *v,
				  const u8 *shared, int err)
{
	struct v4l2_ext_control *c = cs->controls;
	struct vmedia_ctrl_value *val;
	u32 i, size;

	for (i = 0; v->ctrl && i < cs->count; i++) {
		val = &v->ctrl[i];
		if (!val->len)
			continue;
		size = c[i].size;
		c[i].ptr = val->user;
		if (size > val->len && err != -ENOSPC) {
			vmedia_complain(s->vm, "control %#x answered with %u bytes, more than %u\n",
					c[i].id, size, val->len);
			c[i].size = val->len;
			err = err ?: -EIO;
		}
		if (err)
			continue;
		if (shared && copy_to_user(val->user, shared + val->offset, size))
			err = -EFAULT;
	}
	return err;
}

static int vmedia_ext_ctrls(struct vmedia_session *s, unsigned int cmd,
			    struct v4l2_ext_controls *cs)
{
	struct v4l2_ext_control *controls = cs->controls;
	struct vmedia_ctrl_values v = {};
	u32 count = cs->count;
	struct vmedia_payload p = {
		.arg = cs,
		.size = sizeof(*cs),
		.array = controls,
		.array_len = count * sizeof(*controls),
		.error_payload = true,
	};
	int err;

	err = vmedia_ctrl_values_get(s, cs, &v, &p.shared);
	if (err) {
		vmedia_ctrl_values_put(s, cs, &v, NULL, err);
		goto out;
	}
	p.sg = v.sg;
	p.sg_len = v.nsg * sizeof(*v.sg);
	/* no kernel pointer goes to the device */
	cs->controls = NULL;
	err = vmedia_ioctl_payload(s, cmd, &p);
	/* what the device wrote there is our pointer's place, not its own */
	cs->controls = controls;
	if (!err && cs->count != count) {
		vmedia_complain(s->vm, "ioctl %u answered with %u controls, not %u\n",
				_IOC_NR(cmd), cs->count, count);
		err = -EIO;
	}
	cs->count = count;
	/* without a payload, the error names no control */
	if (err && (!p.returned || cs->error_idx > count))
		cs->error_idx = count;
	err = vmedia_ctrl_values_put(s, cs, &v, p.shared, err);
out:
	kvfree(p.shared);
	kfree(v.sg);
	kfree(v.ctrl);
	return err;
}

int vmedia_g_ext_ctrls(struct file *file, void *fh,
		       struct v4l2_ext_controls *cs)
{
	return vmedia_ext_ctrls(vmedia_file_session(file), VIDIOC_G_EXT_CTRLS, cs);
}

int vmedia_s_ext_ctrls(struct file *file, void *fh,
		       struct v4l2_ext_controls *cs)
{
	return vmedia_ext_ctrls(vmedia_file_session(file), VIDIOC_S_EXT_CTRLS, cs);
}

int vmedia_try_ext_ctrls(struct file *file, void *fh,
			 struct v4l2_ext_controls *cs)
{
	return vmedia_ext_ctrls(vmedia_file_session(file), VIDIOC_TRY_EXT_CTRLS, cs);
}

/**
 * vmedia_ctrl_initial_event - the event a control subscription starts with
 * @s: the session, subscribed to the control's events
 * @id: the control
 *
 * V4L2_EVENT_SUB_FL_SEND_INITIAL promises the event by the time
 * VIDIOC_SUBSCRIBE_EVENT returns, which an event from the device cannot:
 * the driver makes it from the device's description and value of the
 * control, as the V4L2 core does for its own controls. A control class
 * has none.
 *
 * Return: 0 or -errno.
 */
int vmedia_ctrl_initial_event(struct vmedia_session *s, u32 id)
{
	struct v4l2_query_ext_ctrl q = { .id = id };
	struct v4l2_ext_control c = { .id = id };
	struct v4l2_ext_controls cs = { .count = 1, .controls = &c };
	struct v4l2_event ev = { .type = V4L2_EVENT_CTRL, .id = id };
	int err;

	err = vmedia_ioctl(s, VIDIOC_QUERY_EXT_CTRL, &q, sizeof(q));
	if (err || q.type == V4L2_CTRL_TYPE_CTRL_CLASS)
		return err;
	ev.u.ctrl.changes = V4L2_EVENT_CTRL_CH_FLAGS;
	if (!(q.flags & (V4L2_CTRL_FLAG_WRITE_ONLY | V4L2_CTRL_FLAG_HAS_PAYLOAD))) {
		err = vmedia_ext_ctrls(s, VIDIOC_G_EXT_CTRLS, &cs);
		if (err)
			return err;
		ev.u.ctrl.changes |= V4L2_EVENT_CTRL_CH_VALUE;
		if (q.type == V4L2_CTRL_TYPE_INTEGER64)
			ev.u.ctrl.value64 = c.value64;
		else
			ev.u.ctrl.value = c.value;
	}
	ev.u.ctrl.type = q.type;
	ev.u.ctrl.flags = q.flags;
	/* the event's range is 32 bits wide, the query's 64 */
	ev.u.ctrl.minimum = clamp_t(s64, q.minimum, S32_MIN, S32_MAX);
	ev.u.ctrl.maximum = clamp_t(s64, q.maximum, S32_MIN, S32_MAX);
	ev.u.ctrl.step = clamp_t(u64, q.step, 0, S32_MAX);
	ev.u.ctrl.default_value = clamp_t(s64, q.default_value, S32_MIN, S32_MAX);
	v4l2_event_queue_fh(&s->fh, &ev);
	return 0;
}
