/* SPDX-License-Identifier: Apache-2.0 */
/* docjson.c: struct idv_document to JSON (docjson.h). */
#include <jansson.h>

#include "docjson.h"

static json_t *
docjson_field(const struct idv_field *f, bool mask)
{
	if (!f->present)
		return json_null();
	char masked[IDV_FIELD_VALUE_MAX];
	const char *v = f->value;
	if (mask) {
		idv_mask_number(f->value, masked, sizeof masked);
		v = masked;
	}
	json_t *o = json_pack("{s:s, s:s, s:f}", "value", v, "source", idv_source_name(f->source),
			      "confidence", (double)((int)(f->confidence * 1000.0f + 0.5f)) / 1000.0);
	if (o != NULL && f->box.w > 0)
		json_object_set_new(o, "box", json_pack("{s:i, s:i, s:i, s:i}", "x", f->box.x, "y",
							f->box.y, "w", f->box.w, "h", f->box.h));
	return o;
}

json_t *
idv_docjson(const struct idv_document *doc, unsigned flags)
{
	json_t *o = json_object();
	if (o == NULL)
		return NULL;
	json_object_set_new(o, "status", json_string(idv_doc_status_name(doc->status)));
	if (doc->status != IDV_DOCSTAT_OK)
		json_object_set_new(o, "error",
				    json_pack("{s:s, s:s}", "type", idv_err_problem(doc->err)->type,
					      "detail", doc->error_detail));
	json_object_set_new(o, "kind", json_string(idv_doc_kind_name(doc->kind)));
	if (doc->residence_kind != IDV_RES_NONE)
		json_object_set_new(o, "residence_kind",
				    json_string(idv_residence_kind_name(doc->residence_kind)));

	json_t *fields = json_object(), *addr = json_object();
	static const struct {
		enum idv_field_id id;
		const char *key;
	} address[] = {
		{IDV_F_STREET, "street"}, {IDV_F_UNIT, "unit"}, {IDV_F_CITY, "city"},
		{IDV_F_STATE, "state"}, {IDV_F_POSTAL_CODE, "postal_code"},
	};
	for (size_t i = 0; i < IDV_F__COUNT; i++) {
		enum idv_field_id id = (enum idv_field_id)i;
		bool in_addr = false;
		for (size_t a = 0; a < IDV_ARRAY_LEN(address); a++)
			if (address[a].id == id) {
				json_object_set_new(addr, address[a].key,
						    docjson_field(&doc->fields[id], false));
				in_addr = true;
			}
		if (in_addr)
			continue;
		bool mask = id == IDV_F_DOCUMENT_NUMBER && !(flags & IDV_DOCJSON_REVEAL);
		json_object_set_new(fields, idv_field_name(id), docjson_field(&doc->fields[id], mask));
	}
	json_object_set_new(fields, "address", addr);
	json_object_set_new(o, "fields", fields);

	json_t *bcs = json_array();
	for (size_t i = 0; i < doc->nbarcodes; i++)
		json_array_append_new(bcs, json_pack("{s:s, s:I}", "format", doc->barcodes[i].format,
						     "length", (json_int_t)doc->barcodes[i].length));
	json_object_set_new(o, "barcodes", bcs);

	if (doc->mrz.present) {
		json_t *lines = json_array(), *raw = json_array();
		for (size_t i = 0; i < doc->mrz.nlines && i < IDV_MRZ_MAX_LINES; i++) {
			json_array_append_new(lines, json_string(doc->mrz.lines[i]));
			json_array_append_new(raw, json_string(doc->mrz.raw_lines[i]));
		}
		json_object_set_new(o, "mrz",
				    json_pack("{s:s, s:o, s:o, s:b, s:b}", "format", doc->mrz.format,
					      "lines", lines, "raw_lines", raw, "check_digits_valid",
					      doc->mrz.check_digits_valid, "repaired",
					      doc->mrz.repaired));
	} else {
		json_object_set_new(o, "mrz", json_null());
	}

	json_t *checks = json_array();
	for (size_t i = 0; i < doc->nchecks; i++)
		json_array_append_new(checks,
				      json_pack("{s:s, s:s, s:s}", "name", doc->checks[i].name,
						"result", idv_check_result_name(doc->checks[i].result),
						"detail", doc->checks[i].detail));
	json_object_set_new(o, "checks", checks);
	if (doc->page_width > 0)
		json_object_set_new(o, "page", json_pack("{s:i, s:i, s:i}", "width", doc->page_width,
							 "height", doc->page_height, "turned",
							 90 * doc->page_turns));
	return o;
}
