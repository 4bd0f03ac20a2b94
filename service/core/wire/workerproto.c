/* SPDX-License-Identifier: Apache-2.0 */
/*
 * workerproto.c: frames between serve and its document workers (workerproto.h). The result
 * check reads booleans and enums through their bytes, never as bool or enum values, because a
 * compromised worker can send any bit pattern and loading an invalid bool is undefined.
 */
#include "idverify/workerproto.h"

void
idv_wp_request_init(struct idv_wp_request *r, int hint, int64_t today_days, uint64_t max_pixels,
		    uint64_t len)
{
	memset(r, 0, sizeof *r);
	r->magic = IDV_WP_MAGIC_REQUEST;
	r->version = IDV_WP_VERSION;
	r->hint = hint;
	r->today_days = today_days;
	r->max_pixels = max_pixels;
	r->len = len;
}

enum idv_err
idv_wp_request_check(const struct idv_wp_request *r, uint64_t max_len)
{
	if (r->magic != IDV_WP_MAGIC_REQUEST || r->version != IDV_WP_VERSION || r->hint < 0 ||
	    r->hint > 16)
		return IDV_E_PARSE;
	if (r->len > max_len)
		return IDV_E_TOOBIG;
	return IDV_OK;
}

void
idv_wp_result_init(struct idv_wp_result *r, enum idv_wp_outcome outcome, enum idv_err err,
		   const struct idv_document *doc)
{
	memset(r, 0, sizeof *r);
	r->magic = IDV_WP_MAGIC_RESULT;
	r->version = IDV_WP_VERSION;
	r->outcome = (uint32_t)outcome;
	r->err = (int32_t)err;
	r->doc_size = (uint32_t)sizeof r->doc;
	if (doc != NULL)
		memcpy(&r->doc, doc, sizeof r->doc);
	else
		idv_document_init(&r->doc);
}

/* An int-sized enum's value, read as bytes. */
static bool
wp_enum_ok(const void *p, int max_exclusive)
{
	int v;
	memcpy(&v, p, sizeof v);
	return v >= 0 && v < max_exclusive;
}

static bool
wp_bool_ok(const void *p)
{
	unsigned char v;
	memcpy(&v, p, 1);
	return v <= 1;
}

static bool
wp_str_ok(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

static bool
wp_box_ok(const struct idv_box *b)
{
	return b->x >= 0 && b->y >= 0 && b->w >= 0 && b->h >= 0;
}

enum idv_err
idv_wp_document_check(const struct idv_document *d)
{
	_Static_assert(sizeof(enum idv_doc_status) == sizeof(int), "enums are int-sized");
	_Static_assert(sizeof(bool) == 1, "bool is one byte");
	if (!wp_enum_ok(&d->status, IDV_DOCSTAT_REJECTED + 1) || !wp_enum_ok(&d->err, IDV_E__COUNT) ||
	    !wp_str_ok(d->error_detail, sizeof d->error_detail) ||
	    !wp_enum_ok(&d->kind, IDV_DOC__COUNT) ||
	    !wp_enum_ok(&d->residence_kind, IDV_RES__COUNT))
		return IDV_E_PARSE;
	for (size_t i = 0; i < IDV_F__COUNT; i++) {
		const struct idv_field *f = &d->fields[i];
		if (!wp_bool_ok(&f->present) || !wp_str_ok(f->value, sizeof f->value) ||
		    !wp_enum_ok(&f->source, IDV_SRC__COUNT) ||
		    !(f->confidence >= 0.0f && f->confidence <= 1.0f) || !wp_box_ok(&f->box))
			return IDV_E_PARSE;
	}
	if (d->nchecks > IDV_DOC_MAX_CHECKS)
		return IDV_E_PARSE;
	for (size_t i = 0; i < d->nchecks; i++) {
		const struct idv_check *c = &d->checks[i];
		if (!wp_str_ok(c->name, sizeof c->name) || !wp_enum_ok(&c->result, IDV_CHECK_FAIL + 1) ||
		    !wp_str_ok(c->detail, sizeof c->detail))
			return IDV_E_PARSE;
	}
	if (d->nbarcodes > IDV_DOC_MAX_BARCODES)
		return IDV_E_PARSE;
	for (size_t i = 0; i < d->nbarcodes; i++)
		if (!wp_str_ok(d->barcodes[i].format, sizeof d->barcodes[i].format) ||
		    d->barcodes[i].length > (size_t)1 << 24)
			return IDV_E_PARSE;
	const struct idv_mrz_info *m = &d->mrz;
	if (!wp_bool_ok(&m->present) || !wp_bool_ok(&m->check_digits_valid) ||
	    !wp_bool_ok(&m->repaired) || !wp_str_ok(m->format, sizeof m->format) ||
	    m->nlines > IDV_MRZ_MAX_LINES)
		return IDV_E_PARSE;
	for (size_t i = 0; i < IDV_MRZ_MAX_LINES; i++)
		if (!wp_str_ok(m->lines[i], sizeof m->lines[i]) ||
		    !wp_str_ok(m->raw_lines[i], sizeof m->raw_lines[i]))
			return IDV_E_PARSE;
	if (d->page_width < 0 || d->page_height < 0 || d->page_turns < 0 || d->page_turns > 3)
		return IDV_E_PARSE;
	return IDV_OK;
}

enum idv_err
idv_wp_result_check(const struct idv_wp_result *r)
{
	if (r->magic != IDV_WP_MAGIC_RESULT || r->version != IDV_WP_VERSION ||
	    r->doc_size != sizeof r->doc || r->outcome >= IDV_WP__COUNT || r->err < 0 ||
	    r->err >= IDV_E__COUNT || r->failure >= IDV_WPF__COUNT ||
	    (r->outcome == IDV_WP_FAILED) != (r->failure != IDV_WPF_NONE))
		return IDV_E_PARSE;
	return idv_wp_document_check(&r->doc);
}
