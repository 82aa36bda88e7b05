// SPDX-License-Identifier: GPL-2.0
/*
 * stats: what the benchmarks report of their rounds.
 */
#include <stdlib.h>

#include "stats.h"

static int compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), compare);
	return v[n / 2];
}
