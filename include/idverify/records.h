/* SPDX-License-Identifier: Apache-2.0 */
/*
 * records.h: the columns of the business's existing customer records and the validation of one
 * row, shared by `idverify records import FILE.csv` and `POST /v1/records`. Pure.
 *
 * Columns: id, given_name, middle_name, family_name, suffix, date_of_birth (YYYY-MM-DD), email,
 * phone, street, unit, city, state, postal_code. id, given_name and family_name are required;
 * every other value may be empty.
 */
#ifndef IDVERIFY_RECORDS_H
#define IDVERIFY_RECORDS_H

#include "idverify/common.h"

enum idv_rec_col {
	IDV_REC_ID = 0,
	IDV_REC_GIVEN_NAME,
	IDV_REC_MIDDLE_NAME,
	IDV_REC_FAMILY_NAME,
	IDV_REC_SUFFIX,
	IDV_REC_DATE_OF_BIRTH,
	IDV_REC_EMAIL,
	IDV_REC_PHONE,
	IDV_REC_STREET,
	IDV_REC_UNIT,
	IDV_REC_CITY,
	IDV_REC_STATE,
	IDV_REC_POSTAL_CODE,
	IDV_REC__COUNT
};

/* Column names in the order above. */
extern const char *const idv_rec_col_names[IDV_REC__COUNT];

#define IDV_REC_ID_MAX 64
#define IDV_REC_VALUE_MAX 200

/* One row: each value points at caller storage (not necessarily NUL-terminated). */
struct idv_rec_row {
	const char *v[IDV_REC__COUNT];
	size_t len[IDV_REC__COUNT];
};

/*
 * Validate a row against today (days since 1970-01-01, for the date of birth). On failure
 * returns IDV_E_INVAL, sets *bad_col and writes a reason (never the value itself) into why.
 */
enum idv_err idv_rec_validate(const struct idv_rec_row *row, int64_t today_days,
			      enum idv_rec_col *bad_col, char *why, size_t whysz);

#endif
