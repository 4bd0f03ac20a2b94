/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sniff.c: file format from magic bytes and pixel dimensions from header bytes (see sniff.h).
 *
 * Every read is bounds-checked against len; loops over segments, chunks and IFD entries are
 * bounded by the input length, so a hostile header costs microseconds. Nothing is decoded.
 * Formats: JPEG (ITU T.81 B.1: markers, SOFn), PNG (ISO 15948 IHDR), TIFF 6.0 (IFD0 tags
 * 256/257), WebP (RIFF container: VP8 key frame header, VP8L header, VP8X canvas).
 */
#include <stdarg.h>

#include "idverify/limits.h"
#include "idverify/sniff.h"
#include "idverify/str.h"

static const char *const format_names[IDV_FMT__COUNT] = {
	"unknown", "jpeg", "png", "tiff", "webp", "pdf",
};

static const char *const format_mimes[IDV_FMT__COUNT] = {
	"application/octet-stream", "image/jpeg", "image/png", "image/tiff", "image/webp",
	"application/pdf",
};

IDV_NAME_FN(idv_format, enum idv_format, format_names, IDV_FMT__COUNT, "unknown")

const char *
idv_format_mime(enum idv_format f)
{
	return (unsigned)f < IDV_FMT__COUNT ? format_mimes[f] : format_mimes[0];
}

static enum idv_err sniff_fail(struct idv_sniff *out, enum idv_err err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum idv_err
sniff_fail(struct idv_sniff *out, enum idv_err err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	idv_vwhy(out->detail, sizeof out->detail, fmt, ap);
	va_end(ap);
	return err;
}

static uint32_t
sniff_be16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t
sniff_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t
sniff_le16(const uint8_t *p)
{
	return (uint32_t)p[1] << 8 | p[0];
}

static uint32_t
sniff_le32(const uint8_t *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint32_t
sniff_rd16(const uint8_t *p, bool le)
{
	return le ? sniff_le16(p) : sniff_be16(p);
}

static uint32_t
sniff_rd32(const uint8_t *p, bool le)
{
	return le ? sniff_le32(p) : sniff_be32(p);
}

/*
 * TIFF structure (also EXIF): reads IFD0 and returns the SHORT/LONG value of the wanted tags.
 * want[i] is a tag number; got[i] receives its value or stays 0. false when the header or the
 * IFD is truncated or malformed.
 */
static bool
sniff_tiff_ifd0(const uint8_t *p, size_t len, const uint16_t *want, uint32_t *got, size_t nwant)
{
	if (len < 8)
		return false;
	bool le;
	if (p[0] == 'I' && p[1] == 'I')
		le = true;
	else if (p[0] == 'M' && p[1] == 'M')
		le = false;
	else
		return false;
	if (sniff_rd16(p + 2, le) != 42)
		return false;
	uint32_t off = sniff_rd32(p + 4, le);
	if (off < 8 || (size_t)off > len - 2)
		return false;
	uint32_t count = sniff_rd16(p + off, le);
	size_t entries = (size_t)off + 2;
	if (count > (len - entries) / 12)
		return false;
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *e = p + entries + (size_t)i * 12;
		uint32_t tag = sniff_rd16(e, le), type = sniff_rd16(e + 2, le);
		uint32_t n = sniff_rd32(e + 4, le);
		for (size_t w = 0; w < nwant; w++) {
			if (tag != want[w] || n != 1)
				continue;
			if (type == 3)
				got[w] = sniff_rd16(e + 8, le);
			else if (type == 4)
				got[w] = sniff_rd32(e + 8, le);
		}
	}
	return true;
}

int
idv_sniff_exif_orientation(const uint8_t *p, size_t len)
{
	static const uint16_t want[1] = {0x0112};
	uint32_t got[1] = {0};
	if (!sniff_tiff_ifd0(p, len, want, got, 1))
		return 1;
	return got[0] >= 1 && got[0] <= 8 ? (int)got[0] : 1;
}

static bool
sniff_is_sof(uint8_t m)
{
	/* C0-CF are SOFn except C4 (DHT), C8 (JPG extension) and CC (DAC). */
	return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

static enum idv_err
sniff_jpeg(const uint8_t *p, size_t len, struct idv_sniff *out)
{
	size_t i = 2;
	for (;;) {
		/* Markers are 0xFF followed by a code; any number of 0xFF fill bytes may precede. */
		if (i >= len)
			return sniff_fail(out, IDV_E_UNREADABLE,
					  "truncated JPEG: no frame header (SOF) before the end");
		if (p[i] != 0xFF)
			return sniff_fail(out, IDV_E_UNREADABLE,
					  "corrupt JPEG: marker expected at byte %zu", i);
		while (i < len && p[i] == 0xFF)
			i++;
		if (i >= len)
			return sniff_fail(out, IDV_E_UNREADABLE, "truncated JPEG header");
		uint8_t m = p[i++];
		if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7))
			continue; /* standalone markers */
		if (m == 0xD9 || m == 0xDA)
			return sniff_fail(out, IDV_E_UNREADABLE,
					  "corrupt JPEG: %s before the frame header",
					  m == 0xD9 ? "end of image" : "scan data");
		if (len - i < 2)
			return sniff_fail(out, IDV_E_UNREADABLE, "truncated JPEG header");
		uint32_t seglen = sniff_be16(p + i);
		if (seglen < 2)
			return sniff_fail(out, IDV_E_UNREADABLE, "corrupt JPEG: segment length %u",
					  (unsigned)seglen);
		if (seglen > len - i)
			return sniff_fail(out, IDV_E_UNREADABLE, "truncated JPEG header");
		const uint8_t *seg = p + i + 2;
		size_t seglen_data = seglen - 2;
		if (m == 0xE1 && seglen_data > 6 && memcmp(seg, "Exif\0\0", 6) == 0 &&
		    out->orientation == 1)
			out->orientation = idv_sniff_exif_orientation(seg + 6, seglen_data - 6);
		if (sniff_is_sof(m)) {
			if (seglen_data < 6)
				return sniff_fail(out, IDV_E_UNREADABLE,
						  "corrupt JPEG: short frame header");
			if (seg[0] != 8)
				return sniff_fail(out, IDV_E_UNSUPPORTED,
						  "unsupported format: %u-bit JPEG",
						  (unsigned)seg[0]);
			if (m == 0xC3 || m == 0xC7 || m == 0xCB || m == 0xCF)
				return sniff_fail(out, IDV_E_UNSUPPORTED,
						  "unsupported format: lossless JPEG");
			if (m >= 0xC9)
				return sniff_fail(out, IDV_E_UNSUPPORTED,
						  "unsupported format: arithmetic-coded JPEG");
			out->height = sniff_be16(seg + 1);
			out->width = sniff_be16(seg + 3);
			if (out->height == 0 && out->width != 0)
				return sniff_fail(
					out, IDV_E_UNSUPPORTED,
					"unsupported format: JPEG height defined later (DNL)");
			unsigned comps = seg[5];
			if (comps != 1 && comps != 3 && comps != 4)
				return sniff_fail(out, IDV_E_UNSUPPORTED,
						  "unsupported format: JPEG with %u components",
						  comps);
			return IDV_OK;
		}
		i += seglen;
	}
}

static enum idv_err
sniff_png(const uint8_t *p, size_t len, struct idv_sniff *out)
{
	/* Signature (8), then the first chunk: length (4), type (4), IHDR data (13), CRC (4). */
	if (len < 8 + 8 + 13)
		return sniff_fail(out, IDV_E_UNREADABLE, "truncated PNG header");
	if (sniff_be32(p + 8) != 13 || memcmp(p + 12, "IHDR", 4) != 0)
		return sniff_fail(out, IDV_E_UNREADABLE, "corrupt PNG: first chunk is not IHDR");
	out->width = sniff_be32(p + 16);
	out->height = sniff_be32(p + 20);
	if (out->width > 0x7FFFFFFFu || out->height > 0x7FFFFFFFu)
		return sniff_fail(out, IDV_E_UNREADABLE, "corrupt PNG: dimension out of range");
	uint8_t depth = p[24], color = p[25];
	bool depth_ok;
	switch (color) {
	case 0:
		depth_ok = depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
		break;
	case 3: depth_ok = depth == 1 || depth == 2 || depth == 4 || depth == 8; break;
	case 2:
	case 4:
	case 6: depth_ok = depth == 8 || depth == 16; break;
	default: depth_ok = false; break;
	}
	if (!depth_ok)
		return sniff_fail(out, IDV_E_UNREADABLE,
				  "corrupt PNG: colour type %u with bit depth %u", (unsigned)color,
				  (unsigned)depth);
	if (p[28] > 1)
		return sniff_fail(out, IDV_E_UNREADABLE, "corrupt PNG: interlace method %u",
				  (unsigned)p[28]);
	return IDV_OK;
}

static enum idv_err
sniff_tiff(const uint8_t *p, size_t len, struct idv_sniff *out)
{
	static const uint16_t want[2] = {256, 257};
	uint32_t got[2] = {0, 0};
	if (len >= 4 && ((p[0] == 'I' && p[2] == 43) || (p[0] == 'M' && p[3] == 43)))
		return sniff_fail(out, IDV_E_UNSUPPORTED, "unsupported format: BigTIFF");
	if (!sniff_tiff_ifd0(p, len, want, got, 2))
		return sniff_fail(out, IDV_E_UNREADABLE, "truncated or corrupt TIFF header");
	out->width = got[0];
	out->height = got[1];
	return IDV_OK;
}

static enum idv_err
sniff_webp(const uint8_t *p, size_t len, struct idv_sniff *out)
{
	/* "RIFF" size "WEBP", then the first chunk: fourcc (4), size (4), data. */
	if (len < 20)
		return sniff_fail(out, IDV_E_UNREADABLE, "truncated WebP header");
	const uint8_t *c = p + 12, *d = p + 20;
	size_t avail = len - 20;
	if (memcmp(c, "VP8 ", 4) == 0) {
		/* Frame tag (3 bytes, bit 0 clear for a key frame), start code 9d 01 2a, sizes. */
		if (avail < 10)
			return sniff_fail(out, IDV_E_UNREADABLE, "truncated WebP (VP8) header");
		if ((d[0] & 1) != 0 || d[3] != 0x9d || d[4] != 0x01 || d[5] != 0x2a)
			return sniff_fail(out, IDV_E_UNREADABLE, "corrupt WebP (VP8) frame header");
		out->width = sniff_le16(d + 6) & 0x3FFF;
		out->height = sniff_le16(d + 8) & 0x3FFF;
		return IDV_OK;
	}
	if (memcmp(c, "VP8L", 4) == 0) {
		if (avail < 5)
			return sniff_fail(out, IDV_E_UNREADABLE, "truncated WebP (VP8L) header");
		if (d[0] != 0x2f)
			return sniff_fail(out, IDV_E_UNREADABLE, "corrupt WebP (VP8L) signature");
		uint32_t bits = sniff_le32(d + 1);
		out->width = (bits & 0x3FFF) + 1;
		out->height = ((bits >> 14) & 0x3FFF) + 1;
		return IDV_OK;
	}
	if (memcmp(c, "VP8X", 4) == 0) {
		if (avail < 10)
			return sniff_fail(out, IDV_E_UNREADABLE, "truncated WebP (VP8X) header");
		if (d[0] & 0x02)
			return sniff_fail(out, IDV_E_UNSUPPORTED,
					  "unsupported format: animated WebP");
		out->width = ((uint32_t)d[4] | (uint32_t)d[5] << 8 | (uint32_t)d[6] << 16) + 1;
		out->height = ((uint32_t)d[7] | (uint32_t)d[8] << 8 | (uint32_t)d[9] << 16) + 1;
		return IDV_OK;
	}
	return sniff_fail(out, IDV_E_UNREADABLE, "corrupt WebP: unknown first chunk");
}

/* What an unsupported file looks like, for the error detail. */
static const char *
sniff_unsupported_kind(const uint8_t *p, size_t len)
{
	if (len >= 6 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0))
		return "GIF image";
	if (len >= 2 && p[0] == 'B' && p[1] == 'M')
		return "BMP image";
	if (len >= 12 && memcmp(p + 4, "ftyp", 4) == 0) {
		static const char *const heif[] = {"heic", "heix", "hevc", "heim",
						   "heis", "mif1", "msf1", "avif"};
		for (size_t i = 0; i < IDV_ARRAY_LEN(heif); i++)
			if (memcmp(p + 8, heif[i], 4) == 0)
				return "HEIF/HEIC image";
		return "ISO media file";
	}
	if (len >= 4 && memcmp(p, "RIFF", 4) == 0)
		return "RIFF file";
	if (len >= 4 && (memcmp(p, "PK\3\4", 4) == 0))
		return "ZIP archive";
	size_t n = len < 512 ? len : 512;
	bool text = true;
	for (size_t i = 0; i < n && text; i++)
		if (p[i] < 0x20 && !idv_isspace(p[i]))
			text = false;
	return text ? "text" : "unrecognised binary data";
}

enum idv_err
idv_sniff(const uint8_t *p, size_t len, uint64_t max_pixels, uint32_t max_side,
	  struct idv_sniff *out)
{
	memset(out, 0, sizeof *out);
	out->orientation = 1;
	if (max_pixels == 0)
		max_pixels = IDV_LIMIT_PIXELS;
	if (max_side == 0)
		max_side = IDV_LIMIT_DIMENSION;
	if (p == NULL || len == 0)
		return sniff_fail(out, IDV_E_UNSUPPORTED, "unsupported format: empty file");

	enum idv_err err;
	static const uint8_t png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	if (len >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) {
		out->format = IDV_FMT_JPEG;
		err = sniff_jpeg(p, len, out);
	} else if (len >= 8 && memcmp(p, png_sig, 8) == 0) {
		out->format = IDV_FMT_PNG;
		err = sniff_png(p, len, out);
	} else if (len >= 4 && (memcmp(p, "II*\0", 4) == 0 || memcmp(p, "MM\0*", 4) == 0 ||
				memcmp(p, "II+\0", 4) == 0 || memcmp(p, "MM\0+", 4) == 0)) {
		out->format = IDV_FMT_TIFF;
		err = sniff_tiff(p, len, out);
	} else if (len >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0) {
		out->format = IDV_FMT_WEBP;
		err = sniff_webp(p, len, out);
	} else if (len >= 5 && memcmp(p, "%PDF-", 5) == 0) {
		out->format = IDV_FMT_PDF;
		return IDV_OK;
	} else if (len < 8 && ((p[0] == 0xFF && (len < 2 || p[1] == 0xD8)) ||
			       (p[0] == 0x89 && (len < 2 || p[1] == 'P')))) {
		return sniff_fail(out, IDV_E_UNREADABLE, "truncated header (%zu bytes)", len);
	} else {
		return sniff_fail(out, IDV_E_UNSUPPORTED, "unsupported format: %s",
				  sniff_unsupported_kind(p, len));
	}
	if (err != IDV_OK)
		return err;
	if (out->width == 0 || out->height == 0)
		return sniff_fail(out, IDV_E_INVAL, "image has no pixels (%ux%u)",
				  (unsigned)out->width, (unsigned)out->height);
	if (out->width > max_side || out->height > max_side)
		return sniff_fail(out, IDV_E_TOOBIG,
				  "image too large: %ux%u pixels, a side over the limit of %u",
				  (unsigned)out->width, (unsigned)out->height, (unsigned)max_side);
	if ((uint64_t)out->width * out->height > max_pixels)
		return sniff_fail(out, IDV_E_TOOBIG,
				  "image too large: %ux%u pixels over the limit of %llu",
				  (unsigned)out->width, (unsigned)out->height,
				  (unsigned long long)max_pixels);
	return IDV_OK;
}
