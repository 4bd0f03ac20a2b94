/* SPDX-License-Identifier: Apache-2.0 */
/*
 * name.c: folding UTF-8 names to ASCII, parsing name parts, Jaro-Winkler, the nickname table
 * and name comparison (see name.h). The fold table covers Latin-1, Latin Extended-A and the
 * Latin Extended-B letters used by Romanian and Vietnamese; the ICAO column follows the
 * transliteration of ICAO Doc 9303 part 3 for the letters where it differs from simply dropping
 * the diacritic.
 */
#include "idverify/csv.h"
#include "idverify/name.h"
#include "idverify/str.h"

/* ---- Folding ---- */

struct name_fold_range {
	uint32_t lo, hi;
	const char *simple;
	const char *icao; /* NULL: same as simple */
};

static const struct name_fold_range name_fold_ranges[] = {
	{0xC0, 0xC3, "A", NULL},   {0xC4, 0xC4, "A", "AE"},   {0xC5, 0xC5, "A", "AA"},
	{0xC6, 0xC6, "AE", NULL},  {0xC7, 0xC7, "C", NULL},   {0xC8, 0xCB, "E", NULL},
	{0xCC, 0xCF, "I", NULL},   {0xD0, 0xD0, "D", NULL},   {0xD1, 0xD1, "N", NULL},
	{0xD2, 0xD5, "O", NULL},   {0xD6, 0xD6, "O", "OE"},   {0xD8, 0xD8, "O", "OE"},
	{0xD9, 0xDB, "U", NULL},   {0xDC, 0xDC, "U", "UE"},   {0xDD, 0xDD, "Y", NULL},
	{0xDE, 0xDE, "TH", NULL},  {0xDF, 0xDF, "SS", NULL},  {0xE0, 0xE3, "A", NULL},
	{0xE4, 0xE4, "A", "AE"},   {0xE5, 0xE5, "A", "AA"},   {0xE6, 0xE6, "AE", NULL},
	{0xE7, 0xE7, "C", NULL},   {0xE8, 0xEB, "E", NULL},   {0xEC, 0xEF, "I", NULL},
	{0xF0, 0xF0, "D", NULL},   {0xF1, 0xF1, "N", NULL},   {0xF2, 0xF5, "O", NULL},
	{0xF6, 0xF6, "O", "OE"},   {0xF8, 0xF8, "O", "OE"},   {0xF9, 0xFB, "U", NULL},
	{0xFC, 0xFC, "U", "UE"},   {0xFD, 0xFD, "Y", NULL},   {0xFE, 0xFE, "TH", NULL},
	{0xFF, 0xFF, "Y", NULL},   {0x100, 0x105, "A", NULL}, {0x106, 0x10D, "C", NULL},
	{0x10E, 0x111, "D", NULL}, {0x112, 0x11B, "E", NULL}, {0x11C, 0x123, "G", NULL},
	{0x124, 0x127, "H", NULL}, {0x128, 0x131, "I", NULL}, {0x132, 0x133, "IJ", NULL},
	{0x134, 0x135, "J", NULL}, {0x136, 0x138, "K", NULL}, {0x139, 0x142, "L", NULL},
	{0x143, 0x14B, "N", NULL}, {0x14C, 0x151, "O", NULL}, {0x152, 0x153, "OE", NULL},
	{0x154, 0x159, "R", NULL}, {0x15A, 0x161, "S", NULL}, {0x162, 0x167, "T", NULL},
	{0x168, 0x173, "U", NULL}, {0x174, 0x175, "W", NULL}, {0x176, 0x178, "Y", NULL},
	{0x179, 0x17E, "Z", NULL}, {0x17F, 0x17F, "S", NULL}, {0x1A0, 0x1A1, "O", NULL},
	{0x1AF, 0x1B0, "U", NULL}, {0x1CD, 0x1CE, "A", NULL}, {0x1CF, 0x1D0, "I", NULL},
	{0x1D1, 0x1D2, "O", NULL}, {0x1D3, 0x1DC, "U", NULL}, {0x218, 0x219, "S", NULL},
	{0x21A, 0x21B, "T", NULL},
};

enum name_class { NAME_CH_TEXT, NAME_CH_DROP, NAME_CH_SEP };

/* Decode one code point of valid UTF-8 at s[*i]. */
static uint32_t
name_utf8_next(const uint8_t *s, size_t len, size_t *i)
{
	uint8_t c = s[*i];
	uint32_t cp;
	size_t n;
	if (c < 0x80) {
		(*i)++;
		return c;
	}
	if ((c & 0xE0) == 0xC0) {
		cp = c & 0x1F;
		n = 1;
	} else if ((c & 0xF0) == 0xE0) {
		cp = c & 0x0F;
		n = 2;
	} else {
		cp = c & 0x07;
		n = 3;
	}
	(*i)++;
	for (size_t k = 0; k < n && *i < len; k++, (*i)++)
		cp = (cp << 6) | (s[*i] & 0x3F);
	return cp;
}

/* What a code point becomes: text (in txt), dropped, or a token separator. */
static enum name_class
name_classify(uint32_t cp, unsigned flags, char txt[12])
{
	txt[0] = '\0';
	if (cp < 0x80) {
		int c = (int)cp;
		if (idv_isalnum(c)) {
			txt[0] = (char)idv_toupper(c);
			txt[1] = '\0';
			return NAME_CH_TEXT;
		}
		if (c == '\'' || c == '`')
			return NAME_CH_DROP;
		if ((flags & IDV_FOLD_ADDRESS) && (c == '-' || c == '/')) {
			txt[0] = (char)c;
			txt[1] = '\0';
			return NAME_CH_TEXT;
		}
		if ((flags & IDV_FOLD_ADDRESS) && c == '#') {
			/* its own token */
			txt[0] = ' ';
			txt[1] = '#';
			txt[2] = ' ';
			txt[3] = '\0';
			return NAME_CH_TEXT;
		}
		return NAME_CH_SEP;
	}
	if ((cp >= 0x300 && cp <= 0x36F) || cp == 0xB4 || cp == 0x2018 || cp == 0x2019 ||
	    cp == 0x2BC || cp == 0x2B9 || cp == 0xAD)
		return NAME_CH_DROP;
	if (cp == 0xA0 || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x200A) ||
	    (cp >= 0x2010 && cp <= 0x2015) || cp == 0x3000 || cp == 0xB7)
		return NAME_CH_SEP;
	if (cp == 0x2116 && (flags & IDV_FOLD_ADDRESS)) { /* numero sign */
		txt[0] = ' ';
		txt[1] = '#';
		txt[2] = ' ';
		txt[3] = '\0';
		return NAME_CH_TEXT;
	}
	for (size_t i = 0; i < IDV_ARRAY_LEN(name_fold_ranges); i++) {
		const struct name_fold_range *r = &name_fold_ranges[i];
		if (cp >= r->lo && cp <= r->hi) {
			const char *t = (flags & IDV_FOLD_ICAO) && r->icao ? r->icao : r->simple;
			idv_strlcpy(txt, t, 12);
			return NAME_CH_TEXT;
		}
	}
	/* Anything else stays distinguishable: "#" and the code point in lower-case hex. */
	if (!idv_fmt(txt, 12, "#%x", (unsigned)cp))
		txt[0] = '\0';
	return NAME_CH_TEXT;
}

enum idv_err
idv_name_fold(const char *p, size_t len, unsigned flags, char *out, size_t outsz)
{
	if (outsz == 0)
		return IDV_E_TOOBIG;
	out[0] = '\0';
	if (p == NULL || len == 0)
		return IDV_OK;
	const uint8_t *s = (const uint8_t *)p;
	if (!idv_utf8_valid(s, len))
		return IDV_E_PARSE;
	size_t o = 0;        /* bytes written */
	size_t last_tok = 0; /* end of the last complete token */
	bool pending_sep = false;
	size_t i = 0;
	while (i < len) {
		char txt[12];
		uint32_t cp = name_utf8_next(s, len, &i);
		enum name_class cl = name_classify(cp, flags, txt);
		if (cl == NAME_CH_DROP)
			continue;
		if (cl == NAME_CH_SEP) {
			if (o > 0)
				pending_sep = true;
			continue;
		}
		for (const char *t = txt; *t != '\0'; t++) {
			if (*t == ' ') {
				if (o > 0)
					pending_sep = true;
				continue;
			}
			if (pending_sep) {
				last_tok = o;
				if (o + 1 >= outsz)
					goto full;
				out[o++] = ' ';
				pending_sep = false;
			}
			if (o + 1 >= outsz)
				goto full;
			out[o++] = *t;
		}
	}
	out[o] = '\0';
	return IDV_OK;
full:
	out[last_tok] = '\0';
	return IDV_E_TOOBIG;
}

void
idv_name_tokens_split(const char *folded, struct idv_name_tokens *out)
{
	out->n = 0;
	const char *p = folded;
	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		const char *start = p;
		while (*p != '\0' && *p != ' ')
			p++;
		if (out->n >= IDV_NAME_MAX_TOKENS)
			continue;
		size_t n = (size_t)(p - start);
		if (n >= IDV_NAME_TOKEN_MAX)
			n = IDV_NAME_TOKEN_MAX - 1;
		memcpy(out->tok[out->n], start, n);
		out->tok[out->n][n] = '\0';
		out->n++;
	}
}

/* ---- Parsing ---- */

static const char *
name_generational(const char *tok)
{
	static const struct {
		const char *in, *out;
	} map[] = {
		{"JR", "JR"},  {"JUNIOR", "JR"}, {"JNR", "JR"}, {"SR", "SR"},   {"SENIOR", "SR"},
		{"SNR", "SR"}, {"II", "II"},     {"2ND", "II"}, {"III", "III"}, {"3RD", "III"},
		{"IV", "IV"},  {"4TH", "IV"},    {"V", "V"},    {"5TH", "V"},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(map); i++)
		if (strcmp(tok, map[i].in) == 0)
			return map[i].out;
	return NULL;
}

static bool
name_is_title(const char *tok)
{
	static const char *const titles[] = {"MR", "MRS", "MS", "MISS", "MX", "DR", "PROF", "REV"};
	for (size_t i = 0; i < IDV_ARRAY_LEN(titles); i++)
		if (strcmp(tok, titles[i]) == 0)
			return true;
	return false;
}

static bool
name_is_postnominal(const char *tok)
{
	static const char *const post[] = {"ESQ", "MD", "PHD", "DDS", "DVM", "CPA"};
	for (size_t i = 0; i < IDV_ARRAY_LEN(post); i++)
		if (strcmp(tok, post[i]) == 0)
			return true;
	return false;
}

static void
name_tokens_drop(struct idv_name_tokens *t, size_t at)
{
	for (size_t i = at; i + 1 < t->n; i++)
		memcpy(t->tok[i], t->tok[i + 1], IDV_NAME_TOKEN_MAX);
	t->n--;
}

static void
name_tokens_append(struct idv_name_tokens *dst, const struct idv_name_tokens *src)
{
	for (size_t i = 0; i < src->n && dst->n < IDV_NAME_MAX_TOKENS; i++)
		memcpy(dst->tok[dst->n++], src->tok[i], IDV_NAME_TOKEN_MAX);
}

/* SAINT -> ST inside names, so that St. John and Saint John agree. */
static void
name_tokens_canon(struct idv_name_tokens *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->tok[i], "SAINT") == 0)
			idv_strlcpy(t->tok[i], "ST", IDV_NAME_TOKEN_MAX);
}

static enum idv_err
name_fold_tokens(const char *s, unsigned flags, struct idv_name_tokens *out)
{
	char buf[IDV_NAME_MAX_TOKENS * IDV_NAME_TOKEN_MAX];
	out->n = 0;
	if (s == NULL)
		return IDV_OK;
	enum idv_err e = idv_name_fold(s, strlen(s), flags, buf, sizeof buf);
	if (e == IDV_E_PARSE)
		return e;
	idv_name_tokens_split(buf, out);
	return IDV_OK;
}

enum idv_err
idv_name_parse(const char *given, const char *middle, const char *family, const char *suffix,
	       struct idv_name *out)
{
	memset(out, 0, sizeof *out);
	for (int v = 0; v < 2; v++) {
		unsigned flags = v ? IDV_FOLD_ICAO : 0;
		struct idv_name_tokens mid, suf;
		if (name_fold_tokens(given, flags, &out->given[v]) != IDV_OK ||
		    name_fold_tokens(middle, flags, &mid) != IDV_OK ||
		    name_fold_tokens(family, flags, &out->family[v]) != IDV_OK ||
		    name_fold_tokens(suffix, flags, &suf) != IDV_OK) {
			memset(out, 0, sizeof *out);
			return IDV_E_PARSE;
		}
		name_tokens_append(&out->given[v], &mid);
		struct idv_name_tokens *g = &out->given[v], *f = &out->family[v];
		const char *gen = NULL;
		if (suf.n > 0)
			gen = name_generational(suf.tok[suf.n - 1]);
		while (f->n > 1 && name_is_postnominal(f->tok[f->n - 1]))
			f->n--;
		if (f->n > 1) {
			const char *s = name_generational(f->tok[f->n - 1]);
			if (s != NULL) {
				if (gen == NULL)
					gen = s;
				f->n--;
			}
		}
		if (g->n > 1 && strcmp(g->tok[g->n - 1], "V") != 0) {
			const char *s = name_generational(g->tok[g->n - 1]);
			if (s != NULL) {
				if (gen == NULL)
					gen = s;
				g->n--;
			}
		}
		if (g->n > 1 && name_is_title(g->tok[0]))
			name_tokens_drop(g, 0);
		name_tokens_canon(g);
		name_tokens_canon(f);
		if (v == 0 && gen != NULL)
			idv_strlcpy(out->suffix, gen, sizeof out->suffix);
	}
	return IDV_OK;
}

bool
idv_name_empty(const struct idv_name *n)
{
	return n->given[0].n == 0 && n->family[0].n == 0;
}

/* ---- Jaro-Winkler ---- */

#define NAME_JW_MAX 256

double
idv_jaro_winkler(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen > NAME_JW_MAX)
		alen = NAME_JW_MAX;
	if (blen > NAME_JW_MAX)
		blen = NAME_JW_MAX;
	if (alen == 0 && blen == 0)
		return 1.0;
	if (alen == 0 || blen == 0)
		return 0.0;
	bool am[NAME_JW_MAX] = {false}, bm[NAME_JW_MAX] = {false};
	size_t longer = alen > blen ? alen : blen;
	size_t window = longer / 2 > 0 ? longer / 2 - 1 : 0;
	size_t matches = 0;
	for (size_t i = 0; i < alen; i++) {
		size_t lo = i > window ? i - window : 0;
		size_t hi = i + window + 1 < blen ? i + window + 1 : blen;
		for (size_t j = lo; j < hi; j++) {
			if (bm[j] || a[i] != b[j])
				continue;
			am[i] = bm[j] = true;
			matches++;
			break;
		}
	}
	if (matches == 0)
		return 0.0;
	size_t trans = 0, k = 0;
	for (size_t i = 0; i < alen; i++) {
		if (!am[i])
			continue;
		while (!bm[k])
			k++;
		if (a[i] != b[k])
			trans++;
		k++;
	}
	double m = (double)matches;
	double jaro = (m / (double)alen + m / (double)blen + (m - (double)trans / 2.0) / m) / 3.0;
	size_t prefix = 0;
	while (prefix < 4 && prefix < alen && prefix < blen && a[prefix] == b[prefix])
		prefix++;
	return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}

bool
idv_one_edit(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen > blen) {
		const char *t = a;
		a = b;
		b = t;
		size_t tl = alen;
		alen = blen;
		blen = tl;
	}
	if (blen - alen > 1)
		return false;
	size_t i = 0;
	while (i < alen && a[i] == b[i])
		i++;
	if (i == alen)
		return true; /* equal, or one character appended */
	if (alen == blen) {
		/* substitution, or an adjacent swap */
		if (memcmp(a + i + 1, b + i + 1, alen - i - 1) == 0)
			return true;
		return i + 1 < alen && a[i] == b[i + 1] && a[i + 1] == b[i] &&
		       memcmp(a + i + 2, b + i + 2, alen - i - 2) == 0;
	}
	/* one character inserted into b at i */
	return memcmp(a + i, b + i + 1, alen - i) == 0;
}

/* ---- Nicknames ---- */

enum idv_err
idv_nicknames_parse(const uint8_t *p, size_t len, struct idv_nicknames *out, size_t *err_line)
{
	char scratch[256];
	struct idv_csv_cell cells[4];
	struct idv_csv csv;
	enum idv_err e;
	size_t n;
	out->n = 0;
	idv_csv_init(&csv, p, len, scratch, sizeof scratch, cells, IDV_ARRAY_LEN(cells));
	while ((e = idv_csv_next(&csv, &n)) == IDV_OK) {
		if (cells[0].len > 0 && cells[0].p[0] == '#')
			continue;
		if (csv.row_line == 1 && idv_str_ieq(cells[0].p, cells[0].len, "nickname"))
			continue;
		if (n != 2)
			goto bad;
		if (out->n >= IDV_NICKNAMES_MAX) {
			e = IDV_E_TOOBIG;
			goto fail;
		}
		struct idv_nickname_pair *pair = &out->pairs[out->n];
		if (idv_name_fold(cells[0].p, cells[0].len, 0, pair->nick, sizeof pair->nick) !=
			    IDV_OK ||
		    idv_name_fold(cells[1].p, cells[1].len, 0, pair->formal, sizeof pair->formal) !=
			    IDV_OK)
			goto bad;
		if (pair->nick[0] == '\0' || pair->formal[0] == '\0' ||
		    strchr(pair->nick, ' ') != NULL || strchr(pair->formal, ' ') != NULL)
			goto bad;
		out->n++;
	}
	if (e == IDV_E_NOTFOUND)
		return IDV_OK;
	if (err_line != NULL)
		*err_line = csv.err_line;
	out->n = 0;
	return e;
bad:
	e = IDV_E_PARSE;
fail:
	if (err_line != NULL)
		*err_line = csv.row_line;
	out->n = 0;
	return e;
}

static bool
name_nick_pair(const struct idv_nicknames *t, const char *nick, const char *formal)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->pairs[i].nick, nick) == 0 && strcmp(t->pairs[i].formal, formal) == 0)
			return true;
	return false;
}

double
idv_nickname_score(const struct idv_nicknames *table, const char *a, const char *b)
{
	if (table == NULL || a[0] == '\0' || b[0] == '\0')
		return 0.0;
	if (name_nick_pair(table, a, b) || name_nick_pair(table, b, a))
		return 0.9;
	for (size_t i = 0; i < table->n; i++)
		if (strcmp(table->pairs[i].nick, a) == 0 &&
		    name_nick_pair(table, b, table->pairs[i].formal))
			return 0.85;
	return 0.0;
}

/* ---- Comparison ---- */

#define NAME_GIVEN_TYPO 0.90
#define NAME_FAMILY_TYPO 0.88

static void
name_set(struct idv_match *m, double score, enum idv_reason r)
{
	m->score = score;
	m->reason = r;
}

/* The last resort of a comparison: a typo when the Jaro-Winkler similarity jw reaches
 * threshold (scored at most 0.95), else a mismatch. */
static void
name_typo(struct idv_match *m, double jw, double threshold)
{
	if (jw >= threshold)
		name_set(m, jw > 0.95 ? 0.95 : jw, IDV_R_TYPO);
	else
		name_set(m, 0.0, IDV_R_MISMATCH);
}

static size_t
name_join(const struct idv_name_tokens *t, size_t from, char *out, size_t outsz)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = from; i < t->n; i++) {
		size_t n = strlen(t->tok[i]);
		if (o + n + 1 > outsz)
			break;
		memcpy(out + o, t->tok[i], n);
		o += n;
	}
	out[o] = '\0';
	return o;
}

static void
name_token_compare(const char *x, const char *y, const struct idv_nicknames *nick,
		   struct idv_match *out)
{
	size_t xl = strlen(x), yl = strlen(y);
	if (strcmp(x, y) == 0) {
		name_set(out, 1.0, IDV_R_EXACT);
		return;
	}
	if (xl == 1 || yl == 1) {
		if (x[0] == y[0])
			name_set(out, 0.8, IDV_R_INITIAL);
		else
			name_set(out, 0.0, IDV_R_MISMATCH);
		return;
	}
	double ns = idv_nickname_score(nick, x, y);
	if (ns > 0.0) {
		name_set(out, ns, IDV_R_NICKNAME);
		return;
	}
	name_typo(out, idv_jaro_winkler(x, xl, y, yl), NAME_GIVEN_TYPO);
}

static void
name_given_compare(const struct idv_name_tokens *a, const struct idv_name_tokens *b,
		   const struct idv_nicknames *nick, struct idv_match *out)
{
	char ja[IDV_NAME_MAX_TOKENS * IDV_NAME_TOKEN_MAX], jb[sizeof ja];
	if (a->n == 0 || b->n == 0) {
		name_set(out, 0.0, IDV_R_MISSING);
		return;
	}
	name_join(a, 0, ja, sizeof ja);
	name_join(b, 0, jb, sizeof jb);
	if (strcmp(ja, jb) == 0) {
		name_set(out, 1.0, IDV_R_EXACT);
		return;
	}
	name_token_compare(a->tok[0], b->tok[0], nick, out);
	if (out->reason == IDV_R_MISMATCH) {
		/* Someone who goes by the middle name: JOHN ROBERT against ROBERT. */
		if ((b->n > 1 && strcmp(a->tok[0], b->tok[1]) == 0 && strlen(a->tok[0]) > 1) ||
		    (a->n > 1 && strcmp(a->tok[1], b->tok[0]) == 0 && strlen(b->tok[0]) > 1))
			name_set(out, 0.85, IDV_R_MIDDLE_AS_GIVEN);
		return;
	}
	if (a->n > 1 && b->n > 1) {
		struct idv_match mid;
		name_token_compare(a->tok[1], b->tok[1], nick, &mid);
		if (mid.reason == IDV_R_MISMATCH && out->score > 0.5)
			name_set(out, 0.5, IDV_R_MIDDLE_CONFLICT);
	}
}

static bool
name_token_in(const char *tok, const struct idv_name_tokens *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(tok, t->tok[i]) == 0)
			return true;
	return false;
}

static void
name_family_compare(const struct idv_name_tokens *a, const struct idv_name_tokens *b,
		    struct idv_match *out)
{
	char ja[IDV_NAME_MAX_TOKENS * IDV_NAME_TOKEN_MAX], jb[sizeof ja];
	if (a->n == 0 || b->n == 0) {
		name_set(out, 0.0, IDV_R_MISSING);
		return;
	}
	size_t la = name_join(a, 0, ja, sizeof ja);
	size_t lb = name_join(b, 0, jb, sizeof jb);
	if (strcmp(ja, jb) == 0) {
		name_set(out, 1.0, IDV_R_EXACT);
		return;
	}
	/* GARCIA against GARCIA LOPEZ: every token of the shorter one is in the longer one. */
	const struct idv_name_tokens *s = a->n < b->n ? a : b, *l = a->n < b->n ? b : a;
	if (s->n < l->n) {
		bool all = true;
		for (size_t i = 0; i < s->n && all; i++)
			all = strlen(s->tok[i]) > 1 && name_token_in(s->tok[i], l);
		if (all) {
			name_set(out, 0.9, IDV_R_FAMILY_PARTIAL);
			return;
		}
	}
	name_typo(out, idv_jaro_winkler(ja, la, jb, lb), NAME_FAMILY_TYPO);
}

/* Given against given and family against family; the whole scores as its weaker part. */
static void
name_parts_compare(const struct idv_name_tokens *ag, const struct idv_name_tokens *af,
		   const struct idv_name_tokens *bg, const struct idv_name_tokens *bf,
		   const struct idv_nicknames *nick, struct idv_match *out)
{
	struct idv_match g, f;
	name_given_compare(ag, bg, nick, &g);
	name_family_compare(af, bf, &f);
	/* A mononym (only one part on both sides) is compared on that part. */
	if (ag->n == 0 && bg->n == 0 && af->n > 0 && bf->n > 0) {
		*out = f;
		return;
	}
	if (af->n == 0 && bf->n == 0 && ag->n > 0 && bg->n > 0) {
		*out = g;
		return;
	}
	if (g.score < f.score || (g.score == f.score && g.reason != IDV_R_EXACT))
		*out = g;
	else
		*out = f;
}

/*
 * The ICAO digraphs collapsed to their base letter (AE, OE, UE -> A, O, U; AA -> A; SS -> S):
 * a name typed without its diacritics ("Muller") against the transliteration an MRZ carries
 * ("MUELLER") meet there, which neither side's own two forms do.
 */
static void
name_collapse(const struct idv_name_tokens *in, struct idv_name_tokens *out)
{
	out->n = in->n;
	for (size_t t = 0; t < in->n; t++) {
		const char *s = in->tok[t];
		char *o = out->tok[t];
		size_t j = 0;
		for (size_t i = 0; s[i] != '\0' && j + 1 < sizeof out->tok[t]; i++) {
			o[j++] = s[i];
			char next = s[i + 1];
			if ((next == 'E' && (s[i] == 'A' || s[i] == 'O' || s[i] == 'U')) ||
			    (next == 'A' && s[i] == 'A') || (next == 'S' && s[i] == 'S'))
				i++;
		}
		o[j] = '\0';
	}
}

static bool
name_better(const struct idv_match *a, const struct idv_match *b)
{
	return a->score > b->score;
}

void
idv_name_compare(const struct idv_name *a, const struct idv_name *b,
		 const struct idv_nicknames *nick, struct idv_match *out)
{
	if (idv_name_empty(a) || idv_name_empty(b)) {
		name_set(out, 0.0, IDV_R_MISSING);
		return;
	}
	struct idv_match best = {-1.0, IDV_R_MISMATCH}; /* the first comparison always wins */
	/* Both transliterations on each side; a match found only across them is reported. */
	for (int va = 0; va < 2; va++) {
		for (int vb = 0; vb < 2; vb++) {
			struct idv_match m;
			name_parts_compare(&a->given[va], &a->family[va], &b->given[vb],
					   &b->family[vb], nick, &m);
			if (va != vb && m.reason == IDV_R_EXACT && best.score < 1.0)
				m.reason = IDV_R_TRANSLITERATION;
			if (name_better(&m, &best))
				best = m;
			struct idv_match s;
			name_parts_compare(&a->given[va], &a->family[va], &b->family[vb],
					   &b->given[vb], nick, &s);
			s.score *= 0.95;
			if (s.score > 0.0)
				s.reason = IDV_R_SWAPPED;
			if (name_better(&s, &best))
				best = s;
		}
	}
	if (best.score < 1.0) {
		struct idv_name_tokens ag, af, bg, bf;
		struct idv_match m;
		name_collapse(&a->given[1], &ag);
		name_collapse(&a->family[1], &af);
		name_collapse(&b->given[1], &bg);
		name_collapse(&b->family[1], &bf);
		name_parts_compare(&ag, &af, &bg, &bf, nick, &m);
		if (m.reason == IDV_R_EXACT)
			m.reason = IDV_R_TRANSLITERATION;
		if (name_better(&m, &best))
			best = m;
	}
	if (best.score >= 0.8 && a->suffix[0] != '\0' && b->suffix[0] != '\0' &&
	    strcmp(a->suffix, b->suffix) != 0)
		name_set(&best, 0.3, IDV_R_SUFFIX_CONFLICT);
	*out = best;
}

/* One holder written in one string: try the comma form, then every split. */
static void
name_compare_one(const char *s, size_t len, const struct idv_name *b,
		 const struct idv_nicknames *nick, struct idv_match *out)
{
	char buf[IDV_NAME_MAX_TOKENS * IDV_NAME_TOKEN_MAX];
	struct idv_match best = {0.0, IDV_R_MISSING};
	/* Clamp first: a comma past the clamp would make the family part longer than buf and
	 * the given part's length wrap around. */
	if (len >= sizeof buf)
		len = sizeof buf - 1;
	const char *comma = memchr(s, ',', len);
	if (comma != NULL) {
		char fam[sizeof buf], giv[sizeof buf];
		size_t fl = (size_t)(comma - s);
		memcpy(fam, s, fl);
		fam[fl] = '\0';
		size_t gl = len - fl - 1;
		memcpy(giv, comma + 1, gl);
		giv[gl] = '\0';
		struct idv_name a;
		if (idv_name_parse(giv, NULL, fam, NULL, &a) == IDV_OK)
			idv_name_compare(&a, b, nick, &best);
		*out = best;
		return;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	struct idv_name whole;
	if (idv_name_parse(buf, NULL, NULL, NULL, &whole) != IDV_OK) {
		name_set(out, 0.0, IDV_R_UNPARSEABLE);
		return;
	}
	/* whole.given holds every token (suffix and title already removed). */
	size_t n = whole.given[0].n;
	for (size_t k = 1; k < n; k++) {
		struct idv_name a;
		memset(&a, 0, sizeof a);
		idv_strlcpy(a.suffix, whole.suffix, sizeof a.suffix);
		for (int v = 0; v < 2; v++) {
			const struct idv_name_tokens *t = &whole.given[v];
			for (size_t i = 0; i < t->n; i++) {
				struct idv_name_tokens *dst = i < k ? &a.given[v] : &a.family[v];
				memcpy(dst->tok[dst->n++], t->tok[i], IDV_NAME_TOKEN_MAX);
			}
		}
		struct idv_match m;
		idv_name_compare(&a, b, nick, &m);
		if (m.score > best.score || best.reason == IDV_R_MISSING)
			best = m;
	}
	if (n == 1)
		name_set(&best, 0.0, IDV_R_MISMATCH);
	*out = best;
}

void
idv_name_compare_full(const char *full, const struct idv_name *b, const struct idv_nicknames *nick,
		      struct idv_match *out)
{
	struct idv_match best = {0.0, IDV_R_MISSING};
	if (full == NULL || idv_name_empty(b)) {
		*out = best;
		return;
	}
	/* Split into holders at ';', '&' and the word AND. */
	const char *p = full;
	size_t len = strlen(full);
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		size_t cut = 0;
		if (i == len || p[i] == ';' || p[i] == '&')
			cut = 1;
		else if (i + 5 <= len && (p[i] == ' ') && idv_str_ieq(p + i, 5, " and "))
			cut = 5;
		if (cut == 0)
			continue;
		const char *h = p + start;
		size_t hl = i - start;
		idv_str_trim(&h, &hl);
		if (hl > 0) {
			struct idv_match m;
			name_compare_one(h, hl, b, nick, &m);
			if (m.score > best.score || best.reason == IDV_R_MISSING)
				best = m;
		}
		start = i + cut;
		i = start - 1;
	}
	*out = best;
}
