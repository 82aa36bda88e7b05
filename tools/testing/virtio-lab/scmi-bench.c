// SPDX-License-Identifier: GPL-2.0
/*
 * scmi-bench: SENSOR_READING_GET round trips per second through
 * virtio_scmi_agent's two doors, in alternating rounds: reading a hwmon
 * input (the agent builds the command, checks and scales the answer) and
 * the raw interface (userspace builds the command and gets the bytes).
 *
 *	scmi-bench HWMON_INPUT RAW_DIR SECONDS ROUNDS
 *
 * Prints one line per round and door, then the medians and their ratio.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "stats.h"
#include "scmi_model.h"

#define MAX_ROUNDS 15

/* 0, or the failed call's result (-errno, or a length too short). */
static int read_hwmon(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf), 0);

	return n > 0 ? 0 : n < 0 ? -errno : -EIO;
}

static int read_raw(int fd)
{
	static uint16_t token;
	uint8_t msg[12], resp[64];
	uint32_t hdr = scmi_hdr(SCMI_PROTO_SENSOR, 0x6, 0, token++);
	ssize_t n;

	memset(msg, 0, sizeof(msg));	/* sensor 0, read synchronously */
	msg[0] = hdr;
	msg[1] = hdr >> 8;
	msg[2] = hdr >> 16;
	msg[3] = hdr >> 24;
	n = write(fd, msg, sizeof(msg));
	if (n != sizeof(msg))
		return n < 0 ? -errno : -EIO;
	/* header, status, one reading of 16 bytes */
	n = read(fd, resp, sizeof(resp));
	return n >= 24 ? 0 : n < 0 ? -errno : n;
}

/* Round trips per second through read_one on fd for ms milliseconds. */
static double rate(const char *door, int (*read_one)(int), int fd, long long ms)
{
	long long start = now_ms(), end = start + ms, n = 0;
	int err;

	while (now_ms() < end) {
		err = read_one(fd);
		if (err) {
			fprintf(stderr, "scmi-bench: a round trip through %s failed: %d\n",
				door, err);
			exit(1);
		}
		n++;
	}
	return n * 1000.0 / (now_ms() - start);
}

int main(int argc, char **argv)
{
	double hwmon[MAX_ROUNDS], raw[MAX_ROUNDS];
	char path[256];
	int hwmon_fd, raw_fd, rounds, r;
	long long ms;

	if (argc != 5) {
		fputs("usage: scmi-bench HWMON_INPUT RAW_DIR SECONDS ROUNDS\n", stderr);
		return 2;
	}
	ms = atoll(argv[3]) * 1000;
	rounds = atoi(argv[4]);
	if (ms <= 0 || rounds < 1 || rounds > MAX_ROUNDS) {
		fputs("scmi-bench: SECONDS > 0, ROUNDS 1 to 15\n", stderr);
		return 2;
	}
	snprintf(path, sizeof(path), "%s/raw/message", argv[2]);
	hwmon_fd = open(argv[1], O_RDONLY);
	raw_fd = open(path, O_RDWR);
	if (hwmon_fd < 0 || raw_fd < 0) {
		perror("scmi-bench");
		return 1;
	}
	for (r = 0; r < rounds; r++) {
		hwmon[r] = rate("hwmon", read_hwmon, hwmon_fd, ms);
		raw[r] = rate("raw", read_raw, raw_fd, ms);
		printf("round %d: hwmon %.0f/s, raw %.0f/s\n", r + 1, hwmon[r], raw[r]);
	}
	printf("READING_GET round trips per second (median of %d rounds of %s s):\n",
	       rounds, argv[3]);
	printf("  hwmon %.0f, raw %.0f: hwmon/raw %.2f\n", median(hwmon, rounds),
	       median(raw, rounds), median(hwmon, rounds) / median(raw, rounds));
	return 0;
}
