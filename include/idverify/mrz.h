/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mrz.h: ICAO 9303 machine-readable zones: TD1 (3x30), TD2 (2x36), TD3 (2x44), MRV-A (2x44),
 * MRV-B (2x36). Parsing, check digits (7-3-1) and composite, OCR-confusion repair proven by the
 * check digits. Pure: text plus length in, a fixed-size struct out, no allocation.
 * (Contract written by the lead; the implementer may extend the struct, not rename.)
 */
#ifndef IDVERIFY_MRZ_H
#define IDVERIFY_MRZ_H

#include "idverify/document.h"

struct idv_mrz; /* defined by the implementation in the real header */

/* Parse lines separated by LF or CRLF (blank lines and surrounding spaces ignored). */
enum idv_err idv_mrz_parse(const char *text, size_t len, struct idv_mrz *out);

/*
 * Repair OCR confusions (0/O, 1/I, 5/S, 8/B, 2/Z, <) only where check digits prove the repair;
 * keeps the raw lines. A repaired MRZ whose check digits still fail is reported as failing.
 */
enum idv_err idv_mrz_repair(struct idv_mrz *mrz);

/* Fields (source mrz) and checks (mrz_check_digits, expired) into a document; two-digit years
 * resolved against today_days (birth in the past, expiry in the near future). */
void idv_mrz_to_document(const struct idv_mrz *m, int64_t today_days, struct idv_document *doc);

#endif
