// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_audio_policy against the lab's vehicle policy (apol_model.c),
 * through what a user touches: the card's ALSA controls and their events,
 * by the control device's ioctls (what alsa-lib, amixer and alsactl use).
 * Needs virtio_lab and virtio_audio_policy loaded; run through vm-run
 * (run-tests does).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sound/asound.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "apol_model.h"
#include "clock.h"
#include "klog.h"
#include "kselftest_harness.h"
#include "sysfs.h"

#define PARAMS "/sys/module/virtio_audio_policy/parameters/"

/* Focus Request and Focus State items, as the driver lists them. */
enum { REQ_NONE, REQ_GAIN, REQ_TRANSIENT, REQ_MAY_DUCK, REQ_EXCLUSIVE };
enum { ST_NONE, ST_WAITING, ST_GAIN, ST_LOSS_TRANSIENT, ST_CAN_DUCK, ST_LOSS, ST_DENIED };

struct apol_dut {
	struct apol_model m;
	pthread_t thread;
	bool serving;
	char vdev[32];
	char answer_ms[16];	/* the parameter before the test */
	struct klog_mark mark;
};

static void *serve_thread(void *arg)
{
	struct apol_dut *dut = arg;

	apol_model_serve(&dut->m, -1);
	return NULL;
}

/* The device, not served yet: a lie set now reaches the probe. */
static int dut_create(struct apol_dut *dut, const struct virtio_audio_policy_config *config)
{
	struct vlab_info info;
	int err;

	err = sysfs_read(PARAMS "answer_ms", dut->answer_ms, sizeof(dut->answer_ms));
	if (err)
		return err;
	klog_mark(&dut->mark, "audio_policy_test");
	err = apol_model_create(&dut->m, config);
	if (err)
		return err;
	err = vlab_info(&dut->m.lab, &info);
	if (err)
		return err;
	snprintf(dut->vdev, sizeof(dut->vdev), "%s", info.name);
	return 0;
}

static int dut_serve(struct apol_dut *dut)
{
	int err = -pthread_create(&dut->thread, NULL, serve_thread, dut);

	dut->serving = !err;
	return err;
}

/* The device's card number, or -1 while it has none. */
static int card_of(struct apol_dut *dut)
{
	char path[96];
	struct dirent *d;
	int card = -1;
	DIR *dir;

	snprintf(path, sizeof(path), "/sys/bus/virtio/devices/%s/sound", dut->vdev);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((d = readdir(dir)))
		if (sscanf(d->d_name, "card%d", &card) == 1)
			break;
	closedir(dir);
	return card;
}

/* The card's control device is there: the card's sysfs entry comes first. */
static bool card_ready(struct apol_dut *dut)
{
	char path[32];
	int card = card_of(dut);

	snprintf(path, sizeof(path), "/dev/snd/controlC%d", card);
	return card >= 0 && !access(path, F_OK);
}

static int dut_start(struct apol_dut *dut)
{
	int err;

	err = dut_create(dut, NULL);
	if (!err)
		err = dut_serve(dut);
	if (err)
		return err;
	return WAIT_UNTIL(card_ready(dut), 10000) ? 0 : -ETIMEDOUT;
}

static void dut_stop(struct apol_dut *dut)
{
	sysfs_write(PARAMS "answer_ms", dut->answer_ms);
	if (dut->serving) {
		vlab_remove(&dut->m.lab, 0);
		pthread_join(dut->thread, NULL);
		dut->serving = false;
	}
	apol_model_destroy(&dut->m);
}

static bool logged(struct apol_dut *dut, const char *text)
{
	return klog_since(&dut->mark, text);
}

static unsigned long long stat_of(struct apol_dut *dut, const char *name)
{
	char path[128], buf[32];

	snprintf(path, sizeof(path), "/sys/bus/virtio/devices/%s/audio_policy/%s", dut->vdev,
		 name);
	return sysfs_read(path, buf, sizeof(buf)) ? ~0ULL : strtoull(buf, NULL, 0);
}

/* The card's control device, opened. */
static int ctl_open(struct apol_dut *dut)
{
	char path[32];

	snprintf(path, sizeof(path), "/dev/snd/controlC%d", card_of(dut));
	return open(path, O_RDWR | O_CLOEXEC);
}

static void ctl_id(struct snd_ctl_elem_id *id, const char *name, unsigned int index)
{
	memset(id, 0, sizeof(*id));
	id->iface = SNDRV_CTL_ELEM_IFACE_MIXER;
	snprintf((char *)id->name, sizeof(id->name), "%s", name);
	id->index = index;
}

/* A control's value: its item, its integer, or its 64-bit integer; -errno. */
static long long ctl_get(int fd, const char *name, unsigned int index)
{
	struct snd_ctl_elem_info info = { 0 };
	struct snd_ctl_elem_value v = { 0 };

	ctl_id(&info.id, name, index);
	if (ioctl(fd, SNDRV_CTL_IOCTL_ELEM_INFO, &info))
		return -errno;
	v.id = info.id;
	if (ioctl(fd, SNDRV_CTL_IOCTL_ELEM_READ, &v))
		return -errno;
	switch (info.type) {
	case SNDRV_CTL_ELEM_TYPE_ENUMERATED:
		return v.value.enumerated.item[0];
	case SNDRV_CTL_ELEM_TYPE_INTEGER64:
		return v.value.integer64.value[0];
	default:
		return v.value.integer.value[0];
	}
}

/* Write an enumerated control: 0 or -errno. */
static int ctl_set(int fd, const char *name, unsigned int index, unsigned int item)
{
	struct snd_ctl_elem_value v = { 0 };

	ctl_id(&v.id, name, index);
	v.value.enumerated.item[0] = item;
	return ioctl(fd, SNDRV_CTL_IOCTL_ELEM_WRITE, &v) ? -errno : 0;
}

/* An enumerated control's item name. */
static int ctl_item_name(int fd, const char *name, unsigned int index, unsigned int item,
			 char *buf, size_t len)
{
	struct snd_ctl_elem_info info = { 0 };

	ctl_id(&info.id, name, index);
	info.value.enumerated.item = item;
	if (ioctl(fd, SNDRV_CTL_IOCTL_ELEM_INFO, &info))
		return -errno;
	snprintf(buf, len, "%s", info.value.enumerated.name);
	return 0;
}

/* Value events of the named control that come within ms. */
static unsigned int ctl_events(int fd, const char *name, unsigned int index, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct snd_ctl_event ev;
	unsigned int n = 0;

	while (poll(&pfd, 1, ms) > 0) {
		if (read(fd, &ev, sizeof(ev)) != sizeof(ev))
			break;
		if (ev.type == SNDRV_CTL_EVENT_ELEM &&
		    (ev.data.elem.mask & SNDRV_CTL_EVENT_MASK_VALUE) &&
		    !strcmp((char *)ev.data.elem.id.name, name) && ev.data.elem.id.index == index)
			n++;
		ms = 0;
	}
	return n;
}

static int subscribe(int fd)
{
	int on = 1;

	return ioctl(fd, SNDRV_CTL_IOCTL_SUBSCRIBE_EVENTS, &on);
}

#define STATE_IS(fd, usage, zone, want)						\
	WAIT_UNTIL(ctl_get(fd, usage " Focus State", zone) == (want), 5000)

FIXTURE(apol) {
	struct apol_dut dut;
	int fd;
};

FIXTURE_SETUP(apol)
{
	ASSERT_EQ(0, dut_start(&self->dut));
	self->fd = ctl_open(&self->dut);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(apol)
{
	if (self->fd >= 0)
		close(self->fd);
	dut_stop(&self->dut);
}

/* Every zone's usages, names and the streams' and jacks' controls. */
TEST_F(apol, controls_listed)
{
	struct snd_ctl_elem_list list = { 0 };
	char name[64];

	ASSERT_EQ(0, ioctl(self->fd, SNDRV_CTL_IOCTL_ELEM_LIST, &list));
	/* 2 zone names, 8 usages of 2 controls, 6 targets of 4 */
	EXPECT_EQ(2u + 8 * 2 + 6 * 4, list.count);
	ASSERT_EQ(0, ctl_item_name(self->fd, "Zone Name", 0, 0, name, sizeof(name)));
	EXPECT_STREQ("Front", name);
	ASSERT_EQ(0, ctl_item_name(self->fd, "Zone Name", 1, 0, name, sizeof(name)));
	EXPECT_STREQ("Rear", name);
	ASSERT_EQ(0, ctl_item_name(self->fd, "Media Focus Request", 1, REQ_MAY_DUCK, name,
				   sizeof(name)));
	EXPECT_STREQ("May Duck", name);
	ASSERT_EQ(0, ctl_item_name(self->fd, "Media Focus State", 0, ST_CAN_DUCK, name,
				   sizeof(name)));
	EXPECT_STREQ("Can Duck", name);
	EXPECT_EQ(ST_NONE, ctl_get(self->fd, "Emergency Focus State", 0));
	EXPECT_EQ(ST_NONE, ctl_get(self->fd, "Game Focus State", 1));
	EXPECT_EQ(-ENOENT, ctl_get(self->fd, "Game Focus State", 0));
	EXPECT_EQ(100, ctl_get(self->fd, "Stream Gain Limit", 3));
	EXPECT_EQ(0, ctl_get(self->fd, "Jack Mute", 1));
	EXPECT_EQ(-ENOENT, ctl_get(self->fd, "Jack Mute", 2));
	EXPECT_EQ(-EINVAL, ctl_set(self->fd, "Media Focus Request", 0, 5));
	EXPECT_EQ(-EPERM, ctl_set(self->fd, "Media Focus State", 0, ST_GAIN));
}

/*
 * Focus asked, granted and released: each write one event, of the request,
 * which stands for the state that answers it (mixer-test wants no other).
 */
TEST_F(apol, focus_granted_and_released)
{
	int32_t focus;

	ASSERT_EQ(0, subscribe(self->fd));
	ASSERT_EQ(0, ctl_set(self->fd, "Media Focus Request", 0, REQ_GAIN));
	EXPECT_EQ(ST_GAIN, ctl_get(self->fd, "Media Focus State", 0));
	EXPECT_EQ(1u, ctl_events(self->fd, "Media Focus Request", 0, 1000));
	ASSERT_EQ(0, apol_model_session_focus(&self->dut.m, 0, VIRTIO_AUDIO_POLICY_USAGE_MEDIA,
					      &focus));
	EXPECT_EQ(VIRTIO_AUDIO_POLICY_FOCUS_GAIN, focus);
	/* the same request again is no request */
	ASSERT_EQ(0, ctl_set(self->fd, "Media Focus Request", 0, REQ_GAIN));
	EXPECT_EQ(1u, apol_model_sessions(&self->dut.m));
	ASSERT_EQ(0, ctl_set(self->fd, "Media Focus Request", 0, REQ_NONE));
	EXPECT_EQ(ST_NONE, ctl_get(self->fd, "Media Focus State", 0));
	EXPECT_EQ(0u, apol_model_sessions(&self->dut.m));
	EXPECT_EQ(1u, ctl_events(self->fd, "Media Focus Request", 0, 1000));
	ASSERT_EQ(0, ctl_set(self->fd, "Media Focus Request", 0, REQ_GAIN));
	EXPECT_EQ(0u, ctl_events(self->fd, "Media Focus State", 0, 500));
}

/* An emergency takes media's focus for a while, and gives it back. */
TEST_F(apol, emergency_preempts_media)
{
	ASSERT_EQ(0, ctl_set(self->fd, "Media Focus Request", 0, REQ_GAIN));
	ASSERT_EQ(0, subscribe(self->fd));
	ASSERT_EQ(0, ctl_set(self->fd, "Emergency Focus Request", 0, REQ_TRANSIENT));
	EXPECT_EQ(ST_GAIN, ctl_get(self->fd, "Emergency Focus State", 0));
	EXPECT_TRUE(STATE_IS(self->fd, "Media", 0, ST_LOSS_TRANSIENT));
	EXPECT_EQ(1u, ctl_events(self->fd, "Media Focus State", 0, 1000));
	/* the other zone is not concerned */
	ASSERT_EQ(0, ctl_set(self->fd, "Media Focus Request", 1, REQ_GAIN));
	EXPECT_EQ(ST_GAIN, ctl_get(self->fd, "Media Focus State", 1));
	ASSERT_EQ(0, ctl_set(self->fd, "Emergency Focus Request", 0, REQ_NONE));
	EXPECT_TRUE(STATE_IS(self->fd, "Media", 0, ST_GAIN));
	EXPECT_EQ(REQ_GAIN, ctl_get(self->fd, "Media Focus Request", 0));
}

/* Navigation ducks media: Can Duck, and media's stream ducked, for navigation. */
TEST_F(apol, navigation_ducks_media)
{
	ASSERT_EQ(0, ctl_set(self->fd, "Media Focus Request", 0, REQ_GAIN));
	ASSERT_EQ(0, subscribe(self->fd));
	ASSERT_EQ(0, ctl_set(self->fd, "Navigation Focus Request", 0, REQ_MAY_DUCK));
	EXPECT_EQ(ST_GAIN, ctl_get(self->fd, "Navigation Focus State", 0));
	EXPECT_TRUE(STATE_IS(self->fd, "Media", 0, ST_CAN_DUCK));
	EXPECT_TRUE(WAIT_UNTIL(ctl_get(self->fd, "Stream Duck", APOL_STREAM_FRONT_MEDIA) == 1,
			       5000));
	EXPECT_EQ(VIRTIO_AUDIO_POLICY_REASON_NAV_DUCKING,
		  ctl_get(self->fd, "Stream Policy Reasons", APOL_STREAM_FRONT_MEDIA));
	EXPECT_EQ(1u, ctl_events(self->fd, "Stream Duck", APOL_STREAM_FRONT_MEDIA, 1000));
	EXPECT_EQ(0, ctl_get(self->fd, "Stream Duck", APOL_STREAM_REAR_MEDIA));
	ASSERT_EQ(0, ctl_set(self->fd, "Navigation Focus Request", 0, REQ_NONE));
	EXPECT_TRUE(STATE_IS(self->fd, "Media", 0, ST_GAIN));
	EXPECT_TRUE(WAIT_UNTIL(ctl_get(self->fd, "Stream Duck", APOL_STREAM_FRONT_MEDIA) == 0,
			       5000));
	EXPECT_EQ(0, ctl_get(self->fd, "Stream Policy Reasons", APOL_STREAM_FRONT_MEDIA));
}

/* A call is exclusive: others lose focus, and are refused, but an emergency. */
TEST_F(apol, call_is_exclusive)
{
	ASSERT_EQ(0, ctl_set(self->fd, "Media Focus Request", 0, REQ_GAIN));
	ASSERT_EQ(0, ctl_set(self->fd, "Call Focus Request", 0, REQ_EXCLUSIVE));
	EXPECT_EQ(ST_GAIN, ctl_get(self->fd, "Call Focus State", 0));
	EXPECT_TRUE(STATE_IS(self->fd, "Media", 0, ST_LOSS_TRANSIENT));
	ASSERT_EQ(0, ctl_set(self->fd, "Navigation Focus Request", 0, REQ_MAY_DUCK));
	EXPECT_EQ(ST_DENIED, ctl_get(self->fd, "Navigation Focus State", 0));
	/* refused is a state: the request stays what was asked */
	EXPECT_EQ(REQ_MAY_DUCK, ctl_get(self->fd, "Navigation Focus Request", 0));
	ASSERT_EQ(0, ctl_set(self->fd, "Emergency Focus Request", 0, REQ_TRANSIENT));
	EXPECT_EQ(ST_GAIN, ctl_get(self->fd, "Emergency Focus State", 0));
	EXPECT_TRUE(STATE_IS(self->fd, "Call", 0, ST_LOSS_TRANSIENT));
	ASSERT_EQ(0, ctl_set(self->fd, "Emergency Focus Request", 0, REQ_NONE));
	ASSERT_EQ(0, ctl_set(self->fd, "Call Focus Request", 0, REQ_NONE));
	EXPECT_TRUE(STATE_IS(self->fd, "Media", 0, ST_GAIN));
}

/* While an emergency holds focus, permanent requests wait for it to end. */
TEST_F(apol, delayed_until_the_emergency_ends)
{
	ASSERT_EQ(0, ctl_set(self->fd, "Emergency Focus Request", 0, REQ_EXCLUSIVE));
	ASSERT_EQ(0, ctl_set(self->fd, "Media Focus Request", 0, REQ_GAIN));
	EXPECT_EQ(ST_WAITING, ctl_get(self->fd, "Media Focus State", 0));
	ASSERT_EQ(0, ctl_set(self->fd, "Alarm Focus Request", 0, REQ_TRANSIENT));
	EXPECT_EQ(ST_DENIED, ctl_get(self->fd, "Alarm Focus State", 0));
	ASSERT_EQ(0, ctl_set(self->fd, "Emergency Focus Request", 0, REQ_NONE));
	EXPECT_TRUE(STATE_IS(self->fd, "Media", 0, ST_GAIN));
}

/* A permanent request ends the permanent sessions of its priority: Loss, request None. */
TEST_F(apol, permanent_gain_ends_the_other)
{
	ASSERT_EQ(0, ctl_set(self->fd, "Media Focus Request", 1, REQ_GAIN));
	ASSERT_EQ(0, subscribe(self->fd));
	ASSERT_EQ(0, ctl_set(self->fd, "Game Focus Request", 1, REQ_GAIN));
	EXPECT_TRUE(STATE_IS(self->fd, "Media", 1, ST_LOSS));
	EXPECT_EQ(REQ_NONE, ctl_get(self->fd, "Media Focus Request", 1));
	EXPECT_LE(1u, ctl_events(self->fd, "Media Focus Request", 1, 1000));
	EXPECT_EQ(ST_GAIN, ctl_get(self->fd, "Game Focus State", 1));
	EXPECT_EQ(1u, apol_model_sessions(&self->dut.m));
}

/* What the platform does to streams and jacks, with its reasons. */
TEST_F(apol, limits_and_mutes)
{
	const uint32_t thermal = VIRTIO_AUDIO_POLICY_REASON_THERMAL_LIMITATION;
	const uint32_t remote = VIRTIO_AUDIO_POLICY_REASON_REMOTE_MUTE;
	const uint32_t other = VIRTIO_AUDIO_POLICY_REASON_OTHER;

	ASSERT_EQ(0, subscribe(self->fd));
	ASSERT_EQ(0, apol_model_set_target(&self->dut.m, VIRTIO_AUDIO_POLICY_EVENT_GAIN_LIMIT,
					   VIRTIO_AUDIO_POLICY_TARGET_STREAM, 2, 40, thermal));
	ASSERT_EQ(0, apol_model_set_target(&self->dut.m, VIRTIO_AUDIO_POLICY_EVENT_MUTE,
					   VIRTIO_AUDIO_POLICY_TARGET_JACK, 1, 1, remote | other));
	EXPECT_TRUE(WAIT_UNTIL(ctl_get(self->fd, "Stream Gain Limit", 2) == 40, 5000));
	EXPECT_EQ(thermal, ctl_get(self->fd, "Stream Policy Reasons", 2));
	EXPECT_TRUE(WAIT_UNTIL(ctl_get(self->fd, "Jack Mute", 1) == 1, 5000));
	/* bit 31 whole: the reasons are a 64-bit control */
	EXPECT_EQ((long long)(remote | other), ctl_get(self->fd, "Jack Policy Reasons", 1));
	EXPECT_EQ(0, ctl_get(self->fd, "Jack Mute", 0));
	EXPECT_EQ(1u, ctl_events(self->fd, "Jack Mute", 1, 1000));
	ASSERT_EQ(0, apol_model_set_target(&self->dut.m, VIRTIO_AUDIO_POLICY_EVENT_GAIN_LIMIT,
					   VIRTIO_AUDIO_POLICY_TARGET_STREAM, 2, 100, 0));
	EXPECT_TRUE(WAIT_UNTIL(ctl_get(self->fd, "Stream Gain Limit", 2) == 100, 5000));
	EXPECT_EQ(0, ctl_get(self->fd, "Stream Policy Reasons", 2));
}

static int send_event(struct apol_dut *dut, uint16_t type, uint16_t target, uint32_t id,
		      uint32_t value, uint32_t reasons, uint32_t used_len)
{
	struct virtio_audio_policy_event ev = {
		.type = type, .target = target, .id = id, .value = value, .reasons = reasons,
	};

	return apol_model_send_event(&dut->m, &ev, sizeof(ev), used_len);
}

/*
 * Events a device must not send are dropped and counted, and change no
 * control: unknown sessions, types, targets, IDs past the streams and
 * jacks, values out of range, lifts with reasons, wrong lengths.
 */
TEST_F(apol, lying_events)
{
	const uint16_t fc = VIRTIO_AUDIO_POLICY_EVENT_FOCUS_CHANGE;
	const uint16_t duck = VIRTIO_AUDIO_POLICY_EVENT_DUCK;
	const uint16_t limit = VIRTIO_AUDIO_POLICY_EVENT_GAIN_LIMIT;
	const uint16_t stream = VIRTIO_AUDIO_POLICY_TARGET_STREAM;
	const uint16_t jack = VIRTIO_AUDIO_POLICY_TARGET_JACK;
	unsigned long long invalid;
	unsigned int sent = 0;

	ASSERT_EQ(0, ctl_set(self->fd, "Media Focus Request", 0, REQ_GAIN));
	ASSERT_TRUE(WAIT_UNTIL(apol_model_event_buffers(&self->dut.m) > 20, 5000));
	invalid = stat_of(&self->dut, "events_invalid");
	sent += !send_event(&self->dut, fc, 0, 9999, VIRTIO_AUDIO_POLICY_FOCUS_GAIN, 0, 16);
	sent += !send_event(&self->dut, fc, 0, 1, 7, 0, 16);
	sent += !send_event(&self->dut, fc, 0, 1, (uint32_t)-9, 0, 16);
	/* media holds focus: GAIN again is a lie */
	sent += !send_event(&self->dut, fc, 0, 1, VIRTIO_AUDIO_POLICY_FOCUS_GAIN, 0, 16);
	sent += !send_event(&self->dut, fc, stream, 1, (uint32_t)-2, 0, 16);
	sent += !send_event(&self->dut, duck, stream, APOL_MODEL_STREAMS, 1, 0, 16);
	sent += !send_event(&self->dut, duck, jack, APOL_MODEL_JACKS, 1, 0, 16);
	sent += !send_event(&self->dut, duck, 3, 0, 1, 0, 16);
	sent += !send_event(&self->dut, duck, stream, 0, 2, 0, 16);
	sent += !send_event(&self->dut, duck, stream, 0, 0, 0x10, 16);
	sent += !send_event(&self->dut, limit, jack, 0, 101, 0, 16);
	sent += !send_event(&self->dut, limit, jack, 0, 100, 0x40, 16);
	sent += !send_event(&self->dut, 9, stream, 0, 1, 0, 16);
	sent += !send_event(&self->dut, duck, stream, 0, 1, 0, 12);
	sent += !send_event(&self->dut, duck, stream, 0, 1, 0, 65536);
	ASSERT_EQ(15u, sent);
	EXPECT_TRUE(WAIT_UNTIL(stat_of(&self->dut, "events_invalid") == invalid + sent, 5000)) {
		TH_LOG("%llu invalid events, %llu before",
		       stat_of(&self->dut, "events_invalid"), invalid);
	}
	EXPECT_TRUE(logged(&self->dut, "breaks the specification: dropped"));
	EXPECT_EQ(ST_GAIN, ctl_get(self->fd, "Media Focus State", 0));
	EXPECT_EQ(0, ctl_get(self->fd, "Stream Duck", 0));
	EXPECT_EQ(100, ctl_get(self->fd, "Jack Gain Limit", 0));
	/* and a true one still counts */
	ASSERT_EQ(0, send_event(&self->dut, duck, jack, 0, 1, 0x8, 16));
	EXPECT_TRUE(WAIT_UNTIL(ctl_get(self->fd, "Jack Duck", 0) == 1, 5000));
	EXPECT_EQ(invalid + sent, stat_of(&self->dut, "events_invalid"));
}

/*
 * An event storm: the driver takes every event the device gets to send,
 * ends with the last state, and controls still answer.
 */
TEST_F(apol, event_storm)
{
	const uint16_t mute = VIRTIO_AUDIO_POLICY_EVENT_MUTE;
	const uint16_t jack = VIRTIO_AUDIO_POLICY_TARGET_JACK;
	unsigned long long taken = stat_of(&self->dut, "events");
	long long end = now_ms() + 2000;
	unsigned int i = 0, sent = 0;

	while (now_ms() < end) {
		if (!send_event(&self->dut, mute, jack, 0, i & 1, i & 1 ? 0x2 : 0, 16))
			sent++;
		i++;
	}
	while (send_event(&self->dut, mute, jack, 0, 1, 0x2, 16))
		usleep(1000);
	sent++;
	EXPECT_EQ(ST_NONE, ctl_get(self->fd, "Media Focus State", 0));
	EXPECT_TRUE(WAIT_UNTIL(stat_of(&self->dut, "events") == taken + sent, 10000)) {
		TH_LOG("%u sent, %llu taken", sent, stat_of(&self->dut, "events") - taken);
	}
	EXPECT_EQ(1, ctl_get(self->fd, "Jack Mute", 0));
	EXPECT_EQ(0x2, ctl_get(self->fd, "Jack Policy Reasons", 0));
	TH_LOG("%u tries, %u events sent", i, sent);
}

/*
 * A device that keeps rewriting each event after returning it, between a
 * valid duck and an ID past the jacks: the driver checks and uses one
 * copy, so each event counts once, valid or not, and nothing is touched
 * out of bounds (the debug kernel would say).
 */
#define RACED_EVENTS 200
TEST_F(apol, racing_device)
{
	uint8_t patterns[8] = { 0, 0, 0, 0, 0xff, 0xff, 0, 0 };
	unsigned long long taken = stat_of(&self->dut, "events");
	unsigned int i, sent = 0;

	/* the event's id, at offset 4 */
	for (i = 0; i < RACED_EVENTS; i++) {
		if (!send_event(&self->dut, VIRTIO_AUDIO_POLICY_EVENT_DUCK,
				VIRTIO_AUDIO_POLICY_TARGET_JACK, 1, i & 1, 0, 16))
			sent++;
		vlab_rewrite(&self->dut.m.lab, VIRTIO_AUDIO_POLICY_VQ_EVENT, 4, patterns, 4);
		if (!(i % 16))
			usleep(10000);
	}
	ASSERT_EQ(0, vlab_rewrite(&self->dut.m.lab, VIRTIO_AUDIO_POLICY_VQ_EVENT, 0, NULL, 0));
	EXPECT_TRUE(WAIT_UNTIL(stat_of(&self->dut, "events") == taken + sent, 10000));
	TH_LOG("%u events, %llu of them taken as invalid", sent,
	       stat_of(&self->dut, "events_invalid"));
}

/*
 * A device that does not answer: the write fails in answer_ms and leaves
 * no request, the next fails at once while the device holds the request,
 * and once it answers requests go again.
 */
TEST_F(apol, silent_device)
{
	long long start;

	ASSERT_EQ(0, sysfs_write(PARAMS "answer_ms", "300"));
	apol_model_lie(&self->dut.m, APOL_LIE_SILENT, 1);
	start = now_ms();
	EXPECT_EQ(-ETIMEDOUT, ctl_set(self->fd, "Media Focus Request", 0, REQ_GAIN));
	EXPECT_LE(300, now_ms() - start);
	EXPECT_EQ(REQ_NONE, ctl_get(self->fd, "Media Focus Request", 0));
	EXPECT_EQ(ST_NONE, ctl_get(self->fd, "Media Focus State", 0));
	EXPECT_EQ(-EIO, ctl_set(self->fd, "Media Focus Request", 0, REQ_GAIN));
	EXPECT_TRUE(logged(&self->dut, "not answered in 300 ms"));
	EXPECT_EQ(1, apol_model_answer_held(&self->dut.m));
	EXPECT_TRUE(WAIT_UNTIL(!ctl_set(self->fd, "Media Focus Request", 0, REQ_GAIN), 5000));
	EXPECT_EQ(ST_GAIN, ctl_get(self->fd, "Media Focus State", 0));
}

/* An answer with a status the specification does not have fails the write. */
TEST_F(apol, unknown_status)
{
	apol_model_lie(&self->dut.m, APOL_LIE_STATUS, 1);
	EXPECT_EQ(-EPROTO, ctl_set(self->fd, "Media Focus Request", 0, REQ_GAIN));
	EXPECT_TRUE(logged(&self->dut, "unknown status 77"));
	EXPECT_EQ(REQ_NONE, ctl_get(self->fd, "Media Focus Request", 0));
	EXPECT_EQ(0, ctl_set(self->fd, "Media Focus Request", 0, REQ_GAIN));
}

/* Zones that lie, and configurations out of the specification's limits, fail the probe. */
TEST(devices_that_lie)
{
	static const enum apol_lie lies[] = {
		APOL_LIE_ZONE_TWICE, APOL_LIE_ZONE_LEN, APOL_LIE_STATUS,
	};
	static const char *const logs[] = {
		"listed twice", "breaks the specification", "ZONE_INFO of zone 0: status 77",
	};
	static const struct virtio_audio_policy_config configs[] = {
		{ .zones = 0, .max_usages = 6 },
		{ .zones = 65, .max_usages = 6 },
		{ .zones = 2, .max_usages = 33 },
		{ .zones = 2, .max_usages = 6, .streams = 1025 },
	};
	struct apol_dut *dut = calloc(1, sizeof(*dut));
	unsigned int i;

	ASSERT_NE(NULL, dut);
	for (i = 0; i < ARRAY_SIZE(lies); i++) {
		ASSERT_EQ(0, dut_create(dut, NULL));
		apol_model_lie(&dut->m, lies[i], 1);
		ASSERT_EQ(0, dut_serve(dut));
		EXPECT_TRUE(WAIT_UNTIL(logged(dut, logs[i]), 10000)) {
			TH_LOG("no \"%s\"", logs[i]);
		}
		EXPECT_TRUE(WAIT_UNTIL(logged(dut, "zones not discovered"), 5000));
		EXPECT_GT(0, card_of(dut));
		dut_stop(dut);
	}
	for (i = 0; i < ARRAY_SIZE(configs); i++) {
		ASSERT_EQ(0, dut_create(dut, &configs[i]));
		ASSERT_EQ(0, dut_serve(dut));
		EXPECT_TRUE(WAIT_UNTIL(logged(dut, "configuration breaks the specification"),
				       10000));
		EXPECT_GT(0, card_of(dut));
		dut_stop(dut);
	}
	free(dut);
}

/*
 * Surprise removal with a monitor open: the monitor's read ends, its
 * controls fail, and the card goes once the monitor closes.
 */
TEST_F(apol, surprise_removal_with_monitor)
{
	struct pollfd pfd = { .fd = self->fd, .events = POLLIN };
	char cards[4096] = "";
	int fd;

	ASSERT_EQ(0, ctl_set(self->fd, "Media Focus Request", 0, REQ_GAIN));
	ASSERT_EQ(0, subscribe(self->fd));
	ASSERT_EQ(0, vlab_remove(&self->dut.m.lab, VLAB_REMOVE_SURPRISE));
	pthread_join(self->dut.thread, NULL);
	self->dut.serving = false;
	EXPECT_EQ(1, poll(&pfd, 1, 5000));
	EXPECT_GT(0, ctl_get(self->fd, "Media Focus State", 0));
	EXPECT_GT(0, ctl_set(self->fd, "Media Focus Request", 0, REQ_NONE));
	close(self->fd);
	self->fd = -1;
	fd = open("/proc/asound/cards", O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_LE(0, read(fd, cards, sizeof(cards) - 1));
	close(fd);
	EXPECT_EQ(NULL, strstr(cards, "AudioPolicy"));
}

/*
 * Freeze and restore: the sessions ended with the reset (Loss); what the
 * platform does is told again.
 */
TEST_F(apol, freeze_restore)
{
	char path[128];

	ASSERT_EQ(0, ctl_set(self->fd, "Media Focus Request", 0, REQ_GAIN));
	ASSERT_EQ(0, apol_model_set_target(&self->dut.m, VIRTIO_AUDIO_POLICY_EVENT_MUTE,
					   VIRTIO_AUDIO_POLICY_TARGET_JACK, 0, 1,
					   VIRTIO_AUDIO_POLICY_REASON_TCU_MUTE));
	ASSERT_TRUE(WAIT_UNTIL(ctl_get(self->fd, "Jack Mute", 0) == 1, 5000));
	snprintf(path, sizeof(path), "/sys/bus/virtio/devices/%s/lab_sleep", self->dut.vdev);
	ASSERT_EQ(0, sysfs_write(path, "freeze"));
	EXPECT_TRUE(WAIT_UNTIL(!apol_model_sessions(&self->dut.m), 5000));
	EXPECT_EQ(ST_LOSS, ctl_get(self->fd, "Media Focus State", 0));
	EXPECT_EQ(REQ_NONE, ctl_get(self->fd, "Media Focus Request", 0));
	ASSERT_EQ(0, sysfs_write(path, "restore"));
	EXPECT_TRUE(WAIT_UNTIL(ctl_get(self->fd, "Jack Mute", 0) == 1, 5000));
	EXPECT_EQ(VIRTIO_AUDIO_POLICY_REASON_TCU_MUTE,
		  ctl_get(self->fd, "Jack Policy Reasons", 0));
	ASSERT_EQ(0, ctl_set(self->fd, "Media Focus Request", 0, REQ_GAIN));
	EXPECT_EQ(ST_GAIN, ctl_get(self->fd, "Media Focus State", 0));
}

/*
 * An open control device holds the module, as for every ALSA driver: it
 * does not unload until the file closes, then binds the device again when
 * loaded.
 */
TEST_F(apol, unload_while_open)
{
	ASSERT_EQ(0, ctl_set(self->fd, "Media Focus Request", 0, REQ_GAIN));
	EXPECT_NE(0, system("rmmod virtio_audio_policy 2>/dev/null"));
	EXPECT_EQ(ST_GAIN, ctl_get(self->fd, "Media Focus State", 0));
	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, system("rmmod virtio_audio_policy"));
	EXPECT_TRUE(WAIT_UNTIL(!apol_model_sessions(&self->dut.m), 5000));
	ASSERT_EQ(0, system("modprobe virtio_audio_policy"));
	ASSERT_TRUE(WAIT_UNTIL(card_ready(&self->dut), 10000));
	self->fd = ctl_open(&self->dut);
	ASSERT_LE(0, self->fd);
	EXPECT_EQ(ST_NONE, ctl_get(self->fd, "Media Focus State", 0));
}

TEST_HARNESS_MAIN
