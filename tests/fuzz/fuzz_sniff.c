/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_sniff.c: the sniffer on arbitrary bytes; invariants on what it reports. */
#include "idverify/limits.h"
#include "idverify/sniff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idv_sniff s;
	enum idv_err err = idv_sniff(data, size, 0, 0, &s);
	IDV_ASSERT(memchr(s.detail, '\0', sizeof s.detail) != NULL);
	IDV_ASSERT(s.orientation >= 1 && s.orientation <= 8);
	if (err == IDV_OK) {
		IDV_ASSERT(s.format != IDV_FMT_UNKNOWN);
		if (s.format != IDV_FMT_PDF) {
			IDV_ASSERT(s.width > 0 && s.height > 0);
			IDV_ASSERT(s.width <= IDV_LIMIT_DIMENSION && s.height <= IDV_LIMIT_DIMENSION);
			IDV_ASSERT((uint64_t)s.width * s.height <= IDV_LIMIT_PIXELS);
		}
	} else {
		IDV_ASSERT(s.detail[0] != '\0');
	}
	(void)idv_sniff_exif_orientation(data, size);
	return 0;
}
