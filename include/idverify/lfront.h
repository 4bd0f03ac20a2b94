/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lfront.h: the printed side of a US or Canadian driver's licence or ID card, from OCR lines to
 * document fields (source ocr): names, date of birth, sex, address, document number, issue and
 * expiry dates, issuing state. Pure: no allocation, no I/O.
 *
 * It reads the labels cards print (AAMVA card design numbering "1" family name, "2" given names,
 * "3" DOB, "4a" ISS, "4b" EXP, "4d" number, "8" address, "15" sex; and the words LN, FN, DOB,
 * EXP, ISS, DL, LIC, NO, NUMBER, NAME, SEX), the address block ("CITY, ST 12345" or a Canadian
 * "CITY, ON A1A 1A1" with the street above it), and falls back on the dates' order when labels
 * are garbled (birth the earliest, expiry the latest). Dates: MM/DD/YYYY for US issuers,
 * YYYY/MM/DD or YYYY-MM-DD anywhere.
 */
#ifndef IDVERIFY_LFRONT_H
#define IDVERIFY_LFRONT_H

#include "idverify/document.h"

#define IDV_TEXT_LINE_MAX 192

struct idv_text_line {
	char text[IDV_TEXT_LINE_MAX];
	struct idv_box box;
	float confidence; /* 0..1 */
};

/*
 * Parse n lines (top to bottom) into doc: fields with source IDV_SRC_OCR, their line's box and a
 * confidence (the line's, lowered for values found without a label). Sets doc->kind to
 * drivers_license or id_card when the card says so. Returns how many fields were set.
 */
size_t idv_lfront_parse(const struct idv_text_line *lines, size_t n, struct idv_document *doc);

/* Split text (LF-separated) into lines without boxes; returns how many (at most max). */
size_t idv_lfront_lines(const char *text, size_t len, struct idv_text_line *lines, size_t max);

/* US state / Canadian province / territory two-letter code? */
bool idv_lfront_is_region(const char *p, size_t len);

#endif
