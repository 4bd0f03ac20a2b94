/* SPDX-License-Identifier: Apache-2.0 */
/*
 * aamva_invariants.h: what must hold for any output of idv_aamva_parse and
 * idv_aamva_to_document, whatever the input. Shared by tests/unit/test_aamva.c and
 * tests/fuzz/fuzz_aamva.c. Each function returns NULL when everything holds, else a short
 * description of the first broken invariant (no input data in it).
 */
#ifndef IDVERIFY_TEST_AAMVA_INVARIANTS_H
#define IDVERIFY_TEST_AAMVA_INVARIANTS_H

#include "idverify/aamva.h"
#include "idverify/str.h"

#define AAMVA_INV_STR(arr)                                                                         \
	do {                                                                                       \
		if (memchr((arr), '\0', sizeof(arr)) == NULL)                                      \
			return "unterminated " #arr;                                               \
	} while (0)

#define AAMVA_INV_DATE(arr)                                                                        \
	do {                                                                                       \
		struct idv_date d_;                                                                \
		AAMVA_INV_STR(arr);                                                                \
		if ((arr)[0] != '\0' && idv_date_parse((arr), strlen(arr), &d_) != IDV_OK)         \
			return "invalid date " #arr;                                               \
	} while (0)

static inline const char *
aamva_inv_check(const struct idv_aamva *a, enum idv_err err, size_t len)
{
	if (err != IDV_OK) {
		struct idv_aamva zero;
		memset(&zero, 0, sizeof zero);
		zero.jurisdiction_version = -1;
		if (memcmp(&zero, a, sizeof zero) != 0)
			return "output not cleared on error";
		return NULL;
	}
	AAMVA_INV_STR(a->file_type);
	AAMVA_INV_STR(a->iin);
	if (strlen(a->iin) != 6)
		return "iin not 6 digits";
	for (size_t i = 0; i < 6; i++)
		if (!idv_isdigit((unsigned char)a->iin[i]))
			return "iin not 6 digits";
	if (a->version < 0 || a->version > 99 || a->jurisdiction_version < -1 ||
	    a->jurisdiction_version > 99 || a->entries < 0 || a->entries > 99)
		return "header number out of range";
	AAMVA_INV_STR(a->jurisdiction);
	AAMVA_INV_STR(a->jurisdiction_country);
	if (a->nsubfiles > IDV_AAMVA_MAX_SUBFILES)
		return "nsubfiles over the maximum";
	for (size_t i = 0; i < a->nsubfiles; i++) {
		const struct idv_aamva_subfile *sf = &a->subfiles[i];
		AAMVA_INV_STR(sf->type);
		if (sf->found && (sf->start > sf->end || sf->end > len))
			return "subfile range outside the input";
		if (sf->offset > 9999 || sf->length > 9999)
			return "subfile offset or length over 4 digits";
	}
	if (a->nelements == 0 || a->nelements > IDV_AAMVA_MAX_ELEMENTS)
		return "nelements out of range";
	for (size_t i = 0; i < a->nelements; i++) {
		const struct idv_aamva_element *e = &a->elements[i];
		AAMVA_INV_STR(e->subfile);
		AAMVA_INV_STR(e->id);
		AAMVA_INV_STR(e->value);
		if (strlen(e->id) != 3)
			return "element id not 3 characters";
		for (size_t k = 0; e->value[k] != '\0'; k++)
			if ((unsigned char)e->value[k] < 0x20 || (unsigned char)e->value[k] >= 0x7F)
				return "control or non-ASCII byte in an element value";
	}
	AAMVA_INV_STR(a->family_name);
	AAMVA_INV_STR(a->given_name);
	AAMVA_INV_STR(a->middle_names);
	AAMVA_INV_STR(a->name_suffix);
	AAMVA_INV_DATE(a->date_of_birth);
	AAMVA_INV_DATE(a->expiry_date);
	AAMVA_INV_DATE(a->issue_date);
	AAMVA_INV_STR(a->eye_color);
	AAMVA_INV_STR(a->hair_color);
	AAMVA_INV_STR(a->document_number);
	AAMVA_INV_STR(a->street);
	AAMVA_INV_STR(a->street2);
	AAMVA_INV_STR(a->city);
	AAMVA_INV_STR(a->state);
	AAMVA_INV_STR(a->postal_code);
	AAMVA_INV_STR(a->country);
	if (a->sex != 0 && a->sex != 'M' && a->sex != 'F' && a->sex != 'X')
		return "sex not M, F, X or absent";
	const char flags[3] = {a->family_truncated, a->given_truncated, a->middle_truncated};
	for (size_t i = 0; i < 3; i++)
		if (flags[i] != 0 && flags[i] != 'T' && flags[i] != 'N' && flags[i] != 'U')
			return "truncation flag not T, N, U or absent";
	if (a->height_in < 0 || a->height_in > 9999 || a->height_cm < 0 || a->height_cm > 9999)
		return "height out of range";
	if (a->kind != IDV_DOC_UNKNOWN && a->kind != IDV_DOC_DRIVERS_LICENSE &&
	    a->kind != IDV_DOC_ID_CARD)
		return "kind not DL, ID or unknown";
	if (a->nwarnings > IDV_AAMVA_MAX_WARNINGS)
		return "nwarnings over the maximum";
	if (a->warning_mask >> IDV_AAMVA_W__COUNT)
		return "unknown warning bit";
	for (size_t i = 0; i < a->nwarnings; i++) {
		AAMVA_INV_STR(a->warnings[i]);
		bool known = false;
		for (unsigned w = 0; w < IDV_AAMVA_W__COUNT; w++) {
			const char *name = idv_aamva_warning_name((enum idv_aamva_warning)w);
			if (strcmp(a->warnings[i], name) == 0)
				known = (a->warning_mask >> w) & 1u;
		}
		if (!known)
			return "warning string not in the mask";
	}
	return NULL;
}

static inline const char *
aamva_inv_doc(const struct idv_document *doc)
{
	for (size_t i = 0; i < IDV_F__COUNT; i++) {
		const struct idv_field *f = &doc->fields[i];
		AAMVA_INV_STR(f->value);
		if (f->present && (f->source != IDV_SRC_PDF417 || f->value[0] == '\0'))
			return "field present without pdf417 source or value";
	}
	AAMVA_INV_DATE(doc->fields[IDV_F_DATE_OF_BIRTH].value);
	AAMVA_INV_DATE(doc->fields[IDV_F_EXPIRY_DATE].value);
	AAMVA_INV_DATE(doc->fields[IDV_F_ISSUE_DATE].value);
	if (doc->nchecks != 3)
		return "not exactly three checks";
	for (size_t i = 0; i < doc->nchecks; i++) {
		AAMVA_INV_STR(doc->checks[i].name);
		AAMVA_INV_STR(doc->checks[i].detail);
	}
	return NULL;
}

#endif
