/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_aamva.c: libFuzzer target for idv_aamva_parse and idv_aamva_to_document.
 * Invariants (tests/support/aamva_invariants.h): the only errors are parse and too_big, and
 * then the output is cleared; every output string is NUL-terminated inside its array; dates
 * are valid YYYY-MM-DD or empty; counts within their arrays; subfile ranges inside the input;
 * the document built from it holds the same; parsing is deterministic.
 * Seeds: seeds/fuzz/aamva/ (synthetic payloads). Dictionary: tests/fuzz/aamva.dict.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idverify/aamva.h"

#include "../support/aamva_invariants.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz_aamva: invariant broken: %s\n", what);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct idv_aamva a, b;
	static struct idv_document doc;

	enum idv_err err = idv_aamva_parse(data, size, &a);
	if (err != IDV_OK && err != IDV_E_PARSE && err != IDV_E_TOOBIG)
		fuzz_fail("unexpected error code");
	const char *bad = aamva_inv_check(&a, err, size);
	if (bad != NULL)
		fuzz_fail(bad);
	if (err != IDV_OK)
		return 0;

	if (idv_aamva_parse(data, size, &b) != IDV_OK || memcmp(&a, &b, sizeof a) != 0)
		fuzz_fail("parse not deterministic");

	idv_document_init(&doc);
	idv_aamva_to_document(&a, 19875 /* 2024-06-01 */, &doc);
	bad = aamva_inv_doc(&doc);
	if (bad != NULL)
		fuzz_fail(bad);
	return 0;
}
