/* SPDX-License-Identifier: Apache-2.0 */
/* extract_aamva.h: (private to extract.c) an AAMVA payload into a document. */
#ifndef IDVERIFY_EXTRACT_AAMVA_H
#define IDVERIFY_EXTRACT_AAMVA_H

#include "idverify/document.h"

/* IDV_OK with doc filled (fields source pdf417, checks); IDV_E_PARSE when not AAMVA. */
enum idv_err idv_extract_aamva(const uint8_t *p, size_t len, int64_t today_days,
			       struct idv_document *doc);

#endif
