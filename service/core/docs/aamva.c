/* SPDX-License-Identifier: Apache-2.0 */
/*
 * aamva.c: the AAMVA DL/ID card design standard barcode payload (PDF417), versions 01 (2000)
 * to 10 (2020): header, subfile directory, DL/ID and jurisdiction (Zx) subfiles, data elements,
 * and the IIN-to-jurisdiction table. Exports idv_aamva_* (see aamva.h). Pure: no allocation,
 * no I/O, no clock; every offset and length read from the payload is checked against len.
 *
 * The parser is lenient on purpose: barcodes reach us through scanners in keyboard mode, text
 * files and copy-paste, which drop or rewrite control characters. Each tolerated deviation is
 * recorded as a warning so that the aamva_header check and reviewers see it. The typed fields
 * are read in aamva_fields.c, the document reading made in aamva_doc.c.
 */
#include "idverify/aamva.h"
#include "idverify/aamva_fields.h"
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

/* capture: a scanner's or decoder's artefact; lenient: an issuer's deviation seen on genuine
 * cards (read with a warning that alone does not fail the header check). */
static const struct {
	const char *name;
	bool capture;
	bool lenient;
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
	[IDV_AAMVA_W_OLD_HEADER] = {"old_header", false, true},
	[IDV_AAMVA_W_VERSION] = {"version_unknown", false, true},
	[IDV_AAMVA_W_DIRECTORY_SHORT] = {"directory_short", false, true},
	[IDV_AAMVA_W_OFFSET_BY_ONE] = {"offset_off_by_one", false, true},
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

bool
idv_aamva_warning_is_lenient(enum idv_aamva_warning w)
{
	return (unsigned)w < IDV_AAMVA_W__COUNT && aamva_warnings[w].lenient;
}

void
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
const char *
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
bool
aamva_copy(char *dst, size_t dstsz, const char *s, size_t n)
{
	bool fits = n < dstsz;
	if (!fits)
		n = dstsz - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return fits;
}

bool
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
