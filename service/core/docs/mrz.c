/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mrz.c: ICAO 9303 machine-readable zones (see include/idverify/mrz.h for the contract).
 *
 * Exports idv_mrz_parse, idv_mrz_repair, idv_mrz_to_document, the check-digit and date helpers.
 * Pure: no allocation, no clock, no I/O; today is a parameter.
 *
 * Specification: ICAO Doc 9303 (8th edition) Part 3 section 4.9 (check digits: weights 7, 3, 1;
 * '<' = 0, A-Z = 10..35), Part 4 (TD3 and its composite), Part 5 (TD1, long document numbers
 * continued in the optional data), Part 6 (TD2), Part 7 (MRV-A, MRV-B: no composite).
 *
 * Every position of every format has a kind (alphabetic, numeric, alphanumeric, sex, free) and
 * an innermost check digit ("group"). Decoding, check digits and repair are all driven by that
 * one table, so the three cannot disagree about where a field is.
 */
#include "idverify/mrz.h"
#include "idverify/str.h"

#define MRZ_SEARCH_MAX 4096u /* combinations tried by the repair search */
#define MRZ_SEARCH_POS 24u   /* ambiguous positions considered by the search */

enum mrz_kind {
	K_ALPHA, /* letters and fillers; no check digit */
	K_NUM,   /* digits (and fillers where a field may be empty) */
	K_ALNUM, /* letters, digits, fillers; covered by a check digit */
	K_SEX,   /* M, F, X, < */
	K_FREE,  /* visa optional data: anything, covered by nothing */
};

enum mrz_field {
	F_CODE,
	F_STATE,
	F_NAME,
	F_NUMBER,
	F_NUMBER_CD,
	F_NAT,
	F_BIRTH,
	F_BIRTH_CD,
	F_SEX,
	F_EXPIRY,
	F_EXPIRY_CD,
	F_OPT1,
	F_PERSONAL_CD,
	F_OPT2,
	F_COMPOSITE,
	F__COUNT
};

#define G_NONE (-1)

struct mrz_span {
	uint8_t line, start, len;
	uint8_t field; /* enum mrz_field */
};

/* Field positions, 0-based (ICAO counts from 1). A zero len marks the end of a table. */
static const struct mrz_span td1_spans[] = {
	{0, 0, 2, F_CODE},       {0, 2, 3, F_STATE},  {0, 5, 9, F_NUMBER},
	{0, 14, 1, F_NUMBER_CD}, {0, 15, 15, F_OPT1}, {1, 0, 6, F_BIRTH},
	{1, 6, 1, F_BIRTH_CD},   {1, 7, 1, F_SEX},    {1, 8, 6, F_EXPIRY},
	{1, 14, 1, F_EXPIRY_CD}, {1, 15, 3, F_NAT},   {1, 18, 11, F_OPT2},
	{1, 29, 1, F_COMPOSITE}, {2, 0, 30, F_NAME},  {0, 0, 0, 0},
};

static const struct mrz_span td2_spans[] = {
	{0, 0, 2, F_CODE},       {0, 2, 3, F_STATE},
	{0, 5, 31, F_NAME},      {1, 0, 9, F_NUMBER},
	{1, 9, 1, F_NUMBER_CD},  {1, 10, 3, F_NAT},
	{1, 13, 6, F_BIRTH},     {1, 19, 1, F_BIRTH_CD},
	{1, 20, 1, F_SEX},       {1, 21, 6, F_EXPIRY},
	{1, 27, 1, F_EXPIRY_CD}, {1, 28, 7, F_OPT1},
	{1, 35, 1, F_COMPOSITE}, {0, 0, 0, 0},
};

static const struct mrz_span mrvb_spans[] = {
	{0, 0, 2, F_CODE},    {0, 2, 3, F_STATE},      {0, 5, 31, F_NAME},
	{1, 0, 9, F_NUMBER},  {1, 9, 1, F_NUMBER_CD},  {1, 10, 3, F_NAT},
	{1, 13, 6, F_BIRTH},  {1, 19, 1, F_BIRTH_CD},  {1, 20, 1, F_SEX},
	{1, 21, 6, F_EXPIRY}, {1, 27, 1, F_EXPIRY_CD}, {1, 28, 8, F_OPT1},
	{0, 0, 0, 0},
};

static const struct mrz_span td3_spans[] = {
	{0, 0, 2, F_CODE},         {0, 2, 3, F_STATE},      {0, 5, 39, F_NAME},
	{1, 0, 9, F_NUMBER},       {1, 9, 1, F_NUMBER_CD},  {1, 10, 3, F_NAT},
	{1, 13, 6, F_BIRTH},       {1, 19, 1, F_BIRTH_CD},  {1, 20, 1, F_SEX},
	{1, 21, 6, F_EXPIRY},      {1, 27, 1, F_EXPIRY_CD}, {1, 28, 14, F_OPT1},
	{1, 42, 1, F_PERSONAL_CD}, {1, 43, 1, F_COMPOSITE}, {0, 0, 0, 0},
};

static const struct mrz_span mrva_spans[] = {
	{0, 0, 2, F_CODE},    {0, 2, 3, F_STATE},      {0, 5, 39, F_NAME},
	{1, 0, 9, F_NUMBER},  {1, 9, 1, F_NUMBER_CD},  {1, 10, 3, F_NAT},
	{1, 13, 6, F_BIRTH},  {1, 19, 1, F_BIRTH_CD},  {1, 20, 1, F_SEX},
	{1, 21, 6, F_EXPIRY}, {1, 27, 1, F_EXPIRY_CD}, {1, 28, 16, F_OPT1},
	{0, 0, 0, 0},
};

/* Composite coverage: {line, start, len} ranges, in order. */
struct mrz_range {
	uint8_t line, start, len;
};
static const struct mrz_range td1_composite[] = {{0, 5, 25}, {1, 0, 7}, {1, 8, 7}, {1, 18, 11}};
static const struct mrz_range td2_composite[] = {{1, 0, 10}, {1, 13, 7}, {1, 21, 14}};
static const struct mrz_range td3_composite[] = {{1, 0, 10}, {1, 13, 7}, {1, 21, 22}};

typedef char mrz_lines_t[IDV_MRZ_MAX_LINES][IDV_MRZ_LINE_MAX];

/* Where the document number is, as the current characters say (long TD1/TD2 numbers). */
struct mrz_number {
	size_t line, start; /* the 9 principal characters */
	size_t cd_col;      /* check-digit position (same line) */
	bool extended;      /* '<' in the check-digit position and a continuation follows */
	size_t ext_start;   /* continuation (same line), its check digit last */
	size_t ext_len;     /* continuation characters including the check digit; 0 if none */
};

static const char *const format_names[IDV_MRZ__COUNT] = {
	"none", "TD1", "TD2", "TD3", "MRVA", "MRVB",
};

static const char *const digit_names[IDV_MRZ_CD__COUNT] = {
	"document_number", "birth_date", "expiry_date", "personal_number", "composite",
};

IDV_NAME_FN(idv_mrz_format, enum idv_mrz_format, format_names, IDV_MRZ__COUNT, "none")

IDV_NAME_FN(idv_mrz_digit, enum idv_mrz_digit_id, digit_names, IDV_MRZ_CD__COUNT, "unknown")

static int
mrz_char_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	if (c == '<')
		return 0;
	return -1;
}

int
idv_mrz_check_digit(const char *s, size_t len)
{
	static const int weights[3] = {7, 3, 1};
	int sum = 0;
	if (len == 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		int v = mrz_char_value(s[i]);
		if (v < 0)
			return -1;
		sum = (sum + v * weights[i % 3]) % 10;
	}
	return sum;
}

static const struct mrz_span *
mrz_spans(enum idv_mrz_format f)
{
	switch (f) {
	case IDV_MRZ_TD1: return td1_spans;
	case IDV_MRZ_TD2: return td2_spans;
	case IDV_MRZ_TD3: return td3_spans;
	case IDV_MRZ_MRVA: return mrva_spans;
	case IDV_MRZ_MRVB: return mrvb_spans;
	default: return NULL;
	}
}

static const struct mrz_span *
mrz_span_of(enum idv_mrz_format f, enum mrz_field field)
{
	const struct mrz_span *s = mrz_spans(f);
	for (; s != NULL && s->len != 0; s++)
		if (s->field == field)
			return s;
	return NULL;
}

/* Line length of a format; 0 for none. */
static size_t
mrz_line_len(enum idv_mrz_format f)
{
	switch (f) {
	case IDV_MRZ_TD1: return 30;
	case IDV_MRZ_TD2:
	case IDV_MRZ_MRVB: return 36;
	case IDV_MRZ_TD3:
	case IDV_MRZ_MRVA: return 44;
	default: return 0;
	}
}

static bool
mrz_is_visa(enum idv_mrz_format f)
{
	return f == IDV_MRZ_MRVA || f == IDV_MRZ_MRVB;
}

/* The document-number layout the characters describe. */
static void
mrz_number_layout(enum idv_mrz_format f, const mrz_lines_t l, struct mrz_number *n)
{
	const struct mrz_span *num = mrz_span_of(f, F_NUMBER);
	const struct mrz_span *opt = mrz_span_of(f, F_OPT1);
	memset(n, 0, sizeof *n);
	n->line = num->line;
	n->start = num->start;
	n->cd_col = num->start + num->len;
	if ((f != IDV_MRZ_TD1 && f != IDV_MRZ_TD2) || l[n->line][n->cd_col] != '<')
		return;
	/* Long number: continuation from the optional data up to the first filler. */
	n->ext_start = opt->start;
	while (n->ext_len < opt->len && l[opt->line][opt->start + n->ext_len] != '<')
		n->ext_len++;
	n->extended = n->ext_len > 0;
}

static bool
mrz_all_fillers(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != '<')
			return false;
	return true;
}

/* A check digit over one field: valid when equal, or '<' over a field of fillers only. */
static void
mrz_digit_field(struct idv_mrz_digit *d, const char *field, size_t len, char given, bool filler_ok)
{
	int e = idv_mrz_check_digit(field, len);
	d->applicable = true;
	d->given = given;
	d->expected = (char)('0' + (e < 0 ? 0 : e));
	d->valid = (e >= 0 && given == d->expected) ||
		   (filler_ok && given == '<' && mrz_all_fillers(field, len));
}

static void
mrz_digit_number(enum idv_mrz_format f, const mrz_lines_t l, struct idv_mrz_digit *d)
{
	struct mrz_number n;
	mrz_number_layout(f, l, &n);
	const char *p = &l[n.line][n.start];
	if (!n.extended) {
		mrz_digit_field(d, p, 9, l[n.line][n.cd_col], false);
		return;
	}
	/* 9 principal characters, the continuation, and with the filler: both are in use. */
	char buf[9 + 1 + IDV_MRZ_OPTIONAL_MAX];
	size_t cont = n.ext_len - 1;
	char given = l[n.line][n.ext_start + cont];
	memcpy(buf, p, 9);
	memcpy(buf + 9, &l[n.line][n.ext_start], cont);
	int icao = cont > 0 ? idv_mrz_check_digit(buf, 9 + cont) : idv_mrz_check_digit(buf, 9);
	buf[9] = '<';
	memcpy(buf + 10, &l[n.line][n.ext_start], cont);
	int with_filler = idv_mrz_check_digit(buf, 10 + cont);
	d->applicable = true;
	d->given = given;
	d->expected = (char)('0' + (icao < 0 ? 0 : icao));
	d->valid = idv_isdigit(given) && ((icao >= 0 && given - '0' == icao) ||
					  (with_filler >= 0 && given - '0' == with_filler));
}

static void
mrz_digit_composite(enum idv_mrz_format f, const mrz_lines_t l, struct idv_mrz_digit *d)
{
	const struct mrz_range *r;
	size_t nr;
	switch (f) {
	case IDV_MRZ_TD1:
		r = td1_composite;
		nr = IDV_ARRAY_LEN(td1_composite);
		break;
	case IDV_MRZ_TD2:
		r = td2_composite;
		nr = IDV_ARRAY_LEN(td2_composite);
		break;
	case IDV_MRZ_TD3:
		r = td3_composite;
		nr = IDV_ARRAY_LEN(td3_composite);
		break;
	default: return;
	}
	char buf[64];
	size_t n = 0;
	for (size_t i = 0; i < nr; i++) {
		memcpy(buf + n, &l[r[i].line][r[i].start], r[i].len);
		n += r[i].len;
	}
	const struct mrz_span *s = mrz_span_of(f, F_COMPOSITE);
	mrz_digit_field(d, buf, n, l[s->line][s->start], false);
}

/* Every check digit of the format over the lines l; true when all applicable ones are valid. */
static bool
mrz_digits(enum idv_mrz_format f, const mrz_lines_t l, struct idv_mrz_digit d[IDV_MRZ_CD__COUNT])
{
	memset(d, 0, sizeof(struct idv_mrz_digit) * IDV_MRZ_CD__COUNT);
	mrz_digit_number(f, l, &d[IDV_MRZ_CD_NUMBER]);
	const struct mrz_span *s = mrz_span_of(f, F_BIRTH);
	mrz_digit_field(&d[IDV_MRZ_CD_BIRTH], &l[s->line][s->start], 6, l[s->line][s->start + 6],
			true);
	s = mrz_span_of(f, F_EXPIRY);
	mrz_digit_field(&d[IDV_MRZ_CD_EXPIRY], &l[s->line][s->start], 6, l[s->line][s->start + 6],
			true);
	if (f == IDV_MRZ_TD3) {
		s = mrz_span_of(f, F_OPT1);
		mrz_digit_field(&d[IDV_MRZ_CD_PERSONAL], &l[s->line][s->start], s->len,
				l[s->line][s->start + s->len], true);
	}
	if (!mrz_is_visa(f))
		mrz_digit_composite(f, l, &d[IDV_MRZ_CD_COMPOSITE]);
	bool ok = true;
	for (int i = 0; i < IDV_MRZ_CD__COUNT; i++)
		if (d[i].applicable && !d[i].valid)
			ok = false;
	return ok;
}

/*
 * Kind and innermost check digit of one position, given the current characters (a long
 * document number moves part of the optional data into the number's group).
 */
static enum mrz_kind
mrz_position(enum idv_mrz_format f, const mrz_lines_t l, size_t line, size_t col, int *group,
	     enum mrz_field *field)
{
	const struct mrz_span *s = mrz_spans(f);
	*group = G_NONE;
	*field = F__COUNT;
	for (; s != NULL && s->len != 0; s++)
		if (s->line == line && col >= s->start && col < (size_t)s->start + s->len)
			break;
	if (s == NULL || s->len == 0)
		return K_FREE;
	*field = (enum mrz_field)s->field;
	switch (s->field) {
	case F_CODE:
	case F_STATE:
	case F_NAT:
	case F_NAME: return K_ALPHA;
	case F_SEX: return K_SEX;
	case F_NUMBER: *group = IDV_MRZ_CD_NUMBER; return K_ALNUM;
	case F_NUMBER_CD: *group = IDV_MRZ_CD_NUMBER; return K_NUM;
	case F_BIRTH:
	case F_BIRTH_CD: *group = IDV_MRZ_CD_BIRTH; return K_NUM;
	case F_EXPIRY:
	case F_EXPIRY_CD: *group = IDV_MRZ_CD_EXPIRY; return K_NUM;
	case F_PERSONAL_CD: *group = IDV_MRZ_CD_PERSONAL; return K_NUM;
	case F_COMPOSITE: *group = IDV_MRZ_CD_COMPOSITE; return K_NUM;
	case F_OPT2: *group = IDV_MRZ_CD_COMPOSITE; return K_ALNUM;
	case F_OPT1:
		if (mrz_is_visa(f))
			return K_FREE;
		if (f == IDV_MRZ_TD3) {
			*group = IDV_MRZ_CD_PERSONAL;
			return K_ALNUM;
		}
		*group = IDV_MRZ_CD_COMPOSITE;
		struct mrz_number n;
		mrz_number_layout(f, l, &n);
		if (n.extended && col < n.ext_start + n.ext_len)
			*group = IDV_MRZ_CD_NUMBER;
		return K_ALNUM;
	default: return K_FREE;
	}
}

/* Copy s[0..len) into out (size outsz), fillers removed from the end. */
static void
mrz_copy_trimmed(char *out, size_t outsz, const char *s, size_t len)
{
	while (len > 0 && s[len - 1] == '<')
		len--;
	if (len >= outsz)
		len = outsz - 1;
	memcpy(out, s, len);
	out[len] = '\0';
}

/* Name component: fillers to single spaces, no leading or trailing space. */
static void
mrz_name_part(char *out, size_t outsz, const char *s, size_t len)
{
	size_t n = 0;
	bool space = false;
	for (size_t i = 0; i < len && n + 1 < outsz; i++) {
		if (s[i] == '<') {
			space = n > 0;
			continue;
		}
		if (space && n + 2 < outsz)
			out[n++] = ' ';
		space = false;
		out[n++] = s[i];
	}
	out[n] = '\0';
}

static bool
mrz_alpha_field(const char *s, size_t len, bool first_letter)
{
	if (first_letter && !idv_isupper(s[0]))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!idv_isupper(s[i]) && s[i] != '<')
			return false;
	return true;
}

/* YYMMDD that can be a date (29 February accepted: the century decides later). */
static bool
mrz_date_syntax(const char *s)
{
	for (int i = 0; i < 6; i++)
		if (!idv_isdigit(s[i]))
			return false;
	int mm = (s[2] - '0') * 10 + (s[3] - '0');
	int dd = (s[4] - '0') * 10 + (s[5] - '0');
	return idv_date_valid(2000, mm, dd);
}

/* Decode every field and check digit from m->lines. */
static void
mrz_decode(struct idv_mrz *m)
{
	const enum idv_mrz_format f = m->format;
	const struct mrz_span *s;
	const char *p;

	m->check_digits_valid = mrz_digits(f, (const char(*)[IDV_MRZ_LINE_MAX])m->lines, m->digits);
	m->invalid_fields = 0;

	s = mrz_span_of(f, F_CODE);
	p = &m->lines[s->line][s->start];
	mrz_copy_trimmed(m->document_code, sizeof m->document_code, p, 2);
	if (!idv_isupper(p[0]) || !(idv_isupper(p[1]) || p[1] == '<'))
		m->invalid_fields |= IDV_MRZ_BAD_CODE;

	s = mrz_span_of(f, F_STATE);
	p = &m->lines[s->line][s->start];
	mrz_copy_trimmed(m->issuing_state, sizeof m->issuing_state, p, 3);
	if (!mrz_alpha_field(p, 3, true))
		m->invalid_fields |= IDV_MRZ_BAD_STATE;

	s = mrz_span_of(f, F_NAT);
	p = &m->lines[s->line][s->start];
	mrz_copy_trimmed(m->nationality, sizeof m->nationality, p, 3);
	if (!mrz_alpha_field(p, 3, true))
		m->invalid_fields |= IDV_MRZ_BAD_NATIONALITY;

	s = mrz_span_of(f, F_NAME);
	p = &m->lines[s->line][s->start];
	size_t split = s->len;
	for (size_t i = 0; i + 1 < s->len; i++)
		if (p[i] == '<' && p[i + 1] == '<') {
			split = i;
			break;
		}
	mrz_name_part(m->primary, sizeof m->primary, p, split);
	if (split < s->len)
		mrz_name_part(m->secondary, sizeof m->secondary, p + split + 2, s->len - split - 2);
	else
		m->secondary[0] = '\0';
	m->name_truncated = p[s->len - 1] != '<';
	if (!mrz_alpha_field(p, s->len, false))
		m->invalid_fields |= IDV_MRZ_BAD_NAME;

	struct mrz_number n;
	mrz_number_layout(f, (const char(*)[IDV_MRZ_LINE_MAX])m->lines, &n);
	p = &m->lines[n.line][n.start];
	m->number_extended = n.extended;
	if (n.extended) {
		/* Continuation without its check digit; the principal part is used as is. */
		memcpy(m->document_number, p, 9);
		memcpy(m->document_number + 9, &m->lines[n.line][n.ext_start], n.ext_len - 1);
		m->document_number[9 + n.ext_len - 1] = '\0';
	} else {
		mrz_copy_trimmed(m->document_number, sizeof m->document_number, p, 9);
	}

	s = mrz_span_of(f, F_BIRTH);
	memcpy(m->birth, &m->lines[s->line][s->start], 6);
	m->birth[6] = '\0';
	if (!mrz_date_syntax(m->birth))
		m->invalid_fields |= IDV_MRZ_BAD_BIRTH;

	s = mrz_span_of(f, F_EXPIRY);
	memcpy(m->expiry, &m->lines[s->line][s->start], 6);
	m->expiry[6] = '\0';
	if (!mrz_date_syntax(m->expiry) && !mrz_all_fillers(m->expiry, 6))
		m->invalid_fields |= IDV_MRZ_BAD_EXPIRY;

	s = mrz_span_of(f, F_SEX);
	m->sex = m->lines[s->line][s->start];
	if (m->sex != 'M' && m->sex != 'F' && m->sex != 'X' && m->sex != '<')
		m->invalid_fields |= IDV_MRZ_BAD_SEX;

	s = mrz_span_of(f, F_OPT1);
	mrz_copy_trimmed(m->optional1, sizeof m->optional1, &m->lines[s->line][s->start], s->len);
	s = mrz_span_of(f, F_OPT2);
	if (s != NULL)
		mrz_copy_trimmed(m->optional2, sizeof m->optional2, &m->lines[s->line][s->start],
				 s->len);
	else
		m->optional2[0] = '\0';

	unsigned changed = 0;
	m->searched = 0;
	for (size_t i = 0; i < m->nlines; i++)
		for (size_t j = 0; j < m->line_len; j++) {
			if (m->lines[i][j] == m->raw[i][j])
				continue;
			changed++;
			int group;
			enum mrz_field field;
			if (mrz_position(f, (const char(*)[IDV_MRZ_LINE_MAX])m->lines, i, j, &group,
					 &field) == K_ALNUM &&
			    group != G_NONE)
				m->searched |= 1u << group;
		}
	m->nrepaired = changed;
	m->repaired = changed > 0;
}

enum idv_err
idv_mrz_parse(const char *text, size_t len, struct idv_mrz *out)
{
	enum idv_err result = IDV_OK;
	char lines[IDV_MRZ_MAX_LINES][IDV_MRZ_LINE_MAX];
	size_t lens[IDV_MRZ_MAX_LINES] = {0};
	size_t nlines = 0, cur = 0;

	memset(out, 0, sizeof *out);
	memset(lines, 0, sizeof lines);
	if (text == NULL && len != 0)
		return IDV_E_PARSE;
	for (size_t i = 0; i <= len; i++) {
		char c = i < len ? text[i] : '\n';
		if (c == '\n') {
			if (cur == 0)
				continue; /* blank line */
			if (nlines == IDV_MRZ_MAX_LINES) {
				result = IDV_E_PARSE;
				goto out;
			}
			lens[nlines++] = cur;
			cur = 0;
			continue;
		}
		if (idv_isspace((unsigned char)c))
			continue; /* spaces OCR put inside or around a line; CR of CRLF */
		c = (char)idv_toupper((unsigned char)c);
		if (mrz_char_value(c) < 0 || cur >= 44 || nlines == IDV_MRZ_MAX_LINES) {
			result = IDV_E_PARSE;
			goto out;
		}
		lines[nlines][cur++] = c;
	}
	if (nlines == 3 && lens[0] == 30 && lens[1] == 30 && lens[2] == 30)
		out->format = IDV_MRZ_TD1;
	else if (nlines == 2 && lens[0] == 36 && lens[1] == 36)
		out->format = lines[0][0] == 'V' ? IDV_MRZ_MRVB : IDV_MRZ_TD2;
	else if (nlines == 2 && lens[0] == 44 && lens[1] == 44)
		out->format = lines[0][0] == 'V' ? IDV_MRZ_MRVA : IDV_MRZ_TD3;
	else {
		result = IDV_E_PARSE;
		goto out;
	}
	if (lines[0][0] == '<') {
		/* The document code is mandatory; a filler here is not an MRZ we can place. */
		result = IDV_E_PARSE;
		goto out;
	}
	out->nlines = nlines;
	out->line_len = lens[0];
	memcpy(out->raw, lines, sizeof lines);
	memcpy(out->lines, lines, sizeof lines);
	mrz_decode(out);
out:
	if (result != IDV_OK)
		memset(out, 0, sizeof *out);
	return result;
}

/* ---- repair ---- */

/* A letter that OCR produces for a digit, in a numeric position: the digit; 0 when none. */
static char
mrz_letter_to_digit(char c)
{
	switch (c) {
	case 'O':
	case 'Q':
	case 'D': return '0';
	case 'I': return '1';
	case 'Z': return '2';
	case 'S': return '5';
	case 'G': return '6';
	case 'B': return '8';
	default: return 0;
	}
}

/* A digit that OCR produces for a letter, in an alphabetic position: the letter; 0 when none. */
static char
mrz_digit_to_letter(char c)
{
	switch (c) {
	case '0': return 'O';
	case '1': return 'I';
	case '2': return 'Z';
	case '5': return 'S';
	case '6': return 'G';
	case '8': return 'B';
	default: return 0;
	}
}

/*
 * In an alphanumeric field a character may have been read for any of these, so all of them
 * are in the search: the truth is always among the combinations when every misreading is one
 * of these confusions, which is what makes "exactly one combination verifies" a proof.
 */
static const char *
mrz_alternatives(char c)
{
	switch (c) {
	case '0': return "ODQ";
	case 'O':
	case 'D':
	case 'Q': return "0";
	case '1': return "I";
	case 'I': return "1";
	case '2': return "Z";
	case 'Z': return "2";
	case '5': return "S";
	case 'S': return "5";
	case '8': return "B";
	case 'B': return "8";
	default: return ""; /* 6/G: invisible to check digits, see mrz_visible */
	}
}

/*
 * Whether a check digit can tell a from b: weights 7, 3 and 1 are prime to 10, so it can
 * exactly when their values differ modulo 10. 6 and G (16), '<' and K (20) it cannot: such a
 * change is never proven, and offering it would only double every solution.
 */
static bool
mrz_visible(char a, char b)
{
	return (mrz_char_value(a) - mrz_char_value(b)) % 10 != 0;
}

struct mrz_choice {
	uint8_t line, col;
	uint8_t n;    /* candidates */
	char cand[5]; /* cand[0] is the current character */
};

/* Position range of a field span, or of the extension of a long number. */
static size_t
mrz_collect(const mrz_lines_t l, size_t line, size_t start, size_t len, struct mrz_choice *ch,
	    size_t nch)
{
	for (size_t i = 0; i < len && nch < MRZ_SEARCH_POS; i++) {
		char c = l[line][start + i];
		struct mrz_choice x = {(uint8_t)line, (uint8_t)(start + i), 1, {c, 0, 0, 0, 0}};
		for (const char *t = mrz_alternatives(c); *t != '\0'; t++)
			if (mrz_visible(c, *t))
				x.cand[x.n++] = *t;
		if ((c == 'C' || c == 'L') && mrz_all_fillers(&l[line][start + i + 1], len - i - 1))
			x.cand[x.n++] = '<'; /* a trailing filler read as a letter */
		if (x.n > 1)
			ch[nch++] = x;
	}
	return nch;
}

/*
 * Try every combination of the ambiguous characters; when exactly one makes every check digit
 * valid, and it changes a single character, write it into l and return true.
 *
 * Why a single change: a misreading outside the confusions (a digit read as another digit)
 * is not in the search, and a 7-3-1 digit passes a wrong combination one time in ten; a
 * combination of one change is a small part of the search, so insisting on it cuts such false
 * repairs about threefold (tests/unit/test_mrz.c measures it), and a true single confusion is
 * always one change away. Two confusions in one field are reported failing instead.
 */
static bool
mrz_search(enum idv_mrz_format f, mrz_lines_t l, const struct mrz_choice *ch, size_t nch)
{
	size_t total = 1;
	for (size_t i = 0; i < nch; i++) {
		total *= ch[i].n;
		if (total > MRZ_SEARCH_MAX)
			return false;
	}
	mrz_lines_t work, found;
	struct idv_mrz_digit d[IDV_MRZ_CD__COUNT];
	unsigned solutions = 0, changes = 0;
	memcpy(work, l, sizeof work);
	/* Index 0 (all current characters) fails, or there would be no search. */
	for (size_t k = 1; k < total && solutions < 2; k++) {
		size_t r = k;
		unsigned nchanged = 0;
		for (size_t i = 0; i < nch; i++) {
			size_t pick = r % ch[i].n;
			work[ch[i].line][ch[i].col] = ch[i].cand[pick];
			nchanged += pick != 0;
			r /= ch[i].n;
		}
		if (mrz_digits(f, (const char(*)[IDV_MRZ_LINE_MAX])work, d)) {
			solutions++;
			changes = nchanged;
			memcpy(found, work, sizeof found);
		}
	}
	if (solutions != 1 || changes != 1)
		return false;
	memcpy(l, found, sizeof found);
	return true;
}

enum idv_err
idv_mrz_repair(struct idv_mrz *m)
{
	if (m == NULL || mrz_spans(m->format) == NULL ||
	    m->nlines != (m->format == IDV_MRZ_TD1 ? 3u : 2u) ||
	    m->line_len != mrz_line_len(m->format))
		return IDV_E_INVAL;
	const enum idv_mrz_format f = m->format;
	mrz_lines_t start, work;
	struct idv_mrz_digit d[IDV_MRZ_CD__COUNT];
	int group;
	enum mrz_field field;

	memcpy(start, m->lines, sizeof start);
	memcpy(work, m->lines, sizeof work);

	/* 1. What the position's type alone proves. */
	for (size_t i = 0; i < m->nlines; i++)
		for (size_t j = 0; j < m->line_len; j++) {
			char c = work[i][j], t = 0;
			switch (mrz_position(f, (const char(*)[IDV_MRZ_LINE_MAX])work, i, j, &group,
					     &field)) {
			case K_ALPHA: t = mrz_digit_to_letter(c); break;
			case K_NUM: t = mrz_letter_to_digit(c); break;
			default: break;
			}
			if (t != 0)
				work[i][j] = t;
		}

	/* 2. Alphanumeric fields under a failing check digit: a unique combination. */
	mrz_digits(f, (const char(*)[IDV_MRZ_LINE_MAX])work, d);
	bool dates_ok = d[IDV_MRZ_CD_BIRTH].valid && d[IDV_MRZ_CD_EXPIRY].valid;
	bool number_bad = !d[IDV_MRZ_CD_NUMBER].valid;
	bool personal_bad = d[IDV_MRZ_CD_PERSONAL].applicable && !d[IDV_MRZ_CD_PERSONAL].valid;
	bool composite_bad = d[IDV_MRZ_CD_COMPOSITE].applicable && !d[IDV_MRZ_CD_COMPOSITE].valid;
	if (dates_ok && (number_bad || personal_bad || composite_bad)) {
		struct mrz_choice ch[MRZ_SEARCH_POS];
		size_t nch = 0;
		struct mrz_number n;
		mrz_number_layout(f, (const char(*)[IDV_MRZ_LINE_MAX])work, &n);
		const struct mrz_span *opt = mrz_span_of(f, F_OPT1);
		const struct mrz_span *opt2 = mrz_span_of(f, F_OPT2);
		if (number_bad) {
			nch = mrz_collect((const char(*)[IDV_MRZ_LINE_MAX])work, n.line, n.start, 9,
					  ch, nch);
			if (n.extended)
				nch = mrz_collect((const char(*)[IDV_MRZ_LINE_MAX])work, n.line,
						  n.ext_start, n.ext_len, ch, nch);
		}
		if (personal_bad)
			nch = mrz_collect((const char(*)[IDV_MRZ_LINE_MAX])work, opt->line,
					  opt->start, opt->len, ch, nch);
		if (composite_bad && !number_bad && !personal_bad && f != IDV_MRZ_TD3) {
			/* Only the optional data (without a number's continuation) is left. */
			size_t skip = n.extended ? n.ext_len : 0;
			nch = mrz_collect((const char(*)[IDV_MRZ_LINE_MAX])work, opt->line,
					  opt->start + skip, opt->len - skip, ch, nch);
			if (opt2 != NULL)
				nch = mrz_collect((const char(*)[IDV_MRZ_LINE_MAX])work, opt2->line,
						  opt2->start, opt2->len, ch, nch);
		}
		if (nch > 0 && nch < MRZ_SEARCH_POS)
			mrz_search(f, work, ch, nch);
	}

	/* 3. Keep a change under a check digit only when that digit verifies. */
	for (bool reverted = true; reverted;) {
		reverted = false;
		mrz_digits(f, (const char(*)[IDV_MRZ_LINE_MAX])work, d);
		for (size_t i = 0; i < m->nlines; i++)
			for (size_t j = 0; j < m->line_len; j++) {
				if (work[i][j] == start[i][j])
					continue;
				mrz_position(f, (const char(*)[IDV_MRZ_LINE_MAX])work, i, j, &group,
					     &field);
				if (group != G_NONE && !d[group].valid) {
					work[i][j] = start[i][j];
					reverted = true;
				}
			}
	}

	memcpy(m->lines, work, sizeof work);
	mrz_decode(m);
	return m->check_digits_valid ? IDV_OK : IDV_E_CHECKSUM;
}

/* ---- dates ---- */

static bool
mrz_yymmdd(const char *s, int *yy, int *mm, int *dd)
{
	if (s == NULL)
		return false;
	for (int i = 0; i < 6; i++)
		if (!idv_isdigit(s[i]))
			return false;
	*yy = (s[0] - '0') * 10 + (s[1] - '0');
	*mm = (s[2] - '0') * 10 + (s[3] - '0');
	*dd = (s[4] - '0') * 10 + (s[5] - '0');
	return true;
}

enum idv_err
idv_mrz_birth_date(const char *yymmdd, int64_t today_days, struct idv_date *out)
{
	int yy, mm, dd;
	struct idv_date today;
	if (!mrz_yymmdd(yymmdd, &yy, &mm, &dd))
		return IDV_E_INVAL;
	idv_date_from_days(today_days, &today);
	struct idv_date d = {today.year - today.year % 100 + yy, mm, dd};
	if (!idv_date_valid(d.year, mm, dd) || idv_date_to_days(&d) > today_days)
		d.year -= 100;
	if (!idv_date_valid(d.year, mm, dd) || idv_date_to_days(&d) > today_days)
		return IDV_E_INVAL;
	*out = d;
	return IDV_OK;
}

enum idv_err
idv_mrz_expiry_date(const char *yymmdd, int64_t today_days, const struct idv_date *birth,
		    struct idv_date *out)
{
	int yy, mm, dd;
	struct idv_date today;
	if (!mrz_yymmdd(yymmdd, &yy, &mm, &dd))
		return IDV_E_INVAL;
	idv_date_from_days(today_days, &today);
	int lo = today.year - 79;
	int lo_yy = ((lo % 100) + 100) % 100;
	struct idv_date d = {lo + ((yy - lo_yy + 100) % 100), mm, dd};
	if (birth != NULL && idv_date_valid(d.year, mm, dd) &&
	    idv_date_to_days(&d) < idv_date_to_days(birth))
		d.year += 100;
	if (!idv_date_valid(d.year, mm, dd))
		return IDV_E_INVAL;
	*out = d;
	return IDV_OK;
}

/* ---- document ---- */

static void
mrz_copy_line(char out[IDV_MRZ_LINE_MAX], const char *line, size_t len)
{
	if (len >= IDV_MRZ_LINE_MAX)
		len = IDV_MRZ_LINE_MAX - 1;
	memcpy(out, line, len);
	out[len] = '\0';
}

#define MRZ_CONF_PROVEN 0.99f
#define MRZ_CONF_SEARCHED 0.8f
#define MRZ_CONF_UNCHECKED 0.9f
#define MRZ_CONF_TRUNCATED 0.6f
#define MRZ_CONF_FAILED 0.3f

static float
mrz_conf(const struct idv_mrz *m, enum idv_mrz_digit_id id)
{
	if (!m->digits[id].valid)
		return MRZ_CONF_FAILED;
	return (m->searched & (1u << id)) ? MRZ_CONF_SEARCHED : MRZ_CONF_PROVEN;
}

static void
mrz_set(struct idv_document *doc, enum idv_field_id id, const char *v, float conf)
{
	if (v[0] != '\0')
		idv_document_set(doc, id, v, strlen(v), IDV_SRC_MRZ, conf, NULL);
}

static void
mrz_set_checks(const struct idv_mrz *m, struct idv_document *doc)
{
	char failed[IDV_CHECK_DETAIL_MAX];
	size_t nfail = 0, napplicable = 0, off = 0;
	failed[0] = '\0';
	for (int i = 0; i < IDV_MRZ_CD__COUNT; i++) {
		if (!m->digits[i].applicable)
			continue;
		napplicable++;
		if (m->digits[i].valid)
			continue;
		(void)idv_fmt_cat(failed, sizeof failed, &off, "%s%s", nfail ? ", " : "",
				  digit_names[i]);
		nfail++;
	}
	const char *fmt = idv_mrz_format_name(m->format);
	if (nfail == 0)
		idv_document_check(doc, "mrz_check_digits", IDV_CHECK_PASS,
				   "%s: all %zu check digits valid%s", fmt, napplicable,
				   m->repaired ? " after OCR repair" : "");
	else
		idv_document_check(doc, "mrz_check_digits", IDV_CHECK_FAIL,
				   "%s: %zu of %zu check digits failed: %s%s", fmt, nfail,
				   napplicable, failed, m->repaired ? " (after OCR repair)" : "");
}

void
idv_mrz_to_document(const struct idv_mrz *m, int64_t today_days, struct idv_document *doc)
{
	if (m == NULL || doc == NULL || mrz_spans(m->format) == NULL ||
	    m->nlines != (m->format == IDV_MRZ_TD1 ? 3u : 2u) ||
	    m->line_len != mrz_line_len(m->format))
		return;
	const char code = m->document_code[0];
	if (mrz_is_visa(m->format))
		idv_document_check(doc, "mrz_visa", IDV_CHECK_NA,
				   "machine-readable visa (%s): not an identity document by "
				   "itself; kind left unknown",
				   idv_mrz_format_name(m->format));
	else if (code == 'P')
		doc->kind = IDV_DOC_PASSPORT;
	else if ((m->format == IDV_MRZ_TD1 || m->format == IDV_MRZ_TD2) &&
		 (code == 'I' || code == 'A' || code == 'C'))
		doc->kind = IDV_DOC_ID_CARD;

	float name_conf = (m->invalid_fields & IDV_MRZ_BAD_NAME) ? MRZ_CONF_FAILED
			  : m->name_truncated                    ? MRZ_CONF_TRUNCATED
								 : MRZ_CONF_UNCHECKED;
	mrz_set(doc, IDV_F_FAMILY_NAME, m->primary, name_conf);
	mrz_set(doc, IDV_F_GIVEN_NAMES, m->secondary, name_conf);
	if (m->sex == 'M' || m->sex == 'F' || m->sex == 'X') {
		char sx[2] = {m->sex, '\0'};
		mrz_set(doc, IDV_F_SEX, sx, MRZ_CONF_UNCHECKED);
	}
	mrz_set(doc, IDV_F_DOCUMENT_NUMBER, m->document_number, mrz_conf(m, IDV_MRZ_CD_NUMBER));
	mrz_set(doc, IDV_F_ISSUING_AUTHORITY, m->issuing_state,
		(m->invalid_fields & IDV_MRZ_BAD_STATE) ? MRZ_CONF_FAILED : MRZ_CONF_UNCHECKED);
	mrz_set(doc, IDV_F_NATIONALITY, m->nationality,
		(m->invalid_fields & IDV_MRZ_BAD_NATIONALITY) ? MRZ_CONF_FAILED
							      : MRZ_CONF_UNCHECKED);

	char iso[11];
	struct idv_date birth, expiry;
	bool have_birth = idv_mrz_birth_date(m->birth, today_days, &birth) == IDV_OK;
	if (have_birth) {
		idv_date_format(&birth, iso);
		mrz_set(doc, IDV_F_DATE_OF_BIRTH, iso, mrz_conf(m, IDV_MRZ_CD_BIRTH));
	}
	if (idv_mrz_expiry_date(m->expiry, today_days, have_birth ? &birth : NULL, &expiry) ==
	    IDV_OK) {
		idv_date_format(&expiry, iso);
		mrz_set(doc, IDV_F_EXPIRY_DATE, iso, mrz_conf(m, IDV_MRZ_CD_EXPIRY));
		bool expired = idv_date_to_days(&expiry) < today_days;
		idv_document_check(
			doc, "expired", expired ? IDV_CHECK_FAIL : IDV_CHECK_PASS,
			"%s (MRZ expiry date%s)", expired ? "expired" : "not expired",
			m->digits[IDV_MRZ_CD_EXPIRY].valid ? "" : ", whose check digit failed");
	} else if (mrz_all_fillers(m->expiry, 6)) {
		idv_document_check(doc, "expired", IDV_CHECK_NA, "the MRZ has no expiry date");
	} else {
		idv_document_check(doc, "expired", IDV_CHECK_NA, "MRZ expiry date unreadable");
	}
	mrz_set_checks(m, doc);

	struct idv_mrz_info *info = &doc->mrz;
	memset(info, 0, sizeof *info);
	info->present = true;
	idv_strlcpy(info->format, idv_mrz_format_name(m->format), sizeof info->format);
	info->nlines = m->nlines;
	for (size_t i = 0; i < m->nlines && i < IDV_MRZ_MAX_LINES; i++) {
		mrz_copy_line(info->lines[i], m->lines[i], m->line_len);
		mrz_copy_line(info->raw_lines[i], m->raw[i], m->line_len);
	}
	info->check_digits_valid = m->check_digits_valid;
	info->repaired = m->repaired;
}
