/* SPDX-License-Identifier: Apache-2.0 */
/*
 * res_words: a quick loop for tuning the proof-of-residence reader on generated samples (it
 * handles document text, so never run it on real documents).
 *
 *   res_words words MODELS FILE...   writes FILE.words: the words the reader gets (a PDF's text
 *                                    layer, or the image turned upright and OCRed as
 *                                    extract_residence.c does), once
 *   res_words parse [--today YYYY-MM-DD] FILE.words...
 *                                    prints, one JSON object a line, what residence.c reads
 *                                    from them ({"file", "fields"} as `idverify check` names
 *                                    them); RES_WORDS_LINES set: the line segments
 *                                    too, on stderr
 *
 * A .words file: "W H" then one word a line, "x y w h confidence*1000 block line text".
 */
#include <jansson.h>
#include <leptonica/allheaders.h>

#include "idverify/residence.h"
#include "idverify/sniff.h"
#include "image.h"
#include "ocr.h"
#include "orient.h"
#include "pdf.h"

#define RW_MAX_WORDS 8192

static uint8_t *
rw_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 1 << 20, n = 0, k;
	uint8_t *b = idv_malloc(cap);
	while ((k = fread(b + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n == cap)
			b = idv_realloc(b, cap *= 2);
	}
	fclose(f);
	*len = n;
	return b;
}

static int
rw_words(struct idv_ocr *ocr, const char *path)
{
	size_t len;
	uint8_t *p = rw_slurp(path, &len);
	struct idv_ocr_word *words = NULL;
	struct idv_ocr_result o = {0};
	size_t n = 0;
	int w = 0, h = 0, rc = 1;
	struct idv_sniff sn;
	if (p == NULL || idv_sniff(p, len, 0, 0, &sn) != IDV_OK)
		goto out;
	if (sn.format == IDV_FMT_PDF) {
		struct idv_pdf *pdf = NULL;
		char detail[128];
		if (idv_pdf_open(p, len, 1, &pdf, detail, sizeof detail) != IDV_OK)
			goto out;
		enum idv_err e = idv_pdf_page_words(pdf, 0, 150.0, 0, &words, &n, &w, &h);
		idv_pdf_close(pdf);
		if (e != IDV_OK)
			goto out;
	} else {
		PIX *grey = NULL;
		char detail[128];
		int turns = 0;
		if (idv_image_decode(p, len, &sn, &grey, detail, sizeof detail) != IDV_OK)
			goto out;
		PIX *up = idv_orient_upright(grey, ocr, &turns);
		pixDestroy(&grey);
		int iw = up ? (int)pixGetWidth(up) : 1;
		float f = iw < 1400 ? 1700.0f / (float)iw : iw > 2600 ? 2200.0f / (float)iw : 1.0f;
		PIX *s = up ? (f == 1.0f ? pixClone(up) : pixScale(up, f, f)) : NULL;
		pixDestroy(&up);
		if (s == NULL || idv_ocr_run(ocr, s, NULL, "residence", &o) != IDV_OK) {
			pixDestroy(&s);
			goto out;
		}
		w = (int)pixGetWidth(s);
		h = (int)pixGetHeight(s);
		pixDestroy(&s);
	}
	char out[4096];
	snprintf(out, sizeof out, "%s.words", path);
	FILE *f = fopen(out, "w");
	if (f == NULL)
		goto out;
	const struct idv_ocr_word *ws = words ? words : o.words;
	size_t nw = words ? n : o.nwords;
	fprintf(f, "%d %d\n", w, h);
	for (size_t i = 0; i < nw; i++)
		fprintf(f, "%d %d %d %d %d %d %d %s\n", ws[i].box.x, ws[i].box.y, ws[i].box.w,
			ws[i].box.h, (int)(ws[i].confidence * 1000.0f + 0.5f), ws[i].block, ws[i].line,
			ws[i].text);
	rc = fclose(f) == 0 ? 0 : 1;
out:
	if (rc != 0)
		fprintf(stderr, "res_words: %s: not read\n", path);
	idv_ocr_result_cleanup(&o);
	free(words);
	free(p);
	return rc;
}

/* n integers separated by single spaces; the rest of the line after them, or NULL. */
static const char *
rw_ints(const char *s, long *v, int n)
{
	for (int i = 0; i < n; i++) {
		char *end;
		v[i] = strtol(s, &end, 10);
		if (end == s || (*end != ' ' && *end != '\n'))
			return NULL;
		s = *end == ' ' ? end + 1 : end;
	}
	return s;
}

static int
rw_parse(const char *path, int64_t today)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return 1;
	struct idv_ocr_word *w = idv_calloc(RW_MAX_WORDS, sizeof *w);
	int pw = 0, ph = 0;
	size_t n = 0;
	char line[512];
	long hv[2];
	if (fgets(line, sizeof line, f) == NULL || rw_ints(line, hv, 2) == NULL) {
		fclose(f);
		free(w);
		return 1;
	}
	pw = (int)hv[0];
	ph = (int)hv[1];
	while (n < RW_MAX_WORDS && fgets(line, sizeof line, f) != NULL) {
		struct idv_ocr_word *x = &w[n];
		long v[7];
		const char *rest = rw_ints(line, v, 7);
		if (rest == NULL)
			continue;
		x->box = (struct idv_box){(int)v[0], (int)v[1], (int)v[2], (int)v[3]};
		x->confidence = (float)v[4] / 1000.0f;
		x->block = (int)v[5];
		x->line = (int)v[6];
		size_t tl = strcspn(rest, "\n");
		if (tl >= sizeof x->text)
			tl = sizeof x->text - 1;
		memcpy(x->text, rest, tl);
		x->text[tl] = '\0';
		n++;
	}
	fclose(f);
	struct idv_res_page *page = idv_malloc(sizeof *page);
	struct idv_residence *r = idv_malloc(sizeof *r);
	struct idv_document *doc = idv_malloc(sizeof *doc);
	idv_document_init(doc);
	(void)idv_res_page_from_words(w, n, pw, ph, 0, page);
	if (getenv("RES_WORDS_LINES") != NULL)
		for (size_t i = 0; i < page->nlines; i++)
			fprintf(stderr, "%4d %4d %4d %3d | %s\n", page->lines[i].box.x,
				page->lines[i].box.y, page->lines[i].box.w, page->lines[i].height,
				page->lines[i].text);
	if (idv_residence_parse(page, today, r) == IDV_OK)
		idv_residence_to_document(r, IDV_SRC_OCR, doc);
	json_t *fields = json_object(), *addr = json_object();
	for (int k = 0; k < IDV_F__COUNT; k++) {
		if (!doc->fields[k].present)
			continue;
		json_t *v = json_pack("{s:s}", "value", doc->fields[k].value);
		bool a = k == IDV_F_STREET || k == IDV_F_UNIT || k == IDV_F_CITY ||
			 k == IDV_F_STATE || k == IDV_F_POSTAL_CODE;
		json_object_set_new(a ? addr : fields, idv_field_name((enum idv_field_id)k), v);
	}
	json_object_set_new(fields, "address", addr);
	size_t pl = strlen(path);
	char file[4096];
	snprintf(file, sizeof file, "%.*s", (int)(pl > 6 ? pl - 6 : pl), path);
	json_t *o = json_pack("{s:s,s:o}", "file", file, "fields", fields);
	char *s = json_dumps(o, JSON_COMPACT);
	puts(s);
	free(s);
	json_decref(o);
	free(doc);
	free(r);
	free(page);
	free(w);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "words") == 0) {
		idv_ocr_single_thread_exec(argv);
		idv_image_quiet();
		struct idv_ocr *ocr;
		if (idv_ocr_new(argv[2], &ocr) != IDV_OK)
			return 1;
		int rc = 0;
		for (int i = 3; i < argc; i++)
			rc |= rw_words(ocr, argv[i]);
		idv_ocr_free(ocr);
		return rc;
	}
	if (argc >= 3 && strcmp(argv[1], "parse") == 0) {
		int rc = 0, i = 2;
		int64_t today = 0;
		struct idv_date d;
		if (argc >= 4 && strcmp(argv[2], "--today") == 0) {
			if (idv_date_parse(argv[3], strlen(argv[3]), &d) != IDV_OK)
				return 2;
			today = idv_date_to_days(&d);
			i = 4;
		}
		for (; i < argc; i++)
			rc |= rw_parse(argv[i], today);
		return rc;
	}
	fprintf(stderr, "usage: res_words words MODELS FILE... | res_words parse [--today D] FILE.words...\n");
	return 2;
}
