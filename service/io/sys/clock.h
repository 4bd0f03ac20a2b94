/* SPDX-License-Identifier: Apache-2.0 */
/*
 * clock.h: the monotonic clock in milliseconds, for timeouts, caches and durations; never for
 * dates (those take time(NULL) and go into the core as a parameter).
 */
#ifndef IDVERIFY_CLOCK_H
#define IDVERIFY_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline int64_t
idv_monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif
