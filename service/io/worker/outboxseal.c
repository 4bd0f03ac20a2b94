/* SPDX-License-Identifier: Apache-2.0 */
/* outboxseal.c: sealing outbox bodies at rest (outboxseal.h). */
#include "outboxseal.h"

enum idv_err
idv_outbox_seal(const char *url, const void *p, size_t len, struct idv_buf *out)
{
	return idv_crypto_derived(false, "outbox", p, len, out, "idverify/outbox/%s", url);
}

enum idv_err
idv_outbox_open(const char *url, const void *p, size_t len, struct idv_buf *out)
{
	return idv_crypto_derived(true, "outbox", p, len, out, "idverify/outbox/%s", url);
}
