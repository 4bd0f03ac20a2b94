/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stagetime.c: nested stage timers of one thread (stagetime.h). A stack of the stages entered:
 * entering a stage charges the time so far to the one below it, leaving one charges its own
 * time and restarts the clock of the one below.
 */
#include <time.h>

#include "idverify/common.h"
#include "stagetime.h"

struct st_open {
	size_t slot;
	uint64_t cpu0, wall0;
};

static _Thread_local struct idv_stagetime st_slots[IDV_STAGETIME_MAX];
static _Thread_local size_t st_nslots;
static _Thread_local struct st_open st_stack[IDV_STAGETIME_DEPTH];
static _Thread_local size_t st_depth, st_lost; /* st_lost: begins past the depth, not stacked */

static uint64_t
st_now(clockid_t clk)
{
	struct timespec ts;
	if (clock_gettime(clk, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
st_charge(struct st_open *o, uint64_t cpu, uint64_t wall)
{
	st_slots[o->slot].cpu_ns += cpu - o->cpu0;
	st_slots[o->slot].wall_ns += wall - o->wall0;
	o->cpu0 = cpu;
	o->wall0 = wall;
}

void
idv_stagetime_reset(void)
{
	memset(st_slots, 0, sizeof st_slots);
	st_nslots = 0;
	st_depth = 0;
	st_lost = 0;
}

void
idv_stagetime_begin(const char *name)
{
	size_t slot = 0;
	while (slot < st_nslots && strcmp(st_slots[slot].name, name) != 0)
		slot++;
	if (st_depth == IDV_STAGETIME_DEPTH || (slot == st_nslots && slot == IDV_STAGETIME_MAX)) {
		st_lost++; /* counted in the stage below */
		return;
	}
	if (slot == st_nslots) {
		idv_strlcpy(st_slots[slot].name, name, sizeof st_slots[slot].name);
		st_nslots++;
	}
	uint64_t cpu = st_now(CLOCK_THREAD_CPUTIME_ID), wall = st_now(CLOCK_MONOTONIC);
	if (st_depth > 0)
		st_charge(&st_stack[st_depth - 1], cpu, wall);
	st_stack[st_depth++] = (struct st_open){slot, cpu, wall};
	st_slots[slot].calls++;
}

void
idv_stagetime_end(void)
{
	if (st_lost > 0) {
		st_lost--;
		return;
	}
	if (st_depth == 0)
		return;
	uint64_t cpu = st_now(CLOCK_THREAD_CPUTIME_ID), wall = st_now(CLOCK_MONOTONIC);
	st_charge(&st_stack[--st_depth], cpu, wall);
	if (st_depth > 0) {
		st_stack[st_depth - 1].cpu0 = cpu;
		st_stack[st_depth - 1].wall0 = wall;
	}
}

size_t
idv_stagetime_get(const struct idv_stagetime **out)
{
	*out = st_slots;
	return st_nslots;
}
