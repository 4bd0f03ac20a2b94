/* SPDX-License-Identifier: Apache-2.0 */
/*
 * residence.h: proofs of residence (utility and mobile phone bills, leases, insurance
 * declarations, property tax bills) read from words with boxes: OCR words (struct idv_ocr_word)
 * or the words of a PDF's text layer, which the PDF reader hands over in the same struct.
 *
 * The reader is layout-aware: words are grouped into lines and lines are split into column
 * segments at wide gaps, so "Service address: 12 Elm St        Remit to: PO Box 5" becomes two
 * segments. Labels ("Service address", "Premises", "Named insured", "Tenant", "Property
 * location", "Account holder", "Statement date" ...) are found and their values read to the
 * right or below. Addresses under a remit-to, mailing, payment, landlord, lender or agent label,
 * and post-office boxes, are never taken for the holder's address.
 *
 * Pure: no allocation, no time; the caller owns every struct (they are large: allocate them on
 * the heap). Every string is NUL-terminated and truncated to its array.
 */
#ifndef IDVERIFY_RESIDENCE_H
#define IDVERIFY_RESIDENCE_H

#include "idverify/document.h"
#include "idverify/words.h"
#include "idverify/str.h"

#define IDV_RES_MAX_LINES 512
#define IDV_RES_LINE_MAX 192
#define IDV_RES_MAX_HOLDERS 4
#define IDV_RES_NAME_MAX 96

/* One line segment of a page: words of one text line with no wide gap between them. */
struct idv_res_line {
	char text[IDV_RES_LINE_MAX]; /* words joined by one space */
	struct idv_box box;
	int height;                  /* median word height, the "font size" */
	int level;                   /* the y of the box's centre with the page's skew taken out:
					rows and columns compare it */
};

struct idv_res_page {
	struct idv_res_line lines[IDV_RES_MAX_LINES]; /* in reading order: top to bottom, left to right */
	size_t nlines;
	int width, height; /* of the page the boxes refer to (0 when unknown) */
};

/*
 * Group words into line segments. Words that carry tesseract's block and line numbers are grouped
 * by them; words whose line is -1 (PDF text) are grouped by vertical overlap. A line is split where
 * the gap between two words exceeds gap_factor (0 = 2.5) times the line's height. Words beyond
 * IDV_RES_MAX_LINES segments are dropped (IDV_E_TOOBIG is returned, the page is still usable).
 * Empty words and words with w == 0 or h == 0 are ignored. The page's skew (a scan or photo a
 * degree or two off level) is measured along the lines' words and taken out of their level.
 */
enum idv_err idv_res_page_from_words(const struct idv_ocr_word *words, size_t nwords, int width,
				     int height, float gap_factor, struct idv_res_page *out);

struct idv_residence {
	enum idv_residence_kind kind;
	char holders[IDV_RES_MAX_HOLDERS][IDV_RES_NAME_MAX];
	size_t nholders;
	struct idv_box holder_box;
	bool holder_from_label;       /* false: taken from the addressee block */
	char street[IDV_FIELD_VALUE_MAX];
	char unit[32];
	char city[64];
	char state[3];
	char postal_code[11];          /* 12345 or 12345-6789 */
	bool has_address;
	bool address_from_label;       /* false: the addressee block (mailing address of a street) */
	struct idv_box address_box;
	struct idv_date statement_date;
	bool has_date;
	bool date_from_label;
	struct idv_box date_box;
	char issuer[IDV_RES_NAME_MAX];
	struct idv_box issuer_box;
};

/*
 * Read a page. IDV_OK when something was found (check has_address, nholders, has_date);
 * IDV_E_PARSE when the page holds no address, no holder and no date at all. today_days
 * (idv_date_to_days; 0 = unknown) bounds the statement date: a page is never dated after it.
 */
enum idv_err idv_residence_parse(const struct idv_res_page *page, int64_t today_days,
				 struct idv_residence *out);

/*
 * Parse a date as printed on bills: "March 5, 2025", "Mar 5 2025", "5 March 2025",
 * "03/05/2025", "03-05-2025", "03/05/25" (US month first; years 00-69 -> 20xx), "2025-03-05".
 * The date must fill p[0..len) apart from surrounding spaces and punctuation.
 */
enum idv_err idv_residence_parse_date(const char *p, size_t len, struct idv_date *out);

/* Find the first date inside p[0..len): *off and *dlen give where it was. */
bool idv_residence_find_date(const char *p, size_t len, struct idv_date *out, size_t *off,
			     size_t *dlen);

/* Holder names (joined with "; "), address fields, statement date and issuer into doc, with source
 * src (IDV_SRC_OCR or IDV_SRC_PDF_TEXT); sets doc->kind and doc->residence_kind. */
void idv_residence_to_document(const struct idv_residence *r, enum idv_source src,
			       struct idv_document *doc);

/* What a deployment accepts. */
struct idv_residence_policy {
	int max_age_days;        /* statement_recent: 0 = 90 */
	uint32_t accepted_kinds; /* bit (1u << kind); 0 = utility, mobile phone, lease, insurance,
				    property tax */
};

#define IDV_RES_DEFAULT_MAX_AGE_DAYS 90

/*
 * Checks on a proof of residence already in doc: statement_recent (statement date at most
 * max_age_days before today_days and not more than one day after it; fails when no date was
 * read) and residence_kind_accepted.
 */
void idv_residence_checks(struct idv_document *doc, int64_t today_days,
			  const struct idv_residence_policy *policy);

/* Parse "utility_bill,lease" (names of idv_residence_kind_name) into a bit set; IDV_E_PARSE on
 * an unknown name. */
enum idv_err idv_residence_kinds_parse(const char *p, size_t len, uint32_t *out);

#endif
