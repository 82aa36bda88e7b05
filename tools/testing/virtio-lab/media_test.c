// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_media against the lab's test-pattern camera (media_model.c):
 * the video node, ioctls relayed in sessions, and a device that lies.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/videodev2.h>
#include <linux/virtio_extra/virtio_media.h>

#include "clock.h"
#include "klog.h"
#include "kselftest_harness.h"
#include "media_model.h"
#include "sysfs.h"

#define ANSWER_MS_PARAM "/sys/module/virtio_media/parameters/answer_ms"

/* The device, played by a thread, and its node: what each test has. */
struct media_env {
	struct media_model m;
	pthread_t thread;
	bool serving;
	char node[32];
	char answer_ms[16];
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
	ASSERT_EQ(0, klog_mark(&self->e.mark, "media_test"));
	ASSERT_EQ(0, media_model_create(&self->e.m));
	ASSERT_EQ(0, vlab_info(&self->e.m.lab, &info));
	ASSERT_EQ(0, pthread_create(&self->e.thread, NULL, serve_thread, &self->e.m));
	self->e.serving = true;
	ASSERT_TRUE(WAIT_UNTIL(find_node(info.name, self->e.node,
					 sizeof(self->e.node)), 10000));
}

FIXTURE_TEARDOWN(media)
{
	sysfs_write(ANSWER_MS_PARAM, self->e.answer_ms);
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

	pthread_mutex_lock(&env->m.lock);
	n = *what;
	pthread_mutex_unlock(&env->m.lock);
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
	EXPECT_EQ(0, strncmp("virtio:virtio", (char *)cap.bus_info, 13));
	EXPECT_TRUE(!!(cap.device_caps & V4L2_CAP_VIDEO_CAPTURE));
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
	/* the device's answer to an error has no payload: no index known */
	EXPECT_EQ(2u, cs.error_idx);
	ASSERT_EQ(0, xioctl(fd, VIDIOC_G_EXT_CTRLS, &cs));
	EXPECT_EQ(10, ctrls[0].value);
	EXPECT_EQ(20, ctrls[1].value);
	/* a control with a payload of its own: not relayed */
	ctrls[1].size = 4;
	EXPECT_EQ(EINVAL, xioctl(fd, VIDIOC_S_EXT_CTRLS, &cs));
	EXPECT_EQ(1u, cs.error_idx);
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
	EXPECT_TRUE(logged(&self->e, "buffer event for session 1, which queued no buffer"));
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
	ASSERT_EQ(0, vlab_remove(&self->e.m.lab, VLAB_REMOVE_SURPRISE));
	EXPECT_EQ(ENODEV, get_format(fd, &f));
	EXPECT_EQ(-1, open_node(&self->e));
	close(fd);
}

TEST_HARNESS_MAIN
