/* SPDX-License-Identifier: Apache-2.0 */
/* extract_aamva.c: the AAMVA parser (aamva.h) behind extract_aamva.h. */
#include "idverify/aamva.h"
#include "extract_aamva.h"

enum idv_err
idv_extract_aamva(const uint8_t *p, size_t len, int64_t today_days, struct idv_document *doc)
{
	struct idv_aamva *a = idv_malloc(sizeof *a);
	enum idv_err err = idv_aamva_parse(p, len, a);
	if (err == IDV_OK)
		idv_aamva_to_document(a, today_days, doc);
	free(a);
	return err;
}
