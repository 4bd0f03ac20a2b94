/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mrzread.c: find the machine-readable zone in an image and recognise it (see mrzread.h): the
 * image side (grey conversion, scaling, deskewing, binarisation, connected components with
 * leptonica) and the OCR-B template file; the cells are read by the core (mrzcell.h), the
 * templates trained by tests/accuracy/mrz_train.c.
 */
#include <math.h>

#include <leptonica/allheaders.h>

#include "mrzread.h"
#include "idverify/str.h"

#define MR_GN IDV_MRZCELL_N
#define MR_NCLASS IDV_MRZCELL_NCLASS
#define MR_NBUCKET IDV_MRZCELL_NBUCKET
#define MR_WORK_MAX 2000 /* longest side of the working image */
#define MR_MIN_CAP 7     /* cap height (input pixels) below which characters are not read */
#define MR_MIN_CONF                                                                                \
	0.65f /* mean correlation below which rows of text are not an MRZ (real
			     MRZs score 0.72 (5 px characters) to 0.97; a bill's text ~0.55) */

struct idv_mrzread {
	struct idv_mrzcell_templates t;
};

/* ---------------------------------------------------------------------------------------------
 * Grey images as plain bytes
 */

static enum idv_err
mr_img_from_pix(PIX *pix, struct idv_mrzcell_img *out)
{
	int w = (int)pixGetWidth(pix), h = (int)pixGetHeight(pix);
	size_t n;
	if (w <= 0 || h <= 0 || idv_size_mul((size_t)w, (size_t)h, &n))
		return IDV_E_INVAL;
	out->p = idv_malloc(n);
	out->w = w;
	out->h = h;
	l_uint32 *data = pixGetData(pix);
	int wpl = pixGetWpl(pix);
	for (int y = 0; y < h; y++) {
		l_uint32 *line = data + (size_t)y * (size_t)wpl;
		for (int x = 0; x < w; x++)
			out->p[(size_t)y * (size_t)w + (size_t)x] = (uint8_t)GET_DATA_BYTE(line, x);
	}
	return IDV_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Driver
 */

static PIX *
mr_binarise(PIX *grey, int variant)
{
	PIX *b = NULL;
	switch (variant) {
	case 0:
		b = pixOtsuThreshOnBackgroundNorm(grey, NULL, 20, 20, 100, 50, 255, 2, 2, 0.1f,
						  NULL);
		break;
	case 1:
		if (pixSauvolaBinarize(grey, 12, 0.34f, 1, NULL, NULL, NULL, &b) != 0)
			b = NULL;
		break;
	default: b = pixThresholdToBinary(grey, 110); break;
	}
	return b;
}

static size_t
mr_components(PIX *bin, int imh, struct idv_mrzcell_comp *out, size_t max)
{
	BOXA *boxa = pixConnCompBB(bin, 8);
	size_t n = 0;
	if (boxa == NULL)
		return 0;
	l_int32 count = boxaGetCount(boxa);
	for (l_int32 i = 0; i < count && n < max; i++) {
		l_int32 x, y, w, h;
		if (boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h) != 0)
			continue;
		if (h < 5 || h > imh / 5 || w > 3 * h || w < 1)
			continue;
		out[n].x = x, out[n].y = y, out[n].w = w, out[n].h = h;
		n++;
	}
	boxaDestroy(&boxa);
	return n;
}

/* Locate the zone in one binarisation of w->im; fills w->geom and w->zone. */
static bool
mr_locate(PIX *grey, int variant, struct idv_mrzread_located *w)
{
	PIX *bin = mr_binarise(grey, variant);
	if (bin == NULL)
		return false;
	size_t n = mr_components(bin, w->im.h, w->geom.comps, IDV_MRZCELL_MAX_COMPS);
	pixDestroy(&bin);
	idv_mrzcell_find_lines(w->geom.comps, n, w->im.h, &w->geom);
	return idv_mrzcell_pick_zone(&w->geom, &w->zone);
}

static void
mr_band_box(const struct idv_mrzread_located *w, struct idv_box *box)
{
	const struct idv_mrzcell_line *a = &w->geom.lines[w->zone.line[0]];
	const struct idv_mrzcell_line *b = &w->geom.lines[w->zone.line[w->zone.nlines - 1]];
	float x0 = (float)(a->x0 < b->x0 ? a->x0 : b->x0),
	      x1 = (float)(a->x1 > b->x1 ? a->x1 : b->x1);
	float y0 = a->cy - a->cap, y1 = b->cy + b->cap;
	/* undo the rotation about the centre, then the scale; the box bounds the rotated corners */
	float cxm = (float)w->im.w / 2.0f, cym = (float)w->im.h / 2.0f;
	float rad = -w->angle * 3.14159265f / 180.0f;
	float xs[4] = {x0, x1, x1, x0}, ys[4] = {y0, y0, y1, y1};
	float mnx = 1e9f, mny = 1e9f, mxx = -1e9f, mxy = -1e9f;
	for (int k = 0; k < 4; k++) {
		float dx = xs[k] - cxm, dy = ys[k] - cym;
		float rx = cxm + dx * cosf(rad) - dy * sinf(rad);
		float ry = cym + dx * sinf(rad) + dy * cosf(rad);
		mnx = fminf(mnx, rx), mny = fminf(mny, ry), mxx = fmaxf(mxx, rx),
		mxy = fmaxf(mxy, ry);
	}
	box->x = (int)(mnx / w->scale);
	box->y = (int)(mny / w->scale);
	box->w = (int)((mxx - mnx) / w->scale);
	box->h = (int)((mxy - mny) / w->scale);
	if (box->x < 0)
		box->w += box->x, box->x = 0;
	if (box->y < 0)
		box->h += box->y, box->y = 0;
}

/* Grey working image: converted, scaled to at most MR_WORK_MAX, deskewed. */
static PIX *
mr_prepare(PIX *pix, float extra_deg, const float *known_skew, struct idv_mrzread_located *w)
{
	PIX *g8 = NULL, *scaled = NULL, *rot = NULL, *bin = NULL;
	w->inw = (int)pixGetWidth(pix);
	w->inh = (int)pixGetHeight(pix);
	g8 = pixConvertTo8(pix, 0);
	if (g8 == NULL)
		return NULL;
	int longest = w->inw > w->inh ? w->inw : w->inh;
	w->scale = 1.0f;
	if (longest > MR_WORK_MAX)
		w->scale = (float)MR_WORK_MAX / (float)longest;
	else if (longest < 900)
		w->scale = 900.0f / (float)longest; /* low resolution: enlarge for the components */
	scaled = w->scale == 1.0f ? pixClone(g8) : pixScale(g8, w->scale, w->scale);
	pixDestroy(&g8);
	if (scaled == NULL)
		return NULL;
	w->angle = 0;
	bin = known_skew ? NULL : mr_binarise(scaled, 0);
	if (known_skew)
		w->angle = *known_skew;
	if (bin != NULL) {
		l_float32 angle = 0, conf = 0;
		if (pixFindSkew(bin, &angle, &conf) == 0 && conf > 2.0f && fabsf(angle) > 0.1f)
			w->angle = angle;
		pixDestroy(&bin);
	}
	w->angle += extra_deg;
	if (w->angle != 0.0f) {
		rot = pixRotate(scaled, w->angle * 3.14159265f / 180.0f, L_ROTATE_AREA_MAP,
				L_BRING_IN_WHITE, 0, 0);
		pixDestroy(&scaled);
		return rot;
	}
	return scaled;
}

/* Every angle of extra[] below; quick: the page's own skew only, and no other binarisation
 * when the first shows no zone (one that shows a zone still gets the others, to read it
 * better). */
static enum idv_err
mr_run(const struct idv_mrzread *r, struct Pix *pix, bool quick, struct idv_mrzread_result *out)
{
	enum idv_err result = IDV_OK;
	struct idv_mrzread_located *w = NULL;
	PIX *grey = NULL;
	struct idv_mrzcell_reading *rd = NULL, *best = NULL;

	memset(out, 0, sizeof(*out));
	if (r == NULL || pix == NULL)
		return IDV_E_INVAL;
	w = idv_calloc(1, sizeof(*w));
	w->geom.comps = idv_malloc(IDV_MRZCELL_MAX_COMPS * sizeof(*w->geom.comps));
	rd = idv_malloc(sizeof(*rd));
	best = idv_calloc(1, sizeof(*best));
	/* deskewed by the page's own skew; when no zone shows, by a few degrees more either way
	 * (perspective bends the MRZ rows away from the text above them) */
	static const float extra[] = {0.0f, 1.5f, -1.5f, 3.0f, -3.0f, 4.5f, -4.5f, 6.0f, -6.0f};
	float skew = 0;
	static const float shifts[] = {0.0f, -0.12f, 0.12f};
	int variant = 0;
	size_t nextra = quick ? 1 : IDV_ARRAY_LEN(extra);
	for (size_t ex = 0; ex < nextra && !out->found; ex++) {
		pixDestroy(&grey);
		free(w->im.p);
		w->im.p = NULL;
		grey = mr_prepare(pix, extra[ex], ex ? &skew : NULL, w);
		if (ex == 0)
			skew = w->angle;
		if (grey == NULL) {
			result = IDV_E_UNREADABLE;
			goto out;
		}
		result = mr_img_from_pix(grey, &w->im);
		if (result != IDV_OK)
			goto out;
		/* the retries at other angles use the first binarisation only */
		for (int bv = 0; bv < (ex ? 1 : 3); bv++) {
			if (!mr_locate(grey, bv, w)) {
				if (quick && bv == 0)
					break;
				continue;
			}
			if (w->geom.lines[w->zone.line[0]].cap / w->scale < (float)MR_MIN_CAP) {
				/* 2 mm characters at under ~90 dpi: any reading would be a guess that the
				 * check digits could be made to bless */
				out->found = true;
				out->too_small = true;
				mr_band_box(w, &out->band);
				out->char_height = (int)(w->geom.lines[w->zone.line[0]].cap /
							 w->scale);
				goto out;
			}
			for (size_t s = 0; s < IDV_ARRAY_LEN(shifts); s++, variant++) {
				idv_mrzcell_read_zone(&r->t, &w->im, &w->geom, &w->zone, shifts[s],
						      rd);
				if (!out->found || rd->passed > best->passed ||
				    (rd->passed == best->passed && rd->conf > best->conf)) {
					*best = *rd;
					out->found = true;
					out->variant = bv * 10 + (int)s;
					mr_band_box(w, &out->band);
					out->char_height =
						(int)(w->geom.lines[w->zone.line[0]].cap /
						      w->scale);
				}
				if (best->passed == best->total)
					goto done;
			}
		}
	}
done:
	if (out->found && best->conf < MR_MIN_CONF)
		memset(out, 0, sizeof(*out)); /* rows of other text with the pitch of an MRZ */
	if (out->found) {
		snprintf(out->format, sizeof(out->format), "%s",
			 best->fmt == 30   ? "TD1"
			 : best->fmt == 36 ? "TD2"
					   : "TD3");
		out->nlines = best->nlines;
		for (size_t i = 0; i < best->nlines; i++)
			memcpy(out->lines[i], best->lines[i], sizeof(out->lines[i]));
		out->checks_passed = best->passed;
		out->checks_total = best->total;
		out->confidence = best->conf < 0 ? 0 : best->conf;
		out->skew_deg = w->angle;
	}
out:
	pixDestroy(&grey);
	if (w) {
		free(w->im.p);
		free(w->geom.comps);
	}
	free(w);
	free(rd);
	free(best);
	return result;
}

enum idv_err
idv_mrzread_run(const struct idv_mrzread *r, struct Pix *pix, struct idv_mrzread_result *out)
{
	return mr_run(r, pix, false, out);
}

enum idv_err
idv_mrzread_run_quick(const struct idv_mrzread *r, struct Pix *pix, struct idv_mrzread_result *out)
{
	return mr_run(r, pix, true, out);
}

enum idv_err
idv_mrzread_locate(struct Pix *pix, struct idv_mrzread_located **out)
{
	struct idv_mrzread_located *w = idv_calloc(1, sizeof(*w));
	w->geom.comps = idv_malloc(IDV_MRZCELL_MAX_COMPS * sizeof(*w->geom.comps));
	PIX *grey = mr_prepare(pix, 0.0f, NULL, w);
	bool found = grey != NULL && mr_img_from_pix(grey, &w->im) == IDV_OK &&
		     mr_locate(grey, 0, w);
	pixDestroy(&grey);
	*out = NULL;
	if (!found) {
		idv_mrzread_located_free(w);
		return IDV_E_NOTFOUND;
	}
	*out = w;
	return IDV_OK;
}

void
idv_mrzread_located_free(struct idv_mrzread_located *w)
{
	if (w == NULL)
		return;
	free(w->im.p);
	free(w->geom.comps);
	free(w);
}

/* ---------------------------------------------------------------------------------------------
 * Templates: file format
 *
 *   idverify-ocrb-templates 1 <W> <H>
 *   <char> <bucket> <W*H values 0..255 as hex pairs>
 *   ...
 */

enum idv_err
idv_mrzread_new(const char *models_dir, struct idv_mrzread **out)
{
	enum idv_err result = IDV_OK;
	char path[4096];
	FILE *fp = NULL;
	char *line = NULL;
	size_t cap = 0;
	struct idv_mrzread *r = NULL;

	*out = NULL;
	int k = snprintf(path, sizeof(path), "%s/mrz/ocrb.tmpl",
			 models_dir ? models_dir : "models");
	if (k < 0 || (size_t)k >= sizeof(path))
		return IDV_E_TOOBIG;
	fp = fopen(path, "r");
	if (fp == NULL)
		return IDV_E_NOTFOUND;
	r = idv_calloc(1, sizeof(*r));
	ssize_t n = getline(&line, &cap, fp);
	if (n <= 0 || strncmp(line, "idverify-ocrb-templates 1 20 28", 31) != 0) {
		result = IDV_E_PARSE;
		goto out;
	}
	size_t loaded = 0;
	while ((n = getline(&line, &cap, fp)) > 0) {
		if ((size_t)n < 4 + 2 * MR_GN || line[1] != ' ' || line[3] != ' ') {
			result = IDV_E_PARSE;
			goto out;
		}
		const char *pc = strchr(idv_mrzcell_alphabet, line[0]);
		int b = line[2] - '0';
		if (pc == NULL || line[0] == '\0' || b < 0 || b >= MR_NBUCKET) {
			result = IDV_E_PARSE;
			goto out;
		}
		int ci = (int)(pc - idv_mrzcell_alphabet);
		float *t = r->t.tmpl[ci][b];
		double sum = 0, nn = 0;
		for (int i = 0; i < MR_GN; i++) {
			int hi = (unsigned char)line[4 + 2 * i],
			    lo = (unsigned char)line[5 + 2 * i];
			if (!idv_isxdigit(hi) || !idv_isxdigit(lo)) {
				result = IDV_E_PARSE;
				goto out;
			}
			int hv = idv_isdigit(hi) ? hi - '0' : idv_tolower(hi) - 'a' + 10;
			int lv = idv_isdigit(lo) ? lo - '0' : idv_tolower(lo) - 'a' + 10;
			t[i] = (float)(hv * 16 + lv);
			sum += t[i];
		}
		float mean = (float)(sum / MR_GN);
		for (int i = 0; i < MR_GN; i++) {
			t[i] -= mean;
			nn += (double)t[i] * t[i];
		}
		if (nn < 1e-6) {
			result = IDV_E_PARSE;
			goto out;
		}
		for (int i = 0; i < MR_GN; i++)
			t[i] = (float)(t[i] / sqrt(nn));
		r->t.have[ci][b] = true;
		loaded++;
	}
	for (int c = 0; c < MR_NCLASS; c++)
		if (!r->t.have[c][0] && !r->t.have[c][1])
			result = IDV_E_PARSE;
	if (loaded == 0)
		result = IDV_E_PARSE;
out:
	free(line);
	if (fp)
		fclose(fp);
	if (result != IDV_OK)
		free(r);
	else
		*out = r;
	return result;
}

void
idv_mrzread_free(struct idv_mrzread *r)
{
	free(r);
}
