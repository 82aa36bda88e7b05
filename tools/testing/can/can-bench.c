// SPDX-License-Identifier: GPL-2.0
/*
 * can-bench: frames per second and round-trip latency between two CAN
 * interfaces (or two sockets on one vcan), for comparing paths in one run.
 *
 *	can-bench [--fd] [--frames N] [--round-trips N] SEND_IF ECHO_IF
 *
 * Throughput: N frames sent on SEND_IF as fast as the interface takes them
 * (waiting with poll() when its queue is full), counted on ECHO_IF; the
 * time from the first send to the last arrival. Latency: a frame sent on
 * SEND_IF, answered from ECHO_IF, awaited on SEND_IF; median and 99th
 * percentile of N round trips. Frames carry 8 (classic) or 64 (--fd) bytes.
 * Prints one line: "fps=<n> rtt_median_us=<n> rtt_p99_us=<n>".
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/can.h>
#include <linux/can/raw.h>

#include "can_raw.h"
#include "clock.h"
#include "stats.h"

#define BENCH_ID 0x3a0
#define ANSWER_ID 0x3a1
#define TIMEOUT_MS 10000

static bool fd_frames;

/* A raw socket on ifname that receives only frames with this id. */
static int open_socket(const char *ifname, canid_t id)
{
	struct can_filter filter = { .can_id = id, .can_mask = CAN_SFF_MASK };
	int sock = can_raw_open(ifname, 0, 16 << 20);

	if (sock >= 0 &&
	    setsockopt(sock, SOL_CAN_RAW, CAN_RAW_FILTER, &filter, sizeof(filter))) {
		close(sock);
		return -1;
	}
	return sock;
}

static size_t frame_size(void)
{
	return fd_frames ? CANFD_MTU : CAN_MTU;
}

static struct canfd_frame make_frame(canid_t id)
{
	struct canfd_frame f = { .can_id = id, .len = fd_frames ? 64 : 8 };

	memset(f.data, 0x5a, f.len);
	return f;
}

/* Send, waiting while the interface's queue is full. */
static int send_frame(int sock, const struct canfd_frame *f)
{
	struct pollfd pfd = { .fd = sock, .events = POLLOUT };

	while (write(sock, f, frame_size()) < 0) {
		if (errno != ENOBUFS)
			return -errno;
		poll(&pfd, 1, 10);
	}
	return 0;
}

static int recv_frame(int sock, struct canfd_frame *f)
{
	struct pollfd pfd = { .fd = sock, .events = POLLIN };

	if (poll(&pfd, 1, TIMEOUT_MS) != 1)
		return -ETIMEDOUT;
	return read(sock, f, sizeof(*f)) > 0 ? 0 : -errno;
}

struct counter {
	int sock;
	long want;
	long got;
	double last_us;
};

static void *count_frames(void *arg)
{
	struct counter *c = arg;
	struct canfd_frame f;

	while (c->got < c->want && !recv_frame(c->sock, &f)) {
		c->got++;
		c->last_us = now_ns() / 1e3;
	}
	return NULL;
}

static double throughput(const char *send_if, const char *echo_if, long n)
{
	struct counter c = { .want = n };
	struct canfd_frame f = make_frame(BENCH_ID);
	int sock = open_socket(send_if, ANSWER_ID);
	pthread_t thread;
	double start;
	long i;

	c.sock = open_socket(echo_if, BENCH_ID);
	if (sock < 0 || c.sock < 0)
		return -1;
	pthread_create(&thread, NULL, count_frames, &c);
	usleep(100000);
	start = now_ns() / 1e3;
	for (i = 0; i < n; i++)
		if (send_frame(sock, &f))
			break;
	pthread_join(thread, NULL);
	close(sock);
	close(c.sock);
	if (c.got != n) {
		fprintf(stderr, "can-bench: %ld of %ld frames arrived\n", c.got, n);
		return -1;
	}
	return n / ((c.last_us - start) / 1e6);
}

static void *answer_frames(void *arg)
{
	int sock = *(int *)arg;
	struct canfd_frame f, answer = make_frame(ANSWER_ID);

	while (!recv_frame(sock, &f))
		if (send_frame(sock, &answer))
			break;
	return NULL;
}

static int latency(const char *send_if, const char *echo_if, int n,
		   double *median, double *p99)
{
	struct canfd_frame f = make_frame(BENCH_ID), answer;
	int sock = open_socket(send_if, ANSWER_ID);
	int echo = open_socket(echo_if, BENCH_ID);
	double *rtt = calloc(n, sizeof(*rtt)), start;
	pthread_t thread;
	int i, err = 0;

	if (sock < 0 || echo < 0 || !rtt)
		return -1;
	pthread_create(&thread, NULL, answer_frames, &echo);
	usleep(100000);
	for (i = 0; i < n && !err; i++) {
		start = now_ns() / 1e3;
		err = send_frame(sock, &f);
		if (!err)
			err = recv_frame(sock, &answer);
		rtt[i] = now_ns() / 1e3 - start;
	}
	shutdown(echo, SHUT_RDWR);
	close(sock);
	pthread_cancel(thread);
	pthread_join(thread, NULL);
	close(echo);
	if (!err) {
		sort_values(rtt, n);
		*median = rtt[n / 2];
		*p99 = rtt[n * 99 / 100];
	}
	free(rtt);
	return err;
}

int main(int argc, char **argv)
{
	long frames = 20000;
	int trips = 2000, i;
	double fps, median, p99;

	for (i = 1; i < argc - 2; i++) {
		if (!strcmp(argv[i], "--fd"))
			fd_frames = true;
		else if (!strcmp(argv[i], "--frames") && i + 1 < argc - 2)
			frames = atol(argv[++i]);
		else if (!strcmp(argv[i], "--round-trips") && i + 1 < argc - 2)
			trips = atoi(argv[++i]);
		else
			break;
	}
	if (i != argc - 2 || frames <= 0 || trips <= 0) {
		fprintf(stderr,
			"usage: can-bench [--fd] [--frames N] [--round-trips N] SEND_IF ECHO_IF\n");
		return 2;
	}
	fps = throughput(argv[i], argv[i + 1], frames);
	if (fps < 0 || latency(argv[i], argv[i + 1], trips, &median, &p99)) {
		fprintf(stderr, "can-bench: %s -> %s failed\n", argv[i], argv[i + 1]);
		return 1;
	}
	printf("fps=%.0f rtt_median_us=%.1f rtt_p99_us=%.1f\n", fps, median, p99);
	return 0;
}
