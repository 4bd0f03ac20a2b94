/* SPDX-License-Identifier: Apache-2.0 */
/*
 * aamva_fields.h: private to the AAMVA parser (aamva.c, aamva_fields.c, aamva_doc.c); not a
 * contract for other callers. The helpers the parser's files share, and the typed-field step.
 */
#ifndef IDVERIFY_AAMVA_FIELDS_H
#define IDVERIFY_AAMVA_FIELDS_H

#include "idverify/aamva.h"

/* Record warning w on a once (a->warnings keeps at most IDV_AAMVA_MAX_WARNINGS names). */
void aamva_warn(struct idv_aamva *a, enum idv_aamva_warning w);
/* Trim spaces (and, for names and addresses, trailing commas) of s[0..*n); returns the start. */
const char *aamva_trim(const char *s, size_t *n, bool commas);
/* Copy s[0..n) into dst (size dstsz >= 1), truncating; false when it was truncated. */
bool aamva_copy(char *dst, size_t dstsz, const char *s, size_t n);
/* "NONE", "NMN" or "UNK", any case: a field deliberately left empty. */
bool aamva_is_none(const char *s, size_t n);

/* Fill a's typed fields (names, dates, address, ...) from the located subfile's elements. */
void aamva_typed(struct idv_aamva *a);

#endif
