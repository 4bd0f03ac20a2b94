/* SPDX-License-Identifier: Apache-2.0 */
/* api_records.c: the business loads its existing customer records (admin). */
#include "api.h"
#include "recordstore.h"

/* POST /v1/records {"records": [{...}, ...]}: all or nothing, like `idverify records import`. */
void
idv_api_records_import(struct idv_http_req *req, struct idv_http_resp *resp)
{
	json_t *body = idv_http_json_body(req);
	json_t *records = json_object_get(body, "records");
	if (records == NULL) {
		idv_http_problem(resp, 422, "invalid", "Invalid value",
				 "the body needs a \"records\" array");
		return;
	}
	struct idv_import_report *rep = idv_calloc(1, sizeof *rep);
	enum idv_err err =
		idv_records_import_json(idv_http_store(req), records, idv_today_days(), rep);
	if (err == IDV_OK) {
		idv_http_json(resp, 200, json_pack("{s:I}", "imported", (json_int_t)rep->imported));
	} else if (err == IDV_E_INVAL) {
		json_t *errors = json_array();
		size_t shown = rep->nerrors < IDV_IMPORT_MAX_ERRORS ? rep->nerrors
								    : IDV_IMPORT_MAX_ERRORS;
		for (size_t i = 0; i < shown; i++)
			json_array_append_new(errors,
					      json_pack("{s:I,s:s,s:s}", "index",
							(json_int_t)rep->errors[i].where, "field",
							rep->errors[i].column, "reason",
							rep->errors[i].reason));
		char *detail = NULL;
		if (rep->fatal[0] != '\0')
			detail = rep->fatal;
		idv_http_problem(resp, 422, "invalid-records", "Invalid records",
				 "%s%s%zu of %zu records are invalid; nothing was imported",
				 detail ? detail : "", detail ? "; " : "", rep->nerrors, rep->rows);
		/* Add the per-record list to the problem document (RFC 9457 extension member). */
		json_t *p = json_loadb((const char *)resp->body.data, resp->body.len, 0, NULL);
		if (p != NULL) {
			json_object_set_new(p, "errors", errors);
			idv_http_json(resp, 422, p);
			resp->content_type = "application/problem+json";
		} else {
			json_decref(errors);
		}
	} else {
		idv_http_problem_err(resp, err, "%s", rep->fatal[0] ? rep->fatal : "import failed");
	}
	free(rep);
}
