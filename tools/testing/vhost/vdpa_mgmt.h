/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vdpa_mgmt: create and remove vDPA devices with iproute2's vdpa tool, as
 * a user would, and find their vhost-vdpa character devices.
 */
#ifndef VDPA_MGMT_H
#define VDPA_MGMT_H

#include <stddef.h>

/* Run a command line made as printf() makes it: 0 when it exits with 0. */
int run_cmd(const char *fmt, ...);
/* vdpa dev add name NAME mgmtdev MGMTDEV; path gets /dev/vhost-vdpa-N. */
int vdpa_add(const char *name, const char *mgmtdev, char *path, size_t len);
int vdpa_del(const char *name);
/* Write value to the device's sysfs attribute; 0 or -errno of write(). */
int vdpa_set_attr(const char *name, const char *attr, const char *value);
/* Read its first line, without the newline, into buf; 0 or -1. */
int vdpa_get_attr_str(const char *name, const char *attr, char *buf,
		      size_t len);
/* Read it as a number; -1 on failure. */
long long vdpa_get_attr(const char *name, const char *attr);

#endif /* VDPA_MGMT_H */
