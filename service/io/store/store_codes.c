/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_codes.c: one-time codes to a contact on file (store.h, codes.h): the code
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
codes_u32(const struct store_row *r, int col)
{
	int64_t n = store_col_i64(r, col);
	return n < 0 ? 0 : n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

static bool
code_from_row(const struct store_row *r, void *arg)
{
	struct idv_code_row *row = arg;
	store_col_text(r, 0, row->purpose, sizeof row->purpose, NULL);
	store_col_text(r, 1, row->channel, sizeof row->channel, NULL);
	row->has_mac = store_col_blob32(r, 2, row->code_mac);
	store_col_buf(r, 3, &row->record_sealed);
	row->st.issued_at = store_col_i64(r, 4);
	row->st.attempts = codes_u32(r, 5);
	row->st.sends = codes_u32(r, 6);
	row->st.verified_at = store_col_i64(r, 7);
	store_col_text(r, 8, row->delivery, sizeof row->delivery, NULL);
	if (row->delivery[0] == '\0')
		idv_strlcpy(row->delivery, "none", sizeof row->delivery);
	row->created_at = store_col_i64(r, 9);
	row->reminded_at = store_col_i64(r, 10);
	return false;
}

enum idv_err
idv_store_code_get(struct idv_store *s, int64_t case_id, struct idv_code_row *row)
{
	idv_buf_reset(&row->record_sealed);
	enum idv_err result = store_get(
		s,
		"SELECT purpose, channel, code_mac, record_sealed, issued_at,"
		" attempts, sends, verified_at, delivery, created_at"
		" FROM contact_codes WHERE case_id = ?",
		STORE_VALS(STORE_I64(case_id)), code_from_row, row);
	if (result == IDV_OK) {
		row->case_id = case_id;
		result = row->record_sealed.err; /* a sealed record id over its buffer's ceiling */
	}
	return result;
}

enum idv_err
idv_store_code_put(struct idv_store *s, const struct idv_code_row *row)
{
	return store_change(
		s,
		"INSERT INTO contact_codes(case_id, purpose, channel, code_mac, record_sealed,"
		" issued_at, attempts, sends, verified_at, delivery, created_at, reminded_at)"
		" VALUES(?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(case_id) DO UPDATE SET"
		" purpose = excluded.purpose, channel = excluded.channel,"
		" code_mac = excluded.code_mac, record_sealed = excluded.record_sealed,"
		" issued_at = excluded.issued_at, attempts = excluded.attempts,"
		" sends = excluded.sends, verified_at = excluded.verified_at,"
		" delivery = excluded.delivery, created_at = excluded.created_at,"
		" reminded_at = excluded.reminded_at",
		STORE_VALS(STORE_I64(row->case_id), STORE_TEXT(row->purpose),
			   STORE_TEXT(row->channel),
			   STORE_BLOB(row->has_mac ? row->code_mac : NULL, 32),
			   STORE_BUF(&row->record_sealed), STORE_I64(row->st.issued_at),
			   STORE_I64(row->st.attempts), STORE_I64(row->st.sends),
			   STORE_I64(row->st.verified_at),
			   STORE_TEXT(row->delivery[0] ? row->delivery : "none"),
			   STORE_I64(row->created_at), STORE_I64(row->reminded_at)),
		NULL);
}

enum idv_err
idv_store_code_delivery(struct idv_store *s, int64_t case_id, const char *delivery)
{
	return store_change(s, "UPDATE contact_codes SET delivery = ? WHERE case_id = ?",
			    STORE_VALS(STORE_TEXT(delivery), STORE_I64(case_id)), NULL);
}

enum idv_err
idv_store_outbox_delete(struct idv_store *s, int64_t id)
{
	return store_change(s, "DELETE FROM outbox WHERE id = ?", STORE_VALS(STORE_I64(id)), NULL);
}

enum idv_err
idv_store_code_delete_case(struct idv_store *s, int64_t case_id)
{
	enum idv_err err = store_change(s, "DELETE FROM contact_codes WHERE case_id = ?",
					STORE_VALS(STORE_I64(case_id)), NULL);
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
codes_id_row(const struct store_row *r, void *arg)
{
	struct codes_ids *c = arg;
	if (c->n < c->max)
		c->ids[c->n++] = store_col_i64(r, 0);
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
