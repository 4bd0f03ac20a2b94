#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Hostile uploads through `idverify check`: each must get a clear error, fast, and the process
must exit 0 (it processed every file) and cleanly (under ASan a leak or overflow fails it).

Files made here: a decompression bomb (a real 10000x10000 PNG of zeros, ~100 KB), a truncated
JPEG, a text file named .jpg, an empty file, a 0x0 PNG, a PNG header claiming 30000x30000.
"""
import json
import os
import struct
import subprocess
import sys
import tempfile
import time
import zlib


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(w, h, rows):
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", rows) + \
        png_chunk(b"IEND", b"")


def bomb(w, h):
    c = zlib.compressobj(9)
    row = b"\x00" * (w + 1)
    out = [c.compress(row) for _ in range(h)]
    out.append(c.flush())
    return png(w, h, b"".join(out))


def main():
    binary = sys.argv[1]
    d = tempfile.mkdtemp(prefix="idv-hostile-")
    files = {}

    def put(name, data):
        p = os.path.join(d, name)
        with open(p, "wb") as f:
            f.write(data)
        files[name] = p

    put("bomb.png", bomb(10000, 10000))
    put("header-bomb.png", png(30000, 30000, zlib.compress(b"\x00" * 100)))
    put("zero.png", png(0, 0, zlib.compress(b"")))
    put("empty.jpg", b"")
    put("text.jpg", b"name,date_of_birth\nJane,1990-01-01\n" * 20)
    # A real JPEG (made with ImageMagick) cut in half.
    real = os.path.join(d, "real.jpg")
    subprocess.run(["convert", "-size", "640x480", "plasma:fractal", "-seed", "3", real],
                   check=True)
    with open(real, "rb") as f:
        data = f.read()
    put("truncated.jpg", data[: len(data) // 2])
    expect = {
        "bomb.png": ("rejected", "too-large"),
        "header-bomb.png": ("rejected", "too-large"),
        "zero.png": ("rejected", "invalid"),
        "empty.jpg": ("rejected", "unsupported-format"),
        "text.jpg": ("rejected", "unsupported-format"),
        "truncated.jpg": ("unreadable", "unreadable"),
    }
    failed = 0
    for name, path in files.items():
        t0 = time.monotonic()
        p = subprocess.run([binary, "check", path], capture_output=True, text=True)
        dt = time.monotonic() - t0
        if p.returncode != 0:
            print(f"FAIL {name}: exit {p.returncode}\n{p.stderr[-2000:]}")
            failed += 1
            continue
        r = json.loads(p.stdout.splitlines()[0])
        st, typ = expect[name]
        got_type = (r.get("error") or {}).get("type", "")
        ok = r["status"] == st and got_type.endswith(":" + typ) and r["error"]["detail"]
        # Wall time includes process start (and sanitizers); the bound is generous but a real
        # decode of 100 megapixels would take many seconds.
        ok = ok and dt < 1.0
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {r['status']} {got_type} "
              f"({r.get('error', {}).get('detail', '')}) in {dt * 1000:.0f} ms")
        failed += not ok
    for p in list(files.values()) + [real]:
        os.unlink(p)
    os.rmdir(d)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
