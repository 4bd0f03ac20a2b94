/* SPDX-License-Identifier: Apache-2.0 */
/*
 * aamva.h: parse the AAMVA DL/ID card design standard payload of a PDF417 barcode
 * (versions 01-10; header, subfile directory, DL/ID subfiles, data elements).
 * Pure: bytes plus length in, a fixed-size struct out, no allocation.
 *
 * The payload is read as the standard lays it out:
 *   '@' LF RS CR, file type "ANSI " (or the pre-2000 "AAMVA"), IIN (6 digits), AAMVA version
 *   (2 digits), jurisdiction version (2 digits, absent in version 01 and in "AAMVA" headers),
 *   number of entries (2 digits), then one directory entry per subfile: type (2 letters: DL, ID,
 *   Zx), offset and length (4 digits each, offsets counted from '@'); each subfile starts with its
 *   type and holds data elements (3-letter id + value) separated by LF and ends with CR.
 * Real captures deviate (keyboard-wedge scanners, text files, old cards); what the parser
 * tolerates is listed in enum idv_aamva_warning and reported in the output, never silently.
 *
 * Every output string is a NUL-terminated fixed array; an absent value is "". Dates are
 * "YYYY-MM-DD" (valid calendar dates) or "". Values are kept in the case they were encoded in;
 * padding spaces are trimmed from the typed fields (the raw elements keep them).
 */
#ifndef IDVERIFY_AAMVA_H
#define IDVERIFY_AAMVA_H

#include "idverify/document.h"

#define IDV_AAMVA_MAX_WARNINGS 8   /* warnings[] keeps the first ones; warning_mask has them all */
#define IDV_AAMVA_WARNING_MAX 24   /* longest warning code + NUL */
#define IDV_AAMVA_MAX_SUBFILES 8   /* directory entries kept */
#define IDV_AAMVA_MAX_ELEMENTS 96  /* data elements kept, all subfiles together */
#define IDV_AAMVA_VALUE_MAX 128    /* raw element value + NUL */
#define IDV_AAMVA_NAME_MAX 64
#define IDV_AAMVA_ADDR_MAX 64
#define IDV_AAMVA_MAX_PAYLOAD 65536 /* larger inputs are refused (a PDF417 holds < 3 KB) */

/*
 * Deviations from the standard that the parser tolerated. "Capture" deviations are what
 * scanners and text files do to a correct barcode; the others are defects of the encoding on
 * the card itself (idv_aamva_warning_is_capture tells which).
 */
enum idv_aamva_warning {
	/* Capture deviations. */
	IDV_AAMVA_W_LEADING_BOM = 0,  /* "leading_bom": UTF-8 BOM before '@' */
	IDV_AAMVA_W_LEADING_SPACE,    /* "leading_space": white space or NULs before '@' */
	IDV_AAMVA_W_NO_COMPLIANCE,    /* "no_compliance_indicator": no '@' */
	IDV_AAMVA_W_NO_RECORD_SEP,    /* "no_record_separator": RS missing in the header */
	IDV_AAMVA_W_NO_SEGMENT_TERM,  /* "no_segment_terminator": CR missing in the header */
	IDV_AAMVA_W_LF_FOR_CR,        /* "lf_for_cr": LF where the segment terminator CR is */
	IDV_AAMVA_W_CR_FOR_LF,        /* "cr_for_lf": CR where the element separator LF is */
	IDV_AAMVA_W_SEPARATOR,        /* "nonstandard_separator": another declared one, e.g. | */
	IDV_AAMVA_W_HEADER_JUNK,      /* "header_junk": other bytes between '@' and file type */
	IDV_AAMVA_W_LOWERCASE,        /* "lowercase": lower-case file type, subfile types, ids */
	IDV_AAMVA_W_BAD_CHAR,         /* "bad_char": control or non-ASCII bytes dropped */
	IDV_AAMVA_W_TRUNCATED,        /* "truncated": the payload ends before a declared end */
	IDV_AAMVA_W_TRAILING_GARBAGE, /* "trailing_garbage": bytes after the last subfile */
	/* Defects of the card's encoding. */
	IDV_AAMVA_W_OLD_HEADER,       /* "old_header": "AAMVA" file type instead of "ANSI " */
	IDV_AAMVA_W_VERSION,          /* "version_unknown": AAMVA version outside 01-10 */
	IDV_AAMVA_W_DIRECTORY_SHORT,  /* "directory_short": fewer valid entries than declared */
	IDV_AAMVA_W_OFFSET_BY_ONE,    /* "offset_off_by_one": a subfile 1 byte from its offset */
	IDV_AAMVA_W_OFFSET_WRONG,     /* "offset_wrong": a subfile found away from its offset */
	IDV_AAMVA_W_TYPE_MISSING,     /* "subfile_type_missing": subfile data without its type */
	IDV_AAMVA_W_SUBFILE_MISSING,  /* "subfile_missing": a directory entry with no subfile */
	IDV_AAMVA_W_BAD_ELEMENT,      /* "bad_element": a line that is not a data element */
	IDV_AAMVA_W_BAD_DATE,         /* "bad_date": a date element that is not a date */
	IDV_AAMVA_W_DATE_FORMAT,      /* "date_format": a date in the other order than expected */
	IDV_AAMVA_W_OVERFLOW,         /* "overflow": more subfiles/elements/bytes than kept */
	IDV_AAMVA_W__COUNT
};
/* True for an issuer's deviation seen on genuine cards (an old header, an unknown version, a
 * short directory, a subfile offset off by one): read leniently, reported, not failed. */
bool idv_aamva_warning_is_lenient(enum idv_aamva_warning w);

/* The short code of a warning ("leading_bom", ...); "unknown" when out of range. */
const char *idv_aamva_warning_name(enum idv_aamva_warning w);

/* True for deviations a scanner or a text file introduces into a correct barcode. */
bool idv_aamva_warning_is_capture(enum idv_aamva_warning w);

struct idv_aamva_subfile {
	char type[3];         /* "DL", "ID", "ZV", ... (upper case) */
	bool declared;        /* from the directory (false: found without an entry) */
	uint32_t offset;      /* as declared (counted from '@'); 0 when not declared */
	uint32_t length;      /* as declared; 0 when not declared */
	bool found;           /* located in the input */
	bool typed;           /* it began with its type, as it should (2 bytes before start) */
	size_t start, end;    /* elements are in p[start..end) of the input, when found */
};

struct idv_aamva_element {
	char subfile[3];                 /* type of the subfile it came from */
	char id[4];                      /* "DAQ", "ZVA", ... (upper case) */
	char value[IDV_AAMVA_VALUE_MAX]; /* raw value, padding kept; control bytes dropped */
};

struct idv_aamva {
	/* Header. */
	char file_type[6];        /* "ANSI " or "AAMVA" */
	char iin[7];              /* issuer identification number, 6 digits */
	int version;              /* AAMVA version as encoded (1..10 expected) */
	int jurisdiction_version; /* -1 when the header has none */
	int entries;              /* number of entries declared */

	/* The jurisdiction the IIN belongs to (idv_aamva_iin_lookup); "" when unknown. */
	char jurisdiction[3];       /* "VA", "ON", ... */
	char jurisdiction_country[4]; /* "USA" or "CAN" */

	enum idv_doc_kind kind;   /* DRIVERS_LICENSE (DL subfile), ID_CARD (ID) or UNKNOWN */

	struct idv_aamva_subfile subfiles[IDV_AAMVA_MAX_SUBFILES];
	size_t nsubfiles;
	struct idv_aamva_element elements[IDV_AAMVA_MAX_ELEMENTS];
	size_t nelements;

	/* Typed fields, from the DL or ID subfile. */
	char family_name[IDV_AAMVA_NAME_MAX];  /* DCS; DAB; DAA (version 01) */
	char given_name[IDV_AAMVA_NAME_MAX];   /* DAC; first of DCT; from DAA */
	char middle_names[IDV_AAMVA_NAME_MAX]; /* DAD; rest of DCT; from DAA (space separated) */
	char name_suffix[16];                  /* DCU; DAE; from DAA */
	char family_truncated;                 /* DDE: 'T', 'N', 'U', or 0 when absent */
	char given_truncated;                  /* DDF */
	char middle_truncated;                 /* DDG */
	char date_of_birth[11];                /* DBB */
	char expiry_date[11];                  /* DBA */
	char issue_date[11];                   /* DBD */
	char sex;                              /* DBC: 'M', 'F', 'X', or 0 */
	char eye_color[8];                     /* DAY as encoded: "BRO", "BLU", ... */
	char hair_color[8];                    /* DAZ as encoded */
	int height_in;                         /* DAU in inches, 0 when absent or metric */
	int height_cm;                         /* DAU in centimetres, 0 when absent or imperial */
	char document_number[32];              /* DAQ */
	char street[IDV_AAMVA_ADDR_MAX];       /* DAG (DAL: version 01 residence address) */
	char street2[IDV_AAMVA_ADDR_MAX];      /* DAH (DAM) */
	char city[48];                         /* DAI (DAN) */
	char state[4];                         /* DAJ (DAO) */
	char postal_code[16];                  /* DAK (DAP): "12345", "12345-6789", "A1A 1A1" */
	char country[4];                       /* DCG, else the IIN's country */

	/* Deviations tolerated, in the order met (each code once). */
	uint32_t warning_mask; /* bit (1u << enum idv_aamva_warning) */
	char warnings[IDV_AAMVA_MAX_WARNINGS][IDV_AAMVA_WARNING_MAX];
	size_t nwarnings;
};

/*
 * Parse p[0..len). IDV_OK with *out filled (deviations from the standard that were tolerated are
 * listed as warnings); IDV_E_PARSE when it is not an AAMVA payload at all or is unusable (no
 * header, or not a single data element); IDV_E_TOOBIG over IDV_AAMVA_MAX_PAYLOAD. p may hold
 * NULs and need not be NUL-terminated. On error *out is zeroed (all strings "").
 */
enum idv_err idv_aamva_parse(const uint8_t *p, size_t len, struct idv_aamva *out);

/*
 * Copy what was parsed into a document: kind (drivers_license or id_card), fields with source
 * pdf417, and the checks aamva_header, iin_matches_state and expired (against today_days,
 * days since 1970-01-01).
 *  - aamva_header: pass when the only deviations are capture ones; detail lists every warning.
 *  - iin_matches_state: pass when the IIN's jurisdiction is the address state (DAJ); fail when
 *    they differ or the IIN is unknown; not_applicable without an address state.
 *  - expired: pass means NOT expired (expiry date today or later); fail when expired;
 *    not_applicable without a valid expiry date.
 * The street is split into street and unit ("123 MAIN ST APT 4B" -> "123 MAIN ST", "APT 4B");
 * without a unit in the street, DAH is the unit.
 */
void idv_aamva_to_document(const struct idv_aamva *a, int64_t today_days,
			   struct idv_document *doc);

/* A row of the IIN table (AAMVA member jurisdictions: US states, DC, territories, Canada). */
struct idv_aamva_jurisdiction {
	const char *iin;     /* "636014" */
	const char *code;    /* "CA"; "" for issuers without a state (US Department of State) */
	const char *name;    /* "California" */
	const char *country; /* "USA" or "CAN" */
};

/* The jurisdiction of an IIN given as 6 bytes (no NUL needed), or NULL when unknown. */
const struct idv_aamva_jurisdiction *idv_aamva_iin_lookup(const char *iin6);

/* The whole table and its size (for tests and listings). */
const struct idv_aamva_jurisdiction *idv_aamva_iin_table(size_t *n);

/*
 * True when the IIN (6 bytes) is a known jurisdiction whose code equals state[0..len)
 * (case-insensitive, surrounding spaces ignored).
 */
bool idv_aamva_iin_matches_state(const char *iin6, const char *state, size_t len);

#endif
