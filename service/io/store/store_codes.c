/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_codes.c: one-time codes to a contact on file (store.h, codes.h) in SQLite: the code
 * only as a keyed hash, the record it went to sealed under the case key, never a contact.
 */
#include "store_sqlite.h"

void
idv_code_row_init(struct idv_code_row *row)
{
	memset(row, 0, sizeof *row);
	idv_buf_init(&row->record_sealed, 1024);
}

void
idv_code_row_cleanup(struct idv_code_row *row)
{
	idv_buf_cleanup(&row->record_sealed);
}

static uint32_t
codes_u32(sqlite3_stmt *st, int col)
{
	int64_t n = sqlite3_column_int64(st, col);
	return n < 0 ? 0 : n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

enum idv_err
idv_store_code_get(struct idv_store *s, int64_t case_id, struct idv_code_row *row)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	idv_buf_reset(&row->record_sealed);
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(
		    s->db,
		    "SELECT purpose, channel, code_mac, record_sealed, issued_at, attempts,"
		    " sends, verified_at, delivery, created_at, reminded_at FROM contact_codes"
		    " WHERE case_id = ?",
		    -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, case_id);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			row->case_id = case_id;
			const char *p = (const char *)sqlite3_column_text(st, 0);
			const char *c = (const char *)sqlite3_column_text(st, 1);
			idv_strlcpy(row->purpose, p ? p : "", sizeof row->purpose);
			idv_strlcpy(row->channel, c ? c : "", sizeof row->channel);
			row->has_mac = sqlite3_column_bytes(st, 2) == 32;
			if (row->has_mac)
				memcpy(row->code_mac, sqlite3_column_blob(st, 2), 32);
			result = IDV_OK;
			if (sqlite3_column_bytes(st, 3) > 0)
				result = idv_buf_append(&row->record_sealed,
							sqlite3_column_blob(st, 3),
							(size_t)sqlite3_column_bytes(st, 3));
			row->st.issued_at = sqlite3_column_int64(st, 4);
			row->st.attempts = codes_u32(st, 5);
			row->st.sends = codes_u32(st, 6);
			row->st.verified_at = sqlite3_column_int64(st, 7);
			const char *d = (const char *)sqlite3_column_text(st, 8);
			idv_strlcpy(row->delivery, d ? d : "none", sizeof row->delivery);
			row->created_at = sqlite3_column_int64(st, 9);
			row->reminded_at = sqlite3_column_int64(st, 10);
		} else if (rc == SQLITE_DONE) {
			result = IDV_E_NOTFOUND;
		}
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_code_put(struct idv_store *s, const struct idv_code_row *row)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(
		    s->db,
		    "INSERT OR REPLACE INTO contact_codes(case_id, purpose, channel,"
		    " code_mac, record_sealed, issued_at, attempts, sends, verified_at,"
		    " delivery, created_at, reminded_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
		    -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, row->case_id);
		sqlite3_bind_text(st, 2, row->purpose, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, row->channel, -1, SQLITE_STATIC);
		if (row->has_mac)
			sqlite3_bind_blob(st, 4, row->code_mac, 32, SQLITE_STATIC);
		if (row->record_sealed.len > 0)
			sqlite3_bind_blob(st, 5, row->record_sealed.data,
					  (int)row->record_sealed.len, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, row->st.issued_at);
		sqlite3_bind_int64(st, 7, row->st.attempts);
		sqlite3_bind_int64(st, 8, row->st.sends);
		sqlite3_bind_int64(st, 9, row->st.verified_at);
		sqlite3_bind_text(st, 10, row->delivery[0] ? row->delivery : "none", -1,
				  SQLITE_STATIC);
		sqlite3_bind_int64(st, 11, row->created_at);
		sqlite3_bind_int64(st, 12, row->reminded_at);
		result = store_step_done(st);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

static enum idv_err
codes_exec_id(struct idv_store *s, const char *sql, int64_t id, const char *text)
{
	enum idv_err result = IDV_E_DB;
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		if (text != NULL)
			sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
		result = store_step_done(st);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return result;
}

enum idv_err
idv_store_code_delivery(struct idv_store *s, int64_t case_id, const char *delivery)
{
	return codes_exec_id(s, "UPDATE contact_codes SET delivery = ?2 WHERE case_id = ?1",
			     case_id, delivery);
}

enum idv_err
idv_store_outbox_delete(struct idv_store *s, int64_t id)
{
	return codes_exec_id(s, "DELETE FROM outbox WHERE id = ?", id, NULL);
}

enum idv_err
idv_store_code_delete_case(struct idv_store *s, int64_t case_id)
{
	enum idv_err err = codes_exec_id(s, "DELETE FROM contact_codes WHERE case_id = ?", case_id,
					 NULL);
	if (err == IDV_OK)
		err = idv_store_code_messages_drop(s, case_id);
	return err;
}

enum idv_err
idv_store_code_messages_drop(struct idv_store *s, int64_t case_id)
{
	return store_change(s, "DELETE FROM outbox WHERE case_id = ? AND url IN ('email','sms')",
			    STORE_VALS(STORE_I64(case_id)), NULL);
}

struct codes_ids {
	int64_t *ids;
	size_t max, n;
};

static bool
codes_id_row(sqlite3_stmt *st, void *arg)
{
	struct codes_ids *c = arg;
	if (c->n < c->max)
		c->ids[c->n++] = sqlite3_column_int64(st, 0);
	return c->n < c->max;
}

enum idv_err
idv_store_code_remind_due(struct idv_store *s, int64_t sent_before, int64_t *ids, size_t max,
			  size_t *n)
{
	struct codes_ids c = {ids, max, 0};
	enum idv_err err = store_run(
		s,
		"SELECT k.case_id FROM contact_codes k JOIN cases c ON c.id = k.case_id"
		" WHERE k.purpose = 'verify' AND k.verified_at = 0 AND k.reminded_at = 0"
		" AND k.issued_at > 0"
		" AND k.issued_at <= ? AND length(k.record_sealed) > 0 AND c.closed_at IS NULL"
		" AND c.status = 'awaiting_evidence' ORDER BY k.issued_at LIMIT ?",
		STORE_VALS(STORE_I64(sent_before), STORE_I64((int64_t)max)), codes_id_row, &c);
	*n = c.n;
	return err;
}
