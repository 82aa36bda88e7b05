/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clock: the time tests measure waits and deadlines in.
 */
#ifndef CLOCK_H
#define CLOCK_H

#include <stdbool.h>
#include <time.h>
#include <unistd.h>

/* Milliseconds of CLOCK_MONOTONIC. */
static inline long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Microseconds of CLOCK_MONOTONIC. */
static inline long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* Nanoseconds of CLOCK_MONOTONIC. */
static inline unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Seconds of CLOCK_MONOTONIC, to the nanosecond: for rates. */
static inline double now_seconds(void)
{
	return now_ns() / 1e9;
}

/* Evaluate cond every 20 ms until it holds or ms passed; its last value. */
#define WAIT_UNTIL(cond, ms) ({						\
	long long __end = now_ms() + (ms);				\
	bool __ok;							\
									\
	for (;;) {							\
		__ok = (cond);						\
		if (__ok || now_ms() > __end)				\
			break;						\
		usleep(20000);						\
	}								\
	__ok;								\
})

#endif /* CLOCK_H */
