/* SPDX-License-Identifier: Apache-2.0 */
/*
 * codes.h: one-time codes to the e-mail or phone the business already holds for a customer
 * (issue 15), on top of the pure rules of contactcode.h and the store (store_codes.c).
 *
 * A requester who chose to verify with a code (POST /v1/requests with "contact_code") asks for
 * one (idv_case_code_send): the typed name and the typed contact of that channel must match one
 * candidate record exactly, and the code goes to that record's contact, never to another typed
 * address. Whether or not such a record exists, the same work is done and the same answer
 * given (the typed contact masked); only the outbox gets a message when it does. The code is
 * kept as an HMAC under a key derived from the master key ("contact-code"), bound to the case;
 * the message (contact and code) waits in the outbox sealed and is deleted once sent or given
 * up, and the case's purge deletes the rest. Neither is ever logged.
 *
 * A matching code (idv_case_code_verify) makes the record's contact_code point count
 * (claims.contact_record at evaluation). For an agent's request (purpose "consumer") it is the
 * consumer's own credential for the direct confirmation (R24): the agent never sees it.
 */
#ifndef IDVERIFY_CODES_H
#define IDVERIFY_CODES_H

#include "casectx.h"
#include "idverify/contactcode.h"

#define IDV_CODE_PURPOSE_VERIFY "verify"
#define IDV_CODE_PURPOSE_CONSUMER "consumer"
/* Seconds the consumer's message waits in the outbox after the answer to the agent. */
#define IDV_CODE_CONSUMER_HOLD_S 2

/* The service's code rule (--code-*). */
void idv_codes_rule(const struct idv_config *cfg, struct idv_code_rule *r);

/* Record that the case will be verified with a code to channel ("email" or "phone"), inside
 * the creation transaction (idv_case_new.within). */
enum idv_err idv_case_code_want(struct idv_store *store, int64_t case_id, const char *channel,
				const char *purpose, int64_t now);

/* The result of a send or a check, for the API to answer. */
struct idv_code_answer {
	int status;          /* HTTP status */
	const char *problem; /* NULL, or the problem slug ("code-wait", "code-wrong", ...) */
	const char *detail;  /* static text */
	int64_t retry_after; /* seconds, for 429 */
	json_t *body;        /* for a 2xx answer (owned by the caller) */
	bool woke;           /* a message was queued: wake the outbox */
	bool evaluate;       /* the case may be decided now: the caller runs idv_case_evaluate */
};

/* Send (or send again) the case's code at now, its message in lang (messages.h; NULL: English). */
enum idv_err idv_case_code_send(struct idv_cases *cs, const char *reference, const char *actor,
				int64_t now, const char *lang, struct idv_code_answer *ans);
/* Check a typed code of the given purpose. ans->status 200 on a match; ans->evaluate when
 * the case (purpose verify) can be decided now (a match, or no try or send left). */
enum idv_err idv_case_code_verify(struct idv_cases *cs, const char *reference, const char *actor,
				  const char *purpose, const char *code, int64_t now,
				  struct idv_code_answer *ans);

/* May the case be evaluated as far as its code goes (verified, or no more tries or sends)?
 * True when it has no code row of purpose verify. */
bool idv_case_code_settled(struct idv_cases *cs, int64_t case_id);
/* The record whose contact a verified code went to (for claims.contact_record); "" if none.
 * The consumer's code of an agent's request counts too, once exchanged for their session. */
void idv_case_code_record(struct idv_cases *cs, const struct idv_case_row *row,
			  const uint8_t dek[IDV_KEY_LEN], char *out, size_t outsz);
/* The requester's part of the view: {"channel", "state", "sends_left", "expires_at"}; NULL
 * when the case has no code or only the consumer's. With full (admins) also "delivery". */
json_t *idv_case_code_view(struct idv_cases *cs, int64_t case_id, bool full);

/*
 * Reminders (--code-remind S; 0: none): each open case still awaiting evidence whose code went
 * to a record's contact at least S seconds ago, and that is neither confirmed nor reminded,
 * gets one message to that same contact (models/messages/remind.*: the reference, and that an
 * idle request is closed as abandoned after --abandon-days, which still holds) through the
 * outbox. *queued: messages queued. A case whose contact is gone is marked reminded all the same.
 */
enum idv_err idv_case_code_remind(struct idv_cases *cs, int64_t now, size_t *queued);

/*
 * The consumer of a request an authorized agent filed (R24, 11 CCR 7063): when the case is
 * created, a code of purpose "consumer" is sent (idv_case_code_send) to the contact on the
 * record the agent's details designate, never to a contact the agent typed that differs; the
 * agent's answer is the same whether or not one was sent. The code, typed on the consumer's
 * page, is exchanged for the consumer's own session token (idv_case_consumer_session); that
 * token, not the agent's, confirms or refuses the agent, verifies directly and signs. A code
 * may be sent again for a new session (the old one lasts until the new code matches).
 */
/* Inside the creation transaction: the case will send the consumer's code, first by e-mail
 * when the agent gave one, else by phone. */
enum idv_err idv_case_consumer_want(struct idv_store *store, int64_t case_id, json_t *claims,
				    int64_t now);
/* Send (again) the consumer's code, its text in lang (NULL: English); 409 invalid-state when
 * the case has none. The answer
 * (202) names no channel and no contact: {"message", "expires_in_s", "resend_after_s",
 * "sends_left"}. */
enum idv_err idv_case_consumer_send(struct idv_cases *cs, const char *reference, const char *actor,
				    int64_t now, const char *lang, struct idv_code_answer *ans);
/* Exchange a typed code for the consumer's session: ans 201 with {"reference", "token"} on a
 * match (audited as "consumer:<reference>"; a wrong code as "anonymous"), else the answers of
 * idv_case_code_verify. */
enum idv_err idv_case_consumer_session(struct idv_cases *cs, const char *reference,
				       const char *code, int64_t now, struct idv_code_answer *ans);
/* The session token of the case's consumer whose code matched at verified_at (65 bytes):
 * an HMAC under a key derived from the master key, so nothing of it is stored. */
enum idv_err idv_case_consumer_token(const char *reference, int64_t verified_at, char token[65]);
/* Is token the live session of the consumer of row (constant time)? */
bool idv_case_consumer_holds(struct idv_store *store, const struct idv_case_row *row,
			     const char *token);
/* For the business only: {"channel", "delivery", "reach": "code" | "other_means" | "not_yet",
 * "session", "note"}, NULL when the case has no consumer's code. "other_means": no record
 * with a contact of its own matched, a reviewer must reach the consumer another way. */
json_t *idv_case_consumer_view(struct idv_cases *cs, int64_t case_id);

/* Seal / open a message body of the outbox (url "email" or "sms"). */
enum idv_err idv_code_message_seal(const char *url, const void *p, size_t len, struct idv_buf *out);

#endif
