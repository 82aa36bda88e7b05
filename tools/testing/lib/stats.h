/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stats: what the benchmarks report of their rounds.
 */
#ifndef STATS_H
#define STATS_H

/* Sort the n values at v in increasing order. */
void sort_values(double *v, int n);
/* The median of the n values at v, which it sorts. */
double median(double *v, int n);

#endif /* STATS_H */
