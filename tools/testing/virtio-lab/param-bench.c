// SPDX-License-Identifier: GPL-2.0
/*
 * param-bench: virtio_param's two paths, each against a peer in the same
 * run, in alternating rounds:
 *
 * - GET round trips per second, reading a value (current_value), against
 *   reads of a file the driver answers without the device (type);
 * - events per second of a CONTINUOUS property subscribed at its fastest
 *   rate, as poll() on its value wakes a reader, against the events the
 *   driver took meanwhile (param/events).
 *
 *	param-bench PROPERTY_DIR AREA_DIR EVENTS_FILE SECONDS ROUNDS
 *
 * PROPERTY_DIR is the continuous property's directory, AREA_DIR one area
 * directory of a readable property. Prints one line per round, then the
 * medians and their ratios.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "stats.h"
#include "sysfs.h"

#define MAX_ROUNDS 15

/* Reads per second of path, from its start, for ms milliseconds. */
static double read_rate(const char *path, long long ms)
{
	long long start, end, n = 0;
	char buf[256];
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		perror(path);
		exit(1);
	}
	for (start = now_ms(), end = start + ms; now_ms() < end; n++) {
		if (pread(fd, buf, sizeof(buf), 0) <= 0) {
			perror(path);
			exit(1);
		}
	}
	close(fd);
	return n * 1000.0 / (now_ms() - start);
}

static unsigned long long counter(const char *path)
{
	char buf[32];

	if (sysfs_read(path, buf, sizeof(buf))) {
		perror(path);
		exit(1);
	}
	return strtoull(buf, NULL, 10);
}

/*
 * Subscribe the property at its fastest rate and count poll() wakes of its
 * first area's value for ms milliseconds: wakes and events per second.
 */
static void event_rates(const char *prop, const char *events, long long ms, double *woken,
			double *taken)
{
	char path[256], rate[32];
	struct pollfd pfd;
	unsigned long long first;
	long long start, n = 0;
	char buf[256];

	snprintf(path, sizeof(path), "%s/max_sample_rate", prop);
	if (sysfs_read(path, rate, sizeof(rate)))
		exit(1);
	snprintf(path, sizeof(path), "%s/sample_rate", prop);
	if (sysfs_write(path, rate))
		exit(1);
	snprintf(path, sizeof(path), "%s/area_00000000/current_value", prop);
	pfd.fd = open(path, O_RDONLY);
	pfd.events = POLLPRI | POLLERR;
	if (pfd.fd < 0) {
		perror(path);
		exit(1);
	}
	first = counter(events);
	start = now_ms();
	while (now_ms() < start + ms) {
		if (pread(pfd.fd, buf, sizeof(buf), 0) < 0 && errno != ENODATA)
			break;
		if (poll(&pfd, 1, 1000) == 1)
			n++;
	}
	*taken = (counter(events) - first) * 1000.0 / (now_ms() - start);
	*woken = n * 1000.0 / (now_ms() - start);
	close(pfd.fd);
	snprintf(path, sizeof(path), "%s/sample_rate", prop);
	sysfs_write(path, "0");
}

int main(int argc, char **argv)
{
	double get[MAX_ROUNDS], local[MAX_ROUNDS], woken[MAX_ROUNDS], taken[MAX_ROUNDS];
	char value[256], type[256];
	int rounds, r;
	long long ms;

	if (argc != 6) {
		fputs("usage: param-bench PROPERTY_DIR AREA_DIR EVENTS_FILE SECONDS ROUNDS\n",
		      stderr);
		return 2;
	}
	ms = atoll(argv[4]) * 1000;
	rounds = atoi(argv[5]);
	if (ms <= 0 || rounds < 1 || rounds > MAX_ROUNDS) {
		fputs("param-bench: SECONDS > 0, ROUNDS 1 to 15\n", stderr);
		return 2;
	}
	snprintf(value, sizeof(value), "%s/current_value", argv[2]);
	snprintf(type, sizeof(type), "%s/../type", argv[2]);
	for (r = 0; r < rounds; r++) {
		get[r] = read_rate(value, ms);
		local[r] = read_rate(type, ms);
		event_rates(argv[1], argv[3], ms, &woken[r], &taken[r]);
		printf("round %d: GET %.0f/s, type %.0f/s; poll wakes %.0f/s, events %.0f/s\n",
		       r + 1, get[r], local[r], woken[r], taken[r]);
	}
	printf("medians of %d rounds of %s s:\n", rounds, argv[4]);
	printf("  GET round trips %.0f/s, reads without the device %.0f/s: ratio %.3f\n",
	       median(get, rounds), median(local, rounds),
	       median(get, rounds) / median(local, rounds));
	printf("  poll() wakes %.0f/s of %.0f events/s taken: ratio %.2f\n",
	       median(woken, rounds), median(taken, rounds),
	       median(woken, rounds) / median(taken, rounds));
	return 0;
}
