/* SPDX-License-Identifier: Apache-2.0 */
/*
 * name.h: normalising and comparing personal names. Pure: no allocation, no I/O.
 *
 * Normalisation folds UTF-8 to upper-case ASCII tokens: Latin letters with diacritics lose them
 * (e-acute -> E, u-umlaut -> U, sharp s -> SS, AE ligature -> AE, thorn -> TH), combining marks
 * are dropped, apostrophes vanish (O'Brien -> OBRIEN), other punctuation separates tokens
 * (Garcia-Lopez -> GARCIA LOPEZ). A second, ICAO 9303 transliteration is kept as well (u-umlaut
 * -> UE, o-umlaut -> OE, a-umlaut -> AE, a-ring -> AA, o-slash -> OE), so that the MUELLER of a
 * passport's MRZ matches the MUELLER typed as MULLER-with-umlaut. Characters that are not Latin
 * letters are kept as "#<hex>" so that two different non-Latin names never fold to the same
 * (empty) string.
 *
 * Comparison: case, accents, punctuation, hyphenated and multi-part family names (GARCIA LOPEZ
 * vs GARCIA), generational suffixes (JR, SR, II, III, IV, V; a conflict is a reason code),
 * initials (J vs JOHN), given/family order swaps, nicknames from a table (models/nicknames.csv,
 * parsed by idv_nicknames_parse) and Jaro-Winkler for typos.
 */
#ifndef IDVERIFY_NAME_H
#define IDVERIFY_NAME_H

#include "idverify/reason.h"

#define IDV_NAME_MAX_TOKENS 8
#define IDV_NAME_TOKEN_MAX 32
#define IDV_NAME_SUFFIX_MAX 8

/* Fold flags. */
#define IDV_FOLD_ICAO 0x1u    /* ICAO 9303 transliteration (UE, OE, AE, AA) */
#define IDV_FOLD_ADDRESS 0x2u /* keep '-' and '/' inside tokens and '#' as its own token */

/*
 * Fold p[0..len) (UTF-8) into out: upper-case ASCII letters and digits in tokens separated by
 * single spaces, no leading or trailing space. IDV_E_PARSE on invalid UTF-8 (out is then
 * empty); IDV_E_TOOBIG when out was too small (out holds what fitted, ending on a token).
 */
enum idv_err idv_name_fold(const char *p, size_t len, unsigned flags, char *out, size_t outsz);

struct idv_name_tokens {
	size_t n;
	char tok[IDV_NAME_MAX_TOKENS][IDV_NAME_TOKEN_MAX];
};

/* Split a folded string (as written by idv_name_fold) into tokens; extra tokens are dropped,
 * long ones truncated. */
void idv_name_tokens_split(const char *folded, struct idv_name_tokens *out);

/* A parsed name: [0] simple fold, [1] ICAO transliteration. */
struct idv_name {
	struct idv_name_tokens given[2];  /* given and middle names */
	struct idv_name_tokens family[2];
	char suffix[IDV_NAME_SUFFIX_MAX]; /* "JR", "SR", "II", "III", "IV", "V" or "" */
};

/*
 * Parse a name from its parts (each NUL-terminated, may be NULL or empty). middle is appended
 * to given. A generational suffix is taken from suffix, or else from the end of the family
 * name (SMITH JR) or of the given names (JOHN JR); JUNIOR/SENIOR/2ND/3RD/4TH are normalised.
 * Titles (MR, MRS, MS, DR...) before a given name and ESQ/MD/PHD after a family name are
 * dropped. IDV_E_PARSE when a part is not valid UTF-8 (out is then empty).
 */
enum idv_err idv_name_parse(const char *given, const char *middle, const char *family,
			    const char *suffix, struct idv_name *out);

/* True when the name has neither given nor family tokens. */
bool idv_name_empty(const struct idv_name *n);

/* Jaro-Winkler similarity of two ASCII strings (prefix scale 0.1, prefix up to 4), in [0,1]. */
double idv_jaro_winkler(const char *a, size_t alen, const char *b, size_t blen);

/* True when a and b differ by at most one insertion, deletion, substitution or swap of two
 * adjacent characters (Damerau-Levenshtein distance <= 1). */
bool idv_one_edit(const char *a, size_t alen, const char *b, size_t blen);

/* ---- Nicknames ---- */

#define IDV_NICKNAMES_MAX 1024
#define IDV_NICKNAME_LEN 24

struct idv_nickname_pair {
	char nick[IDV_NICKNAME_LEN];   /* folded, upper case */
	char formal[IDV_NICKNAME_LEN];
};

struct idv_nicknames {
	size_t n;
	struct idv_nickname_pair pairs[IDV_NICKNAMES_MAX];
};

/*
 * Parse the nickname table: CSV rows "nickname,formal" (a header row starting with
 * "nickname" and rows whose first cell starts with '#' are skipped). Each value must fold to a
 * single token. IDV_E_PARSE (bad row) or IDV_E_TOOBIG (more than IDV_NICKNAMES_MAX pairs) with
 * the line in *err_line (when not NULL).
 */
enum idv_err idv_nicknames_parse(const uint8_t *p, size_t len, struct idv_nicknames *out,
				 size_t *err_line);

/*
 * How two folded given names relate through the table: 0.9 when one is a nickname of the other
 * (BILL, WILLIAM), 0.85 when both are nicknames of one formal name (BILL, WILL), else 0.
 * table may be NULL (always 0).
 */
double idv_nickname_score(const struct idv_nicknames *table, const char *a, const char *b);

/* ---- Comparison ---- */

/*
 * Compare two parsed names; nick may be NULL. Scores: EXACT 1.0, TRANSLITERATION 1.0,
 * NICKNAME 0.9/0.85, FAMILY_PARTIAL 0.9, MIDDLE_AS_GIVEN 0.85, INITIAL 0.8, TYPO (the
 * Jaro-Winkler value, >= 0.88 for family and 0.9 for given names), SWAPPED (the swapped score
 * times 0.95), SUFFIX_CONFLICT 0.3, MIDDLE_CONFLICT 0.5, MISMATCH/MISSING 0. The score of a
 * whole name is the lower of its given and family scores, with that part's reason.
 */
void idv_name_compare(const struct idv_name *a, const struct idv_name *b,
		      const struct idv_nicknames *nick, struct idv_match *out);

/*
 * Compare a name written in one string (a proof of residence's holder line, a declaration's
 * typed name) against a parsed name. "FAMILY, GIVEN" is understood; without a comma every split
 * into given and family is tried. Several holders separated by ';' or '&' or " AND " are each
 * tried; the best match wins.
 */
void idv_name_compare_full(const char *full, const struct idv_name *b,
			   const struct idv_nicknames *nick, struct idv_match *out);

#endif
