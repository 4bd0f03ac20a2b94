/* SPDX-License-Identifier: Apache-2.0 */
/*
 * image.h: decoding an uploaded image with leptonica, from memory, only after idv_sniff accepted
 * it (format known, pixel count under the cap), into an upright 8-bit grey Pix.
 */
#ifndef IDVERIFY_IMAGE_H
#define IDVERIFY_IMAGE_H

#include "idverify/sniff.h"

struct Pix;

/*
 * Decode p[0..len), which idv_sniff described as *sn, into a new 8 bpp grey image turned upright
 * according to sn->orientation (EXIF). On success *out is owned by the caller (pixDestroy).
 * IDV_E_UNREADABLE (truncated or corrupt data, or decoded size differing from the header) with
 * a reason in detail; IDV_E_UNSUPPORTED for a PDF (not an image).
 */
enum idv_err idv_image_decode(const uint8_t *p, size_t len, const struct idv_sniff *sn,
			      struct Pix **out, char *detail, size_t detailsz);

/* Quiet leptonica's messages to stderr (once per process; decoding errors are reported by us). */
void idv_image_quiet(void);

/*
 * Copy an 8 bpp Pix into a contiguous buffer of w * h bytes (leptonica keeps 8-bit pixels
 * byte-swapped inside 32-bit words on little-endian machines). Returns a malloc'd buffer.
 */
uint8_t *idv_image_grey_bytes(struct Pix *grey, int *w, int *h);

/* The reverse: a new 8 bpp Pix from w * h bytes (rows of stride bytes). */
struct Pix *idv_image_from_bytes(const uint8_t *p, int w, int h, int stride);

#endif
