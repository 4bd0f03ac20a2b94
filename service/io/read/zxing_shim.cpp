/* SPDX-License-Identifier: Apache-2.0 */
/*
 * zxing_shim.cpp: the one C++ file: PDF417 through zxing-cpp 1.4 behind a C interface
 * (barcode.h). No exception crosses into C: any throw means "nothing found".
 */
#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include <cstring>
#include <string>

#include "barcode.h"

extern "C" size_t
idv_zxing_read(const uint8_t *grey, int w, int h, int stride, unsigned flags,
	       struct idv_barcodes *out)
{
	size_t added = 0;
	if (grey == nullptr || w <= 0 || h <= 0 || stride < w || out == nullptr)
		return 0;
	try {
		ZXing::ImageView view(grey, w, h, ZXing::ImageFormat::Lum, stride);
		ZXing::DecodeHints hints;
		hints.setFormats(ZXing::BarcodeFormat::PDF417);
		hints.setTryHarder((flags & IDV_BC_TRY_HARDER) != 0);
		hints.setTryRotate((flags & IDV_BC_TRY_HARDER) != 0);
		hints.setIsPure((flags & IDV_BC_PURE) != 0);
		hints.setMaxNumberOfSymbols(IDV_BARCODE_MAX);
		ZXing::Results results = ZXing::ReadBarcodes(view, hints);
		for (const ZXing::Result &r : results) {
			if (!r.isValid() || out->n >= IDV_BARCODE_MAX)
				continue;
			const ZXing::ByteArray &bytes = r.bytes();
			struct idv_barcode *b = &out->items[out->n];
			std::memset(b->format, 0, sizeof b->format);
			std::string name = ZXing::ToString(r.format());
			std::memcpy(b->format, name.data(),
				    name.size() < sizeof b->format ? name.size() : sizeof b->format - 1);
			size_t n = bytes.size();
			b->truncated = n > IDV_BARCODE_DATA_MAX;
			if (b->truncated)
				n = IDV_BARCODE_DATA_MAX;
			if (n > 0)
				std::memcpy(b->data, bytes.data(), n);
			b->data[n] = 0;
			b->len = n;
			const ZXing::Position &pos = r.position();
			for (int i = 0; i < 4; i++) {
				b->corners[2 * i] = static_cast<float>(pos[i].x);
				b->corners[2 * i + 1] = static_cast<float>(pos[i].y);
			}
			out->n++;
			added++;
		}
	} catch (...) {
		return added;
	}
	return added;
}
