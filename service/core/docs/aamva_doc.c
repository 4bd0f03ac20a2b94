/* SPDX-License-Identifier: Apache-2.0 */
/*
 * aamva_doc.c: an AAMVA parse as a document reading (idv_aamva_to_document, aamva.h): the
 * fields with their sources and confidences, and the checks (header, IIN against the state,
 * expiry against today, a parameter).
 */
#include "idverify/aamva_fields.h"
#include "idverify/str.h"

/* ---- document -------------------------------------------------------------------------- */

#define AAMVA_CONFIDENCE 0.99f

/* USPS Publication 28 secondary unit designators that take a number or letter after them. */
static const char *const aamva_units[] = {
	"APT",     "APARTMENT", "UNIT", "STE",  "SUITE", "BLDG", "BUILDING", "FL",
	"FLOOR",   "RM",        "ROOM", "DEPT", "LOT",   "SPC",  "SPACE",    "TRLR",
	"TRAILER", "HNGR",      "PIER", "SLIP", "STOP",  NULL,
};
/* Designators that stand alone, recognised only as the last word. */
static const char *const aamva_units_alone[] = {
	"BSMT", "FRNT", "LBBY", "LOWR", "OFC", "PH", "REAR", "UPPR", NULL,
};

static bool
aamva_word_in(const char *w, size_t n, const char *const *list)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (idv_str_ieq(w, n, list[i]))
			return true;
	return false;
}

/*
 * Where the unit starts in street s ("123 MAIN ST APT 4B" -> at "APT"), or n when there is
 * none. A designator must follow a house number and a street name (third word or later) and be
 * followed by exactly one word; "#12" and "# 12" count; a stand-alone designator must end it.
 */
static size_t
aamva_unit_at(const char *s, size_t n)
{
	size_t ws[16], we[16], nw = 0, i = 0;
	while (i < n && nw < 16) {
		while (i < n && s[i] == ' ')
			i++;
		if (i >= n)
			break;
		ws[nw] = i;
		while (i < n && s[i] != ' ')
			i++;
		we[nw++] = i;
	}
	if (i < n)
		return n; /* more than 16 words: leave it alone */
	for (size_t k = 2; k < nw; k++) {
		const char *w = s + ws[k];
		size_t wl = we[k] - ws[k];
		size_t after = nw - k - 1;
		if (w[0] == '#' && ((wl > 1 && after == 0) || (wl == 1 && after == 1)))
			return ws[k];
		if (aamva_word_in(w, wl, aamva_units) && after == 1)
			return ws[k];
		if (after == 0 && k >= 2 && aamva_word_in(w, wl, aamva_units_alone))
			return ws[k];
		/* "APT#4", "UNIT#3": designator glued to '#'. */
		const char *hash = memchr(w, '#', wl);
		if (hash != NULL && hash > w && after == 0 &&
		    aamva_word_in(w, (size_t)(hash - w), aamva_units))
			return ws[k];
	}
	return n;
}

static void
aamva_doc_set(struct idv_document *doc, enum idv_field_id id, const char *v)
{
	size_t n = strlen(v);
	if (n > 0)
		idv_document_set(doc, id, v, n, IDV_SRC_PDF417, AAMVA_CONFIDENCE, NULL);
}

static void
aamva_doc_header(const struct idv_aamva *a, struct idv_document *doc)
{
	char list[IDV_CHECK_DETAIL_MAX];
	size_t used = 0;
	bool card = false;
	list[0] = '\0';
	for (unsigned w = 0; w < IDV_AAMVA_W__COUNT; w++) {
		if (!(a->warning_mask & (1u << w)))
			continue;
		if (!idv_aamva_warning_is_capture((enum idv_aamva_warning)w) &&
		    !idv_aamva_warning_is_lenient((enum idv_aamva_warning)w))
			card = true;
		if (!idv_fmt_cat(list, sizeof list, &used, "%s%s", used ? "," : "",
				 idv_aamva_warning_name((enum idv_aamva_warning)w)))
			break;
	}
	idv_document_check(doc, "aamva_header", card ? IDV_CHECK_FAIL : IDV_CHECK_PASS,
			   "AAMVA version %02d, IIN %s; %s%s", a->version, a->iin,
			   used ? "deviations: " : "no deviations", list);
}

static void
aamva_doc_iin(const struct idv_aamva *a, struct idv_document *doc)
{
	const struct idv_aamva_jurisdiction *j = idv_aamva_iin_lookup(a->iin);
	if (j == NULL) {
		idv_document_check(doc, "iin_matches_state", IDV_CHECK_FAIL,
				   "IIN %s is not an AAMVA jurisdiction", a->iin);
	} else if (a->state[0] == '\0' || j->code[0] == '\0') {
		idv_document_check(doc, "iin_matches_state", IDV_CHECK_NA,
				   "IIN %s (%s): no address state to compare", a->iin, j->name);
	} else if (idv_aamva_iin_matches_state(a->iin, a->state, strlen(a->state))) {
		idv_document_check(doc, "iin_matches_state", IDV_CHECK_PASS,
				   "IIN %s (%s) matches the address state", a->iin, j->code);
	} else {
		idv_document_check(doc, "iin_matches_state", IDV_CHECK_FAIL,
				   "IIN %s (%s) differs from the address state", a->iin, j->code);
	}
}

static void
aamva_doc_expired(const struct idv_aamva *a, int64_t today_days, struct idv_document *doc)
{
	struct idv_date d;
	if (idv_date_parse(a->expiry_date, strlen(a->expiry_date), &d) != IDV_OK) {
		idv_document_check(doc, "expired", IDV_CHECK_NA, "no valid expiry date");
		return;
	}
	/* Valid through its expiry day. */
	if (idv_date_to_days(&d) >= today_days)
		idv_document_check(doc, "expired", IDV_CHECK_PASS,
				   "not expired: valid through the expiry date");
	else
		idv_document_check(doc, "expired", IDV_CHECK_FAIL,
				   "expired: the expiry date has passed");
}

void
idv_aamva_to_document(const struct idv_aamva *a, int64_t today_days, struct idv_document *doc)
{
	if (a->kind != IDV_DOC_UNKNOWN)
		doc->kind = a->kind;

	aamva_doc_set(doc, IDV_F_FAMILY_NAME, a->family_name);
	char given[IDV_FIELD_VALUE_MAX];
	int k = snprintf(given, sizeof given, "%s%s%s", a->given_name,
			 a->given_name[0] && a->middle_names[0] ? " " : "", a->middle_names);
	if (k < 0)
		given[0] = '\0';
	aamva_doc_set(doc, IDV_F_GIVEN_NAMES, given);
	aamva_doc_set(doc, IDV_F_NAME_SUFFIX, a->name_suffix);
	aamva_doc_set(doc, IDV_F_DATE_OF_BIRTH, a->date_of_birth);
	char sex[2] = {a->sex, '\0'};
	aamva_doc_set(doc, IDV_F_SEX, sex);
	aamva_doc_set(doc, IDV_F_DOCUMENT_NUMBER, a->document_number);
	aamva_doc_set(doc, IDV_F_ISSUING_AUTHORITY, a->jurisdiction);
	aamva_doc_set(doc, IDV_F_ISSUE_DATE, a->issue_date);
	aamva_doc_set(doc, IDV_F_EXPIRY_DATE, a->expiry_date);

	size_t n = strlen(a->street);
	size_t u = aamva_unit_at(a->street, n);
	if (u < n) {
		size_t sn = u;
		const char *s = aamva_trim(a->street, &sn, true);
		if (sn > 0)
			idv_document_set(doc, IDV_F_STREET, s, sn, IDV_SRC_PDF417, AAMVA_CONFIDENCE,
					 NULL);
		size_t un = n - u;
		const char *unit = aamva_trim(a->street + u, &un, true);
		if (un > 0)
			idv_document_set(doc, IDV_F_UNIT, unit, un, IDV_SRC_PDF417,
					 AAMVA_CONFIDENCE, NULL);
	} else {
		aamva_doc_set(doc, IDV_F_STREET, a->street);
		aamva_doc_set(doc, IDV_F_UNIT, a->street2);
	}
	aamva_doc_set(doc, IDV_F_CITY, a->city);
	aamva_doc_set(doc, IDV_F_STATE, a->state);
	aamva_doc_set(doc, IDV_F_POSTAL_CODE, a->postal_code);

	aamva_doc_header(a, doc);
	aamva_doc_iin(a, doc);
	aamva_doc_expired(a, today_days, doc);
}
