/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the back-ends' benchmarks share: round-trip percentiles,
 * and their output, one line per figure with both sides and the ratio.
 */
#ifndef BENCH_STATS_H
#define BENCH_STATS_H

#include <stdnoreturn.h>

/* Say what went wrong, after the program's name, and exit with 1. */
noreturn void bench_die(const char *fmt, ...);
/*
 * Both back-ends wait busy for VX_POLL_US microseconds (from the
 * environment, 0 when unset) before they sleep: the in-kernel worker
 * through virtio_backend's poll_us, the userspace device through
 * user_poll_us. Says so on a line of its own.
 */
void bench_poll_setup(void);
/* The header of the figures' table: the in-kernel back-end's name. */
void bench_header(const char *vhost);
/* A figure of both back-ends, with prec decimals, and their ratio. */
void bench_row(const char *what, double vhost, double user, int prec);
/*
 * Both back-ends' round trips in microseconds, sorted here: the rows of
 * their median and 99th percentile, and how many there were in how many
 * rounds.
 */
void bench_rtt_rows(double *vhost, unsigned int nvhost, double *user,
		    unsigned int nuser, unsigned int rounds);

#endif /* BENCH_STATS_H */
