/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_drp.c: DRP signed bodies. The input is used three ways: as a whole signed body (base64
 * text) through the validation order with a verifier that accepts every signature, as JSON
 * through the claim parser, and as an ISO 8601 time. Invariants: strings stay terminated,
 * counts stay bounded, the signed JSON lies inside the scratch buffer, base64 round-trips.
 */
#include "idverify/drp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
accept_all(void *arg, const uint8_t sig[64], const uint8_t *msg, size_t len)
{
	(void)arg;
	(void)sig;
	(void)msg;
	(void)len;
	return true;
}

static void
check_body(const struct idv_drp_body *b)
{
	IDV_ASSERT(memchr(b->agent_id, 0, sizeof b->agent_id) != NULL);
	IDV_ASSERT(memchr(b->name, 0, sizeof b->name) != NULL);
	IDV_ASSERT(memchr(b->address.street_address, 0, sizeof b->address.street_address) != NULL);
	IDV_ASSERT(memchr(b->status_callback, 0, sizeof b->status_callback) != NULL);
	IDV_ASSERT(b->nrelationships <= IDV_DRP_MAX_RELATIONSHIPS);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t scratch[IDV_B64_DECODED_MAX(70000)];
	static char enc[IDV_B64_ENCODED_LEN(70000) + 1];
	static uint8_t back[70000];
	struct idv_drp_body b;
	const uint8_t *json;
	size_t jlen, n;
	char why[160];
	if (size > 65536)
		return 0;
	struct idv_drp_expect exp = {(enum idv_drp_kind)(size % 3), "AA", "CB", "R1", 1735732800,
				     accept_all, NULL};
	enum idv_drp_step s = idv_drp_validate((const char *)data, size, &exp, scratch,
					       sizeof scratch, &b, &json, &jlen, why, sizeof why);
	IDV_ASSERT(memchr(why, 0, sizeof why) != NULL);
	if (s == IDV_DRP_OK) {
		IDV_ASSERT(json >= scratch && json + jlen <= scratch + sizeof scratch);
		check_body(&b);
	}
	if (idv_drp_parse(data, size, &b, why, sizeof why) == IDV_OK)
		check_body(&b);
	int64_t t;
	(void)idv_iso8601_parse((const char *)data, size, &t);
	/* base64 round trip of the raw input */
	IDV_ASSERT(idv_b64_encode(data, size, enc, sizeof enc) == IDV_OK);
	IDV_ASSERT(idv_b64_decode(enc, strlen(enc), back, sizeof back, &n) == IDV_OK);
	IDV_ASSERT(n == size && memcmp(back, data, size) == 0);
	return 0;
}
