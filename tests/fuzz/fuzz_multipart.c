/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_multipart.c: the multipart/form-data reader over arbitrary bodies. Invariants: every
 * part lies inside the body, names are terminated, the part count is bounded. */
#include "idverify/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idv_multipart mp;
	struct idv_part part;
	if (idv_multipart_init(&mp, "multipart/form-data; boundary=XyZ", data, size) != IDV_OK)
		return 0;
	unsigned n = 0;
	while (idv_multipart_next(&mp, &part) == IDV_OK) {
		IDV_ASSERT(part.data >= data && part.data + part.len <= data + size);
		IDV_ASSERT(memchr(part.name, 0, sizeof part.name) != NULL);
		IDV_ASSERT(memchr(part.filename, 0, sizeof part.filename) != NULL);
		IDV_ASSERT(++n <= IDV_MULTIPART_MAX_PARTS);
	}
	return 0;
}
