/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sysfs: the attribute and directory accesses the tests make.
 */
#ifndef SYSFS_H
#define SYSFS_H

#include <stdbool.h>
#include <stddef.h>

/* Write text to the attribute at path; 0 or -errno. */
int sysfs_write(const char *path, const char *text);

/* Read the attribute at path into buf, its final newline cut; 0 or -errno. */
int sysfs_read(const char *path, char *buf, size_t size);

/*
 * The name of the first entry of the directory at path, "." and ".."
 * aside, in name; whether there is one. For the one class device a
 * driver makes under its device (.../virtioN/misc/, .../virtioN/net/).
 */
bool sysfs_first_entry(const char *path, char *name, size_t size);

/* The same, among the entries whose names begin with prefix. */
bool sysfs_first_entry_prefixed(const char *path, const char *prefix, char *name,
				size_t size);

#endif /* SYSFS_H */
