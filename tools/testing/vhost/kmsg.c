// SPDX-License-Identifier: GPL-2.0
/*
 * kmsg: the kernel log through /dev/kmsg. See kmsg.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "kmsg.h"

int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	lseek(fd, 0, SEEK_END);
	return fd;
}

int kmsg_has(int fd, const char *text, int timeout_ms)
{
	char rec[2048];

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n = read(fd, rec, sizeof(rec) - 1);

		if (n > 0) {
			rec[n] = 0;
			if (strstr(rec, text))
				return 1;
			continue;
		}
		/* EPIPE: records were overwritten; read on from the next */
		if (n < 0 && errno == EPIPE)
			continue;
		if (timeout_ms <= 0 || poll(&pfd, 1, 100) < 0)
			return 0;
		timeout_ms -= 100;
	}
}
