/* SPDX-License-Identifier: Apache-2.0 */
/* outboxseal.c: sealing outbox bodies at rest (outboxseal.h). */
#include "outboxseal.h"

static enum idv_err
outboxseal_run(const char *url, const void *p, size_t len, struct idv_buf *out, bool open)
{
	uint8_t key[IDV_KEY_LEN];
	struct idv_buf aad;
	enum idv_err err = idv_crypto_derive("outbox", key);
	if (err != IDV_OK)
		return err;
	idv_buf_init(&aad, 1024);
	idv_buf_printf(&aad, "idverify/outbox/%s", url);
	if (open)
		err = idv_crypto_open(key, aad.data, aad.len, p, len, out);
	else
		err = idv_crypto_seal(key, aad.data, aad.len, p, len, out);
	idv_buf_cleanup(&aad);
	idv_wipe(key, sizeof key);
	return err;
}

enum idv_err
idv_outbox_seal(const char *url, const void *p, size_t len, struct idv_buf *out)
{
	return outboxseal_run(url, p, len, out, false);
}

enum idv_err
idv_outbox_open(const char *url, const void *p, size_t len, struct idv_buf *out)
{
	return outboxseal_run(url, p, len, out, true);
}
