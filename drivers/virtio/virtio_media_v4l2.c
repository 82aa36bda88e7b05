// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-media: the video node. Each open is a session on the device;
 * ioctls go to the device in the session, as the specification lays them
 * out: the V4L2 structures in their 64-bit layout, which the Kbuild
 * condition makes the native one. What the node answers itself: QUERYCAP
 * (from the configuration), priorities and event subscriptions (the V4L2
 * core's), DQBUF (virtio_media_buf.c).
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/virtio.h>
#include <media/v4l2-event.h>
#include <media/v4l2-ioctl.h>

#include "virtio_media.h"

/* The payload sizes of the specification, which relays them verbatim. */
static_assert(sizeof(struct v4l2_format) == 208);
static_assert(sizeof(struct v4l2_fmtdesc) == 64);
static_assert(sizeof(struct v4l2_input) == 80);
static_assert(sizeof(struct v4l2_output) == 72);
static_assert(sizeof(struct v4l2_streamparm) == 204);
static_assert(sizeof(struct v4l2_frmsizeenum) == 44);
static_assert(sizeof(struct v4l2_frmivalenum) == 52);
static_assert(sizeof(struct v4l2_selection) == 64);
static_assert(sizeof(struct v4l2_queryctrl) == 68);
static_assert(sizeof(struct v4l2_query_ext_ctrl) == 232);
static_assert(sizeof(struct v4l2_querymenu) == 44);
static_assert(sizeof(struct v4l2_control) == 8);
static_assert(sizeof(struct v4l2_ext_controls) == 32);
static_assert(sizeof(struct v4l2_ext_control) == 20);
static_assert(sizeof(struct v4l2_event_subscription) == 32);

static int vmedia_open(struct file *file)
{
	struct vmedia *vm = video_drvdata(file);
	struct vmedia_session *s;
	int err;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	v4l2_fh_init(&s->fh, video_devdata(file));
	vmedia_queues_init(s);
	s->mapping = file->f_mapping;
	err = vmedia_open_session(vm, s);
	if (err) {
		v4l2_fh_exit(&s->fh);
		kfree(s);
		return err;
	}
	file->private_data = &s->fh;
	v4l2_fh_add(&s->fh, file);
	return 0;
}

static int vmedia_release_file(struct file *file)
{
	struct vmedia_session *s = vmedia_file_session(file);
	unsigned int resets;
	int err;

	v4l2_fh_del(&s->fh, file);
	/* the session's last MUNMAPs before its CLOSE */
	flush_work(&s->vm->munmap_work);
	resets = vmedia_resets(s->vm);
	err = vmedia_close_session(s->vm, s);
	vmedia_queues_release(s, vmedia_device_may_hold(err), resets);
	v4l2_fh_exit(&s->fh);
	kfree(s);
	return 0;
}

static __poll_t vmedia_poll(struct file *file, poll_table *wait)
{
	struct v4l2_fh *fh = file_to_v4l2_fh(file);
	struct vmedia_session *s = vmedia_session(fh);
	__poll_t mask = 0;

	poll_wait(file, &fh->wait, wait);
	if (v4l2_event_pending(fh))
		mask |= EPOLLPRI;
	if (s->vm->device_caps & V4L2_CAP_STREAMING)
		mask |= vmedia_queues_poll(s, file, wait);
	return mask;
}

/*
 * VIDIOC_QUERYCTRL, G_CTRL and S_CTRL go to the device as they are: the
 * device knows which controls they may name. A core that has no op for
 * them turns them into the extended ioctls, and then a string, a 64-bit
 * or a class control cannot be refused, and G/S_CTRL's control comes
 * without a size. What the core does for them otherwise, done here: the
 * fields QUERYCTRL does not take are cleared, S_CTRL respects priorities,
 * and the argument comes back only on success.
 */
static long vmedia_legacy_ctrl_ioctl(struct file *file, unsigned int cmd,
				     void __user *uarg)
{
	struct video_device *video = video_devdata(file);
	struct vmedia_session *s = vmedia_file_session(file);
	union {
		struct v4l2_queryctrl query;
		struct v4l2_control ctrl;
	} arg = {};
	size_t in = cmd == VIDIOC_QUERYCTRL ? sizeof(arg.query.id) : _IOC_SIZE(cmd);
	int err;

	if (copy_from_user(&arg, uarg, in))
		return -EFAULT;
	if (cmd == VIDIOC_S_CTRL) {
		err = v4l2_prio_check(video->prio, s->fh.prio);
		if (err)
			return err;
	}
	err = vmedia_ioctl(s, cmd, &arg, _IOC_SIZE(cmd));
	if (!err && copy_to_user(uarg, &arg, _IOC_SIZE(cmd)))
		return -EFAULT;
	return err;
}

static long vmedia_unlocked_ioctl(struct file *file, unsigned int cmd,
				  unsigned long arg)
{
	switch (cmd) {
	case VIDIOC_QUERYCTRL:
	case VIDIOC_G_CTRL:
	case VIDIOC_S_CTRL:
		return vmedia_legacy_ctrl_ioctl(file, cmd, (void __user *)arg);
	}
	return video_ioctl2(file, cmd, arg);
}

static const struct v4l2_file_operations vmedia_fops = {
	.owner = THIS_MODULE,
	.open = vmedia_open,
	.release = vmedia_release_file,
	.unlocked_ioctl = vmedia_unlocked_ioctl,
	.poll = vmedia_poll,
	.mmap = vmedia_mmap,
};

static int vmedia_querycap(struct file *file, void *fh,
			   struct v4l2_capability *cap)
{
	struct vmedia *vm = video_drvdata(file);

	strscpy(cap->driver, KBUILD_MODNAME, sizeof(cap->driver));
	strscpy(cap->card, vm->card, sizeof(cap->card));
	/* V4L2 knows no virtio bus: "platform:" is the prefix it takes */
	snprintf(cap->bus_info, sizeof(cap->bus_info), "platform:%s",
		 dev_name(vm->v4l2_dev.dev));
	return 0;
}

/* An ioctl whose argument (a pointer of type ptr) is relayed as it is. */
#define VMEDIA_RELAY(name, ioctl, ptr)					\
static int vmedia_##name(struct file *file, void *fh, ptr arg)		\
{									\
	return vmedia_ioctl(vmedia_file_session(file), ioctl, arg, sizeof(*arg)); \
}

VMEDIA_RELAY(enum_fmt, VIDIOC_ENUM_FMT, struct v4l2_fmtdesc *)
VMEDIA_RELAY(g_fmt, VIDIOC_G_FMT, struct v4l2_format *)
VMEDIA_RELAY(s_fmt, VIDIOC_S_FMT, struct v4l2_format *)
VMEDIA_RELAY(try_fmt, VIDIOC_TRY_FMT, struct v4l2_format *)
VMEDIA_RELAY(enum_input, VIDIOC_ENUMINPUT, struct v4l2_input *)
VMEDIA_RELAY(enum_output, VIDIOC_ENUMOUTPUT, struct v4l2_output *)
VMEDIA_RELAY(g_input, VIDIOC_G_INPUT, unsigned int *)
VMEDIA_RELAY(g_output, VIDIOC_G_OUTPUT, unsigned int *)
VMEDIA_RELAY(enum_framesizes, VIDIOC_ENUM_FRAMESIZES, struct v4l2_frmsizeenum *)
VMEDIA_RELAY(enum_frameintervals, VIDIOC_ENUM_FRAMEINTERVALS,
	     struct v4l2_frmivalenum *)
VMEDIA_RELAY(g_selection, VIDIOC_G_SELECTION, struct v4l2_selection *)
VMEDIA_RELAY(s_selection, VIDIOC_S_SELECTION, struct v4l2_selection *)
VMEDIA_RELAY(query_ext_ctrl, VIDIOC_QUERY_EXT_CTRL, struct v4l2_query_ext_ctrl *)
VMEDIA_RELAY(querymenu, VIDIOC_QUERYMENU, struct v4l2_querymenu *)

/* read() and write() are not relayed: no buffers for them. */
static int vmedia_stream_params(struct vmedia_session *s, unsigned int cmd,
				struct v4l2_streamparm *sp)
{
	int err = vmedia_ioctl(s, cmd, sp, sizeof(*sp));

	if (err)
		return err;
	if (V4L2_TYPE_IS_OUTPUT(sp->type))
		sp->parm.output.writebuffers = 0;
	else
		sp->parm.capture.readbuffers = 0;
	return 0;
}

static int vmedia_g_stream_params(struct file *file, void *fh,
				  struct v4l2_streamparm *sp)
{
	return vmedia_stream_params(vmedia_file_session(file), VIDIOC_G_PARM, sp);
}

static int vmedia_s_stream_params(struct file *file, void *fh,
				  struct v4l2_streamparm *sp)
{
	return vmedia_stream_params(vmedia_file_session(file), VIDIOC_S_PARM, sp);
}

/*
 * The device decides which events it sends; the V4L2 core keeps the
 * file's subscriptions, so DQEVENT and poll() are its own. A control's
 * initial event is the driver's (vmedia_ctrl_initial_event()).
 */
static int vmedia_subscribe_event(struct v4l2_fh *fh,
				  const struct v4l2_event_subscription *sub)
{
	bool initial = sub->type == V4L2_EVENT_CTRL &&
		       sub->flags & V4L2_EVENT_SUB_FL_SEND_INITIAL;
	struct v4l2_event_subscription arg = *sub;
	struct vmedia_session *s = vmedia_session(fh);
	int err;

	if (initial)
		arg.flags &= ~V4L2_EVENT_SUB_FL_SEND_INITIAL;
	err = vmedia_ioctl(s, VIDIOC_SUBSCRIBE_EVENT, &arg, sizeof(arg));
	if (err)
		return err;
	err = v4l2_event_subscribe(fh, sub, VMEDIA_EVENTS_PER_TYPE, NULL);
	if (!err && initial) {
		err = vmedia_ctrl_initial_event(s, sub->id);
		if (err)
			v4l2_event_unsubscribe(fh, sub);
	}
	if (err) {
		arg = *sub;
		vmedia_ioctl(s, VIDIOC_UNSUBSCRIBE_EVENT, &arg, sizeof(arg));
	}
	return err;
}

static int vmedia_unsubscribe_event(struct v4l2_fh *fh,
				    const struct v4l2_event_subscription *sub)
{
	struct v4l2_event_subscription arg = *sub;

	v4l2_event_unsubscribe(fh, sub);
	return vmedia_ioctl(vmedia_session(fh), VIDIOC_UNSUBSCRIBE_EVENT, &arg,
			    sizeof(arg));
}

/* S_INPUT and S_OUTPUT take their index by value. */
static int vmedia_s_input(struct file *file, void *fh, unsigned int i)
{
	return vmedia_ioctl(vmedia_file_session(file), VIDIOC_S_INPUT, &i, sizeof(i));
}

static int vmedia_s_output(struct file *file, void *fh, unsigned int i)
{
	return vmedia_ioctl(vmedia_file_session(file), VIDIOC_S_OUTPUT, &i, sizeof(i));
}

/*
 * The V4L2 core lets through only the variants the node's direction and
 * capabilities allow; the device refuses what it does not support.
 */
static const struct v4l2_ioctl_ops vmedia_ioctl_ops = {
	.vidioc_querycap = vmedia_querycap,

	.vidioc_enum_fmt_vid_cap = vmedia_enum_fmt,
	.vidioc_enum_fmt_vid_out = vmedia_enum_fmt,
	.vidioc_g_fmt_vid_cap = vmedia_g_fmt,
	.vidioc_g_fmt_vid_out = vmedia_g_fmt,
	.vidioc_g_fmt_vid_cap_mplane = vmedia_g_fmt,
	.vidioc_g_fmt_vid_out_mplane = vmedia_g_fmt,
	.vidioc_s_fmt_vid_cap = vmedia_s_fmt,
	.vidioc_s_fmt_vid_out = vmedia_s_fmt,
	.vidioc_s_fmt_vid_cap_mplane = vmedia_s_fmt,
	.vidioc_s_fmt_vid_out_mplane = vmedia_s_fmt,
	.vidioc_try_fmt_vid_cap = vmedia_try_fmt,
	.vidioc_try_fmt_vid_out = vmedia_try_fmt,
	.vidioc_try_fmt_vid_cap_mplane = vmedia_try_fmt,
	.vidioc_try_fmt_vid_out_mplane = vmedia_try_fmt,

	.vidioc_enum_input = vmedia_enum_input,
	.vidioc_g_input = vmedia_g_input,
	.vidioc_s_input = vmedia_s_input,
	.vidioc_enum_output = vmedia_enum_output,
	.vidioc_g_output = vmedia_g_output,
	.vidioc_s_output = vmedia_s_output,

	.vidioc_g_parm = vmedia_g_stream_params,
	.vidioc_s_parm = vmedia_s_stream_params,
	.vidioc_enum_framesizes = vmedia_enum_framesizes,
	.vidioc_enum_frameintervals = vmedia_enum_frameintervals,
	.vidioc_g_selection = vmedia_g_selection,
	.vidioc_s_selection = vmedia_s_selection,

	.vidioc_query_ext_ctrl = vmedia_query_ext_ctrl,
	.vidioc_querymenu = vmedia_querymenu,
	.vidioc_g_ext_ctrls = vmedia_g_ext_ctrls,
	.vidioc_s_ext_ctrls = vmedia_s_ext_ctrls,
	.vidioc_try_ext_ctrls = vmedia_try_ext_ctrls,

	.vidioc_subscribe_event = vmedia_subscribe_event,
	.vidioc_unsubscribe_event = vmedia_unsubscribe_event,

	.vidioc_reqbufs = vmedia_reqbufs,
	.vidioc_create_bufs = vmedia_create_bufs,
	.vidioc_querybuf = vmedia_querybuf,
	.vidioc_prepare_buf = vmedia_prepare_buf,
	.vidioc_qbuf = vmedia_qbuf,
	.vidioc_dqbuf = vmedia_dqbuf,
	.vidioc_streamon = vmedia_streamon,
	.vidioc_streamoff = vmedia_streamoff,
};

/* Without streaming, the buffer ioctls are not the node's (ENOTTY). */
static void vmedia_disable_streaming(struct video_device *video)
{
	static const unsigned int cmds[] = {
		VIDIOC_REQBUFS, VIDIOC_CREATE_BUFS, VIDIOC_QUERYBUF,
		VIDIOC_PREPARE_BUF, VIDIOC_QBUF, VIDIOC_DQBUF,
		VIDIOC_STREAMON, VIDIOC_STREAMOFF,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		v4l2_disable_ioctl(video, cmds[i]);
}

/* Capture, output or memory-to-memory, by the capabilities. */
static enum vfl_devnode_direction vmedia_direction(u32 caps)
{
	bool rx = caps & (V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_VIDEO_CAPTURE_MPLANE);
	bool tx = caps & (V4L2_CAP_VIDEO_OUTPUT | V4L2_CAP_VIDEO_OUTPUT_MPLANE);

	if ((rx && tx) || (caps & (V4L2_CAP_VIDEO_M2M | V4L2_CAP_VIDEO_M2M_MPLANE)))
		return VFL_DIR_M2M;
	return tx ? VFL_DIR_TX : VFL_DIR_RX;
}

/**
 * vmedia_video_register - register the device's video node
 * @vm: the device, its configuration read
 *
 * Return: 0 or -errno.
 */
int vmedia_video_register(struct vmedia *vm)
{
	struct video_device *video = &vm->video;
	int err;

	strscpy(video->name, vm->card, sizeof(video->name));
	video->fops = &vmedia_fops;
	video->ioctl_ops = &vmedia_ioctl_ops;
	video->v4l2_dev = &vm->v4l2_dev;
	video->release = video_device_release_empty;
	video->device_caps = vm->device_caps;
	video->vfl_dir = vmedia_direction(vm->device_caps);
	video_set_drvdata(video, vm);
	if (!(vm->device_caps & V4L2_CAP_STREAMING))
		vmedia_disable_streaming(video);
	err = video_register_device(video, VFL_TYPE_VIDEO, -1);
	if (err)
		dev_err(vm->v4l2_dev.dev, "registering the video node failed (%d)\n",
			err);
	return err;
}
