/* SPDX-License-Identifier: Apache-2.0 */
/* document.c: names and setters of struct idv_document (see document.h). */
#include <stdarg.h>

#include "idverify/document.h"
#include "idverify/str.h"

static const char *const doc_kind_names[IDV_DOC__COUNT] = {
	"unknown", "drivers_license", "id_card", "passport", "proof_of_residence",
};
IDV_NAME_LOOKUP_FN(idv_doc_kind, enum idv_doc_kind, doc_kind_names, IDV_DOC__COUNT, "unknown")

static const char *const doc_status_names[] = {"ok", "unreadable", "rejected"};
IDV_NAME_FN(idv_doc_status, enum idv_doc_status, doc_status_names, IDV_ARRAY_LEN(doc_status_names),
	    "unreadable")

static const char *const source_names[IDV_SRC__COUNT] = {
	"none", "form", "pdf417", "mrz", "ocr", "pdf_text", "barcode",
};
IDV_NAME_FN(idv_source, enum idv_source, source_names, IDV_SRC__COUNT, "none")

static const char *const field_names[IDV_F__COUNT] = {
	"family_name",
	"given_names",
	"name_suffix",
	"date_of_birth",
	"sex",
	"document_number",
	"issuing_authority",
	"nationality",
	"issue_date",
	"expiry_date",
	"street",
	"unit",
	"city",
	"state",
	"postal_code",
	"holder_name",
	"statement_date",
	"issuer",
};
IDV_NAME_LOOKUP_FN(idv_field, enum idv_field_id, field_names, IDV_F__COUNT, "unknown")

static const char *const check_result_names[] = {"not_applicable", "pass", "fail"};
IDV_NAME_FN(idv_check_result, enum idv_check_result, check_result_names,
	    IDV_ARRAY_LEN(check_result_names), "not_applicable")

static const char *const residence_names[IDV_RES__COUNT] = {
	"none",      "utility_bill", "mobile_phone_bill", "lease",
	"insurance", "property_tax", "bank_statement",    "other",
};
IDV_NAME_LOOKUP_FN(idv_residence_kind, enum idv_residence_kind, residence_names, IDV_RES__COUNT,
		   "other")

void
idv_document_init(struct idv_document *doc)
{
	memset(doc, 0, sizeof *doc);
	doc->status = IDV_DOCSTAT_OK;
	doc->err = IDV_OK;
	doc->kind = IDV_DOC_UNKNOWN;
}

void
idv_document_set(struct idv_document *doc, enum idv_field_id id, const char *value, size_t len,
		 enum idv_source src, float confidence, const struct idv_box *box)
{
	if (IDV_NEVER((unsigned)id >= IDV_F__COUNT))
		return;
	struct idv_field *f = &doc->fields[id];
	if (f->present && f->confidence >= confidence)
		return;
	if (len >= sizeof f->value)
		len = sizeof f->value - 1;
	memcpy(f->value, value, len);
	f->value[len] = '\0';
	f->present = true;
	f->source = src;
	f->confidence = confidence;
	if (box != NULL)
		f->box = *box;
	else
		memset(&f->box, 0, sizeof f->box);
}

void
idv_document_check(struct idv_document *doc, const char *name, enum idv_check_result r,
		   const char *detail_fmt, ...)
{
	struct idv_check *c = NULL;
	for (size_t i = 0; i < doc->nchecks; i++)
		if (strcmp(doc->checks[i].name, name) == 0)
			c = &doc->checks[i];
	if (c == NULL) {
		if (doc->nchecks >= IDV_DOC_MAX_CHECKS)
			return;
		c = &doc->checks[doc->nchecks++];
	}
	idv_strlcpy(c->name, name, sizeof c->name);
	c->result = r;
	va_list ap;
	va_start(ap, detail_fmt);
	idv_vwhy(c->detail, sizeof c->detail, detail_fmt, ap);
	va_end(ap);
}

const struct idv_check *
idv_document_find_check(const struct idv_document *doc, const char *name)
{
	for (size_t i = 0; i < doc->nchecks; i++)
		if (strcmp(doc->checks[i].name, name) == 0)
			return &doc->checks[i];
	return NULL;
}

void
idv_mask_number(const char *value, char *out, size_t outsz)
{
	if (outsz == 0)
		return;
	size_t len = strlen(value);
	if (len >= outsz)
		len = outsz - 1;
	size_t keep = len > 4 ? 4 : 0;
	for (size_t i = 0; i < len; i++)
		out[i] = i + keep >= len ? value[i] : '*';
	out[len] = '\0';
}
