/* SPDX-License-Identifier: Apache-2.0 */
/* audit.c: appending to and verifying the hash-chained audit trail (see audit.h). */
#include <time.h>

#include "audit.h"
#include "idverify/auditrec.h"
#include "crypto.h"
#include "log.h"
#include "idverify/str.h"

static enum idv_err
audit_mac(const struct idv_audit_entry *e, const uint8_t prev[32], uint8_t mac[32])
{
	uint8_t key[IDV_KEY_LEN];
	uint8_t *canon = idv_malloc(IDV_AUDIT_CANON_MAX);
	size_t len = 0;
	enum idv_err err = idv_audit_canon(e, prev, canon, IDV_AUDIT_CANON_MAX, &len);
	if (err == IDV_OK && (err = idv_crypto_derive("audit", key)) == IDV_OK)
		idv_crypto_hmac(key, canon, len, mac);
	idv_wipe(key, sizeof key);
	free(canon);
	return err;
}

enum idv_err
idv_audit_append(struct idv_store *s, const char *actor, const char *event, const char *case_ref,
		 json_t *detail)
{
	struct idv_audit_row *row = idv_calloc(1, sizeof *row);
	char *d = NULL;
	enum idv_err err;
	if (detail != NULL)
		d = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(detail);
	if ((detail != NULL && d == NULL) ||
	    !idv_strlcpy(row->actor, actor ? actor : "", sizeof row->actor) ||
	    !idv_strlcpy(row->event, event, sizeof row->event) ||
	    !idv_strlcpy(row->case_ref, case_ref ? case_ref : "", sizeof row->case_ref) ||
	    !idv_strlcpy(row->detail, d ? d : "", sizeof row->detail)) {
		err = IDV_E_TOOBIG;
		goto out;
	}
	if ((err = idv_store_audit_last(s, &row->seq, row->prev_mac)) != IDV_OK)
		goto out;
	row->seq++;
	row->at = (int64_t)time(NULL);
	struct idv_audit_entry e = {row->seq, row->at, row->actor, row->event, row->case_ref,
				    row->detail};
	if ((err = audit_mac(&e, row->prev_mac, row->mac)) != IDV_OK)
		goto out;
	err = idv_store_audit_insert(s, row);
out:
	if (err != IDV_OK)
		idv_log(IDV_LOG_ERROR, "audit.append_failed", "{s:s,s:s}", "event", event, "error",
			idv_err_name(err));
	free(d);
	free(row);
	return err;
}

enum idv_err
idv_audit_record(struct idv_store *s, const char *actor, const char *event, const char *case_ref,
		 json_t *detail)
{
	enum idv_err err = idv_store_begin(s);
	if (err != IDV_OK) {
		json_decref(detail);
		return err;
	}
	return idv_store_end(s, idv_audit_append(s, actor, event, case_ref, detail));
}

struct audit_walk {
	struct idv_audit_report *rep;
	uint8_t prev[32];
	int64_t seq;
	enum idv_err err;
};

static bool
audit_check(void *arg, const struct idv_audit_row *row)
{
	struct audit_walk *w = arg;
	uint8_t mac[32];
	const char *why = NULL;
	if (row->seq != w->seq + 1)
		why = "a gap in the sequence (an entry was removed or inserted)";
	else if (!row->well_formed)
		why = "a column does not have its type or size";
	else if (!idv_ct_equal(row->prev_mac, w->prev, 32))
		why = "the link to the previous entry does not hold";
	if (why == NULL) {
		struct idv_audit_entry e = {row->seq, row->at, row->actor, row->event,
					    row->case_ref, row->detail};
		enum idv_err err = audit_mac(&e, w->prev, mac);
		if (err == IDV_E_INVAL || err == IDV_E_TOOBIG)
			why = "the entry is malformed";
		else if (err != IDV_OK)
			w->err = err;
		else if (!idv_ct_equal(mac, row->mac, 32))
			why = "the MAC does not match the entry's content";
	}
	if (w->err != IDV_OK)
		return false;
	if (why != NULL) {
		w->rep->bad_seq = row->seq;
		idv_why(w->rep->why, sizeof w->rep->why, "%s", why);
		w->err = IDV_E_CHECKSUM;
		return false;
	}
	memcpy(w->prev, row->mac, 32);
	w->seq = row->seq;
	w->rep->entries++;
	return true;
}

enum idv_err
idv_audit_verify(struct idv_store *s, struct idv_audit_report *rep)
{
	struct audit_walk w = {rep, {0}, 0, IDV_OK};
	memset(rep, 0, sizeof *rep);
	enum idv_err err = idv_store_audit_each(s, audit_check, &w);
	return err != IDV_OK ? err : w.err;
}
