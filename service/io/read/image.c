/* SPDX-License-Identifier: Apache-2.0 */
/*
 * image.c: leptonica decoding from memory after sniffing (image.h). The sniffer has already
 * bounded the pixel count; this file only decodes, checks that the decoder agrees with the
 * header, converts to grey and applies the EXIF orientation.
 */
#include <leptonica/allheaders.h>

#include "image.h"

static int image_quiet_done;

void
idv_image_quiet(void)
{
	if (!image_quiet_done) {
		setMsgSeverity(L_SEVERITY_NONE);
		image_quiet_done = 1;
	}
}

static void
image_detail(char *detail, size_t detailsz, const char *msg)
{
	if (detail != NULL && detailsz > 0)
		idv_strlcpy(detail, msg, detailsz);
}

/* EXIF orientation 1..8 to upright (TIFF 6.0 / EXIF 2.3 tag 0x0112). */
static PIX *
image_orient(PIX *pix, int orientation)
{
	PIX *a = NULL, *b = NULL;
	switch (orientation) {
	case 2: return pixFlipLR(NULL, pix);
	case 3: return pixRotateOrth(pix, 2);
	case 4: return pixFlipTB(NULL, pix);
	case 5: /* transpose */
		a = pixRotateOrth(pix, 1);
		b = a ? pixFlipLR(NULL, a) : NULL;
		pixDestroy(&a);
		return b;
	case 6: return pixRotateOrth(pix, 1);
	case 7: /* transverse */
		a = pixRotateOrth(pix, 1);
		b = a ? pixFlipTB(NULL, a) : NULL;
		pixDestroy(&a);
		return b;
	case 8: return pixRotateOrth(pix, 3);
	default: return pixClone(pix);
	}
}

static PIX *
image_to_grey(PIX *pix)
{
	PIX *flat = NULL, *grey = NULL;
	if (pixGetDepth(pix) == 32 && pixGetSpp(pix) == 4)
		flat = pixAlphaBlendUniform(pix, 0xffffff00); /* transparent -> white */
	else
		flat = pixClone(pix);
	if (flat == NULL)
		return NULL;
	if (pixGetDepth(flat) == 32)
		grey = pixConvertRGBToLuminance(flat);
	else
		grey = pixConvertTo8(flat, 0);
	pixDestroy(&flat);
	return grey;
}

enum idv_err
idv_image_decode(const uint8_t *p, size_t len, const struct idv_sniff *sn, struct Pix **out,
		 char *detail, size_t detailsz)
{
	enum idv_err result = IDV_OK;
	PIX *raw = NULL, *grey = NULL;
	*out = NULL;
	idv_image_quiet();
	if (sn->format == IDV_FMT_PDF || sn->format == IDV_FMT_UNKNOWN) {
		image_detail(detail, detailsz, "not an image");
		return IDV_E_UNSUPPORTED;
	}
	if (sn->format == IDV_FMT_JPEG) {
		/* Default hint: fail on corrupt or truncated data rather than returning grey. */
		l_int32 nwarn = 0;
		raw = pixReadMemJpeg(p, len, 0, 1, &nwarn, L_JPEG_READ_LUMINANCE);
		if (raw != NULL && nwarn > 0)
			pixDestroy(&raw);
	} else {
		raw = pixReadMem(p, len);
	}
	if (raw == NULL) {
		image_detail(detail, detailsz, sn->format == IDV_FMT_JPEG ?
			     "truncated or corrupt JPEG data" : "truncated or corrupt image data");
		result = IDV_E_UNREADABLE;
		goto out;
	}
	if ((uint32_t)pixGetWidth(raw) != sn->width || (uint32_t)pixGetHeight(raw) != sn->height) {
		image_detail(detail, detailsz, "decoded size differs from the header");
		result = IDV_E_UNREADABLE;
		goto out;
	}
	grey = image_to_grey(raw);
	if (grey == NULL) {
		image_detail(detail, detailsz, "could not convert the image to grey");
		result = IDV_E_UNREADABLE;
		goto out;
	}
	*out = image_orient(grey, sn->orientation);
	if (*out == NULL) {
		image_detail(detail, detailsz, "could not orient the image");
		result = IDV_E_UNREADABLE;
	}
out:
	pixDestroy(&grey);
	pixDestroy(&raw);
	return result;
}

uint8_t *
idv_image_grey_bytes(struct Pix *grey, int *w, int *h)
{
	*w = pixGetWidth(grey);
	*h = pixGetHeight(grey);
	size_t n;
	if (pixGetDepth(grey) != 8 || idv_size_mul((size_t)*w, (size_t)*h, &n) || n == 0)
		return NULL;
	uint8_t *buf = idv_malloc(n);
	l_uint32 *data = pixGetData(grey);
	int wpl = pixGetWpl(grey);
	for (int y = 0; y < *h; y++) {
		const l_uint32 *line = data + (size_t)y * (size_t)wpl;
		uint8_t *row = buf + (size_t)y * (size_t)*w;
		for (int x = 0; x < *w; x++)
			row[x] = (uint8_t)GET_DATA_BYTE(line, x);
	}
	return buf;
}

struct Pix *
idv_image_from_bytes(const uint8_t *p, int w, int h, int stride)
{
	PIX *pix = pixCreateNoInit(w, h, 8);
	if (pix == NULL)
		return NULL;
	l_uint32 *data = pixGetData(pix);
	int wpl = pixGetWpl(pix);
	for (int y = 0; y < h; y++) {
		l_uint32 *line = data + (size_t)y * (size_t)wpl;
		const uint8_t *row = p + (size_t)y * (size_t)stride;
		for (int x = 0; x < w; x++)
			SET_DATA_BYTE(line, x, row[x]);
	}
	return pix;
}
