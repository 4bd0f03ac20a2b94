/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_platforms.c: platform cases, the decision webhook's state and the outbox ordering rule
 * (store_platforms.h).
 */
#include "store_platforms.h"
#include "store_sqlite.h"

#define PLATFORM_COLUMNS \
	"case_id, platform, external_id, reply_sealed, notified, consumer_at, created_at"

bool
idv_platform_channel(const char *channel)
{
	return strcmp(channel, "fides") == 0 || strcmp(channel, "transcend") == 0 ||
	       strcmp(channel, "ketch") == 0;
}

void
idv_platform_case_row_init(struct idv_platform_case_row *row)
{
	memset(row, 0, sizeof *row);
	idv_buf_init(&row->reply_sealed, 64 * 1024);
}

void
idv_platform_case_row_cleanup(struct idv_platform_case_row *row)
{
	idv_buf_cleanup(&row->reply_sealed);
}

enum idv_err
idv_store_platform_case_insert(struct idv_store *s, const struct idv_platform_case_row *row)
{
	return store_change(
		s, "INSERT INTO platform_cases(" PLATFORM_COLUMNS ") VALUES(?,?,?,?,?,?,?)",
		STORE_VALS(STORE_I64(row->case_id), STORE_TEXT(row->platform),
			   STORE_TEXT(row->external_id), STORE_BUF(&row->reply_sealed),
			   STORE_TEXT(row->notified), STORE_I64_OR_NULL(row->consumer_at),
			   STORE_I64(row->created_at)),
		NULL);
}

static bool
platform_case_from_row(const struct store_row *r, void *arg)
{
	struct idv_platform_case_row *row = arg;
	row->case_id = store_col_i64(r, 0);
	store_col_text(r, 1, row->platform, sizeof row->platform, NULL);
	store_col_text(r, 2, row->external_id, sizeof row->external_id, NULL);
	store_col_buf(r, 3, &row->reply_sealed);
	store_col_text(r, 4, row->notified, sizeof row->notified, NULL);
	row->consumer_at = store_col_i64(r, 5);
	row->created_at = store_col_i64(r, 6);
	return false;
}

enum idv_err
idv_store_platform_case_get(struct idv_store *s, int64_t case_id,
			    struct idv_platform_case_row *row)
{
	return store_get(s, "SELECT " PLATFORM_COLUMNS " FROM platform_cases WHERE case_id = ?",
			 STORE_VALS(STORE_I64(case_id)), platform_case_from_row, row);
}

enum idv_err
idv_store_platform_case_find(struct idv_store *s, const char *platform, const char *external_id,
			     int64_t *case_id)
{
	return store_get(s,
			 "SELECT case_id FROM platform_cases WHERE platform = ? AND"
			 " external_id = ?",
			 STORE_VALS(STORE_TEXT(platform), STORE_TEXT(external_id)), store_row_i64,
			 case_id);
}

enum idv_err
idv_store_platform_case_update(struct idv_store *s, const struct idv_platform_case_row *row)
{
	int64_t changed = 0;
	enum idv_err result = store_change(
		s,
		"UPDATE platform_cases SET reply_sealed = ?, notified = ?,"
		" consumer_at = ? WHERE case_id = ?",
		STORE_VALS(STORE_BUF(&row->reply_sealed), STORE_TEXT(row->notified),
			   STORE_I64_OR_NULL(row->consumer_at), STORE_I64(row->case_id)),
		&changed);
	if (result == IDV_OK && changed == 0)
		result = IDV_E_NOTFOUND;
	return result;
}

struct store_ids {
	int64_t *ids;
	size_t max, *n;
};

static bool
store_ids_row(const struct store_row *r, void *arg)
{
	struct store_ids *e = arg;
	e->ids[(*e->n)++] = store_col_i64(r, 0);
	return *e->n < e->max;
}

/* Ids from a one-column query whose one value is its LIMIT, at most max. */
static enum idv_err
store_ids(struct idv_store *s, const char *sql, int64_t *ids, size_t max, size_t *n)
{
	struct store_ids e = {ids, max, n};
	*n = 0;
	if (max == 0)
		return IDV_OK;
	return store_run(s, sql, STORE_VALS(STORE_I64((int64_t)max)), store_ids_row, &e);
}

enum idv_err
idv_store_platform_case_open(struct idv_store *s, int64_t *ids, size_t max, size_t *n)
{
	return store_ids(s,
			 "SELECT case_id FROM platform_cases WHERE notified NOT LIKE 'final:%'"
			 " ORDER BY case_id LIMIT ?",
			 ids, max, n);
}

enum idv_err
idv_store_webhook_due(struct idv_store *s, int64_t *ids, size_t max, size_t *n)
{
	return store_ids(s,
			 "SELECT c.id FROM cases c LEFT JOIN webhook_state w ON w.case_id = c.id"
			 " WHERE w.notified IS NULL OR w.notified !="
			 " c.status || '/' || coalesce(c.response, '')"
			 " ORDER BY c.id LIMIT ?",
			 ids, max, n);
}

enum idv_err
idv_store_webhook_get(struct idv_store *s, int64_t case_id, char *out, size_t outsz)
{
	out[0] = '\0';
	enum idv_err result =
		store_get_cols(s, "SELECT notified FROM webhook_state WHERE case_id = ?",
			       STORE_VALS(STORE_I64(case_id)), STORE_COLS(STORE_COL_TEXT(out, outsz)));
	return result == IDV_E_NOTFOUND ? IDV_OK : result; /* never told: "" */
}

enum idv_err
idv_store_webhook_set(struct idv_store *s, int64_t case_id, const char *state)
{
	return store_change(s,
			    "INSERT INTO webhook_state(case_id, notified) VALUES(?,?)"
			    " ON CONFLICT(case_id) DO UPDATE SET notified = excluded.notified",
			    STORE_VALS(STORE_I64(case_id), STORE_TEXT(state)), NULL);
}

bool
idv_store_outbox_blocked(struct idv_store *s, int64_t id, const char *url, int64_t *next_at)
{
	return store_get(s,
			 "SELECT next_at FROM outbox WHERE state = 'pending' AND url = ?"
			 " AND id < ? ORDER BY id LIMIT 1",
			 STORE_VALS(STORE_TEXT(url), STORE_I64(id)), store_row_i64,
			 next_at) == IDV_OK;
}
