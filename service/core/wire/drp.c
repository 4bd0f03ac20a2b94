/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drp.c: base64, ISO 8601 times, DRP signed-body parsing and validation order, exercise and
 * status mapping (see drp.h). The JSON reader is a small bounded recursive-descent parser that
 * writes known claims into fixed fields and only validates everything else.
 */
#include <stdarg.h>

#include "idverify/drp.h"
#include "idverify/limits.h"
#include "idverify/str.h"

/* ---- base64 ------------------------------------------------------------------------------- */

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

enum idv_err
idv_b64_decode(const char *p, size_t len, uint8_t *out, size_t outsz, size_t *outlen)
{
	size_t n = len, o = 0, pad = 0;
	uint32_t acc = 0;
	unsigned bits = 0;
	*outlen = 0;
	while (n > 0 && idv_isspace((unsigned char)p[n - 1]))
		n--;
	while (pad < 2 && n > 0 && p[n - 1] == '=') {
		n--;
		pad++;
	}
	/* With padding, the whole must be a multiple of 4; without, a remainder of 1 is
	 * impossible (6 bits cannot make a byte). */
	if ((pad > 0 && (n + pad) % 4 != 0) || n % 4 == 1)
		return IDV_E_PARSE;
	for (size_t i = 0; i < n; i++) {
		int v = b64_value((unsigned char)p[i]);
		if (v < 0)
			return IDV_E_PARSE;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= outsz)
				return IDV_E_TOOBIG;
			out[o++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1u;
		}
	}
	if (acc != 0) /* non-canonical: the unused bits must be zero */
		return IDV_E_PARSE;
	*outlen = o;
	return IDV_OK;
}

enum idv_err
idv_b64_encode(const uint8_t *p, size_t len, char *out, size_t outsz)
{
	size_t need = IDV_B64_ENCODED_LEN(len), o = 0;
	if (len > SIZE_MAX / 2 || outsz <= need)
		return IDV_E_TOOBIG;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		out[o++] = b64_alphabet[(v >> 18) & 63];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = i + 1 < len ? b64_alphabet[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < len ? b64_alphabet[v & 63] : '=';
	}
	out[o] = '\0';
	return IDV_OK;
}

/* ---- ISO 8601 ----------------------------------------------------------------------------- */

static bool
iso_num(const char *p, size_t at, size_t n, int *out)
{
	uint64_t v;
	if (idv_parse_u64(p + at, n, 9999, &v) != IDV_OK)
		return false;
	*out = (int)v;
	return true;
}

enum idv_err
idv_iso8601_parse(const char *p, size_t len, int64_t *out)
{
	int y, mo, d, h, mi, s, oh = 0, om = 0, sign = 0;
	size_t i;
	if (len < 20 || p[4] != '-' || p[7] != '-' ||
	    (p[10] != 'T' && p[10] != 't' && p[10] != ' ') || p[13] != ':' || p[16] != ':')
		return IDV_E_PARSE;
	if (!iso_num(p, 0, 4, &y) || !iso_num(p, 5, 2, &mo) || !iso_num(p, 8, 2, &d) ||
	    !iso_num(p, 11, 2, &h) || !iso_num(p, 14, 2, &mi) || !iso_num(p, 17, 2, &s))
		return IDV_E_PARSE;
	if (!idv_date_valid(y, mo, d) || h > 23 || mi > 59 || s > 59)
		return IDV_E_INVAL;
	i = 19;
	if (p[i] == '.' || p[i] == ',') {
		size_t start = ++i;
		while (i < len && idv_isdigit((unsigned char)p[i]))
			i++;
		if (i == start || i - start > 18)
			return IDV_E_PARSE;
	}
	if (i >= len)
		return IDV_E_PARSE; /* no offset: ambiguous */
	if (p[i] == 'Z' || p[i] == 'z') {
		i++;
	} else if (p[i] == '+' || p[i] == '-') {
		sign = p[i] == '+' ? 1 : -1;
		i++;
		if (i + 2 > len || !iso_num(p, i, 2, &oh))
			return IDV_E_PARSE;
		i += 2;
		if (i < len && p[i] == ':')
			i++;
		if (i < len) {
			if (i + 2 > len || !iso_num(p, i, 2, &om))
				return IDV_E_PARSE;
			i += 2;
		}
		if (oh > 14 || om > 59)
			return IDV_E_INVAL;
	} else {
		return IDV_E_PARSE;
	}
	if (i != len)
		return IDV_E_PARSE;
	struct idv_date date = {y, mo, d};
	int64_t t = idv_date_to_days(&date) * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60 + s;
	t -= (int64_t)sign * ((int64_t)oh * 3600 + (int64_t)om * 60);
	*out = t;
	return IDV_OK;
}

void
idv_iso8601_format(int64_t t, char out[21])
{
	int64_t days = t / 86400, rem = t % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	struct idv_date d;
	idv_date_from_days(days, &d);
	if (!idv_fmt(out, 21, "%04d-%02d-%02dT%02d:%02d:%02dZ", d.year, d.month, d.day,
		     (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60)))
		out[0] = '\0';
}

/* ---- a bounded JSON reader ----------------------------------------------------------------- */

struct jp {
	const uint8_t *p;
	size_t len, i;
	char *why;
	size_t whysz;
};

static enum idv_err __attribute__((format(printf, 3, 4)))
jp_fail(struct jp *j, enum idv_err err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	idv_vwhy(j->why, j->whysz, fmt, ap);
	va_end(ap);
	return err;
}

static void
jp_ws(struct jp *j)
{
	while (j->i < j->len && (j->p[j->i] == ' ' || j->p[j->i] == '\t' || j->p[j->i] == '\n' ||
				 j->p[j->i] == '\r'))
		j->i++;
}

static bool
jp_peek(struct jp *j, uint8_t c)
{
	jp_ws(j);
	return j->i < j->len && j->p[j->i] == c;
}

/* Take the byte c (after white space) when it is next. */
static bool
jp_take(struct jp *j, uint8_t c)
{
	if (!jp_peek(j, c))
		return false;
	j->i++;
	return true;
}

/* After a member or an item: ',' (*more) or close (the end); anything else is an error. */
static enum idv_err
jp_next(struct jp *j, uint8_t close, bool *more)
{
	*more = jp_take(j, ',');
	if (*more || jp_take(j, close))
		return IDV_OK;
	return jp_fail(j, IDV_E_PARSE, "',' or '%c' expected at byte %zu", close, j->i);
}

/* The ':' between a member's name and its value. */
static enum idv_err
jp_colon(struct jp *j)
{
	return jp_take(j, ':') ? IDV_OK : jp_fail(j, IDV_E_PARSE, "':' expected at byte %zu", j->i);
}

static int
jp_hex4(const uint8_t *p)
{
	int v = 0;
	for (int k = 0; k < 4; k++) {
		int c = p[k], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Append one byte to out (when given); counts every byte in *n. */
static void
jp_put(char *out, size_t outsz, size_t *n, uint8_t c)
{
	if (out != NULL && *n + 1 < outsz)
		out[*n] = (char)c;
	(*n)++;
}

/*
 * A string at j->i (after white space). Decoded into out (NUL-terminated) when out is given;
 * IDV_E_TOOBIG (after consuming the whole string) when it does not fit.
 */
static enum idv_err
jp_string(struct jp *j, char *out, size_t outsz)
{
	size_t n = 0;
	jp_ws(j);
	if (j->i >= j->len || j->p[j->i] != '"')
		return jp_fail(j, IDV_E_PARSE, "a string was expected at byte %zu", j->i);
	j->i++;
	for (;;) {
		if (j->i >= j->len)
			return jp_fail(j, IDV_E_PARSE, "unterminated string");
		uint8_t c = j->p[j->i++];
		if (c == '"')
			break;
		if (c < 0x20)
			return jp_fail(j, IDV_E_PARSE, "control character in a string");
		if (c != '\\') {
			jp_put(out, outsz, &n, c);
			continue;
		}
		if (j->i >= j->len)
			return jp_fail(j, IDV_E_PARSE, "unterminated escape");
		c = j->p[j->i++];
		switch (c) {
		case '"':
		case '\\':
		case '/': jp_put(out, outsz, &n, c); break;
		case 'b': jp_put(out, outsz, &n, '\b'); break;
		case 'f': jp_put(out, outsz, &n, '\f'); break;
		case 'n': jp_put(out, outsz, &n, '\n'); break;
		case 'r': jp_put(out, outsz, &n, '\r'); break;
		case 't': jp_put(out, outsz, &n, '\t'); break;
		case 'u': {
			if (j->i + 4 > j->len)
				return jp_fail(j, IDV_E_PARSE, "short \\u escape");
			int cp = jp_hex4(j->p + j->i);
			j->i += 4;
			if (cp < 0)
				return jp_fail(j, IDV_E_PARSE, "bad \\u escape");
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (j->i + 6 > j->len || j->p[j->i] != '\\' ||
				    j->p[j->i + 1] != 'u')
					return jp_fail(j, IDV_E_PARSE, "lone surrogate");
				int lo = jp_hex4(j->p + j->i + 2);
				if (lo < 0xDC00 || lo > 0xDFFF)
					return jp_fail(j, IDV_E_PARSE, "lone surrogate");
				j->i += 6;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
				return jp_fail(j, IDV_E_PARSE, "lone surrogate");
			}
			if (cp == 0)
				return jp_fail(j, IDV_E_PARSE, "NUL in a string");
			if (cp < 0x80) {
				jp_put(out, outsz, &n, (uint8_t)cp);
			} else if (cp < 0x800) {
				jp_put(out, outsz, &n, (uint8_t)(0xC0 | (cp >> 6)));
				jp_put(out, outsz, &n, (uint8_t)(0x80 | (cp & 0x3F)));
			} else if (cp < 0x10000) {
				jp_put(out, outsz, &n, (uint8_t)(0xE0 | (cp >> 12)));
				jp_put(out, outsz, &n, (uint8_t)(0x80 | ((cp >> 6) & 0x3F)));
				jp_put(out, outsz, &n, (uint8_t)(0x80 | (cp & 0x3F)));
			} else {
				jp_put(out, outsz, &n, (uint8_t)(0xF0 | (cp >> 18)));
				jp_put(out, outsz, &n, (uint8_t)(0x80 | ((cp >> 12) & 0x3F)));
				jp_put(out, outsz, &n, (uint8_t)(0x80 | ((cp >> 6) & 0x3F)));
				jp_put(out, outsz, &n, (uint8_t)(0x80 | (cp & 0x3F)));
			}
			break;
		}
		default: return jp_fail(j, IDV_E_PARSE, "bad escape");
		}
	}
	if (out == NULL)
		return IDV_OK;
	if (n >= outsz) {
		out[0] = '\0';
		return IDV_E_TOOBIG;
	}
	out[n] = '\0';
	return IDV_OK;
}

static bool
jp_literal(struct jp *j, const char *lit)
{
	size_t n = strlen(lit);
	if (j->len - j->i < n || memcmp(j->p + j->i, lit, n) != 0)
		return false;
	j->i += n;
	return true;
}

static enum idv_err
jp_number(struct jp *j)
{
	size_t start = j->i;
	if (j->i < j->len && j->p[j->i] == '-')
		j->i++;
	if (j->i < j->len && j->p[j->i] == '0') {
		j->i++;
	} else {
		size_t d = j->i;
		while (j->i < j->len && idv_isdigit(j->p[j->i]))
			j->i++;
		if (j->i == d)
			return jp_fail(j, IDV_E_PARSE, "bad value at byte %zu", start);
	}
	if (j->i < j->len && j->p[j->i] == '.') {
		size_t d = ++j->i;
		while (j->i < j->len && idv_isdigit(j->p[j->i]))
			j->i++;
		if (j->i == d)
			return jp_fail(j, IDV_E_PARSE, "bad number at byte %zu", start);
	}
	if (j->i < j->len && (j->p[j->i] == 'e' || j->p[j->i] == 'E')) {
		j->i++;
		if (j->i < j->len && (j->p[j->i] == '+' || j->p[j->i] == '-'))
			j->i++;
		size_t d = j->i;
		while (j->i < j->len && idv_isdigit(j->p[j->i]))
			j->i++;
		if (j->i == d)
			return jp_fail(j, IDV_E_PARSE, "bad number at byte %zu", start);
	}
	return IDV_OK;
}

static enum idv_err jp_skip(struct jp *j, unsigned depth);

/* Members of an object or items of an array, skipped. */
static enum idv_err
jp_skip_container(struct jp *j, unsigned depth, bool object)
{
	enum idv_err e;
	uint8_t close = object ? '}' : ']';
	j->i++;
	if (jp_take(j, close))
		return IDV_OK;
	for (;;) {
		if (object) {
			if ((e = jp_string(j, NULL, 0)) != IDV_OK)
				return e;
			if ((e = jp_colon(j)) != IDV_OK)
				return e;
		}
		if ((e = jp_skip(j, depth + 1)) != IDV_OK)
			return e;
		bool more;
		if ((e = jp_next(j, close, &more)) != IDV_OK || !more)
			return e;
	}
}

static enum idv_err
jp_skip(struct jp *j, unsigned depth)
{
	if (depth > IDV_LIMIT_JSON_DEPTH)
		return jp_fail(j, IDV_E_PARSE, "nested too deeply");
	jp_ws(j);
	if (j->i >= j->len)
		return jp_fail(j, IDV_E_PARSE, "a value was expected at the end");
	switch (j->p[j->i]) {
	case '"': return jp_string(j, NULL, 0);
	case '{': return jp_skip_container(j, depth, true);
	case '[': return jp_skip_container(j, depth, false);
	case 't': return jp_literal(j, "true") ? IDV_OK : jp_fail(j, IDV_E_PARSE, "bad literal");
	case 'f': return jp_literal(j, "false") ? IDV_OK : jp_fail(j, IDV_E_PARSE, "bad literal");
	case 'n': return jp_literal(j, "null") ? IDV_OK : jp_fail(j, IDV_E_PARSE, "bad literal");
	default: return jp_number(j);
	}
}

/* ---- DRP bodies ------------------------------------------------------------------------------ */

enum drp_ftype { F_STR, F_BOOL, F_TIME, F_ADDRESS, F_STRARRAY };

#define NOFLAG SIZE_MAX

struct drp_field {
	const char *key;
	enum drp_ftype type;
	size_t off, size, flag; /* flag: offset of a bool set when present, or NOFLAG */
};

#define FS(k, m)                                                                                   \
	{                                                                                          \
		k, F_STR, offsetof(struct idv_drp_body, m), sizeof(((struct idv_drp_body *)0)->m), \
			NOFLAG                                                                     \
	}
#define FSF(k, m, f)                                                                               \
	{                                                                                          \
		k, F_STR, offsetof(struct idv_drp_body, m), sizeof(((struct idv_drp_body *)0)->m), \
			offsetof(struct idv_drp_body, f)                                           \
	}
#define FB(k, m)                                                                                   \
	{                                                                                          \
		k, F_BOOL, offsetof(struct idv_drp_body, m), 0, NOFLAG                             \
	}
#define FT(k, m, f)                                                                                \
	{                                                                                          \
		k, F_TIME, offsetof(struct idv_drp_body, m), 0, offsetof(struct idv_drp_body, f)   \
	}

static const struct drp_field drp_fields[] = {
	FSF("agent-id", agent_id, has_agent_id),
	FSF("business-id", business_id, has_business_id),
	FT("issued-at", issued_at, has_issued_at),
	FT("expires-at", expires_at, has_expires_at),
	FS("drp.version", version),
	FS("exercise", exercise),
	FS("regime", regime),
	FS("agent-request-id", agent_request_id),
	FS("status_callback", status_callback),
	{"relationships", F_STRARRAY, 0, 0, NOFLAG},
	FS("name", name),
	FS("email", email),
	FB("email_verified", email_verified),
	FS("phone_number", phone_number),
	FB("phone_number_verified", phone_number_verified),
	{"address", F_ADDRESS, 0, 0, NOFLAG},
	FB("address_verified", address_verified),
	FS("birthdate", birthdate),
	FS("power_of_attorney", power_of_attorney),
	FS("reason", reason),
	FS("request_id", request_id),
};

#define DRP_MAX_MEMBERS 64

static uint64_t
drp_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ull;
	return h;
}

static enum idv_err
drp_str_into(struct jp *j, const char *key, char *out, size_t outsz)
{
	enum idv_err e = jp_string(j, out, outsz);
	if (e == IDV_E_TOOBIG)
		return jp_fail(j, e, "%s is too long (at most %zu bytes)", key, outsz - 1);
	return e;
}

static enum idv_err
drp_address(struct jp *j, struct idv_drp_address *a)
{
	static const struct {
		const char *key;
		size_t off, size;
	} keys[] = {
#define A(m) {#m, offsetof(struct idv_drp_address, m), sizeof(((struct idv_drp_address *)0)->m)}
		A(formatted), A(street_address), A(locality), A(region), A(postal_code), A(country),
#undef A
	};
	enum idv_err e;
	char key[32];
	jp_ws(j);
	if (j->i < j->len && j->p[j->i] == '"') { /* some agents send a one-line string */
		a->present = true;
		return drp_str_into(j, "address", a->formatted, sizeof a->formatted);
	}
	if (j->i >= j->len || j->p[j->i] != '{')
		return jp_fail(j, IDV_E_INVAL,
			       "address must be an object (OpenID Connect address)");
	a->present = true;
	j->i++;
	if (jp_take(j, '}'))
		return IDV_OK;
	for (;;) {
		e = jp_string(j, key, sizeof key);
		if (e != IDV_OK && e != IDV_E_TOOBIG)
			return e;
		if ((e = jp_colon(j)) != IDV_OK)
			return e;
		size_t k = 0;
		while (e == IDV_OK && k < IDV_ARRAY_LEN(keys) && strcmp(keys[k].key, key) != 0)
			k++;
		jp_ws(j);
		if (e == IDV_OK && k < IDV_ARRAY_LEN(keys) && !jp_literal(j, "null")) {
			if (j->i >= j->len || j->p[j->i] != '"')
				return jp_fail(j, IDV_E_INVAL, "address.%s must be a string",
					       keys[k].key);
			if ((e = drp_str_into(j, "address field", (char *)a + keys[k].off,
					      keys[k].size)) != IDV_OK)
				return e;
		} else if (e != IDV_OK || k == IDV_ARRAY_LEN(keys)) {
			if ((e = jp_skip(j, 2)) != IDV_OK)
				return e;
		}
		bool more;
		if ((e = jp_next(j, '}', &more)) != IDV_OK || !more)
			return e;
	}
}

static enum idv_err
drp_relationships(struct jp *j, struct idv_drp_body *out)
{
	enum idv_err e;
	jp_ws(j);
	if (j->i >= j->len || j->p[j->i] != '[')
		return jp_fail(j, IDV_E_INVAL, "relationships must be an array of strings");
	j->i++;
	if (jp_take(j, ']'))
		return IDV_OK;
	for (;;) {
		jp_ws(j);
		if (j->i >= j->len || j->p[j->i] != '"')
			return jp_fail(j, IDV_E_INVAL, "relationships must be an array of strings");
		if (out->nrelationships >= IDV_DRP_MAX_RELATIONSHIPS)
			return jp_fail(j, IDV_E_TOOBIG, "relationships: at most %d",
				       IDV_DRP_MAX_RELATIONSHIPS);
		if ((e = drp_str_into(j, "a relationship", out->relationships[out->nrelationships],
				      sizeof out->relationships[0])) != IDV_OK)
			return e;
		out->nrelationships++;
		bool more;
		if ((e = jp_next(j, ']', &more)) != IDV_OK || !more)
			return e;
	}
}

static enum idv_err
drp_member(struct jp *j, const struct drp_field *f, struct idv_drp_body *out)
{
	char *base = (char *)out;
	char tbuf[48];
	enum idv_err e;
	jp_ws(j);
	if (jp_literal(j, "null"))
		return IDV_OK; /* an optional claim given as null: absent */
	switch (f->type) {
	case F_STR:
		if (j->i >= j->len || j->p[j->i] != '"')
			return jp_fail(j, IDV_E_INVAL, "%s must be a string", f->key);
		if ((e = drp_str_into(j, f->key, base + f->off, f->size)) != IDV_OK)
			return e;
		break;
	case F_BOOL:
		if (jp_literal(j, "true"))
			*(bool *)(void *)(base + f->off) = true;
		else if (!jp_literal(j, "false"))
			return jp_fail(j, IDV_E_INVAL, "%s must be true or false", f->key);
		break;
	case F_TIME:
		if (j->i >= j->len || j->p[j->i] != '"')
			return jp_fail(j, IDV_E_INVAL, "%s must be an ISO 8601 string", f->key);
		if ((e = drp_str_into(j, f->key, tbuf, sizeof tbuf)) != IDV_OK)
			return e;
		if (idv_iso8601_parse(tbuf, strlen(tbuf), (int64_t *)(void *)(base + f->off)) !=
		    IDV_OK)
			return jp_fail(j, IDV_E_INVAL,
				       "%s is not an ISO 8601 time with Z or an offset", f->key);
		break;
	case F_ADDRESS: return drp_address(j, &out->address);
	case F_STRARRAY: return drp_relationships(j, out);
	}
	if (f->flag != NOFLAG)
		*(bool *)(void *)(base + f->flag) = true;
	return IDV_OK;
}

enum idv_err
idv_drp_parse(const uint8_t *json, size_t len, struct idv_drp_body *out, char *why, size_t whysz)
{
	struct jp j = {json, len, 0, why, whysz};
	uint64_t seen[DRP_MAX_MEMBERS];
	size_t nseen = 0;
	char key[64];
	enum idv_err e;
	memset(out, 0, sizeof *out);
	if (why != NULL && whysz > 0)
		why[0] = '\0';
	if (!idv_utf8_valid(json, len))
		return jp_fail(&j, IDV_E_PARSE, "the body is not UTF-8 text");
	if (!jp_take(&j, '{'))
		return jp_fail(&j, IDV_E_PARSE, "the body must be a JSON object");
	bool more = !jp_take(&j, '}');
	while (more) {
		e = jp_string(&j, key, sizeof key);
		if (e != IDV_OK && e != IDV_E_TOOBIG)
			return e;
		bool long_key = e == IDV_E_TOOBIG;
		if ((e = jp_colon(&j)) != IDV_OK)
			return e;
		const struct drp_field *f = NULL;
		if (!long_key) {
			uint64_t h = drp_hash(key);
			for (size_t k = 0; k < nseen; k++)
				if (seen[k] == h)
					return jp_fail(&j, IDV_E_PARSE, "duplicate key \"%s\"",
						       key);
			if (nseen == DRP_MAX_MEMBERS)
				return jp_fail(&j, IDV_E_TOOBIG, "too many claims");
			seen[nseen++] = h;
			for (size_t k = 0; k < IDV_ARRAY_LEN(drp_fields) && f == NULL; k++)
				if (strcmp(drp_fields[k].key, key) == 0)
					f = &drp_fields[k];
		}
		e = f != NULL ? drp_member(&j, f, out) : jp_skip(&j, 1);
		if (e != IDV_OK)
			return e;
		if ((e = jp_next(&j, '}', &more)) != IDV_OK)
			return e;
	}
	jp_ws(&j);
	if (j.i != len)
		return jp_fail(&j, IDV_E_PARSE, "trailing bytes after the object");
	return IDV_OK;
}

/* ---- validation order ------------------------------------------------------------------------ */

const char *
idv_drp_step_name(enum idv_drp_step s)
{
	static const char *const names[] = {
		"ok",          "bad_base64",     "bad_signature", "bad_json",
		"wrong_agent", "wrong_business", "not_yet_valid", "expired",
		"unsupported", "too_long",       "wrong_request",
	};
	return (unsigned)s < IDV_ARRAY_LEN(names) ? names[s] : "unknown";
}

static enum idv_drp_step __attribute__((format(printf, 4, 5)))
drp_step(enum idv_drp_step s, char *why, size_t whysz, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	idv_vwhy(why, whysz, fmt, ap);
	va_end(ap);
	return s;
}

static bool
drp_version_supported(const char *v)
{
	return strcmp(v, "1.0") == 0 || strcmp(v, "0.9.4") == 0 || strcmp(v, "0.9.3") == 0;
}

enum idv_drp_step
idv_drp_validate(const char *body, size_t len, const struct idv_drp_expect *exp, uint8_t *scratch,
		 size_t scratchsz, struct idv_drp_body *out, const uint8_t **json, size_t *json_len,
		 char *why, size_t whysz)
{
	size_t n = 0;
	const char *b = body;
	size_t blen = len;
	memset(out, 0, sizeof *out);
	*json = NULL;
	*json_len = 0;
	/* 1. base64 */
	idv_str_trim(&b, &blen);
	if (idv_b64_decode(b, blen, scratch, scratchsz, &n) != IDV_OK)
		return drp_step(IDV_DRP_BAD_BASE64, why, whysz,
				"the body is not base64 (signature followed by JSON)");
	if (n <= IDV_DRP_SIG_LEN)
		return drp_step(IDV_DRP_BAD_BASE64, why, whysz,
				"the decoded body is shorter than a signature");
	/* 2. the signature, with the key of the agent of the token */
	const uint8_t *msg = scratch + IDV_DRP_SIG_LEN;
	size_t msglen = n - IDV_DRP_SIG_LEN;
	if (exp->verify == NULL || !exp->verify(exp->arg, scratch, msg, msglen))
		return drp_step(IDV_DRP_BAD_SIGNATURE, why, whysz,
				"the signature does not verify with the agent's key");
	char pwhy[160];
	if (idv_drp_parse(msg, msglen, out, pwhy, sizeof pwhy) != IDV_OK)
		return drp_step(IDV_DRP_BAD_JSON, why, whysz, "the signed body: %s", pwhy);
	/* 3. agent-id */
	if (!out->has_agent_id || strcmp(out->agent_id, exp->agent_id) != 0)
		return drp_step(IDV_DRP_WRONG_AGENT, why, whysz,
				out->has_agent_id ? "agent-id is not the agent of these credentials"
						  : "agent-id is missing");
	/* 4. business-id */
	if (!out->has_business_id || strcmp(out->business_id, exp->business_id) != 0)
		return drp_step(IDV_DRP_WRONG_BUSINESS, why, whysz,
				out->has_business_id ? "business-id is not this business"
						     : "business-id is missing");
	/* 5. issued-at */
	if (!out->has_issued_at || exp->now < out->issued_at)
		return drp_step(IDV_DRP_NOT_YET_VALID, why, whysz,
				out->has_issued_at ? "issued-at is in the future"
						   : "issued-at is missing");
	/* 6. expires-at */
	if (!out->has_expires_at || exp->now >= out->expires_at)
		return drp_step(IDV_DRP_EXPIRED, why, whysz,
				out->has_expires_at ? "the body has expired (expires-at)"
						    : "expires-at is missing");
	/* A bounded lifetime: the body is remembered against replays until it expires. */
	if (out->expires_at <= out->issued_at ||
	    out->expires_at - out->issued_at > IDV_DRP_LIFETIME_MAX_S)
		return drp_step(IDV_DRP_TOO_LONG, why, whysz,
				"expires-at must be after issued-at and at most %d minutes later",
				IDV_DRP_LIFETIME_MAX_S / 60);
	if (exp->kind != IDV_DRP_REVOKE && !drp_version_supported(out->version))
		return drp_step(IDV_DRP_UNSUPPORTED, why, whysz,
				out->version[0] ? "drp.version is not supported (1.0)"
						: "drp.version is missing");
	if (exp->kind == IDV_DRP_EXERCISE && idv_drp_request_type(out->exercise) == NULL)
		return drp_step(IDV_DRP_UNSUPPORTED, why, whysz,
				out->exercise[0] ? "this exercise is not supported"
						 : "exercise is missing");
	if (exp->kind == IDV_DRP_REVOKE && (out->request_id[0] == '\0' || exp->request_id == NULL ||
					    strcmp(out->request_id, exp->request_id) != 0))
		return drp_step(IDV_DRP_WRONG_REQUEST, why, whysz,
				out->request_id[0] ? "request_id is not the request of the URL"
						   : "request_id is missing");
	*json = msg;
	*json_len = msglen;
	if (why != NULL && whysz > 0)
		why[0] = '\0';
	return IDV_DRP_OK;
}

/* ---- exercises, names, statuses ---------------------------------------------------------------- */

const char *
idv_drp_request_type(const char *exercise)
{
	static const struct {
		const char *exercise, *type;
	} map[] = {
		{"access", "know_categories"},        {"access:categories", "know_categories"},
		{"access:specific", "know_specific"}, {"deletion", "delete"},
		{"sale:opt-out", "opt_out"},          {"sale:opt_out", "opt_out"},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(map); i++)
		if (strcmp(exercise, map[i].exercise) == 0)
			return map[i].type;
	return NULL;
}

static void
drp_copy_trimmed(const char *p, size_t len, char *out, size_t outsz)
{
	idv_str_trim(&p, &len);
	if (outsz == 0)
		return;
	if (len >= outsz)
		len = outsz - 1;
	memcpy(out, p, len);
	out[len] = '\0';
}

bool
idv_drp_split_name(const char *name, char *given, size_t givensz, char *family, size_t familysz)
{
	const char *comma = strchr(name, ',');
	size_t len = strlen(name);
	given[0] = family[0] = '\0';
	if (comma != NULL) {
		drp_copy_trimmed(name, (size_t)(comma - name), family, familysz);
		drp_copy_trimmed(comma + 1, len - (size_t)(comma - name) - 1, given, givensz);
	} else {
		const char *p = name;
		size_t n = len;
		idv_str_trim(&p, &n);
		size_t sp = n;
		while (sp > 0 && !idv_isspace((unsigned char)p[sp - 1]))
			sp--;
		if (sp == 0)
			return false;
		drp_copy_trimmed(p, sp, given, givensz);
		drp_copy_trimmed(p + sp, n - sp, family, familysz);
	}
	return family[0] != '\0' && given[0] != '\0';
}

void
idv_drp_status_of(const struct idv_drp_case_state *c, const char **status, const char **reason)
{
	static const struct {
		const char *basis, *reason;
	} denials[] = {
		{"not_verified", "insuf_verification"},
		{"abandoned", "insuf_verification"},
		{"too_many_requests", "too_many_requests"},
		{"claim_not_covered", "claim_not_covered"},
		{"no_personal_information", "no_match"},
		{"agent_not_authorized", "suspected_fraud"},
	};
	*reason = NULL;
	if (c->revoked) {
		*status = "revoked";
		return;
	}
	if (c->closed) {
		const char *r = c->response ? c->response : "";
		if (strcmp(r, "withdrawn") == 0) {
			*status = "revoked";
		} else if (strcmp(r, "fulfilled") == 0 || strcmp(r, "partially_fulfilled") == 0) {
			*status = "fulfilled";
		} else {
			*status = "denied";
			*reason = "other";
			for (size_t i = 0; i < IDV_ARRAY_LEN(denials); i++)
				if (c->denial_basis &&
				    strcmp(c->denial_basis, denials[i].basis) == 0)
					*reason = denials[i].reason;
		}
		return;
	}
	const char *s = c->status ? c->status : "";
	if (strcmp(s, "refused") == 0) {
		*status = "denied";
		*reason = "too_many_requests";
	} else if (strcmp(s, "not_verified") == 0) {
		/* Not "no_match": whether a record exists is not the agent's to learn (issue 19). */
		*status = "denied";
		*reason = "insuf_verification";
	} else {
		*status = "in_progress";
		if (c->need_user)
			*reason = "need_user_verification";
	}
}

bool
idv_drp_status_final(const char *status)
{
	return strcmp(status, "fulfilled") == 0 || strcmp(status, "denied") == 0 ||
	       strcmp(status, "revoked") == 0 || strcmp(status, "expired") == 0;
}
