/* SPDX-License-Identifier: Apache-2.0 */
/*
 * outboxseal.h: how an outbox body is sealed at rest (outboxseal.c), shared by the sender
 * (outbox.c) and the platforms' answers (platforms.c): AES-256-GCM under the "outbox" key
 * derived from the master key, bound to the destination URL.
 */
#ifndef IDVERIFY_OUTBOXSEAL_H
#define IDVERIFY_OUTBOXSEAL_H

#include "crypto.h"

/* A sealed outbox body that starts with this is an envelope: JSON {"headers": {name: value},
 * "body": "...", "sign": true|false, "auth": "transcend"} (platforms.c); any other body (a DRP
 * status) is sent as it is. */
#define IDV_OUTBOX_ENVELOPE "idverify-envelope/1\n"

enum idv_err idv_outbox_seal(const char *url, const void *p, size_t len, struct idv_buf *out);
enum idv_err idv_outbox_open(const char *url, const void *p, size_t len, struct idv_buf *out);

#endif
