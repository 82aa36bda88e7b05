// SPDX-License-Identifier: GPL-2.0
/*
 * klog: marks in the kernel log. See klog.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "klog.h"

int klog_mark(struct klog_mark *mark, const char *who)
{
	static unsigned int marks;
	char line[sizeof(mark->text) + 1];
	int fd, n, err = 0;

	snprintf(mark->text, sizeof(mark->text), "%s: pid %d, mark %u.", who, getpid(),
		 ++marks);
	n = snprintf(line, sizeof(line), "%s\n", mark->text);
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/*
	 * One write() is one record. Not stdio: it seeks first, which
	 * /dev/kmsg refuses, and nothing would be written.
	 */
	if (write(fd, line, n) != n)
		err = -errno ?: -EIO;
	close(fd);
	return err;
}

unsigned int klog_count_since(const struct klog_mark *mark, const char *text)
{
	char line[1024];
	unsigned int found = 0;
	bool seen = false;
	FILE *f = popen("dmesg", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, mark->text)) {
			seen = true;
			found = 0;
		} else if (seen && strstr(line, text)) {
			found++;
		}
	}
	pclose(f);
	return found;
}

bool klog_since(const struct klog_mark *mark, const char *text)
{
	return klog_count_since(mark, text) > 0;
}
