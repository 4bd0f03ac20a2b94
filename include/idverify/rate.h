/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rate.h: token buckets for rate limits (RULES.md R9), in a fixed table. Pure: "now" is a
 * parameter (milliseconds of a monotonic clock) and the table is the caller's storage; the
 * caller serialises access (the HTTP server holds a mutex around idv_rate_take).
 *
 * A bucket per name (a client address, a credential) is refilled continuously at per_min
 * tokens a minute up to burst; each request takes one token. A bucket not found within
 * IDV_RATE_PROBES slots replaces the least recently used of them, so memory stays bounded
 * whatever the number of clients (a replaced client starts again with a full bucket).
 */
#ifndef IDVERIFY_RATE_H
#define IDVERIFY_RATE_H

#include "idverify/common.h"

#define IDV_RATE_SLOTS 4096
#define IDV_RATE_PROBES 8

struct idv_rate_slot {
	uint64_t key; /* 0: free */
	double tokens;
	int64_t last_ms;
};

/* All zero: empty. About 96 KiB: allocate it, do not put it on a stack. */
struct idv_rate_table {
	struct idv_rate_slot slots[IDV_RATE_SLOTS];
};

/* The bucket key of a name (FNV-1a, never 0). */
uint64_t idv_rate_key(const char *name);

/*
 * Take one token from the bucket named name at now_ms: 0 when allowed, else the whole seconds
 * to wait until a token is there (at least 1). per_min 0 never refills: the wait is then 60.
 * A clock that went backwards refills nothing.
 */
unsigned idv_rate_take(struct idv_rate_table *t, const char *name, unsigned per_min,
		       unsigned burst, int64_t now_ms);

#endif
