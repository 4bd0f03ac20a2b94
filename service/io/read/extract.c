/* SPDX-License-Identifier: Apache-2.0 */
/*
 * extract.c: the document pipeline every upload goes through (extract.h):
 *   byte cap -> sniff (format, pixel cap) -> decode to grey -> MRZ at the page's own skew ->
 *   a card: barcodes (PDF417 on the whole image, then on the rectified card(s)) -> printed
 *   side by OCR when no barcode was read -> when that was not a licence's front either, QR/1D
 *   codes (zbar) and the rectified cards slightly skewed -> merge and checks; orientation, pages and the MRZ searched for hard only when the card did not read
 *   (extract_grey). Stage timers (stagetime.h) say where the time went.
 * One OCR instance per process, created on first use (idv_extract_shutdown frees it).
 */
#include <errno.h>
#include <math.h>
#include <sys/stat.h>

#include <leptonica/allheaders.h>

#include "barcode.h"
#include "card.h"
#include "idverify/docmerge.h"
#include "extract.h"
#include "image.h"
#include "idverify/lfront.h"
#include "idverify/limits.h"
#include "ocr.h"
#include "orient.h"
#include "idverify/sniff.h"
#include "stagetime.h"
#include "idverify/str.h"
#include "extract_aamva.h"
#include "extract_residence.h" /* residence: MRZ, proofs of residence, PDFs */

#define EXTRACT_CARD_W 1024 /* rectified card for OCR: about 300 dpi for ID-1 */
#define EXTRACT_CARD_H 646
#define EXTRACT_MAX_QUADS 3
#define EXTRACT_OCR_PROFILE "licence_front"

#ifndef IDV_MODELS_DIR
#define IDV_MODELS_DIR "models"
#endif

/* One tesseract instance per thread (each worker thread reads its own documents). */
static _Thread_local struct idv_ocr *extract_ocr;
static _Thread_local char extract_ocr_dir[512];

void
idv_extract_shutdown(void)
{
	idv_ocr_free(extract_ocr);
	extract_ocr = NULL;
	extract_ocr_dir[0] = '\0';
	idv_extract_residence_shutdown();
}

static enum idv_err
extract_get_ocr(const char *models_dir, struct idv_ocr **out)
{
	if (extract_ocr != NULL && strcmp(extract_ocr_dir, models_dir) == 0) {
		*out = extract_ocr;
		return IDV_OK;
	}
	idv_extract_shutdown();
	enum idv_err err = idv_ocr_new(models_dir, &extract_ocr);
	if (err != IDV_OK)
		return err;
	idv_strlcpy(extract_ocr_dir, models_dir, sizeof extract_ocr_dir);
	*out = extract_ocr;
	return IDV_OK;
}

enum idv_err
idv_extract_prepare(const char *models_dir)
{
	struct idv_ocr *ocr;
	idv_image_quiet();
	const char *dir = models_dir != NULL ? models_dir : IDV_MODELS_DIR;
	enum idv_err err = extract_get_ocr(dir, &ocr);
	if (err == IDV_OK)
		err = idv_ocr_preload(ocr);
	if (err == IDV_OK)
		err = idv_extract_residence_prepare(dir);
	return err;
}

static void
extract_fail(struct idv_document *doc, enum idv_doc_status st, enum idv_err err, const char *detail)
{
	doc->status = st;
	doc->err = err;
	idv_strlcpy(doc->error_detail, detail, sizeof doc->error_detail);
}

/* PDF417 on the rectified card slightly skewed (after it did not read upright). */
static size_t
extract_pdf417_card(PIX *card, struct idv_barcodes *bc)
{
	size_t n = 0;
	static const float skews[] = {2.0f, -2.0f, 4.0f, -4.0f};
	for (size_t i = 0; i < IDV_ARRAY_LEN(skews) && n == 0; i++) {
		PIX *r = pixRotate(card, skews[i] * 3.14159265f / 180.0f, L_ROTATE_AREA_MAP,
				   L_BRING_IN_WHITE, 0, 0);
		if (r == NULL)
			continue;
		n = idv_barcode_read_pdf417(r, IDV_BC_TRY_HARDER, bc);
		pixDestroy(&r);
	}
	return n;
}

/*
 * No card outline found (a pale card on a pale desk) or the rectified card did not read, and the
 * printed side read nothing either: search harder, turning the whole image by a few degrees
 * (zxing's PDF417 detector copes badly with small rotations). Costly, so it runs last.
 */
static size_t
extract_pdf417_search(PIX *grey, struct idv_barcodes *bc)
{
	idv_stagetime_begin("pdf417_search");
	size_t n = idv_barcode_read_pdf417(grey, IDV_BC_TRY_HARDER, bc);
	static const float angles[] = {3.0f, -3.0f, 6.0f, -6.0f, 9.0f, -9.0f};
	for (size_t i = 0; i < IDV_ARRAY_LEN(angles) && n == 0; i++) {
		PIX *r = pixRotate(grey, angles[i] * 3.14159265f / 180.0f, L_ROTATE_AREA_MAP,
				   L_BRING_IN_WHITE, 0, 0);
		if (r == NULL)
			continue;
		n = idv_barcode_read_pdf417(r, IDV_BC_TRY_HARDER, bc);
		pixDestroy(&r);
	}
	idv_stagetime_end();
	return n;
}

static float
extract_quad_area(const struct idv_quad *q)
{
	float a = 0;
	for (int i = 0; i < 4; i++) {
		int j = (i + 1) % 4;
		a += q->x[i] * q->y[j] - q->x[j] * q->y[i];
	}
	return fabsf(a) / 2;
}

static int
extract_card_width(const struct idv_quad *q)
{
	float top = hypotf(q->x[1] - q->x[0], q->y[1] - q->y[0]);
	float bot = hypotf(q->x[2] - q->x[3], q->y[2] - q->y[3]);
	int w = (int)((top > bot ? top : bot) * 1.1f);
	return w < 1024 ? 1024 : w > 2048 ? 2048 : w;
}

/* Group OCR words into lines with a union box and a mean confidence. */
static size_t
extract_lines(const struct idv_ocr_result *r, struct idv_text_line *lines, size_t max)
{
	size_t n = 0;
	int cur = -1;
	size_t nwords_line = 0;
	for (size_t i = 0; i < r->nwords; i++) {
		const struct idv_ocr_word *w = &r->words[i];
		if (w->line != cur || n == 0) {
			if (n == max)
				break;
			cur = w->line;
			memset(&lines[n], 0, sizeof lines[n]);
			lines[n].box = w->box;
			n++;
			nwords_line = 0;
		}
		struct idv_text_line *l = &lines[n - 1];
		size_t len = strlen(l->text);
		int m = snprintf(l->text + len, sizeof l->text - len, "%s%s", len ? " " : "",
				 w->text);
		(void)m; /* a longer line is cut, which is fine for labels and values */
		int x0 = l->box.x < w->box.x ? l->box.x : w->box.x;
		int y0 = l->box.y < w->box.y ? l->box.y : w->box.y;
		int x1 = l->box.x + l->box.w > w->box.x + w->box.w ? l->box.x + l->box.w
								   : w->box.x + w->box.w;
		int y1 = l->box.y + l->box.h > w->box.y + w->box.h ? l->box.y + l->box.h
								   : w->box.y + w->box.h;
		l->box.x = x0, l->box.y = y0, l->box.w = x1 - x0, l->box.h = y1 - y0;
		l->confidence = (l->confidence * (float)nwords_line + w->confidence) /
				(float)(nwords_line + 1);
		nwords_line++;
	}
	return n;
}

static int
extract_line_cmp(const void *a, const void *b)
{
	const struct idv_text_line *x = a, *y = b;
	int cx = x->box.y + x->box.h / 2, cy = y->box.y + y->box.h / 2;
	if (abs(cx - cy) > 4)
		return (cx > cy) - (cx < cy);
	return (x->box.x > y->box.x) - (x->box.x < y->box.x);
}

static size_t
extract_count_ocr_fields(const struct idv_document *d)
{
	size_t n = 0;
	for (size_t f = 0; f < IDV_F__COUNT; f++)
		if (d->fields[f].present && d->fields[f].source == IDV_SRC_OCR)
			n++;
	return n;
}

/* OCR one orientation of the card; fields into pdoc. */
static enum idv_err
extract_ocr_once(struct idv_ocr *ocr, PIX *img, struct idv_document *pdoc)
{
	struct idv_ocr_result r;
	enum idv_err err = idv_ocr_run(ocr, img, NULL, EXTRACT_OCR_PROFILE, &r);
	if (err != IDV_OK)
		return err;
	struct idv_text_line *lines = idv_calloc(48, sizeof *lines);
	size_t n = extract_lines(&r, lines, 48);
	/* Sparse-text segmentation returns lines by block, not always top to bottom; the parser
	 * reads the address block downwards. */
	qsort(lines, n, sizeof *lines, extract_line_cmp);
	idv_stagetime_begin("parse");
	idv_lfront_parse(lines, n, pdoc);
	idv_stagetime_end();
	pdoc->page_width = pixGetWidth(img);
	pdoc->page_height = pixGetHeight(img);
	free(lines);
	idv_ocr_result_cleanup(&r);
	return IDV_OK;
}

/* The printed side: the rectified card (or the whole image), upright or upside down. */
static enum idv_err
extract_front(PIX *card, const struct idv_extract_opts *opts, struct idv_document *pdoc)
{
	struct idv_ocr *ocr;
	const char *dir = opts->models_dir != NULL ? opts->models_dir : IDV_MODELS_DIR;
	enum idv_err err = extract_get_ocr(dir, &ocr);
	if (err != IDV_OK)
		return err;
	idv_document_init(pdoc);
	err = extract_ocr_once(ocr, card, pdoc);
	if (err != IDV_OK)
		return err;
	if (extract_count_ocr_fields(pdoc) >= 5)
		return IDV_OK;
	/* Perhaps upside down (or, for an unrectified portrait image, sideways). */
	int w = pixGetWidth(card), h = pixGetHeight(card);
	static const int turns_landscape[] = {2}, turns_portrait[] = {1, 3};
	const int *turns = w >= h ? turns_landscape : turns_portrait;
	size_t nturns = w >= h ? 1 : 2;
	for (size_t i = 0; i < nturns; i++) {
		PIX *r = pixRotateOrth(card, turns[i]);
		if (r == NULL)
			continue;
		struct idv_document *alt = idv_malloc(sizeof *alt);
		idv_document_init(alt);
		err = extract_ocr_once(ocr, r, alt);
		pixDestroy(&r);
		if (err == IDV_OK && extract_count_ocr_fields(alt) > extract_count_ocr_fields(pdoc))
			*pdoc = *alt;
		free(alt);
		if (err != IDV_OK)
			return err;
	}
	return IDV_OK;
}

static void
extract_expired(struct idv_document *doc, int64_t today)
{
	if (idv_document_find_check(doc, "expired") != NULL)
		return;
	const struct idv_field *f = &doc->fields[IDV_F_EXPIRY_DATE];
	struct idv_date d;
	if (!f->present || idv_date_parse(f->value, strlen(f->value), &d) != IDV_OK) {
		idv_document_check(doc, "expired", IDV_CHECK_NA, "no expiry date read");
		return;
	}
	int64_t days = idv_date_to_days(&d);
	if (days < today)
		idv_document_check(doc, "expired", IDV_CHECK_FAIL, "expired %lld days ago",
				   (long long)(today - days));
	else
		idv_document_check(doc, "expired", IDV_CHECK_PASS, "valid for %lld more days",
				   (long long)(days - today));
}

/* Record the barcodes found and parse the first AAMVA payload into bdoc. */
static bool
extract_parse_barcodes(const struct idv_barcodes *bc, const struct idv_extract_opts *opts,
		       struct idv_document *doc, struct idv_document *bdoc)
{
	bool have_aamva = false;
	doc->nbarcodes = 0;
	for (size_t i = 0; i < bc->n; i++) {
		if (doc->nbarcodes < IDV_DOC_MAX_BARCODES) {
			struct idv_barcode_info *bi = &doc->barcodes[doc->nbarcodes++];
			idv_strlcpy(bi->format, bc->items[i].format, sizeof bi->format);
			bi->length = bc->items[i].len;
		}
		if (have_aamva || strcmp(bc->items[i].format, "PDF417") != 0)
			continue;
		idv_stagetime_begin("parse");
		if (idv_extract_aamva(bc->items[i].data, bc->items[i].len, opts->today_days,
				      bdoc) == IDV_OK)
			have_aamva = true;
		idv_stagetime_end();
	}
	return have_aamva;
}

/* The printed side of a licence or ID card: its kind (lfront: DRIVER LICENSE,
 * IDENTIFICATION) or the holder's address (which neither a card's back nor a passport's data
 * page carries) read, with other fields. */
static bool
extract_front_sure(const struct idv_document *d)
{
	bool address = d->fields[IDV_F_STREET].present &&
		       (d->fields[IDV_F_POSTAL_CODE].present || d->fields[IDV_F_STATE].present);
	return (d->kind != IDV_DOC_UNKNOWN || address) && extract_count_ocr_fields(d) >= 3;
}

/* A government ID card read from a decoded grey image. *sure when it is certainly a licence or
 * an ID card without an MRZ: its AAMVA barcode was read, or its printed side names its kind
 * (lfront: DRIVER LICENSE, IDENTIFICATION) or the holder's address (which a passport's data
 * page does not carry), with other fields. */
static enum idv_err
extract_card(PIX *grey, const struct idv_extract_opts *opts, struct idv_document *doc, bool *sure)
{
	enum idv_err result = IDV_OK;
	struct idv_barcodes *bc = idv_calloc(1, sizeof *bc);
	struct idv_document *bdoc = idv_malloc(sizeof *bdoc);
	struct idv_document *pdoc = idv_malloc(sizeof *pdoc);
	struct idv_quad quads[EXTRACT_MAX_QUADS];
	PIX *card = NULL, *rect[EXTRACT_MAX_QUADS] = {NULL};
	idv_document_init(bdoc);
	idv_document_init(pdoc);

	/* 1. PDF417: a flat scan reads as is, a photo once the card is cut out and flat. */
	size_t npdf = idv_barcode_read_pdf417(grey, 0, bc);
	size_t nq = idv_card_find(grey, quads, EXTRACT_MAX_QUADS);
	for (size_t i = 0; i < nq && npdf == 0; i++) {
		int w = extract_card_width(&quads[i]);
		rect[i] = idv_card_rectify(grey, &quads[i], w, (int)((float)w / IDV_CARD_ASPECT));
		if (rect[i] != NULL)
			npdf = idv_barcode_read_pdf417(rect[i], IDV_BC_TRY_HARDER, bc);
	}
	bool have_aamva = extract_parse_barcodes(bc, opts, doc, bdoc);

	/* 3. The printed side, when no barcode spoke for the card: the rectified card, else (or
	 * when that reads almost nothing) the whole image, which is the card in a tight scan. */
	if (!have_aamva) {
		int gw = pixGetWidth(grey), gh = pixGetHeight(grey);
		float aspect = gw > gh ? (float)gw / (float)gh : (float)gh / (float)gw;
		/* A tight scan of the card: any outline found inside is the photo or a panel. */
		bool tight = aspect > 1.45f && aspect < 1.75f &&
			     (nq == 0 ||
			      extract_quad_area(&quads[0]) < 0.6f * (float)gw * (float)gh);
		if (nq > 0 && !tight)
			card = idv_card_rectify(grey, &quads[0], EXTRACT_CARD_W, EXTRACT_CARD_H);
		if (card != NULL) {
			result = extract_front(card, opts, pdoc);
			if (result != IDV_OK)
				goto out;
		}
		if (card == NULL || extract_count_ocr_fields(pdoc) < 3) {
			pixDestroy(&card);
			float f = gw > 1600  ? 1600.0f / (float)gw
				  : gw < 900 ? 1024.0f / (float)gw
					     : 1.0f;
			card = f == 1.0f ? pixClone(grey) : pixScale(grey, f, f);
			if (card == NULL) {
				result = IDV_E_NOMEM;
				goto out;
			}
			struct idv_document *alt = idv_malloc(sizeof *alt);
			result = extract_front(card, opts, alt);
			if (result == IDV_OK &&
			    extract_count_ocr_fields(alt) > extract_count_ocr_fields(pdoc))
				*pdoc = *alt;
			free(alt);
			if (result != IDV_OK)
				goto out;
		}
	}

	/* 4. No barcode yet and the printed side is not a licence's front (its kind or address
	 * read): QR and 1D codes (zbar: they are only listed, nothing reads them further, and
	 * zbar costs as much as the PDF417 on a photo), the rectified cards slightly skewed;
	 * then, when nothing printed was read, the whole image turned by a few degrees. */
	if (!have_aamva && npdf == 0 && !extract_front_sure(pdoc)) {
		if (idv_barcode_read_zbar(grey, bc) > 0)
			(void)extract_parse_barcodes(bc, opts, doc, bdoc);
		for (size_t i = 0; i < nq && npdf == 0; i++)
			if (rect[i] != NULL)
				npdf = extract_pdf417_card(rect[i], bc);
		if (npdf == 0 && extract_count_ocr_fields(pdoc) < 3)
			npdf = extract_pdf417_search(grey, bc);
		if (npdf > 0) {
			have_aamva = extract_parse_barcodes(bc, opts, doc, bdoc);
			if (have_aamva)
				idv_document_init(pdoc);
		}
	}

	/* 5. Combine, keeping what this function recorded about barcodes. */
	struct idv_document *merged = idv_malloc(sizeof *merged);
	idv_document_merge(bdoc, pdoc, merged);
	merged->nbarcodes = doc->nbarcodes;
	memcpy(merged->barcodes, doc->barcodes, sizeof doc->barcodes);
	if (merged->page_width == 0) {
		merged->page_width = doc->page_width;
		merged->page_height = doc->page_height;
	}
	*doc = *merged;
	free(merged);
	if (have_aamva && idv_document_find_check(doc, "barcode_matches_printed") == NULL)
		idv_document_check(doc, "barcode_matches_printed", IDV_CHECK_NA,
				   "no printed side in this file");
	*sure = have_aamva || extract_front_sure(doc);
	if (doc->kind == IDV_DOC_UNKNOWN && extract_count_ocr_fields(doc) >= 3)
		doc->kind = IDV_DOC_DRIVERS_LICENSE;
	if (doc->kind != IDV_DOC_UNKNOWN)
		extract_expired(doc, opts->today_days);
out:
	for (size_t i = 0; i < EXTRACT_MAX_QUADS; i++)
		pixDestroy(&rect[i]);
	pixDestroy(&card);
	free(pdoc);
	free(bdoc);
	free(bc);
	return result;
}

static bool
extract_has_source(const struct idv_document *d, enum idv_source src)
{
	for (size_t f = 0; f < IDV_F__COUNT; f++)
		if (d->fields[f].present && d->fields[f].source == src)
			return true;
	return false;
}

static enum idv_err
extract_residence(PIX *grey, const struct idv_extract_opts *opts, struct idv_document *doc)
{
	idv_stagetime_begin("residence");
	enum idv_err e = idv_extract_residence_image(grey, opts, extract_get_ocr, doc);
	idv_stagetime_end();
	return e;
}

/* Something of a proof of residence was read: an address or a holder. */
static bool
extract_residence_read(const struct idv_document *doc)
{
	return doc->kind == IDV_DOC_PROOF_OF_RESIDENCE &&
	       (doc->fields[IDV_F_STREET].present || doc->fields[IDV_F_HOLDER_NAME].present);
}

/*
 * The proof-of-residence slot: a page is read as a proof of residence. An image that is not a
 * page (a card's shape), or a page where nothing of a proof of residence was read (a licence
 * scanned on a flatbed), is also read as an ID: a PDF417 or a printed date of birth (no bill
 * prints one) makes it the ID it is, with the check kind_matches_slot failed.
 */
static enum idv_err
extract_residence_slot(PIX *grey, const struct idv_extract_opts *opts, struct idv_document *doc,
		       bool *sure)
{
	bool page = idv_extract_looks_like_page(grey);
	struct idv_document *res = idv_malloc(sizeof *res);
	*res = *doc;
	enum idv_err e = page ? extract_residence(grey, opts, doc) : IDV_OK;
	*sure = page && e == IDV_OK && extract_residence_read(doc);
	if (e != IDV_OK || *sure)
		goto out;
	struct idv_document *card = idv_malloc(sizeof *card);
	*card = *res;
	*res = *doc;
	bool csure = false;
	e = extract_card(grey, opts, card, &csure);
	bool id = e == IDV_OK && card->kind != IDV_DOC_PROOF_OF_RESIDENCE &&
		  (extract_has_source(card, IDV_SRC_PDF417) ||
		   card->fields[IDV_F_DATE_OF_BIRTH].present);
	if (id) {
		*doc = *card;
		if (doc->kind == IDV_DOC_UNKNOWN)
			doc->kind = IDV_DOC_DRIVERS_LICENSE;
		idv_document_check(doc, "kind_matches_slot", IDV_CHECK_FAIL,
				   "an ID card, not a proof of residence, was sent as the proof of "
				   "residence");
		*sure = true;
	} else if (e == IDV_OK && !page) {
		e = extract_residence(grey, opts, doc);
		*sure = e == IDV_OK && extract_residence_read(doc);
	} else {
		*doc = *res;
	}
	free(card);
out:
	free(res);
	return e;
}

/*
 * residence: which reader an upright grey image without an MRZ goes to. A proof of residence
 * when the caller says so (extract_residence_slot); otherwise the licence path, then, for a page
 * (a letter page is never a card) whose licence reading has no AAMVA barcode behind it, a proof
 * of residence; when that page came in the ID slot, the check kind_matches_slot says so.
 * *sure: the image was read as a licence, an ID card without MRZ or a proof of residence, so
 * that no MRZ is searched for any harder (extract_grey).
 */
static enum idv_err
extract_grey_upright(PIX *grey, const struct idv_extract_opts *opts, struct idv_document *doc,
		     bool *sure)
{
	*sure = false;
	if (opts->hint == IDV_HINT_PROOF_OF_RESIDENCE)
		return extract_residence_slot(grey, opts, doc, sure);
	enum idv_err e = extract_card(grey, opts, doc, sure);
	bool page = idv_extract_looks_like_page(grey);
	if (e != IDV_OK || !page || extract_has_source(doc, IDV_SRC_PDF417) ||
	    (doc->kind != IDV_DOC_UNKNOWN && doc->kind != IDV_DOC_DRIVERS_LICENSE))
		return e;
	struct idv_document *card = idv_malloc(sizeof *card);
	*card = *doc;
	idv_document_init(doc);
	doc->page_width = card->page_width;
	doc->page_height = card->page_height;
	e = extract_residence(grey, opts, doc);
	bool read = e == IDV_OK && extract_residence_read(doc);
	if (read)
		*sure = true;
	if (e == IDV_OK && !read && card->kind != IDV_DOC_UNKNOWN)
		*doc = *card; /* a portrait photo of a card: its printed side was read */
	else if (read && opts->hint == IDV_HINT_GOVERNMENT_ID)
		idv_document_check(doc, "kind_matches_slot", IDV_CHECK_FAIL,
				   "a letter page (proof of residence), not an ID card, was sent "
				   "as the government ID");
	free(card);
	return e;
}

/* The MRZ band tells its own orientation: tried at each of the quarter turns given, in order;
 * rows read the wrong way round can still parse, so the first turn whose MRZ makes sense wins,
 * else the first that parsed. *done when one was read; doc then describes the turned image. */
static enum idv_err
extract_mrz_turns(PIX *grey, const int *turns, size_t nturns, bool quick,
		  const struct idv_extract_opts *opts, struct idv_document *doc, bool *done)
{
	enum idv_err e = IDV_OK;
	struct idv_document *first = NULL, *cur = idv_malloc(sizeof *cur);
	*done = false;
	for (size_t i = 0; i < nturns && e == IDV_OK; i++) {
		PIX *r = turns[i] ? pixRotateOrth(grey, turns[i]) : pixClone(grey);
		if (r == NULL) {
			e = IDV_E_NOMEM;
			break;
		}
		bool got = false;
		*cur = *doc;
		idv_stagetime_begin("mrz");
		e = idv_extract_mrz(r, opts, extract_get_ocr, quick, cur, &got);
		idv_stagetime_end();
		if (got && turns[i] != 0) {
			cur->page_width = pixGetWidth(r);
			cur->page_height = pixGetHeight(r);
			cur->page_turns = turns[i];
		}
		pixDestroy(&r);
		if (!got)
			continue;
		/* upside-down rows can pass the check digits: the document must also make sense */
		bool valid = cur->status == IDV_DOCSTAT_OK && cur->mrz.check_digits_valid &&
			     cur->kind != IDV_DOC_UNKNOWN &&
			     cur->fields[IDV_F_DATE_OF_BIRTH].present;
		if (first == NULL || valid) {
			free(first);
			first = cur;
			cur = idv_malloc(sizeof *cur);
		}
		if (valid)
			break;
	}
	if (first != NULL && e == IDV_OK) {
		*doc = *first;
		*done = true;
	}
	free(first);
	free(cur);
	return e;
}

/*
 * The MRZ of grey searched for hard (at a few degrees either way, idv_mrzread_run), upright
 * and, when the page was turned or in the ID slot, at the other turns, the way the quick search
 * of extract_grey went. *found when one was read; doc then holds it.
 */
static enum idv_err
extract_mrz_thorough(PIX *grey, int turns, const struct idv_extract_opts *opts,
		     struct idv_document *doc, bool *found)
{
	static const int upright[] = {0}, others[] = {2, 1, 3};
	struct idv_document *alt = idv_malloc(sizeof *alt);
	*alt = *doc;
	enum idv_err e = extract_mrz_turns(grey, upright, 1, false, opts, doc, found);
	bool valid = *found && doc->mrz.check_digits_valid && doc->kind != IDV_DOC_UNKNOWN;
	if (e == IDV_OK && !valid && (turns != 0 || opts->hint == IDV_HINT_GOVERNMENT_ID)) {
		bool got = false;
		e = opts->hint == IDV_HINT_GOVERNMENT_ID
			    ? extract_mrz_turns(grey, others, IDV_ARRAY_LEN(others), false, opts,
						alt, &got)
			    : extract_mrz_turns(grey, &turns, 1, false, opts, alt, &got);
		if (got && (!*found || alt->mrz.check_digits_valid)) {
			*doc = *alt;
			*found = true;
		}
	}
	free(alt);
	return e;
}

/*
 * Orientation first: the MRZ upright at the page's own skew (~0.1 s), then the page's
 * orientation from its content (orient.h) and the MRZ at the turn found. No MRZ: the card or
 * the page is read; only when that does not read as a licence (its barcode, its printed kind or
 * address), an ID card without MRZ or a proof of residence is the MRZ searched for hard: at a
 * few degrees either way, and in the ID slot at every turn (extract_mrz_thorough), which costs
 * most where there is none, on a licence. The boxes refer to the upright image (page_width,
 * page_height, page_turns say which).
 */
static enum idv_err
extract_grey(PIX *grey, const struct idv_extract_opts *opts, struct idv_document *doc)
{
	bool done = false, want_mrz = opts->hint != IDV_HINT_PROOF_OF_RESIDENCE;
	static const int upright[] = {0};
	struct idv_document *plain = idv_malloc(sizeof *plain);
	*plain = *doc;
	enum idv_err e = want_mrz ? extract_mrz_turns(grey, upright, 1, true, opts, doc, &done)
				  : IDV_OK;
	if (e != IDV_OK || (done && doc->mrz.check_digits_valid && doc->kind != IDV_DOC_UNKNOWN))
		goto out;
	/* A card (anything but a page) reads at any turn: zxing turns the PDF417, the card is
	 * rectified lengthwise and its front read upside down too; only when it does not read
	 * as a licence is its orientation looked for (tesseract's OSD on a card costs as much as
	 * the OCR of its front). */
	bool sure = false, early = false;
	if (!done && opts->hint != IDV_HINT_PROOF_OF_RESIDENCE &&
	    !idv_extract_looks_like_page(grey)) {
		*doc = *plain;
		e = extract_grey_upright(grey, opts, doc, &sure);
		early = true;
		if (e != IDV_OK || sure)
			goto out;
	}
	int turns = 0;
	struct idv_ocr *ocr = NULL;
	if (extract_get_ocr(opts->models_dir != NULL ? opts->models_dir : IDV_MODELS_DIR, &ocr) !=
	    IDV_OK)
		ocr = NULL; /* leptonica alone; reading will report the OCR failure */
	idv_stagetime_begin("orientation");
	PIX *up = idv_orient_upright(grey, ocr, &turns);
	idv_stagetime_end();
	if (up == NULL) {
		e = IDV_E_NOMEM;
		goto out;
	}
	if (want_mrz && turns != 0) {
		bool found = false;
		struct idv_document *alt = idv_malloc(sizeof *alt);
		*alt = *plain;
		e = extract_mrz_turns(grey, &turns, 1, true, opts, alt, &found);
		if (found && (!done || alt->mrz.check_digits_valid)) {
			*doc = *alt;
			done = true;
		}
		free(alt);
	}
	if (e == IDV_OK && !done) {
		/* read again turned only when that makes a page of it (a card read at any turn) */
		if (!early || (turns != 0 && idv_extract_looks_like_page(up))) {
			*doc = *plain;
			if (turns != 0) {
				doc->page_width = pixGetWidth(up);
				doc->page_height = pixGetHeight(up);
			}
			e = extract_grey_upright(up, opts, doc, &sure);
			doc->page_turns = turns;
		}
		if (e == IDV_OK && want_mrz && !sure) {
			bool found = false;
			struct idv_document *alt = idv_malloc(sizeof *alt);
			*alt = *plain;
			e = extract_mrz_thorough(grey, turns, opts, alt, &found);
			if (found)
				*doc = *alt;
			free(alt);
		}
	}
	pixDestroy(&up);
out:
	free(plain);
	return e;
}

static enum idv_err
extract_bytes(const uint8_t *p, size_t len, const struct idv_extract_opts *opts,
	      struct idv_document *doc)
{
	enum idv_err result = IDV_OK;
	PIX *grey = NULL;
	struct idv_sniff sn;
	idv_document_init(doc);
	size_t max_bytes = opts->max_bytes ? opts->max_bytes : IDV_LIMIT_UPLOAD_BYTES;
	if (len > max_bytes) {
		extract_fail(doc, IDV_DOCSTAT_REJECTED, IDV_E_TOOBIG, "file over the size limit");
		return IDV_OK;
	}
	enum idv_err err = idv_sniff(p, len, opts->max_pixels, 0, &sn);
	if (err != IDV_OK) {
		extract_fail(doc,
			     err == IDV_E_UNREADABLE ? IDV_DOCSTAT_UNREADABLE
						     : IDV_DOCSTAT_REJECTED,
			     err, sn.detail);
		return IDV_OK;
	}
	if (sn.format == IDV_FMT_PDF) {
		idv_stagetime_begin("pdf");
		err = idv_extract_pdf(p, len, opts, extract_grey, doc); /* residence */
		idv_stagetime_end();
		return err;
	}
	char detail[128];
	idv_stagetime_begin("decode");
	err = idv_image_decode(p, len, &sn, &grey, detail, sizeof detail);
	idv_stagetime_end();
	if (err != IDV_OK) {
		extract_fail(doc, IDV_DOCSTAT_UNREADABLE, err, detail);
		return IDV_OK;
	}
	doc->page_width = pixGetWidth(grey);
	doc->page_height = pixGetHeight(grey);
	result = extract_grey(grey, opts, doc);
	pixDestroy(&grey);
	return result;
}

enum idv_err
idv_extract_bytes(const uint8_t *p, size_t len, const struct idv_extract_opts *opts,
		  struct idv_document *doc)
{
	idv_stagetime_begin("other"); /* what no stage below claims: grey copies, merging */
	enum idv_err e = extract_bytes(p, len, opts, doc);
	idv_stagetime_end();
	return e;
}

enum idv_err
idv_extract_file(const char *path, const struct idv_extract_opts *opts, struct idv_document *doc)
{
	idv_document_init(doc);
	size_t max_bytes = opts->max_bytes ? opts->max_bytes : IDV_LIMIT_UPLOAD_BYTES;
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		extract_fail(doc, IDV_DOCSTAT_UNREADABLE, IDV_E_IO,
			     errno == ENOENT ? "no such file" : "cannot open the file");
		return IDV_OK;
	}
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		extract_fail(doc, IDV_DOCSTAT_UNREADABLE, IDV_E_IO, "not a regular file");
		return IDV_OK;
	}
	if ((uint64_t)st.st_size > max_bytes) {
		fclose(f);
		extract_fail(doc, IDV_DOCSTAT_REJECTED, IDV_E_TOOBIG, "file over the size limit");
		return IDV_OK;
	}
	size_t cap = (size_t)st.st_size + 1, len = 0;
	uint8_t *buf = idv_malloc(cap);
	size_t n;
	while (len < cap && (n = fread(buf + len, 1, cap - len, f)) > 0)
		len += n;
	bool err = ferror(f) != 0;
	fclose(f);
	enum idv_err result = IDV_OK;
	if (err)
		extract_fail(doc, IDV_DOCSTAT_UNREADABLE, IDV_E_IO, "read error");
	else if (len > max_bytes)
		extract_fail(doc, IDV_DOCSTAT_REJECTED, IDV_E_TOOBIG, "file over the size limit");
	else
		result = idv_extract_bytes(buf, len, opts, doc);
	free(buf);
	return result;
}

void
idv_extract_merge(const struct idv_document *front, const struct idv_document *back,
		  int64_t today_days, struct idv_document *out)
{
	idv_document_merge(back, front, out);
	if (out->kind != IDV_DOC_UNKNOWN)
		extract_expired(out, today_days);
}
