/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klog: marks in the kernel log, and the lines written after one, for tests
 * that check what a driver logged (or did not) while they ran.
 */
#ifndef KLOG_H
#define KLOG_H

#include <stdbool.h>

struct klog_mark {
	char text[80];
};

/* Write a new mark of who (unique in this boot) to the log; 0 or -errno. */
int klog_mark(struct klog_mark *mark, const char *who);

/* Whether a line containing text follows the mark in the kernel log. */
bool klog_since(const struct klog_mark *mark, const char *text);

/* How many lines containing text follow the mark in the kernel log. */
unsigned int klog_count_since(const struct klog_mark *mark, const char *text);

#endif /* KLOG_H */
