/* SPDX-License-Identifier: Apache-2.0 */
/* codes.c: one-time codes to a contact on file (codes.h). */
#include <time.h>

#include "agents.h"
#include "audit.h"
#include "codes.h"
#include "decision.h"
#include "log.h"
#include "recordstore.h"
#include "seal.h"
#include "idverify/attempts.h"
#include "idverify/match.h"
#include "idverify/name.h"
#include "idverify/record.h"
#include "idverify/str.h"

#define CODES_MAX_CANDIDATES 16

void
idv_codes_rule(const struct idv_config *cfg, struct idv_code_rule *r)
{
	idv_code_rule_defaults(r);
	if (cfg == NULL)
		return;
	r->digits = cfg->code_digits;
	r->ttl_s = cfg->code_ttl_s;
	r->max_attempts = cfg->code_attempts;
	r->max_sends = cfg->code_sends;
	r->resend_after_s = cfg->code_resend_s;
	if (!idv_code_rule_valid(r))
		idv_code_rule_defaults(r);
}

enum idv_err
idv_code_message_seal(const char *url, const void *p, size_t len, struct idv_buf *out)
{
	return idv_crypto_derived(false, "outbox", p, len, out, "idverify/outbox/%s", url);
}

/* The keyed hash of a code, bound to its case. */
static enum idv_err
codes_mac(const char *reference, const char *code, uint8_t out[32])
{
	char msg[IDV_CASE_REF_MAX + IDV_CODE_DIGITS_MAX + 4];
	enum idv_err err = idv_fmt(msg, sizeof msg, "%s:%s", reference, code)
				   ? idv_crypto_hmac_derived("contact-code", msg, strlen(msg), out)
				   : IDV_E_TOOBIG;
	idv_wipe(msg, sizeof msg);
	return err;
}

enum idv_err
idv_case_code_want(struct idv_store *store, int64_t case_id, const char *channel,
		   const char *purpose, int64_t now)
{
	struct idv_code_row row;
	idv_code_row_init(&row);
	row.case_id = case_id;
	idv_strlcpy(row.purpose, purpose, sizeof row.purpose);
	idv_strlcpy(row.channel, channel, sizeof row.channel);
	idv_strlcpy(row.delivery, "none", sizeof row.delivery);
	row.created_at = now;
	enum idv_err err = idv_store_code_put(store, &row);
	idv_code_row_cleanup(&row);
	return err;
}

static void
codes_answer(struct idv_code_answer *ans, int status, const char *problem, const char *detail)
{
	ans->status = status;
	ans->problem = problem;
	ans->detail = detail;
}

/* The claims of a case, opened with its key. */
static enum idv_err
codes_claims(const struct idv_case_row *row, const uint8_t dek[IDV_KEY_LEN], struct idv_claims *c)
{
	struct idv_buf plain;
	char why[200];
	idv_buf_init(&plain, 256 * 1024);
	enum idv_err err = idv_case_open(dek, row->reference, "claims", row->claims_sealed.data,
					 row->claims_sealed.len, &plain);
	json_t *j = err == IDV_OK ? json_loadb((const char *)plain.data, plain.len, 0, NULL) : NULL;
	if (err == IDV_OK && !idv_claims_from_json(j, c, why, sizeof why))
		err = IDV_E_STATE;
	json_decref(j);
	idv_buf_cleanup_wipe(&plain);
	return err;
}

/*
 * The one candidate record whose name matches the typed name and whose contact of this
 * channel is exactly the typed one; false when none or several.
 */
static bool
codes_target(struct idv_cases *cs, const struct idv_claims *c, const char *channel,
	     struct idv_record *cands, struct idv_record **target)
{
	size_t n = 0, hits = 0;
	struct idv_name cn, rn;
	bool email = strcmp(channel, "email") == 0;
	const char *typed = email ? c->email : c->phone;
	*target = NULL;
	if (idv_records_candidates(cs->store, c, NULL, 0, cands, CODES_MAX_CANDIDATES, &n) !=
		    IDV_OK ||
	    idv_name_parse(c->given_names, "", c->family_name, c->suffix, &cn) != IDV_OK)
		n = 0;
	for (size_t i = 0; i < n; i++) {
		struct idv_match nm, cm;
		const char *have = email ? cands[i].email : cands[i].phone;
		if (idv_name_parse(cands[i].given_name, cands[i].middle_name, cands[i].family_name,
				   cands[i].suffix, &rn) != IDV_OK)
			continue;
		idv_name_compare(&cn, &rn, NULL, &nm);
		if (email)
			idv_match_email(typed, have, &cm);
		else
			idv_match_phone(typed, have, &cm);
		/* exactly the contact on file (any case), never a look-alike */
		if (typed[0] != '\0' && have[0] != '\0' && nm.score >= 0.85 && cm.score >= 1.0) {
			hits++;
			*target = &cands[i];
		}
	}
	if (hits != 1)
		*target = NULL;
	return *target != NULL;
}

/*
 * The consumer's code of an agent's request goes to the contact on the one record that the
 * agent's typed name and typed e-mail (or, failing that, phone) designate; the channel that
 * found it is the code's. Never to a typed contact that differs from the record's.
 */
static bool
codes_target_consumer(struct idv_cases *cs, const struct idv_claims *c, struct idv_code_row *code,
		      struct idv_record *cands, struct idv_record **target)
{
	const char *first = strcmp(code->channel, "phone") == 0 ? "phone" : "email";
	const char *other = strcmp(first, "email") == 0 ? "phone" : "email";
	if (codes_target(cs, c, first, cands, target))
		return true;
	if (!codes_target(cs, c, other, cands, target))
		return false;
	idv_strlcpy(code->channel, other, sizeof code->channel);
	return true;
}

/* The consumer's code lives on after it matched: its state as the send and check rules see
 * it (a fresh code may be sent and checked for a new session; the old session lasts until the
 * new code matches). */
static struct idv_code_state
codes_live(const struct idv_code_row *code)
{
	struct idv_code_state st = code->st;
	if (strcmp(code->purpose, IDV_CODE_PURPOSE_CONSUMER) == 0)
		st.verified_at = 0;
	return st;
}

/* The agent as the consumer's message names it: its directory name, or words for an agent
 * that used the web form (which gives no name the service could trust). */
static void
codes_agent_name(struct idv_cases *cs, int64_t case_id, char *out, size_t outsz)
{
	struct idv_agent_case_row ac;
	const struct idv_agent *a = NULL;
	idv_agent_case_row_init(&ac);
	if (idv_store_agent_case_get(cs->store, case_id, &ac) == IDV_OK && ac.agent_id[0] != '\0')
		a = idv_agents_find(cs->agents, ac.agent_id);
	idv_strlcpy(out, a != NULL && a->name[0] ? a->name : "who used our web form", outsz);
	idv_agent_case_row_cleanup(&ac);
}

/* The audit detail of a send; for the consumer's code, whether a contact on file was found:
 * the business's trail says when the consumer must be reached another way. */
static json_t *
codes_sent_detail(const struct idv_code_row *code, bool consumer, bool found)
{
	json_t *d = json_pack("{s:s,s:i}", "channel", code->channel, "send", (int)code->st.sends);
	if (consumer)
		json_object_set_new(d, "contact_on_file", json_boolean(found));
	return d;
}

/* Load the case (open, awaiting evidence; any open case for the consumer's code) and its code
 * row; ans filled when not. */
static bool
codes_load(struct idv_cases *cs, const char *reference, struct idv_case_row *row,
	   struct idv_code_row *code, struct idv_code_answer *ans)
{
	if (idv_store_case_get(cs->store, reference, row) != IDV_OK) {
		codes_answer(ans, 404, "not-found", "no such request");
		return false;
	}
	bool have = idv_store_code_get(cs->store, row->id, code) == IDV_OK;
	bool consumer = have && strcmp(code->purpose, IDV_CODE_PURPOSE_CONSUMER) == 0;
	if (row->closed_at != 0 ||
	    (!consumer && strcmp(row->status, IDV_CS_AWAITING_EVIDENCE) != 0)) {
		codes_answer(ans, 409, "invalid-state",
			     "a code is only used while the request awaits evidence");
		return false;
	}
	if (!have) {
		codes_answer(ans, 409, "invalid-state",
			     "this request was not filed to be verified with a code "
			     "(\"contact_code\": \"email\" or \"phone\")");
		return false;
	}
	return true;
}

/* Step 1 of a send: may a code go out now? ans filled when not. */
static bool
codes_may_send(const struct idv_code_rule *rule, const struct idv_code_row *code, int64_t now,
	       struct idv_code_answer *ans)
{
	int64_t wait = 0;
	struct idv_code_state live = codes_live(code);
	switch (idv_code_may_send(rule, &live, now, &wait)) {
	case IDV_CODE_SEND_WAIT:
		codes_answer(ans, 429, "code-wait",
			     "a code was sent a moment ago: wait before asking for another");
		ans->retry_after = wait;
		return false;
	case IDV_CODE_SEND_LIMIT:
		codes_answer(ans, 429, "code-limit", "no more codes can be sent for this request");
		ans->retry_after = 86400;
		return false;
	case IDV_CODE_SEND_DONE:
		codes_answer(ans, 409, "invalid-state", "the code was confirmed already");
		return false;
	case IDV_CODE_SEND_OK: break;
	}
	return true;
}

/* Step 2: a fresh code of rule->digits digits and its keyed hash, bound to the case. */
static enum idv_err
codes_make(const char *reference, const struct idv_code_rule *rule, char *digits, size_t digitssz,
	   uint8_t mac[32])
{
	uint8_t rnd[32];
	enum idv_err err = idv_crypto_random(rnd, sizeof rnd);
	if (err == IDV_OK && !idv_code_from_random(rnd, sizeof rnd, rule->digits, digits, digitssz))
		err = IDV_E_CRYPTO;
	if (err == IDV_OK)
		err = codes_mac(reference, digits, mac);
	idv_wipe(rnd, sizeof rnd);
	return err;
}

/* Step 3: the message for the outbox (to, code, reference, minutes, and the language its text
 * is written in: lang, NULL for English; for the consumer of an agent's request, agent names
 * the agent and the agent-code texts are used), sealed into out. */
static enum idv_err
codes_message(const struct idv_record *target, bool email, const char *digits,
	      const char *reference, const struct idv_code_rule *rule, const char *lang,
	      const char *agent, struct idv_buf *out)
{
	const char *to = target == NULL ? "" : email ? target->email : target->phone;
	json_t *m = json_pack("{s:s,s:s,s:s,s:I,s:s}", "to", to, "code", digits, "reference",
			      reference, "minutes", (json_int_t)((rule->ttl_s + 59) / 60), "lang",
			      lang != NULL ? lang : "en");
	if (m != NULL && agent != NULL) {
		json_object_set_new(m, "kind", json_string("agent-code"));
		json_object_set_new(m, "agent", json_string(agent));
	}
	char *text = json_dumps(m, JSON_COMPACT);
	json_decref(m);
	if (text == NULL)
		return IDV_E_NOMEM;
	enum idv_err err = idv_code_message_seal(email ? "email" : "sms", text, strlen(text), out);
	idv_wipe(text, strlen(text));
	free(text);
	return err;
}

/*
 * The keyed hash one contact's sends are counted under, across cases (--code-contact-sends per
 * --code-contact-window), in the attempts table: its own key ("contact-send") and a channel
 * prefix, so it never meets a name's or a record's counter. An e-mail is folded to lower case,
 * a phone to its digits.
 */
static enum idv_err
codes_contact_hash(const char *channel, const char *contact, uint8_t out[32])
{
	char norm[sizeof(((struct idv_record *)0)->email) + 16] = "";
	bool email = strcmp(channel, "email") == 0;
	enum idv_err err = IDV_OK;
	/* an empty contact (none typed) is counted under the channel alone: the same work */
	if (!idv_code_contact_fold(email, contact, strlen(contact), norm, sizeof norm) &&
	    !idv_fmt(norm, sizeof norm, "%s:", email ? "email" : "phone"))
		err = IDV_E_TOOBIG;
	if (err == IDV_OK)
		err = idv_crypto_hmac_derived("contact-send", norm, strlen(norm), out);
	idv_wipe(norm, sizeof norm);
	return err;
}

/* Count one send to the contact (inside the caller's transaction): false when the contact had
 * its --code-contact-sends in the window already (then nothing is sent to it). */
static enum idv_err
codes_contact_step(struct idv_cases *cs, const char *channel, const char *contact, int64_t now,
		   bool *allowed)
{
	struct idv_attempts_state st;
	uint8_t h[32];
	int64_t window = cs->cfg != NULL ? cs->cfg->code_contact_window_s : 86400;
	struct idv_attempts_rule r = {.max_attempts = cs->cfg != NULL ? cs->cfg->code_contact_sends
								      : 10,
				      .window_s = window,
				      .lockout_s = window};
	enum idv_err err = codes_contact_hash(channel, contact, h);
	if (err == IDV_OK)
		err = idv_store_attempts_get(cs->store, h, &st);
	if (err == IDV_OK) {
		*allowed = idv_attempts_step(&r, &st, now) == IDV_ATTEMPTS_ALLOW;
		err = idv_store_attempts_put(cs->store, h, &st);
	}
	return err;
}

/*
 * Step 4: the contact's counter, the code row, the queued message (when a record matched and
 * its contact is under its limit; it replaces any older message of the case still waiting)
 * and the audit entry, in one transaction. The counter is that of the contact on file when a
 * record matched, else of the typed one: the same work either way.
 */
static enum idv_err
codes_record_send(struct idv_cases *cs, const char *actor, const struct idv_case_row *row,
		  struct idv_code_row *code, const char *contact, bool matched,
		  const struct idv_buf *msg, int64_t now, bool *queued)
{
	bool allowed = false;
	*queued = false;
	enum idv_err err = idv_store_begin(cs->store);
	if (err != IDV_OK)
		return err;
	const char *url = strcmp(code->channel, "email") == 0 ? "email" : "sms";
	/* The consumer's message waits a moment: sent while the agent's answer is being made, it
	 * would make a customer's answer slower than a stranger's (bench_agent_code.py). */
	int64_t due = strcmp(code->purpose, IDV_CODE_PURPOSE_CONSUMER) == 0
			      ? now + IDV_CODE_CONSUMER_HOLD_S
			      : now;
	err = codes_contact_step(cs, code->channel, contact, now, &allowed);
	*queued = matched && allowed;
	idv_strlcpy(code->delivery,
		    *queued   ? "queued"
		    : matched ? "limited"
			      : "none",
		    sizeof code->delivery);
	if (err == IDV_OK)
		err = idv_store_code_put(cs->store, code);
	if (err == IDV_OK && *queued &&
	    (err = idv_store_code_messages_drop(cs->store, row->id)) == IDV_OK)
		err = idv_store_outbox_insert(cs->store, row->id, url, msg->data, msg->len, due);
	if (err == IDV_OK)
		err = idv_audit_append(
			cs->store, actor, "contact_code.sent", row->reference,
			codes_sent_detail(code,
					  strcmp(code->purpose, IDV_CODE_PURPOSE_CONSUMER) == 0,
					  matched));
	return idv_store_end(cs->store, err);
}

/* Step 5: the 202 answer, with what the requester typed, masked: the same answer whether or
 * not we hold it. */
static void
codes_answer_sent(struct idv_code_answer *ans, const struct idv_claims *claims,
		  const struct idv_code_row *code, const struct idv_code_rule *rule, bool email)
{
	char masked[256] = "";
	const char *typed = email ? claims->email : claims->phone;
	bool masked_ok = email ? idv_code_mask_email(typed, strlen(typed), masked, sizeof masked)
			       : idv_code_mask_phone(typed, strlen(typed), masked, sizeof masked);
	codes_answer(ans, 202, NULL, NULL);
	if (strcmp(code->purpose, IDV_CODE_PURPOSE_CONSUMER) == 0) {
		/* which channel found a record is not told: nothing here depends on it */
		ans->body = json_pack(
			"{s:s,s:I,s:I,s:I}", "message",
			"If we hold an e-mail address or a phone number for the consumer, a code is "
			"on its way to it.",
			"expires_in_s", (json_int_t)rule->ttl_s, "resend_after_s",
			(json_int_t)rule->resend_after_s, "sends_left",
			(json_int_t)(rule->max_sends - code->st.sends));
		return;
	}
	ans->body = json_pack(
		"{s:s,s:o,s:s,s:I,s:I,s:I}", "channel", code->channel, "sent_to",
		masked_ok ? json_string(masked) : json_null(), "message",
		email ? "If we hold this e-mail address for you, a code is on its way."
		      : "If we hold this phone number for you, a code is on its way.",
		"expires_in_s", (json_int_t)rule->ttl_s, "resend_after_s",
		(json_int_t)rule->resend_after_s, "sends_left",
		(json_int_t)(rule->max_sends - code->st.sends));
}

enum idv_err
idv_case_code_send(struct idv_cases *cs, const char *reference, const char *actor, int64_t now,
		   const char *lang, struct idv_code_answer *ans)
{
	enum idv_err err = IDV_OK;
	struct idv_case_row row;
	struct idv_code_row code;
	struct idv_code_rule rule;
	struct idv_claims *claims = idv_calloc(1, sizeof *claims);
	struct idv_record *cands = idv_calloc(CODES_MAX_CANDIDATES, sizeof *cands);
	struct idv_record *target = NULL;
	struct idv_buf msg_sealed;
	uint8_t dek[IDV_KEY_LEN] = {0}, mac[32];
	char digits[IDV_CODE_DIGITS_MAX + 1] = "";
	memset(ans, 0, sizeof *ans);
	idv_case_row_init(&row);
	idv_code_row_init(&code);
	idv_buf_init(&msg_sealed, 8192);
	idv_codes_rule(cs->cfg, &rule);
	if (!codes_load(cs, reference, &row, &code, ans) || !codes_may_send(&rule, &code, now, ans))
		goto out;
	if ((err = idv_case_key_open(&row, dek)) != IDV_OK ||
	    (err = codes_claims(&row, dek, claims)) != IDV_OK)
		goto out;
	/* The same work whether or not a record matches: a lookup, a code, its hash, a sealed
	 * record id (empty when none), one row written, one audit entry. */
	bool consumer = strcmp(code.purpose, IDV_CODE_PURPOSE_CONSUMER) == 0;
	char agent[160] = "";
	if (consumer) {
		codes_target_consumer(cs, claims, &code, cands, &target);
		codes_agent_name(cs, row.id, agent, sizeof agent);
	} else {
		codes_target(cs, claims, code.channel, cands, &target);
	}
	bool email = strcmp(code.channel, "email") == 0;
	if ((err = codes_make(row.reference, &rule, digits, sizeof digits, mac)) != IDV_OK)
		goto out;
	const char *rid = target != NULL ? target->id : "";
	idv_buf_reset(&code.record_sealed);
	if ((err = idv_case_seal(dek, row.reference, "code-record", rid, strlen(rid),
				 &code.record_sealed)) != IDV_OK ||
	    (err = codes_message(target, email, digits, row.reference, &rule, lang,
				 consumer ? agent : NULL, &msg_sealed)) != IDV_OK)
		goto out;
	if (target == NULL)
		idv_buf_reset(&code.record_sealed);
	memcpy(code.code_mac, mac, 32);
	code.has_mac = true;
	idv_code_sent(&code.st, now);
	const char *contact = target != NULL ? (email ? target->email : target->phone)
			      : email        ? claims->email
					     : claims->phone;
	bool queued = false;
	if ((err = codes_record_send(cs, actor, &row, &code, contact, target != NULL, &msg_sealed,
				     now, &queued)) != IDV_OK)
		goto out;
	codes_answer_sent(ans, claims, &code, &rule, email);
	ans->woke = queued;
out:
	if (err != IDV_OK && ans->status == 0)
		codes_answer(ans, 500, "internal", "the code could not be sent");
	idv_wipe(digits, sizeof digits);
	idv_wipe(dek, sizeof dek);
	idv_wipe(claims, sizeof *claims);
	idv_wipe(cands, CODES_MAX_CANDIDATES * sizeof *cands);
	free(claims);
	free(cands);
	idv_buf_cleanup(&msg_sealed);
	idv_code_row_cleanup(&code);
	idv_case_row_cleanup(&row);
	return err;
}

/* Check a typed code; the audit entry of a match names actor, of a wrong code actor_wrong
 * (actor when NULL). */
static enum idv_err
codes_verify(struct idv_cases *cs, const char *reference, const char *actor,
	     const char *actor_wrong, const char *purpose, const char *typed, int64_t now,
	     struct idv_code_answer *ans)
{
	enum idv_err err = IDV_OK;
	struct idv_case_row row;
	struct idv_code_row code;
	struct idv_code_rule rule;
	uint8_t mac[32];
	char digits[32];
	bool evaluate = false;
	memset(ans, 0, sizeof *ans);
	idv_case_row_init(&row);
	idv_code_row_init(&code);
	idv_codes_rule(cs->cfg, &rule);
	if (!codes_load(cs, reference, &row, &code, ans))
		goto out;
	if (strcmp(code.purpose, purpose) != 0) {
		codes_answer(ans, 409, "invalid-state", "this code is not confirmed here");
		goto out;
	}
	if (typed == NULL || !idv_code_normalize(typed, strlen(typed), digits, sizeof digits) ||
	    !idv_code_shape_ok(digits, strlen(digits), rule.digits)) {
		codes_answer(ans, 422, "invalid", "the code is the digits of the message we sent");
		goto out;
	}
	struct idv_code_state live = codes_live(&code);
	switch (idv_code_check(&rule, &live, now)) {
	case IDV_CODE_NONE:
		codes_answer(ans, 409, "invalid-state", "no code was sent yet");
		goto out;
	case IDV_CODE_EXPIRED:
		codes_answer(ans, 422, "code-expired", "this code has expired: ask for a new one");
		goto out;
	case IDV_CODE_EXHAUSTED:
		codes_answer(ans, 429, "code-exhausted", "too many wrong codes: ask for a new one");
		ans->retry_after = rule.resend_after_s;
		goto out;
	case IDV_CODE_VERIFIED:
		codes_answer(ans, 409, "invalid-state", "the code was confirmed already");
		goto out;
	case IDV_CODE_TRY: break;
	}
	if (!code.has_mac) { /* the consumer's code, used already */
		codes_answer(ans, 409, "invalid-state",
			     "this code was used already: ask for a new one");
		goto out;
	}
	if ((err = codes_mac(row.reference, digits, mac)) != IDV_OK)
		goto out;
	bool match = idv_ct_equal(mac, code.code_mac, sizeof mac);
	enum idv_code_verdict v = idv_code_record(&rule, &live, match, now);
	code.st.attempts = live.attempts;
	if (match)
		code.st.verified_at = live.verified_at;
	if (v != IDV_CODE_TRY)
		code.has_mac = false; /* a used or dead code is forgotten */
	if ((err = idv_store_begin(cs->store)) != IDV_OK)
		goto out;
	if ((err = idv_store_code_put(cs->store, &code)) != IDV_OK ||
	    (err = idv_audit_append(cs->store, match || actor_wrong == NULL ? actor : actor_wrong,
				    match ? "contact_code.verified" : "contact_code.wrong",
				    row.reference,
				    json_pack("{s:s,s:i}", "channel", code.channel, "attempts",
					      (int)code.st.attempts))) != IDV_OK) {
		idv_store_rollback(cs->store);
		goto out;
	}
	if ((err = idv_store_commit(cs->store)) != IDV_OK)
		goto out;
	if (match && strcmp(code.purpose, IDV_CODE_PURPOSE_CONSUMER) == 0) {
		char token[65];
		if ((err = idv_case_consumer_token(row.reference, code.st.verified_at, token)) !=
		    IDV_OK)
			goto out;
		codes_answer(ans, 201, NULL, NULL);
		ans->body = json_pack("{s:s,s:s}", "reference", row.reference, "token", token);
		idv_wipe(token, sizeof token);
	} else if (match) {
		codes_answer(ans, 200, NULL, NULL);
		ans->body = json_pack("{s:b}", "verified", true);
	} else if (v == IDV_CODE_EXHAUSTED) {
		codes_answer(ans, 429, "code-exhausted", "too many wrong codes: ask for a new one");
		ans->retry_after = rule.resend_after_s;
	} else {
		codes_answer(ans, 422, "code-wrong", "this is not the code we sent");
	}
	evaluate = strcmp(code.purpose, IDV_CODE_PURPOSE_VERIFY) == 0 &&
		   (match || idv_case_code_settled(cs, row.id));
out:
	idv_wipe(digits, sizeof digits);
	if (err != IDV_OK && ans->status == 0)
		codes_answer(ans, 500, "internal", "the code could not be checked");
	ans->evaluate = evaluate;
	idv_code_row_cleanup(&code);
	idv_case_row_cleanup(&row);
	return err;
}

enum idv_err
idv_case_code_verify(struct idv_cases *cs, const char *reference, const char *actor,
		     const char *purpose, const char *typed, int64_t now,
		     struct idv_code_answer *ans)
{
	return codes_verify(cs, reference, actor, NULL, purpose, typed, now, ans);
}

/* ---- the consumer of an agent's request (R24) ---------------------------------------------- */

enum idv_err
idv_case_consumer_token(const char *reference, int64_t verified_at, char token[65])
{
	uint8_t key[IDV_KEY_LEN], mac[32];
	char msg[IDV_CASE_REF_MAX + 24];
	enum idv_err err = idv_crypto_derive("consumer-session", key);
	token[0] = '\0';
	if (err == IDV_OK && (verified_at == 0 || !idv_fmt(msg, sizeof msg, "%s:%lld", reference,
							   (long long)verified_at)))
		err = IDV_E_INVAL;
	if (err == IDV_OK) {
		idv_crypto_hmac(key, msg, strlen(msg), mac);
		idv_hex(mac, sizeof mac, token);
	}
	idv_wipe(key, sizeof key);
	idv_wipe(mac, sizeof mac);
	return err;
}

enum idv_err
idv_case_consumer_want(struct idv_store *store, int64_t case_id, json_t *claims, int64_t now)
{
	const char *email = json_string_value(json_object_get(claims, "email"));
	const char *phone = json_string_value(json_object_get(claims, "phone"));
	return idv_case_code_want(store, case_id,
				  email == NULL && phone != NULL ? "phone" : "email",
				  IDV_CODE_PURPOSE_CONSUMER, now);
}

enum idv_err
idv_case_consumer_session(struct idv_cases *cs, const char *reference, const char *typed,
			  int64_t now, struct idv_code_answer *ans)
{
	char actor[IDV_CASE_REF_MAX + 16];
	if (!idv_fmt(actor, sizeof actor, "consumer:%s", reference)) {
		memset(ans, 0, sizeof *ans);
		codes_answer(ans, 404, "not-found", "no such request");
		return IDV_OK;
	}
	return codes_verify(cs, reference, actor, "anonymous", IDV_CODE_PURPOSE_CONSUMER, typed,
			    now, ans);
}

bool
idv_case_consumer_holds(struct idv_store *store, const struct idv_case_row *row, const char *token)
{
	struct idv_code_row code;
	char mine[65];
	bool ok = false;
	idv_code_row_init(&code);
	if (strlen(token) == 64 && idv_store_code_get(store, row->id, &code) == IDV_OK &&
	    strcmp(code.purpose, IDV_CODE_PURPOSE_CONSUMER) == 0 && code.st.verified_at != 0 &&
	    idv_case_consumer_token(row->reference, code.st.verified_at, mine) == IDV_OK)
		ok = idv_ct_equal(mine, token, 64);
	idv_wipe(mine, sizeof mine);
	idv_code_row_cleanup(&code);
	return ok;
}

enum idv_err
idv_case_consumer_send(struct idv_cases *cs, const char *reference, const char *actor, int64_t now,
		       const char *lang, struct idv_code_answer *ans)
{
	struct idv_case_row row;
	struct idv_code_row code;
	bool ok = false;
	memset(ans, 0, sizeof *ans);
	idv_case_row_init(&row);
	idv_code_row_init(&code);
	if (idv_store_case_get(cs->store, reference, &row) == IDV_OK &&
	    idv_store_code_get(cs->store, row.id, &code) == IDV_OK)
		ok = strcmp(code.purpose, IDV_CODE_PURPOSE_CONSUMER) == 0;
	idv_code_row_cleanup(&code);
	idv_case_row_cleanup(&row);
	if (!ok) {
		codes_answer(ans, 409, "invalid-state",
			     "only the consumer of an open request an authorized agent filed is "
			     "sent a code this way");
		return IDV_OK;
	}
	return idv_case_code_send(cs, reference, actor, now, lang, ans);
}

json_t *
idv_case_consumer_view(struct idv_cases *cs, int64_t case_id)
{
	struct idv_code_row code;
	json_t *o = NULL;
	idv_code_row_init(&code);
	if (idv_store_code_get(cs->store, case_id, &code) == IDV_OK &&
	    strcmp(code.purpose, IDV_CODE_PURPOSE_CONSUMER) == 0) {
		bool none = strcmp(code.delivery, "none") == 0 && code.st.sends > 0;
		o = json_pack("{s:s,s:s,s:s,s:b}", "channel", code.channel, "delivery",
			      code.delivery, "reach",
			      none                ? "other_means"
			      : code.st.sends > 0 ? "code"
						  : "not_yet",
			      "session", code.st.verified_at != 0);
		if (none)
			json_object_set_new(
				o, "note",
				json_string("no record on file matches the agent's details with a "
					    "contact of its own: the code could not be sent; a "
					    "reviewer must reach the consumer another way"));
	}
	idv_code_row_cleanup(&code);
	return o;
}

bool
idv_case_code_settled(struct idv_cases *cs, int64_t case_id)
{
	struct idv_code_row code;
	struct idv_code_rule rule;
	bool settled = true;
	int64_t wait;
	idv_code_row_init(&code);
	idv_codes_rule(cs->cfg, &rule);
	if (idv_store_code_get(cs->store, case_id, &code) == IDV_OK &&
	    strcmp(code.purpose, IDV_CODE_PURPOSE_VERIFY) == 0 && code.st.verified_at == 0) {
		/* still waiting while a code may be tried or another sent */
		enum idv_code_verdict v = idv_code_check(&rule, &code.st, (int64_t)time(NULL));
		settled = v != IDV_CODE_TRY && v != IDV_CODE_NONE &&
			  idv_code_may_send(&rule, &code.st, (int64_t)time(NULL), &wait) ==
				  IDV_CODE_SEND_LIMIT;
	}
	idv_code_row_cleanup(&code);
	return settled;
}

void
idv_case_code_record(struct idv_cases *cs, const struct idv_case_row *row,
		     const uint8_t dek[IDV_KEY_LEN], char *out, size_t outsz)
{
	struct idv_code_row code;
	struct idv_buf plain;
	out[0] = '\0';
	idv_code_row_init(&code);
	idv_buf_init(&plain, 256);
	/* the consumer of an agent's request who typed their code showed the same: they hold the
	 * contact on the record it went to */
	if (idv_store_code_get(cs->store, row->id, &code) == IDV_OK && code.st.verified_at != 0 &&
	    code.record_sealed.len > 0 &&
	    idv_case_open(dek, row->reference, "code-record", code.record_sealed.data,
			  code.record_sealed.len, &plain) == IDV_OK &&
	    plain.len > 0 && plain.len < outsz) {
		memcpy(out, plain.data, plain.len);
		out[plain.len] = '\0';
	}
	idv_buf_cleanup_wipe(&plain);
	idv_code_row_cleanup(&code);
}

json_t *
idv_case_code_view(struct idv_cases *cs, int64_t case_id, bool full)
{
	struct idv_code_row code;
	struct idv_code_rule rule;
	json_t *o = NULL;
	idv_code_row_init(&code);
	idv_codes_rule(cs->cfg, &rule);
	/* the consumer's code of an agent's request is not the requester's (the agent's) to see:
	 * which channel found a record would tell whether one exists (idv_case_consumer_view) */
	if (idv_store_code_get(cs->store, case_id, &code) == IDV_OK &&
	    strcmp(code.purpose, IDV_CODE_PURPOSE_CONSUMER) != 0) {
		enum idv_code_verdict v = idv_code_check(&rule, &code.st, (int64_t)time(NULL));
		o = json_pack("{s:s,s:s,s:I,s:I}", "channel", code.channel, "state",
			      idv_code_verdict_name(v), "sends_left",
			      (json_int_t)(code.st.sends < rule.max_sends
						   ? rule.max_sends - code.st.sends
						   : 0),
			      "tries_left",
			      (json_int_t)(code.st.attempts < rule.max_attempts
						   ? rule.max_attempts - code.st.attempts
						   : 0));
		/* whether a message went out tells whether we hold the contact: admins only */
		if (full)
			json_object_set_new(o, "delivery", json_string(code.delivery));
	}
	idv_code_row_cleanup(&code);
	return o;
}

/* ---- reminders ---------------------------------------------------------------------------- */

struct codes_contact {
	const char *channel;
	char to[256];
};

static bool
codes_contact_found(void *arg, const char *id, const uint8_t *sealed, size_t len)
{
	struct codes_contact *c = arg;
	json_t *o = NULL;
	if (idv_records_open(id, sealed, len, &o) == IDV_OK) {
		const char *v = json_string_value(
			json_object_get(o, strcmp(c->channel, "email") == 0 ? "email" : "phone"));
		if (v == NULL || !idv_strlcpy(c->to, v, sizeof c->to))
			c->to[0] = '\0';
	}
	json_decref(o);
	return false;
}

/* The contact on file a case's code went to (its record, sealed in the code row); "" if none. */
static void
codes_sent_to(struct idv_cases *cs, const struct idv_case_row *row, const struct idv_code_row *code,
	      struct codes_contact *c)
{
	uint8_t dek[IDV_KEY_LEN];
	struct idv_buf rid;
	char id[128];
	c->channel = code->channel;
	c->to[0] = '\0';
	idv_buf_init(&rid, sizeof id);
	if (code->record_sealed.len > 0 && idv_case_key_open(row, dek) == IDV_OK &&
	    idv_case_open(dek, row->reference, "code-record", code->record_sealed.data,
			  code->record_sealed.len, &rid) == IDV_OK &&
	    rid.len > 0 && rid.len < sizeof id) {
		memcpy(id, rid.data, rid.len);
		id[rid.len] = '\0';
		idv_store_record_get(cs->store, id, codes_contact_found, c);
	}
	idv_wipe(dek, sizeof dek);
	idv_buf_cleanup_wipe(&rid);
}

/* One case's reminder: the message to the contact its code went to, and reminded_at, in one
 * transaction that checks again that it is still due. */
static enum idv_err
codes_remind_one(struct idv_cases *cs, int64_t case_id, int64_t now, bool *queued)
{
	struct idv_case_row row;
	struct idv_code_row code;
	struct codes_contact c;
	struct idv_buf sealed;
	char *text = NULL;
	*queued = false;
	idv_case_row_init(&row);
	idv_code_row_init(&code);
	idv_buf_init(&sealed, 8192);
	enum idv_err err = idv_store_case_get_id(cs->store, case_id, &row);
	if (err == IDV_OK)
		err = idv_store_code_get(cs->store, case_id, &code);
	if (err != IDV_OK)
		goto out;
	codes_sent_to(cs, &row, &code, &c);
	bool email = strcmp(code.channel, "email") == 0;
	json_t *m = json_pack("{s:s,s:s,s:s,s:I}", "kind", "remind", "to", c.to, "reference",
			      row.reference, "abandon_days", (json_int_t)cs->cfg->abandon_days);
	text = m != NULL ? json_dumps(m, JSON_COMPACT) : NULL;
	json_decref(m);
	if (text == NULL) {
		err = IDV_E_NOMEM;
		goto out;
	}
	if (c.to[0] != '\0' && (err = idv_code_message_seal(email ? "email" : "sms", text,
							    strlen(text), &sealed)) != IDV_OK)
		goto out;
	if ((err = idv_store_begin(cs->store)) != IDV_OK)
		goto out;
	/* again inside the transaction: a code confirmed or sent meanwhile is seen */
	if ((err = idv_store_code_get(cs->store, case_id, &code)) == IDV_OK &&
	    code.reminded_at == 0 && code.st.verified_at == 0) {
		code.reminded_at = now;
		*queued = c.to[0] != '\0';
		err = idv_store_code_put(cs->store, &code);
		if (err == IDV_OK && *queued)
			err = idv_store_outbox_insert(cs->store, case_id, email ? "email" : "sms",
						      sealed.data, sealed.len, now);
		if (err == IDV_OK)
			err = idv_audit_append(
				cs->store, "system", "contact_code.reminded", row.reference,
				json_pack("{s:s,s:b}", "channel", code.channel, "queued", *queued));
	}
	err = idv_store_end(cs->store, err);
	if (err != IDV_OK)
		*queued = false;
out:
	if (text != NULL) {
		idv_wipe(text, strlen(text));
		free(text);
	}
	idv_wipe(&c, sizeof c);
	idv_buf_cleanup(&sealed);
	idv_code_row_cleanup(&code);
	idv_case_row_cleanup(&row);
	return err;
}

enum idv_err
idv_case_code_remind(struct idv_cases *cs, int64_t now, size_t *queued)
{
	int64_t ids[32];
	size_t n = 0;
	enum idv_err err = IDV_OK;
	*queued = 0;
	if (cs->cfg == NULL || cs->cfg->code_remind_s == 0)
		return IDV_OK;
	err = idv_store_code_remind_due(cs->store, now - (int64_t)cs->cfg->code_remind_s, ids,
					IDV_ARRAY_LEN(ids), &n);
	for (size_t i = 0; err == IDV_OK && i < n; i++) {
		bool q = false;
		err = codes_remind_one(cs, ids[i], now, &q);
		*queued += q ? 1 : 0;
	}
	return err;
}
