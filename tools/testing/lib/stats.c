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

void sort_values(double *v, int n)
{
	qsort(v, n, sizeof(*v), compare);
}

double median(double *v, int n)
{
	sort_values(v, n);
	return v[n / 2];
}
