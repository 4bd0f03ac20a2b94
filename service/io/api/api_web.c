/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_web.c: the pages (web.h) and what the intake form needs to know about the business's
 * policy (GET /v1/intake). Pages are public, static and the same for everybody: a page learns
 * the case it shows from its own URL (the reference in the path, the case token in the
 * fragment, which browsers never send), and talks to the JSON API like any other client.
 * HTML is never cached and carries a strict Content-Security-Policy (scripts, styles and
 * connections to this origin only, no inline code, no framing); static files may be cached
 * and are revalidated by their ETag.
 */
#include "api.h"
#include "cases.h"
#include "model.h"
#include "web.h"

#define WEB_CSP                                                                                    \
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "    \
	"connect-src 'self'; font-src 'self'; frame-ancestors 'none'; form-action 'self'; "        \
	"base-uri 'none'"

const struct idv_web_asset *
idv_web_asset_find(const char *name)
{
	if (name == NULL || strchr(name, '/') != NULL)
		return NULL;
	for (size_t i = 0; i < idv_web_assets_count; i++)
		if (strcmp(idv_web_assets[i].name, name) == 0)
			return &idv_web_assets[i];
	return NULL;
}

static void
web_page(struct idv_http_resp *resp, const char *name)
{
	const struct idv_web_asset *a = idv_web_asset_find(name);
	if (a == NULL) {
		idv_http_problem(resp, 404, "not-found", "Not found", "no such page");
		return;
	}
	idv_http_text(resp, 200, a->content_type, (const char *)a->data, a->len);
	idv_http_header_add(resp, "Content-Security-Policy", WEB_CSP);
	idv_http_header_add(resp, "X-Frame-Options", "DENY");
	idv_http_header_add(resp, "Cross-Origin-Opener-Policy", "same-origin");
	idv_http_header_add(resp, "Permissions-Policy",
			    "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
}

/* Define the route handler name that answers the page file. */
#define WEB_PAGE(name, file)                                                                       \
	void name(struct idv_http_req *req, struct idv_http_resp *resp)                            \
	{                                                                                          \
		(void)req;                                                                         \
		web_page(resp, file);                                                              \
	}

WEB_PAGE(idv_api_page_intake, "index.html")

WEB_PAGE(idv_api_page_status, "status.html")

WEB_PAGE(idv_api_page_agent, "agent.html")

WEB_PAGE(idv_api_page_review, "review.html")

/* Does an If-None-Match header list etag (or "*")? */
static bool
web_etag_matches(const char *inm, const char *etag)
{
	if (inm == NULL)
		return false;
	size_t elen = strlen(etag);
	for (const char *p = inm; *p != '\0';) {
		while (*p == ' ' || *p == ',')
			p++;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (*p == '*')
			return true;
		if (strncmp(p, etag, elen) == 0 &&
		    (p[elen] == '\0' || p[elen] == ',' || p[elen] == ' '))
			return true;
		while (*p != '\0' && *p != ',')
			p++;
	}
	return false;
}

void
idv_api_static(struct idv_http_req *req, struct idv_http_resp *resp)
{
	const char *name = idv_http_param(req, "name");
	const struct idv_web_asset *a = idv_web_asset_find(name);
	size_t nlen = name ? strlen(name) : 0;
	/* Pages are served at their own paths only, with their headers. */
	if (a == NULL || (nlen > 5 && strcmp(name + nlen - 5, ".html") == 0)) {
		idv_http_problem(resp, 404, "not-found", "Not found", "no such file");
		return;
	}
	idv_http_header_add(resp, "Cache-Control", "public, max-age=600");
	idv_http_header_add(resp, "ETag", a->etag);
	if (web_etag_matches(idv_http_header(req, "If-None-Match"), a->etag)) {
		idv_buf_reset(&resp->body);
		resp->status = 304;
		resp->content_type = NULL;
		return;
	}
	idv_http_text(resp, 200, a->content_type, (const char *)a->data, a->len);
}

/* ---- GET /v1/intake ------------------------------------------------------------------------ */

static json_t *
web_level_json(const struct idv_model *m)
{
	json_t *fields = json_array();
	for (int p = 0; p < IDV_PT__COUNT; p++) {
		const struct idv_model_point *pt = &m->points[p];
		const struct idv_model_point *cc = &m->points[IDV_PT_CONTACT_CODE];
		bool code = cc->counts && cc->reliable;
		if (p == IDV_PT_CONTACT_CODE)
			continue; /* not a field: the code step (contact_code below) */
		/* A field is asked for only when the model uses it (R5, R7); e-mail and phone
		 * also when a code to them counts (they say where the code may go). */
		if (!pt->required && !(pt->counts && pt->reliable) &&
		    !(code && (p == IDV_PT_EMAIL || p == IDV_PT_PHONE)))
			continue;
		/* counts: whether a typed match counts toward points_needed (typed e-mail and
		 * phone do not in the shipped models: only a code to them does) */
		json_array_append_new(fields, json_pack("{s:s,s:b,s:b}", "name",
							idv_point_name((enum idv_point)p),
							"required", pt->required, "counts",
							pt->counts && pt->reliable));
	}
	const struct idv_model_point *cc = &m->points[IDV_PT_CONTACT_CODE];
	json_t *docs = json_array();
	for (int c = 0; c < IDV_DCLASS__COUNT; c++)
		if (m->documents_required[c])
			json_array_append_new(
				docs, json_string(idv_doc_class_name((enum idv_doc_class)c)));
	return json_pack("{s:s,s:s,s:o,s:f,s:o,s:b,s:i,s:{s:b,s:f}}", "model", m->name, "version",
			 m->version, "fields", fields, "points_needed", m->points_needed,
			 "documents_required", docs, "declaration_required",
			 m->declaration_required, "proof_of_residence_max_age_days",
			 m->residence_max_age_days, "contact_code", "counts",
			 cc->counts && cc->reliable, "weight", cc->typed_weight);
}

void
idv_api_intake(struct idv_http_req *req, struct idv_http_resp *resp)
{
	if (idv_api_app(req)->cases == NULL || idv_api_app(req)->cases->scoring == NULL) {
		idv_http_problem(resp, 503, "not-ready", "Not ready", "the policy is not loaded");
		return;
	}
	const struct idv_models *m = idv_scoring_models(idv_api_app(req)->cases->scoring);
	json_t *types = json_object();
	for (int t = 0; t < IDV_REQ__COUNT; t++)
		json_object_set_new(types, idv_request_type_name((enum idv_request_type)t),
				    json_string(idv_level_name(m->policy.level[t])));
	json_t *classes = json_array();
	for (size_t i = 0; i < m->policy.nclasses; i++)
		json_array_append_new(
			classes, json_pack("{s:s,s:s}", "name", m->policy.classes[i].name, "level",
					   idv_level_name(m->policy.classes[i].level)));
	json_t *levels = json_pack("{s:o,s:o}", "standard", web_level_json(&m->standard),
				   "heightened", web_level_json(&m->heightened));
	json_t *upload = json_pack("{s:I,s:i,s:[sssss]}", "max_file_bytes",
				   (json_int_t)idv_http_config(req)->max_upload, "max_files", 2,
				   "types", "image/jpeg", "image/png", "image/tiff", "image/webp",
				   "application/pdf");
	/* the channels a one-time code can be sent on: those the operator configured */
	const struct idv_config *cfg = idv_api_app(req)->cases->cfg;
	json_t *channels = json_array();
	if (cfg != NULL && cfg->smtp_url[0] != '\0' && cfg->smtp_from[0] != '\0')
		json_array_append_new(channels, json_string("email"));
	if (cfg != NULL && cfg->sms_url[0] != '\0' && cfg->sms_template[0] != '\0')
		json_array_append_new(channels, json_string("phone"));
	idv_http_json(resp, 200,
		      json_pack("{s:s,s:s,s:o,s:o,s:s,s:o,s:o,s:o}", "policy", m->policy.name,
				"version", m->policy.version, "request_types", types,
				"data_classes", classes, "unknown_data_class_level", "heightened",
				"levels", levels, "upload", upload, "code_channels", channels));
}
