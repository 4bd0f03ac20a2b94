/* SPDX-License-Identifier: Apache-2.0 */
/*
 * aamva.h: parse the AAMVA DL/ID card design standard payload of a PDF417 barcode
 * (versions 01-10; header, subfile directory, DL/ID subfiles, data elements).
 * Pure: bytes plus length in, a fixed-size struct out, no allocation.
 * (Contract written by the lead; the implementer may extend the struct, not rename.)
 */
#ifndef IDVERIFY_AAMVA_H
#define IDVERIFY_AAMVA_H

#include "idverify/document.h"

#define IDV_AAMVA_MAX_WARNINGS 8

struct idv_aamva; /* defined by the implementation below this line in the real header */

/*
 * Parse p[0..len). IDV_OK with *out filled (deviations from the standard that were tolerated are
 * listed as warnings); IDV_E_PARSE when it is not an AAMVA payload at all or is unusable.
 */
enum idv_err idv_aamva_parse(const uint8_t *p, size_t len, struct idv_aamva *out);

/*
 * Copy what was parsed into a document: kind (drivers_license or id_card), fields with source
 * pdf417, and the checks aamva_header, iin_matches_state and expired (against today_days,
 * days since 1970-01-01).
 */
void idv_aamva_to_document(const struct idv_aamva *a, int64_t today_days,
			   struct idv_document *doc);

#endif
