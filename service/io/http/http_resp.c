/* SPDX-License-Identifier: Apache-2.0 */
/*
 * http_resp.c: building a response (http.h): headers, JSON and text bodies, problem+json
 * (RFC 9457) and DRP errors; and the empty response the server hands each handler
 * (http_resp.h).
 */
#include <stdarg.h>

#include "http.h"
#include "http_resp.h"
#include "idverify/str.h"
#include "log.h"

/* ---- response builders ------------------------------------------------------------------- */

void
idv_http_resp_init(struct idv_http_resp *resp)
{
	memset(resp, 0, sizeof *resp);
	idv_buf_init(&resp->body, 64u * 1024u * 1024u);
	resp->status = 500;
}

static bool
http_vheader(struct idv_http_resp *resp, const char *name, const char *fmt, va_list ap)
{
	if (resp->nheaders < IDV_HTTP_MAX_HEADERS &&
	    idv_strlcpy(resp->headers[resp->nheaders].name, name, sizeof resp->headers[0].name) &&
	    idv_vfmt(resp->headers[resp->nheaders].value, sizeof resp->headers[0].value, fmt, ap)) {
		resp->nheaders++;
		return true;
	}
	idv_log(IDV_LOG_ERROR, "http.header_dropped", "{s:s}", "header", name);
	return false;
}

bool
idv_http_header_fmt(struct idv_http_resp *resp, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bool ok = http_vheader(resp, name, fmt, ap);
	va_end(ap);
	return ok;
}

bool
idv_http_header_add(struct idv_http_resp *resp, const char *name, const char *value)
{
	return idv_http_header_fmt(resp, name, "%s", value);
}

void
idv_http_json(struct idv_http_resp *resp, int status, json_t *obj)
{
	char *s = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(obj);
	idv_buf_reset(&resp->body);
	if (s == NULL || idv_buf_append_str(&resp->body, s) != IDV_OK) {
		free(s);
		idv_http_problem(resp, 500, "internal", "Internal error", "response too large");
		return;
	}
	free(s);
	resp->status = status;
	resp->content_type = "application/json";
}

void
idv_http_text(struct idv_http_resp *resp, int status, const char *content_type, const char *text,
	      size_t len)
{
	idv_buf_reset(&resp->body);
	idv_buf_append(&resp->body, text, len);
	resp->status = status;
	resp->content_type = content_type;
}

static void
http_vproblem(struct idv_http_resp *resp, int status, const char *type, const char *title,
	      const char *detail_fmt, va_list ap)
{
	char detail[512];
	idv_vwhy(detail, sizeof detail, detail_fmt, ap);
	json_t *o = json_pack("{s:s,s:s,s:i,s:s}", "type", type, "title", title, "status", status,
			      "detail", detail);
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	idv_buf_reset(&resp->body);
	if (s != NULL)
		idv_buf_append_str(&resp->body, s);
	free(s);
	resp->status = status;
	resp->content_type = "application/problem+json";
}

void
idv_http_problem(struct idv_http_resp *resp, int status, const char *slug, const char *title,
		 const char *detail_fmt, ...)
{
	char type[128];
	if (IDV_NEVER(!idv_fmt(type, sizeof type, "%s%s", IDV_PROBLEM_PREFIX, slug)))
		idv_strlcpy(type, IDV_PROBLEM_PREFIX "internal", sizeof type); /* slugs are short */
	va_list ap;
	va_start(ap, detail_fmt);
	http_vproblem(resp, status, type, title, detail_fmt, ap);
	va_end(ap);
}

void
idv_http_drp_error(struct idv_http_resp *resp, int status, bool fatal, const char *fmt, ...)
{
	char msg[512], code[8];
	va_list ap;
	va_start(ap, fmt);
	idv_vwhy(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (IDV_NEVER(!idv_fmt(code, sizeof code, "%d", status)))
		idv_strlcpy(code, "500", sizeof code);
	idv_http_json(resp, status, json_pack("{s:s,s:s,s:b}", "code", code, "message", msg,
					      "fatal", fatal));
}

void
idv_http_problem_err(struct idv_http_resp *resp, enum idv_err err, const char *detail_fmt, ...)
{
	const struct idv_problem *p = idv_err_problem(err);
	va_list ap;
	va_start(ap, detail_fmt);
	http_vproblem(resp, p->status, p->type, p->title, detail_fmt, ap);
	va_end(ap);
}
