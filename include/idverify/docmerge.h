/* SPDX-License-Identifier: Apache-2.0 */
/*
 * docmerge.h: combining two readings of one identity document (the front's printed text and
 * the back's barcode, in one image or two files) and comparing what each source said.
 * Pure: no allocation, no I/O.
 */
#ifndef IDVERIFY_DOCMERGE_H
#define IDVERIFY_DOCMERGE_H

#include "idverify/document.h"

/*
 * out = a and b combined: each field from the more reliable source (pdf417 and mrz over
 * pdf_text and other barcodes over printed ocr over form; the higher confidence between equals),
 * checks of both (a's first), barcodes and MRZ of both; status ok when either is ok. Then the
 * check barcode_matches_printed compares the pdf417 values with the printed (ocr) values of
 * either input: pass when every compared field agrees, fail naming the fields that differ
 * (never their values), not_applicable when nothing could be compared. out may not alias a or b.
 */
void idv_document_merge(const struct idv_document *a, const struct idv_document *b,
			struct idv_document *out);

/* Rank of a source in the merge (higher wins). */
int idv_source_rank(enum idv_source src);

/*
 * Loose equality of a field's values as read by two sources: case, spaces and punctuation
 * ignored; names also tolerate one OCR error in 6 or more letters and compare given names by
 * the first one; document numbers treat O/0, I/1, S/5, B/8, Z/2 as equal.
 */
bool idv_field_values_agree(enum idv_field_id id, const char *a, const char *b);

#endif
