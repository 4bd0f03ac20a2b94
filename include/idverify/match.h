/* SPDX-License-Identifier: Apache-2.0 */
/*
 * match.h: what every comparator returns (a score in [0,1] and a reason code), the comparators
 * of dates of birth, telephone numbers (E.164) and e-mail addresses, and blocking: the keys
 * that select candidate records for a requester's claims. Pure: no allocation, no I/O.
 *
 * Names are in name.h and addresses in address.h; they return the same struct idv_match.
 * A comparator never decides: it scores and says why; the scoring model (score.h) sets the
 * thresholds that turn a score into a counted data point.
 */
#ifndef IDVERIFY_MATCH_H
#define IDVERIFY_MATCH_H

#include "idverify/common.h"
#include "idverify/reason.h"
#include "idverify/str.h"


/* ---- Dates of birth ---- */

/*
 * Read a date of birth: "YYYY-MM-DD", "YYYYMMDD" or US "MM/DD/YYYY" (also with one-digit
 * month or day). IDV_E_PARSE or IDV_E_INVAL otherwise.
 */
enum idv_err idv_match_parse_dob(const char *p, size_t len, struct idv_date *out);

/*
 * Exact comparison: 1.0 EXACT when equal; 0 DAY_MONTH_SWAP when equal with day and month
 * exchanged (a reason code, never a match); 0 MISMATCH; 0 MISSING / UNPARSEABLE.
 */
void idv_match_dob(const char *a, const char *b, struct idv_match *out);

/* ---- Telephone numbers ---- */

#define IDV_PHONE_MAX 17 /* "+" + up to 15 digits + NUL */

/*
 * Normalise to E.164 ("+15551234567"). US/NANP numbers are accepted with or without +1 or 1,
 * with any of " ()-./" between digits; "00" and "011" international prefixes become "+"; an
 * extension (x123, ext 123, ";ext=") is dropped. IDV_E_PARSE when it is not a phone number.
 */
enum idv_err idv_match_phone_e164(const char *p, size_t len, char out[IDV_PHONE_MAX]);

/* 1.0 EXACT when the E.164 forms are equal; MISMATCH, MISSING or UNPARSEABLE otherwise. */
void idv_match_phone(const char *a, const char *b, struct idv_match *out);

/* ---- E-mail addresses ---- */

#define IDV_EMAIL_MAX 256

/* Trimmed and lower-cased; IDV_E_PARSE without exactly one '@' and a non-empty local part
 * and domain, or with white space inside. */
enum idv_err idv_match_email_norm(const char *p, size_t len, char out[IDV_EMAIL_MAX]);

/*
 * Case-insensitive equality: 1.0 EXACT. Weaker, documented reasons (the address as written is
 * different, so the default models do not count them): 0.8 EMAIL_PLUS_TAG when equal after
 * dropping a "+tag" from the local parts; 0.75 EMAIL_DOTS when equal after also dropping the
 * dots of the local parts (googlemail.com taken as gmail.com). MISMATCH/MISSING otherwise.
 */
void idv_match_email(const char *a, const char *b, struct idv_match *out);

/* ---- Blocking ---- */

#define IDV_BLOCK_MAX_NAMES 8
#define IDV_BLOCK_NAME_MAX 32

/*
 * Blocking keys of one identity (a record, or a requester's claims). A record is a candidate
 * for the claims when they share a discriminating key: the e-mail, the phone, the date of
 * birth (the claims' DOB with day and month exchanged too, to surface a swap), the address
 * (ZIP5 + house or PO box number), or a name token together with the ZIP5; the city stands
 * in for the ZIP when one side has none. A record that shares only a family name or only a
 * ZIP could score no data point, so it is not a candidate: common names do not flood the
 * candidate set.
 * Name keys are the folded tokens of the family name (both transliterations); claims also add
 * their given-name tokens so that a given/family order swap still finds the record. Empty
 * strings are absent keys.
 */
struct idv_block_keys {
	size_t nnames;
	char names[IDV_BLOCK_MAX_NAMES][IDV_BLOCK_NAME_MAX];
	char dob[11];      /* YYYY-MM-DD */
	char dob_swap[11]; /* day and month exchanged (claims only) */
	char zip5[6];
	char city[64];     /* normalised */
	char number[20];   /* house number, or "BOX" and the PO box number */
	char email[IDV_EMAIL_MAX];
	char phone[IDV_PHONE_MAX];
};

struct idv_record;
struct idv_claims;

void idv_match_record_keys(const struct idv_record *rec, struct idv_block_keys *out);
void idv_match_claims_keys(const struct idv_claims *claims, struct idv_block_keys *out);

/* True when a record with keys rk is a candidate for claims with keys ck. */
bool idv_match_keys_overlap(const struct idv_block_keys *ck, const struct idv_block_keys *rk);

/*
 * Candidate selection over an array of records: writes the indexes of the records that share
 * a blocking key with the claims into idx_out (in record order), at most max_out of them, and
 * their number into *nout. IDV_E_TOOBIG when there were more candidates than max_out (the
 * first max_out are still written): the caller must not decide on a truncated set.
 */
enum idv_err idv_match_select(const struct idv_record *recs, size_t nrecs,
			      const struct idv_claims *claims, size_t *idx_out, size_t max_out,
			      size_t *nout);

#endif
