/* SPDX-License-Identifier: Apache-2.0 */
/* rate.c: token buckets in a fixed table (rate.h). */
#include "idverify/rate.h"

uint64_t
idv_rate_key(const char *name)
{
	uint64_t key = 1469598103934665603ull;
	for (const char *p = name; *p; p++)
		key = (key ^ (uint8_t)*p) * 1099511628211ull;
	return key == 0 ? 1 : key;
}

/* The slot of key: found within the probes, else the free or least recently used one there
 * (*fresh set). */
static struct idv_rate_slot *
rate_slot(struct idv_rate_table *t, uint64_t key, bool *fresh)
{
	struct idv_rate_slot *oldest = NULL;
	*fresh = false;
	for (unsigned i = 0; i < IDV_RATE_PROBES; i++) {
		struct idv_rate_slot *c = &t->slots[(key + i) % IDV_RATE_SLOTS];
		if (c->key == key)
			return c;
		if (oldest == NULL || c->key == 0 || (oldest->key != 0 && c->last_ms < oldest->last_ms))
			oldest = c;
	}
	*fresh = true;
	return oldest;
}

unsigned
idv_rate_take(struct idv_rate_table *t, const char *name, unsigned per_min, unsigned burst,
	      int64_t now_ms)
{
	uint64_t key = idv_rate_key(name);
	double rate = (double)per_min / 60000.0; /* tokens per millisecond */
	bool fresh;
	struct idv_rate_slot *slot = rate_slot(t, key, &fresh);
	if (fresh) {
		slot->key = key;
		slot->tokens = (double)burst;
		slot->last_ms = now_ms;
	}
	if (now_ms > slot->last_ms)
		slot->tokens += (double)(now_ms - slot->last_ms) * rate;
	if (slot->tokens > (double)burst)
		slot->tokens = (double)burst;
	slot->last_ms = now_ms;
	if (slot->tokens >= 1.0) {
		slot->tokens -= 1.0;
		return 0;
	}
	if (per_min == 0)
		return 60;
	double w = (1.0 - slot->tokens) / rate / 1000.0; /* seconds, > 0 */
	unsigned wait = (unsigned)w;
	if ((double)wait < w)
		wait++;
	return wait;
}
