/* SPDX-License-Identifier: Apache-2.0 */
/*
 * str.h: locale-independent ASCII classes and bounded parsing of numbers from bytes.
 *
 * Input is bytes plus a length; nothing here relies on a terminating NUL or on <ctype.h>.
 */
#ifndef IDVERIFY_STR_H
#define IDVERIFY_STR_H

#include <stdarg.h>

#include "idverify/common.h"

static inline bool
idv_isdigit(int c)
{
	return c >= '0' && c <= '9';
}
static inline bool
idv_isupper(int c)
{
	return c >= 'A' && c <= 'Z';
}
static inline bool
idv_islower(int c)
{
	return c >= 'a' && c <= 'z';
}
static inline bool
idv_isalpha(int c)
{
	return idv_isupper(c) || idv_islower(c);
}
static inline bool
idv_isalnum(int c)
{
	return idv_isalpha(c) || idv_isdigit(c);
}
static inline bool
idv_isspace(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
static inline int
idv_toupper(int c)
{
	return idv_islower(c) ? c - 'a' + 'A' : c;
}
static inline int
idv_tolower(int c)
{
	return idv_isupper(c) ? c - 'A' + 'a' : c;
}
static inline bool
idv_isxdigit(int c)
{
	return idv_isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * Parse an unsigned decimal number that fills all of p[0..len): no sign, no spaces, at least
 * one digit, value <= max. IDV_E_PARSE on anything else, IDV_E_TOOBIG over max.
 */
enum idv_err idv_parse_u64(const char *p, size_t len, uint64_t max, uint64_t *out);

/* Same as idv_parse_u64 for a NUL-terminated string. */
enum idv_err idv_parse_u64z(const char *s, uint64_t max, uint64_t *out);

/*
 * The one formatter into a fixed buffer: like snprintf, but says whether the text fitted.
 * out is always NUL-terminated (outsz > 0); on truncation it holds the part that fitted and
 * false is returned, as on an encoding error (then out is ""). idv_vfmt takes a va_list.
 */
bool idv_fmt(char *out, size_t outsz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool idv_vfmt(char *out, size_t outsz, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/*
 * Append to the text out[0..*len) in a fixed buffer (a list being built): the formatted text
 * goes at out + *len and *len grows by its length when it fits, else out stays as it was
 * (nothing half written) and false is returned. A description built this way keeps the items
 * that fitted, so its callers may ignore the result ((void)).
 */
bool idv_fmt_cat(char *out, size_t outsz, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * The one "why" formatter: writes a reason for people into why[0..whysz), as idv_fmt does.
 * why may be NULL or whysz 0 (nothing is written). A reason that does not fit is kept cut
 * short on purpose: it only explains an error the caller returns anyway, so there is no
 * result to check. idv_vwhy takes a va_list.
 */
void idv_why(char *why, size_t whysz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void idv_vwhy(char *why, size_t whysz, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/*
 * An enum's name table: names[0..n) are the names of the values 0..n-1. idv_name_of gives the
 * name of value v, or dflt outside the table; idv_name_find the value named name[0..len)
 * (exact, case-sensitive), or n when no name is. names and their strings are static.
 */
const char *idv_name_of(const char *const *names, size_t n, size_t v, const char *dflt);
size_t idv_name_find(const char *const *names, size_t n, const char *name, size_t len);

/*
 * Define an enum's name functions from its table, the one way (the prototypes stay in the
 * enum's header): IDV_NAME_FN gives `const char *prefix_name(type v)`; IDV_NAME_LOOKUP_FN adds
 * `type prefix_lookup(const char *name, size_t len)`, count when no name matches.
 */
#define IDV_NAME_FN(prefix, type, names, count, dflt)                                              \
	const char *prefix##_name(type v)                                                          \
	{                                                                                          \
		return idv_name_of(names, count, (size_t)v, dflt);                                 \
	}
#define IDV_NAME_LOOKUP_FN(prefix, type, names, count, dflt)                                       \
	IDV_NAME_FN(prefix, type, names, count, dflt)                                              \
	type prefix##_lookup(const char *name, size_t len)                                         \
	{                                                                                          \
		return (type)idv_name_find(names, count, name, len);                               \
	}

/*
 * The end of a validation that names its first failure w: IDV_OK when w is NULL, else
 * IDV_E_INVAL with w (a static text) as the reason in why (which may be NULL).
 */
enum idv_err idv_why_invalid(const char *w, char *why, size_t whysz);

/* Case-insensitive ASCII equality of a[0..alen) and the NUL-terminated b. */
bool idv_str_ieq(const char *a, size_t alen, const char *b);

/* Trim ASCII white space at both ends: adjusts *p and *len. */
void idv_str_trim(const char **p, size_t *len);

/* True when s[0..len) is valid UTF-8 without NUL bytes or overlong forms. */
bool idv_utf8_valid(const uint8_t *s, size_t len);

/*
 * A calendar date. Validates month and day (leap years included), year 1000..9999.
 * idv_date_parse accepts exactly YYYY-MM-DD.
 */
struct idv_date {
	int year, month, day;
};
bool idv_date_valid(int year, int month, int day);
/* *out = year-month-day when that is a valid date (idv_date_valid), else IDV_E_INVAL. */
enum idv_err idv_date_make(int year, int month, int day, struct idv_date *out);
enum idv_err idv_date_parse(const char *p, size_t len, struct idv_date *out);
/* Writes "YYYY-MM-DD" and a NUL into out (at least 11 bytes). */
void idv_date_format(const struct idv_date *d, char out[11]);
/* Days since 1970-01-01 (may be negative), and back. */
int64_t idv_date_to_days(const struct idv_date *d);
void idv_date_from_days(int64_t days, struct idv_date *out);
/* 0 = Monday ... 6 = Sunday. */
int idv_date_weekday(const struct idv_date *d);

#endif
