// SPDX-License-Identifier: GPL-2.0
/*
 * vdpa_mgmt: vDPA devices through the vdpa tool and sysfs. See vdpa_mgmt.h.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vdpa_mgmt.h"

int run_cmd(const char *fmt, ...)
{
	char cmd[512];
	va_list args;

	va_start(args, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, args);
	va_end(args);
	return system(cmd) == 0 ? 0 : -EIO;
}

/* The vhost-vdpa node appears when vhost_vdpa binds: wait a little. */
static int vhost_path(const char *name, char *path, size_t len)
{
	char dir[128];
	int tries;

	snprintf(dir, sizeof(dir), "/sys/bus/vdpa/devices/%s", name);
	for (tries = 0; tries < 200; tries++) {
		DIR *d = opendir(dir);
		struct dirent *e;

		while (d && (e = readdir(d))) {
			if (strncmp(e->d_name, "vhost-vdpa-", 11))
				continue;
			snprintf(path, len, "/dev/%s", e->d_name);
			closedir(d);
			if (access(path, R_OK | W_OK) == 0)
				return 0;
			d = NULL;
		}
		if (d)
			closedir(d);
		usleep(10000);
	}
	return -ENOENT;
}

int vdpa_add(const char *name, const char *mgmtdev, char *path, size_t len)
{
	int ret = run_cmd("vdpa dev add name %s mgmtdev %s", name, mgmtdev);

	if (ret || !path)
		return ret;
	ret = vhost_path(name, path, len);
	if (ret)
		vdpa_del(name);
	return ret;
}

int vdpa_del(const char *name)
{
	return run_cmd("vdpa dev del %s", name);
}

int vdpa_set_attr(const char *name, const char *attr, const char *value)
{
	char path[160];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/sys/bus/vdpa/devices/%s/%s", name, attr);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, value, strlen(value)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

int vdpa_get_attr_str(const char *name, const char *attr, char *buf,
		      size_t len)
{
	char path[160];
	int ret = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/vdpa/devices/%s/%s", name, attr);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (len && fgets(buf, len, f)) {
		buf[strcspn(buf, "\n")] = '\0';
		ret = 0;
	}
	fclose(f);
	return ret;
}

long long vdpa_get_attr(const char *name, const char *attr)
{
	char buf[32], *end;
	long long v;

	if (vdpa_get_attr_str(name, attr, buf, sizeof(buf)))
		return -1;
	v = strtoll(buf, &end, 10);
	return end == buf ? -1 : v;
}
