/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mrz.h: ICAO 9303 machine-readable zones: TD1 (3x30), TD2 (2x36), TD3 (2x44), MRV-A (2x44),
 * MRV-B (2x36). Parsing, check digits (7-3-1) and composite, OCR-confusion repair proven by the
 * check digits. Pure: text plus length in, a fixed-size struct out, no allocation.
 *
 * Specification: ICAO Doc 9303, 8th edition, Part 3 (check digits, character set), Part 4 (TD3),
 * Part 5 (TD1), Part 6 (TD2), Part 7 (MRV-A, MRV-B).
 *
 * Usage: idv_mrz_parse() then, for OCR output, idv_mrz_repair(), then idv_mrz_to_document().
 * Nothing here allocates, reads the clock or logs; struct idv_mrz is plain data that may be
 * copied with memcpy. Every string in it is NUL-terminated within its array.
 */
#ifndef IDVERIFY_MRZ_H
#define IDVERIFY_MRZ_H

#include "idverify/document.h"
#include "idverify/str.h"

enum idv_mrz_format {
	IDV_MRZ_NONE = 0,
	IDV_MRZ_TD1,  /* 3 x 30: identity cards; document code A, C or I */
	IDV_MRZ_TD2,  /* 2 x 36: identity cards; first character not V */
	IDV_MRZ_TD3,  /* 2 x 44: passports; first character not V */
	IDV_MRZ_MRVA, /* 2 x 44 visa, first character V */
	IDV_MRZ_MRVB, /* 2 x 36 visa, first character V */
	IDV_MRZ__COUNT
};

/* "none", "TD1", "TD2", "TD3", "MRVA", "MRVB" (the names of struct idv_mrz_info.format). */
const char *idv_mrz_format_name(enum idv_mrz_format f);

/* The check digits an MRZ may carry. Which apply depends on the format. */
enum idv_mrz_digit_id {
	IDV_MRZ_CD_NUMBER = 0, /* document number (every format) */
	IDV_MRZ_CD_BIRTH,      /* date of birth (every format) */
	IDV_MRZ_CD_EXPIRY,     /* date of expiry (every format) */
	IDV_MRZ_CD_PERSONAL,   /* personal number / optional data: TD3 only */
	IDV_MRZ_CD_COMPOSITE,  /* composite: TD1, TD2, TD3; never visas */
	IDV_MRZ_CD__COUNT
};

/* "document_number", "birth_date", "expiry_date", "personal_number", "composite". */
const char *idv_mrz_digit_name(enum idv_mrz_digit_id id);

struct idv_mrz_digit {
	bool applicable; /* the format has this check digit */
	char given;      /* the character in the check-digit position ('0'..'9', '<', or as read) */
	char expected;   /* '0'..'9' computed over the field(s) */
	bool valid;      /* given matches (see idv_mrz_parse for the accepted variants) */
};

/* Bits of struct idv_mrz.invalid_fields: fields whose characters do not fit their type. */
#define IDV_MRZ_BAD_CODE 0x01u        /* document code: a letter, then a letter or '<' */
#define IDV_MRZ_BAD_STATE 0x02u       /* issuing state: letters and fillers */
#define IDV_MRZ_BAD_NATIONALITY 0x04u /* nationality: letters and fillers */
#define IDV_MRZ_BAD_NAME 0x08u        /* name: letters and fillers */
#define IDV_MRZ_BAD_SEX 0x10u         /* sex: M, F, X or '<' */
#define IDV_MRZ_BAD_BIRTH 0x20u       /* date of birth: YYMMDD with a valid month and day */
#define IDV_MRZ_BAD_EXPIRY 0x40u      /* expiry: YYMMDD with a valid month and day, or all '<' */

#define IDV_MRZ_NAME_MAX 40     /* longest name field (TD3: 39) + NUL */
#define IDV_MRZ_NUMBER_MAX 32   /* 9 principal characters + up to 14 continued + NUL */
#define IDV_MRZ_OPTIONAL_MAX 20 /* longest optional field (MRV-A: 16) + NUL */

struct idv_mrz {
	enum idv_mrz_format format;
	size_t nlines;   /* 2 or 3 */
	size_t line_len; /* 30, 36 or 44 */
	/*
	 * raw: the lines as recognised, after the only normalisation the parser does (white
	 * space removed, lower case folded to upper case). lines: after idv_mrz_repair (equal to
	 * raw until then). Every field below is decoded from lines.
	 */
	char raw[IDV_MRZ_MAX_LINES][IDV_MRZ_LINE_MAX];
	char lines[IDV_MRZ_MAX_LINES][IDV_MRZ_LINE_MAX];
	bool repaired;      /* lines differ from raw */
	unsigned nrepaired; /* number of characters that differ */

	char document_code[3];  /* fillers removed: "P", "I", "ID", "PT", "V", "IP" ... */
	char issuing_state[4];  /* fillers removed: "UTO", "D" */
	char nationality[4];    /* fillers removed */
	char primary[IDV_MRZ_NAME_MAX];   /* primary identifier (family name), fillers as spaces */
	char secondary[IDV_MRZ_NAME_MAX]; /* secondary identifier (given names), fillers as spaces */
	bool name_truncated;    /* the name field is full (its last character is not a filler) */
	/*
	 * Document number, trailing fillers removed. For a TD1 or TD2 number longer than 9
	 * characters (a '<' in the check-digit position), the continuation from the optional
	 * data is appended (without its check digit) and number_extended is set.
	 */
	char document_number[IDV_MRZ_NUMBER_MAX];
	bool number_extended;
	char birth[7];          /* YYMMDD as in the MRZ (may hold '<' for unknown parts) */
	char expiry[7];         /* YYMMDD as in the MRZ; "<<<<<<" when the document has none */
	char sex;               /* 'M', 'F', 'X', '<' (unspecified), or the character read */
	/*
	 * Optional data with trailing fillers removed (inner fillers kept): TD1 line 1 positions
	 * 16-30 (including any document-number continuation), TD2 and visa optional data, TD3
	 * personal number. optional2: TD1 line 2 positions 19-29; empty otherwise.
	 */
	char optional1[IDV_MRZ_OPTIONAL_MAX];
	char optional2[IDV_MRZ_OPTIONAL_MAX];

	struct idv_mrz_digit digits[IDV_MRZ_CD__COUNT];
	bool check_digits_valid; /* every applicable check digit is valid */
	unsigned searched;       /* bit (1 << IDV_MRZ_CD_*): alphanumeric characters under that
				    check digit were changed by the repair search */
	unsigned invalid_fields; /* IDV_MRZ_BAD_* bits */
};

/*
 * The 7-3-1 check digit (0..9) of s[0..len): '0'..'9' count 0..9, 'A'..'Z' 10..35, '<' 0.
 * -1 when len is 0 or s holds any other character (lower case included).
 */
int idv_mrz_check_digit(const char *s, size_t len);

/*
 * Parse lines separated by LF or CRLF. Tolerated: blank lines, white space anywhere (removed:
 * OCR inserts spaces inside lines), lower case (folded). After that the text must be exactly
 * 3 lines of 30, 2 lines of 36 or 2 lines of 44 characters from A-Z, 0-9 and '<', the first
 * character of line 1 a letter or a digit; anything else (NUL bytes, other characters, wrong
 * counts or lengths) is IDV_E_PARSE and leaves *out zeroed.
 *
 * A parsed MRZ is returned with IDV_OK even when its check digits fail: see
 * check_digits_valid and digits[]. Accepted check-digit variants:
 *  - a check digit of '<' is accepted for a date or TD3 personal number made only of fillers
 *    (ICAO allows it for an empty personal number; an MRZ with no expiry date has "<<<<<<"
 *    and '0' or '<'); never for the document number or the composite;
 *  - a TD1 or TD2 document number of more than 9 characters: '<' in the check-digit position,
 *    the rest of the number in the optional data, followed by its check digit. The digit is
 *    accepted when computed over the number without the filler (ICAO) or, as some issuers
 *    print it, with the filler at position 15 included.
 * text need not be NUL-terminated; out may not be NULL.
 */
enum idv_err idv_mrz_parse(const char *text, size_t len, struct idv_mrz *out);

/*
 * Repair OCR confusions (0/O/D/Q, 1/I, 2/Z, 5/S, 6/G, 8/B; C or L read for a trailing '<')
 * where the field type and the check digits prove the repair; raw is kept.
 *  - Alphabetic positions (document code, states, names) have no check digit: a digit there
 *    is impossible, so one with a letter twin becomes that letter.
 *  - Numeric positions (dates, check digits): a letter with a digit twin becomes that digit.
 *  - Alphanumeric fields covered by a failing check digit (document number, TD3 personal
 *    number; TD1/TD2 optional data when only the composite fails): every combination of their
 *    ambiguous characters (each confusion both ways) is tried, bounded at 4096 combinations,
 *    and the result is accepted only when exactly one combination makes every check digit
 *    valid and that combination changes a single character. So any number of confusions is
 *    never repaired wrongly; a misreading outside the confusions (a digit for another digit)
 *    can still be, a few times in a hundred (measured in tests/unit/test_mrz.c): such fields
 *    are marked in searched and idv_mrz_to_document gives them confidence 0.8, not 0.99.
 *    6/G and K/'<' have equal values modulo 10: no check digit can tell them apart, so they
 *    are never changed in these fields (nor detected: an MRZ misread that way verifies).
 *    The composite adds nothing for the document number (same weights at the same offsets).
 *  - A changed character covered by a check digit is kept only when that check digit (the
 *    field's own; the composite for optional data) verifies afterwards: no unproven change
 *    survives, and the MRZ is reported as failing.
 * Returns IDV_OK when every check digit is valid afterwards, IDV_E_CHECKSUM when some still
 * fail (the struct then holds the proven repairs only), IDV_E_INVAL for an unparsed struct.
 * Repairing twice is harmless (the second call changes nothing).
 */
enum idv_err idv_mrz_repair(struct idv_mrz *mrz);

/*
 * Two-digit years (yymmdd: 6 characters), resolved against today_days (days since 1970-01-01):
 *  - birth: the latest date with that YYMMDD that is not after today (so a birth date is
 *    never in the future; at most 99 years and some days back);
 *  - expiry: the year ending in YY within [today's year - 79, today's year + 20]; if a birth
 *    date is given and the result falls before it, 100 years later.
 * IDV_E_INVAL when yymmdd is not 6 digits forming a valid date in that year.
 */
enum idv_err idv_mrz_birth_date(const char *yymmdd, int64_t today_days, struct idv_date *out);
enum idv_err idv_mrz_expiry_date(const char *yymmdd, int64_t today_days,
				 const struct idv_date *birth, struct idv_date *out);

/*
 * Fields (source mrz) and checks (mrz_check_digits, expired) into a document; two-digit years
 * resolved against today_days as above. Kind: passport for document code P, id_card for TD1
 * and TD2 with code A, C or I; a visa (MRV-A, MRV-B) is not an identity document by itself: its
 * kind stays unknown and a check "mrz_visa" (not_applicable) says so; any other code: unknown.
 * Fields: family_name, given_names, date_of_birth, sex (M, F, X only), document_number,
 * issuing_authority, nationality, expiry_date. Confidence 0.99 for fields covered by a valid
 * check digit, 0.3 for fields whose check digit fails, 0.9 for fields that have none (names,
 * sex, states; 0.6 for a truncated name; 0.8 for a field the repair search changed). Dates that are not valid dates are not set.
 * Checks: mrz_check_digits (which digits failed, never their values) and expired (pass =
 * expires today or later; not_applicable without a readable expiry date). doc->mrz is filled.
 */
void idv_mrz_to_document(const struct idv_mrz *m, int64_t today_days, struct idv_document *doc);

#endif
