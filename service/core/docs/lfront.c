/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lfront.c: fields from the OCR lines of a licence's printed side (lfront.h).
 *
 * Works on an upper-cased, space-normalised copy of each line, split into tokens. Labels are
 * whole tokens (a trailing ':' '.' or '#' ignored); a value is what follows its label on the same
 * line. The AAMVA card design standard (2020) numbers the fields: 1 family name, 2 given names,
 * 3 date of birth, 4a issue date, 4b expiry date, 4d customer number, 8 address, 15 sex.
 */
#include "idverify/lfront.h"
#include "idverify/str.h"

#define LF_MAX_TOKENS 24
#define LF_TOKEN_MAX 48
#define LF_MAX_LINES 48

struct lf_token {
	char s[LF_TOKEN_MAX];
	size_t len;
};

struct lf_line {
	struct lf_token tok[LF_MAX_TOKENS];
	size_t ntok;
	const struct idv_text_line *src;
};

struct lf_date {
	struct idv_date d;
	size_t line;
	size_t tok; /* index of the token where the date starts */
};

static const struct {
	const char *code, *name;
} lf_regions[] = {
	{"AL", "ALABAMA"}, {"AK", "ALASKA"}, {"AZ", "ARIZONA"}, {"AR", "ARKANSAS"},
	{"CA", "CALIFORNIA"}, {"CO", "COLORADO"}, {"CT", "CONNECTICUT"}, {"DE", "DELAWARE"},
	{"DC", "COLUMBIA"}, {"FL", "FLORIDA"}, {"GA", "GEORGIA"}, {"HI", "HAWAII"},
	{"ID", "IDAHO"}, {"IL", "ILLINOIS"}, {"IN", "INDIANA"}, {"IA", "IOWA"},
	{"KS", "KANSAS"}, {"KY", "KENTUCKY"}, {"LA", "LOUISIANA"}, {"ME", "MAINE"},
	{"MD", "MARYLAND"}, {"MA", "MASSACHUSETTS"}, {"MI", "MICHIGAN"}, {"MN", "MINNESOTA"},
	{"MS", "MISSISSIPPI"}, {"MO", "MISSOURI"}, {"MT", "MONTANA"}, {"NE", "NEBRASKA"},
	{"NV", "NEVADA"}, {"NH", "HAMPSHIRE"}, {"NJ", "JERSEY"}, {"NM", "MEXICO"},
	{"NY", "YORK"}, {"NC", "NORTH CAROLINA"}, {"ND", "NORTH DAKOTA"}, {"OH", "OHIO"},
	{"OK", "OKLAHOMA"}, {"OR", "OREGON"}, {"PA", "PENNSYLVANIA"}, {"RI", "RHODE"},
	{"SC", "SOUTH CAROLINA"}, {"SD", "SOUTH DAKOTA"}, {"TN", "TENNESSEE"}, {"TX", "TEXAS"},
	{"UT", "UTAH"}, {"VT", "VERMONT"}, {"VA", "VIRGINIA"}, {"WA", "WASHINGTON"},
	{"WV", "WEST VIRGINIA"}, {"WI", "WISCONSIN"}, {"WY", "WYOMING"}, {"PR", "PUERTO RICO"},
	{"GU", "GUAM"}, {"VI", "VIRGIN ISLANDS"}, {"AS", "AMERICAN SAMOA"},
	{"MP", "MARIANA"}, {"AB", "ALBERTA"}, {"BC", "BRITISH COLUMBIA"}, {"MB", "MANITOBA"},
	{"NB", "NEW BRUNSWICK"}, {"NL", "NEWFOUNDLAND"}, {"NS", "NOVA SCOTIA"},
	{"NT", "NORTHWEST TERRITORIES"}, {"NU", "NUNAVUT"}, {"ON", "ONTARIO"},
	{"PE", "PRINCE EDWARD"}, {"QC", "QUEBEC"}, {"SK", "SASKATCHEWAN"}, {"YT", "YUKON"},
};

bool
idv_lfront_is_region(const char *p, size_t len)
{
	if (len != 2)
		return false;
	for (size_t i = 0; i < IDV_ARRAY_LEN(lf_regions); i++)
		if (p[0] == lf_regions[i].code[0] && p[1] == lf_regions[i].code[1])
			return true;
	return false;
}

size_t
idv_lfront_lines(const char *text, size_t len, struct idv_text_line *lines, size_t max)
{
	size_t n = 0, i = 0;
	while (i < len && n < max) {
		size_t j = i;
		while (j < len && text[j] != '\n')
			j++;
		const char *s = text + i;
		size_t l = j - i;
		idv_str_trim(&s, &l);
		if (l > 0) {
			if (l >= IDV_TEXT_LINE_MAX)
				l = IDV_TEXT_LINE_MAX - 1;
			memset(&lines[n], 0, sizeof lines[n]);
			memcpy(lines[n].text, s, l);
			lines[n].text[l] = '\0';
			n++;
		}
		i = j + 1;
	}
	return n;
}

/* Upper-case and split a line into tokens; ',' and ':' also split but ',' is kept as a token. */
static void
lf_tokenize(const struct idv_text_line *src, struct lf_line *out)
{
	memset(out, 0, sizeof *out);
	out->src = src;
	const char *s = src->text;
	size_t len = strnlen(s, IDV_TEXT_LINE_MAX);
	struct lf_token *cur = NULL;
	for (size_t i = 0; i <= len; i++) {
		int c = i < len ? (unsigned char)s[i] : ' ';
		bool sep = idv_isspace(c) || c == ':' || c == ',' || c == ';';
		if (sep) {
			cur = NULL;
			if (c == ',' && out->ntok < LF_MAX_TOKENS) {
				struct lf_token *t = &out->tok[out->ntok++];
				t->s[0] = ',';
				t->len = 1;
			}
			continue;
		}
		if (c >= 0x80)
			continue; /* accents of bilingual labels: DÉL, NUMÉRO */
		if (cur == NULL) {
			if (out->ntok >= LF_MAX_TOKENS)
				break;
			cur = &out->tok[out->ntok++];
		}
		if (cur->len + 1 < LF_TOKEN_MAX)
			cur->s[cur->len++] = (char)idv_toupper(c);
	}
}

/* Token equals word, ignoring a trailing '.', '#' or ':'. */
static bool
lf_tok_is(const struct lf_token *t, const char *word)
{
	size_t wl = strlen(word), l = t->len;
	while (l > 0 && (t->s[l - 1] == '.' || t->s[l - 1] == '#' || t->s[l - 1] == ':'))
		l--;
	return l == wl && memcmp(t->s, word, wl) == 0;
}

static bool
lf_tok_any(const struct lf_token *t, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lf_tok_is(t, words[i]))
			return true;
	return false;
}

static const char *const lf_dob_labels[] = {"DOB", "BIRTH", "DDN", "D.O.B", "3"};
static const char *const lf_exp_labels[] = {"EXP", "EXPIRES", "EXPIRY", "EXPIRATION", "4B"};
static const char *const lf_iss_labels[] = {"ISS", "ISSUED", "ISSUE", "DEL", "4A"};
static const char *const lf_num_labels[] = {"DL", "DLN", "LIC", "LICENSE", "NO", "NUMBER",
					    "NUMERO", "4D", "ID", "IDN", "NUM", "DL/NO", "CUST"};
static const char *const lf_stop_labels[] = {
	"DOB", "EXP", "ISS", "SEX", "CLASS", "END", "RSTR", "DD", "HGT", "WGT", "EYES",
	"HAIR", "LN", "FN", "4A", "4B", "4C", "3", "5", "9", "9A", "12", "15", "16", "17",
	"18", "19", "DONOR", "VETERAN", "ORGAN", "REST", "CL"};

static bool
lf_is_label(const struct lf_token *t)
{
	return lf_tok_any(t, lf_dob_labels, IDV_ARRAY_LEN(lf_dob_labels)) ||
	       lf_tok_any(t, lf_exp_labels, IDV_ARRAY_LEN(lf_exp_labels)) ||
	       lf_tok_any(t, lf_iss_labels, IDV_ARRAY_LEN(lf_iss_labels)) ||
	       lf_tok_any(t, lf_stop_labels, IDV_ARRAY_LEN(lf_stop_labels));
}

static bool
lf_digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!idv_isdigit((unsigned char)p[i]))
			return false;
	return n > 0;
}

static int
lf_num(const char *p, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

/*
 * A date at the start of token t: MM/DD/YYYY, M/D/YYYY, YYYY/MM/DD (separators / - .), or the
 * same with day first when the first number cannot be a month.
 */
static bool
lf_parse_date(const struct lf_token *t, struct idv_date *out)
{
	const char *s = t->s;
	size_t len = t->len, part[3][2];
	size_t np = 0, i = 0;
	while (i < len && np < 3) {
		size_t b = i;
		while (i < len && idv_isdigit((unsigned char)s[i]))
			i++;
		if (i == b)
			return false;
		part[np][0] = b;
		part[np][1] = i - b;
		np++;
		if (np < 3) {
			if (i >= len || (s[i] != '/' && s[i] != '-' && s[i] != '.'))
				return false;
			i++;
		}
	}
	if (np != 3)
		return false;
	int a = lf_num(s + part[0][0], part[0][1]), b = lf_num(s + part[1][0], part[1][1]);
	int c = lf_num(s + part[2][0], part[2][1]);
	int y, m, d;
	if (part[0][1] == 4 && part[1][1] <= 2 && part[2][1] <= 2) {
		y = a, m = b, d = c;
	} else if (part[2][1] == 4 && part[0][1] <= 2 && part[1][1] <= 2) {
		y = c;
		if (a > 12 && b <= 12)
			m = b, d = a;
		else
			m = a, d = b;
	} else {
		return false;
	}
	if (y < 1900 || y > 2100 || !idv_date_valid(y, m, d))
		return false;
	out->year = y, out->month = m, out->day = d;
	return true;
}

static float
lf_conf(const struct lf_line *l, float factor)
{
	float c = l->src->confidence > 0 ? l->src->confidence : 0.8f;
	return c * factor;
}

static void
lf_set(struct idv_document *doc, enum idv_field_id id, const char *v, size_t len,
       const struct lf_line *l, float factor)
{
	const struct idv_box *box = l->src->box.w > 0 ? &l->src->box : NULL;
	idv_document_set(doc, id, v, len, IDV_SRC_OCR, lf_conf(l, factor), box);
}

static void
lf_set_date(struct idv_document *doc, enum idv_field_id id, const struct idv_date *d,
	    const struct lf_line *l, float factor)
{
	char s[11];
	idv_date_format(d, s);
	lf_set(doc, id, s, 10, l, factor);
}

/* Join tokens [from, to) with single spaces, keeping letters, '-', '\'' and spaces. */
static size_t
lf_join_name(const struct lf_line *l, size_t from, size_t to, char *out, size_t outsz)
{
	size_t n = 0;
	for (size_t i = from; i < to && i < l->ntok; i++) {
		const struct lf_token *t = &l->tok[i];
		char w[LF_TOKEN_MAX];
		size_t wl = 0;
		for (size_t k = 0; k < t->len; k++) {
			char c = t->s[k];
			if (idv_isalpha((unsigned char)c) || c == '-' || c == '\'')
				w[wl++] = c;
		}
		if (wl == 0)
			continue;
		if (n > 0 && n + 1 < outsz)
			out[n++] = ' ';
		for (size_t k = 0; k < wl && n + 1 < outsz; k++)
			out[n++] = w[k];
	}
	out[n] = '\0';
	return n;
}

static size_t
lf_find_tok(const struct lf_line *l, const char *const *labels, size_t nlabels, size_t from)
{
	for (size_t i = from; i < l->ntok; i++)
		if (lf_tok_any(&l->tok[i], labels, nlabels))
			return i;
	return SIZE_MAX;
}

/* The first date at or after token from. */
static bool
lf_date_after(const struct lf_line *l, size_t from, struct idv_date *d)
{
	for (size_t i = from; i < l->ntok && i < from + 4; i++)
		if (lf_parse_date(&l->tok[i], d))
			return true;
	return false;
}

static bool
lf_names(struct lf_line *lines, size_t n, struct idv_document *doc)
{
	static const char *const ln[] = {"LN"}, *const fn[] = {"FN"};
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		struct lf_line *l = &lines[i];
		char v[IDV_FIELD_VALUE_MAX];
		if (l->ntok < 2)
			continue;
		size_t at = lf_find_tok(l, ln, 1, 0);
		if (at != SIZE_MAX && at + 1 < l->ntok && lf_join_name(l, at + 1, l->ntok, v, sizeof v)) {
			lf_set(doc, IDV_F_FAMILY_NAME, v, strlen(v), l, 0.95f);
			any = true;
			continue;
		}
		at = lf_find_tok(l, fn, 1, 0);
		if (at != SIZE_MAX && at + 1 < l->ntok && lf_join_name(l, at + 1, l->ntok, v, sizeof v)) {
			lf_set(doc, IDV_F_GIVEN_NAMES, v, strlen(v), l, 0.95f);
			any = true;
			continue;
		}
		/* "1 FAMILY" / "2 GIVEN MIDDLE" (AAMVA numbering), "NAME FAMILY, GIVEN". */
		if (lf_tok_is(&l->tok[0], "1") && !lf_digits(l->tok[1].s, l->tok[1].len)) {
			size_t end = l->ntok;
			for (size_t k = 1; k < l->ntok; k++)
				if (l->tok[k].s[0] == ',') {
					end = k;
					break;
				}
			if (lf_join_name(l, 1, end, v, sizeof v)) {
				lf_set(doc, IDV_F_FAMILY_NAME, v, strlen(v), l, 0.9f);
				any = true;
			}
			if (end < l->ntok && lf_join_name(l, end + 1, l->ntok, v, sizeof v))
				lf_set(doc, IDV_F_GIVEN_NAMES, v, strlen(v), l, 0.9f);
			continue;
		}
		if (lf_tok_is(&l->tok[0], "2") && !lf_digits(l->tok[1].s, l->tok[1].len) &&
		    lf_join_name(l, 1, l->ntok, v, sizeof v)) {
			lf_set(doc, IDV_F_GIVEN_NAMES, v, strlen(v), l, 0.9f);
			continue;
		}
		if (lf_tok_is(&l->tok[0], "NAME") || lf_tok_is(&l->tok[0], "1,2")) {
			size_t comma = SIZE_MAX;
			for (size_t k = 1; k < l->ntok; k++)
				if (l->tok[k].s[0] == ',') {
					comma = k;
					break;
				}
			size_t start = 1;
			if (start < l->ntok && lf_tok_is(&l->tok[start], "NOM"))
				start++;
			if (comma != SIZE_MAX && lf_join_name(l, start, comma, v, sizeof v)) {
				lf_set(doc, IDV_F_FAMILY_NAME, v, strlen(v), l, 0.9f);
				if (lf_join_name(l, comma + 1, l->ntok, v, sizeof v))
					lf_set(doc, IDV_F_GIVEN_NAMES, v, strlen(v), l, 0.9f);
				any = true;
			}
		}
	}
	return any;
}

static bool
lf_is_zip(const struct lf_token *t)
{
	if (t->len == 5 && lf_digits(t->s, 5))
		return true;
	return t->len == 10 && lf_digits(t->s, 5) && t->s[5] == '-' && lf_digits(t->s + 6, 4);
}

/*
 * Half of a Canadian postal code ("A1A" first, "1A1" second) into out[3], folding the OCR
 * confusions the letter/digit pattern disambiguates (5/S, 0/O, 1/I, 8/B, 2/Z).
 */
static bool
lf_ca_postal_half(const char *s, size_t len, bool first, char out[3])
{
	static const char digits[] = "0123456789", as_digit[] = "OIZ?ASG?B?";
	if (len != 3)
		return false;
	for (size_t i = 0; i < 3; i++) {
		bool want_letter = (i % 2 == 0) == first;
		int c = (unsigned char)s[i];
		if (want_letter && idv_isdigit(c))
			c = as_digit[c - '0'];
		else if (!want_letter && idv_isalpha(c)) {
			const char *hit = strchr(as_digit, c);
			c = hit != NULL && c != '?' ? digits[hit - as_digit] : c;
			if (c == 'L')
				c = '1';
		}
		if (want_letter ? !idv_isupper(c) : !idv_isdigit(c))
			return false;
		out[i] = (char)c;
	}
	return true;
}

static bool
lf_is_unit(const struct lf_line *l)
{
	static const char *const units[] = {"APT", "UNIT", "STE", "SUITE", "#", "APARTMENT", "FL",
					    "RM", "BLDG"};
	return l->ntok >= 1 && l->ntok <= 3 &&
	       (lf_tok_any(&l->tok[0], units, IDV_ARRAY_LEN(units)) || l->tok[0].s[0] == '#');
}

/* OCR noise (security patterns, photo edges): fewer than 3 letters and digits in all. */
static bool
lf_is_junk(const struct lf_line *l)
{
	size_t n = 0;
	for (size_t i = 0; i < l->ntok; i++)
		for (size_t k = 0; k < l->tok[i].len; k++)
			n += idv_isalnum((unsigned char)l->tok[i].s[k]);
	return n < 3;
}

static size_t
lf_join_plain(const struct lf_line *l, size_t from, size_t to, char *out, size_t outsz)
{
	size_t n = 0;
	for (size_t i = from; i < to && i < l->ntok; i++) {
		const struct lf_token *t = &l->tok[i];
		if (t->s[0] == ',')
			continue;
		if (n > 0 && n + 1 < outsz)
			out[n++] = ' ';
		for (size_t k = 0; k < t->len && n + 1 < outsz; k++)
			out[n++] = t->s[k];
	}
	out[n] = '\0';
	return n;
}

static bool
lf_address(struct lf_line *lines, size_t n, struct idv_document *doc)
{
	for (size_t i = 1; i < n; i++) {
		struct lf_line *l = &lines[i];
		size_t st = SIZE_MAX, zip_end = 0;
		char postal[16];
		/* Find "... ST ZIP" ending the line (ignoring trailing junk tokens of 1 char). */
		for (size_t k = 1; k + 1 < l->ntok + 1 && st == SIZE_MAX; k++) {
			struct lf_token *t = &l->tok[k];
			if (!idv_lfront_is_region(t->s, t->len) || k + 1 >= l->ntok)
				continue;
			struct lf_token *z = &l->tok[k + 1];
			if (lf_is_zip(z)) {
				memcpy(postal, z->s, z->len);
				postal[z->len] = '\0';
				st = k;
				zip_end = k + 2;
			} else if (k + 2 < l->ntok &&
				   lf_ca_postal_half(z->s, z->len, true, postal) &&
				   lf_ca_postal_half(l->tok[k + 2].s, l->tok[k + 2].len, false,
						     postal + 4)) {
				postal[3] = ' ';
				postal[7] = '\0';
				st = k;
				zip_end = k + 3;
			}
		}
		if (st == SIZE_MAX)
			continue;
		(void)zip_end;
		char v[IDV_FIELD_VALUE_MAX];
		size_t cstart = 0;
		if (lf_tok_is(&l->tok[0], "8") && l->ntok > 1)
			cstart = 1;
		if (lf_join_plain(l, cstart, st, v, sizeof v) == 0)
			continue;
		lf_set(doc, IDV_F_CITY, v, strlen(v), l, 0.9f);
		lf_set(doc, IDV_F_STATE, l->tok[st].s, 2, l, 0.9f);
		lf_set(doc, IDV_F_POSTAL_CODE, postal, strlen(postal), l, 0.9f);
		/* Street above: the nearest of the 5 lines above that starts with a house number
		 * (after an "8" or ADDRESS label); a unit line may sit between, OCR noise too. */
		size_t sl = SIZE_MAX;
		for (size_t up = 1; up <= 5 && up <= i && sl == SIZE_MAX; up++) {
			struct lf_line *c = &lines[i - up];
			if (lf_is_junk(c))
				continue;
			if (lf_is_unit(c)) {
				if (lf_join_plain(c, 0, c->ntok, v, sizeof v))
					lf_set(doc, IDV_F_UNIT, v, strlen(v), c, 0.85f);
				continue;
			}
			size_t f0 = 0;
			if (c->ntok > 1 && (lf_tok_is(&c->tok[0], "8") ||
					    lf_tok_is(&c->tok[0], "ADDRESS") ||
					    lf_tok_is(&c->tok[0], "ADDR")))
				f0 = 1;
			if (f0 < c->ntok && idv_isdigit((unsigned char)c->tok[f0].s[0]))
				sl = i - up;
		}
		if (sl == SIZE_MAX)
			return true;
		struct lf_line *s = &lines[sl];
		size_t from = 0;
		if (s->ntok > 1 && (lf_tok_is(&s->tok[0], "8") || lf_tok_is(&s->tok[0], "ADDRESS") ||
				    lf_tok_is(&s->tok[0], "ADDR")))
			from = 1;
		if (from < s->ntok && lf_tok_is(&s->tok[from], "ADRESSE"))
			from++;
		/* A unit on the street line: "123 MAIN ST APT 4". */
		size_t to = s->ntok;
		static const char *const units[] = {"APT", "UNIT", "STE", "SUITE", "APARTMENT"};
		for (size_t k = from + 1; k < s->ntok; k++)
			if (lf_tok_any(&s->tok[k], units, IDV_ARRAY_LEN(units)) ||
			    (s->tok[k].s[0] == '#' && k > from + 1)) {
				to = k;
				if (lf_join_plain(s, k, s->ntok, v, sizeof v))
					lf_set(doc, IDV_F_UNIT, v, strlen(v), s, 0.85f);
				break;
			}
		if (from < s->ntok && idv_isdigit((unsigned char)s->tok[from].s[0]) &&
		    lf_join_plain(s, from, to, v, sizeof v))
			lf_set(doc, IDV_F_STREET, v, strlen(v), s, 0.9f);
		return true;
	}
	return false;
}

static void
lf_number(struct lf_line *lines, size_t n, struct idv_document *doc)
{
	for (size_t i = 0; i < n; i++) {
		struct lf_line *l = &lines[i];
		for (size_t k = 0; k + 1 < l->ntok; k++) {
			if (!lf_tok_any(&l->tok[k], lf_num_labels, IDV_ARRAY_LEN(lf_num_labels)))
				continue;
			/* Skip a second label word ("DL NO", "4d DLN", "LIC NO"). */
			size_t v0 = k + 1;
			while (v0 < l->ntok && v0 < k + 3 &&
			       lf_tok_any(&l->tok[v0], lf_num_labels, IDV_ARRAY_LEN(lf_num_labels)))
				v0++;
			char v[IDV_FIELD_VALUE_MAX];
			size_t vl = 0, digits = 0;
			for (size_t j = v0; j < l->ntok; j++) {
				const struct lf_token *t = &l->tok[j];
				struct idv_date d;
				if (t->s[0] == ',' || lf_is_label(t) || lf_parse_date(t, &d))
					break;
				size_t td = 0;
				bool ok = true;
				for (size_t c = 0; c < t->len; c++) {
					if (idv_isdigit((unsigned char)t->s[c]))
						td++;
					else if (!idv_isalpha((unsigned char)t->s[c]) &&
						 t->s[c] != '-')
						ok = false;
				}
				/* The first piece must hold digits; later pieces must too. */
				if (!ok || td == 0)
					break;
				for (size_t c = 0; c < t->len && vl + 1 < sizeof v; c++)
					v[vl++] = t->s[c];
				digits += td;
			}
			v[vl] = '\0';
			if (vl >= 4 && digits >= 3) {
				lf_set(doc, IDV_F_DOCUMENT_NUMBER, v, vl, l, 0.9f);
				return;
			}
		}
	}
}

static void
lf_dates(struct lf_line *lines, size_t n, struct idv_document *doc)
{
	struct lf_date all[32];
	size_t nall = 0;
	bool have_dob = false, have_exp = false, have_iss = false;
	for (size_t i = 0; i < n; i++) {
		struct lf_line *l = &lines[i];
		for (size_t k = 0; k < l->ntok; k++) {
			struct idv_date d;
			if (!lf_parse_date(&l->tok[k], &d))
				continue;
			if (nall < IDV_ARRAY_LEN(all)) {
				all[nall].d = d;
				all[nall].line = i;
				all[nall].tok = k;
				nall++;
			}
		}
		struct idv_date d;
		size_t at;
		at = lf_find_tok(l, lf_dob_labels, IDV_ARRAY_LEN(lf_dob_labels), 0);
		if (at != SIZE_MAX && lf_date_after(l, at + 1, &d)) {
			lf_set_date(doc, IDV_F_DATE_OF_BIRTH, &d, l, 0.95f);
			have_dob = true;
		}
		at = lf_find_tok(l, lf_exp_labels, IDV_ARRAY_LEN(lf_exp_labels), 0);
		if (at != SIZE_MAX && lf_date_after(l, at + 1, &d)) {
			lf_set_date(doc, IDV_F_EXPIRY_DATE, &d, l, 0.95f);
			have_exp = true;
		}
		at = lf_find_tok(l, lf_iss_labels, IDV_ARRAY_LEN(lf_iss_labels), 0);
		if (at != SIZE_MAX && lf_date_after(l, at + 1, &d)) {
			lf_set_date(doc, IDV_F_ISSUE_DATE, &d, l, 0.95f);
			have_iss = true;
		}
	}
	if (nall == 0 || (have_dob && have_exp && have_iss))
		return;
	/* Fallback on order: birth earliest, expiry latest, issue the one just before expiry. */
	size_t lo = 0, hi = 0;
	for (size_t i = 1; i < nall; i++) {
		int64_t di = idv_date_to_days(&all[i].d);
		if (di < idv_date_to_days(&all[lo].d))
			lo = i;
		if (di > idv_date_to_days(&all[hi].d))
			hi = i;
	}
	int64_t span = idv_date_to_days(&all[hi].d) - idv_date_to_days(&all[lo].d);
	if (!have_dob && span > 14 * 365)
		lf_set_date(doc, IDV_F_DATE_OF_BIRTH, &all[lo].d, &lines[all[lo].line], 0.6f);
	if (!have_exp && nall >= 2 && hi != lo)
		lf_set_date(doc, IDV_F_EXPIRY_DATE, &all[hi].d, &lines[all[hi].line], 0.6f);
	if (!have_iss && nall >= 3) {
		size_t mid = SIZE_MAX;
		for (size_t i = 0; i < nall; i++) {
			if (i == lo || i == hi)
				continue;
			if (mid == SIZE_MAX ||
			    idv_date_to_days(&all[i].d) > idv_date_to_days(&all[mid].d))
				mid = i;
		}
		if (mid != SIZE_MAX)
			lf_set_date(doc, IDV_F_ISSUE_DATE, &all[mid].d, &lines[all[mid].line], 0.6f);
	}
}

static void
lf_sex_kind_region(struct lf_line *lines, size_t n, struct idv_document *doc)
{
	static const char *const sex[] = {"SEX", "15"};
	for (size_t i = 0; i < n; i++) {
		struct lf_line *l = &lines[i];
		for (size_t k = 0; k < l->ntok; k++) {
			const struct lf_token *t = &l->tok[k];
			if (lf_tok_any(t, sex, 2) && k + 1 < l->ntok) {
				const struct lf_token *v = &l->tok[k + 1];
				if (lf_tok_is(v, "SEX") && k + 2 < l->ntok)
					v = &l->tok[k + 2];
				if (v->len == 1 && (v->s[0] == 'M' || v->s[0] == 'F' || v->s[0] == 'X'))
					lf_set(doc, IDV_F_SEX, v->s, 1, l, 0.9f);
			}
			if (doc->kind == IDV_DOC_UNKNOWN) {
				if (lf_tok_is(t, "DRIVER") || lf_tok_is(t, "DRIVER'S") ||
				    lf_tok_is(t, "DRIVERS") || lf_tok_is(t, "LICENSE") ||
				    lf_tok_is(t, "LICENCE") || lf_tok_is(t, "PERMIS"))
					doc->kind = IDV_DOC_DRIVERS_LICENSE;
				else if (lf_tok_is(t, "IDENTIFICATION"))
					doc->kind = IDV_DOC_ID_CARD;
			}
		}
	}
	/* The issuing state's name in the first lines (the card's header). */
	for (size_t i = 0; i < n && i < 4; i++) {
		char joined[IDV_TEXT_LINE_MAX + 2];
		size_t jl = lf_join_plain(&lines[i], 0, lines[i].ntok, joined + 1,
					  sizeof joined - 2);
		joined[0] = ' ';
		joined[jl + 1] = ' ';
		joined[jl + 2] = '\0';
		size_t best = SIZE_MAX, bestlen = 0;
		for (size_t r = 0; r < IDV_ARRAY_LEN(lf_regions); r++) {
			char pat[40];
			int m = snprintf(pat, sizeof pat, " %s ", lf_regions[r].name);
			if (m < 0 || (size_t)m >= sizeof pat)
				continue;
			/* The longest name wins: WEST VIRGINIA over VIRGINIA, BRITISH COLUMBIA
			 * over COLUMBIA. */
			if (strstr(joined, pat) != NULL && (size_t)m > bestlen) {
				best = r;
				bestlen = (size_t)m;
			}
		}
		if (best != SIZE_MAX) {
			lf_set(doc, IDV_F_ISSUING_AUTHORITY, lf_regions[best].code, 2, &lines[i],
			       0.8f);
			return;
		}
	}
}

size_t
idv_lfront_parse(const struct idv_text_line *lines, size_t n, struct idv_document *doc)
{
	struct lf_line tl[LF_MAX_LINES];
	if (n > LF_MAX_LINES)
		n = LF_MAX_LINES;
	size_t nl = 0;
	for (size_t i = 0; i < n; i++) {
		lf_tokenize(&lines[i], &tl[nl]);
		if (tl[nl].ntok > 0)
			nl++;
	}
	lf_names(tl, nl, doc);
	lf_dates(tl, nl, doc);
	lf_number(tl, nl, doc);
	lf_address(tl, nl, doc);
	lf_sex_kind_region(tl, nl, doc);
	size_t set = 0;
	for (size_t f = 0; f < IDV_F__COUNT; f++)
		if (doc->fields[f].present && doc->fields[f].source == IDV_SRC_OCR)
			set++;
	return set;
}
