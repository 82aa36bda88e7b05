// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs: the attribute and directory accesses the tests make. See sysfs.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sysfs.h"

int sysfs_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	close(fd);
	return n < 0 ? -errno : 0;
}

int sysfs_read(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = 0;
	return 0;
}

bool sysfs_first_entry(const char *path, char *name, size_t size)
{
	return sysfs_first_entry_prefixed(path, "", name, size);
}

bool sysfs_first_entry_prefixed(const char *path, const char *prefix, char *name,
				size_t size)
{
	DIR *dir = opendir(path);
	bool found = false;
	struct dirent *d;

	while (dir && !found && (d = readdir(dir))) {
		found = d->d_name[0] != '.' &&
			!strncmp(d->d_name, prefix, strlen(prefix));
		if (found)
			snprintf(name, size, "%s", d->d_name);
	}
	if (dir)
		closedir(dir);
	return found;
}
