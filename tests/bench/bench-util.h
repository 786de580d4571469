/*
 * bench-util.h - small helpers the bench programs share (included by
 * tests/bench/bench-*.c; not a program itself): a monotonic clock in
 * milliseconds, a qsort comparator for doubles, a nearest-rank percentile.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <time.h>

/* CLOCK_MONOTONIC in ms (python's time.monotonic() is the same clock). */
static inline double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* qsort order of doubles, ascending. */
static inline int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Percentile P (0-100) of N sorted values, nearest rank. */
static inline double
pct(const double *v, int n, double p)
{
	int i = (int)(p / 100.0 * n + 0.999999) - 1;

	return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

#endif
