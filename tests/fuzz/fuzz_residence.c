/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_residence.c: idv_res_page_from_words, idv_residence_parse, idv_residence_to_document and
 * the date parser on arbitrary bytes.
 *
 * The input is read as words: each word is 8 bytes of geometry (x, y, w, h as signed 16-bit,
 * little endian), one byte of line number (255 = none, as PDF text), then text up to a '\n'.
 * Invariants (a violation aborts): every output string is terminated inside its array, at most
 * IDV_RES_MAX_HOLDERS holders, a date that is reported is a valid calendar date, and the
 * document gets the proof-of-residence kind.
 */
#include "idverify/residence.h"

#define FUZZ_CHECK(x)                                                                              \
	do {                                                                                       \
		if (!(x)) {                                                                        \
			fprintf(stderr, "fuzz_residence: invariant failed: %s (line %d)\n", #x,   \
				__LINE__);                                                         \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
fuzz_terminated(const char *s, size_t n)
{
	return memchr(s, '\0', n) != NULL;
}

static int
fuzz_i16(const uint8_t *p)
{
	return (int)(int16_t)(uint16_t)(p[0] | (p[1] << 8));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct idv_ocr_word words[512];
	static struct idv_res_page page;
	struct idv_residence r;
	size_t n = 0, i = 0;

	while (i + 9 <= size && n < IDV_ARRAY_LEN(words)) {
		struct idv_ocr_word *w = &words[n++];
		memset(w, 0, sizeof(*w));
		w->box.x = fuzz_i16(data + i);
		w->box.y = fuzz_i16(data + i + 2);
		w->box.w = fuzz_i16(data + i + 4);
		w->box.h = fuzz_i16(data + i + 6);
		w->line = data[i + 8] == 255 ? -1 : data[i + 8];
		w->block = data[i + 8] & 3;
		i += 9;
		size_t k = 0;
		while (i < size && data[i] != '\n' && k + 1 < sizeof(w->text))
			w->text[k++] = (char)data[i++];
		while (i < size && data[i] != '\n')
			i++;
		i++;
	}
	enum idv_err e = idv_res_page_from_words(words, n, 1700, 2200, 0, &page);
	FUZZ_CHECK(e == IDV_OK || e == IDV_E_TOOBIG);
	FUZZ_CHECK(page.nlines <= IDV_RES_MAX_LINES);
	for (size_t l = 0; l < page.nlines; l++)
		FUZZ_CHECK(fuzz_terminated(page.lines[l].text, sizeof(page.lines[l].text)));
	e = idv_residence_parse(&page, 0, &r);
	FUZZ_CHECK(e == IDV_OK || e == IDV_E_PARSE);
	FUZZ_CHECK(r.nholders <= IDV_RES_MAX_HOLDERS);
	for (size_t h = 0; h < r.nholders; h++)
		FUZZ_CHECK(fuzz_terminated(r.holders[h], sizeof(r.holders[h])));
	FUZZ_CHECK(fuzz_terminated(r.street, sizeof(r.street)));
	FUZZ_CHECK(fuzz_terminated(r.unit, sizeof(r.unit)));
	FUZZ_CHECK(fuzz_terminated(r.city, sizeof(r.city)));
	FUZZ_CHECK(fuzz_terminated(r.state, sizeof(r.state)));
	FUZZ_CHECK(fuzz_terminated(r.postal_code, sizeof(r.postal_code)));
	FUZZ_CHECK(fuzz_terminated(r.issuer, sizeof(r.issuer)));
	if (r.has_date)
		FUZZ_CHECK(idv_date_valid(r.statement_date.year, r.statement_date.month,
					  r.statement_date.day));
	struct idv_document doc;
	idv_document_init(&doc);
	idv_residence_to_document(&r, IDV_SRC_OCR, &doc);
	FUZZ_CHECK(doc.kind == IDV_DOC_PROOF_OF_RESIDENCE);
	for (int f = 0; f < IDV_F__COUNT; f++)
		FUZZ_CHECK(fuzz_terminated(doc.fields[f].value, sizeof(doc.fields[f].value)));
	idv_residence_checks(&doc, 20000, NULL);
	/* the date parser on the raw bytes */
	struct idv_date d;
	if (idv_residence_parse_date((const char *)data, size, &d) == IDV_OK)
		FUZZ_CHECK(idv_date_valid(d.year, d.month, d.day));
	return 0;
}
