/* SPDX-License-Identifier: Apache-2.0 */
/*
 * residence_text.c: the parts of a page's text that need no layout: dates as printed
 * on bills (idv_residence_parse_date, idv_residence_find_date) and the parts of an address
 * ("City, ST zip", a street line, a unit, a PO box).
 */
#include "idverify/residence_page.h"

/* ---------------------------------------------------------------------------------------------
 * Dates
 */

static const char *const res_months[12] = {
	"january", "february", "march", "april", "may", "june",
	"july", "august", "september", "october", "november", "december",
};

/* Month from a word (full name, three-letter abbreviation, or "sept"); 0 if none. */
static int
res_month(const char *p, size_t len)
{
	char w[16];
	if (len < 3 || len >= sizeof(w))
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (!idv_isalpha((unsigned char)p[i]))
			return 0;
		w[i] = (char)idv_tolower((unsigned char)p[i]);
	}
	w[len] = '\0';
	for (int m = 0; m < 12; m++) {
		size_t ml = strlen(res_months[m]);
		if (len == ml && memcmp(w, res_months[m], ml) == 0)
			return m + 1;
		if (len == 3 && memcmp(w, res_months[m], 3) == 0)
			return m + 1;
	}
	if (len == 4 && memcmp(w, "sept", 4) == 0)
		return 9;
	return 0;
}

/* Tokens of a date: runs of letters, runs of digits; separators recorded. */
struct res_tok {
	size_t off, len;
	bool digit;
	char sep; /* separator before the next token: '/', '-', '.', ',', ' ' or 0 */
};

static size_t
res_tokens(const char *p, size_t len, struct res_tok *t, size_t maxt)
{
	size_t n = 0, i = 0;
	while (i < len && n < maxt) {
		unsigned char c = (unsigned char)p[i];
		if (idv_isalnum(c)) {
			size_t s = i;
			bool dig = idv_isdigit(c);
			while (i < len && (dig ? idv_isdigit((unsigned char)p[i])
					       : idv_isalpha((unsigned char)p[i])))
				i++;
			t[n].off = s;
			t[n].len = i - s;
			t[n].digit = dig;
			t[n].sep = 0;
			n++;
			continue;
		}
		if (n > 0 && t[n - 1].sep == 0 && (c == '/' || c == '-' || c == '.' || c == ','))
			t[n - 1].sep = (char)c;
		else if (n > 0 && t[n - 1].sep == 0 && c == ' ')
			t[n - 1].sep = ' ';
		i++;
	}
	return n;
}

static bool
res_num(const char *p, const struct res_tok *t, size_t minlen, size_t maxlen, int *out)
{
	uint64_t v;
	if (!t->digit || t->len < minlen || t->len > maxlen)
		return false;
	if (idv_parse_u64(p + t->off, t->len, 99999, &v) != IDV_OK)
		return false;
	*out = (int)v;
	return true;
}

static int
res_year(int y, size_t len)
{
	if (len == 2)
		return y < 70 ? 2000 + y : 1900 + y;
	return y;
}

/* Try to read a date from tokens t[0..]; returns how many tokens it used, 0 if none. */
static size_t
res_date_at(const char *p, const struct res_tok *t, size_t n, struct idv_date *out)
{
	int a, b, c, m;
	/* Month D, YYYY / Mon D YYYY */
	if (n >= 3 && !t[0].digit && (m = res_month(p + t[0].off, t[0].len)) != 0 &&
	    res_num(p, &t[1], 1, 2, &a) && res_num(p, &t[2], 4, 4, &c) &&
	    idv_date_valid(c, m, a)) {
		out->year = c, out->month = m, out->day = a;
		return 3;
	}
	/* D Month YYYY */
	if (n >= 3 && res_num(p, &t[0], 1, 2, &a) && !t[1].digit &&
	    (m = res_month(p + t[1].off, t[1].len)) != 0 && res_num(p, &t[2], 4, 4, &c) &&
	    idv_date_valid(c, m, a)) {
		out->year = c, out->month = m, out->day = a;
		return 3;
	}
	if (n >= 3 && t[0].digit && t[1].digit && t[2].digit && t[0].sep == t[1].sep &&
	    (t[0].sep == '/' || t[0].sep == '-' || t[0].sep == '.')) {
		/* YYYY-MM-DD */
		if (res_num(p, &t[0], 4, 4, &c) && res_num(p, &t[1], 1, 2, &a) &&
		    res_num(p, &t[2], 1, 2, &b) && idv_date_valid(c, a, b)) {
			out->year = c, out->month = a, out->day = b;
			return 3;
		}
		/* MM/DD/YYYY, MM/DD/YY */
		if (res_num(p, &t[0], 1, 2, &a) && res_num(p, &t[1], 1, 2, &b) &&
		    (res_num(p, &t[2], 4, 4, &c) || res_num(p, &t[2], 2, 2, &c))) {
			int y = res_year(c, t[2].len);
			if (idv_date_valid(y, a, b)) {
				out->year = y, out->month = a, out->day = b;
				return 3;
			}
		}
	}
	return 0;
}

static bool res_find_date_raw(const char *p, size_t len, struct idv_date *out, size_t *off,
			      size_t *dlen);

/*
 * OCR splits numeric dates ("04/1 2/2025"): a space between two digits inside a run of digits
 * and slashes is dropped, and the date searched again (offsets then refer to the squeezed text,
 * so they are not reported).
 */
bool
idv_residence_find_date(const char *p, size_t len, struct idv_date *out, size_t *off,
			size_t *dlen)
{
	if (res_find_date_raw(p, len, out, off, dlen))
		return true;
	char sq[IDV_RES_LINE_MAX];
	size_t n = 0;
	bool changed = false;
	for (size_t i = 0; i < len && n + 1 < sizeof(sq); i++) {
		if (p[i] == ' ' && i > 0 && i + 1 < len && idv_isdigit((unsigned char)p[i - 1]) &&
		    idv_isdigit((unsigned char)p[i + 1])) {
			bool slash = (i >= 2 && p[i - 2] == '/') || (i >= 3 && p[i - 3] == '/') ||
				     (i + 2 < len && p[i + 2] == '/') || (i + 3 < len && p[i + 3] == '/');
			if (slash) {
				changed = true;
				continue;
			}
		}
		sq[n++] = p[i];
	}
	if (!changed || !res_find_date_raw(sq, n, out, NULL, NULL))
		return false;
	if (off)
		*off = 0;
	if (dlen)
		*dlen = len;
	return true;
}

static bool
res_find_date_raw(const char *p, size_t len, struct idv_date *out, size_t *off, size_t *dlen)
{
	struct res_tok t[48];
	size_t n = res_tokens(p, len, t, IDV_ARRAY_LEN(t));
	for (size_t i = 0; i < n; i++) {
		size_t used = res_date_at(p, t + i, n - i, out);
		if (used) {
			/* a date glued to more digits ("03/05/20251") is not a date */
			const struct res_tok *last = &t[i + used - 1];
			if (i + used < n && last->sep == 0 && t[i + used].digit)
				continue;
			if (off)
				*off = t[i].off;
			if (dlen)
				*dlen = last->off + last->len - t[i].off;
			return true;
		}
	}
	return false;
}

enum idv_err
idv_residence_parse_date(const char *p, size_t len, struct idv_date *out)
{
	size_t off, dlen;
	idv_str_trim(&p, &len);
	while (len > 0 && (p[len - 1] == '.' || p[len - 1] == ','))
		len--;
	if (len == 0 || !idv_residence_find_date(p, len, out, &off, &dlen))
		return IDV_E_PARSE;
	if (off != 0 || dlen != len)
		return IDV_E_PARSE;
	return IDV_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Addresses
 */

static const char *const res_states[] = {
	"AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
	"IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
	"NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
	"VT", "VA", "WA", "WV", "WI", "WY", "PR", "GU", "VI", "AS", "MP",
};

static bool
res_is_state(const char *p, size_t len)
{
	if (len != 2)
		return false;
	for (size_t i = 0; i < IDV_ARRAY_LEN(res_states); i++)
		if (idv_toupper((unsigned char)p[0]) == res_states[i][0] &&
		    idv_toupper((unsigned char)p[1]) == res_states[i][1])
			return true;
	return false;
}

/* OCR confusions inside a ZIP code. */
static int
res_zip_digit(int c)
{
	switch (c) {
	case 'O': case 'o': case 'D': case 'Q': return '0';
	case 'l': case 'I': case 'i': case '|': return '1';
	case 'S': case 's': return '5';
	case 'B': return '8';
	case 'Z': case 'z': return '2';
	default: return c;
	}
}

/*
 * "City, ST 12345", "City ST 12345-6789" at the end of text. The city is the run of alphabetic
 * words before the state, back to a comma, a digit, or the start.
 */
bool
res_parse_csz(const char *text, struct res_csz *out)
{
	size_t len = strlen(text);
	while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '.'))
		len--;
	/* zip: 5 digits, optionally -4 */
	size_t e = len, s = len;
	while (s > 0 && text[s - 1] != ' ' && text[s - 1] != ',')
		s--;
	size_t zl = e - s;
	char zip[11];
	if (zl != 5 && zl != 10)
		return false;
	for (size_t i = 0; i < zl; i++) {
		int c = res_zip_digit((unsigned char)text[s + i]);
		if (zl == 10 && i == 5) {
			if (c != '-')
				return false;
		} else if (!idv_isdigit(c)) {
			return false;
		}
		zip[i] = (char)c;
	}
	zip[zl] = '\0';
	/* state (OCR may add a stray mark after it: "Wi! 53703") */
	size_t p = s;
	while (p > 0 && (text[p - 1] == ' ' || text[p - 1] == ',' || text[p - 1] == '.' ||
			 text[p - 1] == '!' || text[p - 1] == ':' || text[p - 1] == ';'))
		p--;
	size_t se = p;
	while (p > 0 && idv_isalpha((unsigned char)text[p - 1]))
		p--;
	if (!res_is_state(text + p, se - p))
		return false;
	if (p > 0 && text[p - 1] != ' ' && text[p - 1] != ',')
		return false;
	char st[3] = {(char)idv_toupper((unsigned char)text[p]),
		      (char)idv_toupper((unsigned char)text[p + 1]), '\0'};
	/* city: back over letters, spaces, periods, apostrophes, hyphens, to a comma or digit */
	size_t ce = p;
	while (ce > 0 && (text[ce - 1] == ' ' || text[ce - 1] == ','))
		ce--;
	size_t cs = ce;
	while (cs > 0) {
		unsigned char c = (unsigned char)text[cs - 1];
		if (idv_isalpha(c) || c == ' ' || c == '.' || c == '\'' || c == '-')
			cs--;
		else
			break;
	}
	while (cs < ce && text[cs] == ' ')
		cs++;
	/* a city directly after a street on the same segment without a comma ("12 Elm St
	 * Springfield IL") cannot be split reliably: take the last word only when no comma */
	if (ce <= cs)
		return false;
	memset(out, 0, sizeof(*out));
	res_copy_trim(out->city, sizeof(out->city), text + cs, ce - cs);
	memcpy(out->state, st, 3);
	memcpy(out->zip, zip, zl + 1);
	out->city_off = cs;
	return out->city[0] != '\0';
}

bool
res_is_po_box(const char *text)
{
	char n[IDV_RES_LINE_MAX];
	res_norm(text, n, sizeof(n));
	return strncmp(n, "po box", 6) == 0 || strncmp(n, "p o box", 7) == 0 ||
	       strncmp(n, "pob ", 4) == 0 || strncmp(n, "post office box", 15) == 0 ||
	       strncmp(n, "box ", 4) == 0 || strstr(n, " po box ") != NULL ||
	       strncmp(n, "pmb ", 4) == 0;
}

/* A street line starts with a house number (digits, maybe a letter or a fraction). */
bool
res_is_street(const char *text)
{
	size_t i = 0;
	while (text[i] == ' ')
		i++;
	if (!idv_isdigit((unsigned char)text[i]))
		return false;
	size_t d = 0;
	while (idv_isdigit((unsigned char)text[i]) || text[i] == '-')
		i++, d++;
	if (d > 6)
		return false;
	if (idv_isalpha((unsigned char)text[i]) && text[i + 1] == ' ')
		i++;
	if (text[i] != ' ')
		return false;
	/* at least one word with letters after the number */
	for (; text[i] != '\0'; i++)
		if (idv_isalpha((unsigned char)text[i]))
			return true;
	return false;
}

static const char *const res_unit_words[] = {
	"apt", "apartment", "unit", "suite", "ste", "fl", "floor", "rm", "room", "bldg", "lot",
	"spc", "space", "trlr",
};

/* Where the unit designator starts in a street line ("12 Elm St Apt 4B", "12 Elm St #4"), or
 * SIZE_MAX. A segment that is only a unit returns 0. */
size_t
res_unit_start(const char *text)
{
	size_t len = strlen(text);
	for (size_t i = 0; i < len; i++) {
		if (i > 0 && text[i - 1] != ' ' && text[i - 1] != ',')
			continue;
		if (text[i] == '#' && i + 1 < len && idv_isalnum((unsigned char)text[i + 1]))
			return i;
		for (size_t u = 0; u < IDV_ARRAY_LEN(res_unit_words); u++) {
			size_t ul = strlen(res_unit_words[u]);
			if (i + ul < len && idv_str_ieq(text + i, ul, res_unit_words[u]) &&
			    (text[i + ul] == ' ' || text[i + ul] == '.') ) {
				/* the designator must be followed by a number-ish token */
				size_t j = i + ul;
				while (j < len && (text[j] == ' ' || text[j] == '.' || text[j] == '#'))
					j++;
				if (j < len && (idv_isdigit((unsigned char)text[j]) ||
						(idv_isupper((unsigned char)text[j]) &&
						 (j + 1 == len || text[j + 1] == ' '))))
					return i;
			}
		}
	}
	return SIZE_MAX;
}
