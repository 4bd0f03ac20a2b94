/* SPDX-License-Identifier: Apache-2.0 */
/* docmerge.c: combining two readings of one document (docmerge.h). */
#include "idverify/docmerge.h"
#include "idverify/str.h"

int
idv_source_rank(enum idv_source src)
{
	switch (src) {
	case IDV_SRC_PDF417:
	case IDV_SRC_MRZ: return 4;
	case IDV_SRC_PDF_TEXT:
	case IDV_SRC_BARCODE: return 3;
	case IDV_SRC_OCR: return 2;
	case IDV_SRC_FORM: return 1;
	default: return 0;
	}
}

/* Upper-case letters and digits of s into out (at most outsz - 1), number confusions folded. */
static size_t
merge_norm(const char *s, char *out, size_t outsz, bool number, bool first_word)
{
	size_t n = 0;
	bool started = false;
	for (; *s != '\0' && n + 1 < outsz; s++) {
		int c = (unsigned char)*s;
		if (first_word && started && (idv_isspace(c) || c == ','))
			break;
		if (!idv_isalnum(c))
			continue;
		started = true;
		c = idv_toupper(c);
		if (number) {
			switch (c) {
			case 'O': c = '0'; break;
			case 'I':
			case 'L': c = '1'; break;
			case 'S': c = '5'; break;
			case 'B': c = '8'; break;
			case 'Z': c = '2'; break;
			default: break;
			}
		}
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return n;
}

/* Levenshtein distance capped at 2 (enough to tell 0, 1 or more). */
static int
merge_dist_le1(const char *a, size_t al, const char *b, size_t bl)
{
	if (al > bl + 1 || bl > al + 1)
		return 2;
	size_t i = 0;
	while (i < al && i < bl && a[i] == b[i])
		i++;
	if (i == al && i == bl)
		return 0;
	/* one substitution, insertion or deletion at i */
	if (al == bl)
		return strcmp(a + i + 1, b + i + 1) == 0 ? 1 : 2;
	if (al > bl)
		return strcmp(a + i + 1, b + i) == 0 ? 1 : 2;
	return strcmp(a + i, b + i + 1) == 0 ? 1 : 2;
}

bool
idv_field_values_agree(enum idv_field_id id, const char *a, const char *b)
{
	char x[IDV_FIELD_VALUE_MAX], y[IDV_FIELD_VALUE_MAX];
	bool number = id == IDV_F_DOCUMENT_NUMBER || id == IDV_F_POSTAL_CODE;
	bool first = id == IDV_F_GIVEN_NAMES;
	size_t xl = merge_norm(a, x, sizeof x, number, first);
	size_t yl = merge_norm(b, y, sizeof y, number, first);
	if (xl == 0 || yl == 0)
		return false;
	if (xl == yl && memcmp(x, y, xl) == 0)
		return true;
	bool name = id == IDV_F_FAMILY_NAME || id == IDV_F_GIVEN_NAMES || id == IDV_F_CITY ||
		    id == IDV_F_STREET;
	return name && xl >= 6 && yl >= 6 && merge_dist_le1(x, xl, y, yl) <= 1;
}

static void
merge_field(struct idv_field *dst, const struct idv_field *src)
{
	if (!src->present)
		return;
	if (!dst->present) {
		*dst = *src;
		return;
	}
	int rd = idv_source_rank(dst->source), rs = idv_source_rank(src->source);
	if (rs > rd || (rs == rd && src->confidence > dst->confidence))
		*dst = *src;
}

static const struct idv_field *
merge_pick(const struct idv_document *a, const struct idv_document *b, enum idv_field_id id,
	   enum idv_source src)
{
	if (a->fields[id].present && a->fields[id].source == src)
		return &a->fields[id];
	if (b->fields[id].present && b->fields[id].source == src)
		return &b->fields[id];
	return NULL;
}

void
idv_document_merge(const struct idv_document *a, const struct idv_document *b,
		   struct idv_document *out)
{
	idv_document_init(out);
	const struct idv_document *first = a->status == IDV_DOCSTAT_OK ||
							   b->status != IDV_DOCSTAT_OK
						   ? a
						   : b;
	out->status = first->status;
	out->err = first->err;
	idv_strlcpy(out->error_detail, first->error_detail, sizeof out->error_detail);
	out->kind = a->kind != IDV_DOC_UNKNOWN ? a->kind : b->kind;
	/* A barcode's word on the kind beats the printed header's. */
	for (size_t f = 0; f < 2; f++) {
		const struct idv_document *d = f == 0 ? a : b;
		if (d->kind != IDV_DOC_UNKNOWN && d->fields[IDV_F_FAMILY_NAME].present &&
		    d->fields[IDV_F_FAMILY_NAME].source == IDV_SRC_PDF417)
			out->kind = d->kind;
	}
	out->residence_kind = a->residence_kind != IDV_RES_NONE ? a->residence_kind
								: b->residence_kind;
	for (size_t f = 0; f < IDV_F__COUNT; f++) {
		merge_field(&out->fields[f], &a->fields[f]);
		merge_field(&out->fields[f], &b->fields[f]);
	}
	for (size_t i = 0; i < a->nchecks && out->nchecks < IDV_DOC_MAX_CHECKS; i++)
		out->checks[out->nchecks++] = a->checks[i];
	for (size_t i = 0; i < b->nchecks && out->nchecks < IDV_DOC_MAX_CHECKS; i++)
		if (idv_document_find_check(out, b->checks[i].name) == NULL)
			out->checks[out->nchecks++] = b->checks[i];
	for (size_t i = 0; i < a->nbarcodes && out->nbarcodes < IDV_DOC_MAX_BARCODES; i++)
		out->barcodes[out->nbarcodes++] = a->barcodes[i];
	for (size_t i = 0; i < b->nbarcodes && out->nbarcodes < IDV_DOC_MAX_BARCODES; i++)
		out->barcodes[out->nbarcodes++] = b->barcodes[i];
	out->mrz = a->mrz.present ? a->mrz : b->mrz;
	out->page_width = a->page_width ? a->page_width : b->page_width;
	out->page_height = a->page_width ? a->page_height : b->page_height;

	static const enum idv_field_id compared[] = {
		IDV_F_FAMILY_NAME, IDV_F_GIVEN_NAMES,     IDV_F_DATE_OF_BIRTH,
		IDV_F_EXPIRY_DATE, IDV_F_DOCUMENT_NUMBER,
	};
	char differ[IDV_CHECK_DETAIL_MAX] = "";
	size_t ncompared = 0, ndiffer = 0, dl = 0;
	for (size_t i = 0; i < IDV_ARRAY_LEN(compared); i++) {
		const struct idv_field *bc = merge_pick(a, b, compared[i], IDV_SRC_PDF417);
		const struct idv_field *pr = merge_pick(a, b, compared[i], IDV_SRC_OCR);
		if (bc == NULL || pr == NULL)
			continue;
		ncompared++;
		if (idv_field_values_agree(compared[i], bc->value, pr->value))
			continue;
		ndiffer++;
		(void)idv_fmt_cat(differ, sizeof differ, &dl, "%s%s", dl ? ", " : "",
				  idv_field_name(compared[i]));
	}
	if (ncompared == 0)
		return;
	if (ndiffer == 0)
		idv_document_check(out, "barcode_matches_printed", IDV_CHECK_PASS,
				   "%zu printed fields agree with the barcode", ncompared);
	else
		idv_document_check(out, "barcode_matches_printed", IDV_CHECK_FAIL,
				   "printed differs from the barcode: %s", differ);
}
