/* SPDX-License-Identifier: Apache-2.0 */
/*
 * barcode.h: reading barcodes from a grey image. PDF417 through zxing-cpp (the only decoder
 * here that reads it, DESIGN.md 9; one C++ file, service/io/read/zxing_shim.cpp), QR codes and 1D
 * codes through zbar. Payloads are raw bytes (AAMVA payloads contain control characters).
 */
#ifndef IDVERIFY_BARCODE_H
#define IDVERIFY_BARCODE_H

/* Also compiled as C++ (zxing_shim.cpp): only C headers that are valid C++. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct Pix;

#define IDV_BARCODE_MAX 8
#define IDV_BARCODE_DATA_MAX 4096 /* a PDF417 symbol holds at most 1850 bytes */

struct idv_barcode {
	char format[16]; /* "PDF417", "QRCode", "Code128", "Code39", "EAN13", ... */
	uint8_t data[IDV_BARCODE_DATA_MAX + 1]; /* NUL-terminated for convenience */
	size_t len;
	bool truncated; /* the payload was longer than IDV_BARCODE_DATA_MAX */
	float corners[8]; /* x0,y0 .. x3,y3 in the scanned image when known (zxing) */
};

struct idv_barcodes {
	struct idv_barcode items[IDV_BARCODE_MAX];
	size_t n;
};

/* Flags for idv_barcode_read_zxing. */
#define IDV_BC_TRY_HARDER 0x1u /* zxing tryHarder + tryRotate (90/180/270) */
#define IDV_BC_PURE 0x2u       /* the image is just the symbol (generated, not photographed) */

/*
 * PDF417 symbols in an 8 bpp grey image; appends to out (up to IDV_BARCODE_MAX). Returns how
 * many were added. Never throws; never fails except for lack of room.
 */
size_t idv_barcode_read_pdf417(struct Pix *grey, unsigned flags, struct idv_barcodes *out);

/* QR codes and 1D codes through zbar (zbar cannot read PDF417); appends, returns how many. */
size_t idv_barcode_read_zbar(struct Pix *grey, struct idv_barcodes *out);

/*
 * The C interface of zxing_shim.cpp: PDF417 in a contiguous grey buffer of w x h pixels, rows
 * of stride bytes. Appends to out; returns how many were added.
 */
size_t idv_zxing_read(const uint8_t *grey, int w, int h, int stride, unsigned flags,
		      struct idv_barcodes *out);

#ifdef __cplusplus
}
#endif

#endif
