// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the virtio lab against the stock virtio_console driver and its
 * /dev/hvc0: bytes both ways, receive buffers completed out of order, a
 * configuration change, removal under traffic. Needs virtio_lab and
 * virtio_console loaded (run through tools/testing/vm/vm-run).
 *
 * virtio_console transmits synchronously, spinning with interrupts off until
 * the device returns the buffer. A real device runs elsewhere; this one runs
 * on the guest's CPUs, so whatever writes to the tty runs on CPU 0 and the
 * model (every other thread) on CPU 1: the spinning CPU must never be the
 * one the model needs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <linux/virtio_config.h>

#include "kselftest_harness.h"
#include "console_model.h"

#define TIMEOUT_MS 10000

/* The console's tty, raw: no echo, no line discipline in the way. */
static int open_console(void)
{
	struct termios t;
	glob_t g;
	int fd = -1, tries;

	for (tries = 0; tries < 500 && fd < 0; tries++) {
		if (!glob("/dev/hvc[0-9]*", 0, NULL, &g)) {
			fd = open(g.gl_pathv[0], O_RDWR | O_NOCTTY);
			globfree(&g);
		}
		if (fd < 0)
			usleep(10000);
	}
	if (fd < 0 || tcgetattr(fd, &t))
		return -1;
	cfmakeraw(&t);
	return tcsetattr(fd, TCSANOW, &t) ? -1 : fd;
}

/* Read exactly len bytes, or fail after TIMEOUT_MS. */
static int read_all(int fd, char *buf, size_t len)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		if (poll(&pfd, 1, TIMEOUT_MS) != 1)
			return -ETIMEDOUT;
		n = read(fd, buf + got, len - got);
		if (n <= 0)
			return -EIO;
		got += n;
	}
	return 0;
}

struct writer {
	int fd;
	const char *text;
	ssize_t result;
};

static int run_on_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

#define WRITER_CPU 0
#define MODEL_CPU 1

static void *write_console(void *arg)
{
	struct writer *w = arg;
	size_t len = strlen(w->text);

	if (run_on_cpu(WRITER_CPU)) {
		w->result = -1;
		return NULL;
	}
	w->result = write(w->fd, w->text, len);
	return NULL;
}

FIXTURE(console) {
	struct console_model m;
	int tty;
};

FIXTURE_SETUP(console)
{
	self->tty = -1;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "the model needs a CPU the tty writer does not spin on");
	ASSERT_EQ(0, run_on_cpu(MODEL_CPU));
	ASSERT_EQ(0, console_model_create(&self->m, 80, 25));
	ASSERT_EQ(0, vlab_wait_status(&self->m.lab, VIRTIO_CONFIG_S_DRIVER_OK,
				      TIMEOUT_MS));
	self->tty = open_console();
	ASSERT_LE(0, self->tty);
}

FIXTURE_TEARDOWN(console)
{
	if (self->tty < 0)
		return;
	close(self->tty);
	vlab_remove(&self->m.lab, VLAB_REMOVE_SURPRISE);
	vlab_close(&self->m.lab);
}

/* What a program writes to the console reaches the device unchanged. */
TEST_F(console, driver_to_device)
{
	struct writer w = { .fd = self->tty, .text = "hello, lab\n" };
	pthread_t thread;

	ASSERT_EQ(0, pthread_create(&thread, NULL, write_console, &w));
	ASSERT_EQ(0, console_model_wait_tx(&self->m, strlen(w.text), TIMEOUT_MS));
	pthread_join(thread, NULL);
	EXPECT_EQ((ssize_t)strlen(w.text), w.result);
	ASSERT_EQ(strlen(w.text), self->m.tx_len);
	EXPECT_EQ(0, memcmp(self->m.tx, w.text, self->m.tx_len));
}

/* What the device sends arrives at the console. */
TEST_F(console, device_to_driver)
{
	static const char text[] = "from the device";
	char buf[sizeof(text)] = { 0 };

	ASSERT_EQ(0, console_model_wait_rx(&self->m, 1, TIMEOUT_MS));
	ASSERT_EQ(0, console_model_send(&self->m, 0, text, strlen(text)));
	ASSERT_EQ(0, read_all(self->tty, buf, strlen(text)));
	EXPECT_STREQ(text, buf);
}

/* The length the device reports wins over the bytes it wrote: it can lie. */
TEST_F(console, reported_length_is_the_models)
{
	char buf[4] = { 0 };

	ASSERT_EQ(0, console_model_wait_rx(&self->m, 1, TIMEOUT_MS));
	ASSERT_EQ(0, vlab_complete(&self->m.lab, 0, self->m.rx_ids[0], "abc", 3,
				   2, 0));
	ASSERT_EQ(0, read_all(self->tty, buf, 2));
	EXPECT_STREQ("ab", buf);
	/* And nothing more arrives. */
	usleep(200000);
	ASSERT_EQ(0, fcntl(self->tty, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(-1, read(self->tty, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
}

/* Receive buffers returned out of order arrive in the order returned. */
TEST_F(console, out_of_order_completion)
{
	char buf[3] = { 0 };

	ASSERT_EQ(0, console_model_wait_rx(&self->m, 2, TIMEOUT_MS));
	ASSERT_EQ(0, console_model_send(&self->m, 1, "B", 1));
	ASSERT_EQ(0, console_model_send(&self->m, 0, "A", 1));
	ASSERT_EQ(0, read_all(self->tty, buf, 2));
	EXPECT_STREQ("BA", buf);
}

/* A configuration change with its interrupt resizes the console. */
TEST_F(console, config_change)
{
	struct winsize ws = { 0 };
	int tries;

	ASSERT_EQ(0, console_model_resize(&self->m, 132, 43));
	for (tries = 0; tries < 500; tries++) {
		ASSERT_EQ(0, ioctl(self->tty, TIOCGWINSZ, &ws));
		if (ws.ws_col == 132 && ws.ws_row == 43)
			break;
		usleep(10000);
	}
	EXPECT_EQ(132, ws.ws_col);
	EXPECT_EQ(43, ws.ws_row);
}

/* Fill every receive buffer the driver posts, until the device is gone. */
static void *send_traffic(void *arg)
{
	struct console_model *m = arg;

	while (console_model_step(m, TIMEOUT_MS))
		while (m->rx_count && !console_model_send(m, 0, "traffic ", 8))
			;
	return NULL;
}

struct reader {
	int fd;
	size_t bytes;
};

static void *read_console(void *arg)
{
	struct reader *r = arg;
	char buf[256];
	ssize_t n;

	while ((n = read(r->fd, buf, sizeof(buf))) > 0)
		r->bytes += n;
	return NULL;
}

/*
 * The device goes away while it streams to a reader: nothing hangs, the
 * reader sees the end. (Traffic runs device to driver: removing the device
 * while an hvc transmit spins makes 6.12's remove_vqs() free_buf() the
 * transmit's already freed kmemdup() buffer, a driver bug outside the lab.
 * A read that ends during the removal loses its buffer in fill_readbuf(),
 * another: tools/testing/vm/kmemleak-known.)
 */
TEST_F(console, removal_under_traffic)
{
	struct reader r = { .fd = self->tty };
	pthread_t sender, reader;
	struct vlab_info info;
	char path[128];

	ASSERT_EQ(0, vlab_info(&self->m.lab, &info));
	ASSERT_EQ(0, pthread_create(&reader, NULL, read_console, &r));
	ASSERT_EQ(0, pthread_create(&sender, NULL, send_traffic, &self->m));
	usleep(300000);
	ASSERT_EQ(0, vlab_remove(&self->m.lab, 0));
	pthread_join(sender, NULL);
	pthread_join(reader, NULL);
	TH_LOG("%zu bytes crossed before the removal", r.bytes);
	EXPECT_LT(0U, r.bytes);
	snprintf(path, sizeof(path), "/sys/bus/virtio/devices/%s", info.name);
	EXPECT_NE(0, access(path, F_OK));
}

TEST_HARNESS_MAIN
