/* SPDX-License-Identifier: Apache-2.0 */
/*
 * aamva.c: the AAMVA DL/ID card design standard barcode payload (PDF417), versions 01 (2000)
 * to 10 (2020): header, subfile directory, DL/ID and jurisdiction (Zx) subfiles, data elements,
 * and the IIN-to-jurisdiction table. Exports idv_aamva_* (see aamva.h). Pure: no allocation,
 * no I/O, no clock; every offset and length read from the payload is checked against len.
 *
 * The parser is lenient on purpose: barcodes reach us through scanners in keyboard mode, text
 * files and copy-paste, which drop or rewrite control characters. Each tolerated deviation is
 * recorded as a warning so that the aamva_header check and reviewers see it.
 */
#include "idverify/aamva.h"
#include "idverify/str.h"

#define AAMVA_LF 0x0A
#define AAMVA_CR 0x0D
#define AAMVA_RS 0x1E
#define AAMVA_HEADER_WINDOW 40 /* bytes searched for the file type after the start */
#define AAMVA_LEADING_MAX 64   /* white space skipped before '@' */
#define AAMVA_DIR_ENTRY 10     /* "DL" + offset(4) + length(4) */

/* ---- IIN table ------------------------------------------------------------------------- */

/*
 * AAMVA issuer identification numbers of its member jurisdictions (written from the AAMVA IIN
 * list: 636xxx for the original members, 604xxx for later ones). Sorted by IIN.
 */
static const struct idv_aamva_jurisdiction aamva_iins[] = {
	{"604426", "PE", "Prince Edward Island", "CAN"},
	{"604427", "AS", "American Samoa", "USA"},
	{"604428", "QC", "Quebec", "CAN"},
	{"604429", "YT", "Yukon", "CAN"},
	{"604430", "MP", "Northern Mariana Islands", "USA"},
	{"604431", "PR", "Puerto Rico", "USA"},
	{"604432", "AB", "Alberta", "CAN"},
	{"604433", "NU", "Nunavut", "CAN"},
	{"604434", "NT", "Northwest Territories", "CAN"},
	{"636000", "VA", "Virginia", "USA"},
	{"636001", "NY", "New York", "USA"},
	{"636002", "MA", "Massachusetts", "USA"},
	{"636003", "MD", "Maryland", "USA"},
	{"636004", "NC", "North Carolina", "USA"},
	{"636005", "SC", "South Carolina", "USA"},
	{"636006", "CT", "Connecticut", "USA"},
	{"636007", "LA", "Louisiana", "USA"},
	{"636008", "MT", "Montana", "USA"},
	{"636009", "NM", "New Mexico", "USA"},
	{"636010", "FL", "Florida", "USA"},
	{"636011", "DE", "Delaware", "USA"},
	{"636012", "ON", "Ontario", "CAN"},
	{"636013", "NS", "Nova Scotia", "CAN"},
	{"636014", "CA", "California", "USA"},
	{"636015", "TX", "Texas", "USA"},
	{"636016", "NL", "Newfoundland and Labrador", "CAN"},
	{"636017", "NB", "New Brunswick", "CAN"},
	{"636018", "IA", "Iowa", "USA"},
	{"636019", "GU", "Guam", "USA"},
	{"636020", "CO", "Colorado", "USA"},
	{"636021", "AR", "Arkansas", "USA"},
	{"636022", "KS", "Kansas", "USA"},
	{"636023", "OH", "Ohio", "USA"},
	{"636024", "VT", "Vermont", "USA"},
	{"636025", "PA", "Pennsylvania", "USA"},
	{"636026", "AZ", "Arizona", "USA"},
	{"636027", "", "US Department of State", "USA"},
	{"636028", "BC", "British Columbia", "CAN"},
	{"636029", "OR", "Oregon", "USA"},
	{"636030", "MO", "Missouri", "USA"},
	{"636031", "WI", "Wisconsin", "USA"},
	{"636032", "MI", "Michigan", "USA"},
	{"636033", "AL", "Alabama", "USA"},
	{"636034", "ND", "North Dakota", "USA"},
	{"636035", "IL", "Illinois", "USA"},
	{"636036", "NJ", "New Jersey", "USA"},
	{"636037", "IN", "Indiana", "USA"},
	{"636038", "MN", "Minnesota", "USA"},
	{"636039", "NH", "New Hampshire", "USA"},
	{"636040", "UT", "Utah", "USA"},
	{"636041", "ME", "Maine", "USA"},
	{"636042", "SD", "South Dakota", "USA"},
	{"636043", "DC", "District of Columbia", "USA"},
	{"636044", "SK", "Saskatchewan", "CAN"},
	{"636045", "WA", "Washington", "USA"},
	{"636046", "KY", "Kentucky", "USA"},
	{"636047", "HI", "Hawaii", "USA"},
	{"636048", "MB", "Manitoba", "CAN"},
	{"636049", "NV", "Nevada", "USA"},
	{"636050", "ID", "Idaho", "USA"},
	{"636051", "MS", "Mississippi", "USA"},
	{"636052", "RI", "Rhode Island", "USA"},
	{"636053", "TN", "Tennessee", "USA"},
	{"636054", "NE", "Nebraska", "USA"},
	{"636055", "GA", "Georgia", "USA"},
	{"636058", "OK", "Oklahoma", "USA"},
	{"636059", "AK", "Alaska", "USA"},
	{"636060", "WY", "Wyoming", "USA"},
	{"636061", "WV", "West Virginia", "USA"},
	{"636062", "VI", "US Virgin Islands", "USA"},
};

const struct idv_aamva_jurisdiction *
idv_aamva_iin_table(size_t *n)
{
	*n = IDV_ARRAY_LEN(aamva_iins);
	return aamva_iins;
}

const struct idv_aamva_jurisdiction *
idv_aamva_iin_lookup(const char *iin6)
{
	if (iin6 == NULL)
		return NULL;
	for (size_t i = 0; i < IDV_ARRAY_LEN(aamva_iins); i++)
		if (memcmp(aamva_iins[i].iin, iin6, 6) == 0)
			return &aamva_iins[i];
	return NULL;
}

bool
idv_aamva_iin_matches_state(const char *iin6, const char *state, size_t len)
{
	const struct idv_aamva_jurisdiction *j = idv_aamva_iin_lookup(iin6);
	if (j == NULL || j->code[0] == '\0' || state == NULL)
		return false;
	idv_str_trim(&state, &len);
	return idv_str_ieq(state, len, j->code);
}

/* ---- warnings -------------------------------------------------------------------------- */

static const struct {
	const char *name;
	bool capture;
} aamva_warnings[IDV_AAMVA_W__COUNT] = {
	[IDV_AAMVA_W_LEADING_BOM] = {"leading_bom", true},
	[IDV_AAMVA_W_LEADING_SPACE] = {"leading_space", true},
	[IDV_AAMVA_W_NO_COMPLIANCE] = {"no_compliance_indicator", true},
	[IDV_AAMVA_W_NO_RECORD_SEP] = {"no_record_separator", true},
	[IDV_AAMVA_W_NO_SEGMENT_TERM] = {"no_segment_terminator", true},
	[IDV_AAMVA_W_LF_FOR_CR] = {"lf_for_cr", true},
	[IDV_AAMVA_W_CR_FOR_LF] = {"cr_for_lf", true},
	[IDV_AAMVA_W_SEPARATOR] = {"nonstandard_separator", true},
	[IDV_AAMVA_W_HEADER_JUNK] = {"header_junk", true},
	[IDV_AAMVA_W_LOWERCASE] = {"lowercase", true},
	[IDV_AAMVA_W_BAD_CHAR] = {"bad_char", true},
	[IDV_AAMVA_W_TRUNCATED] = {"truncated", true},
	[IDV_AAMVA_W_TRAILING_GARBAGE] = {"trailing_garbage", true},
	[IDV_AAMVA_W_OLD_HEADER] = {"old_header", false},
	[IDV_AAMVA_W_VERSION] = {"version_unknown", false},
	[IDV_AAMVA_W_DIRECTORY_SHORT] = {"directory_short", false},
	[IDV_AAMVA_W_OFFSET_BY_ONE] = {"offset_off_by_one", false},
	[IDV_AAMVA_W_OFFSET_WRONG] = {"offset_wrong", false},
	[IDV_AAMVA_W_TYPE_MISSING] = {"subfile_type_missing", false},
	[IDV_AAMVA_W_SUBFILE_MISSING] = {"subfile_missing", false},
	[IDV_AAMVA_W_BAD_ELEMENT] = {"bad_element", false},
	[IDV_AAMVA_W_BAD_DATE] = {"bad_date", false},
	[IDV_AAMVA_W_DATE_FORMAT] = {"date_format", false},
	[IDV_AAMVA_W_OVERFLOW] = {"overflow", false},
};

const char *
idv_aamva_warning_name(enum idv_aamva_warning w)
{
	return (unsigned)w < IDV_AAMVA_W__COUNT ? aamva_warnings[w].name : "unknown";
}

bool
idv_aamva_warning_is_capture(enum idv_aamva_warning w)
{
	return (unsigned)w < IDV_AAMVA_W__COUNT && aamva_warnings[w].capture;
}

static void
aamva_warn(struct idv_aamva *a, enum idv_aamva_warning w)
{
	uint32_t bit = 1u << (unsigned)w;
	if (a->warning_mask & bit)
		return;
	a->warning_mask |= bit;
	if (a->nwarnings < IDV_AAMVA_MAX_WARNINGS)
		idv_strlcpy(a->warnings[a->nwarnings++], aamva_warnings[w].name,
			    IDV_AAMVA_WARNING_MAX);
}

/* ---- byte helpers ---------------------------------------------------------------------- */

/* The parse state: input, where the header put things, and the declared separator. */
struct aamva_in {
	const uint8_t *p;
	size_t len;
	size_t ft;       /* position of the file type; subfile offsets count from ft - 4 */
	size_t dir_end;  /* first byte after the directory */
	uint8_t sep;     /* declared data element separator (LF in the standard) */
};

static bool
aamva_is_term(const struct aamva_in *in, uint8_t c)
{
	return c == AAMVA_LF || c == AAMVA_CR || c == AAMVA_RS || c == in->sep;
}

static bool
aamva_digits(const struct aamva_in *in, size_t at, size_t n)
{
	if (at > in->len || in->len - at < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!idv_isdigit(in->p[at + i]))
			return false;
	return true;
}

/* n digits at p[at] (caller checked them with aamva_digits). */
static uint32_t
aamva_num(const struct aamva_in *in, size_t at, size_t n)
{
	uint32_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (uint32_t)(in->p[at + i] - '0');
	return v;
}

/* A data element id at p[at]: three letters (upper case only when strict). */
static bool
aamva_is_id(const struct aamva_in *in, size_t at, bool strict)
{
	if (at > in->len || in->len - at < 3)
		return false;
	for (size_t i = 0; i < 3; i++) {
		uint8_t c = in->p[at + i];
		if (strict ? !idv_isupper(c) : !idv_isalpha(c))
			return false;
	}
	return true;
}

/* p[at..at+2) equals the 2-letter type t, ignoring case. */
static bool
aamva_is_type(const struct aamva_in *in, size_t at, const char *t)
{
	if (at > in->len || in->len - at < 2)
		return false;
	return idv_toupper(in->p[at]) == t[0] && idv_toupper(in->p[at + 1]) == t[1];
}

static bool
aamva_has_lower(const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (idv_islower(s[i]))
			return true;
	return false;
}

/* Trim spaces (and, for names and addresses, trailing commas) of s[0..*n). */
static const char *
aamva_trim(const char *s, size_t *n, bool commas)
{
	idv_str_trim(&s, n);
	while (commas && *n > 0 && s[*n - 1] == ',') {
		(*n)--;
		idv_str_trim(&s, n);
	}
	return s;
}

/* Copy s[0..n) into dst (size dstsz), truncating; returns false when it was truncated. */
static bool
aamva_copy(char *dst, size_t dstsz, const char *s, size_t n)
{
	bool fits = n < dstsz;
	if (!fits)
		n = dstsz - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return fits;
}

static bool
aamva_is_none(const char *s, size_t n)
{
	return idv_str_ieq(s, n, "NONE") || idv_str_ieq(s, n, "NMN") || idv_str_ieq(s, n, "UNK");
}

/* ---- header ---------------------------------------------------------------------------- */

/* Skip a BOM and white space; find '@' and the file type. */
static enum idv_err
aamva_header_start(struct aamva_in *in, struct idv_aamva *a)
{
	const uint8_t *p = in->p;
	size_t len = in->len, i = 0;

	if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		i = 3;
		aamva_warn(a, IDV_AAMVA_W_LEADING_BOM);
	}
	size_t i0 = i, skipped = 0;
	while (i < len && skipped < AAMVA_LEADING_MAX && (idv_isspace(p[i]) || p[i] == 0)) {
		i++;
		skipped++;
	}

	/* The file type, within a small window. */
	size_t ft = SIZE_MAX;
	for (size_t q = i; q < len && q - i < AAMVA_HEADER_WINDOW && len - q >= 5; q++) {
		const char *s = (const char *)p + q;
		if (idv_str_ieq(s, 5, "ANSI ") || idv_str_ieq(s, 5, "AAMVA")) {
			ft = q;
			break;
		}
	}
	if (ft == SIZE_MAX)
		return IDV_E_PARSE;
	if (aamva_has_lower(p + ft, 5))
		aamva_warn(a, IDV_AAMVA_W_LOWERCASE);
	for (size_t k = 0; k < 5; k++)
		a->file_type[k] = (char)idv_toupper(p[ft + k]);
	a->file_type[5] = '\0';
	if (a->file_type[0] == 'A' && a->file_type[1] == 'A')
		aamva_warn(a, IDV_AAMVA_W_OLD_HEADER);
	in->ft = ft;

	/* The compliance indicator, then the separators it declares: LF RS CR. */
	size_t at = SIZE_MAX;
	for (size_t q = i; q < ft; q++)
		if (p[q] == '@') {
			at = q;
			break;
		}
	size_t s0;
	if (at == SIZE_MAX) {
		/* Without '@' the white space skipped is the separators' remains. */
		aamva_warn(a, IDV_AAMVA_W_NO_COMPLIANCE);
		s0 = i0;
	} else {
		if (skipped > 0)
			aamva_warn(a, IDV_AAMVA_W_LEADING_SPACE);
		if (at > i)
			aamva_warn(a, IDV_AAMVA_W_HEADER_JUNK);
		s0 = at + 1;
	}
	const uint8_t *s = p + s0;
	size_t n = ft - s0;
	in->sep = AAMVA_LF;
	if (n == 3 && s[0] == AAMVA_LF && s[1] == AAMVA_RS && s[2] == AAMVA_CR)
		return IDV_OK;

	size_t k = 0;
	if (n > 0) {
		uint8_t c = s[0];
		if (c == AAMVA_LF) {
			k = 1;
		} else if (c == AAMVA_CR) {
			in->sep = AAMVA_CR;
			aamva_warn(a, IDV_AAMVA_W_CR_FOR_LF);
			k = 1;
		} else if (c > 0x20 && c < 0x7F && !idv_isalnum(c) && c != '@') {
			in->sep = c;
			aamva_warn(a, IDV_AAMVA_W_SEPARATOR);
			k = 1;
		}
	}
	const uint8_t *rs = n > k ? memchr(s + k, AAMVA_RS, n - k) : NULL;
	size_t after = k;
	if (rs == NULL)
		aamva_warn(a, IDV_AAMVA_W_NO_RECORD_SEP);
	else
		after = (size_t)(rs - s) + 1;
	bool cr = after < n && memchr(s + after, AAMVA_CR, n - after) != NULL;
	bool lf = after < n && memchr(s + after, AAMVA_LF, n - after) != NULL;
	if (!cr && lf)
		aamva_warn(a, IDV_AAMVA_W_LF_FOR_CR);
	else if (!cr)
		aamva_warn(a, IDV_AAMVA_W_NO_SEGMENT_TERM);
	for (size_t q = k; q < n; q++)
		if (s[q] != AAMVA_LF && s[q] != AAMVA_CR && s[q] != AAMVA_RS) {
			aamva_warn(a, IDV_AAMVA_W_HEADER_JUNK);
			break;
		}
	return IDV_OK;
}

/* A valid directory entry at p[at]: 2 letters, 4 + 4 digits. */
static bool
aamva_entry_ok(const struct aamva_in *in, size_t at)
{
	if (at > in->len || in->len - at < AAMVA_DIR_ENTRY)
		return false;
	return idv_isalpha(in->p[at]) && idv_isalpha(in->p[at + 1]) &&
	       aamva_digits(in, at + 2, 8);
}

/*
 * IIN, version, jurisdiction version, number of entries, directory. Version 01 and "AAMVA"
 * headers have no jurisdiction version, but some cards disagree with their own version
 * number: the layout whose first directory entry is valid wins.
 */
static enum idv_err
aamva_header_fields(struct aamva_in *in, struct idv_aamva *a)
{
	size_t q = in->ft + 5;
	if (!aamva_digits(in, q, 6) || !aamva_digits(in, q + 6, 2))
		return IDV_E_PARSE;
	memcpy(a->iin, in->p + q, 6);
	a->iin[6] = '\0';
	a->version = (int)aamva_num(in, q + 6, 2);
	if (a->version < 1 || a->version > 10)
		aamva_warn(a, IDV_AAMVA_W_VERSION);
	const struct idv_aamva_jurisdiction *j = idv_aamva_iin_lookup(a->iin);
	if (j != NULL) {
		idv_strlcpy(a->jurisdiction, j->code, sizeof a->jurisdiction);
		idv_strlcpy(a->jurisdiction_country, j->country, sizeof a->jurisdiction_country);
	}

	q += 8;
	bool prefer_jv = a->version >= 2 && a->file_type[0] == 'A' && a->file_type[1] == 'N';
	bool a_ok = aamva_digits(in, q, 4) && aamva_entry_ok(in, q + 4);
	bool b_ok = aamva_digits(in, q, 2) && aamva_entry_ok(in, q + 2);
	bool use_jv;
	if (prefer_jv)
		use_jv = a_ok || !b_ok;
	else
		use_jv = a_ok && !b_ok;
	size_t dir;
	a->jurisdiction_version = -1;
	if (use_jv) {
		if (!aamva_digits(in, q, 4)) {
			in->dir_end = q;
			a->entries = 0;
			return IDV_OK;
		}
		a->jurisdiction_version = (int)aamva_num(in, q, 2);
		a->entries = (int)aamva_num(in, q + 2, 2);
		dir = q + 4;
	} else {
		if (!aamva_digits(in, q, 2)) {
			in->dir_end = q;
			a->entries = 0;
			return IDV_OK;
		}
		a->entries = (int)aamva_num(in, q, 2);
		dir = q + 2;
	}

	int valid = 0;
	for (int e = 0; e < a->entries; e++) {
		size_t at = dir + (size_t)e * AAMVA_DIR_ENTRY;
		if (!aamva_entry_ok(in, at))
			break;
		valid++;
		if (a->nsubfiles >= IDV_AAMVA_MAX_SUBFILES) {
			aamva_warn(a, IDV_AAMVA_W_OVERFLOW);
			continue;
		}
		struct idv_aamva_subfile *sf = &a->subfiles[a->nsubfiles++];
		if (aamva_has_lower(in->p + at, 2))
			aamva_warn(a, IDV_AAMVA_W_LOWERCASE);
		sf->type[0] = (char)idv_toupper(in->p[at]);
		sf->type[1] = (char)idv_toupper(in->p[at + 1]);
		sf->type[2] = '\0';
		sf->declared = true;
		sf->offset = aamva_num(in, at + 2, 4);
		sf->length = aamva_num(in, at + 6, 4);
	}
	if (valid < a->entries || a->entries == 0)
		aamva_warn(a, IDV_AAMVA_W_DIRECTORY_SHORT);
	in->dir_end = dir + (size_t)valid * AAMVA_DIR_ENTRY;
	return IDV_OK;
}

/* ---- subfiles -------------------------------------------------------------------------- */

/* The first byte of a found subfile: its type, or its first element when it had no type. */
static size_t
aamva_head(const struct idv_aamva_subfile *sf)
{
	return sf->typed ? sf->start - 2 : sf->start;
}

/* at is inside a subfile already found (before bounding: its type or first byte). */
static bool
aamva_start_taken(const struct idv_aamva *a, size_t at)
{
	for (size_t i = 0; i < a->nsubfiles; i++) {
		const struct idv_aamva_subfile *sf = &a->subfiles[i];
		size_t end = sf->end > sf->start ? sf->end : sf->start + 1;
		if (sf->found && aamva_head(sf) <= at && at < end)
			return true;
	}
	return false;
}

/*
 * Subfile type t starts at p[at]: after the directory, not inside another subfile, at the start
 * of a line (after a terminator or a stray control/non-ASCII byte), and followed by an element,
 * a terminator or the end (an empty subfile).
 */
static bool
aamva_type_at(const struct aamva_in *in, const struct idv_aamva *a, size_t at, const char *t)
{
	if (at < in->dir_end || !aamva_is_type(in, at, t) || aamva_start_taken(a, at))
		return false;
	if (at > in->dir_end) {
		uint8_t c = in->p[at - 1];
		if (!aamva_is_term(in, c) && c >= 0x20 && c < 0x7F)
			return false;
	}
	if (at + 2 == in->len)
		return true;
	uint8_t c = in->p[at + 2];
	return aamva_is_id(in, at + 2, false) || aamva_is_term(in, c) || c < 0x20 || c >= 0x7F;
}

/*
 * Find subfile sf. Its offset counts from '@', which the standard puts 4 bytes before the file
 * type; measuring from the file type absorbs a dropped '@', RS or CR and a leading BOM.
 * Returns whether it was found; sets sf->start to its first element and sf->end provisionally.
 */
static bool
aamva_locate(struct aamva_in *in, struct idv_aamva *a, struct idv_aamva_subfile *sf,
	     bool first)
{
	size_t pred = SIZE_MAX;
	if (sf->declared && sf->offset > 0 && in->ft + sf->offset >= 4)
		pred = in->ft + sf->offset - 4;
	size_t at = SIZE_MAX;
	bool typed = true;

	if (pred != SIZE_MAX && aamva_type_at(in, a, pred, sf->type)) {
		at = pred;
	} else if (pred != SIZE_MAX && pred > 0 && aamva_type_at(in, a, pred - 1, sf->type)) {
		at = pred - 1;
		aamva_warn(a, IDV_AAMVA_W_OFFSET_BY_ONE);
	} else if (pred != SIZE_MAX && aamva_type_at(in, a, pred + 1, sf->type)) {
		at = pred + 1;
		aamva_warn(a, IDV_AAMVA_W_OFFSET_BY_ONE);
	} else {
		/* Anywhere after the directory, at the start of a line, followed by an element. */
		for (size_t q = in->dir_end; q + 2 <= in->len; q++) {
			if (aamva_type_at(in, a, q, sf->type)) {
				at = q;
				break;
			}
		}
		if (at != SIZE_MAX) {
			aamva_warn(a, IDV_AAMVA_W_OFFSET_WRONG);
		} else {
			/* The data without its type (e.g. "DL00410313" then "DCA..." at 41). */
			size_t cand = pred != SIZE_MAX ? pred : (first ? in->dir_end : SIZE_MAX);
			if (cand != SIZE_MAX && cand >= in->dir_end &&
			    aamva_is_id(in, cand, true) && in->p[cand] == (uint8_t)sf->type[0] &&
			    !aamva_start_taken(a, cand)) {
				at = cand;
				typed = false;
				aamva_warn(a, IDV_AAMVA_W_TYPE_MISSING);
			}
		}
	}
	if (at == SIZE_MAX) {
		/* The payload ends before the subfile's declared end: it was cut. */
		if (pred != SIZE_MAX && (pred >= in->len || in->len - pred < sf->length))
			aamva_warn(a, IDV_AAMVA_W_TRUNCATED);
		return false;
	}
	if (typed && aamva_has_lower(in->p + at, 2))
		aamva_warn(a, IDV_AAMVA_W_LOWERCASE);
	sf->found = true;
	sf->typed = typed;
	sf->start = typed ? at + 2 : at;
	sf->end = sf->start; /* set by aamva_bound */
	return true;
}

/*
 * Where each found subfile ends: at the next one, or at the end of the input. The declared
 * length of the last one cuts off trailing garbage when it ends cleanly on a terminator.
 */
static void
aamva_bound(struct aamva_in *in, struct idv_aamva *a)
{
	for (size_t i = 0; i < a->nsubfiles; i++) {
		struct idv_aamva_subfile *sf = &a->subfiles[i];
		if (!sf->found)
			continue;
		size_t next = in->len;
		for (size_t k = 0; k < a->nsubfiles; k++) {
			const struct idv_aamva_subfile *o = &a->subfiles[k];
			if (k == i || !o->found || o->start <= sf->start)
				continue;
			if (aamva_head(o) < next)
				next = aamva_head(o);
		}
		sf->end = next < sf->start ? sf->start : next;
		if (!sf->declared || sf->length == 0)
			continue;
		/* The declared length counts from the type. */
		size_t dend = aamva_head(sf) + sf->length;
		if (dend > in->len) {
			aamva_warn(a, IDV_AAMVA_W_TRUNCATED);
			continue;
		}
		if (next != in->len || dend >= in->len || dend <= sf->start)
			continue;
		bool garbage = false;
		for (size_t q = dend; q < in->len; q++)
			if (!idv_isspace(in->p[q]) && in->p[q] != 0 && !aamva_is_term(in, in->p[q]))
				garbage = true;
		if (garbage && aamva_is_term(in, in->p[dend - 1])) {
			sf->end = dend;
			aamva_warn(a, IDV_AAMVA_W_TRAILING_GARBAGE);
		}
	}
}

/* The first DL or ID subfile just after the directory when the directory did not say. */
static void
aamva_find_undeclared(struct aamva_in *in, struct idv_aamva *a)
{
	for (size_t i = 0; i < a->nsubfiles; i++)
		if (a->subfiles[i].found && (strcmp(a->subfiles[i].type, "DL") == 0 ||
					     strcmp(a->subfiles[i].type, "ID") == 0))
			return;
	/* A slot: a new one, or (directory full) one whose subfile was not found. */
	size_t slot = a->nsubfiles;
	for (size_t i = 0; slot >= IDV_AAMVA_MAX_SUBFILES && i < a->nsubfiles; i++)
		if (!a->subfiles[i].found)
			slot = i;
	if (slot >= IDV_AAMVA_MAX_SUBFILES)
		return;
	for (size_t q = in->dir_end; q + 2 <= in->len && q - in->dir_end < 16; q++) {
		const char *t = NULL;
		if (aamva_is_type(in, q, "DL"))
			t = "DL";
		else if (aamva_is_type(in, q, "ID"))
			t = "ID";
		if (t == NULL || !aamva_is_id(in, q + 2, true) || aamva_start_taken(a, q))
			continue;
		if (slot == a->nsubfiles)
			a->nsubfiles++;
		struct idv_aamva_subfile *sf = &a->subfiles[slot];
		memset(sf, 0, sizeof *sf);
		memcpy(sf->type, t, 3);
		sf->found = true;
		sf->typed = true;
		sf->start = q + 2;
		sf->end = sf->start;
		if (aamva_has_lower(in->p + q, 2))
			aamva_warn(a, IDV_AAMVA_W_LOWERCASE);
		return;
	}
}

/* ---- elements -------------------------------------------------------------------------- */

static void
aamva_element(struct aamva_in *in, struct idv_aamva *a, const struct idv_aamva_subfile *sf,
	      size_t t0, size_t t1)
{
	const uint8_t *p = in->p;
	/* Scanners add stray bytes (NULs, U+0090) around elements: drop them. */
	while (t0 < t1 && (p[t0] <= 0x20 || p[t0] >= 0x7F)) {
		if (p[t0] != ' ')
			aamva_warn(a, IDV_AAMVA_W_BAD_CHAR);
		t0++;
	}
	if (t0 == t1)
		return;
	if (!aamva_is_id(in, t0, false) || t1 - t0 < 3) {
		aamva_warn(a, IDV_AAMVA_W_BAD_ELEMENT);
		return;
	}
	if (a->nelements >= IDV_AAMVA_MAX_ELEMENTS) {
		aamva_warn(a, IDV_AAMVA_W_OVERFLOW);
		return;
	}
	struct idv_aamva_element *e = &a->elements[a->nelements++];
	memcpy(e->subfile, sf->type, sizeof e->subfile);
	if (aamva_has_lower(p + t0, 3))
		aamva_warn(a, IDV_AAMVA_W_LOWERCASE);
	for (size_t k = 0; k < 3; k++)
		e->id[k] = (char)idv_toupper(p[t0 + k]);
	e->id[3] = '\0';
	size_t n = 0;
	for (size_t q = t0 + 3; q < t1; q++) {
		uint8_t c = p[q];
		if (c < 0x20 || c >= 0x7F) {
			aamva_warn(a, IDV_AAMVA_W_BAD_CHAR);
			continue;
		}
		if (n + 1 >= sizeof e->value) {
			aamva_warn(a, IDV_AAMVA_W_OVERFLOW);
			break;
		}
		e->value[n++] = (char)c;
	}
	e->value[n] = '\0';
}

static void
aamva_elements(struct aamva_in *in, struct idv_aamva *a, const struct idv_aamva_subfile *sf)
{
	const uint8_t *p = in->p;
	size_t q = sf->start;
	size_t last_term = SIZE_MAX;
	while (q < sf->end) {
		size_t t0 = q;
		while (q < sf->end && !aamva_is_term(in, p[q]))
			q++;
		/* A CR between two elements, where the standard has LF. */
		bool data = false;
		for (size_t k = t0; k < q; k++)
			if (p[k] > 0x20 && p[k] < 0x7F)
				data = true;
		if (data && last_term != SIZE_MAX && p[last_term] == AAMVA_CR &&
		    in->sep != AAMVA_CR)
			aamva_warn(a, IDV_AAMVA_W_CR_FOR_LF);
		aamva_element(in, a, sf, t0, q);
		if (q < sf->end) {
			if (data || last_term == SIZE_MAX || p[q] == AAMVA_CR)
				last_term = q;
			q++;
		}
	}
	/* The segment terminator closing a subfile followed by another one. */
	if (last_term != SIZE_MAX && sf->end < in->len && p[last_term] == AAMVA_LF &&
	    in->sep != AAMVA_CR)
		aamva_warn(a, IDV_AAMVA_W_LF_FOR_CR);
}

/* ---- typed fields ---------------------------------------------------------------------- */

/* The raw value of element id in the main subfile (main), or NULL. */
static const char *
aamva_get(const struct idv_aamva *a, const char *main, const char *id, size_t *n)
{
	for (size_t i = 0; i < a->nelements; i++) {
		const struct idv_aamva_element *e = &a->elements[i];
		if (strcmp(e->subfile, main) == 0 && strcmp(e->id, id) == 0) {
			*n = strlen(e->value);
			return e->value;
		}
	}
	return NULL;
}

/* Trimmed value of the first of the ids that is present and not empty ("" when none). */
static const char *
aamva_pick(const struct idv_aamva *a, const char *main, const char *const *ids, size_t *n,
	   bool commas)
{
	for (size_t i = 0; ids[i] != NULL; i++) {
		size_t k;
		const char *v = aamva_get(a, main, ids[i], &k);
		if (v == NULL)
			continue;
		v = aamva_trim(v, &k, commas);
		if (k > 0) {
			*n = k;
			return v;
		}
	}
	*n = 0;
	return "";
}

static void
aamva_set(struct idv_aamva *a, char *dst, size_t dstsz, const char *s, size_t n)
{
	if (!aamva_copy(dst, dstsz, s, n))
		aamva_warn(a, IDV_AAMVA_W_OVERFLOW);
}

/* Append word s[0..n) to dst, space separated. */
static void
aamva_append(struct idv_aamva *a, char *dst, size_t dstsz, const char *s, size_t n)
{
	s = aamva_trim(s, &n, true);
	if (n == 0 || aamva_is_none(s, n))
		return;
	size_t have = strlen(dst);
	if (have > 0) {
		if (have + 1 >= dstsz) {
			aamva_warn(a, IDV_AAMVA_W_OVERFLOW);
			return;
		}
		dst[have++] = ' ';
		dst[have] = '\0';
	}
	aamva_set(a, dst + have, dstsz - have, s, n);
}

static bool
aamva_is_suffix(const char *s, size_t n)
{
	static const char *const sfx[] = {"JR", "SR", "II", "III", "IV", "JR.", "SR.", NULL};
	for (size_t i = 0; sfx[i] != NULL; i++)
		if (idv_str_ieq(s, n, sfx[i]))
			return true;
	return false;
}

/* Split s at the first c: head s[0..*hn), rest after it (NULL when there is no c). */
static const char *
aamva_split(const char *s, size_t n, char c, size_t *hn, size_t *rn)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == c) {
			*hn = i;
			*rn = n - i - 1;
			return s + i + 1;
		}
	*hn = n;
	*rn = 0;
	return NULL;
}

/*
 * Version 01 DAA full name: "FAMILY,GIVEN,MIDDLE,SUFFIX" (commas; "FAMILY,GIVEN MIDDLE" seen
 * too) or, without commas, "GIVEN MIDDLE... FAMILY [SUFFIX]".
 */
static void
aamva_full_name(struct idv_aamva *a, const char *s, size_t n)
{
	s = aamva_trim(s, &n, true);
	if (memchr(s, ',', n) != NULL) {
		const char *part[4];
		size_t plen[4], np = 0;
		const char *rest = s;
		size_t rn = n;
		while (rest != NULL && np < 4) {
			size_t hn;
			const char *next = aamva_split(rest, rn, ',', &hn, &rn);
			part[np] = rest;
			plen[np] = hn;
			np++;
			rest = next;
		}
		const char *f = aamva_trim(part[0], &plen[0], true);
		aamva_set(a, a->family_name, sizeof a->family_name, f, plen[0]);
		if (np == 2) {
			const char *g = aamva_trim(part[1], &plen[1], true);
			size_t gn, mn;
			const char *m = aamva_split(g, plen[1], ' ', &gn, &mn);
			aamva_append(a, a->given_name, sizeof a->given_name, g, gn);
			if (m != NULL)
				aamva_append(a, a->middle_names, sizeof a->middle_names, m, mn);
			return;
		}
		if (np > 1)
			aamva_append(a, a->given_name, sizeof a->given_name, part[1], plen[1]);
		if (np > 2)
			aamva_append(a, a->middle_names, sizeof a->middle_names, part[2], plen[2]);
		if (np > 3 && a->name_suffix[0] == '\0')
			aamva_append(a, a->name_suffix, sizeof a->name_suffix, part[3], plen[3]);
		return;
	}
	/* Words: GIVEN MIDDLE... FAMILY [SUFFIX]. */
	const char *w[16];
	size_t wl[16], nw = 0;
	size_t i = 0;
	while (i < n && nw < 16) {
		while (i < n && s[i] == ' ')
			i++;
		if (i >= n)
			break;
		size_t b = i;
		while (i < n && s[i] != ' ')
			i++;
		w[nw] = s + b;
		wl[nw] = i - b;
		nw++;
	}
	if (nw == 0)
		return;
	if (nw >= 3 && aamva_is_suffix(w[nw - 1], wl[nw - 1])) {
		if (a->name_suffix[0] == '\0')
			aamva_set(a, a->name_suffix, sizeof a->name_suffix, w[nw - 1], wl[nw - 1]);
		nw--;
	}
	aamva_set(a, a->family_name, sizeof a->family_name, w[nw - 1], wl[nw - 1]);
	if (nw >= 2)
		aamva_set(a, a->given_name, sizeof a->given_name, w[0], wl[0]);
	for (size_t k = 1; k + 1 < nw; k++)
		aamva_append(a, a->middle_names, sizeof a->middle_names, w[k], wl[k]);
}

static void
aamva_names(struct idv_aamva *a, const char *m)
{
	size_t n;
	const char *v;
	static const char *const fam[] = {"DCS", "DAB", NULL};
	static const char *const giv[] = {"DAC", NULL};
	static const char *const mid[] = {"DAD", NULL};
	static const char *const sfx[] = {"DCU", "DAE", NULL};
	static const char *const dct[] = {"DCT", NULL};
	static const char *const daa[] = {"DAA", NULL};

	v = aamva_pick(a, m, sfx, &n, true);
	if (n > 0 && !aamva_is_none(v, n))
		aamva_set(a, a->name_suffix, sizeof a->name_suffix, v, n);
	v = aamva_pick(a, m, fam, &n, true);
	aamva_set(a, a->family_name, sizeof a->family_name, v, n);
	v = aamva_pick(a, m, giv, &n, true);
	aamva_set(a, a->given_name, sizeof a->given_name, v, n);
	v = aamva_pick(a, m, mid, &n, true);
	if (!aamva_is_none(v, n))
		aamva_set(a, a->middle_names, sizeof a->middle_names, v, n);

	/* Versions 02-03: DCT holds the given names, "GIVEN,MIDDLE" or "GIVEN MIDDLE". */
	if (a->given_name[0] == '\0') {
		v = aamva_pick(a, m, dct, &n, true);
		if (n > 0) {
			size_t gn, rn;
			const char *rest = aamva_split(v, n, ',', &gn, &rn);
			if (rest == NULL)
				rest = aamva_split(v, n, ' ', &gn, &rn);
			const char *g = aamva_trim(v, &gn, true);
			aamva_set(a, a->given_name, sizeof a->given_name, g, gn);
			if (rest != NULL && a->middle_names[0] == '\0') {
				/* Commas between further middle names become spaces. */
				while (rest != NULL) {
					size_t hn, nn;
					const char *next = aamva_split(rest, rn, ',', &hn, &nn);
					aamva_append(a, a->middle_names, sizeof a->middle_names,
						     rest, hn);
					rest = next;
					rn = nn;
				}
			}
		}
	}
	/* Version 01: DAA full name, when the parts were not given separately. */
	if (a->family_name[0] == '\0' || a->given_name[0] == '\0') {
		v = aamva_pick(a, m, daa, &n, false);
		if (n > 0) {
			a->family_name[0] = a->given_name[0] = a->middle_names[0] = '\0';
			aamva_full_name(a, v, n);
		}
	}
}

static bool
aamva_date_try(const char *d, bool ymd, struct idv_date *out)
{
	int y, m, dd;
	int v[8];
	for (size_t i = 0; i < 8; i++)
		v[i] = d[i] - '0';
	if (ymd) {
		y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
		m = v[4] * 10 + v[5];
		dd = v[6] * 10 + v[7];
	} else {
		m = v[0] * 10 + v[1];
		dd = v[2] * 10 + v[3];
		y = v[4] * 1000 + v[5] * 100 + v[6] * 10 + v[7];
	}
	/* 1800..2299 keeps the two orders apart: MMDD read as a year is below 1300. */
	if (y < 1800 || y > 2299 || !idv_date_valid(y, m, dd))
		return false;
	out->year = y;
	out->month = m;
	out->day = dd;
	return true;
}

/*
 * Dates are MMDDCCYY in the US from version 02, CCYYMMDD in Canada and in version 01 (which
 * some US jurisdictions still wrote MMDDCCYY). Whichever order gives a valid date is used.
 */
static void
aamva_date(struct idv_aamva *a, const char *m, const char *id, bool ymd_first, char out[11])
{
	size_t n;
	const char *ids[] = {id, NULL};
	const char *v = aamva_pick(a, m, ids, &n, false);
	out[0] = '\0';
	if (n == 0 || aamva_is_none(v, n))
		return;
	bool ok = n >= 8;
	for (size_t i = 0; ok && i < 8; i++)
		ok = idv_isdigit((unsigned char)v[i]);
	if (ok && n > 8 && idv_isdigit((unsigned char)v[8]))
		ok = false;
	struct idv_date d;
	if (ok && aamva_date_try(v, ymd_first, &d)) {
		idv_date_format(&d, out);
	} else if (ok && aamva_date_try(v, !ymd_first, &d)) {
		idv_date_format(&d, out);
		if (a->version != 1)
			aamva_warn(a, IDV_AAMVA_W_DATE_FORMAT);
	} else {
		aamva_warn(a, IDV_AAMVA_W_BAD_DATE);
	}
}

/* DAU: "068 IN", "175 cm", " 65 IN", "5-10", or (versions 01-03) "510" = 5 ft 10 in. */
static void
aamva_height(struct idv_aamva *a, const char *m, bool canada)
{
	size_t n;
	static const char *const ids[] = {"DAU", NULL};
	const char *v = aamva_pick(a, m, ids, &n, false);
	size_t i = 0;
	int val = 0;
	while (i < n && idv_isdigit((unsigned char)v[i]) && i < 4)
		val = val * 10 + (v[i++] - '0');
	if (i == 0 || (i < n && idv_isdigit((unsigned char)v[i])))
		return;
	const char *u = v + i;
	size_t un = n - i;
	u = aamva_trim(u, &un, false);
	/* Feet and inches written out: "5-10", "5'10", "5'10\"". */
	if (i == 1 && un >= 2 && (u[0] == '-' || u[0] == '\'') &&
	    idv_isdigit((unsigned char)u[1])) {
		int inch = u[1] - '0';
		size_t k = 2;
		if (k < un && idv_isdigit((unsigned char)u[k]))
			inch = inch * 10 + (u[k++] - '0');
		if (k < un && u[k] == '"')
			k++;
		if (k == un && inch < 12)
			a->height_in = val * 12 + inch;
		return;
	}
	if (idv_str_ieq(u, un, "IN") || idv_str_ieq(u, un, "IN.")) {
		a->height_in = val;
	} else if (idv_str_ieq(u, un, "CM")) {
		a->height_cm = val;
	} else if (un == 0) {
		if (canada)
			a->height_cm = val;
		else if (i == 3 && val >= 300 && val < 900 && val % 100 < 12 && a->version <= 3)
			a->height_in = val / 100 * 12 + val % 100;
		else if (val < 100)
			a->height_in = val;
		else if (val <= 250)
			a->height_cm = val;
	}
}

/* ZIP: 5 digits, or ZIP+4 unless the +4 is 0000; Canadian A1A 1A1; else as encoded. */
static void
aamva_postal(struct idv_aamva *a, const char *v, size_t n)
{
	char c[16];
	size_t k = 0;
	bool digits = true;
	for (size_t i = 0; i < n && k < sizeof c; i++) {
		if (v[i] == ' ' || v[i] == '-')
			continue;
		c[k++] = (char)idv_toupper((unsigned char)v[i]);
		if (!idv_isdigit((unsigned char)v[i]))
			digits = false;
	}
	if (digits && k >= 5) {
		if (k >= 9 && memcmp(c + 5, "0000", 4) != 0) {
			memcpy(a->postal_code, c, 5);
			a->postal_code[5] = '-';
			memcpy(a->postal_code + 6, c + 5, 4);
			a->postal_code[10] = '\0';
		} else {
			aamva_copy(a->postal_code, sizeof a->postal_code, c, 5);
		}
		return;
	}
	if (k == 6 && idv_isalpha(c[0]) && idv_isdigit(c[1]) && idv_isalpha(c[2]) &&
	    idv_isdigit(c[3]) && idv_isalpha(c[4]) && idv_isdigit(c[5])) {
		memcpy(a->postal_code, c, 3);
		a->postal_code[3] = ' ';
		memcpy(a->postal_code + 4, c + 3, 3);
		a->postal_code[7] = '\0';
		return;
	}
	aamva_set(a, a->postal_code, sizeof a->postal_code, v, n);
}

static void
aamva_upper_code(char *dst, size_t dstsz, const char *v, size_t n)
{
	if (n >= dstsz)
		n = dstsz - 1;
	for (size_t i = 0; i < n; i++)
		dst[i] = (char)idv_toupper((unsigned char)v[i]);
	dst[n] = '\0';
}

static char
aamva_flag(const struct idv_aamva *a, const char *m, const char *id)
{
	size_t n;
	const char *ids[] = {id, NULL};
	const char *v = aamva_pick(a, m, ids, &n, false);
	if (n == 0)
		return 0;
	int c = idv_toupper((unsigned char)v[0]);
	return c == 'T' || c == 'N' || c == 'U' ? (char)c : 0;
}

/*
 * Some cards repeat the last line of the address ("CITY, ST  ZIP") in DAH: it is not a street
 * line. True when s starts with the city and holds the state and the first 5 of the postal code.
 */
static bool
aamva_is_last_line(const struct idv_aamva *a, const char *s)
{
	size_t cn = strlen(a->city), sn = strlen(s);
	if (cn == 0 || sn < cn || a->state[0] == '\0' || strlen(a->postal_code) < 5)
		return false;
	if (!idv_str_ieq(s, cn, a->city))
		return false;
	bool state = false, zip = false;
	for (size_t i = cn; i + 2 <= sn; i++)
		if (idv_toupper((unsigned char)s[i]) == a->state[0] &&
		    idv_toupper((unsigned char)s[i + 1]) == a->state[1])
			state = true;
	for (size_t i = cn; i + 5 <= sn; i++)
		if (memcmp(s + i, a->postal_code, 5) == 0)
			zip = true;
	return state && zip;
}

/* The country of a state or province code in the IIN table ("" when unknown). */
static const char *
aamva_state_country(const char *state)
{
	if (state[0] == '\0')
		return "";
	for (size_t i = 0; i < IDV_ARRAY_LEN(aamva_iins); i++)
		if (strcmp(aamva_iins[i].code, state) == 0)
			return aamva_iins[i].country;
	return "";
}

static void
aamva_typed(struct idv_aamva *a)
{
	const char *m = NULL;
	for (size_t i = 0; i < a->nsubfiles && m == NULL; i++)
		if (a->subfiles[i].found && (strcmp(a->subfiles[i].type, "DL") == 0 ||
					     strcmp(a->subfiles[i].type, "ID") == 0))
			m = a->subfiles[i].type;
	for (size_t i = 0; i < a->nsubfiles && m == NULL; i++)
		if (a->subfiles[i].found && a->subfiles[i].type[0] != 'Z')
			m = a->subfiles[i].type;
	if (m == NULL)
		return;
	if (strcmp(m, "DL") == 0)
		a->kind = IDV_DOC_DRIVERS_LICENSE;
	else if (strcmp(m, "ID") == 0)
		a->kind = IDV_DOC_ID_CARD;

	size_t n;
	const char *v;
	static const char *const dcg[] = {"DCG", NULL};
	static const char *const daq[] = {"DAQ", NULL};
	static const char *const dbc[] = {"DBC", NULL};
	static const char *const day[] = {"DAY", NULL};
	static const char *const daz[] = {"DAZ", NULL};
	static const char *const st1[] = {"DAG", "DAL", NULL};
	static const char *const st2[] = {"DAH", "DAM", NULL};
	static const char *const cty[] = {"DAI", "DAN", NULL};
	static const char *const sta[] = {"DAJ", "DAO", NULL};
	static const char *const zip[] = {"DAK", "DAP", NULL};

	v = aamva_pick(a, m, sta, &n, false);
	aamva_upper_code(a->state, sizeof a->state, v, n);
	v = aamva_pick(a, m, dcg, &n, false);
	if (n > 0)
		aamva_upper_code(a->country, sizeof a->country, v, n);
	else if (a->jurisdiction_country[0] != '\0')
		idv_strlcpy(a->country, a->jurisdiction_country, sizeof a->country);
	else
		idv_strlcpy(a->country, aamva_state_country(a->state), sizeof a->country);
	bool canada = strcmp(a->country, "CAN") == 0 ||
		      strcmp(a->jurisdiction_country, "CAN") == 0;

	aamva_names(a, m);
	a->family_truncated = aamva_flag(a, m, "DDE");
	a->given_truncated = aamva_flag(a, m, "DDF");
	a->middle_truncated = aamva_flag(a, m, "DDG");

	bool ymd = canada || a->version <= 1;
	aamva_date(a, m, "DBB", ymd, a->date_of_birth);
	aamva_date(a, m, "DBA", ymd, a->expiry_date);
	aamva_date(a, m, "DBD", ymd, a->issue_date);

	v = aamva_pick(a, m, dbc, &n, false);
	if (n > 0) {
		int c = idv_toupper((unsigned char)v[0]);
		if (c == '1' || c == 'M')
			a->sex = 'M';
		else if (c == '2' || c == 'F')
			a->sex = 'F';
		else if (c == '9' || c == 'X')
			a->sex = 'X';
	}
	v = aamva_pick(a, m, day, &n, false);
	if (!aamva_is_none(v, n))
		aamva_copy(a->eye_color, sizeof a->eye_color, v, n);
	v = aamva_pick(a, m, daz, &n, false);
	if (!aamva_is_none(v, n))
		aamva_copy(a->hair_color, sizeof a->hair_color, v, n);
	aamva_height(a, m, canada);

	v = aamva_pick(a, m, daq, &n, false);
	aamva_set(a, a->document_number, sizeof a->document_number, v, n);
	v = aamva_pick(a, m, st1, &n, true);
	aamva_set(a, a->street, sizeof a->street, v, n);
	v = aamva_pick(a, m, st2, &n, true);
	if (!aamva_is_none(v, n))
		aamva_set(a, a->street2, sizeof a->street2, v, n);
	v = aamva_pick(a, m, cty, &n, true);
	aamva_set(a, a->city, sizeof a->city, v, n);
	v = aamva_pick(a, m, zip, &n, false);
	if (n > 0)
		aamva_postal(a, v, n);
	if (aamva_is_last_line(a, a->street2))
		a->street2[0] = '\0';
}

/* ---- entry point ----------------------------------------------------------------------- */

enum idv_err
idv_aamva_parse(const uint8_t *p, size_t len, struct idv_aamva *out)
{
	enum idv_err result = IDV_OK;
	memset(out, 0, sizeof *out);
	out->jurisdiction_version = -1;
	if (p == NULL || len == 0) {
		result = IDV_E_PARSE;
		goto out;
	}
	if (len > IDV_AAMVA_MAX_PAYLOAD) {
		result = IDV_E_TOOBIG;
		goto out;
	}
	struct aamva_in in = {.p = p, .len = len, .sep = AAMVA_LF};
	result = aamva_header_start(&in, out);
	if (result != IDV_OK)
		goto out;
	result = aamva_header_fields(&in, out);
	if (result != IDV_OK)
		goto out;

	/* Locate each declared subfile, in directory order (DL/ID first in practice). */
	bool first = true;
	for (size_t i = 0; i < out->nsubfiles; i++) {
		struct idv_aamva_subfile *sf = &out->subfiles[i];
		if (!aamva_locate(&in, out, sf, first))
			aamva_warn(out, IDV_AAMVA_W_SUBFILE_MISSING);
		first = false;
	}
	aamva_find_undeclared(&in, out);
	aamva_bound(&in, out);
	for (size_t i = 0; i < out->nsubfiles; i++)
		if (out->subfiles[i].found)
			aamva_elements(&in, out, &out->subfiles[i]);
	if (out->nelements == 0) {
		result = IDV_E_PARSE;
		goto out;
	}
	aamva_typed(out);
out:
	if (result != IDV_OK) {
		memset(out, 0, sizeof *out);
		out->jurisdiction_version = -1;
	}
	return result;
}

/* ---- document -------------------------------------------------------------------------- */

#define AAMVA_CONFIDENCE 0.99f

/* USPS Publication 28 secondary unit designators that take a number or letter after them. */
static const char *const aamva_units[] = {
	"APT", "APARTMENT", "UNIT", "STE", "SUITE", "BLDG", "BUILDING", "FL", "FLOOR", "RM",
	"ROOM", "DEPT", "LOT", "SPC", "SPACE", "TRLR", "TRAILER", "HNGR", "PIER", "SLIP",
	"STOP", NULL,
};
/* Designators that stand alone, recognised only as the last word. */
static const char *const aamva_units_alone[] = {
	"BSMT", "FRNT", "LBBY", "LOWR", "OFC", "PH", "REAR", "UPPR", NULL,
};

static bool
aamva_word_in(const char *w, size_t n, const char *const *list)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (idv_str_ieq(w, n, list[i]))
			return true;
	return false;
}

/*
 * Where the unit starts in street s ("123 MAIN ST APT 4B" -> at "APT"), or n when there is
 * none. A designator must follow a house number and a street name (third word or later) and be
 * followed by exactly one word; "#12" and "# 12" count; a stand-alone designator must end it.
 */
static size_t
aamva_unit_at(const char *s, size_t n)
{
	size_t ws[16], we[16], nw = 0, i = 0;
	while (i < n && nw < 16) {
		while (i < n && s[i] == ' ')
			i++;
		if (i >= n)
			break;
		ws[nw] = i;
		while (i < n && s[i] != ' ')
			i++;
		we[nw++] = i;
	}
	if (i < n)
		return n; /* more than 16 words: leave it alone */
	for (size_t k = 2; k < nw; k++) {
		const char *w = s + ws[k];
		size_t wl = we[k] - ws[k];
		size_t after = nw - k - 1;
		if (w[0] == '#' && ((wl > 1 && after == 0) || (wl == 1 && after == 1)))
			return ws[k];
		if (aamva_word_in(w, wl, aamva_units) && after == 1)
			return ws[k];
		if (after == 0 && k >= 2 && aamva_word_in(w, wl, aamva_units_alone))
			return ws[k];
		/* "APT#4", "UNIT#3": designator glued to '#'. */
		const char *hash = memchr(w, '#', wl);
		if (hash != NULL && hash > w && after == 0 &&
		    aamva_word_in(w, (size_t)(hash - w), aamva_units))
			return ws[k];
	}
	return n;
}

static void
aamva_doc_set(struct idv_document *doc, enum idv_field_id id, const char *v)
{
	size_t n = strlen(v);
	if (n > 0)
		idv_document_set(doc, id, v, n, IDV_SRC_PDF417, AAMVA_CONFIDENCE, NULL);
}

static void
aamva_doc_header(const struct idv_aamva *a, struct idv_document *doc)
{
	char list[IDV_CHECK_DETAIL_MAX];
	size_t used = 0;
	bool card = false;
	list[0] = '\0';
	for (unsigned w = 0; w < IDV_AAMVA_W__COUNT; w++) {
		if (!(a->warning_mask & (1u << w)))
			continue;
		if (!idv_aamva_warning_is_capture((enum idv_aamva_warning)w))
			card = true;
		int k = snprintf(list + used, sizeof list - used, "%s%s", used ? "," : "",
				 idv_aamva_warning_name((enum idv_aamva_warning)w));
		if (k < 0 || (size_t)k >= sizeof list - used)
			break;
		used += (size_t)k;
	}
	idv_document_check(doc, "aamva_header", card ? IDV_CHECK_FAIL : IDV_CHECK_PASS,
			   "AAMVA version %02d, IIN %s; %s%s", a->version, a->iin,
			   used ? "deviations: " : "no deviations", list);
}

static void
aamva_doc_iin(const struct idv_aamva *a, struct idv_document *doc)
{
	const struct idv_aamva_jurisdiction *j = idv_aamva_iin_lookup(a->iin);
	if (j == NULL) {
		idv_document_check(doc, "iin_matches_state", IDV_CHECK_FAIL,
				   "IIN %s is not an AAMVA jurisdiction", a->iin);
	} else if (a->state[0] == '\0' || j->code[0] == '\0') {
		idv_document_check(doc, "iin_matches_state", IDV_CHECK_NA,
				   "IIN %s (%s): no address state to compare", a->iin, j->name);
	} else if (idv_aamva_iin_matches_state(a->iin, a->state, strlen(a->state))) {
		idv_document_check(doc, "iin_matches_state", IDV_CHECK_PASS,
				   "IIN %s (%s) matches the address state", a->iin, j->code);
	} else {
		idv_document_check(doc, "iin_matches_state", IDV_CHECK_FAIL,
				   "IIN %s (%s) differs from the address state", a->iin, j->code);
	}
}

static void
aamva_doc_expired(const struct idv_aamva *a, int64_t today_days, struct idv_document *doc)
{
	struct idv_date d;
	if (idv_date_parse(a->expiry_date, strlen(a->expiry_date), &d) != IDV_OK) {
		idv_document_check(doc, "expired", IDV_CHECK_NA, "no valid expiry date");
		return;
	}
	/* Valid through its expiry day. */
	if (idv_date_to_days(&d) >= today_days)
		idv_document_check(doc, "expired", IDV_CHECK_PASS,
				   "not expired: valid through the expiry date");
	else
		idv_document_check(doc, "expired", IDV_CHECK_FAIL,
				   "expired: the expiry date has passed");
}

void
idv_aamva_to_document(const struct idv_aamva *a, int64_t today_days, struct idv_document *doc)
{
	if (a->kind != IDV_DOC_UNKNOWN)
		doc->kind = a->kind;

	aamva_doc_set(doc, IDV_F_FAMILY_NAME, a->family_name);
	char given[IDV_FIELD_VALUE_MAX];
	int k = snprintf(given, sizeof given, "%s%s%s", a->given_name,
			 a->given_name[0] && a->middle_names[0] ? " " : "", a->middle_names);
	if (k < 0)
		given[0] = '\0';
	aamva_doc_set(doc, IDV_F_GIVEN_NAMES, given);
	aamva_doc_set(doc, IDV_F_NAME_SUFFIX, a->name_suffix);
	aamva_doc_set(doc, IDV_F_DATE_OF_BIRTH, a->date_of_birth);
	char sex[2] = {a->sex, '\0'};
	aamva_doc_set(doc, IDV_F_SEX, sex);
	aamva_doc_set(doc, IDV_F_DOCUMENT_NUMBER, a->document_number);
	aamva_doc_set(doc, IDV_F_ISSUING_AUTHORITY, a->jurisdiction);
	aamva_doc_set(doc, IDV_F_ISSUE_DATE, a->issue_date);
	aamva_doc_set(doc, IDV_F_EXPIRY_DATE, a->expiry_date);

	size_t n = strlen(a->street);
	size_t u = aamva_unit_at(a->street, n);
	if (u < n) {
		size_t sn = u;
		const char *s = aamva_trim(a->street, &sn, true);
		if (sn > 0)
			idv_document_set(doc, IDV_F_STREET, s, sn, IDV_SRC_PDF417, AAMVA_CONFIDENCE,
					 NULL);
		size_t un = n - u;
		const char *unit = aamva_trim(a->street + u, &un, true);
		if (un > 0)
			idv_document_set(doc, IDV_F_UNIT, unit, un, IDV_SRC_PDF417,
					 AAMVA_CONFIDENCE, NULL);
	} else {
		aamva_doc_set(doc, IDV_F_STREET, a->street);
		aamva_doc_set(doc, IDV_F_UNIT, a->street2);
	}
	aamva_doc_set(doc, IDV_F_CITY, a->city);
	aamva_doc_set(doc, IDV_F_STATE, a->state);
	aamva_doc_set(doc, IDV_F_POSTAL_CODE, a->postal_code);

	aamva_doc_header(a, doc);
	aamva_doc_iin(a, doc);
	aamva_doc_expired(a, today_days, doc);
}
