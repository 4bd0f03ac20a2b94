/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_reqlog.c: the request log the law asks for (RULES.md R39: date, nature, channel, response
 * date, response, basis of any denial; kept 24 months) as JSON or CSV, and the yearly metrics
 * of § 7102 (R41). No personal data: the request record holds none.
 */
#include <time.h>

#include "api.h"
#include "idverify/deadline.h"
#include "recordstore.h"
#include "idverify/score.h"
#include "idverify/str.h"

static void
reqlog_date(int64_t t, char out[11])
{
	if (t == 0) {
		out[0] = '\0';
		return;
	}
	struct idv_date d;
	idv_date_from_days(t / 86400, &d);
	idv_date_format(&d, out);
}

/* Parse ?from=&to= (dates) into [from, to) unix seconds; defaults: the last 24 months. */
static bool
reqlog_range(struct idv_http_req *req, struct idv_http_resp *resp, int64_t *from, int64_t *to)
{
	const char *f = idv_http_query(req, "from"), *t = idv_http_query(req, "to");
	struct idv_date d;
	int64_t today = idv_today_days();
	*from = (today - 731) * 86400;
	*to = (today + 1) * 86400;
	if (f != NULL) {
		if (idv_date_parse(f, strlen(f), &d) != IDV_OK)
			goto bad;
		*from = idv_date_to_days(&d) * 86400;
	}
	if (t != NULL) {
		if (idv_date_parse(t, strlen(t), &d) != IDV_OK)
			goto bad;
		*to = (idv_date_to_days(&d) + 1) * 86400; /* inclusive */
	}
	return true;
bad:
	idv_http_problem(resp, 422, "invalid", "Invalid value", "from and to are dates YYYY-MM-DD");
	return false;
}

static bool
reqlog_overdue(const struct idv_case_row *r, int64_t now)
{
	struct idv_date due;
	if (idv_date_parse(r->respond_by, strlen(r->respond_by), &due) != IDV_OK)
		return false;
	int64_t answered = r->closed_at ? r->closed_at : now;
	return answered / 86400 > idv_date_to_days(&due);
}

struct reqlog_collect {
	json_t *arr;
	int64_t now;
};

static bool
reqlog_row(void *arg, const struct idv_case_row *r)
{
	struct reqlog_collect *c = arg;
	char received[11], responded[11];
	reqlog_date(r->received_at, received);
	reqlog_date(r->closed_at, responded);
	json_t *o = json_pack(
		"{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s*,s:s*,s:s*,s:s*,s:s*,s:s*,s:b,s:b}",
		"reference", r->reference, "received_on", received, "request_type", r->request_type,
		"channel", r->channel, "requester_role", r->requester_role, "status", r->status,
		"acknowledge_by", r->acknowledge_by, "respond_by", r->respond_by, "extended",
		r->extended, "responded_on", responded[0] ? responded : NULL, "response",
		r->response[0] ? r->response : NULL, "denial_basis",
		r->denial_basis[0] ? r->denial_basis : NULL, "outcome",
		r->outcome[0] ? r->outcome : NULL, "level",
		r->outcome_level[0] ? r->outcome_level : NULL, "model",
		r->model[0] ? r->model : NULL, "overdue", reqlog_overdue(r, c->now), "purged",
		r->purged_at != 0);
	json_array_append_new(c->arr, o);
	return true;
}

static void
reqlog_csv_cell(struct idv_buf *b, json_t *v)
{
	const char *s = json_is_string(v) ? json_string_value(v)
			: json_is_true(v) ? "true"
			: json_is_false(v) ? "false"
					   : "";
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	if (!quote) {
		idv_buf_append_str(b, s);
		return;
	}
	idv_buf_append_byte(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			idv_buf_append_byte(b, '"');
		idv_buf_append_byte(b, (uint8_t)*s);
	}
	idv_buf_append_byte(b, '"');
}

void
idv_api_request_records(struct idv_http_req *req, struct idv_http_resp *resp)
{
	int64_t from, to;
	if (!reqlog_range(req, resp, &from, &to))
		return;
	struct reqlog_collect c = {json_array(), (int64_t)time(NULL)};
	enum idv_err err = idv_store_case_each_received(idv_http_store(req), from, to, reqlog_row, &c);
	if (err != IDV_OK) {
		json_decref(c.arr);
		idv_http_problem_err(resp, err, "the request log could not be read");
		return;
	}
	const char *format = idv_http_query(req, "format");
	const char *accept = idv_http_header(req, "Accept");
	bool csv = (format != NULL && strcmp(format, "csv") == 0) ||
		   (format == NULL && accept != NULL && strstr(accept, "text/csv") != NULL);
	if (!csv) {
		idv_http_json(resp, 200, json_pack("{s:o}", "records", c.arr));
		return;
	}
	static const char *const cols[] = {
		"reference", "received_on", "request_type", "channel", "requester_role", "status",
		"acknowledge_by", "respond_by", "extended", "responded_on", "response",
		"denial_basis", "outcome", "level", "model", "overdue", "purged"};
	idv_buf_reset(&resp->body);
	for (size_t i = 0; i < IDV_ARRAY_LEN(cols); i++)
		idv_buf_printf(&resp->body, "%s%s", i ? "," : "", cols[i]);
	idv_buf_append_str(&resp->body, "\r\n");
	size_t i;
	json_t *row;
	json_array_foreach(c.arr, i, row)
	{
		for (size_t k = 0; k < IDV_ARRAY_LEN(cols); k++) {
			if (k)
				idv_buf_append_byte(&resp->body, ',');
			reqlog_csv_cell(&resp->body, json_object_get(row, cols[k]));
		}
		idv_buf_append_str(&resp->body, "\r\n");
	}
	json_decref(c.arr);
	resp->status = 200;
	resp->content_type = "text/csv; charset=utf-8";
	idv_http_header_add(resp, "Content-Disposition", "attachment; filename=\"request-records.csv\"");
}

/* ---- yearly metrics (§ 7102) -------------------------------------------------------------- */

#define METRIC_TYPES IDV_REQ__COUNT

struct metrics_acc {
	int64_t now;
	int64_t received[METRIC_TYPES], complied[METRIC_TYPES], denied[METRIC_TYPES],
		open[METRIC_TYPES], overdue_open[METRIC_TYPES], withdrawn[METRIC_TYPES];
	json_t *denied_by[METRIC_TYPES];
	double *days[METRIC_TYPES];
	size_t ndays[METRIC_TYPES], capdays[METRIC_TYPES];
};

static bool
metrics_row(void *arg, const struct idv_case_row *r)
{
	struct metrics_acc *m = arg;
	int t = (int)idv_request_type_lookup(r->request_type, strlen(r->request_type));
	if (t == METRIC_TYPES)
		return true;
	m->received[t]++;
	if (r->closed_at == 0) {
		m->open[t]++;
		if (reqlog_overdue(r, m->now))
			m->overdue_open[t]++;
		return true;
	}
	if (strcmp(r->response, "withdrawn") == 0) {
		m->withdrawn[t]++;
		return true;
	}
	if (strcmp(r->response, "denied") == 0) {
		m->denied[t]++;
		const char *b = r->denial_basis[0] ? r->denial_basis : "other";
		json_t *n = json_object_get(m->denied_by[t], b);
		json_object_set_new(m->denied_by[t], b,
				    json_integer((n ? json_integer_value(n) : 0) + 1));
	} else {
		m->complied[t]++;
	}
	if (m->ndays[t] == m->capdays[t]) {
		m->capdays[t] = m->capdays[t] ? m->capdays[t] * 2 : 32;
		m->days[t] = idv_realloc(m->days[t], m->capdays[t] * sizeof(double));
	}
	m->days[t][m->ndays[t]++] = (double)(r->closed_at - r->received_at) / 86400.0;
	return true;
}

static int
metrics_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

void
idv_api_request_metrics(struct idv_http_req *req, struct idv_http_resp *resp)
{
	const char *y = idv_http_query(req, "year");
	uint64_t year;
	struct idv_date today;
	idv_date_from_days(idv_today_days(), &today);
	if (y == NULL)
		year = (uint64_t)today.year;
	else if (idv_parse_u64z(y, 9999, &year) != IDV_OK || year < 2000) {
		idv_http_problem(resp, 422, "invalid", "Invalid value", "year must be like 2026");
		return;
	}
	struct idv_date jan1 = {(int)year, 1, 1}, next = {(int)year + 1, 1, 1};
	struct metrics_acc m;
	memset(&m, 0, sizeof m);
	m.now = (int64_t)time(NULL);
	for (int t = 0; t < METRIC_TYPES; t++)
		m.denied_by[t] = json_object();
	enum idv_err err = idv_store_case_each_received(idv_http_store(req),
							idv_date_to_days(&jan1) * 86400,
							idv_date_to_days(&next) * 86400,
							metrics_row, &m);
	json_t *out = json_object();
	for (int t = 0; t < METRIC_TYPES; t++) {
		double mean = 0, median = 0;
		if (m.ndays[t] > 0) {
			qsort(m.days[t], m.ndays[t], sizeof(double), metrics_cmp);
			for (size_t i = 0; i < m.ndays[t]; i++)
				mean += m.days[t][i];
			mean /= (double)m.ndays[t];
			size_t n = m.ndays[t];
			median = n % 2 ? m.days[t][n / 2] : (m.days[t][n / 2 - 1] + m.days[t][n / 2]) / 2;
		}
		json_object_set_new(
			out, idv_request_type_name((enum idv_request_type)t),
			json_pack("{s:I,s:I,s:I,s:o,s:I,s:I,s:I,s:o,s:o}", "received",
				  (json_int_t)m.received[t], "complied_in_whole_or_part",
				  (json_int_t)m.complied[t], "denied", (json_int_t)m.denied[t],
				  "denied_by_basis", m.denied_by[t], "withdrawn",
				  (json_int_t)m.withdrawn[t], "open", (json_int_t)m.open[t],
				  "open_overdue", (json_int_t)m.overdue_open[t], "median_days_to_respond",
				  m.ndays[t] ? json_real((double)(int64_t)(median * 10 + 0.5) / 10) : json_null(),
				  "mean_days_to_respond",
				  m.ndays[t] ? json_real((double)(int64_t)(mean * 10 + 0.5) / 10) : json_null()));
		free(m.days[t]);
	}
	if (err != IDV_OK) {
		json_decref(out);
		idv_http_problem_err(resp, err, "the request log could not be read");
		return;
	}
	idv_http_json(resp, 200, json_pack("{s:I,s:o}", "year", (json_int_t)year, "by_request_type", out));
}
