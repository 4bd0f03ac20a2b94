/* SPDX-License-Identifier: Apache-2.0 */
/* str.c: bounded number parsing, trimming, UTF-8 validation and calendar dates (see str.h). */
#include "idverify/str.h"

enum idv_err
idv_parse_u64(const char *p, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	if (len == 0)
		return IDV_E_PARSE;
	for (size_t i = 0; i < len; i++) {
		if (!idv_isdigit((unsigned char)p[i]))
			return IDV_E_PARSE;
		unsigned d = (unsigned)(p[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return IDV_E_TOOBIG;
		v = v * 10 + d;
	}
	if (v > max)
		return IDV_E_TOOBIG;
	*out = v;
	return IDV_OK;
}

enum idv_err
idv_parse_u64z(const char *s, uint64_t max, uint64_t *out)
{
	return idv_parse_u64(s, strlen(s), max, out);
}

bool
idv_str_ieq(const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);
	if (alen != blen)
		return false;
	for (size_t i = 0; i < alen; i++)
		if (idv_tolower((unsigned char)a[i]) != idv_tolower((unsigned char)b[i]))
			return false;
	return true;
}

const char *
idv_name_of(const char *const *names, size_t n, size_t v, const char *dflt)
{
	return v < n ? names[v] : dflt;
}

size_t
idv_name_find(const char *const *names, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
			return i;
	return n;
}

void
idv_str_trim(const char **p, size_t *len)
{
	const char *s = *p;
	size_t n = *len;
	while (n > 0 && idv_isspace((unsigned char)s[0])) {
		s++;
		n--;
	}
	while (n > 0 && idv_isspace((unsigned char)s[n - 1]))
		n--;
	*p = s;
	*len = n;
}

bool
idv_utf8_valid(const uint8_t *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		uint8_t c = s[i];
		uint32_t cp;
		size_t n;
		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			n = 1;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (len - i - 1 < n)
			return false;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += n + 1;
	}
	return true;
}

static bool
date_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool
idv_date_valid(int year, int month, int day)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1)
		return false;
	int max = mdays[month - 1] + (month == 2 && date_leap(year));
	return day <= max;
}

enum idv_err
idv_date_make(int year, int month, int day, struct idv_date *out)
{
	if (!idv_date_valid(year, month, day))
		return IDV_E_INVAL;
	out->year = year;
	out->month = month;
	out->day = day;
	return IDV_OK;
}

enum idv_err
idv_date_parse(const char *p, size_t len, struct idv_date *out)
{
	uint64_t y, m, d;
	if (len != 10 || p[4] != '-' || p[7] != '-')
		return IDV_E_PARSE;
	if (idv_parse_u64(p, 4, 9999, &y) != IDV_OK || idv_parse_u64(p + 5, 2, 99, &m) != IDV_OK ||
	    idv_parse_u64(p + 8, 2, 99, &d) != IDV_OK)
		return IDV_E_PARSE;
	return idv_date_make((int)y, (int)m, (int)d, out);
}

void
idv_date_format(const struct idv_date *d, char out[11])
{
	int y = d->year, m = d->month, dd = d->day;
	out[0] = (char)('0' + y / 1000 % 10);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10 % 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + dd / 10 % 10);
	out[9] = (char)('0' + dd % 10);
	out[10] = '\0';
}

/* Howard Hinnant's days_from_civil / civil_from_days algorithms (proleptic Gregorian). */
int64_t
idv_date_to_days(const struct idv_date *d)
{
	int64_t y = d->year - (d->month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t mp = (d->month + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + d->day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
idv_date_from_days(int64_t days, struct idv_date *out)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	out->year = (int)(y + (m <= 2));
	out->month = (int)m;
	out->day = (int)d;
}

int
idv_date_weekday(const struct idv_date *d)
{
	int64_t days = idv_date_to_days(d); /* 1970-01-01 was a Thursday (3) */
	int64_t w = (days % 7 + 7 + 3) % 7;
	return (int)w;
}

bool
idv_vfmt(char *out, size_t outsz, const char *fmt, va_list ap)
{
	if (outsz == 0)
		return false;
	int n = vsnprintf(out, outsz, fmt, ap);
	if (n < 0) {
		out[0] = '\0';
		return false;
	}
	return (size_t)n < outsz;
}

bool
idv_fmt(char *out, size_t outsz, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bool ok = idv_vfmt(out, outsz, fmt, ap);
	va_end(ap);
	return ok;
}

bool
idv_fmt_cat(char *out, size_t outsz, size_t *len, const char *fmt, ...)
{
	if (*len >= outsz)
		return false;
	va_list ap;
	va_start(ap, fmt);
	bool ok = idv_vfmt(out + *len, outsz - *len, fmt, ap);
	va_end(ap);
	if (ok)
		*len += strlen(out + *len);
	else
		out[*len] = '\0';
	return ok;
}

void
idv_vwhy(char *why, size_t whysz, const char *fmt, va_list ap)
{
	if (why != NULL && whysz > 0)
		(void)idv_vfmt(why, whysz, fmt, ap); /* cut short on purpose (str.h) */
}

enum idv_err
idv_why_invalid(const char *w, char *why, size_t whysz)
{
	if (w == NULL)
		return IDV_OK;
	if (why != NULL && whysz > 0)
		idv_strlcpy(why, w, whysz);
	return IDV_E_INVAL;
}

void
idv_why(char *why, size_t whysz, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	idv_vwhy(why, whysz, fmt, ap);
	va_end(ap);
}
