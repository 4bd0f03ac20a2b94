/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"

#include "idverify/limits.h"
#include "idverify/sniff.h"

/* Minimal headers built byte by byte: enough for the sniffer, not decodable images. */
static size_t
png_header(uint8_t *b, uint32_t w, uint32_t h)
{
	static const uint8_t sig[16] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
					0, 0, 0, 13, 'I', 'H', 'D', 'R'};
	memcpy(b, sig, 16);
	b[16] = (uint8_t)(w >> 24), b[17] = (uint8_t)(w >> 16), b[18] = (uint8_t)(w >> 8),
	b[19] = (uint8_t)w;
	b[20] = (uint8_t)(h >> 24), b[21] = (uint8_t)(h >> 16), b[22] = (uint8_t)(h >> 8),
	b[23] = (uint8_t)h;
	b[24] = 8, b[25] = 2, b[26] = 0, b[27] = 0, b[28] = 0;
	memset(b + 29, 0, 4);
	return 33;
}

/* SOI, APP1 Exif with orientation, DQT-like filler segment, SOF0. */
static size_t
jpeg_header(uint8_t *b, uint32_t w, uint32_t h, int orientation)
{
	size_t n = 0;
	b[n++] = 0xFF, b[n++] = 0xD8;
	if (orientation) {
		static const uint8_t exif[] = {
			0xFF, 0xE1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,
			'M', 'M', 0, 42, 0, 0, 0, 8, /* TIFF header, IFD0 at 8 */
			0, 1,                        /* one entry */
			0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0, /* orientation SHORT 1 */
			0, 0, 0, 0,                  /* next IFD */
		};
		memcpy(b + n, exif, sizeof exif);
		b[n + 29] = (uint8_t)orientation; /* big-endian SHORT: low byte second */
		n += sizeof exif;
	}
	b[n++] = 0xFF, b[n++] = 0xFE, b[n++] = 0, b[n++] = 5, b[n++] = 'h', b[n++] = 'i',
	b[n++] = '!';
	b[n++] = 0xFF, b[n++] = 0xFF, b[n++] = 0xC0, b[n++] = 0, b[n++] = 17, b[n++] = 8;
	b[n++] = (uint8_t)(h >> 8), b[n++] = (uint8_t)h;
	b[n++] = (uint8_t)(w >> 8), b[n++] = (uint8_t)w;
	b[n++] = 3;
	for (int c = 0; c < 9; c++)
		b[n++] = 0;
	return n;
}

static void
test_sniff_png(void **state)
{
	(void)state;
	uint8_t b[64];
	struct idv_sniff s;
	size_t n = png_header(b, 640, 480);
	assert_int_equal(idv_sniff(b, n, 0, 0, &s), IDV_OK);
	assert_int_equal(s.format, IDV_FMT_PNG);
	assert_int_equal(s.width, 640);
	assert_int_equal(s.height, 480);

	n = png_header(b, 0, 0);
	assert_int_equal(idv_sniff(b, n, 0, 0, &s), IDV_E_INVAL);
	n = png_header(b, 30000, 30000);
	assert_int_equal(idv_sniff(b, n, 0, 0, &s), IDV_E_TOOBIG);
	assert_non_null(strstr(s.detail, "too large"));
	n = png_header(b, 10000, 10000); /* sides fine, 100 Mpx over 50 */
	assert_int_equal(idv_sniff(b, n, 0, 0, &s), IDV_E_TOOBIG);
	n = png_header(b, 7000, 7000);
	assert_int_equal(idv_sniff(b, n, 0, 0, &s), IDV_OK);
	assert_int_equal(idv_sniff(b, n, 1000, 0, &s), IDV_E_TOOBIG);
	for (size_t cut = 1; cut < 29; cut++)
		assert_int_equal(idv_sniff(b, cut, 0, 0, &s), cut < 8 ? IDV_E_UNREADABLE
								       : IDV_E_UNREADABLE);
	b[25] = 9; /* bad colour type */
	assert_int_equal(idv_sniff(b, n, 0, 0, &s), IDV_E_UNREADABLE);
}

static void
test_sniff_jpeg(void **state)
{
	(void)state;
	uint8_t b[128];
	struct idv_sniff s;
	static const int orientations[] = {0, 1, 3, 6, 8, 9};
	for (size_t i = 0; i < IDV_ARRAY_LEN(orientations); i++) {
		size_t n = jpeg_header(b, 1200, 800, orientations[i]);
		assert_int_equal(idv_sniff(b, n, 0, 0, &s), IDV_OK);
		assert_int_equal(s.format, IDV_FMT_JPEG);
		assert_int_equal(s.width, 1200);
		assert_int_equal(s.height, 800);
		int want = orientations[i] >= 1 && orientations[i] <= 8 ? orientations[i] : 1;
		assert_int_equal(s.orientation, want);
	}
	size_t n = jpeg_header(b, 1200, 800, 6);
	for (size_t cut = 3; cut < n - 6; cut++) {
		assert_int_equal(idv_sniff(b, cut, 0, 0, &s), IDV_E_UNREADABLE);
		assert_true(s.detail[0] != '\0');
	}
	n = jpeg_header(b, 0, 0, 0);
	assert_int_equal(idv_sniff(b, n, 0, 0, &s), IDV_E_INVAL);
	n = jpeg_header(b, 65000, 65000, 0);
	assert_int_equal(idv_sniff(b, n, 0, 0, &s), IDV_E_TOOBIG);
	/* Scan before frame header. */
	static const uint8_t sos[] = {0xFF, 0xD8, 0xFF, 0xDA, 0, 2};
	assert_int_equal(idv_sniff(sos, sizeof sos, 0, 0, &s), IDV_E_UNREADABLE);
	/* Segment length 0. */
	static const uint8_t zero[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 0, 1, 2};
	assert_int_equal(idv_sniff(zero, sizeof zero, 0, 0, &s), IDV_E_UNREADABLE);
}

static void
test_sniff_other(void **state)
{
	(void)state;
	struct idv_sniff s;
	static const struct {
		const char *bytes;
		size_t len;
		enum idv_err err;
		enum idv_format fmt;
		uint32_t w, h;
		const char *detail;
	} cases[] = {
		{"", 0, IDV_E_UNSUPPORTED, IDV_FMT_UNKNOWN, 0, 0, "empty"},
		{"hello, this is text\n", 20, IDV_E_UNSUPPORTED, IDV_FMT_UNKNOWN, 0, 0, "text"},
		{"GIF89a\1\0\1\0", 10, IDV_E_UNSUPPORTED, IDV_FMT_UNKNOWN, 0, 0, "GIF"},
		{"BM\0\0\0\0", 6, IDV_E_UNSUPPORTED, IDV_FMT_UNKNOWN, 0, 0, "BMP"},
		{"\0\0\0\30ftypheic\0\0\0\0", 16, IDV_E_UNSUPPORTED, IDV_FMT_UNKNOWN, 0, 0, "HEIC"},
		{"%PDF-1.7\n", 9, IDV_OK, IDV_FMT_PDF, 0, 0, ""},
		/* TIFF little-endian: IFD at 8 with width 300 (SHORT) and height 200 (LONG). */
		{"II*\0\10\0\0\0\2\0\0\1\3\0\1\0\0\0\54\1\0\0\1\1\4\0\1\0\0\0\310\0\0\0", 34,
		 IDV_OK, IDV_FMT_TIFF, 300, 200, ""},
		{"II*\0\10\0\0\0\2\0\0\1\3\0\1\0", 16, IDV_E_UNREADABLE, IDV_FMT_TIFF, 0, 0,
		 "TIFF"},
		{"II*\0\377\0\0\0", 8, IDV_E_UNREADABLE, IDV_FMT_TIFF, 0, 0, "TIFF"},
		{"II+\0\10\0\0\0", 8, IDV_E_UNSUPPORTED, IDV_FMT_TIFF, 0, 0, "BigTIFF"},
		/* WebP lossy: 10x20. */
		{"RIFF\0\0\0\0WEBPVP8 \0\0\0\0\0\0\0\235\1\52\12\0\24\0", 30, IDV_OK,
		 IDV_FMT_WEBP, 10, 20, ""},
		/* WebP lossless: 14-bit fields, width-1 = 99, height-1 = 49. */
		{"RIFF\0\0\0\0WEBPVP8L\0\0\0\0\57\143\100\14\0", 25, IDV_OK, IDV_FMT_WEBP, 100,
		 50, ""},
		/* WebP extended: canvas 640x480, then an animated one. */
		{"RIFF\0\0\0\0WEBPVP8X\0\0\0\0\0\0\0\0\177\2\0\337\1\0", 30, IDV_OK,
		 IDV_FMT_WEBP, 640, 480, ""},
		{"RIFF\0\0\0\0WEBPVP8X\0\0\0\0\2\0\0\0\177\2\0\337\1\0", 30, IDV_E_UNSUPPORTED,
		 IDV_FMT_WEBP, 0, 0, "animated"},
		{"RIFF\0\0\0\0WEBPVP8 ", 16, IDV_E_UNREADABLE, IDV_FMT_WEBP, 0, 0, "truncated"},
		{"\377\330", 2, IDV_E_UNREADABLE, IDV_FMT_UNKNOWN, 0, 0, "truncated"},
	};
	for (size_t i = 0; i < IDV_ARRAY_LEN(cases); i++) {
		enum idv_err err =
			idv_sniff((const uint8_t *)cases[i].bytes, cases[i].len, 0, 0, &s);
		if (err != cases[i].err)
			fail_msg("case %zu: %s (%s)", i, idv_err_name(err), s.detail);
		assert_int_equal(s.format, cases[i].fmt);
		if (err == IDV_OK) {
			assert_int_equal(s.width, cases[i].w);
			assert_int_equal(s.height, cases[i].h);
		} else {
			assert_non_null(strstr(s.detail, cases[i].detail));
		}
		if (err == IDV_E_UNSUPPORTED)
			assert_non_null(strstr(s.detail, "unsupported format"));
	}
	assert_string_equal(idv_format_name(IDV_FMT_WEBP), "webp");
	assert_string_equal(idv_format_mime(IDV_FMT_JPEG), "image/jpeg");
	assert_string_equal(idv_format_name((enum idv_format)99), "unknown");
}

static void
test_sniff_exif(void **state)
{
	(void)state;
	/* Little-endian EXIF, orientation 6, and hostile variants. */
	uint8_t e[] = {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0};
	assert_int_equal(idv_sniff_exif_orientation(e, sizeof e), 6);
	for (size_t cut = 0; cut < sizeof e - 4; cut++)
		assert_int_equal(idv_sniff_exif_orientation(e, cut), 1);
	e[8] = 0xFF; /* entry count far past the end */
	assert_int_equal(idv_sniff_exif_orientation(e, sizeof e), 1);
	e[8] = 1;
	e[18] = 42; /* orientation out of range */
	assert_int_equal(idv_sniff_exif_orientation(e, sizeof e), 1);
	e[4] = 0xF0; /* IFD offset past the end */
	assert_int_equal(idv_sniff_exif_orientation(e, sizeof e), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff_png),
		cmocka_unit_test(test_sniff_jpeg),
		cmocka_unit_test(test_sniff_other),
		cmocka_unit_test(test_sniff_exif),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
