#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Passports and proofs of residence: idverify next to tesseract's CLI, on the same images, in
the same run, as ratios (DESIGN.md 8). Figures, never assertions.

  passports  idverify check --hint id (MRZ reader + visual-zone OCR) vs tesseract CLI
             (eng, MRZ whitelist, psm 6): seconds per image and exact MRZ lines after the
             same parser and repair.
  bills      idverify check --hint residence on page images vs tesseract CLI (psm 3) alone.
  text PDF   idverify check on text PDFs (no OCR: the text layer) vs the same bills as scanned
             PDFs (rasterise + OCR): milliseconds per file, one process per file, and the
             source the fields came from.

usage: residence_bench.py --idverify BIN --mrz-tool BIN [--passports N] [--bills N] [--seed S]
Use a release build (meson setup build-rel --buildtype=release) for the figures.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "accuracy"))
import residence as acc  # noqa: E402


def timed(cmd, **kw):
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, env=acc.env(), **kw)
    return time.monotonic() - t0, p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--idverify", required=True)
    ap.add_argument("--mrz-tool", required=True)
    ap.add_argument("--passports", type=int, default=4)
    ap.add_argument("--bills", type=int, default=5)
    ap.add_argument("--seed", type=int, default=21)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="idv-res-bench-")
    try:
        d, truth = acc.generate(tmp, "passports.py", "pp", ["--count", str(a.passports), "--seed", str(a.seed)])
        files = [os.path.join(d, t["file"]) for t in truth]
        ti = tt = 0.0
        oki = okt = 0
        for t, f in zip(truth, files):
            s, p = timed([a.idverify, "check", "--reveal", "--hint", "id", "--today", acc.TODAY, f])
            ti += s
            r = json.loads(p.stdout) if p.stdout else {}
            oki += (r.get("mrz") or {}).get("lines") == t["mrz"]
            s, p = timed(["tesseract", f, "-", "--psm", "6", "-c", "tessedit_char_whitelist=" + acc.WHITELIST])
            tt += s
            q = subprocess.run([a.mrz_tool, "parse"], input=p.stdout, capture_output=True, text=True)
            okt += q.stdout.split() == t["mrz"]
        n = len(files)
        print("passports/ID cards (%d images, one process per image)" % n)
        print("  idverify check : %.3f s/image, MRZ exact %d/%d" % (ti / n, oki, n))
        print("  tesseract CLI  : %.3f s/image, MRZ exact %d/%d" % (tt / n, okt, n))
        print("  ratio idverify/tesseract time: %.2f; exact lines: %d vs %d" % (ti / tt, oki, okt))

        d, truth = acc.generate(tmp, "residence.py", "bills",
                                ["--count", str(a.bills), "--seed", str(a.seed), "--forms", "pdf,png,scanpdf",
                                 "--today", acc.TODAY])
        imgs = [os.path.join(d, t["file"]) for t in truth if t["form"] == "png"]
        ti = tt = 0.0
        for f in imgs:
            s, _ = timed([a.idverify, "check", "--hint", "residence", "--today", acc.TODAY, f])
            ti += s
            s, _ = timed(["tesseract", f, "-", "--psm", "3"])
            tt += s
        n = len(imgs)
        print("proofs of residence, page images (%d, 200 dpi letter pages)" % n)
        print("  idverify check : %.3f s/page   tesseract CLI alone: %.3f s/page   ratio %.2f" % (ti / n, tt / n, ti / tt))
        for form in ("pdf", "scanpdf"):
            fs = [os.path.join(d, t["file"]) for t in truth if t["form"] == form]
            tot = 0.0
            srcs = set()
            for f in fs:
                s, p = timed([a.idverify, "check", "--hint", "residence", "--today", acc.TODAY, f])
                tot += s
                r = json.loads(p.stdout)
                h = (r.get("fields") or {}).get("holder_name")
                srcs.add(h["source"] if h else "none")
                if form == "pdf":
                    t_in = 0
            print("  %-8s: %.1f ms per file (whole process), field source %s" % (
                "text PDF" if form == "pdf" else "scan PDF", 1000 * tot / len(fs), ",".join(sorted(srcs))))
        # in one process, many text PDFs: the per-file cost without process start-up
        fs = [os.path.join(d, t["file"]) for t in truth if t["form"] == "pdf"] * 10
        s, _ = timed([a.idverify, "check", "--hint", "residence", "--today", acc.TODAY] + fs)
        print("  text PDF in one process: %.1f ms per file (%d files)" % (1000 * s / len(fs), len(fs)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
