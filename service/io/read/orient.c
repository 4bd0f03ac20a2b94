/* SPDX-License-Identifier: Apache-2.0 */
/*
 * orient.c: content-based orientation of pages and cards (orient.h). The image is brought to a
 * working size where body text is 15-40 pixels tall (leptonica's detector is made for 150-300
 * ppi text), its background flattened (phone photos are unevenly lit), binarised, and handed
 * to pixOrientDetect; makeOrientDecision turns the up/down and left/right confidences into an
 * orientation. A sparse bill gives weak confidences: when "upright" is not the clear winner,
 * tesseract's OSD (about a second on a page, paid only then) decides, and leptonica's weak
 * answer stands only when OSD has none.
 */
#include <stdbool.h>

#include <leptonica/allheaders.h>

#include "ocr.h"
#include "orient.h"

#define ORIENT_WORK_MAX 2400 /* longer side of the working copy */
#define ORIENT_WORK_MIN 1400
#define ORIENT_MIN_CONF 6.0f  /* leptonica's default is 8.0 for the up/down confidence */
#define ORIENT_MIN_RATIO 2.5f
#define ORIENT_UP_ENOUGH 2.0f /* up/down confidence that, leading, spares the OSD run */
#define ORIENT_WEAK 3.0f      /* leptonica's weak answer, used when OSD has none */
#define ORIENT_OSD_MIN 2.0f

static PIX *
orient_binary(PIX *grey)
{
	int w = pixGetWidth(grey), h = pixGetHeight(grey);
	int longer = w > h ? w : h;
	float f = 1.0f;
	if (longer > ORIENT_WORK_MAX)
		f = (float)ORIENT_WORK_MAX / (float)longer;
	else if (longer < ORIENT_WORK_MIN)
		f = (float)ORIENT_WORK_MIN / (float)longer;
	PIX *g8 = pixGetDepth(grey) == 8 ? pixClone(grey) : pixConvertTo8(grey, 0);
	if (g8 == NULL)
		return NULL;
	PIX *scaled = f == 1.0f ? pixClone(g8) : pixScale(g8, f, f);
	pixDestroy(&g8);
	if (scaled == NULL)
		return NULL;
	PIX *flat = pixBackgroundNormSimple(scaled, NULL, NULL);
	PIX *bin = pixConvertTo1(flat != NULL ? flat : scaled, 130);
	pixDestroy(&flat);
	pixDestroy(&scaled);
	return bin;
}

static int
orient_turns(l_int32 orient)
{
	switch (orient) {
	case L_TEXT_ORIENT_UP: return 0;
	case L_TEXT_ORIENT_LEFT: return 1; /* the text's top points left: turn clockwise */
	case L_TEXT_ORIENT_DOWN: return 2;
	case L_TEXT_ORIENT_RIGHT: return 3;
	default: return -1;
	}
}

/* The strongest of leptonica's weak signals, or -1. */
static int
orient_weak(float up, float left)
{
	float au = up < 0 ? -up : up, al = left < 0 ? -left : left;
	if (au < ORIENT_WEAK && al < ORIENT_WEAK)
		return -1;
	if (au >= al)
		return up > 0 ? 0 : 2;
	return left > 0 ? 1 : 3;
}

/* tesseract's answer on the image at most ORIENT_WORK_MAX on its longer side, or -1. */
static int
orient_osd(PIX *grey, struct idv_ocr *ocr)
{
	int w = pixGetWidth(grey), h = pixGetHeight(grey);
	int longer = w > h ? w : h;
	float f = longer > ORIENT_WORK_MAX ? (float)ORIENT_WORK_MAX / (float)longer : 1.0f;
	PIX *img = f == 1.0f ? pixClone(grey) : pixScale(grey, f, f);
	int turns = -1;
	float conf = 0.0f;
	if (img == NULL)
		return -1;
	if (idv_ocr_orientation(ocr, img, &turns, &conf) != IDV_OK || conf < ORIENT_OSD_MIN)
		turns = -1;
	pixDestroy(&img);
	return turns;
}

int
idv_orient_detect(struct Pix *grey, struct idv_ocr *ocr)
{
	l_float32 up = 0.0f, left = 0.0f;
	l_int32 orient = L_TEXT_ORIENT_UNKNOWN;
	PIX *bin = orient_binary(grey);
	if (bin == NULL)
		return -1;
	bool ok = pixOrientDetect(bin, &up, &left, 0, 0) == 0 &&
		  makeOrientDecision(up, left, ORIENT_MIN_CONF, ORIENT_MIN_RATIO, &orient, 0) == 0;
	pixDestroy(&bin);
	if (!ok)
		return -1;
	int turns = orient_turns(orient);
	if (turns >= 0)
		return turns;
	float al = left < 0 ? -left : left;
	if (up >= ORIENT_UP_ENOUGH && up >= al)
		return 0;
	int osd = ocr != NULL ? orient_osd(grey, ocr) : -1;
	return osd >= 0 ? osd : orient_weak(up, left);
}

struct Pix *
idv_orient_upright(struct Pix *grey, struct idv_ocr *ocr, int *turns)
{
	int t = idv_orient_detect(grey, ocr);
	*turns = 0;
	if (t <= 0)
		return pixClone(grey);
	PIX *r = pixRotateOrth(grey, t);
	if (r != NULL)
		*turns = t;
	return r;
}
