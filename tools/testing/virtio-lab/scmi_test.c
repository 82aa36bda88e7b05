// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_scmi_agent against the lab's SCMI platform: the Base protocol in
 * sysfs, the raw message interface in debugfs byte for byte, and a
 * platform that lies. Needs virtio_lab and virtio_scmi_agent loaded.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "klog.h"
#include "kselftest_harness.h"
#include "scmi_model.h"
#include "sysfs.h"

#define PARAMS "/sys/module/virtio_scmi_agent/parameters/"
#define DEBUGFS_SCMI "/sys/kernel/debug/scmi"

struct scmi_dut {
	struct scmi_model m;
	pthread_t thread;
	bool serving;
	char vdev[32];
	char sysfs[96];		/* the device's scmi/ attributes */
	char raw[96];		/* its debugfs scmi/<n>/ */
	char answer_ms[16];	/* the parameter before the test */
	struct klog_mark mark;
};

static void *serve_thread(void *arg)
{
	struct scmi_dut *dut = arg;

	scmi_model_serve(&dut->m, -1);
	return NULL;
}

/* The debugfs directory whose instance_name is the device's. */
static bool find_raw(struct scmi_dut *dut)
{
	struct dirent *e;
	char path[160], name[32];
	bool found = false;
	DIR *d;

	d = opendir(DEBUGFS_SCMI);
	if (!d)
		return false;
	while (!found && (e = readdir(d))) {
		char *end;
		unsigned long n = strtoul(e->d_name, &end, 10);

		/* the agents' directories are numbers */
		if (end == e->d_name || *end)
			continue;
		snprintf(path, sizeof(path), DEBUGFS_SCMI "/%lu/instance_name", n);
		if (!sysfs_read(path, name, sizeof(name)) && !strcmp(name, dut->vdev)) {
			snprintf(dut->raw, sizeof(dut->raw), DEBUGFS_SCMI "/%lu", n);
			found = true;
		}
	}
	closedir(d);
	return found;
}

static int dut_start(struct scmi_dut *dut, bool events)
{
	struct vlab_info info;
	char path[128];
	int err;

	err = sysfs_read(PARAMS "answer_ms", dut->answer_ms, sizeof(dut->answer_ms));
	if (err)
		return err;
	klog_mark(&dut->mark, "scmi_test");
	err = scmi_model_create(&dut->m, events);
	if (err)
		return err;
	err = vlab_info(&dut->m.lab, &info);
	if (err)
		return err;
	snprintf(dut->vdev, sizeof(dut->vdev), "%s", info.name);
	snprintf(dut->sysfs, sizeof(dut->sysfs), "/sys/bus/virtio/devices/%s/scmi", dut->vdev);
	err = -pthread_create(&dut->thread, NULL, serve_thread, dut);
	dut->serving = !err;
	if (err)
		return err;
	snprintf(path, sizeof(path), "%s/vendor", dut->sysfs);
	if (!WAIT_UNTIL(!access(path, F_OK) && find_raw(dut), 10000))
		return -ETIMEDOUT;
	return 0;
}

static void dut_stop(struct scmi_dut *dut)
{
	sysfs_write(PARAMS "answer_ms", dut->answer_ms);
	if (dut->serving) {
		vlab_remove(&dut->m.lab, 0);
		pthread_join(dut->thread, NULL);
		dut->serving = false;
	}
	scmi_model_destroy(&dut->m);
}

static bool logged(struct scmi_dut *dut, const char *text)
{
	return klog_since(&dut->mark, text);
}

static int attr(struct scmi_dut *dut, const char *name, char *buf, size_t size)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/%s", dut->sysfs, name);
	return sysfs_read(path, buf, size);
}

static int raw_open(struct scmi_dut *dut, const char *name, int flags)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/raw/%s", dut->raw, name);
	return open(path, flags);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static uint32_t get_le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned int hdr_type(uint32_t hdr)
{
	return (hdr & VIRTIO_SCMI_HDR_TYPE_MASK) >> VIRTIO_SCMI_HDR_TYPE_SHIFT;
}

/* An event of len bytes, all of them said to be written. */
static int send_event(struct scmi_dut *dut, const void *msg, uint32_t len)
{
	return scmi_model_send_event(&dut->m, msg, len, len);
}

/* Write a command of len bytes to raw/message: 0, or -errno. */
static int raw_send(int fd, const uint8_t *msg, size_t len)
{
	ssize_t n = write(fd, msg, len);

	if (n < 0)
		return -errno;
	return n == (ssize_t)len ? 0 : -EIO;
}

/* Read one message: its length, or -errno. */
static int raw_read(int fd, uint8_t *buf, size_t size)
{
	ssize_t n = read(fd, buf, size);

	return n < 0 ? -errno : n;
}

FIXTURE(scmi) {
	struct scmi_dut dut;
};

FIXTURE_SETUP(scmi)
{
	ASSERT_EQ(0, dut_start(&self->dut, true));
}

FIXTURE_TEARDOWN(scmi)
{
	dut_stop(&self->dut);
}

/* What the Base protocol said, as sysfs shows it. */
TEST_F(scmi, base_discovery)
{
	char buf[256];

	ASSERT_EQ(0, attr(&self->dut, "vendor", buf, sizeof(buf)));
	EXPECT_STREQ(SCMI_MODEL_VENDOR, buf);
	ASSERT_EQ(0, attr(&self->dut, "sub_vendor", buf, sizeof(buf)));
	EXPECT_STREQ(SCMI_MODEL_SUB_VENDOR, buf);
	ASSERT_EQ(0, attr(&self->dut, "impl_version", buf, sizeof(buf)));
	EXPECT_STREQ("0x00010002", buf);
	ASSERT_EQ(0, attr(&self->dut, "base_version", buf, sizeof(buf)));
	EXPECT_STREQ("2.1", buf);
	ASSERT_EQ(0, attr(&self->dut, "protocols", buf, sizeof(buf)));
	EXPECT_STREQ("0x12 0x15", buf);
	ASSERT_EQ(0, attr(&self->dut, "agents", buf, sizeof(buf)));
	EXPECT_STREQ("0 platform\n1 OSPM", buf);
}

/* The transport's properties, as Linux's raw mode names them. */
TEST_F(scmi, transport_properties)
{
	char path[160], buf[32];

	snprintf(path, sizeof(path), "%s/transport/type", self->dut.raw);
	ASSERT_EQ(0, sysfs_read(path, buf, sizeof(buf)));
	EXPECT_STREQ("virtio", buf);
	snprintf(path, sizeof(path), "%s/transport/max_msg_size", self->dut.raw);
	ASSERT_EQ(0, sysfs_read(path, buf, sizeof(buf)));
	EXPECT_STREQ("128", buf);
	snprintf(path, sizeof(path), "%s/transport/rx_max_msg", self->dut.raw);
	ASSERT_EQ(0, sysfs_read(path, buf, sizeof(buf)));
	EXPECT_STREQ("16", buf);
}

/* A command written with its own token comes back byte for byte. */
TEST_F(scmi, raw_round_trip)
{
	uint8_t msg[8], resp[64], want[16];
	int fd, len;

	fd = raw_open(&self->dut, "message", O_RDWR);
	ASSERT_LE(0, fd);
	/* DISCOVER_AGENT 1, token 0x155 */
	put_le32(msg, scmi_hdr(SCMI_PROTO_BASE, 0x7, 0, 0x155));
	put_le32(msg + 4, 1);
	ASSERT_EQ(0, raw_send(fd, msg, sizeof(msg)));
	len = raw_read(fd, resp, sizeof(resp));
	ASSERT_EQ(28, len);
	put_le32(want, scmi_hdr(SCMI_PROTO_BASE, 0x7, 0, 0x155));
	put_le32(want + 4, 0);
	put_le32(want + 8, 1);
	EXPECT_EQ(0, memcmp(want, resp, 12));
	EXPECT_EQ(0, memcmp("OSPM\0\0\0\0\0\0\0\0\0\0\0\0", resp + 12, 16));
	/* then end of file; the queue is empty */
	EXPECT_EQ(0, raw_read(fd, resp, sizeof(resp)));
	close(fd);
	fd = raw_open(&self->dut, "message", O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EAGAIN, raw_read(fd, resp, sizeof(resp)));
	close(fd);
}

/* The platform's error status comes back as it is, the status in place. */
TEST_F(scmi, raw_error_status)
{
	uint8_t msg[4], resp[64], want[8];
	int fd;

	fd = raw_open(&self->dut, "message", O_RDWR);
	ASSERT_LE(0, fd);
	put_le32(msg, scmi_hdr(0x99, 0x3, 0, 7));
	ASSERT_EQ(0, raw_send(fd, msg, sizeof(msg)));
	put_le32(want, scmi_hdr(0x99, 0x3, 0, 7));
	put_le32(want + 4, (uint32_t)VIRTIO_SCMI_STATUS_NOT_SUPPORTED);
	ASSERT_EQ(8, raw_read(fd, resp, sizeof(resp)));
	EXPECT_EQ(0, memcmp(want, resp, 8));
	close(fd);
}

/* Messages the interface refuses before the platform sees them. */
TEST_F(scmi, raw_refusals)
{
	unsigned int before = scmi_model_commands(&self->dut.m);
	uint8_t msg[4 + 129] = { 0 };
	int fd;

	fd = raw_open(&self->dut, "message", O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, raw_send(fd, msg, 3));
	EXPECT_EQ(-ERANGE, raw_send(fd, msg, sizeof(msg)));
	put_le32(msg, scmi_hdr(SCMI_PROTO_BASE, 0, VIRTIO_SCMI_MSG_TYPE_NOTIFICATION, 1));
	EXPECT_EQ(-EINVAL, raw_send(fd, msg, 4));
	close(fd);
	EXPECT_EQ(before, scmi_model_commands(&self->dut.m));
}

/* A notification reaches raw/notification as it was sent; poll sees it. */
TEST_F(scmi, raw_notification)
{
	uint8_t note[16], got[64];
	struct pollfd pfd;
	int fd;

	fd = raw_open(&self->dut, "notification", O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, fd);
	pfd.fd = fd;
	pfd.events = POLLIN;
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	put_le32(note, scmi_hdr(SCMI_PROTO_SENSOR, SCMI_SENSOR_TRIP_POINT_EVENT,
				VIRTIO_SCMI_MSG_TYPE_NOTIFICATION, 0));
	put_le32(note + 4, 0);
	put_le32(note + 8, 1);
	put_le32(note + 12, 0);
	ASSERT_TRUE(WAIT_UNTIL(scmi_model_event_buffers(&self->dut.m) > 0, 5000));
	ASSERT_EQ(0, send_event(&self->dut, note, sizeof(note)));
	EXPECT_EQ(1, poll(&pfd, 1, 5000));
	EXPECT_EQ(16, raw_read(fd, got, sizeof(got)));
	EXPECT_EQ(0, memcmp(note, got, sizeof(note)));
	/* the buffer went back to the platform */
	EXPECT_TRUE(WAIT_UNTIL(scmi_model_event_buffers(&self->dut.m) == 16, 5000));
	close(fd);
}

/* Responses that break the protocol: refused, logged, kept in errors. */
TEST_F(scmi, responses_that_lie)
{
	static const struct {
		enum scmi_lie lie;
		const char *log;
	} lies[] = {
		{ SCMI_LIE_WRONG_TOKEN, "answered with header" },
		{ SCMI_LIE_WRONG_PROTOCOL, "answered with header" },
		{ SCMI_LIE_WRONG_TYPE, "answered with header" },
		{ SCMI_LIE_SHORT, "answered with 4 bytes: no status" },
		{ SCMI_LIE_LONG, "answered with 4096 bytes, in a buffer of 136" },
	};
	uint8_t msg[4], got[64];
	unsigned int i;
	int fd, errors;

	fd = raw_open(&self->dut, "message", O_RDWR);
	ASSERT_LE(0, fd);
	errors = raw_open(&self->dut, "errors", O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, errors);
	put_le32(msg, scmi_hdr(SCMI_PROTO_BASE, 0x0, 0, 9));
	for (i = 0; i < ARRAY_SIZE(lies); i++) {
		klog_mark(&self->dut.mark, "scmi_test");
		scmi_model_lie(&self->dut.m, lies[i].lie, 1);
		EXPECT_EQ(-EPROTO, raw_send(fd, msg, sizeof(msg)));
		EXPECT_TRUE(WAIT_UNTIL(logged(&self->dut, lies[i].log), 5000)) {
			TH_LOG("lie %u: no \"%s\" in the log", lies[i].lie, lies[i].log);
		}
		/* what came is kept for the errors file, unless it did not fit */
		if (lies[i].lie != SCMI_LIE_LONG) {
			EXPECT_LT(0, raw_read(errors, got, sizeof(got)));
			EXPECT_EQ(0, raw_read(errors, got, sizeof(got)));
		}
	}
	/* and the truth passes again */
	EXPECT_EQ(0, raw_send(fd, msg, sizeof(msg)));
	EXPECT_EQ(12, raw_read(fd, got, sizeof(got)));
	close(errors);
	close(fd);
}

/* An error status with payload: the status stands, the payload goes. */
TEST_F(scmi, error_with_payload)
{
	uint8_t msg[4], got[64];
	int fd;

	fd = raw_open(&self->dut, "message", O_RDWR);
	ASSERT_LE(0, fd);
	put_le32(msg, scmi_hdr(SCMI_PROTO_BASE, 0x0, 0, 10));
	scmi_model_lie(&self->dut.m, SCMI_LIE_ERROR_WITH_PAYLOAD, 1);
	ASSERT_EQ(0, raw_send(fd, msg, sizeof(msg)));
	ASSERT_EQ(8, raw_read(fd, got, sizeof(got)));
	EXPECT_EQ((uint32_t)VIRTIO_SCMI_STATUS_GENERIC_ERROR,
		  got[4] | got[5] << 8 | got[6] << 16 | (uint32_t)got[7] << 24);
	EXPECT_TRUE(WAIT_UNTIL(logged(&self->dut, "with 8 bytes of payload"), 5000));
	close(fd);
}

/*
 * A platform that does not answer: the command times out, none other goes
 * while the platform holds it, and once it answers commands go again.
 */
TEST_F(scmi, silent_platform)
{
	uint8_t msg[4], got[64];
	int fd;

	ASSERT_EQ(0, sysfs_write(PARAMS "answer_ms", "300"));
	fd = raw_open(&self->dut, "message", O_RDWR);
	ASSERT_LE(0, fd);
	put_le32(msg, scmi_hdr(SCMI_PROTO_BASE, 0x0, 0, 11));
	scmi_model_lie(&self->dut.m, SCMI_LIE_SILENT, 1);
	EXPECT_EQ(-ETIMEDOUT, raw_send(fd, msg, sizeof(msg)));
	EXPECT_TRUE(WAIT_UNTIL(logged(&self->dut, "did not answer command"), 5000));
	EXPECT_EQ(-EIO, raw_send(fd, msg, sizeof(msg)));
	EXPECT_TRUE(logged(&self->dut, "still holds a command it never answered"));
	ASSERT_EQ(0, scmi_model_answer_held(&self->dut.m));
	/* the late answer is freed, not delivered; the next command goes */
	EXPECT_TRUE(WAIT_UNTIL(raw_send(fd, msg, sizeof(msg)) == 0, 5000));
	EXPECT_EQ(12, raw_read(fd, got, sizeof(got)));
	close(fd);
}

/* Event buffers returned short, or longer than they are: dropped, logged. */
TEST_F(scmi, events_that_lie)
{
	uint8_t note[8];

	put_le32(note, scmi_hdr(SCMI_PROTO_SENSOR, SCMI_SENSOR_TRIP_POINT_EVENT,
				VIRTIO_SCMI_MSG_TYPE_NOTIFICATION, 0));
	put_le32(note + 4, 0);
	ASSERT_TRUE(WAIT_UNTIL(scmi_model_event_buffers(&self->dut.m) == 16, 5000));
	ASSERT_EQ(0, scmi_model_send_event(&self->dut.m, note, sizeof(note), 3));
	EXPECT_TRUE(WAIT_UNTIL(logged(&self->dut, "event of 3 bytes, less than a header"), 5000));
	ASSERT_EQ(0, scmi_model_send_event(&self->dut.m, note, sizeof(note), 4096));
	EXPECT_TRUE(WAIT_UNTIL(logged(&self->dut, "in a buffer of 136: dropped"), 5000));
	/* a message type that has no place on the event queue */
	put_le32(note, scmi_hdr(SCMI_PROTO_SYSTEM, 0x0, VIRTIO_SCMI_MSG_TYPE_COMMAND, 0));
	ASSERT_EQ(0, send_event(&self->dut, note, sizeof(note)));
	EXPECT_TRUE(WAIT_UNTIL(logged(&self->dut, "of message type 0 on the event queue"), 5000));
	/* each buffer went back */
	EXPECT_TRUE(WAIT_UNTIL(scmi_model_event_buffers(&self->dut.m) == 16, 5000));
}

/*
 * Notifications as fast as the buffers come back: the driver keeps up
 * without starving the rest (commands still go), and the queue keeps the
 * last 32.
 */
TEST_F(scmi, notification_storm)
{
	uint8_t note[12], msg[4], got[64];
	unsigned int sent = 0, last = 0;
	long long end = now_ms() + 3000;
	int fd, n = 0;

	put_le32(note, scmi_hdr(SCMI_PROTO_SENSOR, SCMI_SENSOR_TRIP_POINT_EVENT,
				VIRTIO_SCMI_MSG_TYPE_NOTIFICATION, 0));
	put_le32(note + 4, 0);
	while (now_ms() < end) {
		put_le32(note + 8, sent);
		if (!send_event(&self->dut, note, sizeof(note)))
			last = sent++;
	}
	TH_LOG("%u notifications in 3 s", sent);
	ASSERT_LT(100u, sent);
	fd = raw_open(&self->dut, "message", O_RDWR);
	ASSERT_LE(0, fd);
	put_le32(msg, scmi_hdr(SCMI_PROTO_BASE, 0x0, 0, 13));
	EXPECT_EQ(0, raw_send(fd, msg, sizeof(msg)));
	EXPECT_EQ(12, raw_read(fd, got, sizeof(got)));
	close(fd);
	fd = raw_open(&self->dut, "notification", O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_TRUE(WAIT_UNTIL(scmi_model_event_buffers(&self->dut.m) == 16, 5000));
	while (raw_read(fd, got, sizeof(got)) == 12) {
		n++;
		raw_read(fd, got, sizeof(got));	/* the end of the message */
	}
	EXPECT_EQ(32, n);
	/* the last one read is the last one sent */
	EXPECT_EQ(last, got[8] | got[9] << 8 | got[10] << 16 | (uint32_t)got[11] << 24);
	close(fd);
}

/*
 * An async command of the raw interface: its response, then its delayed
 * response, both read from message_async; a delayed response nobody awaits
 * goes to errors.
 */
TEST_F(scmi, raw_async_and_delayed)
{
	uint8_t msg[8], delayed[16], got[64];
	int fd, errors;

	fd = raw_open(&self->dut, "message_async", O_RDWR);
	ASSERT_LE(0, fd);
	put_le32(msg, scmi_hdr(SCMI_PROTO_BASE, 0x7, 0, 0x20));
	put_le32(msg + 4, 0);
	ASSERT_EQ(0, raw_send(fd, msg, sizeof(msg)));
	EXPECT_EQ(28, raw_read(fd, got, sizeof(got)));
	EXPECT_EQ(0, raw_read(fd, got, sizeof(got)));
	put_le32(delayed, scmi_hdr(SCMI_PROTO_BASE, 0x7,
				   VIRTIO_SCMI_MSG_TYPE_DELAYED_RESPONSE, 0x20));
	put_le32(delayed + 4, 0);
	put_le32(delayed + 8, 0x12345678);
	put_le32(delayed + 12, 0x9abcdef0);
	ASSERT_TRUE(WAIT_UNTIL(scmi_model_event_buffers(&self->dut.m) > 0, 5000));
	ASSERT_EQ(0, send_event(&self->dut, delayed, sizeof(delayed)));
	EXPECT_EQ(16, raw_read(fd, got, sizeof(got)));
	EXPECT_EQ(0, memcmp(delayed, got, sizeof(delayed)));
	close(fd);

	/* the same again: nobody awaits it now */
	errors = raw_open(&self->dut, "errors", O_RDONLY);
	ASSERT_LE(0, errors);
	ASSERT_EQ(0, send_event(&self->dut, delayed, sizeof(delayed)));
	EXPECT_EQ(16, raw_read(errors, got, sizeof(got)));
	EXPECT_TRUE(logged(&self->dut, "that nobody awaits"));
	close(errors);
}

/*
 * A delayed response that never comes: its token stays awaited, so a
 * command that reuses it is refused (EBUSY) until the device is reset.
 */
TEST_F(scmi, delayed_response_never_comes)
{
	uint8_t msg[4], got[64];
	char path[128];
	int fd;

	fd = raw_open(&self->dut, "message_async", O_RDWR);
	ASSERT_LE(0, fd);
	put_le32(msg, scmi_hdr(SCMI_PROTO_BASE, 0x0, 0, 0x21));
	ASSERT_EQ(0, raw_send(fd, msg, sizeof(msg)));
	EXPECT_EQ(12, raw_read(fd, got, sizeof(got)));
	EXPECT_EQ(-EBUSY, raw_send(fd, msg, sizeof(msg)));
	close(fd);
	fd = raw_open(&self->dut, "message", O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EBUSY, raw_send(fd, msg, sizeof(msg)));
	/* other tokens go */
	put_le32(msg, scmi_hdr(SCMI_PROTO_BASE, 0x0, 0, 0x22));
	EXPECT_EQ(0, raw_send(fd, msg, sizeof(msg)));
	EXPECT_EQ(12, raw_read(fd, got, sizeof(got)));
	EXPECT_EQ(0, raw_read(fd, got, sizeof(got)));
	/* a reset forgets it */
	snprintf(path, sizeof(path), "/sys/bus/virtio/devices/%s/lab_sleep", self->dut.vdev);
	ASSERT_EQ(0, sysfs_write(path, "freeze"));
	ASSERT_EQ(0, sysfs_write(path, "restore"));
	put_le32(msg, scmi_hdr(SCMI_PROTO_BASE, 0x0, 0, 0x21));
	EXPECT_EQ(0, raw_send(fd, msg, sizeof(msg)));
	EXPECT_EQ(12, raw_read(fd, got, sizeof(got)));
	close(fd);
}

/* freeze and restore, as a system sleep: the agent works after. */
TEST_F(scmi, freeze_restore)
{
	uint8_t msg[4], got[64], note[8];
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/virtio/devices/%s/lab_sleep", self->dut.vdev);
	ASSERT_EQ(0, sysfs_write(path, "freeze"));
	ASSERT_EQ(0, sysfs_write(path, "restore"));
	fd = raw_open(&self->dut, "message", O_RDWR);
	ASSERT_LE(0, fd);
	put_le32(msg, scmi_hdr(SCMI_PROTO_BASE, 0x0, 0, 14));
	EXPECT_EQ(0, raw_send(fd, msg, sizeof(msg)));
	EXPECT_EQ(12, raw_read(fd, got, sizeof(got)));
	close(fd);
	/* the event queue came back with its buffers */
	EXPECT_TRUE(WAIT_UNTIL(scmi_model_event_buffers(&self->dut.m) == 16, 5000));
	fd = raw_open(&self->dut, "notification", O_RDONLY);
	ASSERT_LE(0, fd);
	put_le32(note, scmi_hdr(SCMI_PROTO_SENSOR, SCMI_SENSOR_TRIP_POINT_EVENT,
				VIRTIO_SCMI_MSG_TYPE_NOTIFICATION, 0));
	put_le32(note + 4, 0);
	ASSERT_EQ(0, send_event(&self->dut, note, sizeof(note)));
	EXPECT_EQ(8, raw_read(fd, got, sizeof(got)));
	close(fd);
	/* and the agent asked again for what the reset platform forgot */
	EXPECT_EQ(1, scmi_model_set_sensor(&self->dut.m, 1, 850000));
	EXPECT_EQ(1, scmi_model_request_power(&self->dut.m, SCMI_SYSTEM_GRACEFUL,
					      SCMI_SYSTEM_POWER_UP, 0));
}

/* The module stays while a raw file is open. */
TEST_F(scmi, unload_while_open)
{
	int fd;

	fd = raw_open(&self->dut, "message", O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_NE(0, system("rmmod virtio_scmi_agent 2>/dev/null"));
	close(fd);
}

/*
 * A platform that keeps rewriting the header of each event after returning
 * it, between a notification's and a delayed response's: the driver sorts
 * by one copy and delivers that copy, so raw/notification gets messages
 * whose header says notification (a copy may mix bytes of both headers,
 * still one copy), and errors gets the others. (Event buffers are the ones
 * the lab can race: they stay the driver's for the life of the queue. A
 * command's response buffer is freed once copied; a device writing it
 * after its return writes memory it no longer owns.)
 */
#define RACED_EVENTS 200
TEST_F(scmi, racing_platform)
{
	uint8_t patterns[8], note[12], got[64];
	unsigned int i, notes = 0, errors_read = 0;
	uint32_t hdr;
	int fd, errors;

	put_le32(patterns, scmi_hdr(SCMI_PROTO_SYSTEM, 0x3, VIRTIO_SCMI_MSG_TYPE_NOTIFICATION, 0));
	put_le32(patterns + 4,
		 scmi_hdr(SCMI_PROTO_BASE, 0x0, VIRTIO_SCMI_MSG_TYPE_DELAYED_RESPONSE, 0x3ff));
	fd = raw_open(&self->dut, "notification", O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, fd);
	errors = raw_open(&self->dut, "errors", O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, errors);
	ASSERT_TRUE(WAIT_UNTIL(scmi_model_event_buffers(&self->dut.m) == 16, 5000));
	put_le32(note, scmi_hdr(SCMI_PROTO_SENSOR, SCMI_SENSOR_TRIP_POINT_EVENT,
				VIRTIO_SCMI_MSG_TYPE_NOTIFICATION, 0));
	put_le32(note + 4, 0);
	for (i = 0; i < RACED_EVENTS; i++) {
		put_le32(note + 8, i);
		ASSERT_TRUE(WAIT_UNTIL(send_event(&self->dut, note, sizeof(note)) == 0, 5000));
		if (i == 0)
			ASSERT_EQ(0, vlab_rewrite(&self->dut.m.lab, VIRTIO_SCMI_VQ_RX, 0,
						  patterns, 4));
		/* read as they come: the queues keep 32 */
		while (raw_read(fd, got, sizeof(got)) == sizeof(note)) {
			hdr = get_le32(got);
			EXPECT_EQ((unsigned int)VIRTIO_SCMI_MSG_TYPE_NOTIFICATION, hdr_type(hdr)) {
				TH_LOG("header 0x%08x delivered as a notification", hdr);
			}
			notes++;
			raw_read(fd, got, sizeof(got));
		}
		while (raw_read(errors, got, sizeof(got)) > 0) {
			hdr = get_le32(got);
			EXPECT_NE((unsigned int)VIRTIO_SCMI_MSG_TYPE_NOTIFICATION, hdr_type(hdr));
			errors_read++;
			raw_read(errors, got, sizeof(got));
		}
	}
	ASSERT_EQ(0, vlab_rewrite(&self->dut.m.lab, VIRTIO_SCMI_VQ_RX, 0, NULL, 0));
	TH_LOG("%u events: %u read as notifications, %u as errors", RACED_EVENTS, notes,
	       errors_read);
	close(errors);
	close(fd);
}

/*
 * The hwmon directory of the device's sensors, under their auxiliary
 * device, into dir; false if there is none.
 */
static bool find_hwmon(struct scmi_dut *dut, char *dir, size_t size)
{
	char path[160], name[48];

	snprintf(path, sizeof(path), "/sys/bus/virtio/devices/%s", dut->vdev);
	if (!sysfs_first_entry_prefixed(path, "virtio_scmi_agent.sensors.", name, sizeof(name)))
		return false;
	snprintf(path + strlen(path), sizeof(path) - strlen(path), "/%s/hwmon", name);
	if (!sysfs_first_entry(path, name, sizeof(name)))
		return false;
	snprintf(dir, size, "%s/%s", path, name);
	return true;
}

static int hwmon_attr(const char *dir, const char *name, char *buf, size_t size)
{
	char path[192];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return sysfs_read(path, buf, size);
}

/*
 * The platform's sensors in hwmon: labels, and values scaled to hwmon's
 * units (negative ones too); the async sensor read through its delayed
 * response; a class hwmon does not show, left out.
 */
TEST_F(scmi, sensors_in_hwmon)
{
	static const struct {
		const char *channel, *label, *input;
	} want[] = {
		{ "temp1", "cpu_package_temperature", "45500" },
		{ "in0", "vdd_core", "850" },
		{ "curr1", "board_current", "1500" },
		{ "power1", "soc_power", "2500000" },
		{ "energy1", "soc_energy", "1234000000" },
		{ "temp2", "ambient", "-5250" },
	};
	char dir[128], name[64], buf[96];
	unsigned int i;

	ASSERT_TRUE(find_hwmon(&self->dut, dir, sizeof(dir)));
	ASSERT_EQ(0, hwmon_attr(dir, "name", buf, sizeof(buf)));
	EXPECT_STREQ("scmi_sensors", buf);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		snprintf(name, sizeof(name), "%s_label", want[i].channel);
		ASSERT_EQ(0, hwmon_attr(dir, name, buf, sizeof(buf)));
		EXPECT_STREQ(want[i].label, buf);
		snprintf(name, sizeof(name), "%s_input", want[i].channel);
		ASSERT_EQ(0, hwmon_attr(dir, name, buf, sizeof(buf)));
		EXPECT_STREQ(want[i].input, buf);
	}
	EXPECT_EQ(-ENOENT, hwmon_attr(dir, "temp3_input", buf, sizeof(buf)));
	EXPECT_EQ(-ENOENT, hwmon_attr(dir, "fan1_input", buf, sizeof(buf)));
}

/*
 * Readings that lie reach the reader as errors, never as values: a reading
 * cut short (EPROTO), one hwmon's long cannot hold (ERANGE); then the
 * truth reads again.
 */
TEST_F(scmi, sensor_readings_that_lie)
{
	char dir[128], buf[32];

	ASSERT_TRUE(find_hwmon(&self->dut, dir, sizeof(dir)));
	scmi_model_lie(&self->dut.m, SCMI_LIE_SHORT, 1);
	EXPECT_EQ(-EPROTO, hwmon_attr(dir, "temp1_input", buf, sizeof(buf)));
	/* soc_power, in mW: hwmon's µW overflow */
	ASSERT_LE(0, scmi_model_set_sensor(&self->dut.m, 3, INT64_MAX / 10));
	EXPECT_EQ(-ERANGE, hwmon_attr(dir, "power1_input", buf, sizeof(buf)));
	ASSERT_LE(0, scmi_model_set_sensor(&self->dut.m, 3, -2500));
	ASSERT_EQ(0, hwmon_attr(dir, "power1_input", buf, sizeof(buf)));
	EXPECT_STREQ("-2500000", buf);
	ASSERT_EQ(0, hwmon_attr(dir, "temp1_input", buf, sizeof(buf)));
	EXPECT_STREQ("45500", buf);
}

/* A sensor update notification wakes poll() on the channel's input. */
TEST_F(scmi, sensor_update_wakes_poll)
{
	char dir[128], path[192], buf[32];
	struct pollfd pfd;
	int fd;

	ASSERT_TRUE(find_hwmon(&self->dut, dir, sizeof(dir)));
	snprintf(path, sizeof(path), "%s/in0_input", dir);
	fd = open(path, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, read(fd, buf, sizeof(buf)));
	pfd.fd = fd;
	pfd.events = POLLPRI | POLLERR;
	EXPECT_EQ(0, poll(&pfd, 1, 200));
	ASSERT_TRUE(WAIT_UNTIL(scmi_model_event_buffers(&self->dut.m) > 0, 5000));
	ASSERT_EQ(1, scmi_model_set_sensor(&self->dut.m, 1, 900000));
	EXPECT_EQ(1, poll(&pfd, 1, 5000));
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	memset(buf, 0, sizeof(buf));
	ASSERT_LT(0, read(fd, buf, sizeof(buf) - 1));
	EXPECT_STREQ("900\n", buf);
	close(fd);
}

static int compare_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The "label=value" lines of what 'sensors -u' printed in path, sorted,
 * into out: a label line ends with ':', its values follow indented.
 */
static void sensors_values(const char *path, char *out, size_t size)
{
	char line[128], label[64] = "", value[32], *lines[32];
	unsigned int n = 0, i;
	size_t len = 0;
	FILE *f = fopen(path, "r");

	while (f && n < ARRAY_SIZE(lines) && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (line[0] != ' ' && line[0] && line[strlen(line) - 1] == ':')
			snprintf(label, sizeof(label), "%.*s", (int)strlen(line) - 1, line);
		else if (sscanf(line, "  %*[a-z]%*[0-9]_input: %31s", value) == 1 &&
			 asprintf(&lines[n], "%s=%s", label, value) > 0)
			n++;
	}
	if (f)
		fclose(f);
	qsort(lines, n, sizeof(lines[0]), compare_lines);
	out[0] = 0;
	for (i = 0; i < n; i++) {
		if (len < size)
			len += snprintf(out + len, size - len, "%s\n", lines[i]);
		free(lines[i]);
	}
}

/*
 * lm-sensors' sensors shows exactly the model's sensors, labels and values
 * in its units (°C, V, A, W, J), as a virtual device.
 */
TEST_F(scmi, sensors_tool)
{
	static const char want[] =
		"ambient=-5.250\n"
		"board_current=1.500\n"
		"cpu_package_temperature=45.500\n"
		"soc_energy=1234.000\n"
		"soc_power=2.500\n"
		"vdd_core=0.850\n";
	char got[512];

	ASSERT_EQ(0, system("sensors -u scmi_sensors-virtual-0 >/tmp/scmi_test.sensors 2>&1")) {
		system("sed 's/^/# /' /tmp/scmi_test.sensors");
	}
	sensors_values("/tmp/scmi_test.sensors", got, sizeof(got));
	EXPECT_STREQ(want, got) {
		system("sed 's/^/# /' /tmp/scmi_test.sensors");
	}
}

/*
 * The test VM's init writes the power requests its shutdown path received
 * to this file, one per line, and carries out the last once the command
 * ends (tools/testing/vm/init). Elsewhere a request would power the
 * machine off: the tests that make one are skipped there.
 */
#define VM_INIT_RUN "/run/vx"
#define VM_SHUTDOWN_LOG VM_INIT_RUN "/shutdown"

/* How many of the requests init's shutdown path received were what. */
static int shutdown_requests(const char *what)
{
	FILE *f = fopen(VM_SHUTDOWN_LOG, "r");
	char line[32];
	int n = 0;

	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		n += !strcmp(line, what);
	}
	if (f)
		fclose(f);
	return n;
}

/*
 * A graceful shutdown request runs init's shutdown path (the kernel's
 * orderly_poweroff(): /sbin/poweroff, which signals init); a second
 * request while it runs is ignored.
 */
TEST_F(scmi, graceful_poweroff_request)
{
	int poweroffs = shutdown_requests("poweroff"), reboots = shutdown_requests("reboot");

	if (access(VM_INIT_RUN, F_OK))
		SKIP(return, "it powers the machine off: only in the test VM");
	ASSERT_TRUE(WAIT_UNTIL(scmi_model_event_buffers(&self->dut.m) > 1, 5000));
	ASSERT_EQ(1, scmi_model_request_power(&self->dut.m, SCMI_SYSTEM_GRACEFUL,
					      SCMI_SYSTEM_SHUTDOWN, 600000));
	EXPECT_TRUE(WAIT_UNTIL(logged(&self->dut,
				      "graceful shutdown requested by agent 0, within 600000 ms"),
			       5000));
	EXPECT_TRUE(WAIT_UNTIL(shutdown_requests("poweroff") == poweroffs + 1, 10000));
	ASSERT_EQ(1, scmi_model_request_power(&self->dut.m, SCMI_SYSTEM_GRACEFUL,
					      SCMI_SYSTEM_COLD_RESET, 600000));
	EXPECT_TRUE(WAIT_UNTIL(logged(&self->dut, "the system is already going down"), 5000));
	EXPECT_EQ(reboots, shutdown_requests("reboot"));
}

/* A graceful reset request runs it too (orderly_reboot(): /sbin/reboot). */
TEST_F(scmi, graceful_reboot_request)
{
	int reboots = shutdown_requests("reboot");

	if (access(VM_INIT_RUN, F_OK))
		SKIP(return, "it restarts the machine: only in the test VM");
	ASSERT_TRUE(WAIT_UNTIL(scmi_model_event_buffers(&self->dut.m) > 0, 5000));
	ASSERT_EQ(1, scmi_model_request_power(&self->dut.m, SCMI_SYSTEM_GRACEFUL,
					      SCMI_SYSTEM_WARM_RESET, 0));
	EXPECT_TRUE(WAIT_UNTIL(logged(&self->dut,
				      "graceful warm reset requested by agent 0, within 0 ms"),
			       5000));
	EXPECT_TRUE(WAIT_UNTIL(shutdown_requests("reboot") == reboots + 1, 10000));
}

/*
 * Requests not served reach no shutdown path: forceful ones (the platform
 * carries them out), other states than shutdown and reset, and requests
 * cut short.
 */
TEST_F(scmi, unserved_power_requests)
{
	int poweroffs = shutdown_requests("poweroff"), reboots = shutdown_requests("reboot");
	uint8_t note[16];

	if (access(VM_INIT_RUN, F_OK))
		SKIP(return, "a wrong request would power the machine off: only in the test VM");
	ASSERT_TRUE(WAIT_UNTIL(scmi_model_event_buffers(&self->dut.m) > 2, 5000));
	ASSERT_EQ(1, scmi_model_request_power(&self->dut.m, 0, SCMI_SYSTEM_SHUTDOWN, 1000));
	EXPECT_TRUE(WAIT_UNTIL(logged(&self->dut,
				      "forceful shutdown by agent 0: left to the platform"), 5000));
	ASSERT_EQ(1, scmi_model_request_power(&self->dut.m, SCMI_SYSTEM_GRACEFUL,
					      SCMI_SYSTEM_SUSPEND, 1000));
	EXPECT_TRUE(WAIT_UNTIL(logged(&self->dut,
				      "system state 4 requested by agent 0: not served"), 5000));
	/* Version 2.1 has a timeout: a request without one is cut short. */
	put_le32(note, scmi_hdr(SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_NOTIFIER,
				VIRTIO_SCMI_MSG_TYPE_NOTIFICATION, 0));
	put_le32(note + 4, 0);
	put_le32(note + 8, SCMI_SYSTEM_GRACEFUL);
	put_le32(note + 12, SCMI_SYSTEM_SHUTDOWN);
	ASSERT_EQ(0, send_event(&self->dut, note, sizeof(note)));
	EXPECT_TRUE(WAIT_UNTIL(logged(&self->dut, "system power request of 16 bytes: ignored"),
			       5000));
	usleep(200000);
	EXPECT_EQ(poweroffs, shutdown_requests("poweroff"));
	EXPECT_EQ(reboots, shutdown_requests("reboot"));
}

/* One platform drives the system's power: a second is not asked. */
TEST_F(scmi, one_platform_serves_power)
{
	struct scmi_dut *second = calloc(1, sizeof(*second));
	char text[96];

	ASSERT_NE(NULL, second);
	ASSERT_EQ(0, dut_start(second, true));
	snprintf(text, sizeof(text), "system power requests are served from %s", self->dut.vdev);
	EXPECT_TRUE(logged(second, text));
	EXPECT_TRUE(WAIT_UNTIL(scmi_model_event_buffers(&second->m) > 0, 5000));
	EXPECT_EQ(0, scmi_model_request_power(&second->m, SCMI_SYSTEM_GRACEFUL,
					      SCMI_SYSTEM_SHUTDOWN, 0));
	dut_stop(second);
	free(second);
}

/* A reader waiting on the raw interface when the device goes: ENODEV. */
static void *blocked_read(void *arg)
{
	uint8_t buf[64];
	int fd = *(int *)arg;

	return (void *)(intptr_t)raw_read(fd, buf, sizeof(buf));
}

TEST_F(scmi, removal_ends_waiting_reads)
{
	pthread_t reader;
	void *result;
	int fd;

	fd = raw_open(&self->dut, "notification", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pthread_create(&reader, NULL, blocked_read, &fd));
	usleep(200 * 1000);
	ASSERT_EQ(0, vlab_remove(&self->dut.m.lab, VLAB_REMOVE_SURPRISE));
	pthread_join(reader, &result);
	EXPECT_EQ(-ENODEV, (int)(intptr_t)result);
	pthread_join(self->dut.thread, NULL);
	self->dut.serving = false;
	close(fd);
}

/* A command waiting for a silent platform when the device goes: ENODEV. */
static void *blocked_write(void *arg)
{
	uint8_t msg[4];
	int fd = *(int *)arg;

	put_le32(msg, scmi_hdr(SCMI_PROTO_BASE, 0x0, 0, 15));
	return (void *)(intptr_t)raw_send(fd, msg, sizeof(msg));
}

TEST_F(scmi, surprise_removal_with_a_command_held)
{
	pthread_t writer;
	long long start;
	void *result;
	int fd;

	ASSERT_EQ(0, sysfs_write(PARAMS "answer_ms", "20000"));
	fd = raw_open(&self->dut, "message", O_RDWR);
	ASSERT_LE(0, fd);
	scmi_model_lie(&self->dut.m, SCMI_LIE_SILENT, 1);
	ASSERT_EQ(0, pthread_create(&writer, NULL, blocked_write, &fd));
	ASSERT_TRUE(WAIT_UNTIL(scmi_model_held(&self->dut.m), 5000));
	start = now_ms();
	ASSERT_EQ(0, vlab_remove(&self->dut.m.lab, VLAB_REMOVE_SURPRISE));
	pthread_join(writer, &result);
	EXPECT_EQ(-ENODEV, (int)(intptr_t)result);
	EXPECT_GT(10000, now_ms() - start);
	pthread_join(self->dut.thread, NULL);
	self->dut.serving = false;
	close(fd);
}

/* Without P2A_CHANNELS: no event queue, commands still go. */
TEST(no_event_queue)
{
	struct scmi_dut dut = { 0 };
	uint8_t msg[4], got[64];
	char buf[32];
	int fd;

	ASSERT_EQ(0, dut_start(&dut, false));
	EXPECT_EQ(0, attr(&dut, "vendor", buf, sizeof(buf)));
	EXPECT_STREQ(SCMI_MODEL_VENDOR, buf);
	fd = raw_open(&dut, "message_async", O_RDWR);
	EXPECT_LE(0, fd);
	put_le32(msg, scmi_hdr(SCMI_PROTO_BASE, 0x0, 0, 12));
	/* an async command needs the event queue for its delayed response */
	EXPECT_EQ(-EOPNOTSUPP, raw_send(fd, msg, sizeof(msg)));
	close(fd);
	fd = raw_open(&dut, "message", O_RDWR);
	EXPECT_EQ(0, raw_send(fd, msg, sizeof(msg)));
	EXPECT_EQ(12, raw_read(fd, got, sizeof(got)));
	close(fd);
	dut_stop(&dut);
}

TEST_HARNESS_MAIN
