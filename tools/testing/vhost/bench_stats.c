// SPDX-License-Identifier: GPL-2.0
/*
 * bench_stats: what the back-ends' benchmarks share. See bench_stats.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_stats.h"
#include "stats.h"
#include "user_vq.h"

#define POLL_US_PARAM "/sys/module/virtio_backend/parameters/poll_us"

void bench_die(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	fprintf(stderr, "%s: ", program_invocation_short_name);
	vfprintf(stderr, fmt, args);
	fprintf(stderr, "\n");
	va_end(args);
	exit(1);
}

void bench_poll_setup(void)
{
	const char *env = getenv("VX_POLL_US");
	unsigned int us = env ? strtoul(env, NULL, 10) : 0;
	FILE *f = fopen(POLL_US_PARAM, "w");

	if (!f || fprintf(f, "%u\n", us) < 0 || fclose(f))
		bench_die("cannot write %s", POLL_US_PARAM);
	user_poll_us = us;
	printf("busy wait before sleeping, both back-ends: %u us\n", us);
}

/* The p-th percentile of n sorted samples, by nearest rank. */
static double percentile(const double *s, unsigned int n, unsigned int p)
{
	unsigned int rank = ((unsigned long long)n * p + 99) / 100;

	return s[rank ? rank - 1 : 0];
}

void bench_header(const char *vhost)
{
	printf("%-20s %14s %14s %16s\n", "", vhost, "userspace",
	       "vhost/userspace");
}

void bench_row(const char *what, double vhost, double user, int prec)
{
	printf("%-20s %14.*f %14.*f %16.3f\n", what, prec, vhost, prec, user,
	       vhost / user);
}

void bench_rtt_rows(double *vhost, unsigned int nvhost, double *user,
		    unsigned int nuser, unsigned int rounds)
{
	sort_values(vhost, nvhost);
	sort_values(user, nuser);
	bench_row("round trip p50 us", percentile(vhost, nvhost, 50),
		  percentile(user, nuser, 50), 1);
	bench_row("round trip p99 us", percentile(vhost, nvhost, 99),
		  percentile(user, nuser, 99), 1);
	printf("(%u and %u round trips, in %u rounds of each)\n", nvhost,
	       nuser, rounds);
}
