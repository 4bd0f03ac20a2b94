/* SPDX-License-Identifier: Apache-2.0 */
/*
 * outbox.h: the outbox sender thread of serve (outbox.c): delivers the status callbacks queued
 * in the store (an agent's status_callback, DRP.md) with retries and backoff, from start until
 * stop. public_url prefixes the links in the bodies it sends.
 */
#ifndef IDVERIFY_OUTBOX_H
#define IDVERIFY_OUTBOX_H

#include "casectx.h"

struct idv_outbox;

enum idv_err idv_outbox_start(struct idv_cases *cs, const char *public_url,
			      struct idv_outbox **out);
void idv_outbox_wake(struct idv_outbox *o);
/* Stop (waits for a delivery in progress) and free. NULL is a no-op. */
void idv_outbox_stop(struct idv_outbox *o);

#endif
