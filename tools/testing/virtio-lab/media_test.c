// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_media against the lab's test-pattern camera (media_model.c):
 * the video node, ioctls relayed in sessions, MMAP streaming, and a
 * device that lies.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/videodev2.h>
#include <linux/virtio_extra/virtio_media.h>

#include "clock.h"
#include "klog.h"
#include "kselftest_harness.h"
#include "media_model.h"
#include "media_proxy.h"
#include "shell.h"
#include "sysfs.h"

#define ANSWER_MS_PARAM "/sys/module/virtio_media/parameters/answer_ms"
#define ALLOW_USERPTR_PARAM "/sys/module/virtio_media/parameters/allow_userptr"
#define REFCNT "/sys/module/virtio_media/refcnt"

/* The device, played by a thread, and its node: what each test has. */
struct media_env {
	struct media_model m;
	pthread_t thread;
	bool serving;
	char vdev[32];
	char node[32];
	char answer_ms[16];
	char allow_userptr[8];
	struct klog_mark mark;
};

FIXTURE(media) {
	struct media_env e;
};

static void *serve_thread(void *arg)
{
	media_model_serve(arg);
	return NULL;
}

/* /dev/videoN of the lab device vdev, once the driver registered it. */
static bool find_node(const char *vdev, char *node, size_t size)
{
	char path[96], name[32];

	snprintf(path, sizeof(path), "/sys/bus/virtio/devices/%s/video4linux", vdev);
	if (!sysfs_first_entry(path, name, sizeof(name)))
		return false;
	snprintf(node, size, "/dev/%s", name);
	return !access(node, F_OK);
}

FIXTURE_SETUP(media)
{
	struct vlab_info info;

	ASSERT_EQ(0, sysfs_read(ANSWER_MS_PARAM, self->e.answer_ms,
				sizeof(self->e.answer_ms)));
	ASSERT_EQ(0, sysfs_read(ALLOW_USERPTR_PARAM, self->e.allow_userptr,
				sizeof(self->e.allow_userptr)));
	ASSERT_EQ(0, klog_mark(&self->e.mark, "media_test"));
	ASSERT_EQ(0, media_model_create(&self->e.m));
	ASSERT_EQ(0, vlab_info(&self->e.m.dev.lab, &info));
	snprintf(self->e.vdev, sizeof(self->e.vdev), "%s", info.name);
	ASSERT_EQ(0, pthread_create(&self->e.thread, NULL, serve_thread, &self->e.m));
	self->e.serving = true;
	ASSERT_TRUE(WAIT_UNTIL(find_node(info.name, self->e.node,
					 sizeof(self->e.node)), 10000));
}

FIXTURE_TEARDOWN(media)
{
	sysfs_write(ANSWER_MS_PARAM, self->e.answer_ms);
	sysfs_write(ALLOW_USERPTR_PARAM, self->e.allow_userptr);
	if (self->e.serving) {
		media_model_stop(&self->e.m);
		pthread_join(self->e.thread, NULL);
	}
	media_model_destroy(&self->e.m);
}

static int open_node(struct media_env *env)
{
	return open(env->node, O_RDWR | O_CLOEXEC);
}

/* An ioctl's errno, or 0. */
static int xioctl(int fd, unsigned long request, void *arg)
{
	return ioctl(fd, request, arg) ? errno : 0;
}

static int get_format(int fd, struct v4l2_format *f)
{
	memset(f, 0, sizeof(*f));
	f->type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	return xioctl(fd, VIDIOC_G_FMT, f);
}

static unsigned int model_count(struct media_env *env, unsigned int *what)
{
	unsigned int n;

	pthread_mutex_lock(&env->m.dev.lock);
	n = *what;
	pthread_mutex_unlock(&env->m.dev.lock);
	return n;
}

static bool logged(struct media_env *env, const char *text)
{
	return WAIT_UNTIL(klog_since(&env->mark, text), 2000);
}

/* QUERYCAP is the node's own, from the configuration. */
TEST_F(media, querycap)
{
	struct v4l2_capability cap = { 0 };
	int fd = open_node(&self->e);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, xioctl(fd, VIDIOC_QUERYCAP, &cap));
	EXPECT_STREQ("virtio_media", (char *)cap.driver);
	EXPECT_STREQ(MEDIA_MODEL_CARD, (char *)cap.card);
	EXPECT_EQ(0, strncmp("platform:virtio", (char *)cap.bus_info, 15));
	EXPECT_TRUE(!!(cap.device_caps & V4L2_CAP_VIDEO_CAPTURE));
	EXPECT_TRUE(!!(cap.device_caps & V4L2_CAP_STREAMING));
	EXPECT_FALSE(!!(cap.device_caps & V4L2_CAP_VIDEO_OUTPUT));
	close(fd);
}

/* Formats are the device's: set in one session, seen in another. */
TEST_F(media, format_relayed)
{
	struct v4l2_fmtdesc desc = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE };
	struct v4l2_format f;
	int fd = open_node(&self->e), fd2 = open_node(&self->e);

	ASSERT_LE(0, fd);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, xioctl(fd, VIDIOC_ENUM_FMT, &desc));
	EXPECT_EQ((__u32)V4L2_PIX_FMT_YUYV, desc.pixelformat);
	EXPECT_STREQ("YUYV 4:2:2", (char *)desc.description);
	desc.index = 1;
	EXPECT_EQ(EINVAL, xioctl(fd, VIDIOC_ENUM_FMT, &desc));

	ASSERT_EQ(0, get_format(fd, &f));
	f.fmt.pix.width = 320;
	f.fmt.pix.height = 240;
	ASSERT_EQ(0, xioctl(fd, VIDIOC_S_FMT, &f));
	EXPECT_EQ(640u * 240, f.fmt.pix.sizeimage);
	ASSERT_EQ(0, get_format(fd2, &f));
	EXPECT_EQ(320u, f.fmt.pix.width);
	EXPECT_EQ(240u, f.fmt.pix.height);

	f.fmt.pix.width = 5000;
	f.fmt.pix.height = 5000;
	ASSERT_EQ(0, xioctl(fd, VIDIOC_TRY_FMT, &f));
	EXPECT_EQ(1920u, f.fmt.pix.width);
	EXPECT_EQ(1080u, f.fmt.pix.height);
	ASSERT_EQ(0, get_format(fd2, &f));
	EXPECT_EQ(320u, f.fmt.pix.width);
	close(fd2);
	close(fd);
}

TEST_F(media, inputs)
{
	struct v4l2_input input = { .index = 0 };
	unsigned int i = 7;
	int fd = open_node(&self->e);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, xioctl(fd, VIDIOC_ENUMINPUT, &input));
	EXPECT_STREQ("Test pattern", (char *)input.name);
	EXPECT_EQ((__u32)V4L2_INPUT_TYPE_CAMERA, input.type);
	input.index = 1;
	EXPECT_EQ(EINVAL, xioctl(fd, VIDIOC_ENUMINPUT, &input));
	ASSERT_EQ(0, xioctl(fd, VIDIOC_G_INPUT, &i));
	EXPECT_EQ(0u, i);
	i = 1;
	EXPECT_EQ(EINVAL, xioctl(fd, VIDIOC_S_INPUT, &i));
	close(fd);
}

/* What the device does not know is ENOTTY, as the specification says. */
TEST_F(media, unknown_ioctl_enotty)
{
	struct v4l2_streamparm streamparm = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE };
	int fd = open_node(&self->e);

	ASSERT_LE(0, fd);
	EXPECT_EQ(ENOTTY, xioctl(fd, VIDIOC_G_PARM, &streamparm));
	close(fd);
}

/* Controls, one at a time and as arrays: the device's, its errors too. */
TEST_F(media, controls)
{
	struct v4l2_queryctrl q = { .id = V4L2_CID_BRIGHTNESS };
	struct v4l2_control c = { .id = V4L2_CID_BRIGHTNESS };
	struct v4l2_ext_control ctrls[2] = {
		{ .id = V4L2_CID_BRIGHTNESS }, { .id = V4L2_CID_CONTRAST },
	};
	struct v4l2_ext_controls cs = {
		.which = V4L2_CTRL_WHICH_CUR_VAL, .count = 2, .controls = ctrls,
	};
	int fd = open_node(&self->e);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, xioctl(fd, VIDIOC_QUERYCTRL, &q));
	EXPECT_STREQ("Brightness", (char *)q.name);
	EXPECT_EQ(255, q.maximum);
	ASSERT_EQ(0, xioctl(fd, VIDIOC_G_CTRL, &c));
	EXPECT_EQ(MEDIA_MODEL_CTRL_DEFAULT, c.value);
	c.value = 200;
	ASSERT_EQ(0, xioctl(fd, VIDIOC_S_CTRL, &c));

	ASSERT_EQ(0, xioctl(fd, VIDIOC_G_EXT_CTRLS, &cs));
	EXPECT_EQ(200, ctrls[0].value);
	EXPECT_EQ(MEDIA_MODEL_CTRL_DEFAULT, ctrls[1].value);
	EXPECT_TRUE(cs.controls == ctrls);
	ctrls[0].value = 10;
	ctrls[1].value = 20;
	ASSERT_EQ(0, xioctl(fd, VIDIOC_S_EXT_CTRLS, &cs));
	ctrls[1].value = 300;
	EXPECT_EQ(ERANGE, xioctl(fd, VIDIOC_TRY_EXT_CTRLS, &cs));
	/* the device's answer names the control */
	EXPECT_EQ(1u, cs.error_idx);
	/* an answer without a payload names none */
	media_model_set_lie(&self->e.m, MEDIA_LIE_ERROR_WITHOUT_PAYLOAD);
	EXPECT_EQ(ERANGE, xioctl(fd, VIDIOC_TRY_EXT_CTRLS, &cs));
	EXPECT_EQ(2u, cs.error_idx);
	media_model_set_lie(&self->e.m, MEDIA_HONEST);
	ASSERT_EQ(0, xioctl(fd, VIDIOC_G_EXT_CTRLS, &cs));
	EXPECT_EQ(10, ctrls[0].value);
	EXPECT_EQ(20, ctrls[1].value);
	/* a size on a control without a value of its own changes nothing */
	ctrls[1].size = 4;
	ASSERT_EQ(0, xioctl(fd, VIDIOC_G_EXT_CTRLS, &cs));
	EXPECT_EQ(20, ctrls[1].value);
	close(fd);
}

/*
 * G_CTRL and S_CTRL reach the device as they are, on every kernel: the
 * device refuses a control they cannot carry, a string here. S_CTRL
 * respects another file's priority.
 */
TEST_F(media, one_control_ioctls)
{
	struct v4l2_control title = { .id = MEDIA_MODEL_CID_TITLE };
	struct v4l2_control c = { .id = V4L2_CID_BRIGHTNESS, .value = 100 };
	enum v4l2_priority prio = V4L2_PRIORITY_RECORD;
	int fd = open_node(&self->e);
	int other = open_node(&self->e);

	ASSERT_LE(0, fd);
	ASSERT_LE(0, other);
	EXPECT_EQ(EINVAL, xioctl(fd, VIDIOC_G_CTRL, &title));
	EXPECT_EQ(EINVAL, xioctl(fd, VIDIOC_S_CTRL, &title));
	ASSERT_EQ(0, xioctl(other, VIDIOC_S_PRIORITY, &prio));
	EXPECT_EQ(EBUSY, xioctl(fd, VIDIOC_S_CTRL, &c));
	EXPECT_EQ(0, xioctl(other, VIDIOC_S_CTRL, &c));
	close(other);
	EXPECT_EQ(0, xioctl(fd, VIDIOC_S_CTRL, &c));
	close(fd);
}

/* The string and the array control of the model, in one call. */
struct value_ctrls {
	char title[64];
	uint8_t levels[MEDIA_MODEL_LEVELS];
	struct v4l2_ext_control c[2];
	struct v4l2_ext_controls cs;
};

static void value_ctrls_init(struct value_ctrls *v, unsigned int count)
{
	memset(v, 0, sizeof(*v));
	v->c[0].id = MEDIA_MODEL_CID_TITLE;
	v->c[0].size = MEDIA_MODEL_TITLE_SIZE;
	v->c[0].string = v->title;
	v->c[1].id = MEDIA_MODEL_CID_LEVELS;
	v->c[1].size = sizeof(v->levels);
	v->c[1].p_u8 = v->levels;
	v->cs.which = V4L2_CTRL_WHICH_CUR_VAL;
	v->cs.count = count;
	v->cs.controls = v->c;
}

/*
 * Strings and arrays: their values travel in scatter lists, both ways,
 * with V4L2's rules on sizes; the user's pointers come back unchanged.
 */
TEST_F(media, value_controls)
{
	struct v4l2_query_ext_ctrl q = { .id = MEDIA_MODEL_CID_TITLE };
	struct value_ctrls v;
	unsigned int i;
	int fd = open_node(&self->e);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, xioctl(fd, VIDIOC_QUERY_EXT_CTRL, &q));
	EXPECT_NE(0u, q.flags & V4L2_CTRL_FLAG_HAS_PAYLOAD);
	EXPECT_EQ((uint32_t)MEDIA_MODEL_TITLE_SIZE, q.elem_size);

	value_ctrls_init(&v, 2);
	snprintf(v.title, sizeof(v.title), "seen through the lab");
	for (i = 0; i < MEDIA_MODEL_LEVELS; i++)
		v.levels[i] = 7 * i;
	ASSERT_EQ(0, xioctl(fd, VIDIOC_S_EXT_CTRLS, &v.cs));
	EXPECT_TRUE(v.c[0].string == v.title);
	EXPECT_TRUE(v.c[1].p_u8 == v.levels);

	/* what the device does not write comes back as it went */
	value_ctrls_init(&v, 2);
	memset(v.title, 'x', sizeof(v.title));
	v.c[0].size = sizeof(v.title);
	ASSERT_EQ(0, xioctl(fd, VIDIOC_G_EXT_CTRLS, &v.cs));
	EXPECT_STREQ("seen through the lab", v.title);
	EXPECT_EQ('x', v.title[strlen("seen through the lab") + 1]);
	EXPECT_EQ(sizeof(v.title), v.c[0].size);
	EXPECT_TRUE(v.c[0].string == v.title);
	for (i = 0; i < MEDIA_MODEL_LEVELS; i++)
		EXPECT_EQ(7 * i, v.levels[i]);
	EXPECT_EQ((uint32_t)MEDIA_MODEL_LEVELS, v.c[1].size);

	/* too small: ENOSPC with the size it needs */
	value_ctrls_init(&v, 1);
	v.c[0].size = 4;
	EXPECT_EQ(ENOSPC, xioctl(fd, VIDIOC_G_EXT_CTRLS, &v.cs));
	EXPECT_EQ((uint32_t)MEDIA_MODEL_TITLE_SIZE, v.c[0].size);
	EXPECT_EQ(0u, v.cs.error_idx);
	EXPECT_TRUE(v.c[0].string == v.title);

	/* longer than the control takes */
	value_ctrls_init(&v, 1);
	memset(v.title, 'y', 40);
	v.c[0].size = 41;
	EXPECT_EQ(ERANGE, xioctl(fd, VIDIOC_TRY_EXT_CTRLS, &v.cs));

	/* memory the user does not have, or more than a call carries */
	value_ctrls_init(&v, 2);
	v.c[1].p_u8 = (uint8_t *)8;
	EXPECT_EQ(EFAULT, xioctl(fd, VIDIOC_S_EXT_CTRLS, &v.cs));
	value_ctrls_init(&v, 1);
	v.c[0].size = 2 << 20;
	EXPECT_EQ(ENOMEM, xioctl(fd, VIDIOC_S_EXT_CTRLS, &v.cs));
	EXPECT_EQ(0u, v.cs.error_idx);

	value_ctrls_init(&v, 1);
	ASSERT_EQ(0, xioctl(fd, VIDIOC_G_EXT_CTRLS, &v.cs));
	EXPECT_STREQ("seen through the lab", v.title);
	close(fd);
}

/* A value that comes back larger than the memory it had is a lie. */
TEST_F(media, value_control_size_lie)
{
	struct value_ctrls v;
	int fd = open_node(&self->e);

	ASSERT_LE(0, fd);
	value_ctrls_init(&v, 1);
	media_model_set_lie(&self->e.m, MEDIA_LIE_CTRL_SIZE_GROWN);
	EXPECT_EQ(EIO, xioctl(fd, VIDIOC_G_EXT_CTRLS, &v.cs));
	EXPECT_TRUE(logged(&self->e, "answered with 48 bytes, more than 32"));
	EXPECT_EQ((uint32_t)MEDIA_MODEL_TITLE_SIZE, v.c[0].size);
	EXPECT_TRUE(v.c[0].string == v.title);
	media_model_set_lie(&self->e.m, MEDIA_HONEST);
	EXPECT_EQ(0, xioctl(fd, VIDIOC_G_EXT_CTRLS, &v.cs));
	close(fd);
}

/*
 * A device that answers a value control late writes the value's memory
 * then: the driver keeps that memory until the answer (a use after free
 * on the debug kernel otherwise), and frees it after (kmemleak).
 */
TEST_F(media, silent_device_keeps_value_memory)
{
	struct value_ctrls v;
	int fd = open_node(&self->e);

	ASSERT_LE(0, fd);
	value_ctrls_init(&v, 2);
	snprintf(v.title, sizeof(v.title), "late");
	ASSERT_EQ(0, xioctl(fd, VIDIOC_S_EXT_CTRLS, &v.cs));
	ASSERT_EQ(0, sysfs_write(ANSWER_MS_PARAM, "300"));
	media_model_set_lie(&self->e.m, MEDIA_LIE_SILENT_EXT_CTRLS);
	value_ctrls_init(&v, 2);
	EXPECT_EQ(ETIMEDOUT, xioctl(fd, VIDIOC_G_EXT_CTRLS, &v.cs));
	EXPECT_TRUE(v.c[0].string == v.title);
	EXPECT_STREQ("", v.title);
	media_model_set_lie(&self->e.m, MEDIA_HONEST);
	ASSERT_EQ(0, media_model_answer_held(&self->e.m));
	value_ctrls_init(&v, 2);
	EXPECT_TRUE(WAIT_UNTIL(xioctl(fd, VIDIOC_G_EXT_CTRLS, &v.cs) == 0, 2000));
	EXPECT_STREQ("late", v.title);
	close(fd);
}

/* Events the file subscribed to come from the device; others do not. */
TEST_F(media, events)
{
	struct v4l2_event_subscription sub = { .type = V4L2_EVENT_SOURCE_CHANGE };
	struct virtio_media_event_event ev = {
		.hdr.event = htole32(VIRTIO_MEDIA_EVT_EVENT),
		.hdr.session_id = htole32(1),
	};
	struct v4l2_event *event = (struct v4l2_event *)ev.event;
	struct pollfd pfd;
	struct v4l2_event got;
	int fd = open_node(&self->e);

	ASSERT_LE(0, fd);
	pfd.fd = fd;
	pfd.events = POLLPRI;
	/* not subscribed: dropped */
	event->type = V4L2_EVENT_EOS;
	ASSERT_EQ(0, media_model_send_event(&self->e.m, &ev, sizeof(ev)));
	EXPECT_EQ(0, poll(&pfd, 1, 300));

	ASSERT_EQ(0, xioctl(fd, VIDIOC_SUBSCRIBE_EVENT, &sub));
	event->type = V4L2_EVENT_SOURCE_CHANGE;
	event->u.src_change.changes = V4L2_EVENT_SRC_CH_RESOLUTION;
	ASSERT_EQ(0, media_model_send_event(&self->e.m, &ev, sizeof(ev)));
	ASSERT_EQ(1, poll(&pfd, 1, 2000));
	EXPECT_TRUE(!!(pfd.revents & POLLPRI));
	ASSERT_EQ(0, xioctl(fd, VIDIOC_DQEVENT, &got));
	EXPECT_EQ((__u32)V4L2_EVENT_SOURCE_CHANGE, got.type);
	EXPECT_EQ((__u32)V4L2_EVENT_SRC_CH_RESOLUTION, got.u.src_change.changes);

	/* one the device refuses is not subscribed here either */
	sub.type = V4L2_EVENT_FRAME_SYNC;
	EXPECT_EQ(EINVAL, xioctl(fd, VIDIOC_SUBSCRIBE_EVENT, &sub));
	sub.type = V4L2_EVENT_SOURCE_CHANGE;
	ASSERT_EQ(0, xioctl(fd, VIDIOC_UNSUBSCRIBE_EVENT, &sub));
	ASSERT_EQ(0, media_model_send_event(&self->e.m, &ev, sizeof(ev)));
	EXPECT_EQ(0, poll(&pfd, 1, 300));
	close(fd);
}

/* Every open is a session; every close ends one. */
TEST_F(media, hundred_opens)
{
	int fds[100];
	unsigned int i;

	for (i = 0; i < 100; i++) {
		fds[i] = open_node(&self->e);
		ASSERT_LE(0, fds[i]);
	}
	EXPECT_EQ(100u, model_count(&self->e, &self->e.m.sessions));
	for (i = 0; i < 100; i++)
		close(fds[i]);
	EXPECT_EQ(0u, model_count(&self->e, &self->e.m.sessions));
	EXPECT_EQ(100u, model_count(&self->e, &self->e.m.closes));
}

/* A session id already in use: that open fails, the first goes on. */
TEST_F(media, session_id_reused)
{
	struct v4l2_format f;
	int fd = open_node(&self->e), fd2;

	ASSERT_LE(0, fd);
	media_model_set_lie(&self->e.m, MEDIA_LIE_SESSION_REUSED);
	fd2 = open_node(&self->e);
	EXPECT_EQ(-1, fd2);
	EXPECT_EQ(EIO, errno);
	EXPECT_TRUE(logged(&self->e, "OPEN answered with session 1, which is open"));
	media_model_set_lie(&self->e.m, MEDIA_HONEST);
	EXPECT_EQ(0, get_format(fd, &f));
	close(fd);
}

/* A payload of the wrong size is refused, with a log line. */
TEST_F(media, payload_wrong_size)
{
	struct v4l2_format f;
	int fd = open_node(&self->e);

	ASSERT_LE(0, fd);
	media_model_set_lie(&self->e.m, MEDIA_LIE_PAYLOAD_SHORT);
	EXPECT_EQ(EIO, get_format(fd, &f));
	EXPECT_TRUE(logged(&self->e, "answered with 112 bytes, not 8 or 216"));
	media_model_set_lie(&self->e.m, MEDIA_HONEST);
	EXPECT_EQ(0, get_format(fd, &f));
	close(fd);
}

/* An error carries no payload: the one that comes anyway is ignored. */
TEST_F(media, error_with_payload)
{
	struct v4l2_format f;
	int fd = open_node(&self->e);

	ASSERT_LE(0, fd);
	media_model_set_lie(&self->e.m, MEDIA_LIE_ERROR_WITH_PAYLOAD);
	memset(&f, 0, sizeof(f));
	f.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	f.fmt.pix.width = 64;
	EXPECT_EQ(ENOTTY, xioctl(fd, VIDIOC_G_PARM, &f));
	media_model_set_lie(&self->e.m, MEDIA_HONEST);
	EXPECT_EQ(0, get_format(fd, &f));
	EXPECT_EQ(640u, f.fmt.pix.width);
	close(fd);
}

/*
 * A device that does not answer: the call gives up after answer_ms, the
 * next finds the queue still held; once the device answers, all is well.
 */
TEST_F(media, silent_device)
{
	struct v4l2_format f;
	int fd = open_node(&self->e);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sysfs_write(ANSWER_MS_PARAM, "300"));
	media_model_set_lie(&self->e.m, MEDIA_LIE_SILENT);
	EXPECT_EQ(ETIMEDOUT, get_format(fd, &f));
	EXPECT_TRUE(logged(&self->e, "did not answer command 3 in 300 ms"));
	EXPECT_EQ(EIO, get_format(fd, &f));
	EXPECT_TRUE(logged(&self->e, "still holds a command it never answered"));
	media_model_set_lie(&self->e.m, MEDIA_HONEST);
	ASSERT_EQ(0, media_model_answer_held(&self->e.m));
	EXPECT_TRUE(WAIT_UNTIL(get_format(fd, &f) == 0, 2000));
	EXPECT_EQ(640u, f.fmt.pix.width);
	close(fd);
}

static int send_error(struct media_env *env, uint32_t session,
		      uint32_t errnum)
{
	struct virtio_media_event_error ev = {
		.hdr.event = htole32(VIRTIO_MEDIA_EVT_ERROR),
		.hdr.session_id = htole32(session),
		.errnum = htole32(errnum),
	};

	return media_model_send_event(&env->m, &ev, sizeof(ev));
}

/* An error event ends its session: the file's calls fail, others go on. */
TEST_F(media, error_event_ends_session)
{
	struct v4l2_format f;
	int fd = open_node(&self->e), fd2 = open_node(&self->e);
	unsigned int closes;

	ASSERT_LE(0, fd);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, send_error(&self->e, 1, EPIPE));
	EXPECT_TRUE(logged(&self->e, "session 1 ended by the device (errno 32)"));
	EXPECT_EQ(EPIPE, get_format(fd, &f));
	EXPECT_EQ(0, get_format(fd2, &f));
	closes = model_count(&self->e, &self->e.m.closes);
	close(fd);
	/* the specification: the driver still closes it */
	EXPECT_EQ(closes + 1, model_count(&self->e, &self->e.m.closes));
	close(fd2);
}

/* Events the device should not send: logged, nothing else. */
TEST_F(media, events_that_lie)
{
	struct virtio_media_event_dqbuf dqbuf = {
		.hdr.event = htole32(VIRTIO_MEDIA_EVT_DQBUF),
		.hdr.session_id = htole32(1),
	};
	struct virtio_media_event_header bad = { .event = htole32(7) };
	struct v4l2_format f;
	int fd = open_node(&self->e);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, send_error(&self->e, 9, EIO));
	EXPECT_TRUE(logged(&self->e, "error event for session 9, which is not open"));
	ASSERT_EQ(0, send_error(&self->e, 1, 0));
	EXPECT_TRUE(logged(&self->e, "error event for session 1 with errno 0"));
	EXPECT_EQ(EIO, get_format(fd, &f));
	ASSERT_EQ(0, media_model_send_event(&self->e.m, &dqbuf, sizeof(dqbuf)));
	EXPECT_TRUE(logged(&self->e, "buffer event of type 0, not a video buffer"));
	ASSERT_EQ(0, media_model_send_event(&self->e.m, &bad, sizeof(bad)));
	EXPECT_TRUE(logged(&self->e, "event of 8 bytes, type 7"));
	close(fd);
}

/* Removed with a file open: its calls fail with ENODEV, closing is safe. */
TEST_F(media, removal_while_open)
{
	struct v4l2_format f;
	int fd = open_node(&self->e);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, vlab_remove(&self->e.m.dev.lab, VLAB_REMOVE_SURPRISE));
	EXPECT_EQ(ENODEV, get_format(fd, &f));
	EXPECT_EQ(-1, open_node(&self->e));
	close(fd);
}

/* --- streaming --- */

#define STREAM_BUFS 4
/* 64x16 YUYV: 2048-byte frames, quick to check */
#define STREAM_WIDTH 64
#define STREAM_HEIGHT 16
#define STREAM_FRAME (STREAM_WIDTH * 2 * STREAM_HEIGHT)

/*
 * A file with STREAM_BUFS small buffers of memory allocated, the node
 * offering exactly caps; -1 on failure.
 */
static int open_with_memory(struct media_env *env, uint32_t memory,
			    uint32_t caps, unsigned int *count)
{
	struct v4l2_requestbuffers rb = {
		.count = STREAM_BUFS,
		.type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
		.memory = memory,
	};
	struct v4l2_format f;
	int fd = open_node(env);

	if (fd < 0)
		return -1;
	if (get_format(fd, &f))
		goto fail;
	f.fmt.pix.width = STREAM_WIDTH;
	f.fmt.pix.height = STREAM_HEIGHT;
	if (xioctl(fd, VIDIOC_S_FMT, &f) || xioctl(fd, VIDIOC_REQBUFS, &rb) ||
	    rb.capabilities != caps)
		goto fail;
	*count = rb.count;
	return fd;
fail:
	close(fd);
	return -1;
}

/* The same with MMAP buffers, USERPTR not offered. */
static int open_with_buffers(struct media_env *env, unsigned int *count)
{
	return open_with_memory(env, V4L2_MEMORY_MMAP, V4L2_BUF_CAP_SUPPORTS_MMAP,
				count);
}

static int buffer_op(int fd, unsigned long request, uint32_t index,
		     struct v4l2_buffer *b)
{
	memset(b, 0, sizeof(*b));
	b->index = index;
	b->type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	b->memory = V4L2_MEMORY_MMAP;
	return xioctl(fd, request, b);
}

/* Map buffer index; NULL on failure, errno set. */
static uint8_t *map_buffer(int fd, uint32_t index, int prot)
{
	struct v4l2_buffer b;
	void *p;

	errno = buffer_op(fd, VIDIOC_QUERYBUF, index, &b);
	if (errno)
		return NULL;
	p = mmap(NULL, b.length, prot, MAP_SHARED, fd, b.m.offset);
	return p == MAP_FAILED ? NULL : p;
}

static bool pattern_ok(const uint8_t *p, uint32_t len, uint32_t sequence)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		if (p[i] != media_pattern_byte(sequence, i))
			return false;
	return true;
}

static int stream_type = V4L2_BUF_TYPE_VIDEO_CAPTURE;

/*
 * The whole way: buffers mapped from the region, queued, filled by the
 * device with its pattern, dequeued in order and queued again; then every
 * mapping's MUNMAP reaches the device.
 */
TEST_F(media, stream_mmap_frames)
{
	uint8_t *maps[STREAM_BUFS];
	struct pollfd pfd;
	struct v4l2_buffer b;
	unsigned int count, i;
	uint32_t last = 0;
	int fd = open_with_buffers(&self->e, &count);

	ASSERT_LE(0, fd);
	ASSERT_EQ((unsigned int)STREAM_BUFS, count);
	for (i = 0; i < count; i++) {
		maps[i] = map_buffer(fd, i, PROT_READ);
		ASSERT_NE(NULL, maps[i]);
		ASSERT_EQ(0, buffer_op(fd, VIDIOC_QBUF, i, &b));
		EXPECT_TRUE(!!(b.flags & V4L2_BUF_FLAG_QUEUED));
	}
	EXPECT_EQ(count, model_count(&self->e, &self->e.m.mmaps));
	pfd.fd = fd;
	pfd.events = POLLIN;
	ASSERT_EQ(0, xioctl(fd, VIDIOC_STREAMON, &stream_type));
	for (i = 0; i < 3 * STREAM_BUFS; i++) {
		ASSERT_EQ(1, poll(&pfd, 1, 5000));
		ASSERT_TRUE(!!(pfd.revents & POLLIN));
		ASSERT_EQ(0, buffer_op(fd, VIDIOC_DQBUF, 0, &b));
		EXPECT_EQ(i % STREAM_BUFS, b.index);
		EXPECT_EQ((uint32_t)STREAM_FRAME, b.bytesused);
		EXPECT_EQ(0u, b.flags & (V4L2_BUF_FLAG_QUEUED | V4L2_BUF_FLAG_DONE));
		if (i)
			EXPECT_EQ(last + 1, b.sequence);
		last = b.sequence;
		EXPECT_TRUE(pattern_ok(maps[b.index], b.bytesused, b.sequence));
		ASSERT_EQ(0, buffer_op(fd, VIDIOC_QBUF, b.index, &b));
	}
	ASSERT_EQ(0, xioctl(fd, VIDIOC_STREAMOFF, &stream_type));
	/* nothing queued, not streaming: poll() says so */
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_TRUE(!!(pfd.revents & POLLERR));
	for (i = 0; i < count; i++)
		munmap(maps[i], STREAM_FRAME);
	EXPECT_TRUE(WAIT_UNTIL(model_count(&self->e, &self->e.m.munmaps) == count,
			       2000));
	close(fd);
}

/* DQBUF: EAGAIN without a buffer when non-blocking; STREAMOFF wakes it. */
struct dq_waiter {
	int fd;
	int err;
};

static void *dq_thread(void *arg)
{
	struct dq_waiter *w = arg;
	struct v4l2_buffer b;

	w->err = buffer_op(w->fd, VIDIOC_DQBUF, 0, &b);
	return NULL;
}

TEST_F(media, dqbuf_waits_and_streamoff_wakes)
{
	struct dq_waiter w;
	struct v4l2_buffer b;
	pthread_t thread;
	unsigned int count;
	int fd = open_with_buffers(&self->e, &count), flags;

	ASSERT_LE(0, fd);
	/* not streaming: EINVAL, as vb2 */
	EXPECT_EQ(EINVAL, buffer_op(fd, VIDIOC_DQBUF, 0, &b));
	ASSERT_EQ(0, xioctl(fd, VIDIOC_STREAMON, &stream_type));
	flags = fcntl(fd, F_GETFL);
	ASSERT_EQ(0, fcntl(fd, F_SETFL, flags | O_NONBLOCK));
	EXPECT_EQ(EAGAIN, buffer_op(fd, VIDIOC_DQBUF, 0, &b));
	ASSERT_EQ(0, fcntl(fd, F_SETFL, flags));

	w.fd = fd;
	w.err = -1;
	ASSERT_EQ(0, pthread_create(&thread, NULL, dq_thread, &w));
	usleep(300 * 1000);
	EXPECT_EQ(-1, w.err);
	ASSERT_EQ(0, xioctl(fd, VIDIOC_STREAMOFF, &stream_type));
	pthread_join(thread, NULL);
	EXPECT_EQ(EINVAL, w.err);
	close(fd);
}

/* QBUF of a buffer the device holds, or of none: refused here. */
TEST_F(media, qbuf_checked)
{
	struct v4l2_buffer b;
	unsigned int count;
	int fd = open_with_buffers(&self->e, &count);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, buffer_op(fd, VIDIOC_QBUF, 0, &b));
	EXPECT_EQ(EINVAL, buffer_op(fd, VIDIOC_QBUF, 0, &b));
	EXPECT_EQ(EINVAL, buffer_op(fd, VIDIOC_QBUF, count, &b));
	b.memory = V4L2_MEMORY_USERPTR;
	EXPECT_EQ(EINVAL, xioctl(fd, VIDIOC_QBUF, &b));
	close(fd);
}

/* Buffers returned that were never queued, or overfull: refused, logged. */
TEST_F(media, buffer_events_that_lie)
{
	struct v4l2_buffer b;
	unsigned int count, i, frames;
	int fd = open_with_buffers(&self->e, &count), flags;

	ASSERT_LE(0, fd);
	flags = fcntl(fd, F_GETFL);
	ASSERT_EQ(0, fcntl(fd, F_SETFL, flags | O_NONBLOCK));
	media_model_set_lie(&self->e.m, MEDIA_LIE_DQBUF_UNKNOWN_BUFFER);
	ASSERT_EQ(0, buffer_op(fd, VIDIOC_QBUF, 0, &b));
	ASSERT_EQ(0, xioctl(fd, VIDIOC_STREAMON, &stream_type));
	EXPECT_TRUE(logged(&self->e, "buffer 5 (type 1) returned, not queued by session 1"));
	EXPECT_EQ(EAGAIN, buffer_op(fd, VIDIOC_DQBUF, 0, &b));

	media_model_set_lie(&self->e.m, MEDIA_LIE_DQBUF_OVERSIZED);
	ASSERT_EQ(0, buffer_op(fd, VIDIOC_QBUF, 1, &b));
	EXPECT_TRUE(logged(&self->e, "buffer 1 returned with 2049 bytes, in 2048"));
	EXPECT_EQ(EAGAIN, buffer_op(fd, VIDIOC_DQBUF, 0, &b));

	/* the memory is MMAP, whatever the device says */
	media_model_set_lie(&self->e.m, MEDIA_LIE_DQBUF_USERPTR);
	ASSERT_EQ(0, buffer_op(fd, VIDIOC_QBUF, 2, &b));
	ASSERT_TRUE(WAIT_UNTIL(buffer_op(fd, VIDIOC_DQBUF, 0, &b) == 0, 5000));
	EXPECT_EQ(2u, b.index);
	EXPECT_EQ((uint32_t)V4L2_MEMORY_MMAP, b.memory);

	/* an honest device again: frames flow once the queue restarts */
	media_model_set_lie(&self->e.m, MEDIA_HONEST);
	ASSERT_EQ(0, xioctl(fd, VIDIOC_STREAMOFF, &stream_type));
	frames = model_count(&self->e, &self->e.m.frames);
	for (i = 0; i < count; i++)
		ASSERT_EQ(0, buffer_op(fd, VIDIOC_QBUF, i, &b));
	ASSERT_EQ(0, xioctl(fd, VIDIOC_STREAMON, &stream_type));
	EXPECT_TRUE(WAIT_UNTIL(buffer_op(fd, VIDIOC_DQBUF, 0, &b) == 0, 5000));
	EXPECT_LT(frames, model_count(&self->e, &self->e.m.frames));
	close(fd);
}

/* Mappings the driver refuses: private, too long, placed off the region. */
TEST_F(media, mmap_checked)
{
	struct v4l2_buffer b;
	unsigned int count;
	int fd = open_with_buffers(&self->e, &count);
	void *p;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, buffer_op(fd, VIDIOC_QUERYBUF, 1, &b));
	p = mmap(NULL, b.length, PROT_READ, MAP_PRIVATE, fd, b.m.offset);
	EXPECT_TRUE(p == MAP_FAILED && errno == EINVAL);
	p = mmap(NULL, b.length + 4096, PROT_READ, MAP_SHARED, fd, b.m.offset);
	EXPECT_TRUE(p == MAP_FAILED && errno == EINVAL);

	media_model_set_lie(&self->e.m, MEDIA_LIE_MMAP_OUTSIDE);
	p = mmap(NULL, b.length, PROT_READ, MAP_SHARED, fd, b.m.offset);
	EXPECT_TRUE(p == MAP_FAILED && errno == EIO);
	EXPECT_TRUE(logged(&self->e, "past the region's 0x400000"));
	/* what the device granted, it gets back */
	EXPECT_TRUE(WAIT_UNTIL(model_count(&self->e, &self->e.m.munmaps) == 2,
			       2000));
	EXPECT_EQ(2u, model_count(&self->e, &self->e.m.mmaps));
	close(fd);
}

/* What a child reads at p: the byte, or minus the signal that killed it. */
static int child_read(const uint8_t *p)
{
	int status;
	pid_t pid = fork();

	if (!pid)
		_exit(__atomic_load_n(p, __ATOMIC_RELAXED));
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return INT_MIN;
	return WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status);
}

/* A mapping shared by a child: one MUNMAP, once both are gone. */
TEST_F(media, fork_keeps_one_mapping)
{
	unsigned int count;
	int fd = open_with_buffers(&self->e, &count);
	uint8_t *p;

	ASSERT_LE(0, fd);
	p = map_buffer(fd, 0, PROT_READ | PROT_WRITE);
	ASSERT_NE(NULL, p);
	p[0] = 42;
	EXPECT_EQ(42, child_read(p));
	usleep(200 * 1000);
	EXPECT_EQ(0u, model_count(&self->e, &self->e.m.munmaps));
	munmap(p, STREAM_FRAME);
	EXPECT_TRUE(WAIT_UNTIL(model_count(&self->e, &self->e.m.munmaps) == 1,
			       2000));
	EXPECT_EQ(1u, model_count(&self->e, &self->e.m.mmaps));
	close(fd);
}

/* A file unmapped, then closed: the device hears MUNMAP before CLOSE. */
TEST_F(media, munmap_before_close)
{
	unsigned int count, i;
	int fd;
	uint8_t *p;

	for (i = 0; i < 5; i++) {
		fd = open_with_buffers(&self->e, &count);
		ASSERT_LE(0, fd);
		p = map_buffer(fd, 0, PROT_READ);
		ASSERT_NE(NULL, p);
		munmap(p, STREAM_FRAME);
		close(fd);
	}
	EXPECT_EQ(5u, model_count(&self->e, &self->e.m.munmaps));
	EXPECT_EQ(0u, model_count(&self->e, &self->e.m.closed_mapped));
}

/* Removal takes the mappings down: a touch is SIGBUS, not the region. */
TEST_F(media, removal_revokes_mappings)
{
	unsigned int count;
	int fd = open_with_buffers(&self->e, &count);
	uint8_t *p;

	ASSERT_LE(0, fd);
	p = map_buffer(fd, 0, PROT_READ);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(0, child_read(p));
	ASSERT_EQ(0, vlab_remove(&self->e.m.dev.lab, VLAB_REMOVE_SURPRISE));
	EXPECT_EQ(-SIGBUS, child_read(p));
	munmap(p, STREAM_FRAME);
	close(fd);
}

/* Freeze or restore the device's driver, as suspend and resume do. */
static int power(struct media_env *env, const char *what)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/bus/virtio/devices/%s/lab_sleep",
		 env->vdev);
	return sysfs_write(path, what);
}

/*
 * Freeze and restore while streaming: the device forgot the session, so
 * its file fails with EIO (a waiting DQBUF too) and its mapping with
 * SIGBUS; a new file streams again; closing the old one closes no session
 * the device gave to another, and its mapping sends no MUNMAP.
 */
TEST_F(media, freeze_restore_while_streaming)
{
	struct dq_waiter w = { .err = -1 };
	struct v4l2_format f;
	struct v4l2_buffer b;
	unsigned int count, i, closes, munmaps;
	pthread_t thread;
	uint8_t *p;
	int fd = open_with_buffers(&self->e, &count), fd2;

	ASSERT_LE(0, fd);
	p = map_buffer(fd, 0, PROT_READ);
	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, child_read(p));
	ASSERT_EQ(0, xioctl(fd, VIDIOC_STREAMON, &stream_type));
	w.fd = fd;
	ASSERT_EQ(0, pthread_create(&thread, NULL, dq_thread, &w));
	usleep(200 * 1000);

	ASSERT_EQ(0, power(&self->e, "freeze"));
	pthread_join(thread, NULL);
	EXPECT_EQ(EIO, w.err);
	ASSERT_EQ(0, power(&self->e, "restore"));
	EXPECT_EQ(-SIGBUS, child_read(p));
	EXPECT_EQ(EIO, get_format(fd, &f));
	EXPECT_EQ(EIO, buffer_op(fd, VIDIOC_QBUF, 0, &b));

	/* a new file is session 1 again: the old one must not close it */
	fd2 = open_with_buffers(&self->e, &count);
	ASSERT_LE(0, fd2);
	closes = model_count(&self->e, &self->e.m.closes);
	munmaps = model_count(&self->e, &self->e.m.munmaps);
	munmap(p, STREAM_FRAME);
	close(fd);
	usleep(200 * 1000);
	EXPECT_EQ(closes, model_count(&self->e, &self->e.m.closes));
	EXPECT_EQ(munmaps, model_count(&self->e, &self->e.m.munmaps));
	for (i = 0; i < count; i++)
		ASSERT_EQ(0, buffer_op(fd2, VIDIOC_QBUF, i, &b));
	ASSERT_EQ(0, xioctl(fd2, VIDIOC_STREAMON, &stream_type));
	EXPECT_EQ(0, buffer_op(fd2, VIDIOC_DQBUF, 0, &b));
	close(fd2);
}

/* The module cannot go while a file is open: the file holds it. */
TEST_F(media, unload_while_open)
{
	char before[16], open_cnt[16];
	int fd = open_node(&self->e);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sysfs_read(REFCNT, open_cnt, sizeof(open_cnt)));
	EXPECT_EQ(-1, syscall(SYS_delete_module, "virtio_media", O_NONBLOCK));
	EXPECT_EQ(EWOULDBLOCK, errno);
	close(fd);
	ASSERT_EQ(0, sysfs_read(REFCNT, before, sizeof(before)));
	EXPECT_LT(atoi(before), atoi(open_cnt));
}

/* --- USERPTR buffers --- */

#define USERPTR_CAPS (V4L2_BUF_CAP_SUPPORTS_MMAP | V4L2_BUF_CAP_SUPPORTS_USERPTR)
/* Each user buffer starts this far into a page: its frame spans two. */
#define USER_OFFSET 3000
#define USER_PAGES_PER_BUF 2

/* Pages pinned now, system-wide, as /proc/vmstat counts them. */
static long pinned_pages(void)
{
	long acquired = -1, released = -1, n;
	char line[128];
	FILE *f;

	/* the per-CPU counts folded in first */
	sysfs_write("/proc/sys/vm/stat_refresh", "1");
	f = fopen("/proc/vmstat", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "nr_foll_pin_acquired %ld", &n) == 1)
			acquired = n;
		else if (sscanf(line, "nr_foll_pin_released %ld", &n) == 1)
			released = n;
	}
	fclose(f);
	return acquired < 0 || released < 0 ? -1 : acquired - released;
}

/* The process's memory for STREAM_BUFS buffers, each across two pages. */
struct user_bufs {
	uint8_t *mem;
	size_t size;
	uint8_t *buf[STREAM_BUFS];
};

static int user_bufs_alloc(struct user_bufs *u)
{
	unsigned int i;

	u->size = STREAM_BUFS * 2 * 4096;
	u->mem = mmap(NULL, u->size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (u->mem == MAP_FAILED)
		return -1;
	for (i = 0; i < STREAM_BUFS; i++)
		u->buf[i] = u->mem + i * 2 * 4096 + USER_OFFSET;
	return 0;
}

static int user_op(int fd, unsigned long request, uint32_t index, void *p,
		   uint32_t len, struct v4l2_buffer *b)
{
	memset(b, 0, sizeof(*b));
	b->index = index;
	b->type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	b->memory = V4L2_MEMORY_USERPTR;
	b->m.userptr = (unsigned long)p;
	b->length = len;
	return xioctl(fd, request, b);
}

/*
 * With USERPTR allowed, a file with STREAM_BUFS USERPTR buffers allocated
 * and the memory for them; the pages pinned before, in *pinned. -1 on
 * failure.
 */
static int open_userptr(struct media_env *env, struct user_bufs *u,
			long *pinned)
{
	unsigned int count;
	int fd;

	*pinned = pinned_pages();
	if (*pinned < 0 || sysfs_write(ALLOW_USERPTR_PARAM, "1"))
		return -1;
	fd = open_with_memory(env, V4L2_MEMORY_USERPTR, USERPTR_CAPS, &count);
	if (fd < 0)
		return -1;
	if (count != STREAM_BUFS || user_bufs_alloc(u)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Off unless the administrator allows it: the device writes user pages. */
TEST_F(media, userptr_off_by_default)
{
	struct v4l2_requestbuffers rb = {
		.count = 2,
		.type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
		.memory = V4L2_MEMORY_USERPTR,
	};
	unsigned int count;
	int fd;

	EXPECT_EQ('N', self->e.allow_userptr[0]);
	fd = open_with_buffers(&self->e, &count);
	ASSERT_LE(0, fd);
	EXPECT_EQ(EINVAL, xioctl(fd, VIDIOC_REQBUFS, &rb));
	close(fd);
}

/*
 * The device fills the process's own pages through scatter lists: frames
 * in order, each buffer as it was queued; no page stays pinned after.
 */
TEST_F(media, userptr_frames)
{
	struct user_bufs u;
	long pinned;
	struct v4l2_buffer b;
	unsigned int i;
	uint32_t last = 0;
	int fd;

	fd = open_userptr(&self->e, &u, &pinned);
	ASSERT_LE(0, fd);
	for (i = 0; i < STREAM_BUFS; i++)
		ASSERT_EQ(0, user_op(fd, VIDIOC_QBUF, i, u.buf[i], STREAM_FRAME, &b));
	EXPECT_EQ(pinned + STREAM_BUFS * USER_PAGES_PER_BUF, pinned_pages());
	ASSERT_EQ(0, xioctl(fd, VIDIOC_STREAMON, &stream_type));
	for (i = 0; i < 3 * STREAM_BUFS; i++) {
		ASSERT_EQ(0, user_op(fd, VIDIOC_DQBUF, 0, NULL, 0, &b));
		EXPECT_EQ(i % STREAM_BUFS, b.index);
		EXPECT_EQ((uint32_t)V4L2_MEMORY_USERPTR, b.memory);
		EXPECT_EQ((unsigned long)u.buf[b.index], b.m.userptr);
		EXPECT_EQ((uint32_t)STREAM_FRAME, b.length);
		EXPECT_EQ((uint32_t)STREAM_FRAME, b.bytesused);
		if (i)
			EXPECT_EQ(last + 1, b.sequence);
		last = b.sequence;
		EXPECT_TRUE(pattern_ok(u.buf[b.index], b.bytesused, b.sequence));
		ASSERT_EQ(0, user_op(fd, VIDIOC_QBUF, b.index, u.buf[b.index],
				     STREAM_FRAME, &b));
	}
	ASSERT_EQ(0, xioctl(fd, VIDIOC_STREAMOFF, &stream_type));
	EXPECT_EQ(pinned, pinned_pages());
	close(fd);
	munmap(u.mem, u.size);
}

/* Memory that cannot be a buffer is refused, and nothing stays pinned. */
TEST_F(media, userptr_refusals)
{
	struct user_bufs u;
	long pinned;
	struct v4l2_buffer b;
	void *p;
	int fd;

	fd = open_userptr(&self->e, &u, &pinned);
	ASSERT_LE(0, fd);
	EXPECT_EQ(EFAULT, user_op(fd, VIDIOC_QBUF, 0, NULL, STREAM_FRAME, &b));
	EXPECT_EQ(EINVAL, user_op(fd, VIDIOC_QBUF, 0, u.buf[0], 0, &b));
	EXPECT_EQ(EINVAL, user_op(fd, VIDIOC_QBUF, 0, u.buf[0], 65 << 20, &b));
	EXPECT_EQ(EINVAL, buffer_op(fd, VIDIOC_QBUF, 0, &b));
	EXPECT_EQ(ENOTTY, user_op(fd, VIDIOC_PREPARE_BUF, 0, u.buf[0],
				  STREAM_FRAME, &b));
	/* USERPTR buffers have no mapping, as with vb2; the device is not asked */
	p = mmap(NULL, STREAM_FRAME, PROT_READ, MAP_SHARED, fd, 0);
	EXPECT_TRUE(p == MAP_FAILED && errno == EINVAL);
	EXPECT_EQ(0u, model_count(&self->e, &self->e.m.mmaps));
	/* the device refuses less than a frame: answered, so unpinned */
	EXPECT_EQ(EINVAL, user_op(fd, VIDIOC_QBUF, 0, u.buf[0], STREAM_FRAME - 1, &b));
	EXPECT_EQ(pinned, pinned_pages());
	ASSERT_EQ(0, user_op(fd, VIDIOC_QBUF, 0, u.buf[0], STREAM_FRAME, &b));
	EXPECT_EQ(EINVAL, user_op(fd, VIDIOC_QBUF, 0, u.buf[1], STREAM_FRAME, &b));
	/* the answer to CLOSE gives the queued buffer back */
	close(fd);
	EXPECT_EQ(pinned, pinned_pages());
	munmap(u.mem, u.size);
}

/*
 * A device that does not answer may still write the pages it was given:
 * they stay pinned (a QBUF timed out, a CLOSE that could not be sent)
 * until a reset ends its use of them.
 */
TEST_F(media, userptr_silent_device_keeps_pages)
{
	struct user_bufs u;
	long pinned;
	struct v4l2_buffer b;
	int fd;

	fd = open_userptr(&self->e, &u, &pinned);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, user_op(fd, VIDIOC_QBUF, 0, u.buf[0], STREAM_FRAME, &b));
	ASSERT_EQ(0, sysfs_write(ANSWER_MS_PARAM, "300"));
	media_model_set_lie(&self->e.m, MEDIA_LIE_SILENT);
	EXPECT_EQ(ETIMEDOUT, user_op(fd, VIDIOC_QBUF, 1, u.buf[1], STREAM_FRAME, &b));
	EXPECT_TRUE(logged(&self->e, "1 USERPTR buffers stay pinned until the device is reset"));
	EXPECT_EQ(pinned + 2 * USER_PAGES_PER_BUF, pinned_pages());
	close(fd);
	EXPECT_EQ(pinned + 2 * USER_PAGES_PER_BUF, pinned_pages());
	media_model_set_lie(&self->e.m, MEDIA_HONEST);
	ASSERT_EQ(0, power(&self->e, "freeze"));
	EXPECT_EQ(pinned, pinned_pages());
	ASSERT_EQ(0, power(&self->e, "restore"));
	munmap(u.mem, u.size);
}

/* A buffer returned longer than it was queued: refused, logged. */
TEST_F(media, userptr_length_lie)
{
	struct user_bufs u;
	long pinned;
	struct v4l2_buffer b;
	int fd;

	fd = open_userptr(&self->e, &u, &pinned);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK));
	media_model_set_lie(&self->e.m, MEDIA_LIE_DQBUF_LENGTH_GROWN);
	ASSERT_EQ(0, user_op(fd, VIDIOC_QBUF, 0, u.buf[0], STREAM_FRAME, &b));
	ASSERT_EQ(0, xioctl(fd, VIDIOC_STREAMON, &stream_type));
	EXPECT_TRUE(logged(&self->e, "buffer 0 plane 0 returned 6144 bytes long, queued 2048"));
	EXPECT_EQ(EAGAIN, user_op(fd, VIDIOC_DQBUF, 0, NULL, 0, &b));
	media_model_set_lie(&self->e.m, MEDIA_HONEST);
	ASSERT_EQ(0, xioctl(fd, VIDIOC_STREAMOFF, &stream_type));
	EXPECT_EQ(pinned, pinned_pages());
	close(fd);
	munmap(u.mem, u.size);
}

/* --- standard tools --- */

/*
 * v4l2-compliance, streaming included, with USERPTR allowed: every test
 * passes, and both the MMAP and the USERPTR streaming tests run (one run
 * covers both: the test of the default, USERPTR refused, is
 * userptr_off_by_default). Its failures and its total are in the test's
 * output.
 */
TEST_F(media, v4l2_compliance)
{
	const char *out = "/tmp/media_test.compliance";

	ASSERT_EQ(0, sysfs_write(ALLOW_USERPTR_PARAM, "1"));
	shell_within_ms(600000, "v4l2-compliance -d %s -s 10 >%s 2>&1",
			self->e.node, out);
	shell_within_ms(5000,
			"grep -oE 'fail:.*|warn:.*|test (MMAP|USERPTR)[^:]*: [A-Z]+|Total.*' %s | sed 's/^/# /'",
			out);
	EXPECT_EQ(0, shell_within_ms(5000, "grep -q 'test MMAP.*: OK' %s", out));
	EXPECT_EQ(0, shell_within_ms(5000, "grep -q 'test USERPTR.*: OK' %s", out));
	EXPECT_EQ(0, shell_within_ms(5000, "grep -q 'Failed: 0, Warnings: 0' %s",
				     out));
}

/* v4l2-ctl captures the device's frames: the pattern, in order. */
TEST_F(media, v4l2_ctl_capture)
{
	const char *out = "/tmp/media_test.frames";
	uint8_t frame[STREAM_FRAME];
	uint32_t i;
	FILE *f;

	ASSERT_EQ(0, shell_within_ms(60000,
				     "v4l2-ctl -d %s --set-fmt-video=width=%u,height=%u --stream-mmap --stream-count=5 --stream-to=%s",
				     self->e.node, STREAM_WIDTH, STREAM_HEIGHT,
				     out));
	f = fopen(out, "r");
	ASSERT_NE(NULL, f);
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(1u, fread(frame, sizeof(frame), 1, f));
		EXPECT_TRUE(pattern_ok(frame, sizeof(frame), i));
	}
	EXPECT_EQ(0u, fread(frame, 1, 1, f));
	fclose(f);
	EXPECT_TRUE(WAIT_UNTIL(model_count(&self->e, &self->e.m.munmaps) ==
			       model_count(&self->e, &self->e.m.mmaps), 2000));
}

/*
 * The relay of a real device: vivid behind the lab's proxy. Each test
 * loads vivid afresh (v4l2-compliance disconnects it), as a webcam only,
 * with no text in its frames so that every frame is the same, at 5 frames
 * a second: at its default 30 an emulated CPU falls behind, and vivid then
 * numbers frames out of order (which v4l2-compliance forgives vivid by
 * its name, and would not forgive the relay).
 */
#define VIVID_OPTIONS "n_devs=1 node_types=0x1 num_inputs=1 input_types=0x0"

FIXTURE(relay) {
	struct media_proxy p;
	pthread_t thread;
	bool serving;
	char real[32];
	char node[32];
	char answer_ms[16];
};

/* A relay answers as slowly as the real driver does under emulation. */
#define RELAY_ANSWER_MS "30000"

static void *relay_thread(void *arg)
{
	media_proxy_serve(arg);
	return NULL;
}

/* /dev/videoN of vivid's capture node. */
static bool find_vivid(char *node, size_t size)
{
	char path[96], name[64];
	unsigned int i;

	for (i = 0; i < 64; i++) {
		snprintf(path, sizeof(path), "/sys/class/video4linux/video%u/name", i);
		if (!sysfs_read(path, name, sizeof(name)) &&
		    !strcmp(name, "vivid-000-vid-cap")) {
			snprintf(node, size, "/dev/video%u", i);
			return !access(node, F_OK);
		}
	}
	return false;
}

FIXTURE_SETUP(relay)
{
	struct vlab_info info;

	ASSERT_EQ(0, sysfs_read(ANSWER_MS_PARAM, self->answer_ms,
				sizeof(self->answer_ms)));
	ASSERT_EQ(0, sysfs_write(ANSWER_MS_PARAM, RELAY_ANSWER_MS));
	ASSERT_EQ(0, shell_within_ms(60000, "modprobe -r vivid; modprobe vivid %s",
				     VIVID_OPTIONS));
	ASSERT_TRUE(WAIT_UNTIL(find_vivid(self->real, sizeof(self->real)), 10000));
	ASSERT_EQ(0, shell_within_ms(10000, "v4l2-ctl -d %s -c osd_text_mode=2 -p 5",
				     self->real));
	ASSERT_EQ(0, media_proxy_create(&self->p, self->real));
	ASSERT_EQ(0, vlab_info(&self->p.dev.lab, &info));
	ASSERT_EQ(0, pthread_create(&self->thread, NULL, relay_thread, &self->p));
	self->serving = true;
	ASSERT_TRUE(WAIT_UNTIL(find_node(info.name, self->node,
					 sizeof(self->node)), 10000));
}

FIXTURE_TEARDOWN(relay)
{
	sysfs_write(ANSWER_MS_PARAM, self->answer_ms);
	if (self->serving) {
		media_proxy_stop(&self->p);
		pthread_join(self->thread, NULL);
	}
	media_proxy_destroy(&self->p);
}

/*
 * v4l2-compliance -s on node, its output in out, its totals ("N,
 * Succeeded: N, Failed: N, Warnings: N") in out.totals, and what it found
 * ("fail: file(line)", "warn: ...") in out.findings.
 */
static void compliance_run(const char *node, const char *out)
{
	shell_within_ms(900000, "v4l2-compliance -d %s -s 10 >%s 2>&1", node, out);
	/* the progress lines end in CRs */
	shell_within_ms(5000, "tr '\\r' '\\n' <%s | grep -E '%s|Total' | sed -e '%s' -e 's/^/# /'",
			out, "fail:|warn:", "s/.*\\(fail:\\|warn:\\)/\\1/");
	shell_within_ms(5000, "sed -n 's/^Total for [^:]*: //p' %s >%s.totals",
			out, out);
	shell_within_ms(5000, "grep -ao '%s' %s | sort -u >%s.findings",
			"\\(fail\\|warn\\): [a-z0-9-]*\\.cpp([0-9]*)", out, out);
}

/*
 * What v4l2-compliance 1.22 forgives vivid by its name: frames numbered
 * out of order (a failure, and those it causes) or with gaps (a warning).
 */
#define VIVID_FORGIVEN "-e 'buffers.cpp(412)' -e 'buffers.cpp(1045)' " \
	"-e 'buffers.cpp(1455)' -e 'buffers.cpp(1340)' -e 'buffers.cpp(438)'"
#define VIVID_FINDINGS "/tmp/vivid.compliance.findings"
#define RELAY_FINDINGS "/tmp/relay.compliance.findings"

/*
 * v4l2-compliance finds in the relay what it finds in vivid itself: the
 * driver adds no failure or warning and hides no failure of vivid's. The
 * one difference allowed is v4l2-compliance's own: what it forgives vivid
 * (which numbers frames out of order when an emulated CPU falls behind)
 * by the driver's name, and so not the relay. Both totals are logged.
 */
TEST_F_TIMEOUT(relay, compliance_as_vivid, 900)
{
	compliance_run(self->node, "/tmp/relay.compliance");
	compliance_run(self->real, "/tmp/vivid.compliance");
	shell_within_ms(5000, "for r in vivid relay; do echo \"# $r:\" $(cat %s); done",
			"/tmp/$r.compliance.totals");
	shell_within_ms(5000, "comm -13 %s %s | sed 's/^/# relay only: /'",
			VIVID_FINDINGS, RELAY_FINDINGS);
	EXPECT_NE(0, shell_within_ms(5000, "comm -13 %s %s | grep -v %s | grep -q .",
				     VIVID_FINDINGS, RELAY_FINDINGS, VIVID_FORGIVEN));
	EXPECT_NE(0, shell_within_ms(5000, "comm -23 %s %s | grep fail:",
				     VIVID_FINDINGS, RELAY_FINDINGS));
}

/* v4l2-ctl captures through the relay the frames vivid gives directly. */
TEST_F_TIMEOUT(relay, capture_as_vivid, 300)
{
	ASSERT_EQ(0, shell_within_ms(120000,
				     "v4l2-ctl -d %s --stream-mmap --stream-count=10 --stream-to=/tmp/relay.raw",
				     self->node));
	ASSERT_EQ(0, shell_within_ms(120000,
				     "v4l2-ctl -d %s --stream-mmap --stream-count=10 --stream-to=/tmp/vivid.raw",
				     self->real));
	shell_within_ms(5000, "ls -l /tmp/relay.raw /tmp/vivid.raw | sed 's/^/# /'");
	EXPECT_EQ(0, shell_within_ms(5000, "cmp /tmp/relay.raw /tmp/vivid.raw"));
	EXPECT_LT(0u, self->p.frames);
}

/* A 1920x1080 YUYV frame, as vivid and the relay fill it. */
#define FRAME_1080P_BYTES (1920 * 1080 * 2)

/*
 * A long 1080p stream at vivid's fastest rate gives the same frames
 * through the relay as from vivid directly; a checksum per frame, as the
 * frames would not fit in the VM's memory. A slow kernel (KASAN, where
 * vivid takes half a second a frame) streams a third of the frames.
 */
TEST_F_TIMEOUT(relay, capture_1080p_as_vivid, 1500)
{
	const char *slow = getenv("VX_SLOW_KERNEL");
	unsigned int frames = slow && !strcmp(slow, "1") ? 100 : 300;
	const char *stream = "v4l2-ctl -d %s --stream-mmap --stream-count=%u --stream-to=- |%s >%s";
	char sums[64];

	snprintf(sums, sizeof(sums), "split -b %u --filter=sha256sum", FRAME_1080P_BYTES);

	ASSERT_EQ(0, shell_within_ms(60000, "v4l2-ctl -d %s -p 30 -v %s", self->node,
				     "width=1920,height=1080,pixelformat=YUYV"));
	ASSERT_EQ(0, shell_within_ms(600000, stream, self->node, frames, sums,
				     "/tmp/relay.sums"));
	ASSERT_EQ(0, shell_within_ms(600000, stream, self->real, frames, sums,
				     "/tmp/vivid.sums"));
	EXPECT_EQ(0, shell_within_ms(5000, "test $(wc -l </tmp/relay.sums) = %u", frames));
	EXPECT_EQ(0, shell_within_ms(5000, "cmp /tmp/relay.sums /tmp/vivid.sums"));
	EXPECT_LE(frames, self->p.frames);
}

TEST_HARNESS_MAIN
