/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sweeper.h: the sweeper thread of serve: idv_sweep (cases.h) every cfg->sweep_interval_s
 * seconds, from start until stop. `idverify sweep` runs the same sweep once, for cron.
 */
#ifndef IDVERIFY_SWEEPER_H
#define IDVERIFY_SWEEPER_H

#include "cases.h"

struct idv_sweeper;

/* Start sweeping cs (which must outlive the sweeper); NULL when the thread cannot start. */
struct idv_sweeper *idv_sweeper_start(struct idv_cases *cs);
/* Stop and free (waits for a sweep in progress). NULL is a no-op. */
void idv_sweeper_stop(struct idv_sweeper *sw);

#endif
