# SPDX-License-Identifier: Apache-2.0
"""Shared helpers of the passport and proof-of-residence generators (seeds/gen/).

Only the Debian tools idverify already lists are used: ImageMagick (convert) for images and
degradations, ghostscript (gs) to rasterise PDFs. PDFs are written here byte by byte (base-14
fonts for text PDFs, DCT images for scanned ones), so no Python package is needed.
Everything is deterministic for a given seed: Python's random.Random and ImageMagick's -seed.
"""
import os
import subprocess
import zlib

OCRB = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"
SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SANS_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def run(cmd):
    env = dict(os.environ, OMP_THREAD_LIMIT="1", MAGICK_THREAD_LIMIT="1")
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)


def _pdf_escape(s):
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _pdf_write(path, objects):
    """objects: list of bytes bodies, numbered from 1; object 1 is the catalog."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    with open(path, "wb") as f:
        f.write(out)


FONTS = {"Helvetica": ("Helvetica", "Helvetica-Bold"), "Times": ("Times-Roman", "Times-Bold"),
         "Courier": ("Courier", "Courier-Bold")}


def pdf_text(path, pages, width=612, height=792, font="Helvetica"):
    """pages: lists of (x_pt, y_pt_from_top, size_pt, text, bold). A base-14 family of FONTS
    (Helvetica, Times, Courier), US Letter."""
    regular, bold_font = FONTS[font]
    objs = [None, None,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>" % regular.encode(),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>" % bold_font.encode()]
    kids = []
    for items in pages:
        ops = []
        for (x, y, size, text, bold) in items:
            ops.append("BT /%s %.1f Tf %.1f %.1f Td (%s) Tj ET" % (
                "F2" if bold else "F1", size, x, height - y - size, _pdf_escape(text)))
        stream = zlib.compress("\n".join(ops).encode("latin-1"))
        objs.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content = len(objs)
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
                    b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>" % (width, height, content))
        kids.append(len(objs))
    objs[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objs[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    _pdf_write(path, objs)


def jpeg_size(data):
    i = 2
    while i < len(data):
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        seglen = int.from_bytes(data[i + 2:i + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            h = int.from_bytes(data[i + 5:i + 7], "big")
            w = int.from_bytes(data[i + 7:i + 9], "big")
            comps = data[i + 9]
            return w, h, comps
        i += 2 + seglen
    raise ValueError("no SOF")


def pdf_from_jpeg(path, jpeg_path, dpi):
    """A scanned PDF: one page holding the JPEG at dpi, no text layer."""
    data = open(jpeg_path, "rb").read()
    w, h, comps = jpeg_size(data)
    pw, ph = w * 72.0 / dpi, h * 72.0 / dpi
    cs = b"/DeviceGray" if comps == 1 else b"/DeviceRGB"
    content = b"q %.2f 0 0 %.2f 0 0 cm /Im1 Do Q" % (pw, ph)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Contents 4 0 R "
            b"/Resources << /XObject << /Im1 5 0 R >> >> >>" % (pw, ph),
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s "
            b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % (w, h, cs, len(data))
            + data + b"\nendstream"]
    _pdf_write(path, objs)


def render_pdf(pdf, png, dpi):
    run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pnggray", "-r%d" % dpi,
         "-dFirstPage=1", "-dLastPage=1", "-o", png, pdf])


def degrade(src, dst, rng, kind):
    """Write a degraded copy of src. kind: 'clean' (lossless copy), 'scan' (slight rotation,
    blur, noise, JPEG), 'photo' (background, perspective, rotation, uneven light, blur, noise,
    JPEG), 'lowres' (downscaled, JPEG). Returns a dict describing what was done."""
    seed = rng.randrange(1, 1 << 30)
    if kind == "clean":
        run(["convert", src, "-strip", dst])
        return {"kind": "clean"}
    if kind == "scan":
        angle = rng.uniform(-2.5, 2.5)
        blur = rng.uniform(0.3, 0.9)
        noise = rng.uniform(0.1, 0.4)
        q = rng.randrange(60, 90)
        run(["convert", src, "-seed", str(seed), "-background", "white", "-rotate", "%.2f" % angle,
             "-blur", "0x%.2f" % blur, "-attenuate", "%.2f" % noise, "+noise", "Gaussian",
             "-colorspace", "Gray", "-quality", str(q), "-strip", dst])
        return {"kind": "scan", "angle": round(angle, 2), "blur": round(blur, 2), "jpeg": q}
    if kind == "lowres":
        scale = rng.uniform(0.45, 0.6)
        q = rng.randrange(55, 80)
        run(["convert", src, "-resize", "%.1f%%" % (scale * 100), "-quality", str(q), "-strip", dst])
        return {"kind": "lowres", "scale": round(scale, 2), "jpeg": q}
    # photo
    w, h = image_size(src)
    m = int(min(w, h) * 0.12)
    d = [rng.uniform(-0.035, 0.035) * w for _ in range(8)]
    quad = [(0, 0), (w, 0), (w, h), (0, h)]
    border = "#%02x%02x%02x" % (rng.randrange(40, 140), rng.randrange(40, 120), rng.randrange(30, 110))
    pts = []
    for i, (x, y) in enumerate(quad):
        pts.append("%d,%d %.1f,%.1f" % (x + m, y + m, x + m + d[2 * i], y + m + d[2 * i + 1]))
    angle = rng.uniform(-4, 4)
    blur = rng.uniform(0.4, 1.2)
    noise = rng.uniform(0.2, 0.6)
    q = rng.randrange(50, 85)
    scale = rng.uniform(0.7, 1.0)
    shade = rng.randrange(70, 95)
    run(["convert", src, "-seed", str(seed), "-bordercolor", border, "-border", str(m),
         "-virtual-pixel", "background", "-background", border,
         "-distort", "Perspective", " ".join(pts), "-rotate", "%.2f" % angle,
         "(", "+clone", "-sparse-color", "Barycentric",
         "0,0 white %d,%d gray%d" % (w + 2 * m, h + 2 * m, shade), ")",
         "-compose", "Multiply", "-composite",
         "-blur", "0x%.2f" % blur, "-attenuate", "%.2f" % noise, "+noise", "Gaussian",
         "-resize", "%.1f%%" % (scale * 100), "-quality", str(q), "-strip", dst])
    return {"kind": "photo", "angle": round(angle, 2), "blur": round(blur, 2), "jpeg": q,
            "scale": round(scale, 2)}


def image_size(path):
    out = subprocess.run(["identify", "-format", "%w %h", path], check=True,
                         capture_output=True, text=True).stdout.split()
    return int(out[0]), int(out[1])
