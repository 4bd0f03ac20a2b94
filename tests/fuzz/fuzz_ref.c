/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_ref.c: the reference-number parser (reference.h) over arbitrary text, as typed by people
 * and as found in URLs. Invariants: what parses is canonical (16 characters, dashes at 4, 9 and
 * 14, the Crockford alphabet), parses again to itself, and one changed symbol never parses to
 * the same reference; references made from the input's bytes parse back to themselves.
 */
#include "idverify/reference.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char ref_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static void
ref_check_canonical(const char *r)
{
	IDV_ASSERT(strlen(r) == IDV_REF_LEN);
	for (size_t i = 0; i < IDV_REF_LEN; i++) {
		if (i == 4 || i == 9 || i == 14)
			IDV_ASSERT(r[i] == '-');
		else
			IDV_ASSERT(r[i] != '\0' && strchr(ref_alphabet, r[i]) != NULL);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[IDV_REF_LEN + 1], again[IDV_REF_LEN + 1];
	memset(out, 0x55, sizeof out);
	enum idv_err err = idv_ref_parse((const char *)data, size, out);
	IDV_ASSERT(err == IDV_OK || err == IDV_E_PARSE || err == IDV_E_CHECKSUM);
	if (err == IDV_OK) {
		ref_check_canonical(out);
		IDV_ASSERT(idv_ref_parse(out, strlen(out), again) == IDV_OK);
		IDV_ASSERT(strcmp(out, again) == 0);
		/* A different symbol somewhere (chosen by the input) is caught by the check. */
		size_t pos = size % IDV_REF_LEN;
		if (pos == 4 || pos == 9 || pos == 14)
			pos++;
		char bad[IDV_REF_LEN + 1];
		memcpy(bad, out, sizeof bad);
		bad[pos] = ref_alphabet[(strchr(ref_alphabet, out[pos]) - ref_alphabet + 1 +
					 (size % 31)) % 32];
		IDV_ASSERT(idv_ref_parse(bad, IDV_REF_LEN, again) == IDV_E_CHECKSUM);
	}
	if (size >= IDV_REF_RANDOM_BYTES) {
		char made[IDV_REF_LEN + 1];
		idv_ref_make(data, made);
		ref_check_canonical(made);
		IDV_ASSERT(idv_ref_parse(made, IDV_REF_LEN, again) == IDV_OK);
		IDV_ASSERT(strcmp(made, again) == 0);
	}
	return 0;
}
