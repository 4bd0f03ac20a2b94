/* SPDX-License-Identifier: Apache-2.0 */
/*
 * res_dump: print the line segments and labels residence.c sees on a page image, after OCR with
 * the "residence" profile (debugging the proof-of-residence reader on generated samples; it
 * prints document text, so never run it on real documents).
 *
 *   res_dump MODELS IMAGE
 */
#include <leptonica/allheaders.h>

#include "ocr.h"
#include "idverify/residence.h"

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: res_dump MODELS IMAGE\n");
		return 2;
	}
	idv_ocr_single_thread_exec(argv);
	setMsgSeverity(L_SEVERITY_NONE);
	struct idv_ocr *ocr;
	if (idv_ocr_new(argv[1], &ocr) != IDV_OK)
		return 1;
	PIX *pix = pixRead(argv[2]);
	PIX *g = pix ? pixConvertTo8(pix, 0) : NULL;
	int w = g ? (int)pixGetWidth(g) : 0;
	float f = w < 1400 ? 1700.0f / (float)w : w > 2600 ? 2200.0f / (float)w : 1.0f;
	PIX *s = g ? (f == 1.0f ? pixClone(g) : pixScale(g, f, f)) : NULL;
	struct idv_ocr_result o = {0};
	if (s == NULL || idv_ocr_run(ocr, s, NULL, "residence", &o) != IDV_OK)
		return 1;
	static struct idv_res_page page;
	idv_res_page_from_words(o.words, o.nwords, pixGetWidth(s), pixGetHeight(s), 0, &page);
	for (size_t i = 0; i < page.nlines; i++)
		printf("%4d %4d %4d %3d | %s\n", page.lines[i].box.x, page.lines[i].box.y,
		       page.lines[i].box.w, page.lines[i].height, page.lines[i].text);
	struct idv_residence r;
	if (idv_residence_parse(&page, 0, &r) == IDV_OK)
		printf("=> %s | %s | %s | %s %s %s | %04d-%02d-%02d | issuer %s\n",
		       r.nholders ? r.holders[0] : "-", r.street, r.unit, r.city, r.state,
		       r.postal_code, r.statement_date.year, r.statement_date.month,
		       r.statement_date.day, r.issuer);
	idv_ocr_result_cleanup(&o);
	pixDestroy(&s);
	pixDestroy(&g);
	pixDestroy(&pix);
	idv_ocr_free(ocr);
	return 0;
}
