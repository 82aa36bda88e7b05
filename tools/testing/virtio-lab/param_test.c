// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_param against the lab's vehicle (param_model.c), through the
 * files a user touches: the properties' sysfs tree, poll() on it, and the
 * uevents. Needs virtio_lab and virtio_param loaded; run through vm-run
 * (run-tests does).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "klog.h"
#include "kselftest_harness.h"
#include "param_model.h"
#include "sysfs.h"

#define PARAMS "/sys/module/virtio_param/parameters/"

struct param_dut {
	struct param_model m;
	pthread_t thread;
	bool serving;
	char vdev[32];
	char dir[96];		/* the device's properties/ */
	char answer_ms[16];	/* the parameter before the test */
	struct klog_mark mark;
};

static void *serve_thread(void *arg)
{
	struct param_dut *dut = arg;

	param_model_serve(&dut->m, -1);
	return NULL;
}

/* The device, not served yet: a lie set now reaches the probe. */
static int dut_create(struct param_dut *dut)
{
	struct vlab_info info;
	int err;

	err = sysfs_read(PARAMS "answer_ms", dut->answer_ms, sizeof(dut->answer_ms));
	if (err)
		return err;
	klog_mark(&dut->mark, "param_test");
	err = param_model_create(&dut->m);
	if (err)
		return err;
	err = vlab_info(&dut->m.lab, &info);
	if (err)
		return err;
	snprintf(dut->vdev, sizeof(dut->vdev), "%s", info.name);
	snprintf(dut->dir, sizeof(dut->dir), "/sys/bus/virtio/devices/%s/properties",
		 dut->vdev);
	return 0;
}

static int dut_serve(struct param_dut *dut)
{
	int err = -pthread_create(&dut->thread, NULL, serve_thread, dut);

	dut->serving = !err;
	return err;
}

/* Served, and probed: the counters come last. */
static int dut_start(struct param_dut *dut)
{
	char path[96];
	int err;

	err = dut_create(dut);
	if (!err)
		err = dut_serve(dut);
	if (err)
		return err;
	snprintf(path, sizeof(path), "/sys/bus/virtio/devices/%s/param/events", dut->vdev);
	return WAIT_UNTIL(!access(path, F_OK), 10000) ? 0 : -ETIMEDOUT;
}

static void dut_stop(struct param_dut *dut)
{
	sysfs_write(PARAMS "answer_ms", dut->answer_ms);
	if (dut->serving) {
		vlab_remove(&dut->m.lab, 0);
		pthread_join(dut->thread, NULL);
		dut->serving = false;
	}
	param_model_destroy(&dut->m);
}

static bool logged(struct param_dut *dut, const char *text)
{
	return klog_since(&dut->mark, text);
}

/* The path of a property's file, or of one of its area's (area >= 0). */
static void path_of(struct param_dut *dut, char *path, size_t size, uint32_t prop,
		    int64_t area, const char *file)
{
	if (area < 0)
		snprintf(path, size, "%s/p_%08x/%s", dut->dir, prop, file);
	else
		snprintf(path, size, "%s/p_%08x/area_%08x/%s", dut->dir, prop, (uint32_t)area,
			 file);
}

static int get(struct param_dut *dut, uint32_t prop, int64_t area, const char *file,
	       char *buf, size_t size)
{
	char path[192];

	path_of(dut, path, sizeof(path), prop, area, file);
	return sysfs_read(path, buf, size);
}

static int put(struct param_dut *dut, uint32_t prop, int64_t area, const char *file,
	       const char *text)
{
	char path[192];

	path_of(dut, path, sizeof(path), prop, area, file);
	return sysfs_write(path, text);
}

static int open_value(struct param_dut *dut, uint32_t prop, int64_t area, const char *file)
{
	char path[192];

	path_of(dut, path, sizeof(path), prop, area, file);
	return open(path, O_RDONLY);
}

/*
 * Read the file from its start: poll() then waits for the next change
 * (sysfs_notify() after a read).
 */
static int arm(int fd)
{
	char buf[512];

	return pread(fd, buf, sizeof(buf), 0) < 0 && errno != ENODATA ? -errno : 0;
}

/* Wait for a change since the last read: poll()'s result. */
static int changed(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLPRI | POLLERR };

	return poll(&pfd, 1, ms);
}

/* Read, then wait for the next change. */
static int wait_change(int fd, int ms)
{
	int err = arm(fd);

	return err ? err : changed(fd, ms);
}

FIXTURE(param) {
	struct param_dut dut;
};

FIXTURE_SETUP(param)
{
	ASSERT_EQ(0, dut_start(&self->dut));
}

FIXTURE_TEARDOWN(param)
{
	dut_stop(&self->dut);
}

/* Every property has its directory, its areas theirs, with typed files. */
TEST_F(param, properties_in_sysfs)
{
	static const struct {
		uint32_t prop;
		const char *name, *type, *access, *mode;
	} want[] = {
		{ PARAM_INFO_VIN, "INFO_VIN", "string", "read", "static" },
		{ PARAM_PERF_VEHICLE_SPEED, "PERF_VEHICLE_SPEED", "float", "read", "continuous" },
		{ PARAM_GEAR_SELECTION, "GEAR_SELECTION", "int32", "read", "on_change" },
		{ PARAM_HVAC_TEMPERATURE_SET, "HVAC_TEMPERATURE_SET", "float", "read_write",
		  "on_change" },
		{ PARAM_VENDOR_BLOB, "VENDOR_BLOB", "bytes", "read_write", "on_change" },
		{ PARAM_VENDOR_SERIALS, "VENDOR_SERIALS", "int64_vec", "read", "static" },
		{ PARAM_VENDOR_HORN, "VENDOR_HORN", "int32", "write", "on_change" },
		{ PARAM_PARKING_BRAKE_ON, "PARKING_BRAKE_ON", "boolean", "read", "on_change" },
	};
	char buf[128];
	unsigned int i;

	for (i = 0; i < PARAM_MODEL_PROPS; i++) {
		snprintf(buf, sizeof(buf), "%s/p_%08x", self->dut.dir, self->dut.m.props[i].id);
		EXPECT_EQ(0, access(buf, F_OK)) {
			TH_LOG("no %s", buf);
		}
	}
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		ASSERT_EQ(0, get(&self->dut, want[i].prop, -1, "name", buf, sizeof(buf)));
		EXPECT_STREQ(want[i].name, buf);
		ASSERT_EQ(0, get(&self->dut, want[i].prop, -1, "type", buf, sizeof(buf)));
		EXPECT_STREQ(want[i].type, buf);
		ASSERT_EQ(0, get(&self->dut, want[i].prop, -1, "access", buf, sizeof(buf)));
		EXPECT_STREQ(want[i].access, buf);
		ASSERT_EQ(0, get(&self->dut, want[i].prop, -1, "change_mode", buf, sizeof(buf)));
		EXPECT_STREQ(want[i].mode, buf);
	}
	/* the files a property has, and no others */
	EXPECT_EQ(0, get(&self->dut, PARAM_GEAR_SELECTION, -1, "possible_values", buf,
			 sizeof(buf)));
	EXPECT_STREQ("1 2 4 8", buf);
	EXPECT_EQ(-ENOENT, get(&self->dut, PARAM_INFO_VIN, -1, "possible_values", buf,
			       sizeof(buf)));
	EXPECT_EQ(0, get(&self->dut, PARAM_PERF_VEHICLE_SPEED, -1, "max_sample_rate", buf,
			 sizeof(buf)));
	EXPECT_STREQ("100", buf);
	EXPECT_EQ(0, get(&self->dut, PARAM_FUEL_LEVEL, -1, "min_sample_rate", buf, sizeof(buf)));
	EXPECT_STREQ("0.1", buf);
	EXPECT_EQ(-ENOENT, get(&self->dut, PARAM_GEAR_SELECTION, -1, "sample_rate", buf,
			       sizeof(buf)));
	EXPECT_EQ(0, get(&self->dut, PARAM_HVAC_TEMPERATURE_SET, PARAM_SEAT_ROW_2_RIGHT,
			 "min_value", buf, sizeof(buf)));
	EXPECT_STREQ("16", buf);
	EXPECT_EQ(0, get(&self->dut, PARAM_HVAC_TEMPERATURE_SET, PARAM_SEAT_ROW_2_RIGHT,
			 "max_value", buf, sizeof(buf)));
	EXPECT_STREQ("28", buf);
	EXPECT_EQ(-ENOENT, get(&self->dut, PARAM_VENDOR_HORN, 0, "status", buf, sizeof(buf)));
	EXPECT_EQ(-ENOENT, get(&self->dut, PARAM_INFO_VIN, 0, "set_error", buf, sizeof(buf)));
}

/* Values of every type read as text (BYTES as they are). */
TEST_F(param, values_of_every_type)
{
	static const struct {
		uint32_t prop;
		uint32_t area;
		const char *text;
	} want[] = {
		{ PARAM_INFO_VIN, 0, "1HGCM82633A004352" },
		{ PARAM_INFO_MODEL_YEAR, 0, "2026" },
		{ PARAM_INFO_FUEL_CAPACITY, 0, "52000" },
		{ PARAM_INFO_FUEL_TYPE, 0, "1 2" },
		{ PARAM_PERF_VEHICLE_SPEED, 0, "27.5" },
		{ PARAM_FUEL_LEVEL, 0, "31000.25" },
		{ PARAM_PARKING_BRAKE_ON, 0, "1" },
		{ PARAM_VENDOR_TRIP_ID, 0, "1234567890123" },
		{ PARAM_VENDOR_SERIALS, 0, "1 -2 3000000000" },
		{ PARAM_VENDOR_ACCEL, 0, "0.5 -0.25 9.75" },
		{ PARAM_TIRE_PRESSURE, PARAM_WHEEL_LEFT_REAR, "230.5" },
		{ PARAM_HVAC_TEMPERATURE_SET, PARAM_SEAT_ROW_1_LEFT, "21.5" },
	};
	uint8_t blob[16];
	char buf[64], path[192];
	unsigned int i;
	int fd;

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		ASSERT_EQ(0, get(&self->dut, want[i].prop, want[i].area, "current_value", buf,
				 sizeof(buf)));
		EXPECT_STREQ(want[i].text, buf) {
			TH_LOG("property 0x%08x", want[i].prop);
		}
		ASSERT_EQ(0, get(&self->dut, want[i].prop, want[i].area, "status", buf,
				 sizeof(buf)));
		EXPECT_STREQ("available", buf);
	}
	path_of(&self->dut, path, sizeof(path), PARAM_VENDOR_BLOB, 0, "current_value");
	fd = open(path, O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(4, read(fd, blob, sizeof(blob)));
	EXPECT_EQ(0, memcmp(blob, "\xde\xad\xbe\xef", 4));
	close(fd);
}

/*
 * A write is a SET: the model takes the value, the event that follows
 * wakes poll() on the area's value, which then reads the new one.
 */
TEST_F(param, set_wakes_poll)
{
	uint8_t data[8];
	char buf[32];
	int fd;

	fd = open_value(&self->dut, PARAM_HVAC_TEMPERATURE_SET, PARAM_SEAT_ROW_1_RIGHT,
			"current_value");
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, wait_change(fd, 100));
	ASSERT_EQ(0, put(&self->dut, PARAM_HVAC_TEMPERATURE_SET, PARAM_SEAT_ROW_1_RIGHT,
			 "current_value", "23.25\n"));
	EXPECT_EQ(1, changed(fd, 5000));
	memset(buf, 0, sizeof(buf));
	ASSERT_LT(0, pread(fd, buf, sizeof(buf) - 1, 0));
	EXPECT_STREQ("23.25\n", buf);
	close(fd);
	ASSERT_EQ(4, param_model_get(&self->dut.m, PARAM_HVAC_TEMPERATURE_SET,
				     PARAM_SEAT_ROW_1_RIGHT, data));
	EXPECT_EQ(0x41ba0000u, data[0] | data[1] << 8 | data[2] << 16 | (uint32_t)data[3] << 24);
	/* the other areas are other values */
	ASSERT_EQ(0, get(&self->dut, PARAM_HVAC_TEMPERATURE_SET, PARAM_SEAT_ROW_1_LEFT,
			 "current_value", buf, sizeof(buf)));
	EXPECT_STREQ("21.5", buf);
	/* every type takes its text */
	EXPECT_EQ(0, put(&self->dut, PARAM_VENDOR_TRIP_ID, 0, "current_value", "-9000000000"));
	EXPECT_EQ(0, put(&self->dut, PARAM_DOOR_LOCK, PARAM_DOOR_ROW_1_LEFT, "current_value",
			 "0"));
	EXPECT_EQ(0, put(&self->dut, PARAM_HVAC_FAN_SPEED,
			 PARAM_SEAT_ROW_1_LEFT | PARAM_SEAT_ROW_1_RIGHT, "current_value", "6"));
	EXPECT_EQ(0, put(&self->dut, PARAM_VENDOR_HORN, 0, "current_value", "2"));
	ASSERT_EQ(0, get(&self->dut, PARAM_VENDOR_TRIP_ID, 0, "current_value", buf,
			 sizeof(buf)));
	EXPECT_STREQ("-9000000000", buf);
}

/* What the driver refuses before the device sees it, and what the device refuses. */
TEST_F(param, refused_writes)
{
	unsigned int before;
	char buf[32];

	before = param_model_requests(&self->dut.m);
	EXPECT_EQ(-ERANGE, put(&self->dut, PARAM_HVAC_TEMPERATURE_SET, PARAM_SEAT_ROW_1_LEFT,
			       "current_value", "30"));
	EXPECT_EQ(-EINVAL, put(&self->dut, PARAM_HVAC_TEMPERATURE_SET, PARAM_SEAT_ROW_1_LEFT,
			       "current_value", "warm"));
	EXPECT_EQ(-EINVAL, put(&self->dut, PARAM_HVAC_TEMPERATURE_SET, PARAM_SEAT_ROW_1_LEFT,
			       "current_value", "21 22"));
	EXPECT_EQ(-ERANGE, put(&self->dut, PARAM_HVAC_FAN_SPEED,
			       PARAM_SEAT_ROW_1_LEFT | PARAM_SEAT_ROW_1_RIGHT, "current_value",
			       "99999999999"));
	EXPECT_EQ(-EACCES, put(&self->dut, PARAM_INFO_VIN, 0, "current_value", "X"));
	EXPECT_EQ(-EACCES, get(&self->dut, PARAM_VENDOR_HORN, 0, "current_value", buf,
			       sizeof(buf)));
	EXPECT_EQ(-ERANGE, put(&self->dut, PARAM_VENDOR_HORN, 0, "current_value", "6"));
	EXPECT_EQ(before, param_model_requests(&self->dut.m));
	/* a value the device does not take now: NOT_AVAILABLE */
	ASSERT_EQ(0, param_model_set_status(&self->dut.m, PARAM_SEAT_HEATER,
					    PARAM_SEAT_ROW_1_LEFT,
					    VIRTIO_PARAM_VALUE_STATUS_UNAVAILABLE));
	EXPECT_EQ(-ENODATA, put(&self->dut, PARAM_SEAT_HEATER, PARAM_SEAT_ROW_1_LEFT,
				"current_value", "1"));
}

/*
 * A SET the device accepted and then refused: the write succeeded, then
 * set_error names the refusal and poll() on it wakes.
 */
TEST_F(param, set_error_event)
{
	char buf[48];
	int fd;

	fd = open_value(&self->dut, PARAM_SEAT_HEATER, PARAM_SEAT_ROW_1_RIGHT, "set_error");
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, wait_change(fd, 100));
	ASSERT_EQ(0, put(&self->dut, PARAM_SEAT_HEATER, PARAM_SEAT_ROW_1_RIGHT,
			 "current_value", "3"));
	EXPECT_EQ(1, changed(fd, 5000));
	close(fd);
	ASSERT_EQ(0, get(&self->dut, PARAM_SEAT_HEATER, PARAM_SEAT_ROW_1_RIGHT, "set_error",
			 buf, sizeof(buf)));
	EXPECT_STREQ("not_available_safety", buf);
	ASSERT_EQ(0, get(&self->dut, PARAM_SEAT_HEATER, PARAM_SEAT_ROW_1_RIGHT,
			 "current_value", buf, sizeof(buf)));
	EXPECT_STREQ("0", buf);
	/* a SET accepted clears it */
	ASSERT_EQ(0, put(&self->dut, PARAM_SEAT_HEATER, PARAM_SEAT_ROW_1_RIGHT,
			 "current_value", "2"));
	ASSERT_EQ(0, get(&self->dut, PARAM_SEAT_HEATER, PARAM_SEAT_ROW_1_RIGHT, "set_error",
			 buf, sizeof(buf)));
	EXPECT_STREQ("none", buf);
}

/*
 * ON_CHANGE properties are subscribed at probe: a change in the vehicle
 * wakes poll(); a property that becomes unavailable says so, and its
 * value reads ENODATA until it comes back.
 */
TEST_F(param, on_change_and_unavailable)
{
	char buf[32];
	int fd;

	EXPECT_TRUE(param_model_subscribed(&self->dut.m, PARAM_GEAR_SELECTION, NULL));
	EXPECT_FALSE(param_model_subscribed(&self->dut.m, PARAM_PERF_VEHICLE_SPEED, NULL));
	fd = open_value(&self->dut, PARAM_GEAR_SELECTION, 0, "current_value");
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, wait_change(fd, 100));
	ASSERT_EQ(0, param_model_set_int32(&self->dut.m, PARAM_GEAR_SELECTION, 0, 8));
	EXPECT_EQ(1, changed(fd, 5000));
	ASSERT_EQ(0, get(&self->dut, PARAM_GEAR_SELECTION, 0, "current_value", buf,
			 sizeof(buf)));
	EXPECT_STREQ("8", buf);
	close(fd);

	fd = open_value(&self->dut, PARAM_NIGHT_MODE, 0, "current_value");
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, wait_change(fd, 100));
	ASSERT_EQ(0, param_model_set_status(&self->dut.m, PARAM_NIGHT_MODE, 0,
					    VIRTIO_PARAM_VALUE_STATUS_UNAVAILABLE));
	EXPECT_EQ(1, changed(fd, 5000));
	EXPECT_EQ(-ENODATA, get(&self->dut, PARAM_NIGHT_MODE, 0, "current_value", buf,
				sizeof(buf)));
	ASSERT_EQ(0, get(&self->dut, PARAM_NIGHT_MODE, 0, "status", buf, sizeof(buf)));
	EXPECT_STREQ("unavailable", buf);
	ASSERT_EQ(0, arm(fd));
	ASSERT_EQ(0, param_model_set_status(&self->dut.m, PARAM_NIGHT_MODE, 0,
					    VIRTIO_PARAM_VALUE_STATUS_AVAILABLE));
	EXPECT_EQ(1, changed(fd, 5000));
	ASSERT_EQ(0, get(&self->dut, PARAM_NIGHT_MODE, 0, "current_value", buf, sizeof(buf)));
	EXPECT_STREQ("0", buf);
	close(fd);
}

/*
 * A CONTINUOUS property is subscribed when its rate is written, clamped to
 * its range; its samples wake poll(); 0 unsubscribes.
 */
TEST_F(param, continuous_sample_rate)
{
	unsigned int woken = 0;
	uint32_t rate = 0;
	char buf[32];
	int fd;

	ASSERT_EQ(0, get(&self->dut, PARAM_PERF_VEHICLE_SPEED, -1, "sample_rate", buf,
			 sizeof(buf)));
	EXPECT_STREQ("0", buf);
	ASSERT_EQ(0, put(&self->dut, PARAM_PERF_VEHICLE_SPEED, -1, "sample_rate", "20.5"));
	EXPECT_TRUE(param_model_subscribed(&self->dut.m, PARAM_PERF_VEHICLE_SPEED, &rate));
	EXPECT_EQ(20500u, rate);
	ASSERT_EQ(0, get(&self->dut, PARAM_PERF_VEHICLE_SPEED, -1, "sample_rate", buf,
			 sizeof(buf)));
	EXPECT_STREQ("20.5", buf);
	fd = open_value(&self->dut, PARAM_PERF_VEHICLE_SPEED, 0, "current_value");
	ASSERT_LE(0, fd);
	while (woken < 5 && wait_change(fd, 2000) == 1)
		woken++;
	EXPECT_EQ(5u, woken);
	/* clamped to the property's range */
	ASSERT_EQ(0, put(&self->dut, PARAM_PERF_VEHICLE_SPEED, -1, "sample_rate", "1000"));
	ASSERT_EQ(0, get(&self->dut, PARAM_PERF_VEHICLE_SPEED, -1, "sample_rate", buf,
			 sizeof(buf)));
	EXPECT_STREQ("100", buf);
	EXPECT_EQ(-EINVAL, put(&self->dut, PARAM_PERF_VEHICLE_SPEED, -1, "sample_rate",
			       "0.0001"));
	EXPECT_EQ(-EINVAL, put(&self->dut, PARAM_PERF_VEHICLE_SPEED, -1, "sample_rate", "-1"));
	ASSERT_EQ(0, put(&self->dut, PARAM_PERF_VEHICLE_SPEED, -1, "sample_rate", "0"));
	EXPECT_FALSE(param_model_subscribed(&self->dut.m, PARAM_PERF_VEHICLE_SPEED, NULL));
	EXPECT_EQ(0, wait_change(fd, 500));
	close(fd);
}

/* Each change sends a KOBJ_CHANGE uevent of the device naming property and area. */
TEST_F(param, change_uevent)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	char buf[2048], want[48];
	bool seen = false;
	unsigned int i;
	long long end;
	ssize_t n;
	int sk;

	sk = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK, NETLINK_KOBJECT_UEVENT);
	ASSERT_LE(0, sk);
	ASSERT_EQ(0, bind(sk, (struct sockaddr *)&addr, sizeof(addr)));
	snprintf(want, sizeof(want), "PROPERTY=0x%08x", PARAM_CURRENT_GEAR);
	/* a change every 300 ms: the probe's events may have spent the second's uevents */
	for (end = now_ms() + 5000, i = 0; !seen && now_ms() < end;) {
		n = recv(sk, buf, sizeof(buf) - 1, 0);
		if (n <= 0) {
			if (!(i++ % 15))
				param_model_set_int32(&self->dut.m, PARAM_CURRENT_GEAR, 0,
						      i & 1 ? 2 : 8);
			usleep(20000);
			continue;
		}
		buf[n] = 0;
		/* NUL-separated: ACTION, DEVPATH, ..., our variables */
		for (char *p = buf; p < buf + n; p += strlen(p) + 1)
			seen |= !strcmp(p, want);
	}
	EXPECT_TRUE(seen);
	close(sk);
}

/* Values that break the specification fail the read, EPROTO; the truth reads again. */
TEST_F(param, values_that_lie)
{
	static const struct {
		enum param_lie lie;
		uint32_t prop;
	} lies[] = {
		{ PARAM_LIE_WRONG_LEN, PARAM_INFO_MODEL_YEAR },
		{ PARAM_LIE_OTHER_AREA, PARAM_INFO_MODEL_YEAR },
		{ PARAM_LIE_UNTERMINATED, PARAM_INFO_VIN },
		{ PARAM_LIE_LONG_VALUE, PARAM_INFO_MODEL_YEAR },
	};
	unsigned int i;
	char buf[64];

	for (i = 0; i < ARRAY_SIZE(lies); i++) {
		param_model_lie(&self->dut.m, lies[i].lie, 1);
		EXPECT_EQ(-EPROTO, get(&self->dut, lies[i].prop, 0, "current_value", buf,
				       sizeof(buf))) {
			TH_LOG("lie %u", lies[i].lie);
		}
		EXPECT_EQ(0, get(&self->dut, lies[i].prop, 0, "current_value", buf, sizeof(buf)));
	}
	EXPECT_TRUE(logged(&self->dut, "a value that breaks the spec"));
}

/* An event of len bytes: its head, then a value of prop and area with data. */
static unsigned int make_event(uint8_t *ev, uint16_t type, uint32_t error, uint32_t prop,
			       uint32_t area, uint32_t status, const void *data, uint32_t len)
{
	struct virtio_param_event head = { .type = type, .error = error };
	struct virtio_param_value value = {
		.prop = prop, .area = area, .status = status, .len = len,
	};

	memcpy(ev, &head, sizeof(head));
	memcpy(ev + sizeof(head), &value, sizeof(value));
	memcpy(ev + sizeof(head) + sizeof(value), data, len);
	return sizeof(head) + sizeof(value) + len;
}

static unsigned long long stat_of(struct param_dut *dut, const char *name)
{
	char path[96], buf[32];

	snprintf(path, sizeof(path), "/sys/bus/virtio/devices/%s/param/%s", dut->vdev, name);
	return sysfs_read(path, buf, sizeof(buf)) ? ~0ULL : strtoull(buf, NULL, 10);
}

/*
 * Events that break the specification are dropped and counted: an unknown
 * property, an area not of the property, a value whose length its type
 * does not allow, one longer than the event, data with an unavailable
 * status, a static property's event, a set error without a code, an
 * unknown event type, and an event longer than its buffer.
 */
TEST_F(param, events_that_lie)
{
	const uint32_t avail = VIRTIO_PARAM_VALUE_STATUS_AVAILABLE;
	uint8_t ev[64], eight[8] = { 1 };
	unsigned long long invalid = stat_of(&self->dut, "events_invalid");
	unsigned int len, sent = 0;

	ASSERT_TRUE(WAIT_UNTIL(param_model_event_buffers(&self->dut.m) > 10, 5000));
	len = make_event(ev, 1, 0, 0x11400499, 0, avail, eight, 4);
	sent += !param_model_send_event(&self->dut.m, ev, len, len);
	len = make_event(ev, 1, 0, PARAM_GEAR_SELECTION, 1, avail, eight, 4);
	sent += !param_model_send_event(&self->dut.m, ev, len, len);
	len = make_event(ev, 1, 0, PARAM_GEAR_SELECTION, 0, avail, eight, 8);
	sent += !param_model_send_event(&self->dut.m, ev, len, len);
	len = make_event(ev, 1, 0, PARAM_GEAR_SELECTION, 0, avail, eight, 4);
	sent += !param_model_send_event(&self->dut.m, ev, len - 2, len - 2);
	len = make_event(ev, 1, 0, PARAM_GEAR_SELECTION, 0, VIRTIO_PARAM_VALUE_STATUS_UNAVAILABLE,
			 eight, 4);
	sent += !param_model_send_event(&self->dut.m, ev, len, len);
	len = make_event(ev, 1, 0, PARAM_INFO_MODEL_YEAR, 0, avail, eight, 4);
	sent += !param_model_send_event(&self->dut.m, ev, len, len);
	len = make_event(ev, 2, 0, PARAM_SEAT_HEATER, PARAM_SEAT_ROW_1_LEFT,
			 VIRTIO_PARAM_VALUE_STATUS_ERROR, NULL, 0);
	sent += !param_model_send_event(&self->dut.m, ev, len, len);
	len = make_event(ev, 9, 0, PARAM_GEAR_SELECTION, 0, avail, eight, 4);
	sent += !param_model_send_event(&self->dut.m, ev, len, len);
	len = make_event(ev, 1, 0, PARAM_GEAR_SELECTION, 0, avail, eight, 4);
	sent += !param_model_send_event(&self->dut.m, ev, len, 65536);
	ASSERT_EQ(9u, sent);
	EXPECT_TRUE(WAIT_UNTIL(stat_of(&self->dut, "events_invalid") == invalid + sent, 5000)) {
		TH_LOG("%llu invalid events, %llu before", stat_of(&self->dut, "events_invalid"),
		       invalid);
	}
	EXPECT_TRUE(logged(&self->dut, "breaks the spec: dropped"));
	/* and a true one still counts */
	ASSERT_EQ(0, param_model_set_int32(&self->dut.m, PARAM_GEAR_SELECTION, 0, 1));
	EXPECT_TRUE(WAIT_UNTIL(stat_of(&self->dut, "events") ==
			       param_model_events_sent(&self->dut.m), 5000));
	EXPECT_EQ(invalid + sent, stat_of(&self->dut, "events_invalid"));
}

/* Property tables that lie fail the probe, with no sysfs tree left. */
TEST(tables_that_lie)
{
	static const enum param_lie lies[] = { PARAM_LIE_PAGES_LOOP, PARAM_LIE_RECORD_SIZE };
	static const char *const logs[] = { "GET_CONFIGS from 0: ", "property record 0 breaks" };
	struct param_dut *dut = calloc(1, sizeof(*dut));
	unsigned int i;

	ASSERT_NE(NULL, dut);
	for (i = 0; i < ARRAY_SIZE(lies); i++) {
		ASSERT_EQ(0, dut_create(dut));
		param_model_lie(&dut->m, lies[i], 1);
		ASSERT_EQ(0, dut_serve(dut));
		EXPECT_TRUE(WAIT_UNTIL(logged(dut, logs[i]), 10000)) {
			TH_LOG("no \"%s\"", logs[i]);
		}
		EXPECT_TRUE(WAIT_UNTIL(logged(dut, "no property table"), 5000));
		EXPECT_NE(0, access(dut->dir, F_OK));
		dut_stop(dut);
	}
	free(dut);
}

/*
 * A device that does not answer: the read fails in answer_ms, the next
 * fails at once while the device holds the request, and once it answers
 * requests go again.
 */
TEST_F(param, silent_device)
{
	long long start;
	char buf[32];

	ASSERT_EQ(0, sysfs_write(PARAMS "answer_ms", "300"));
	param_model_lie(&self->dut.m, PARAM_LIE_SILENT, 1);
	start = now_ms();
	EXPECT_EQ(-ETIMEDOUT, get(&self->dut, PARAM_INFO_MODEL_YEAR, 0, "current_value", buf,
				  sizeof(buf)));
	EXPECT_LE(300, now_ms() - start);
	EXPECT_EQ(-EIO, get(&self->dut, PARAM_INFO_MODEL_YEAR, 0, "current_value", buf,
			    sizeof(buf)));
	EXPECT_TRUE(logged(&self->dut, "not answered in 300 ms"));
	EXPECT_EQ(1, param_model_answer_held(&self->dut.m));
	EXPECT_TRUE(WAIT_UNTIL(!get(&self->dut, PARAM_INFO_MODEL_YEAR, 0, "current_value", buf,
				    sizeof(buf)), 5000));
	EXPECT_STREQ("2026", buf);
}

/*
 * An event storm: the driver takes every event the device gets to send
 * (the device drops the others, for want of buffers), uevents are
 * rate-limited and the ones left out counted, and reads still answer.
 */
TEST_F(param, event_storm)
{
	unsigned long long suppressed = stat_of(&self->dut, "uevents_suppressed");
	unsigned int sent = param_model_events_sent(&self->dut.m), i = 0;
	long long end = now_ms() + 2000;
	char buf[32];

	while (now_ms() < end)
		param_model_set_int32(&self->dut.m, PARAM_CURRENT_GEAR, 0, i++ & 1 ? 2 : 8);
	EXPECT_EQ(0, get(&self->dut, PARAM_INFO_MODEL_YEAR, 0, "current_value", buf,
			 sizeof(buf)));
	/* every event the device sent on this device, the probe's too */
	EXPECT_TRUE(WAIT_UNTIL(stat_of(&self->dut, "events") ==
			       param_model_events_sent(&self->dut.m), 10000)) {
		TH_LOG("%u sent, %llu taken", param_model_events_sent(&self->dut.m),
		       stat_of(&self->dut, "events"));
	}
	EXPECT_LT(suppressed, stat_of(&self->dut, "uevents_suppressed"));
	TH_LOG("%u changes: %u events sent, %llu uevents left out", i,
	       param_model_events_sent(&self->dut.m) - sent,
	       stat_of(&self->dut, "uevents_suppressed") - suppressed);
}

/*
 * A device that keeps rewriting each event's length after returning it,
 * between its true length and one far past it: the driver checks and uses
 * one copy, so each event counts once, valid or not.
 */
#define RACED_EVENTS 200
TEST_F(param, racing_device)
{
	uint8_t patterns[8] = { 4, 0, 0, 0, 0, 0x10, 0, 0 };
	unsigned int i;

	/* the value's len, at 8 + 20 in the event */
	for (i = 0; i < RACED_EVENTS; i++) {
		param_model_set_int32(&self->dut.m, PARAM_CURRENT_GEAR, 0, i & 1 ? 2 : 8);
		vlab_rewrite(&self->dut.m.lab, VIRTIO_PARAM_VQ_EVENT, 28, patterns, 4);
	}
	ASSERT_EQ(0, vlab_rewrite(&self->dut.m.lab, VIRTIO_PARAM_VQ_EVENT, 0, NULL, 0));
	EXPECT_TRUE(WAIT_UNTIL(stat_of(&self->dut, "events") ==
			       param_model_events_sent(&self->dut.m), 10000));
	TH_LOG("%u events, %llu of them taken as invalid", param_model_events_sent(&self->dut.m),
	       stat_of(&self->dut, "events_invalid"));
}

static void *blocked_poll(void *arg)
{
	int fd = *(int *)arg;

	return (void *)(intptr_t)wait_change(fd, 20000);
}

/* Pollers waiting when the device goes in surprise wake, and their reads fail. */
TEST_F(param, surprise_removal_with_pollers)
{
	pthread_t pollers[4];
	int fds[4], i;
	long long start;
	void *result;

	for (i = 0; i < 4; i++) {
		fds[i] = open_value(&self->dut, PARAM_GEAR_SELECTION, 0, "current_value");
		ASSERT_LE(0, fds[i]);
		ASSERT_EQ(0, pthread_create(&pollers[i], NULL, blocked_poll, &fds[i]));
	}
	usleep(200000);
	start = now_ms();
	ASSERT_EQ(0, vlab_remove(&self->dut.m.lab, VLAB_REMOVE_SURPRISE));
	pthread_join(self->dut.thread, NULL);
	self->dut.serving = false;
	for (i = 0; i < 4; i++) {
		pthread_join(pollers[i], &result);
		EXPECT_EQ(1, (int)(intptr_t)result);
		/* the file outlives its device: reads fail */
		EXPECT_GT(0, pread(fds[i], &result, 1, 0));
		close(fds[i]);
	}
	EXPECT_GT(10000, now_ms() - start);
	TH_LOG("pollers ended %lld ms after the removal", now_ms() - start);
}

/* Freeze and restore: the device reset, the subscriptions come back. */
TEST_F(param, freeze_restore)
{
	char path[128], buf[32];
	uint32_t rate;
	int fd;

	ASSERT_EQ(0, put(&self->dut, PARAM_ENGINE_RPM, -1, "sample_rate", "5"));
	snprintf(path, sizeof(path), "/sys/bus/virtio/devices/%s/lab_sleep", self->dut.vdev);
	ASSERT_EQ(0, sysfs_write(path, "freeze"));
	EXPECT_TRUE(WAIT_UNTIL(!param_model_subscribed(&self->dut.m, PARAM_GEAR_SELECTION,
						       NULL), 5000));
	ASSERT_EQ(0, sysfs_write(path, "restore"));
	EXPECT_TRUE(param_model_subscribed(&self->dut.m, PARAM_GEAR_SELECTION, NULL));
	EXPECT_TRUE(param_model_subscribed(&self->dut.m, PARAM_ENGINE_RPM, &rate));
	EXPECT_EQ(5000u, rate);
	fd = open_value(&self->dut, PARAM_GEAR_SELECTION, 0, "current_value");
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, wait_change(fd, 100));
	ASSERT_EQ(0, param_model_set_int32(&self->dut.m, PARAM_GEAR_SELECTION, 0, 2));
	EXPECT_EQ(1, changed(fd, 5000));
	close(fd);
	ASSERT_EQ(0, get(&self->dut, PARAM_GEAR_SELECTION, 0, "current_value", buf,
			 sizeof(buf)));
	EXPECT_STREQ("2", buf);
}

/*
 * A sysfs file does not hold the module: it unloads while one is open,
 * whose reads then fail; loaded again, it binds the device again.
 */
TEST_F(param, unload_while_open)
{
	char buf[32];
	int fd;

	fd = open_value(&self->dut, PARAM_INFO_VIN, 0, "current_value");
	ASSERT_LE(0, fd);
	ASSERT_LT(0, pread(fd, buf, sizeof(buf), 0));
	ASSERT_EQ(0, system("rmmod virtio_param"));
	EXPECT_GT(0, pread(fd, buf, sizeof(buf), 0));
	close(fd);
	ASSERT_EQ(0, system("modprobe virtio_param"));
	EXPECT_TRUE(WAIT_UNTIL(!get(&self->dut, PARAM_INFO_MODEL_YEAR, 0, "current_value", buf,
				    sizeof(buf)), 10000));
}

TEST_HARNESS_MAIN
