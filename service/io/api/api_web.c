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
#include "messages.h"
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

/* ---- pages in the consumer's language ------------------------------------------------------ */

#define WEB_LANG_COOKIE "idv_lang"
#define WEB_PAGE_MAX (1024u * 1024u) /* a rendered page */

/* The value of cookie name in a Cookie header ("a=1; idv_lang=es"), copied into out. */
static bool
web_cookie(const char *header, const char *name, char *out, size_t outsz)
{
	size_t nlen = strlen(name);
	for (const char *p = header; p != NULL && *p != '\0';) {
		while (*p == ' ' || *p == ';')
			p++;
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=' &&
		    len - nlen - 1 < outsz) {
			memcpy(out, p + nlen + 1, len - nlen - 1);
			out[len - nlen - 1] = '\0';
			return true;
		}
		p = end;
	}
	return false;
}

/* The page's language: ?lang= (the switch, remembered in a cookie), the cookie, then
 * Accept-Language, then English. Borrowed from the catalogues. */
static const char *
web_language(struct idv_http_req *req, struct idv_http_resp *resp)
{
	const char *asked = idv_http_query(req, "lang");
	const char *lang = idv_messages_pick(asked, NULL);
	char cookie[8] = "";
	if (lang != NULL) {
		char set[96];
		if (idv_fmt(set, sizeof set,
			    WEB_LANG_COOKIE "=%s; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
			    lang))
			idv_http_header_add(resp, "Set-Cookie", set);
		return lang;
	}
	if (web_cookie(idv_http_header(req, "Cookie"), WEB_LANG_COOKIE, cookie, sizeof cookie))
		lang = idv_messages_pick(cookie, NULL);
	if (lang == NULL)
		lang = idv_messages_pick(NULL, idv_http_header(req, "Accept-Language"));
	size_t n = 0;
	const char *const *langs = idv_messages_languages(&n);
	return lang != NULL ? lang : n > 0 ? langs[0] : "en";
}

static void
web_escape(struct idv_buf *out, const char *s)
{
	for (; *s != '\0'; s++) {
		const char *e = *s == '<'    ? "&lt;"
				: *s == '>'  ? "&gt;"
				: *s == '&'  ? "&amp;"
				: *s == '"'  ? "&quot;"
				: *s == '\'' ? "&#39;"
					     : NULL;
		if (e != NULL)
			idv_buf_append_str(out, e);
		else
			idv_buf_append(out, s, 1);
	}
}

/* The language switch: a link per language, each named in its own language. */
static void
web_switch(struct idv_buf *out, const char *lang)
{
	size_t n = 0;
	const char *const *langs = idv_messages_languages(&n);
	idv_buf_append_str(out, "<nav class=\"lang-switch\" aria-label=\"");
	web_escape(out, idv_messages_text(lang, "page.language_switch"));
	idv_buf_append_str(out, "\"><ul>");
	for (size_t i = 0; i < n; i++) {
		char a[160];
		bool cur = strcmp(langs[i], lang) == 0;
		if (!idv_fmt(a, sizeof a, "<li><a href=\"?lang=%s\" hreflang=\"%s\" lang=\"%s\"%s>",
			     langs[i], langs[i], langs[i], cur ? " aria-current=\"true\"" : ""))
			continue;
		idv_buf_append_str(out, a);
		web_escape(out, idv_messages_text(langs[i], "language.name"));
		idv_buf_append_str(out, "</a></li>");
	}
	idv_buf_append_str(out, "</ul></nav>");
}

/* The catalogue as a JSON data block for the page's scripts, without the texts pages never
 * show (e-mails, problems, which the server fills in): no '<' in it, so no "</script>". */
static void
web_catalogue(struct idv_buf *out, const char *lang)
{
	json_t *page = json_object();
	const char *key;
	json_t *v;
	json_object_foreach(idv_messages_catalogue(lang), key, v)
	{
		if (strncmp(key, "email.", 6) != 0 && strncmp(key, "sms.", 4) != 0 &&
		    strncmp(key, "problem.", 8) != 0)
			json_object_set(page, key, v);
	}
	char *s = json_dumps(page, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(page);
	for (const char *p = s; p != NULL && *p != '\0'; p++) {
		if (*p == '<')
			idv_buf_append_str(out, "\\u003c"); /* only ever inside a JSON string */
		else
			idv_buf_append(out, p, 1);
	}
	free(s);
}

/*
 * A page with its texts filled in: {{key}} is the catalogue's text (HTML-escaped), {{@lang}}
 * the language, {{@switch}} the language switch, {{@messages}} the catalogue for the scripts.
 * A key the catalogue lacks is written as itself (tests/api/test_messages.py fails on it).
 */
static bool
web_render(const struct idv_web_asset *a, const char *lang, struct idv_buf *out)
{
	const char *p = (const char *)a->data, *end = p + a->len;
	while (p < end) {
		const char *open = memmem(p, (size_t)(end - p), "{{", 2);
		const char *close = open ? memmem(open, (size_t)(end - open), "}}", 2) : NULL;
		if (open == NULL || close == NULL) {
			idv_buf_append(out, p, (size_t)(end - p));
			break;
		}
		if (close - open > 80) { /* not a placeholder */
			idv_buf_append(out, p, (size_t)(open + 2 - p));
			p = open + 2;
			continue;
		}
		idv_buf_append(out, p, (size_t)(open - p));
		char key[80];
		memcpy(key, open + 2, (size_t)(close - open - 2));
		key[close - open - 2] = '\0';
		if (strcmp(key, "@lang") == 0)
			idv_buf_append_str(out, lang);
		else if (strcmp(key, "@switch") == 0)
			web_switch(out, lang);
		else if (strcmp(key, "@messages") == 0)
			web_catalogue(out, lang);
		else {
			const char *t = idv_messages_text(lang, key);
			web_escape(out, t ? t : key);
		}
		p = close + 2;
	}
	return idv_buf_append(out, "", 0) == IDV_OK && out->len < WEB_PAGE_MAX;
}

/* translated: the page is in the consumer's language; else in English (the reviewers'
 * console, and the agent page until agent.js takes its texts from the catalogue). */
static void
web_page(struct idv_http_req *req, struct idv_http_resp *resp, const char *name, bool translated)
{
	const struct idv_web_asset *a = idv_web_asset_find(name);
	struct idv_buf page;
	idv_buf_init(&page, WEB_PAGE_MAX);
	if (a == NULL) {
		idv_http_problem(resp, 404, "not-found", "Not found", "no such page");
		goto out;
	}
	const char *lang = translated ? web_language(req, resp) : "en";
	if (!web_render(a, lang, &page)) {
		idv_http_problem(resp, 500, "internal", "Internal error", "the page is too large");
		goto out;
	}
	idv_http_text(resp, 200, a->content_type, (const char *)page.data, page.len);
	idv_http_header_add(resp, "Content-Language", lang);
	idv_http_header_add(resp, "Vary", "Accept-Language, Cookie");
	idv_http_header_add(resp, "Content-Security-Policy", WEB_CSP);
	idv_http_header_add(resp, "X-Frame-Options", "DENY");
	idv_http_header_add(resp, "Cross-Origin-Opener-Policy", "same-origin");
	idv_http_header_add(resp, "Permissions-Policy",
			    "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
out:
	idv_buf_cleanup(&page);
}

/* Define the route handler name that answers the page file, in the consumer's language when
 * translated (web_page). */
#define WEB_PAGE(name, file, translated)                                                           \
	void name(struct idv_http_req *req, struct idv_http_resp *resp)                            \
	{                                                                                          \
		web_page(req, resp, file, translated);                                             \
	}

WEB_PAGE(idv_api_page_intake, "index.html", true)

WEB_PAGE(idv_api_page_status, "status.html", true)

WEB_PAGE(idv_api_page_agent, "agent.html", false)

WEB_PAGE(idv_api_page_review, "review.html", false)

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

/* ---- GET /v1/messages --------------------------------------------------------------------- */

/* The pages' texts (messages.h) in the language asked for by ?lang= (the page's switch), else
 * by Accept-Language, else English; with every language offered, named in its own words. */
void
idv_api_messages(struct idv_http_req *req, struct idv_http_resp *resp)
{
	const char *lang = idv_messages_pick(idv_http_query(req, "lang"),
					     idv_http_header(req, "Accept-Language"));
	size_t n = 0;
	const char *const *langs = idv_messages_languages(&n);
	if (lang == NULL)
		lang = n > 0 ? langs[0] : NULL;
	json_t *cat = idv_messages_catalogue(lang);
	if (cat == NULL) {
		idv_http_problem(resp, 503, "unavailable", "Unavailable", "no message catalogue");
		return;
	}
	json_t *offered = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(offered,
				      json_pack("{s:s,s:s?}", "code", langs[i], "name",
						idv_messages_text(langs[i], "language.name")));
	idv_http_json(resp, 200,
		      json_pack("{s:s,s:o,s:O}", "language", lang, "languages", offered, "messages",
				cat));
	idv_http_header_add(resp, "Content-Language", lang);
	idv_http_header_add(resp, "Vary", "Accept-Language");
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
	/* what an authorized agent shows of its authority (procedure.agent_proofs) */
	json_t *proofs = json_array();
	for (int k = 0; k < IDV_AGENT_PROOF__COUNT; k++)
		if (m->policy.procedure.agent_proofs[k])
			json_array_append_new(
				proofs, json_string(idv_agent_proof_name((enum idv_agent_proof)k)));
	idv_http_json(resp, 200,
		      json_pack("{s:s,s:s,s:o,s:o,s:s,s:o,s:o,s:o,s:o}", "policy", m->policy.name,
				"version", m->policy.version, "request_types", types,
				"data_classes", classes, "unknown_data_class_level", "heightened",
				"levels", levels, "upload", upload, "code_channels", channels,
				"agent_proofs", proofs));
}
