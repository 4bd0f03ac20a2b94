/* SPDX-License-Identifier: Apache-2.0 */
/*
 * card.c: find an ID-1 card's four corners in a photo and warp it flat (card.h): the image
 * side (8 bpp images, downscaling by area averaging to IDV_CARDGEOM_WORK pixels on the long
 * side); the geometry is the core's (cardgeom.h).
 */
#include <leptonica/allheaders.h>

#include "card.h"
#include "image.h"
#include "stagetime.h"

size_t
idv_card_find(struct Pix *grey, struct idv_quad *out, size_t max)
{
	size_t nout = 0;
	PIX *small = NULL;
	uint8_t *p = NULL;
	int w = 0, h = 0;
	if (grey == NULL || pixGetDepth(grey) != 8 || max == 0)
		return 0;
	idv_stagetime_begin("card_find");
	int W = pixGetWidth(grey), H = pixGetHeight(grey);
	int longest = W > H ? W : H;
	float f = longest > IDV_CARDGEOM_WORK ? (float)IDV_CARDGEOM_WORK / (float)longest : 1.0f;
	small = f < 1.0f ? pixScaleAreaMap(grey, f, f) : pixClone(grey);
	if (small == NULL)
		goto out;
	p = idv_image_grey_bytes(small, &w, &h);
	if (p == NULL || w < 32 || h < 32)
		goto out;
	f = (float)w / (float)W;
	nout = idv_cardgeom_find(p, w, h, f, out, max);
out:
	free(p);
	pixDestroy(&small);
	idv_stagetime_end();
	return nout;
}

struct Pix *
idv_card_rectify(struct Pix *grey, const struct idv_quad *q, int w, int h)
{
	if (grey == NULL || pixGetDepth(grey) != 8 || w <= 0 || h <= 0 || w > 8000 || h > 8000)
		return NULL;
	int W, H;
	uint8_t *src = idv_image_grey_bytes(grey, &W, &H);
	if (src == NULL)
		return NULL;
	idv_stagetime_begin("rectify");
	PIX *pix = NULL;
	uint8_t *dst = idv_malloc((size_t)w * (size_t)h);
	if (idv_cardgeom_warp(src, W, H, q, dst, w, h))
		pix = idv_image_from_bytes(dst, w, h, w);
	free(dst);
	free(src);
	idv_stagetime_end();
	return pix;
}
