/* SPDX-License-Identifier: Apache-2.0 */
/*
 * contactcode.h: the rules of a one-time code sent to the e-mail or phone the business already
 * holds for a customer (issue 15; 11 CCR 7060(c)(2): verify with information the business
 * holds). Pure: random bytes, the state and "now" are parameters; the caller (service/io/case
 * /codes.c) draws the bytes from OpenSSL, keeps the state in the store (the code itself only as
 * a keyed hash) and owns the clock.
 *
 * A code is 6 to 8 decimal digits. It expires ttl_s after it was issued, allows max_attempts
 * wrong tries, and may be sent again (a fresh code, the old one dead) at most max_sends times in
 * all, each send at least resend_after_s after the previous one. A verified code stays verified.
 */
#ifndef IDVERIFY_CONTACTCODE_H
#define IDVERIFY_CONTACTCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IDV_CODE_DIGITS_MIN 6u
#define IDV_CODE_DIGITS_MAX 8u

struct idv_code_rule {
	unsigned digits;        /* 6..8 */
	int64_t ttl_s;          /* a code lives this long (> 0) */
	uint32_t max_attempts;  /* wrong tries allowed per code (>= 1) */
	uint32_t max_sends;     /* codes sent per case, first one included (>= 1) */
	int64_t resend_after_s; /* a new send waits this long after the previous one (>= 0) */
};

/* 6 digits, 10 minutes, 5 attempts, 3 sends, 60 s between sends. */
void idv_code_rule_defaults(struct idv_code_rule *r);
bool idv_code_rule_valid(const struct idv_code_rule *r);

/* The state of a case's code. All zero: never sent. */
struct idv_code_state {
	int64_t issued_at;   /* the live code's send time (0: none) */
	uint32_t attempts;   /* wrong tries on the live code */
	uint32_t sends;      /* codes sent so far */
	int64_t verified_at; /* 0 until a code matched */
};

/*
 * Turn random bytes into `digits` decimal digits (plus a NUL) without modulo bias: bytes of
 * 250 and above are skipped. False when rnd runs out first (the caller draws 32 bytes for 8
 * digits: the chance of running out is below 1e-30).
 */
bool idv_code_from_random(const uint8_t *rnd, size_t n, unsigned digits, char *out, size_t outsz);

/* Is s[0..len) exactly `digits` ASCII digits? (Spaces and a dash between groups, as people
 * copy codes, are the caller's to strip with idv_code_normalize.) */
bool idv_code_shape_ok(const char *s, size_t len, unsigned digits);
/* Copy s without spaces and dashes into out; false when the result does not fit. */
bool idv_code_normalize(const char *s, size_t len, char *out, size_t outsz);

enum idv_code_verdict {
	IDV_CODE_TRY = 0,   /* the live code may be compared */
	IDV_CODE_NONE,      /* no code was sent */
	IDV_CODE_EXPIRED,   /* the live code's time is over */
	IDV_CODE_EXHAUSTED, /* too many wrong tries on it */
	IDV_CODE_VERIFIED,  /* done already */
};
const char *idv_code_verdict_name(enum idv_code_verdict v); /* "try", "none", "expired", ... */

/* May a code be compared at now? */
enum idv_code_verdict idv_code_check(const struct idv_code_rule *r, const struct idv_code_state *st,
				     int64_t now);
/* Record the result of a comparison made after IDV_CODE_TRY. Returns the new verdict:
 * VERIFIED on a match, TRY while tries remain, EXHAUSTED after the last wrong one. */
enum idv_code_verdict idv_code_record(const struct idv_code_rule *r, struct idv_code_state *st,
				      bool matched, int64_t now);

enum idv_code_send {
	IDV_CODE_SEND_OK = 0, /* send a fresh code now */
	IDV_CODE_SEND_WAIT,   /* too soon: *wait_s seconds to go */
	IDV_CODE_SEND_LIMIT,  /* no more sends for this case */
	IDV_CODE_SEND_DONE,   /* verified already: nothing to send */
};
/* May a (new) code be sent at now? On OK the caller sends and calls idv_code_sent. */
enum idv_code_send idv_code_may_send(const struct idv_code_rule *r, const struct idv_code_state *st,
				     int64_t now, int64_t *wait_s);
void idv_code_sent(struct idv_code_state *st, int64_t now);

/*
 * Mask a contact for display: "jane.doe@example.com" -> "j•••@example.com" (first character
 * of the local part, the domain kept); "+1 415 555 0142" -> "•••••••42" (the last two digits).
 * UTF-8 output ("•" is 3 bytes). False when the input is not a usable e-mail / phone or the
 * output does not fit (out is then "").
 */
bool idv_code_mask_email(const char *email, size_t len, char *out, size_t outsz);
bool idv_code_mask_phone(const char *phone, size_t len, char *out, size_t outsz);

/*
 * The text a contact's sends are counted under across cases (the per-contact limit): an
 * e-mail folded to ASCII lower case, a phone to its digits, after "email:" or "phone:", so
 * "Jane@Example.com" and "jane@example.com", or "(415) 555-0142" and "415.555.0142", are one
 * contact. False when the contact is empty (nothing to fold) or the text does not fit (out is
 * then "").
 */
bool idv_code_contact_fold(bool email, const char *contact, size_t len, char *out, size_t outsz);

#endif
