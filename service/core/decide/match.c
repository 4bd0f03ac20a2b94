/* SPDX-License-Identifier: Apache-2.0 */
/*
 * match.c: reason names, the date-of-birth, telephone and e-mail comparators, and blocking
 * (see match.h).
 */
#include "idverify/address.h"
#include "idverify/match.h"
#include "idverify/name.h"
#include "idverify/record.h"
#include "idverify/str.h"

static void
match_set(struct idv_match *m, double score, enum idv_reason r)
{
	m->score = score;
	m->reason = r;
}

static bool
match_blank(const char *s)
{
	if (s == NULL)
		return true;
	for (; *s != '\0'; s++)
		if (!idv_isspace((unsigned char)*s))
			return false;
	return true;
}

/* ---- Dates of birth ---- */

/* Up to two digits ending at a '/' (or the end). */
static bool
match_small(const char **p, const char *end, char stop, int *out)
{
	const char *s = *p;
	int v = 0, n = 0;
	while (s < end && idv_isdigit((unsigned char)*s) && n < 2) {
		v = v * 10 + (*s - '0');
		s++;
		n++;
	}
	if (n == 0 || (stop != '\0' && (s >= end || *s != stop)))
		return false;
	if (stop != '\0')
		s++;
	*p = s;
	*out = v;
	return true;
}

enum idv_err
idv_match_parse_dob(const char *p, size_t len, struct idv_date *out)
{
	idv_str_trim(&p, &len);
	if (len == 10 && p[4] == '-')
		return idv_date_parse(p, len, out);
	if (len == 8) {
		uint64_t y, m, d;
		if (idv_parse_u64(p, 4, 9999, &y) != IDV_OK ||
		    idv_parse_u64(p + 4, 2, 99, &m) != IDV_OK ||
		    idv_parse_u64(p + 6, 2, 99, &d) != IDV_OK)
			goto slash;
		return idv_date_make((int)y, (int)m, (int)d, out);
	}
slash:;
	const char *s = p, *end = p + len;
	int m, d;
	uint64_t y;
	if (!match_small(&s, end, '/', &m) || !match_small(&s, end, '/', &d))
		return IDV_E_PARSE;
	if (end - s != 4 || idv_parse_u64(s, 4, 9999, &y) != IDV_OK)
		return IDV_E_PARSE;
	return idv_date_make((int)y, m, d, out);
}

void
idv_match_dob(const char *a, const char *b, struct idv_match *out)
{
	if (match_blank(a) || match_blank(b)) {
		match_set(out, 0.0, IDV_R_MISSING);
		return;
	}
	struct idv_date da, db;
	if (idv_match_parse_dob(a, strlen(a), &da) != IDV_OK ||
	    idv_match_parse_dob(b, strlen(b), &db) != IDV_OK) {
		match_set(out, 0.0, IDV_R_UNPARSEABLE);
		return;
	}
	if (da.year == db.year && da.month == db.month && da.day == db.day)
		match_set(out, 1.0, IDV_R_EXACT);
	else if (da.year == db.year && da.month == db.day && da.day == db.month)
		match_set(out, 0.0, IDV_R_DAY_MONTH_SWAP);
	else
		match_set(out, 0.0, IDV_R_MISMATCH);
}

/* ---- Telephone numbers ---- */

enum idv_err
idv_match_phone_e164(const char *p, size_t len, char out[IDV_PHONE_MAX])
{
	char digits[24];
	size_t n = 0;
	bool plus = false;
	out[0] = '\0';
	idv_str_trim(&p, &len);
	for (size_t i = 0; i < len; i++) {
		char c = p[i];
		if (idv_isdigit((unsigned char)c)) {
			if (n >= sizeof digits)
				return IDV_E_PARSE;
			digits[n++] = c;
			continue;
		}
		if (c == '+' && n == 0 && !plus) {
			plus = true;
			continue;
		}
		if (c == ' ' || c == '(' || c == ')' || c == '-' || c == '.' || c == '/')
			continue;
		/* An extension ends the number: x123, ext 123, ;ext=123, #123. */
		if (c == 'x' || c == 'X' || c == 'e' || c == 'E' || c == ';' || c == '#' ||
		    c == ',')
			break;
		return IDV_E_PARSE;
	}
	size_t off = 0;
	if (!plus) {
		if (n >= 3 && memcmp(digits, "011", 3) == 0) {
			off = 3;
		} else if (n >= 2 && digits[0] == '0' && digits[1] == '0') {
			off = 2;
		} else if (n == 10) {
			/* NANP without country code: area code and exchange cannot start with 0/1. */
			if (digits[0] < '2' || digits[3] < '2')
				return IDV_E_PARSE;
			out[0] = '+';
			out[1] = '1';
			memcpy(out + 2, digits, 10);
			out[12] = '\0';
			return IDV_OK;
		} else if (n == 11 && digits[0] == '1') {
			off = 0;
		} else {
			return IDV_E_PARSE;
		}
	}
	size_t m = n - off;
	if (m < 8 || m > 15 || digits[off] == '0')
		return IDV_E_PARSE;
	if (digits[off] == '1' && (m != 11 || digits[off + 1] < '2' || digits[off + 4] < '2'))
		return IDV_E_PARSE;
	out[0] = '+';
	memcpy(out + 1, digits + off, m);
	out[m + 1] = '\0';
	return IDV_OK;
}

void
idv_match_phone(const char *a, const char *b, struct idv_match *out)
{
	if (match_blank(a) || match_blank(b)) {
		match_set(out, 0.0, IDV_R_MISSING);
		return;
	}
	char ea[IDV_PHONE_MAX], eb[IDV_PHONE_MAX];
	if (idv_match_phone_e164(a, strlen(a), ea) != IDV_OK ||
	    idv_match_phone_e164(b, strlen(b), eb) != IDV_OK) {
		match_set(out, 0.0, IDV_R_UNPARSEABLE);
		return;
	}
	if (strcmp(ea, eb) == 0)
		match_set(out, 1.0, IDV_R_EXACT);
	else
		match_set(out, 0.0, IDV_R_MISMATCH);
}

/* ---- E-mail addresses ---- */

enum idv_err
idv_match_email_norm(const char *p, size_t len, char out[IDV_EMAIL_MAX])
{
	out[0] = '\0';
	idv_str_trim(&p, &len);
	if (len == 0 || len >= IDV_EMAIL_MAX)
		return IDV_E_PARSE;
	size_t at = len;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		if (idv_isspace(c) || c == '\0' || c < 0x20)
			return IDV_E_PARSE;
		if (c == '@') {
			if (at != len)
				return IDV_E_PARSE;
			at = i;
		}
	}
	if (at == 0 || at == len || at + 1 == len)
		return IDV_E_PARSE;
	for (size_t i = 0; i < len; i++)
		out[i] = (char)idv_tolower((unsigned char)p[i]);
	out[len] = '\0';
	return IDV_OK;
}

/* Local part without "+tag" (and without dots when dots is set); domain canonicalised. */
static void
match_email_canon(const char *e, bool dots, char out[IDV_EMAIL_MAX])
{
	const char *at = strchr(e, '@');
	size_t o = 0;
	for (const char *p = e; p < at; p++) {
		if (*p == '+')
			break;
		if (dots && *p == '.')
			continue;
		out[o++] = *p;
	}
	const char *dom = at + 1;
	if (strcmp(dom, "googlemail.com") == 0)
		dom = "gmail.com";
	out[o++] = '@';
	size_t dl = strlen(dom);
	if (o + dl >= IDV_EMAIL_MAX)
		dl = IDV_EMAIL_MAX - 1 - o;
	memcpy(out + o, dom, dl);
	out[o + dl] = '\0';
}

void
idv_match_email(const char *a, const char *b, struct idv_match *out)
{
	if (match_blank(a) || match_blank(b)) {
		match_set(out, 0.0, IDV_R_MISSING);
		return;
	}
	char na[IDV_EMAIL_MAX], nb[IDV_EMAIL_MAX];
	if (idv_match_email_norm(a, strlen(a), na) != IDV_OK ||
	    idv_match_email_norm(b, strlen(b), nb) != IDV_OK) {
		match_set(out, 0.0, IDV_R_UNPARSEABLE);
		return;
	}
	if (strcmp(na, nb) == 0) {
		match_set(out, 1.0, IDV_R_EXACT);
		return;
	}
	char ca[IDV_EMAIL_MAX], cb[IDV_EMAIL_MAX];
	match_email_canon(na, false, ca);
	match_email_canon(nb, false, cb);
	if (strcmp(ca, cb) == 0) {
		match_set(out, 0.8, IDV_R_EMAIL_PLUS_TAG);
		return;
	}
	match_email_canon(na, true, ca);
	match_email_canon(nb, true, cb);
	if (strcmp(ca, cb) == 0) {
		match_set(out, 0.75, IDV_R_EMAIL_DOTS);
		return;
	}
	match_set(out, 0.0, IDV_R_MISMATCH);
}

/* ---- Blocking ---- */

static void
match_add_name(struct idv_block_keys *k, const char *tok)
{
	if (tok[0] == '\0' || tok[1] == '\0') /* initials are not keys */
		return;
	for (size_t i = 0; i < k->nnames; i++)
		if (strcmp(k->names[i], tok) == 0)
			return;
	if (k->nnames < IDV_BLOCK_MAX_NAMES)
		idv_strlcpy(k->names[k->nnames++], tok, IDV_BLOCK_NAME_MAX);
}

static void
match_keys(const struct idv_name *n, bool add_given, const char *dob,
	   const struct idv_address_in *addr, const char *email, const char *phone, bool swap,
	   struct idv_block_keys *out)
{
	memset(out, 0, sizeof *out);
	for (int v = 0; v < 2; v++)
		for (size_t i = 0; i < n->family[v].n; i++)
			match_add_name(out, n->family[v].tok[i]);
	if (add_given)
		for (int v = 0; v < 2; v++)
			for (size_t i = 0; i < n->given[v].n; i++)
				match_add_name(out, n->given[v].tok[i]);
	struct idv_date d;
	if (dob != NULL && idv_match_parse_dob(dob, strlen(dob), &d) == IDV_OK) {
		idv_date_format(&d, out->dob);
		struct idv_date s = {d.year, d.day, d.month};
		if (swap && d.day != d.month && idv_date_valid(s.year, s.month, s.day))
			idv_date_format(&s, out->dob_swap);
	}
	struct idv_address a;
	if (addr != NULL && idv_address_normalize(addr, &a) == IDV_OK && !a.empty) {
		idv_strlcpy(out->zip5, a.zip5, sizeof out->zip5);
		idv_strlcpy(out->city, a.city, sizeof out->city);
		if (a.po_box) {
			if (!idv_fmt(out->number, sizeof out->number, "BOX%s", a.box))
				out->number[0] = '\0';
		} else if (a.num_lo != 0) {
			/* The first number of a range, so that 12-14 and 12 share the key. */
			if (!idv_fmt(out->number, sizeof out->number, "%u", (unsigned)a.num_lo))
				out->number[0] = '\0';
		} else {
			idv_strlcpy(out->number, a.number, sizeof out->number);
		}
	}
	if (email != NULL && idv_match_email_norm(email, strlen(email), out->email) != IDV_OK)
		out->email[0] = '\0';
	if (phone != NULL && idv_match_phone_e164(phone, strlen(phone), out->phone) != IDV_OK)
		out->phone[0] = '\0';
}

void
idv_match_record_keys(const struct idv_record *rec, struct idv_block_keys *out)
{
	struct idv_name n;
	if (idv_name_parse(rec->given_name, rec->middle_name, rec->family_name, rec->suffix, &n) !=
	    IDV_OK)
		memset(&n, 0, sizeof n);
	match_keys(&n, false, rec->date_of_birth, &rec->address, rec->email, rec->phone, false,
		   out);
}

void
idv_match_claims_keys(const struct idv_claims *c, struct idv_block_keys *out)
{
	struct idv_name n;
	if (idv_name_parse(c->given_names, NULL, c->family_name, c->suffix, &n) != IDV_OK)
		memset(&n, 0, sizeof n);
	unsigned corr = c->correcting;
	match_keys(&n, true, c->date_of_birth, (corr & (1u << IDV_PT_ADDRESS)) ? NULL : &c->address,
		   (corr & (1u << IDV_PT_EMAIL)) ? NULL : c->email,
		   (corr & (1u << IDV_PT_PHONE)) ? NULL : c->phone, true, out);
	if (corr & (1u << IDV_PT_DOB))
		out->dob[0] = out->dob_swap[0] = '\0';
}

static bool
match_key_eq(const char *a, const char *b)
{
	return a[0] != '\0' && strcmp(a, b) == 0;
}

bool
idv_match_keys_overlap(const struct idv_block_keys *ck, const struct idv_block_keys *rk)
{
	if (match_key_eq(ck->dob, rk->dob) || match_key_eq(ck->dob_swap, rk->dob) ||
	    match_key_eq(ck->email, rk->email) || match_key_eq(ck->phone, rk->phone))
		return true;
	/* The city stands in for the ZIP only when a side has no ZIP (a city is too large a
	 * block otherwise, and two different ZIPs never make the same address). */
	bool same_zip = match_key_eq(ck->zip5, rk->zip5);
	bool same_city = (ck->zip5[0] == '\0' || rk->zip5[0] == '\0') &&
			 match_key_eq(ck->city, rk->city);
	if (match_key_eq(ck->number, rk->number) && (same_zip || same_city))
		return true;
	if (!same_zip && !same_city)
		return false;
	for (size_t i = 0; i < ck->nnames; i++)
		for (size_t j = 0; j < rk->nnames; j++)
			if (strcmp(ck->names[i], rk->names[j]) == 0)
				return true;
	return false;
}

enum idv_err
idv_match_select(const struct idv_record *recs, size_t nrecs, const struct idv_claims *claims,
		 size_t *idx_out, size_t max_out, size_t *nout)
{
	struct idv_block_keys ck, rk;
	enum idv_err result = IDV_OK;
	*nout = 0;
	idv_match_claims_keys(claims, &ck);
	for (size_t i = 0; i < nrecs; i++) {
		idv_match_record_keys(&recs[i], &rk);
		if (!idv_match_keys_overlap(&ck, &rk))
			continue;
		if (*nout >= max_out) {
			result = IDV_E_TOOBIG;
			continue;
		}
		idx_out[(*nout)++] = i;
	}
	return result;
}
