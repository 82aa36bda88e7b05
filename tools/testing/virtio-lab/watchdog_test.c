// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_watchdog through /dev/watchdogN and the watchdog core, against the
 * lab's watchdog device played in a thread of this process: a device that
 * lies or never answers, events nobody asked for, pretimeout and expiry,
 * configurations the driver refuses, timeouts out of range, nowayout,
 * removal, sleep, the basic protocol of Cloud Hypervisor and unloading.
 * Needs virtio_lab and virtio_watchdog loaded (run-tests does), with the
 * parameters at their defaults (answer_ms is changed and restored here);
 * loads pretimeout_noop, whose "watchdogN: pretimeout event" shows that a
 * pretimeout reached the governor. What an ioctl returns is the watchdog
 * core's (drivers/watchdog/watchdog_dev.c) where the core decides: range
 * checks, nowayout, operations the driver lacks, and a time left of 0 when
 * the driver fails to learn it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/watchdog.h>

#include "clock.h"
#include "klog.h"
#include "kselftest_harness.h"
#include "sysfs.h"
#include "watchdog_model.h"

#define ANSWER_MS_PARAM "/sys/module/virtio_watchdog/parameters/answer_ms"
#define REFCNT "/sys/module/virtio_watchdog/refcnt"
#define F(bit) (1ULL << VIRTIO_WATCHDOG_F_##bit)
#define CMD_PING VIRTIO_WATCHDOG_CMD_PING
#define CMD_STOP VIRTIO_WATCHDOG_CMD_STOP

/* Marks in the kernel log: where the test began, and the last one. */
static struct klog_mark test_mark, log_mark;

static bool mark_log(void)
{
	return !klog_mark(&log_mark, "watchdog_test");
}

/* Did the kernel log say this since the last mark? */
static bool logged(const char *text)
{
	return klog_since(&log_mark, text);
}

/* The device, played by a thread while the test calls the driver. */
struct wdt_dut {
	struct watchdog_model m;
	pthread_t thread;
	bool serving;
	char vdev[32];
	char dev[48];
	int id;			/* N of watchdogN */
	int fd;
	char answer_ms[16];	/* the parameter before the test */
	long long pretimeout_at;	/* when the model last sent a pretimeout */
	long long expired_at;		/* when its timer last ran out */
};

/* The model's notes, timed: called by whichever thread made it happen. */
static void note_times(struct watchdog_model *m, const struct watchdog_note *note)
{
	struct wdt_dut *dut = m->data;

	if (note->type == WATCHDOG_NOTE_PRETIMEOUT)
		__atomic_store_n(&dut->pretimeout_at, now_ms(), __ATOMIC_RELEASE);
	else if (note->type == WATCHDOG_NOTE_EXPIRED)
		__atomic_store_n(&dut->expired_at, now_ms(), __ATOMIC_RELEASE);
}

static void *serve_thread(void *arg)
{
	struct wdt_dut *dut = arg;

	/* Until the device is removed or dut_stop() says so. */
	watchdog_model_serve(&dut->m, -1);
	return NULL;
}

static struct watchdog_model_stats stats(struct wdt_dut *dut)
{
	struct watchdog_model_stats s;

	watchdog_model_get_stats(&dut->m, &s);
	return s;
}

/* The timeout the model's timer runs with, as the driver last set it. */
static uint32_t model_timeout_ms(struct wdt_dut *dut)
{
	uint32_t ms;

	pthread_mutex_lock(&dut->m.lock);
	ms = dut->m.timeout_ms;
	pthread_mutex_unlock(&dut->m.lock);
	return ms;
}

/* How long the timer ran unpinged before it last expired. */
static uint64_t model_silence_ms(struct wdt_dut *dut)
{
	uint64_t ms;

	pthread_mutex_lock(&dut->m.lock);
	ms = dut->m.last_expiry_silence_ms;
	pthread_mutex_unlock(&dut->m.lock);
	return ms;
}

static unsigned int held_count(struct wdt_dut *dut)
{
	unsigned int n;

	pthread_mutex_lock(&dut->m.lock);
	n = dut->m.held_count;
	pthread_mutex_unlock(&dut->m.lock);
	return n;
}

/* Whether the driver registered a watchdog for the device yet. */
static bool find_dev(struct wdt_dut *dut)
{
	char path[96], name[32];

	snprintf(path, sizeof(path), "/sys/bus/virtio/devices/%s/watchdog", dut->vdev);
	if (!sysfs_first_entry(path, name, sizeof(name)) ||
	    sscanf(name, "watchdog%d", &dut->id) != 1)
		return false;
	snprintf(dut->dev, sizeof(dut->dev), "/dev/watchdog%d", dut->id);
	return true;
}

/* Create a device with these parameters and serve it; 0 or -errno. */
static int dut_start(struct wdt_dut *dut, const struct watchdog_model_params *p)
{
	struct vlab_info info;
	int err;

	dut->fd = -1;
	dut->id = -1;
	err = sysfs_read(ANSWER_MS_PARAM, dut->answer_ms, sizeof(dut->answer_ms));
	if (err)
		return err;
	err = watchdog_model_create(&dut->m, p);
	if (err)
		return err;
	dut->m.data = dut;
	dut->m.notify = note_times;
	err = vlab_info(&dut->m.lab, &info);
	if (err)
		return err;
	snprintf(dut->vdev, sizeof(dut->vdev), "%s", info.name);
	err = -pthread_create(&dut->thread, NULL, serve_thread, dut);
	dut->serving = !err;
	return err;
}

/*
 * Wait for /dev/watchdogN and the end of the probe; 0 or -errno. Its sysfs
 * entry comes before its node in /dev, and both before the line the probe
 * logs last: each is waited for.
 */
static int dut_wait(struct wdt_dut *dut)
{
	long long end = now_ms() + 10000;
	char text[96];

	while (!find_dev(dut) || access(dut->dev, F_OK)) {
		if (now_ms() > end)
			return -ETIMEDOUT;
		usleep(10000);
	}
	snprintf(text, sizeof(text), "virtio_watchdog %s: watchdog%d: ", dut->vdev, dut->id);
	return WAIT_UNTIL(klog_since(&test_mark, text), 10000) ? 0 : -ETIMEDOUT;
}

/* Open /dev/watchdogN, which starts the timer; 0 or -errno. */
static int dut_open(struct wdt_dut *dut)
{
	int err = dut_wait(dut);

	if (err)
		return err;
	dut->fd = open(dut->dev, O_RDWR | O_CLOEXEC);
	return dut->fd < 0 ? -errno : 0;
}

/* Close after the magic 'V': the timer stops, where it can. */
static int magic_close(struct wdt_dut *dut)
{
	ssize_t n = write(dut->fd, "V", 1);
	int err = n == 1 ? 0 : -errno;

	close(dut->fd);
	dut->fd = -1;
	return err;
}

static void dut_stop(struct wdt_dut *dut)
{
	if (dut->fd >= 0)
		magic_close(dut);
	sysfs_write(ANSWER_MS_PARAM, dut->answer_ms);
	if (dut->serving) {
		watchdog_model_wake_stop(&dut->m);
		pthread_join(dut->thread, NULL);
		dut->serving = false;
	}
	watchdog_model_destroy(&dut->m);
}

/* A watchdog ioctl on an int: the int after it, or -errno. */
static int wd_ioctl(int fd, unsigned long request, int value)
{
	return ioctl(fd, request, &value) ? -errno : value;
}

/* One that only takes its int: 0 or -errno. */
static int wd_set(int fd, unsigned long request, int value)
{
	return ioctl(fd, request, &value) ? -errno : 0;
}

static int keepalive(int fd)
{
	return ioctl(fd, WDIOC_KEEPALIVE, 0) ? -errno : 0;
}

#define set_options(fd, options) wd_set(fd, WDIOC_SETOPTIONS, options)
#define set_pretimeout(fd, t) wd_set(fd, WDIOC_SETPRETIMEOUT, t)
/* The timeout the core then reports. */
#define set_timeout(fd, t) wd_ioctl(fd, WDIOC_SETTIMEOUT, t)
#define get_timeout(fd) wd_ioctl(fd, WDIOC_GETTIMEOUT, -1)
#define get_pretimeout(fd) wd_ioctl(fd, WDIOC_GETPRETIMEOUT, -1)
#define get_timeleft(fd) wd_ioctl(fd, WDIOC_GETTIMELEFT, -1)
#define get_bootstatus(fd) wd_ioctl(fd, WDIOC_GETBOOTSTATUS, -1)

/* The line the noop governor logs for a pretimeout of this watchdog. */
static bool governor_logged(struct wdt_dut *dut)
{
	char text[48];

	snprintf(text, sizeof(text), "watchdog%d: pretimeout event\n", dut->id);
	return logged(text);
}

/* Since the test began: a removal or a driver error must not have warned. */
static void check_log(struct __test_metadata *_metadata)
{
	EXPECT_FALSE(klog_since(&test_mark, "WARNING:"));
	EXPECT_FALSE(klog_since(&test_mark, "BUG:"));
}

/* The test begins: mark the log. */
static void begin(struct __test_metadata *_metadata)
{
	ASSERT_TRUE(mark_log());
	test_mark = log_mark;
}

static void setup_dut(struct __test_metadata *_metadata, struct wdt_dut *dut,
		      const struct watchdog_model_params *p)
{
	begin(_metadata);
	ASSERT_EQ(0, system("sysctl -qw kernel.printk_ratelimit=0"));
	/* Pretimeouts reach the noop governor, which logs them. */
	ASSERT_EQ(0, system("modprobe -q pretimeout_noop"));
	ASSERT_EQ(0, dut_start(dut, p));
	ASSERT_EQ(0, dut_wait(dut));
}

static void teardown_dut(struct __test_metadata *_metadata, struct wdt_dut *dut)
{
	dut_stop(dut);
	check_log(_metadata);
}

/* The device of most tests: everything but nowayout, timeouts 1 s to 30 s. */
static const struct watchdog_model_params control_params = {
	.features = F(CONTROL) | F(PRETIMEOUT) | F(TIMELEFT) | F(BOOT_STATUS),
	.min_timeout_ms = 1000,
	.max_timeout_ms = 30000,
	.granularity_ms = 1000,
	.max_pretimeout_ms = 10000,
};

FIXTURE(wdt) {
	struct wdt_dut dut;
};

FIXTURE_SETUP(wdt)
{
	setup_dut(_metadata, &self->dut, &control_params);
}

FIXTURE_TEARDOWN(wdt)
{
	teardown_dut(_metadata, &self->dut);
}

/* What every watchdog tool does: the commands each operation sends. */
TEST_F(wdt, control_protocol)
{
	struct wdt_dut *dut = &self->dut;
	struct watchdog_info info = { 0 };
	struct watchdog_model_stats s;
	char text[64];
	int left;

	ASSERT_EQ(0, dut_open(dut));
	mark_log();
	ASSERT_EQ(0, ioctl(dut->fd, WDIOC_GETSUPPORT, &info));
	EXPECT_STREQ("virtio watchdog", (char *)info.identity);
	EXPECT_EQ((__u32)(WDIOF_SETTIMEOUT | WDIOF_KEEPALIVEPING | WDIOF_MAGICCLOSE |
			  WDIOF_PRETIMEOUT | WDIOF_CARDRESET), info.options);
	EXPECT_EQ(0, get_bootstatus(dut->fd));
	/* Opening started it with the default timeout. */
	EXPECT_EQ(30, get_timeout(dut->fd));
	EXPECT_TRUE(watchdog_model_running(&dut->m));
	EXPECT_EQ(30000U, model_timeout_ms(dut));
	EXPECT_EQ(1UL, stats(dut).starts);

	EXPECT_EQ(5, set_timeout(dut->fd, 5));
	EXPECT_EQ(5000U, model_timeout_ms(dut));
	EXPECT_EQ(0, set_pretimeout(dut->fd, 2));
	EXPECT_EQ(2, get_pretimeout(dut->fd));
	left = get_timeleft(dut->fd);
	EXPECT_LE(3, left);
	EXPECT_GE(5, left);
	s = stats(dut);
	EXPECT_EQ(0, keepalive(dut->fd));
	EXPECT_EQ(1, write(dut->fd, "x", 1));
	EXPECT_EQ(s.cmds[CMD_PING] + 2, stats(dut).cmds[CMD_PING]);

	EXPECT_EQ(0, set_options(dut->fd, WDIOS_DISABLECARD));
	EXPECT_FALSE(watchdog_model_running(&dut->m));
	EXPECT_EQ(0, set_options(dut->fd, WDIOS_ENABLECARD));
	EXPECT_TRUE(watchdog_model_running(&dut->m));
	EXPECT_EQ(5000U, model_timeout_ms(dut));
	EXPECT_EQ(0, magic_close(dut));
	EXPECT_FALSE(watchdog_model_running(&dut->m));
	s = stats(dut);
	EXPECT_EQ(0UL, s.expiries);
	EXPECT_EQ(0UL, s.invalid);
	EXPECT_EQ(0UL, s.unsupported);
	EXPECT_EQ(0UL, s.bad_chains);
	EXPECT_EQ(0UL, s.early_chains);
	/* And the driver had nothing to complain about. */
	snprintf(text, sizeof(text), "virtio_watchdog %s:", dut->vdev);
	EXPECT_FALSE(logged(text));
}

/* A lie of the device, and what the driver logs about it. */
struct lie {
	const char *what;
	enum watchdog_fault fault;
	int err;
	const char *message;
};

static const struct lie lies[] = {
	{ "wrong status", WATCHDOG_FAULT_WRONG_STATUS, -EIO, "answered with status 127" },
	{ "bad running", WATCHDOG_FAULT_BAD_RUNNING, -EIO, "answered with running 2" },
	{ "short", WATCHDOG_FAULT_SHORT, -EIO, "answered with 7 bytes" },
	{ "refused", WATCHDOG_FAULT_STATUS_ERROR, -EINVAL, "refused as invalid" },
};

/* Tell this lie once, in the answer to command cmd; the log line to expect. */
static const char *lie_once(struct wdt_dut *dut, const struct lie *lie, unsigned int cmd)
{
	static char message[96];

	snprintf(message, sizeof(message), "command %u %s", cmd, lie->message);
	mark_log();
	watchdog_model_set_fault(&dut->m, lie->fault, 1);
	return message;
}

/*
 * Each lie in the answer to a ping: the error, a log line naming it, and
 * the next ping reaches the device. A test per operation: the driver's
 * complaints are rate-limited per device, 10 in 5 s.
 */
TEST_F(wdt, lying_device_keepalive)
{
	struct wdt_dut *dut = &self->dut;
	const char *message;
	unsigned long pings;
	unsigned int i;

	ASSERT_EQ(0, dut_open(dut));
	for (i = 0; i < ARRAY_SIZE(lies); i++) {
		TH_LOG("lie: %s", lies[i].what);
		message = lie_once(dut, &lies[i], CMD_PING);
		EXPECT_EQ(lies[i].err, keepalive(dut->fd));
		EXPECT_TRUE(logged(message));
		pings = stats(dut).pings;
		EXPECT_EQ(0, keepalive(dut->fd));
		EXPECT_EQ(pings + 1, stats(dut).pings);
	}
	EXPECT_TRUE(watchdog_model_running(&dut->m));
	EXPECT_EQ(ARRAY_SIZE(lies), stats(dut).lies);
}

/* A lie in the answer to SET_TIMEOUT: the timeout stays, the next one works. */
TEST_F(wdt, lying_device_settimeout)
{
	struct wdt_dut *dut = &self->dut;
	const char *message;
	int t, before = 30;
	unsigned int i;

	ASSERT_EQ(0, dut_open(dut));
	for (i = 0; i < ARRAY_SIZE(lies); i++) {
		TH_LOG("lie: %s", lies[i].what);
		t = 10 + (int)i;
		message = lie_once(dut, &lies[i], VIRTIO_WATCHDOG_CMD_SET_TIMEOUT);
		EXPECT_EQ(lies[i].err, set_timeout(dut->fd, t));
		EXPECT_TRUE(logged(message));
		EXPECT_EQ(before, get_timeout(dut->fd));
		EXPECT_EQ(t, set_timeout(dut->fd, t));
		EXPECT_EQ(t, get_timeout(dut->fd));
		EXPECT_EQ(t * 1000U, model_timeout_ms(dut));
		before = t;
	}
	EXPECT_TRUE(watchdog_model_running(&dut->m));
}

/*
 * A lie in the answer to STOP: the stop fails, and the watchdog is still
 * served: a ping reaches the device (it may still run), the next stop works.
 */
TEST_F(wdt, lying_device_stop)
{
	struct wdt_dut *dut = &self->dut;
	const char *message;
	unsigned long pings;
	unsigned int i;

	ASSERT_EQ(0, dut_open(dut));
	for (i = 0; i < ARRAY_SIZE(lies); i++) {
		TH_LOG("lie: %s", lies[i].what);
		message = lie_once(dut, &lies[i], CMD_STOP);
		EXPECT_EQ(lies[i].err, set_options(dut->fd, WDIOS_DISABLECARD));
		EXPECT_TRUE(logged(message));
		/* Refused: the timer runs on, and must be pinged. */
		if (lies[i].fault == WATCHDOG_FAULT_STATUS_ERROR)
			EXPECT_TRUE(watchdog_model_running(&dut->m));
		pings = stats(dut).cmds[CMD_PING];
		EXPECT_EQ(0, keepalive(dut->fd));
		EXPECT_EQ(pings + 1, stats(dut).cmds[CMD_PING]);
		EXPECT_TRUE(watchdog_model_running(&dut->m));
		EXPECT_EQ(0, set_options(dut->fd, WDIOS_DISABLECARD));
		EXPECT_FALSE(watchdog_model_running(&dut->m));
		EXPECT_EQ(0, set_options(dut->fd, WDIOS_ENABLECARD));
		EXPECT_TRUE(watchdog_model_running(&dut->m));
	}
	EXPECT_EQ(0UL, stats(dut).expiries);
}

/* A lie in the answer to GET_TIMELEFT: the core reports 0 s left, no error. */
TEST_F(wdt, lying_device_timeleft)
{
	struct wdt_dut *dut = &self->dut;
	const char *message;
	unsigned int i;
	int left;

	ASSERT_EQ(0, dut_open(dut));
	ASSERT_EQ(10, set_timeout(dut->fd, 10));
	for (i = 0; i < ARRAY_SIZE(lies); i++) {
		TH_LOG("lie: %s", lies[i].what);
		message = lie_once(dut, &lies[i], VIRTIO_WATCHDOG_CMD_GET_TIMELEFT);
		EXPECT_EQ(0, get_timeleft(dut->fd));
		EXPECT_TRUE(logged(message));
		EXPECT_EQ(0, keepalive(dut->fd));
		left = get_timeleft(dut->fd);
		EXPECT_LE(8, left);
		EXPECT_GE(10, left);
	}
}

/* A device that stops answering: ETIMEDOUT, then EIO until it answers. */
TEST_F(wdt, silent_device)
{
	struct wdt_dut *dut = &self->dut;
	unsigned long pings;

	ASSERT_EQ(0, dut_open(dut));
	ASSERT_EQ(0, sysfs_write(ANSWER_MS_PARAM, "300"));
	watchdog_model_set_fault(&dut->m, WATCHDOG_FAULT_SILENT, 1);
	EXPECT_EQ(-ETIMEDOUT, keepalive(dut->fd));
	EXPECT_TRUE(logged("did not answer command 2 in 300 ms"));
	EXPECT_EQ(1U, held_count(dut));
	/* The device still holds the ping's buffers: nothing more goes. */
	EXPECT_EQ(-EIO, keepalive(dut->fd));
	EXPECT_EQ(-EIO, set_timeout(dut->fd, 10));
	EXPECT_TRUE(logged("device still holds a command it never answered"));
	EXPECT_EQ(30, get_timeout(dut->fd));
	/* Late, the answer; then normal service. */
	pings = stats(dut).pings;
	EXPECT_EQ(0, watchdog_model_release_held(&dut->m, true));
	EXPECT_EQ(pings + 1, stats(dut).pings);
	usleep(100000);
	EXPECT_EQ(0, keepalive(dut->fd));
	EXPECT_EQ(10, set_timeout(dut->fd, 10));
	EXPECT_EQ(10000U, model_timeout_ms(dut));
	EXPECT_EQ(pings + 3, stats(dut).pings);
}

/* An event the driver must drop, and the line it logs. */
struct bad_event {
	const char *what;
	enum watchdog_fault fault;
	const char *message;
};

static const struct bad_event bad_events[] = {
	{ "unsolicited", WATCHDOG_FAULT_UNSOLICITED_EVENT, "pretimeout event with no pretimeout" },
	{ "bad type", WATCHDOG_FAULT_BAD_EVENT, "event of 8 bytes, type 127: not a pretimeout" },
	{ "short", WATCHDOG_FAULT_SHORT_EVENT, "event of 7 bytes, type 1: not a pretimeout" },
};

/* Send one such event; it must be logged and its buffer posted again. */
static void send_bad_event(struct __test_metadata *_metadata, struct wdt_dut *dut,
			   const struct bad_event *e)
{
	unsigned long buffers = stats(dut).event_buffers;

	TH_LOG("event: %s", e->what);
	mark_log();
	watchdog_model_set_fault(&dut->m, e->fault, 1);
	EXPECT_TRUE(WAIT_UNTIL(stats(dut).event_buffers == buffers + 1, 3000));
	EXPECT_TRUE(WAIT_UNTIL(logged(e->message), 3000));
	EXPECT_FALSE(governor_logged(dut));
}

/*
 * Events nobody asked for, of no type, too short: logged and dropped, never
 * a pretimeout for the governor; their buffers come back, and a real
 * pretimeout arrives after them.
 */
TEST_F(wdt, bad_events)
{
	struct wdt_dut *dut = &self->dut;
	struct watchdog_model_stats s;
	unsigned int i;

	/* The driver posts its 4 event buffers at probe. */
	ASSERT_TRUE(WAIT_UNTIL(stats(dut).event_buffers == 4, 3000));
	/* Closed: the watchdog does not run. */
	for (i = 0; i < ARRAY_SIZE(bad_events); i++)
		send_bad_event(_metadata, dut, &bad_events[i]);
	/* Running, with no pretimeout set. */
	ASSERT_EQ(0, dut_open(dut));
	send_bad_event(_metadata, dut, &bad_events[0]);
	EXPECT_EQ(ARRAY_SIZE(bad_events) + 1, stats(dut).lies);
	EXPECT_EQ(0UL, stats(dut).bad_chains);

	/* A real one still arrives: 1 s after the countdown restarts. */
	mark_log();
	ASSERT_EQ(3, set_timeout(dut->fd, 3));
	ASSERT_EQ(0, set_pretimeout(dut->fd, 2));
	EXPECT_TRUE(WAIT_UNTIL(governor_logged(dut), 4000));
	EXPECT_EQ(0, magic_close(dut));
	EXPECT_TRUE(WAIT_UNTIL(stats(dut).event_buffers == ARRAY_SIZE(bad_events) + 6, 3000));
	s = stats(dut);
	EXPECT_EQ(1UL, s.pretimeouts);
	EXPECT_EQ(0UL, s.pretimeouts_dropped);
}

/*
 * Not pinged, the timer sends its pretimeout event, which reaches the
 * governor, and then expires; pinged, it never expires; when the pings
 * stop, it does.
 */
TEST_F(wdt, pretimeout_then_expiry)
{
	struct wdt_dut *dut = &self->dut;
	struct watchdog_model_stats s;
	long long start, pretimeout_at, expired_at, pinged_at = 0;

	ASSERT_EQ(0, dut_open(dut));
	ASSERT_EQ(3, set_timeout(dut->fd, 3));
	start = now_ms();
	ASSERT_EQ(0, set_pretimeout(dut->fd, 1));
	ASSERT_TRUE(WAIT_UNTIL(stats(dut).expiries == 1, 6000));
	s = stats(dut);
	EXPECT_EQ(1UL, s.pretimeouts);
	EXPECT_EQ(0UL, s.pretimeouts_dropped);
	EXPECT_TRUE(governor_logged(dut));
	pretimeout_at = __atomic_load_n(&dut->pretimeout_at, __ATOMIC_ACQUIRE);
	expired_at = __atomic_load_n(&dut->expired_at, __ATOMIC_ACQUIRE);
	/* 2 s after the countdown began, then 1 s later. */
	EXPECT_LE(start + 1500, pretimeout_at);
	EXPECT_LE(pretimeout_at + 700, expired_at);
	EXPECT_GE(start + 5000, expired_at);
	EXPECT_EQ(3000U, model_silence_ms(dut));

	/* Expired, a ping finds the timer stopped and starts it again. */
	mark_log();
	EXPECT_EQ(2, set_timeout(dut->fd, 2));
	EXPECT_TRUE(logged("timer was not running (expired?): starting it again"));
	EXPECT_TRUE(watchdog_model_running(&dut->m));
	/* Pinged every 500 ms for 4 s, a 2 s timer does not expire. */
	start = now_ms();
	while (now_ms() < start + 4000) {
		EXPECT_EQ(0, keepalive(dut->fd));
		pinged_at = now_ms();
		usleep(500000);
	}
	EXPECT_EQ(1UL, stats(dut).expiries);
	EXPECT_TRUE(watchdog_model_running(&dut->m));
	/* Left alone, it does, 2 s after the last ping. */
	EXPECT_TRUE(WAIT_UNTIL(stats(dut).expiries == 2, 4000));
	EXPECT_LE(pinged_at + 1900, __atomic_load_n(&dut->expired_at, __ATOMIC_ACQUIRE));
	EXPECT_EQ(2000U, model_silence_ms(dut));
}

/* Removed in order while the watchdog is open: ENODEV, and close works. */
TEST_F(wdt, removal_with_watchdog_open)
{
	struct wdt_dut *dut = &self->dut;

	ASSERT_EQ(0, dut_open(dut));
	EXPECT_EQ(0, vlab_remove(&dut->m.lab, 0));
	EXPECT_EQ(-ENODEV, keepalive(dut->fd));
	EXPECT_EQ(-ENODEV, get_timeout(dut->fd));
	EXPECT_EQ(-ENODEV, set_timeout(dut->fd, 5));
	EXPECT_EQ(-1, write(dut->fd, "V", 1));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(0, close(dut->fd));
	dut->fd = -1;
	/* Reset on removal: the timer stopped. */
	EXPECT_TRUE(WAIT_UNTIL(!watchdog_model_running(&dut->m), 2000));
}

/* Vanished while the watchdog is open: the same. */
TEST_F(wdt, surprise_removal_with_watchdog_open)
{
	struct wdt_dut *dut = &self->dut;

	ASSERT_EQ(0, dut_open(dut));
	EXPECT_EQ(0, vlab_remove(&dut->m.lab, VLAB_REMOVE_SURPRISE));
	EXPECT_EQ(-ENODEV, keepalive(dut->fd));
	EXPECT_EQ(-ENODEV, set_options(dut->fd, WDIOS_DISABLECARD));
	EXPECT_EQ(0, close(dut->fd));
	dut->fd = -1;
}

struct waiter {
	int fd;
	int err;
	long long took;
};

static void *wait_keepalive(void *arg)
{
	struct waiter *w = arg;
	long long start = now_ms();

	w->err = keepalive(w->fd);
	w->took = now_ms() - start;
	return NULL;
}

/*
 * Removed while the device holds a ping unanswered: the ping fails with
 * ENODEV at once, not when the driver stops waiting, and so does the next.
 */
TEST_F(wdt, removal_with_command_outstanding)
{
	struct wdt_dut *dut = &self->dut;
	struct waiter w = { .err = 1 };
	long long start;
	pthread_t t;

	ASSERT_EQ(0, dut_open(dut));
	ASSERT_EQ(0, sysfs_write(ANSWER_MS_PARAM, "5000"));
	w.fd = dut->fd;
	watchdog_model_set_fault(&dut->m, WATCHDOG_FAULT_SILENT, 1);
	ASSERT_EQ(0, pthread_create(&t, NULL, wait_keepalive, &w));
	ASSERT_TRUE(WAIT_UNTIL(held_count(dut) == 1, 3000));
	start = now_ms();
	EXPECT_EQ(0, vlab_remove(&dut->m.lab, VLAB_REMOVE_SURPRISE));
	EXPECT_GT(start + 2000, now_ms());
	pthread_join(t, NULL);
	/*
	 * The lab's dying device answers the chains it holds with nothing
	 * before the queues break (tools/testing/modules/virtio_lab_core.c,
	 * vlab_remove()): when that answer wins the race, the ping fails with
	 * EIO, as for any empty answer. Either way at once.
	 */
	if (w.err == -EIO && logged("command 2 answered with 0 bytes"))
		TH_LOG("the dying device's empty answer came before the reset");
	else
		EXPECT_EQ(-ENODEV, w.err);
	EXPECT_GT(2000, w.took);
	EXPECT_FALSE(logged("did not answer"));
	EXPECT_EQ(-ENODEV, keepalive(dut->fd));
	EXPECT_EQ(0, close(dut->fd));
	dut->fd = -1;
}

/* Freeze resets the device; restore starts it again with the same timeout. */
TEST_F(wdt, freeze_and_restore)
{
	struct wdt_dut *dut = &self->dut;
	struct watchdog_model_stats s;
	unsigned long pings;
	char path[96];

	snprintf(path, sizeof(path), "/sys/bus/virtio/devices/%s/lab_sleep", dut->vdev);
	ASSERT_EQ(0, dut_open(dut));
	ASSERT_EQ(7, set_timeout(dut->fd, 7));
	s = stats(dut);
	ASSERT_EQ(0, sysfs_write(path, "freeze"));
	EXPECT_TRUE(WAIT_UNTIL(stats(dut).resets > s.resets, 3000));
	EXPECT_FALSE(watchdog_model_running(&dut->m));
	/* Frozen: nothing reaches the device. */
	EXPECT_EQ(-ENODEV, keepalive(dut->fd));
	ASSERT_EQ(0, sysfs_write(path, "restore"));
	EXPECT_TRUE(WAIT_UNTIL(stats(dut).starts == s.starts + 1, 3000));
	EXPECT_TRUE(watchdog_model_running(&dut->m));
	EXPECT_EQ(7000U, model_timeout_ms(dut));
	EXPECT_EQ(7, get_timeout(dut->fd));
	pings = stats(dut).pings;
	EXPECT_EQ(0, keepalive(dut->fd));
	EXPECT_EQ(pings + 1, stats(dut).pings);
	/* The event buffers are back. */
	EXPECT_TRUE(WAIT_UNTIL(stats(dut).event_buffers == s.event_buffers + 4, 3000));
	EXPECT_EQ(0UL, stats(dut).early_chains);
	/* After the reset of freeze, SET_TIMEOUT came first, as at probe. */
	EXPECT_EQ(0UL, stats(dut).unset_first);
}

/* The module cannot go while the watchdog is open. */
TEST_F(wdt, unload_while_open)
{
	struct wdt_dut *dut = &self->dut;
	char before[16], open_cnt[16], after[16];

	ASSERT_EQ(0, sysfs_read(REFCNT, before, sizeof(before)));
	ASSERT_EQ(0, dut_open(dut));
	ASSERT_EQ(0, sysfs_read(REFCNT, open_cnt, sizeof(open_cnt)));
	EXPECT_LT(atoi(before), atoi(open_cnt));
	EXPECT_EQ(-1, syscall(SYS_delete_module, "virtio_watchdog", O_NONBLOCK));
	EXPECT_EQ(EWOULDBLOCK, errno);
	EXPECT_EQ(0, keepalive(dut->fd));
	EXPECT_EQ(0, magic_close(dut));
	ASSERT_EQ(0, sysfs_read(REFCNT, after, sizeof(after)));
	EXPECT_EQ(atoi(before), atoi(after));
}

/*
 * Without VIRTIO_WATCHDOG_F_PRETIMEOUT the watchdog core's own timer does
 * the pretimeout: the device must never be sent one.
 */
TEST(pretimeout_without_device_support)
{
	struct watchdog_model_params p = control_params;
	struct wdt_dut dut;

	p.features &= ~F(PRETIMEOUT);
	p.max_pretimeout_ms = 0;
	setup_dut(_metadata, &dut, &p);
	ASSERT_EQ(0, dut_open(&dut));
	if (set_pretimeout(dut.fd, 2) == -EOPNOTSUPP) {
		teardown_dut(_metadata, &dut);
		SKIP(return, "no CONFIG_WATCHDOG_HRTIMER_PRETIMEOUT");
	}
	EXPECT_EQ(2, get_pretimeout(dut.fd));
	EXPECT_EQ(4, set_timeout(dut.fd, 4));
	EXPECT_EQ(4000U, model_timeout_ms(&dut));
	EXPECT_TRUE(WAIT_UNTIL(governor_logged(&dut), 4000));
	EXPECT_EQ(0, magic_close(&dut));
	/* Opened again, it starts with the core's pretimeout kept to itself. */
	EXPECT_EQ(0, dut_open(&dut));
	EXPECT_TRUE(watchdog_model_running(&dut.m));
	EXPECT_EQ(0UL, stats(&dut).invalid);
	EXPECT_FALSE(logged("refused as invalid"));
	teardown_dut(_metadata, &dut);
}

/* Timeouts of 2 s to 10 s and pretimeouts up to 3 s. */
static const struct watchdog_model_params range_params = {
	.features = F(CONTROL) | F(PRETIMEOUT) | F(TIMELEFT),
	.min_timeout_ms = 2000,
	.max_timeout_ms = 10000,
	.granularity_ms = 1000,
	.max_pretimeout_ms = 3000,
};

/* Out of the device's range: refused, and nothing reaches the device. */
TEST(timeouts_out_of_range)
{
	struct wdt_dut dut;
	struct watchdog_model_stats s;

	setup_dut(_metadata, &dut, &range_params);
	ASSERT_EQ(0, dut_open(&dut));
	/* The default of 30 s, clamped. */
	EXPECT_EQ(10, get_timeout(dut.fd));
	s = stats(&dut);
	EXPECT_EQ(-EINVAL, set_timeout(dut.fd, 1));
	EXPECT_EQ(-EINVAL, set_timeout(dut.fd, 11));
	EXPECT_EQ(-EINVAL, set_timeout(dut.fd, 0));
	EXPECT_EQ(10, get_timeout(dut.fd));
	EXPECT_EQ(2, set_timeout(dut.fd, 2));
	EXPECT_EQ(10, set_timeout(dut.fd, 10));
	EXPECT_EQ(10000U, model_timeout_ms(&dut));
	/* Pretimeouts: above the device's maximum, or not below the timeout. */
	EXPECT_EQ(-EINVAL, set_pretimeout(dut.fd, 4));
	EXPECT_EQ(-EINVAL, set_pretimeout(dut.fd, 10));
	EXPECT_EQ(0, get_pretimeout(dut.fd));
	EXPECT_EQ(0, set_pretimeout(dut.fd, 3));
	EXPECT_EQ(3, get_pretimeout(dut.fd));
	EXPECT_EQ(s.cmds[VIRTIO_WATCHDOG_CMD_SET_TIMEOUT] + 3,
		  stats(&dut).cmds[VIRTIO_WATCHDOG_CMD_SET_TIMEOUT]);
	EXPECT_EQ(0UL, stats(&dut).invalid);
	teardown_dut(_metadata, &dut);
}

/*
 * A granularity of 3 s: 5 s become 6 s, and so do 4 s of pretimeout. The
 * driver keeps what the device cannot take to itself.
 */
TEST(pretimeout_rounded_to_the_timeout)
{
	struct watchdog_model_params p = range_params;
	struct wdt_dut dut;

	p.min_timeout_ms = 3000;
	p.max_timeout_ms = 30000;
	p.granularity_ms = 3000;
	p.max_pretimeout_ms = 9000;
	setup_dut(_metadata, &dut, &p);
	ASSERT_EQ(0, dut_open(&dut));
	EXPECT_EQ(5, set_timeout(dut.fd, 5));
	EXPECT_EQ(6000U, model_timeout_ms(&dut));
	EXPECT_EQ(-EINVAL, set_pretimeout(dut.fd, 4));
	EXPECT_EQ(0, set_pretimeout(dut.fd, 3));
	/* 9 s with 5 s of pretimeout; then 6 s, where 5 s no longer fit. */
	EXPECT_EQ(9, set_timeout(dut.fd, 9));
	EXPECT_EQ(0, set_pretimeout(dut.fd, 5));
	EXPECT_EQ(6, set_timeout(dut.fd, 6));
	EXPECT_EQ(6000U, model_timeout_ms(&dut));
	EXPECT_EQ(0, get_pretimeout(dut.fd));
	EXPECT_EQ(0UL, stats(&dut).invalid);
	EXPECT_FALSE(logged("refused as invalid"));
	teardown_dut(_metadata, &dut);
}

/* A device configuration, and what the driver makes of it at probe. */
FIXTURE(probe) {
	struct wdt_dut dut;
};

FIXTURE_VARIANT(probe) {
	uint64_t features;
	uint32_t min_ms;
	uint32_t max_ms;
	uint32_t granularity_ms;
	uint32_t max_pretimeout_ms;
	uint32_t boot_status;
	bool registers;
	int bootstatus;		/* WDIOC_GETBOOTSTATUS */
	const char *message;	/* logged, or NULL */
};

FIXTURE_VARIANT_ADD(probe, granularity_0) {
	.features = F(CONTROL), .min_ms = 1000, .max_ms = 10000, .granularity_ms = 0,
	.message = "timeouts of 1000 to 10000 ms in steps of 0 ms: not a valid range",
};

FIXTURE_VARIANT_ADD(probe, min_0) {
	.features = F(CONTROL), .min_ms = 0, .max_ms = 10000, .granularity_ms = 1000,
	.message = "timeouts of 0 to 10000 ms in steps of 1000 ms: not a valid range",
};

FIXTURE_VARIANT_ADD(probe, min_above_max) {
	.features = F(CONTROL), .min_ms = 5000, .max_ms = 2000, .granularity_ms = 1000,
	.message = "timeouts of 5000 to 2000 ms in steps of 1000 ms: not a valid range",
};

FIXTURE_VARIANT_ADD(probe, max_below_1s) {
	.features = F(CONTROL), .min_ms = 100, .max_ms = 900, .granularity_ms = 100,
	.message = "timeouts of 100 to 900 ms: no whole second in range",
};

FIXTURE_VARIANT_ADD(probe, min_not_in_steps) {
	.features = F(CONTROL), .min_ms = 1500, .max_ms = 10000, .granularity_ms = 1000,
	.message = "timeouts of 1500 to 10000 ms in steps of 1000 ms: not a valid range",
};

FIXTURE_VARIANT_ADD(probe, max_pretimeout_not_below_max) {
	.features = F(CONTROL) | F(PRETIMEOUT), .min_ms = 1000, .max_ms = 10000,
	.granularity_ms = 1000, .max_pretimeout_ms = 10000,
	.message = "maximum pretimeout 10000 ms: not below 10000 ms",
};

FIXTURE_VARIANT_ADD(probe, boot_status_undefined_bits) {
	.features = F(CONTROL) | F(BOOT_STATUS), .min_ms = 1000, .max_ms = 10000,
	.granularity_ms = 1000, .boot_status = 0x6, .registers = true, .bootstatus = 0,
	.message = "boot status 0x6 has undefined bits: ignored",
};

FIXTURE_VARIANT_ADD(probe, boot_status_expired) {
	.features = F(CONTROL) | F(BOOT_STATUS), .min_ms = 1000, .max_ms = 10000,
	.granularity_ms = 1000, .boot_status = 1, .registers = true,
	.bootstatus = WDIOF_CARDRESET,
};

FIXTURE_VARIANT_ADD(probe, boot_status_expired_and_undefined) {
	.features = F(CONTROL) | F(BOOT_STATUS), .min_ms = 1000, .max_ms = 10000,
	.granularity_ms = 1000, .boot_status = 0x80000001, .registers = true,
	.bootstatus = WDIOF_CARDRESET, .message = "has undefined bits: ignored",
};

FIXTURE_VARIANT_ADD(probe, boot_status_not_offered) {
	.features = F(CONTROL), .min_ms = 1000, .max_ms = 10000,
	.granularity_ms = 1000, .boot_status = 1, .registers = true, .bootstatus = 0,
};

FIXTURE_SETUP(probe)
{
	struct watchdog_model_params p = {
		.features = variant->features,
		.min_timeout_ms = variant->min_ms,
		.max_timeout_ms = variant->max_ms,
		.granularity_ms = variant->granularity_ms,
		.max_pretimeout_ms = variant->max_pretimeout_ms,
		.boot_status = variant->boot_status,
	};

	begin(_metadata);
	ASSERT_EQ(0, dut_start(&self->dut, &p));
}

FIXTURE_TEARDOWN(probe)
{
	teardown_dut(_metadata, &self->dut);
}

TEST_F(probe, config)
{
	struct wdt_dut *dut = &self->dut;
	struct watchdog_info info = { 0 };

	if (variant->message)
		EXPECT_TRUE(WAIT_UNTIL(logged(variant->message), 5000));
	if (!variant->registers) {
		usleep(200000);
		EXPECT_FALSE(find_dev(dut));
		return;
	}
	ASSERT_EQ(0, dut_open(dut));
	EXPECT_EQ(variant->bootstatus, get_bootstatus(dut->fd));
	ASSERT_EQ(0, ioctl(dut->fd, WDIOC_GETSUPPORT, &info));
	EXPECT_EQ(!!(variant->features & F(BOOT_STATUS)), !!(info.options & WDIOF_CARDRESET));
	EXPECT_EQ(10, get_timeout(dut->fd));
	if (!variant->message)
		EXPECT_FALSE(logged("undefined bits"));
}

/*
 * A device with VIRTIO_WATCHDOG_F_NOWAYOUT: the watchdog core refuses every
 * stop itself, the device never sees one, and the timer runs on after the
 * magic close; removing the device then does not hang.
 */
TEST(nowayout_offered_by_the_device)
{
	struct watchdog_model_params p = control_params;
	struct wdt_dut dut;
	unsigned long pings;
	long long start;

	p.features |= F(NOWAYOUT);
	setup_dut(_metadata, &dut, &p);
	ASSERT_EQ(0, dut_open(&dut));
	ASSERT_EQ(4, set_timeout(dut.fd, 4));
	EXPECT_EQ(-EBUSY, set_options(dut.fd, WDIOS_DISABLECARD));
	EXPECT_TRUE(logged("nowayout prevents watchdog being stopped!"));
	EXPECT_TRUE(watchdog_model_running(&dut.m));
	/* Magic close: not stopped either. */
	ASSERT_EQ(2, set_timeout(dut.fd, 2));
	EXPECT_EQ(0, magic_close(&dut));
	EXPECT_TRUE(logged("watchdog did not stop!"));
	EXPECT_TRUE(watchdog_model_running(&dut.m));
	EXPECT_EQ(0UL, stats(&dut).cmds[CMD_STOP]);
	EXPECT_EQ(0UL, stats(&dut).denied);
	/*
	 * Still active, it is userspace's to ping: the core does not, and
	 * unless somebody opens it again, it expires.
	 */
	pings = stats(&dut).pings;
	EXPECT_TRUE(WAIT_UNTIL(stats(&dut).expiries == 1, 3500));
	EXPECT_EQ(pings, stats(&dut).pings);
	/* Removal does not wait for anyone. */
	start = now_ms();
	EXPECT_EQ(0, vlab_remove(&dut.m.lab, 0));
	EXPECT_GT(start + 2000, now_ms());
	teardown_dut(_metadata, &dut);
}

/* Cloud Hypervisor's device: one-byte pings, a fixed timeout, no stop. */
FIXTURE(basic) {
	struct wdt_dut dut;
};

FIXTURE_SETUP(basic)
{
	static const struct watchdog_model_params p = { .basic = true };

	setup_dut(_metadata, &self->dut, &p);
}

FIXTURE_TEARDOWN(basic)
{
	teardown_dut(_metadata, &self->dut);
}

static const struct lie basic_lies[] = {
	{ "wrong ack", WATCHDOG_FAULT_WRONG_ACK, -EIO, "ping answered with 1 bytes holding 0" },
	{ "short", WATCHDOG_FAULT_SHORT, -EIO, "ping answered with 0 bytes" },
};

TEST_F(basic, basic_protocol)
{
	struct wdt_dut *dut = &self->dut;
	struct watchdog_info info = { 0 };
	unsigned long pings;
	unsigned int i;
	int left;

	ASSERT_EQ(0, dut_open(dut));
	EXPECT_TRUE(watchdog_model_running(&dut->m));
	ASSERT_EQ(0, ioctl(dut->fd, WDIOC_GETSUPPORT, &info));
	EXPECT_STREQ("virtio watchdog", (char *)info.identity);
	EXPECT_EQ((__u32)(WDIOF_KEEPALIVEPING | WDIOF_MAGICCLOSE), info.options);
	EXPECT_EQ(VIRTIO_WATCHDOG_BASIC_TIMEOUT, get_timeout(dut->fd));
	EXPECT_EQ(-EOPNOTSUPP, set_timeout(dut->fd, 10));
	EXPECT_EQ(VIRTIO_WATCHDOG_BASIC_TIMEOUT, get_timeout(dut->fd));
	/*
	 * The basic protocol has no time left to ask for: no answer, or (on
	 * kernels whose watchdog core counts down itself) the core's count.
	 */
	left = get_timeleft(dut->fd);
	EXPECT_TRUE(left == -EOPNOTSUPP ||
		    (left >= 0 && left <= VIRTIO_WATCHDOG_BASIC_TIMEOUT)) {
		TH_LOG("time left: %d", left);
	}
	pings = stats(dut).basic_pings;
	EXPECT_EQ(0, keepalive(dut->fd));
	EXPECT_EQ(1, write(dut->fd, "x", 1));
	EXPECT_EQ(pings + 2, stats(dut).basic_pings);
	for (i = 0; i < ARRAY_SIZE(basic_lies); i++) {
		TH_LOG("lie: %s", basic_lies[i].what);
		mark_log();
		watchdog_model_set_fault(&dut->m, basic_lies[i].fault, 1);
		EXPECT_EQ(basic_lies[i].err, keepalive(dut->fd));
		EXPECT_TRUE(logged(basic_lies[i].message));
		pings = stats(dut).basic_pings;
		EXPECT_EQ(0, keepalive(dut->fd));
		EXPECT_EQ(pings + 1, stats(dut).basic_pings);
	}
	/* Nothing stops it: closed, the core pings it every 7.5 s. */
	EXPECT_EQ(0, magic_close(dut));
	pings = stats(dut).basic_pings;
	EXPECT_TRUE(WAIT_UNTIL(stats(dut).basic_pings > pings, 9000));
	EXPECT_TRUE(watchdog_model_running(&dut->m));
	EXPECT_EQ(0UL, stats(dut).expiries);
	EXPECT_EQ(0UL, stats(dut).bad_chains);
}

TEST_HARNESS_MAIN
