/* SPDX-License-Identifier: Apache-2.0 */
/*
 * residence_page.h: private to the proof-of-residence reader (residence.c and residence_*.c); not
 * a contract for other callers (like aamva_fields.h). The page model the reader's files share
 * (label roles, segments, address candidates) and the helpers each file gives the others:
 *   residence_page.c    words into line segments; text normalisation; rows and columns
 *   residence_text.c    dates, "City, ST zip", streets, units, PO boxes
 *   residence_labels.c  the label table, names, a label's values and the label governing a segment
 *   residence_roles.c   the address, holders and statement date chosen by roles
 *   residence_prose.c   tenants and premises named in sentences (leases)
 *   residence.c         the reader's order, kind, issuer; into a document; checks
 */
#ifndef IDVERIFY_RESIDENCE_PAGE_H
#define IDVERIFY_RESIDENCE_PAGE_H

#include "idverify/residence.h"

/* What a label says its value is. */
enum res_role {
	ROLE_NONE = 0,
	ROLE_HOLDER,
	ROLE_ADDRESS,
	ROLE_ADDRESS_WEAK, /* "Address:": whose it is comes from the label above it */
	ROLE_DATE,
	ROLE_DATE_WEAK,
	ROLE_NEG_ADDRESS, /* remit-to, mailing, landlord, lender ... */
	ROLE_NEG_DATE,    /* due dates, periods */
	ROLE_OTHER,       /* any other label: ends a value */
};

/* A segment's label (role NONE when it starts with none). */
struct res_seg {
	enum res_role role;
	size_t label_len; /* bytes of the line text taken by the label (and its colon) */
	bool label_only;  /* nothing after the label */
	bool has_colon;
};

/* The page and its segments' labels, one reading. */
struct res_ctx {
	const struct idv_res_page *pg;
	int64_t today_days; /* idv_date_to_days of today; 0 = unknown */
	struct res_seg seg[IDV_RES_MAX_LINES];
};

/* "City, ST zip" at the end of a segment. */
struct res_csz {
	char city[64];
	char state[3];
	char zip[11];
	size_t city_off; /* where the city starts in the segment text */
};

/* An address candidate: a street (or PO box) and the "City, ST zip" below or beside it. */
struct res_addr {
	size_t csz;      /* segment with city, state, zip */
	size_t street;   /* segment with the street (may equal csz) */
	size_t top;      /* first segment of the block (street or unit line) */
	struct res_csz p;
	char street_text[IDV_FIELD_VALUE_MAX];
	char unit[32];
	bool po_box;
	int score;
	bool labelled;
	struct idv_box box;
};

/* residence_page.c: lines, text, rows and columns */
/* Median of v[0..n) (sorts v); 0 when n == 0. */
int res_median(int *v, size_t n);
/* a grows to cover b (an empty a becomes b). */
void res_box_union(struct idv_box *a, const struct idv_box *b);
/* Lower-case letters and digits; every run of anything else becomes one space. */
size_t res_norm(const char *s, char *out, size_t outsz);
/* word (normalised) occurs in norm as whole words. */
bool res_has_word(const char *norm, const char *word);
/* src[0..len) into dst without surrounding spaces, leading ":-," or trailing ",;". */
void res_copy_trim(char *dst, size_t dstsz, const char *src, size_t len);
/* A segment's text height; res_same_row: centres on one row. */
int res_h(const struct idv_res_line *l);
bool res_same_row(const struct idv_res_line *a, const struct idv_res_line *b);
/* The nearest segment directly below i in its column, or SIZE_MAX. */
size_t res_next_below(const struct idv_res_page *pg, size_t i, int maxgap);
/* The nearest segment directly above i in its column, or SIZE_MAX. */
size_t res_next_above(const struct idv_res_page *pg, size_t i, int maxgap);
/* The segment to the right of i on the same row (nearest), or SIZE_MAX. */
size_t res_right_of(const struct idv_res_page *pg, size_t i, int maxdist);

/* residence_text.c: dates and address parts */
/*
 * "City, ST 12345", "City ST 12345-6789" at the end of text. The city is the run of alphabetic
 * words before the state, back to a comma, a digit, or the start.
 */
bool res_parse_csz(const char *text, struct res_csz *out);
/* "PO Box 12", "P.O. Box", "Post Office Box". */
bool res_is_po_box(const char *text);
/* A street line starts with a house number (digits, maybe a letter or a fraction). */
bool res_is_street(const char *text);
/* Where the unit designator starts in a street line ("12 Elm St Apt 4B", "12 Elm St #4"), or
 * SIZE_MAX. A segment that is only a unit returns 0. */
size_t res_unit_start(const char *text);

/* residence_labels.c: labels, names, label values */
/*
 * Match a label at the start of text. The label must be followed by the end, a colon, or (for
 * a value on the same segment) a colon; without a colon a label word may start a sentence
 * ("Tenant agrees to ..."), so the whole segment must be the label.
 */
void res_classify(const char *text, struct res_seg *out);
/* A person's name (res_name_like_labelled: under a holder label, initials allowed). */
bool res_name_like(const char *text);
bool res_name_like_labelled(const char *text);
/* Split "A and B", "A & B", "A; B" into holders. */
void res_add_holders(struct idv_residence *r, const char *v);
/*
 * The places a label's value may be: after the colon on the segment itself, the segment to the
 * right on the same row (close by), the segment below. Fills up to 3 (segment, offset) pairs in
 * that order; the caller takes the first that fits.
 */
size_t res_label_values(const struct res_ctx *c, size_t i, size_t vseg[3], size_t voff[3]);
/*
 * The label governing segment i: a label on the segment itself, a label segment on its row to
 * the left, or the nearest label above in its column within a few lines (walking up through the
 * block, each row's own label included). A weak "Address:" label takes the role of the label
 * above it (the named insured's address, the lienholder's), or is an address label of its own.
 * ROLE_NONE when there is none; *label gets the segment.
 */
enum res_role res_governing(const struct res_ctx *c, size_t i, size_t *label);

/* residence_roles.c: address, holders, date by roles */
/* Move a unit designator at the end of a->street_text into a->unit. */
void res_split_unit(struct res_addr *a);
/*
 * OCR reads the l of "Pl", "Blvd", "Ln" as I, |, 1 or i. When the street's last word is not a
 * known suffix but becomes one with those glyphs read as l, it is rewritten. A text layer never
 * triggers this (its suffixes are spelled right).
 */
void res_fix_suffix(char *street);
/* The holder's address: the best-scored candidate (*found false when none qualifies). */
void res_pick_address(const struct res_ctx *c, struct idv_residence *r, struct res_addr *chosen,
		      bool *found);
/* The holders: holder labels' values, else the addressee above the address. */
void res_pick_holders(const struct res_ctx *c, struct idv_residence *r, const struct res_addr *addr,
		      bool have_addr);
/* The statement date: the strongest date label's value, else the first date not under a
 * due-date or period label. */
void res_pick_date(const struct res_ctx *c, struct idv_residence *r);

/* residence_prose.c: leases in prose */
/* Leases in prose: the tenants and the premises from the sentences, when the labels gave none. */
void res_pick_prose(const struct res_ctx *c, struct idv_residence *r, bool labelled_addr);

#endif
