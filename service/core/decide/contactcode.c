/* SPDX-License-Identifier: Apache-2.0 */
/* contactcode.c: the rules of one-time codes to a contact on file (contactcode.h). */
#include <string.h>

#include "idverify/contactcode.h"

#define CODE_BULLET "\xe2\x80\xa2" /* U+2022, 3 bytes */

void
idv_code_rule_defaults(struct idv_code_rule *r)
{
	r->digits = 6;
	r->ttl_s = 600;
	r->max_attempts = 5;
	r->max_sends = 3;
	r->resend_after_s = 60;
}

bool
idv_code_rule_valid(const struct idv_code_rule *r)
{
	return r->digits >= IDV_CODE_DIGITS_MIN && r->digits <= IDV_CODE_DIGITS_MAX &&
	       r->ttl_s > 0 && r->ttl_s <= 86400 && r->max_attempts >= 1 &&
	       r->max_attempts <= 100 && r->max_sends >= 1 && r->max_sends <= 100 &&
	       r->resend_after_s >= 0 && r->resend_after_s <= 86400;
}

bool
idv_code_from_random(const uint8_t *rnd, size_t n, unsigned digits, char *out, size_t outsz)
{
	size_t k = 0;
	if (digits < IDV_CODE_DIGITS_MIN || digits > IDV_CODE_DIGITS_MAX || outsz <= digits) {
		if (outsz > 0)
			out[0] = '\0';
		return false;
	}
	for (size_t i = 0; i < n && k < digits; i++)
		if (rnd[i] < 250) /* 250 = 25 * 10: each digit equally likely */
			out[k++] = (char)('0' + rnd[i] % 10);
	out[k < digits ? 0 : k] = '\0';
	return k == digits;
}

bool
idv_code_shape_ok(const char *s, size_t len, unsigned digits)
{
	if (len != digits)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool
idv_code_normalize(const char *s, size_t len, char *out, size_t outsz)
{
	size_t k = 0;
	if (outsz == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == ' ' || s[i] == '-')
			continue;
		if (k + 1 >= outsz) {
			out[0] = '\0';
			return false;
		}
		out[k++] = s[i];
	}
	out[k] = '\0';
	return true;
}

const char *
idv_code_verdict_name(enum idv_code_verdict v)
{
	switch (v) {
	case IDV_CODE_TRY: return "try";
	case IDV_CODE_NONE: return "none";
	case IDV_CODE_EXPIRED: return "expired";
	case IDV_CODE_EXHAUSTED: return "exhausted";
	case IDV_CODE_VERIFIED: return "verified";
	}
	return "none";
}

enum idv_code_verdict
idv_code_check(const struct idv_code_rule *r, const struct idv_code_state *st, int64_t now)
{
	if (st->verified_at != 0)
		return IDV_CODE_VERIFIED;
	if (st->sends == 0 || st->issued_at == 0)
		return IDV_CODE_NONE;
	if (st->attempts >= r->max_attempts)
		return IDV_CODE_EXHAUSTED;
	/* a clock that went backwards does not revive or extend a code: only [issued, +ttl) */
	if (now < st->issued_at || now - st->issued_at >= r->ttl_s)
		return IDV_CODE_EXPIRED;
	return IDV_CODE_TRY;
}

enum idv_code_verdict
idv_code_record(const struct idv_code_rule *r, struct idv_code_state *st, bool matched, int64_t now)
{
	if (matched) {
		st->verified_at = now != 0 ? now : 1;
		return IDV_CODE_VERIFIED;
	}
	if (st->attempts < UINT32_MAX)
		st->attempts++;
	return st->attempts >= r->max_attempts ? IDV_CODE_EXHAUSTED : IDV_CODE_TRY;
}

enum idv_code_send
idv_code_may_send(const struct idv_code_rule *r, const struct idv_code_state *st, int64_t now,
		  int64_t *wait_s)
{
	*wait_s = 0;
	if (st->verified_at != 0)
		return IDV_CODE_SEND_DONE;
	if (st->sends >= r->max_sends)
		return IDV_CODE_SEND_LIMIT;
	if (st->sends > 0 && now >= st->issued_at && now - st->issued_at < r->resend_after_s) {
		*wait_s = r->resend_after_s - (now - st->issued_at);
		return IDV_CODE_SEND_WAIT;
	}
	return IDV_CODE_SEND_OK;
}

void
idv_code_sent(struct idv_code_state *st, int64_t now)
{
	st->issued_at = now != 0 ? now : 1;
	st->attempts = 0;
	if (st->sends < UINT32_MAX)
		st->sends++;
}

bool
idv_code_mask_email(const char *email, size_t len, char *out, size_t outsz)
{
	const char *at = memchr(email, '@', len);
	size_t dlen = at != NULL ? len - (size_t)(at - email) : 0; /* "@domain" */
	size_t need = 1 + strlen(CODE_BULLET) * 3 + dlen + 1;
	if (outsz > 0)
		out[0] = '\0';
	if (at == NULL || at == email || dlen < 4 || memchr(at + 1, '@', dlen - 1) != NULL ||
	    need > outsz || (unsigned char)email[0] >= 0x80)
		return false;
	out[0] = email[0];
	memcpy(out + 1, CODE_BULLET CODE_BULLET CODE_BULLET, 3 * strlen(CODE_BULLET));
	memcpy(out + 1 + 3 * strlen(CODE_BULLET), at, dlen);
	out[need - 1] = '\0';
	return true;
}

bool
idv_code_contact_fold(bool email, const char *contact, size_t len, char *out, size_t outsz)
{
	const char *prefix = email ? "email:" : "phone:";
	size_t n = strlen(prefix), start = n;
	bool ok = outsz > n;
	if (ok)
		memcpy(out, prefix, n);
	for (size_t i = 0; ok && i < len; i++) {
		char c = contact[i];
		if (!email && (c < '0' || c > '9'))
			continue;
		if (n + 1 >= outsz)
			ok = false;
		else
			out[n++] = email && c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	ok = ok && n > start;
	if (outsz > 0)
		out[ok ? n : 0] = '\0';
	return ok;
}

bool
idv_code_mask_phone(const char *phone, size_t len, char *out, size_t outsz)
{
	char last[2] = {0, 0};
	size_t ndig = 0;
	if (outsz > 0)
		out[0] = '\0';
	for (size_t i = 0; i < len; i++) {
		char c = phone[i];
		if (c >= '0' && c <= '9') {
			last[0] = last[1];
			last[1] = c;
			ndig++;
		} else if (c != ' ' && c != '-' && c != '+' && c != '(' && c != ')' && c != '.') {
			return false;
		}
	}
	size_t nb = 5, need = nb * strlen(CODE_BULLET) + 2 + 1;
	if (ndig < 7 || ndig > 15 || need > outsz)
		return false;
	for (size_t i = 0; i < nb; i++)
		memcpy(out + i * strlen(CODE_BULLET), CODE_BULLET, strlen(CODE_BULLET));
	out[need - 3] = last[0];
	out[need - 2] = last[1];
	out[need - 1] = '\0';
	return true;
}
