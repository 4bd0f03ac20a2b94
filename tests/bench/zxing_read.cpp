/* SPDX-License-Identifier: Apache-2.0 */
/*
 * zxing_read.cpp: the baseline a user would write around zxing-cpp (Debian 12 ships the library,
 * libzxing2, but not its ZXingReader example): decode an image file with leptonica, grey it, and
 * print every barcode zxing-cpp 1.4 finds with its default hints (all formats, try harder, try
 * rotate), one "FORMAT: text" line each. Exit 0 when one was found, 1 when none, 2 on errors.
 * Benchmark helper only (tests/bench/bench_read.py), never installed.
 */
#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>
#include <leptonica/allheaders.h>

#include <cstdio>
#include <vector>

int
main(int argc, char **argv)
{
	if (argc != 2) {
		std::fprintf(stderr, "usage: zxing_read IMAGE\n");
		return 2;
	}
	setMsgSeverity(L_SEVERITY_NONE);
	PIX *pix = pixRead(argv[1]);
	PIX *grey = pix != nullptr ? pixConvertTo8(pix, 0) : nullptr;
	pixDestroy(&pix);
	if (grey == nullptr) {
		std::fprintf(stderr, "zxing_read: cannot read %s\n", argv[1]);
		return 2;
	}
	int w = pixGetWidth(grey), h = pixGetHeight(grey);
	/* leptonica keeps 8 bpp rows as big-endian 32-bit words: copy them out byte by byte */
	std::vector<uint8_t> buf(static_cast<size_t>(w) * static_cast<size_t>(h));
	l_uint32 *data = pixGetData(grey);
	int wpl = pixGetWpl(grey);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			buf[static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)] =
				static_cast<uint8_t>(GET_DATA_BYTE(data + y * wpl, x));
	pixDestroy(&grey);
	int found = 0;
	try {
		ZXing::ImageView view(buf.data(), w, h, ZXing::ImageFormat::Lum);
		for (const ZXing::Result &r : ZXing::ReadBarcodes(view, ZXing::DecodeHints())) {
			if (!r.isValid())
				continue;
			std::printf("%s: %s\n", ZXing::ToString(r.format()), r.text().c_str());
			found++;
		}
	} catch (...) {
		return 2;
	}
	return found > 0 ? 0 : 1;
}
