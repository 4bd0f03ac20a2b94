/* SPDX-License-Identifier: Apache-2.0 */
/*
 * aamva_fields.c: the typed fields of an AAMVA payload (aamva.h): names, dates, height, postal
 * code, address and flags, read from the data elements of the DL/ID or ID subfile that
 * aamva.c located. Pure, no allocation; tolerated deviations are recorded as warnings.
 */
#include "idverify/aamva_fields.h"
#include "idverify/str.h"

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
	return y >= 1800 && y <= 2299 && idv_date_make(y, m, dd, out) == IDV_OK;
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
	size_t n;
	const struct idv_aamva_jurisdiction *iins = idv_aamva_iin_table(&n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(iins[i].code, state) == 0)
			return iins[i].country;
	return "";
}

void
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
	bool canada = strcmp(a->country, "CAN") == 0 || strcmp(a->jurisdiction_country, "CAN") == 0;

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
