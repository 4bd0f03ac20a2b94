/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lang.h: which of the languages the business speaks a consumer reads, from an HTTP
 * Accept-Language header (RFC 9110 12.5.4: language ranges with optional q weights).
 * Only primary subtags are compared ("es-MX" is "es"), case-insensitively; "*" matches the
 * first language offered; q=0 excludes; equal weights keep the header's order. Pure.
 */
#ifndef IDVERIFY_LANG_H
#define IDVERIFY_LANG_H

#include "idverify/common.h"

#define IDV_LANG_HEADER_MAX 512 /* a longer header is read up to this length */

/*
 * The index into offered[0..n) of the language header prefers, or -1 when it names none of
 * them (or is NULL or empty). offered are lower-case primary subtags ("en", "es").
 */
int idv_lang_pick(const char *header, const char *const *offered, size_t n);

#endif
