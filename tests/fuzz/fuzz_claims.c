/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_claims.c: JSON request bodies down the claims path, as the service reads them: the body
 * parsed the way http.c parses it (jansson, duplicate keys refused), the claims object (the
 * body's "claims", or the body itself) through idv_claims_from_json (decision.h, what scoring
 * reads), and accepted claims through the business's row rules (idv_record_check_row, what
 * intake applies). Invariants: every output string is terminated within its array, the
 * correcting bits name known points, every refusal says why, and a refused row names a column.
 */
#include <jansson.h>

#include "decision.h"
#include "idverify/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_TODAY 20780 /* 2026-11-23, in days since 1970-01-01 */

#define TERMINATED(a) IDV_ASSERT(memchr((a), 0, sizeof(a)) != NULL)

static void
claims_set(struct idv_record_row *row, enum idv_record_col col, const char *v)
{
	row->v[col] = v;
	row->len[col] = strlen(v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024) /* IDV_LIMIT_JSON_BODY */
		return 0;
	json_error_t jerr;
	json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (body == NULL)
		return 0;
	json_t *c = json_is_object(body) && json_object_get(body, "claims") != NULL
			    ? json_object_get(body, "claims")
			    : body;
	struct idv_claims cl;
	char why[160];
	memset(why, 0x55, sizeof why);
	if (!idv_claims_from_json(c, &cl, why, sizeof why)) {
		TERMINATED(why);
		IDV_ASSERT(why[0] != '\0');
		goto out;
	}
	TERMINATED(cl.given_names);
	TERMINATED(cl.family_name);
	TERMINATED(cl.suffix);
	TERMINATED(cl.date_of_birth);
	TERMINATED(cl.email);
	TERMINATED(cl.phone);
	TERMINATED(cl.address.street);
	TERMINATED(cl.address.unit);
	TERMINATED(cl.address.city);
	TERMINATED(cl.address.state);
	TERMINATED(cl.address.postal_code);
	IDV_ASSERT(cl.correcting < (1u << IDV_PT__COUNT));

	struct idv_record_row row;
	memset(&row, 0, sizeof row);
	claims_set(&row, IDV_COL_ID, "claims");
	claims_set(&row, IDV_COL_GIVEN_NAME, cl.given_names[0] ? cl.given_names : "-");
	claims_set(&row, IDV_COL_FAMILY_NAME, cl.family_name[0] ? cl.family_name : "-");
	claims_set(&row, IDV_COL_SUFFIX, cl.suffix);
	claims_set(&row, IDV_COL_DATE_OF_BIRTH, cl.date_of_birth);
	claims_set(&row, IDV_COL_EMAIL, cl.email);
	claims_set(&row, IDV_COL_PHONE, cl.phone);
	claims_set(&row, IDV_COL_STREET, cl.address.street);
	claims_set(&row, IDV_COL_UNIT, cl.address.unit);
	claims_set(&row, IDV_COL_CITY, cl.address.city);
	claims_set(&row, IDV_COL_STATE, cl.address.state);
	claims_set(&row, IDV_COL_POSTAL_CODE, cl.address.postal_code);
	enum idv_record_col bad = IDV_COL__COUNT;
	char reason[160];
	memset(reason, 0x55, sizeof reason);
	if (idv_record_check_row(&row, FUZZ_TODAY, &bad, reason, sizeof reason) != IDV_OK) {
		TERMINATED(reason);
		IDV_ASSERT(bad < IDV_COL__COUNT);
	}
out:
	json_decref(body);
	return 0;
}
