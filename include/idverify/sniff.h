/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sniff.h: what an uploaded file is, from its magic bytes alone (never a file name or a client's
 * Content-Type), and how many pixels it would decode to, read from the header bytes before any
 * decoder sees the file (DESIGN.md 3 and 9: leptonica decodes a 30000x30000 PNG in full if asked).
 *
 * Pure: bytes plus length in, a fixed-size struct out; no allocation, no I/O.
 *
 * Supported: JPEG (SOFn scanned segment by segment), PNG (IHDR), TIFF (first IFD), WebP
 * (VP8, VP8L, VP8X still images) and PDF (no pixel size: pages are rendered under their own cap).
 * JPEG also yields its EXIF orientation (APP1, IFD0 tag 0x0112), 1 when absent.
 */
#ifndef IDVERIFY_SNIFF_H
#define IDVERIFY_SNIFF_H

#include "idverify/common.h"

enum idv_format {
	IDV_FMT_UNKNOWN = 0,
	IDV_FMT_JPEG,
	IDV_FMT_PNG,
	IDV_FMT_TIFF,
	IDV_FMT_WEBP,
	IDV_FMT_PDF,
	IDV_FMT__COUNT
};

/* "unknown", "jpeg", "png", "tiff", "webp", "pdf". */
const char *idv_format_name(enum idv_format f);
/* "application/octet-stream", "image/jpeg", ... "application/pdf". */
const char *idv_format_mime(enum idv_format f);

#define IDV_SNIFF_DETAIL_MAX 128

struct idv_sniff {
	enum idv_format format; /* also set on errors when the magic bytes were recognised */
	uint32_t width, height; /* pixels; 0 for PDF */
	int orientation;        /* EXIF orientation 1..8 (JPEG only; 1 when absent or invalid) */
	char detail[IDV_SNIFF_DETAIL_MAX]; /* on error: a reason, never file content */
};

/*
 * Identify p[0..len) and check its pixel dimensions against max_pixels (width * height) and
 * max_side (either side); 0 means the compiled-in IDV_LIMIT_PIXELS / IDV_LIMIT_DIMENSION.
 * Errors (out->detail says why):
 *   IDV_E_UNSUPPORTED  not a supported format (HEIC, GIF, BMP, text, empty, ...):
 *                      detail starts with "unsupported format"
 *   IDV_E_TOOBIG       dimensions over a limit (a decompression bomb)
 *   IDV_E_INVAL        a zero width or height
 *   IDV_E_UNREADABLE   the header is truncated or inconsistent
 */
enum idv_err idv_sniff(const uint8_t *p, size_t len, uint64_t max_pixels, uint32_t max_side,
		       struct idv_sniff *out);

/*
 * EXIF orientation (1..8) of a TIFF-structured EXIF block p[0..len) (what follows "Exif\0\0" in
 * a JPEG APP1 segment); 1 when absent or malformed.
 */
int idv_sniff_exif_orientation(const uint8_t *p, size_t len);

#endif
