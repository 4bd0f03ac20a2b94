/* SPDX-License-Identifier: Apache-2.0 */
/*
 * barcode.c: grey Pix to contiguous bytes, then zxing-cpp (PDF417, via zxing_shim.cpp) or zbar
 * (QR and 1D). See barcode.h.
 */
#include <leptonica/allheaders.h>
#include <zbar.h>

#include "barcode.h"
#include "idverify/common.h"
#include "image.h"
#include "stagetime.h"

size_t
idv_barcode_read_pdf417(struct Pix *grey, unsigned flags, struct idv_barcodes *out)
{
	int w, h;
	idv_stagetime_begin("pdf417");
	uint8_t *buf = idv_image_grey_bytes(grey, &w, &h);
	size_t n = buf != NULL ? idv_zxing_read(buf, w, h, w, flags, out) : 0;
	free(buf);
	idv_stagetime_end();
	return n;
}

static const char *
barcode_zbar_name(zbar_symbol_type_t t)
{
	switch (t) {
	case ZBAR_QRCODE: return "QRCode";
	case ZBAR_CODE128: return "Code128";
	case ZBAR_CODE39: return "Code39";
	case ZBAR_CODE93: return "Code93";
	case ZBAR_EAN13: return "EAN13";
	case ZBAR_EAN8: return "EAN8";
	case ZBAR_UPCA: return "UPCA";
	case ZBAR_UPCE: return "UPCE";
	case ZBAR_I25: return "ITF";
	case ZBAR_CODABAR: return "Codabar";
	case ZBAR_DATABAR: return "DataBar";
	case ZBAR_DATABAR_EXP: return "DataBarExpanded";
	default: return "Other";
	}
}

size_t
idv_barcode_read_zbar(struct Pix *grey, struct idv_barcodes *out)
{
	size_t added = 0;
	int w, h;
	uint8_t *buf = idv_image_grey_bytes(grey, &w, &h);
	if (buf == NULL)
		return 0;
	idv_stagetime_begin("zbar");
	zbar_image_scanner_t *scanner = zbar_image_scanner_create();
	zbar_image_t *img = zbar_image_create();
	zbar_image_scanner_set_config(scanner, 0, ZBAR_CFG_ENABLE, 1);
	/* zbar's PDF417 support is incomplete (DESIGN.md 9); zxing reads those. */
	zbar_image_scanner_set_config(scanner, ZBAR_PDF417, ZBAR_CFG_ENABLE, 0);
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, (unsigned)w, (unsigned)h);
	zbar_image_set_data(img, buf, (unsigned long)w * (unsigned long)h, NULL);
	if (zbar_scan_image(scanner, img) > 0) {
		for (const zbar_symbol_t *s = zbar_image_first_symbol(img); s != NULL;
		     s = zbar_symbol_next(s)) {
			if (out->n >= IDV_BARCODE_MAX)
				break;
			struct idv_barcode *b = &out->items[out->n];
			memset(b, 0, sizeof *b);
			idv_strlcpy(b->format, barcode_zbar_name(zbar_symbol_get_type(s)),
				    sizeof b->format);
			size_t n = zbar_symbol_get_data_length(s);
			const char *d = zbar_symbol_get_data(s);
			b->truncated = n > IDV_BARCODE_DATA_MAX;
			if (b->truncated)
				n = IDV_BARCODE_DATA_MAX;
			if (n > 0 && d != NULL)
				memcpy(b->data, d, n);
			b->data[n] = 0;
			b->len = n;
			out->n++;
			added++;
		}
	}
	zbar_image_destroy(img);
	zbar_image_scanner_destroy(scanner);
	free(buf);
	idv_stagetime_end();
	return added;
}
