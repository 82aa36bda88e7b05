/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clock: the time tests measure waits and deadlines in.
 */
#ifndef CLOCK_H
#define CLOCK_H

#include <time.h>

/* Milliseconds of CLOCK_MONOTONIC. */
static inline long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

#endif /* CLOCK_H */
