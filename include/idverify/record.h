/* SPDX-License-Identifier: Apache-2.0 */
/*
 * record.h: one of the business's existing customer records (struct idv_record) and what a
 * requester claims about themselves (struct idv_claims). Pure data with fixed-size,
 * NUL-terminated fields; no allocation.
 *
 * The records CSV has the header
 *   id,given_name,middle_name,family_name,suffix,date_of_birth,email,phone,street,unit,city,
 *   state,postal_code
 * (columns in any order, extra columns ignored). idv_record_columns lists those names in the
 * order of enum idv_record_col; idv_record_set() stores one value, refusing one that does not
 * fit or is not valid UTF-8 (the importer reports the line).
 */
#ifndef IDVERIFY_RECORD_H
#define IDVERIFY_RECORD_H

#include "idverify/common.h"
#include "idverify/csv.h"

enum idv_record_col {
	IDV_COL_ID = 0,
	IDV_COL_GIVEN_NAME,
	IDV_COL_MIDDLE_NAME,
	IDV_COL_FAMILY_NAME,
	IDV_COL_SUFFIX,
	IDV_COL_DATE_OF_BIRTH,
	IDV_COL_EMAIL,
	IDV_COL_PHONE,
	IDV_COL_STREET,
	IDV_COL_UNIT,
	IDV_COL_CITY,
	IDV_COL_STATE,
	IDV_COL_POSTAL_CODE,
	IDV_COL__COUNT
};

extern const char *const idv_record_columns[IDV_COL__COUNT];

/* A postal address as typed or stored (not normalised). */
struct idv_address_in {
	char street[128];
	char unit[32];
	char city[64];
	char state[32];
	char postal_code[16];
};

struct idv_record {
	char id[64];
	char given_name[64];
	char middle_name[64];
	char family_name[64];
	char suffix[16];
	char date_of_birth[16];
	char email[128];
	char phone[32];
	struct idv_address_in address;
};

/*
 * Store value[0..len) (trimmed of ASCII white space) into column col of rec. IDV_E_TOOBIG when
 * it does not fit, IDV_E_PARSE when it is not valid UTF-8 (or holds a NUL), IDV_E_INVAL for a
 * bad column. The id must be non-empty (checked by idv_record_validate).
 */
enum idv_err idv_record_set(struct idv_record *rec, enum idv_record_col col, const char *value,
			    size_t len);

/* The field of column col (for printing and tests). NULL for a bad column. */
const char *idv_record_get(const struct idv_record *rec, enum idv_record_col col);

/* IDV_E_INVAL when the record has no id or no family name. */
enum idv_err idv_record_validate(const struct idv_record *rec);

/*
 * Map a records CSV header row to columns (any order, case-insensitive, extra columns
 * ignored): map[col] is the cell index or -1. IDV_E_INVAL when the id or family_name column is
 * missing, IDV_E_CONFLICT when a column appears twice.
 */
enum idv_err idv_record_header(const struct idv_csv_cell *cells, size_t ncells,
			       int map[IDV_COL__COUNT]);

/*
 * Fill a record from one data row with a header map. A row with a different number of cells
 * than the header had is the caller's to refuse; cells missing here leave fields empty.
 * Errors as idv_record_set, plus idv_record_validate; *bad_col names the column at fault.
 */
enum idv_err idv_record_from_row(const int map[IDV_COL__COUNT], const struct idv_csv_cell *cells,
				 size_t ncells, struct idv_record *out, enum idv_record_col *bad_col);

/*
 * One row of values as read (CSV cells, JSON strings, typed claims) before it becomes a
 * struct idv_record: each value points at caller storage, not necessarily NUL-terminated.
 */
#define IDV_RECORD_ID_MAX 64
#define IDV_RECORD_VALUE_MAX 200

struct idv_record_row {
	const char *v[IDV_COL__COUNT];
	size_t len[IDV_COL__COUNT];
};

/*
 * The business's rules for one row (shared by `records import`, POST /v1/records and typed
 * claims): id, given_name and family_name present; id of letters, digits, '-', '_', '.';
 * valid UTF-8 without control characters; a real date of birth between 1900 and today
 * (days since 1970-01-01); an e-mail address; 10 to 15 phone digits; a US state code; a ZIP.
 * On failure returns IDV_E_INVAL, names the column in *bad_col and writes the rule broken
 * (never the value) into why.
 */
enum idv_err idv_record_check_row(const struct idv_record_row *row, int64_t today_days,
				  enum idv_record_col *bad_col, char *why, size_t whysz);

/* The data points a requester can offer and a model can count (score.h). */
enum idv_point {
	IDV_PT_NAME = 0,
	IDV_PT_DOB,
	IDV_PT_ADDRESS,
	IDV_PT_EMAIL,
	IDV_PT_PHONE,
	IDV_PT_CONTACT_CODE, /* a one-time code sent to the record's own e-mail or phone came back */
	IDV_PT__COUNT
};
/* "name", "date_of_birth", "address", "email", "phone", "contact_code". */
const char *idv_point_name(enum idv_point pt);
/* Inverse of idv_point_name; IDV_PT__COUNT when unknown. */
enum idv_point idv_point_lookup(const char *name, size_t len);

struct idv_claims {
	char given_names[128]; /* given and middle names, space separated */
	char family_name[64];
	char suffix[16];
	char date_of_birth[16];
	char email[128];
	char phone[32];
	struct idv_address_in address;
	unsigned correcting; /* bit (1u << enum idv_point): fields a correct request changes (R11) */
	/* Not typed: the id of the record whose e-mail or phone on file received a code that
	 * came back (codes.h); "" when none. Only that record's contact_code point matches. */
	char contact_record[64];
};

#endif
