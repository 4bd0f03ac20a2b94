/* SPDX-License-Identifier: Apache-2.0 */
/* record.c: columns and setters of struct idv_record (see record.h). */
#include "idverify/record.h"
#include "idverify/str.h"

const char *const idv_record_columns[IDV_COL__COUNT] = {
	"id", "given_name", "middle_name", "family_name", "suffix", "date_of_birth", "email",
	"phone", "street", "unit", "city", "state", "postal_code",
};

static const char *const point_names[IDV_PT__COUNT] = {
	"name", "date_of_birth", "address", "email", "phone",
};

static char *
record_field(struct idv_record *rec, enum idv_record_col col, size_t *size)
{
#define RECORD_F(f)                                                                                \
	do {                                                                                       \
		*size = sizeof(f);                                                                 \
		return (f);                                                                        \
	} while (0)
	switch (col) {
	case IDV_COL_ID: RECORD_F(rec->id);
	case IDV_COL_GIVEN_NAME: RECORD_F(rec->given_name);
	case IDV_COL_MIDDLE_NAME: RECORD_F(rec->middle_name);
	case IDV_COL_FAMILY_NAME: RECORD_F(rec->family_name);
	case IDV_COL_SUFFIX: RECORD_F(rec->suffix);
	case IDV_COL_DATE_OF_BIRTH: RECORD_F(rec->date_of_birth);
	case IDV_COL_EMAIL: RECORD_F(rec->email);
	case IDV_COL_PHONE: RECORD_F(rec->phone);
	case IDV_COL_STREET: RECORD_F(rec->address.street);
	case IDV_COL_UNIT: RECORD_F(rec->address.unit);
	case IDV_COL_CITY: RECORD_F(rec->address.city);
	case IDV_COL_STATE: RECORD_F(rec->address.state);
	case IDV_COL_POSTAL_CODE: RECORD_F(rec->address.postal_code);
	case IDV_COL__COUNT: break;
	}
#undef RECORD_F
	*size = 0;
	return NULL;
}

enum idv_err
idv_record_set(struct idv_record *rec, enum idv_record_col col, const char *value, size_t len)
{
	size_t size;
	char *f = record_field(rec, col, &size);
	if (f == NULL)
		return IDV_E_INVAL;
	idv_str_trim(&value, &len);
	if (len >= size)
		return IDV_E_TOOBIG;
	if (!idv_utf8_valid((const uint8_t *)value, len))
		return IDV_E_PARSE;
	memcpy(f, value, len);
	f[len] = '\0';
	return IDV_OK;
}

const char *
idv_record_get(const struct idv_record *rec, enum idv_record_col col)
{
	size_t size;
	return record_field((struct idv_record *)(uintptr_t)rec, col, &size);
}

enum idv_err
idv_record_validate(const struct idv_record *rec)
{
	if (rec->id[0] == '\0' || rec->family_name[0] == '\0')
		return IDV_E_INVAL;
	return IDV_OK;
}

enum idv_err
idv_record_header(const struct idv_csv_cell *cells, size_t ncells, int map[IDV_COL__COUNT])
{
	enum idv_err e = idv_csv_header_map(cells, ncells, idv_record_columns, IDV_COL__COUNT, map,
					    NULL);
	if (e != IDV_OK)
		return e;
	if (map[IDV_COL_ID] < 0 || map[IDV_COL_FAMILY_NAME] < 0)
		return IDV_E_INVAL;
	return IDV_OK;
}

enum idv_err
idv_record_from_row(const int map[IDV_COL__COUNT], const struct idv_csv_cell *cells,
		    size_t ncells, struct idv_record *out, enum idv_record_col *bad_col)
{
	memset(out, 0, sizeof *out);
	for (int c = 0; c < IDV_COL__COUNT; c++) {
		if (map[c] < 0 || (size_t)map[c] >= ncells)
			continue;
		const struct idv_csv_cell *cell = &cells[map[c]];
		enum idv_err e = idv_record_set(out, (enum idv_record_col)c, cell->p, cell->len);
		if (e != IDV_OK) {
			if (bad_col != NULL)
				*bad_col = (enum idv_record_col)c;
			return e;
		}
	}
	if (idv_record_validate(out) != IDV_OK) {
		if (bad_col != NULL)
			*bad_col = out->id[0] == '\0' ? IDV_COL_ID : IDV_COL_FAMILY_NAME;
		return IDV_E_INVAL;
	}
	return IDV_OK;
}

const char *
idv_point_name(enum idv_point pt)
{
	return (unsigned)pt < IDV_PT__COUNT ? point_names[pt] : "unknown";
}

enum idv_point
idv_point_lookup(const char *name, size_t len)
{
	for (unsigned i = 0; i < IDV_PT__COUNT; i++)
		if (strlen(point_names[i]) == len && memcmp(point_names[i], name, len) == 0)
			return (enum idv_point)i;
	return IDV_PT__COUNT;
}
