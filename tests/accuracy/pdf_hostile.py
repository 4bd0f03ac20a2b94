#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Hostile and odd PDFs through `idverify check`: each must give a clear status and detail
(never a crash, never a hang), and a text PDF must be read from its text layer.

usage: pdf_hostile.py IDVERIFY
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "seeds", "gen"))
import docutil  # noqa: E402


def check(binary, path, extra=()):
    p = subprocess.run([binary, "check", "--hint", "residence", "--today", "2025-06-01"]
                       + list(extra) + [path],
                       capture_output=True, text=True, timeout=60,
                       env=dict(os.environ, OMP_THREAD_LIMIT="1"))
    if p.returncode < 0 or "AddressSanitizer" in p.stderr or "runtime error" in p.stderr:
        raise SystemExit("FAIL %s: crashed (%d)\n%s" % (path, p.returncode, p.stderr[-2000:]))
    return json.loads(p.stdout) if p.stdout.strip() else None


def main():
    binary = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="idv-pdf-")
    fails = 0
    try:
        bill = [(40, 40, 20, "BRIGHTWATER ENERGY", True),
                (360, 44, 10, "Statement Date: May 2, 2025", False),
                (60, 150, 10, "MARIA L GONZALEZ", False),
                (60, 163, 10, "PO BOX 4471", False),
                (60, 176, 10, "RIVERTON, WY 82501", False),
                (40, 240, 10, "Service Address:", True),
                (40, 253, 10, "1187 Cottonwood Ln Apt 3C", False),
                (40, 266, 10, "Riverton, WY 82501", False),
                (40, 300, 9, "Electric usage 612 kWh", False)]
        good = os.path.join(tmp, "bill.pdf")
        docutil.pdf_text(good, [bill])
        data = open(good, "rb").read()
        cases = {}
        cases["truncated.pdf"] = data[:len(data) // 2]
        cases["garbage.pdf"] = b"%PDF-1.4\n" + bytes(range(256)) * 40
        cases["no-xref.pdf"] = data.replace(b"xref", b"xxxx").replace(b"startxref", b"startxxxx")
        for name, b in cases.items():
            open(os.path.join(tmp, name), "wb").write(b)
        docutil.pdf_text(os.path.join(tmp, "eleven-pages.pdf"), [bill] * 11)
        enc = os.path.join(tmp, "encrypted.pdf")
        subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite",
                        "-sOwnerPassword=owner", "-sUserPassword=user", "-o", enc, good], check=True)
        expect = {
            "bill.pdf": ("ok", None),
            "truncated.pdf": (None, None),
            "garbage.pdf": ("unreadable", None),
            "no-xref.pdf": (None, None),
            "eleven-pages.pdf": ("rejected", "pages"),
            "encrypted.pdf": ("unreadable", "encrypted"),
        }
        for name, (status, word) in expect.items():
            r = check(binary, os.path.join(tmp, name))
            st = r and r.get("status")
            detail = (r or {}).get("error", {}) if isinstance((r or {}).get("error"), dict) else r
            text = json.dumps(detail)
            ok = r is not None and (status is None or st == status) and (word is None or word in text)
            if name == "bill.pdf":
                h = (r.get("fields") or {}).get("holder_name") or {}
                ok = ok and h.get("source") == "pdf_text" and h.get("value") == "MARIA L GONZALEZ"
            print("%-18s %-10s %s" % (name, st, "ok" if ok else "FAIL " + text[:300]))
            fails += not ok
        # --timings adds where the time went (stage names, CPU and wall milliseconds, calls)
        # and changes nothing else; a text PDF is read from its text layer: no OCR stage.
        plain = check(binary, good)
        timed = check(binary, good, ["--timings"]) or {}
        t = timed.pop("timings", None)
        ok = (plain is not None and "timings" not in plain and timed == plain
              and isinstance(t, dict) and "pdf" in t and not any(k.startswith("ocr") for k in t)
              and all(v["calls"] >= 1 and v["cpu_ms"] >= 0 and v["wall_ms"] >= 0
                      for v in t.values()))
        print("%-18s %-10s %s" % ("--timings", "", "ok" if ok else "FAIL %s" % t))
        fails += not ok
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
