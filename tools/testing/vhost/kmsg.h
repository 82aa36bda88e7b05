/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kmsg: look for a line in the kernel log written after a point in time.
 */
#ifndef KMSG_H
#define KMSG_H

/* A reader positioned at the end of the log, or -errno. */
int kmsg_open(void);
/* Whether a record from there on contains text, waiting up to timeout_ms. */
int kmsg_has(int fd, const char *text, int timeout_ms);

#endif /* KMSG_H */
