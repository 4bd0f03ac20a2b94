#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Accuracy of `idverify check` on licences: PDF417 decode rates and printed-field accuracy.

Three parts:
  generated  the project's own samples (seeds/gen/gen_licences.py): PDF417 decode rate on clean
             and phone-photo backs; name, date of birth, address and expiry on fronts; every
             card sent as the proof of residence must fail the check kind_matches_slot.
  pdf417     /work/shared/corpus/pdf417 (zxing-cpp's sample images with expected contents):
             every image must yield a PDF417 whose length equals the expected content's.
  aamva      /work/shared/corpus/aamva payloads encoded into PDF417 with zint, read back: the
             family name, date of birth and document number must come out of the barcode.
Corpus parts are skipped, saying so, when the corpus is absent.

usage: licences.py --idverify BIN [--count N] [--photos K] [--seed S] [--gen-dir DIR]
                   [--corpus DIR] [--check] [--min-clean 0.99 --min-photo 0.95 --min-fields 0.97]
--check turns the thresholds into the exit status (for the meson test).
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TODAY = "2025-06-01"


def norm(s):
    return re.sub(r"[^A-Z0-9]", "", (s or "").upper())


def run_check(binary, files, extra=()):
    """One idverify process for all files (the OCR instance is reused); {file: result}."""
    out = {}
    for i in range(0, len(files), 200):
        chunk = files[i:i + 200]
        p = subprocess.run([binary, "check", "--reveal", "--today", TODAY] + list(extra) + chunk,
                           capture_output=True, text=True, env=dict(os.environ,
                                                                   OMP_THREAD_LIMIT="1"))
        for line in p.stdout.splitlines():
            r = json.loads(line)
            out[r["file"]] = r
    return out


def fval(r, name):
    f = r.get("fields", {})
    if name in ("street", "unit", "city", "state", "postal_code"):
        v = (f.get("address") or {}).get(name)
    else:
        v = f.get(name)
    return v["value"] if v else None


def pdf417_decoded(r):
    return any(b["format"] == "PDF417" for b in r.get("barcodes", []))


def generated(args, results_out):
    gen_dir = args.gen_dir
    tmp = None
    if not gen_dir or not glob.glob(os.path.join(gen_dir, "*.json")):
        tmp = gen_dir or tempfile.mkdtemp(prefix="idv-gen-")
        cmd = [sys.executable, os.path.join(ROOT, "seeds", "gen", "gen_licences.py"), tmp,
               "--count", str(args.count), "--seed", str(args.seed),
               "--photos-per-card", str(args.photos)]
        subprocess.run(cmd, check=True)
        gen_dir = tmp
    truths = {}
    for j in sorted(glob.glob(os.path.join(gen_dir, "*.json"))):
        base = os.path.splitext(j)[0]
        img = next((base + e for e in (".png", ".jpg") if os.path.exists(base + e)), None)
        if img:
            with open(j) as f:
                truths[img] = json.load(f)
    res = run_check(args.idverify, list(truths))
    stats = {}
    field_groups = {
        "name": ["family_name", "given_names"],
        "date_of_birth": ["date_of_birth"],
        "address": ["street", "city", "state", "postal_code"],
        "expiry_date": ["expiry_date"],
        "document_number": ["document_number"],
    }
    failures = []
    for img, t in truths.items():
        r = res.get(img, {})
        key = (t["side"], t["variant"])
        s = stats.setdefault(key, {"n": 0, "decoded": 0, "fields": {g: 0 for g in field_groups},
                                   "all4": 0})
        s["n"] += 1
        if t["side"] == "back":
            ok = pdf417_decoded(r) and norm(fval(r, "family_name")) == norm(
                t["fields"]["family_name"])
            s["decoded"] += ok
            if not ok:
                failures.append((img, "pdf417 not decoded"))
            continue
        good = {}
        for g, names in field_groups.items():
            good[g] = all(norm(fval(r, n)) == norm(t["fields"][n]) for n in names)
            s["fields"][g] += good[g]
        all4 = good["name"] and good["date_of_birth"] and good["address"] and good["expiry_date"]
        s["all4"] += all4
        if not all4:
            bad = [g for g in ("name", "date_of_birth", "address", "expiry_date") if not good[g]]
            failures.append((img, "wrong: " + ", ".join(bad)))
    print("== generated samples (%s)" % gen_dir)
    summary = {}
    for (side, variant), s in sorted(stats.items()):
        n = s["n"]
        if side == "back":
            rate = s["decoded"] / n
            summary[f"pdf417_{variant}"] = rate
            print(f"  {variant:5s} backs : PDF417 decoded {s['decoded']}/{n} = {rate:.1%}")
        else:
            parts = ", ".join(f"{g} {v / n:.1%}" for g, v in s["fields"].items())
            rate = s["all4"] / n
            summary[f"fields_{variant}"] = rate
            print(f"  {variant:5s} fronts: name+DOB+address+expiry all right {s['all4']}/{n} = "
                  f"{rate:.1%} ({parts})")
    for img, why in failures[:20]:
        print(f"    miss {os.path.basename(img)}: {why}")
    # the same cards sent as the proof of residence: kind_matches_slot must fail on every one
    slot = run_check(args.idverify, list(truths), ["--hint", "residence"])
    flagged = sum(any(c["name"] == "kind_matches_slot" and c["result"] == "fail"
                      for c in slot.get(img, {}).get("checks", [])) for img in truths)
    summary["residence_slot"] = flagged / len(truths) if truths else 1.0
    print(f"  in the proof-of-residence slot: kind_matches_slot failed {flagged}/{len(truths)}")
    results_out.update(summary)
    if tmp and not args.gen_dir and not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


def corpus_pdf417(args, results_out):
    d = os.path.join(args.corpus, "pdf417")
    if not os.path.isdir(d):
        print(f"== corpus pdf417: SKIPPED ({d} absent)")
        return
    imgs = sorted(glob.glob(os.path.join(d, "*", "*.png")) + glob.glob(os.path.join(d, "*", "*.webp")))
    res = run_check(args.idverify, imgs)
    ok = any_decoded = 0
    misses = []
    for img in imgs:
        base = os.path.splitext(img)[0]
        if os.path.exists(base + ".txt"):
            with open(base + ".txt", encoding="utf-8") as f:
                text = f.read()
            want_lengths = {len(text.encode("utf-8")), len(text.encode("latin-1", "replace"))}
        elif os.path.exists(base + ".bin"):
            want_lengths = {os.path.getsize(base + ".bin")}
        else:
            continue
        r = res.get(img, {})
        got = [b["length"] for b in r.get("barcodes", []) if b["format"] == "PDF417"]
        any_decoded += bool(got)
        if any(g in want_lengths for g in got):
            ok += 1
        else:
            misses.append((os.path.relpath(img, d), got, sorted(want_lengths)))
    n = len(imgs)
    print(f"== corpus pdf417: decoded {any_decoded}/{n} = {any_decoded / n:.1%}; "
          f"payload length as expected {ok}/{n} (ECI content is kept as raw bytes)")
    for m in misses:
        print(f"    miss {m[0]}: got lengths {m[1]}, want {m[2]}")
    results_out["corpus_pdf417"] = any_decoded / n if n else 0.0


def corpus_aamva(args, results_out):
    d = os.path.join(args.corpus, "aamva")
    if not os.path.isdir(d):
        print(f"== corpus aamva: SKIPPED ({d} absent)")
        return
    if shutil.which("zint") is None:
        print("== corpus aamva: SKIPPED (zint absent)")
        return
    tmp = tempfile.mkdtemp(prefix="idv-aamva-")
    cases = {}
    for j in sorted(glob.glob(os.path.join(d, "*", "*.json"))):
        txt = os.path.splitext(j)[0] + ".txt"
        if not os.path.exists(txt):
            continue
        with open(j) as f:
            exp = json.load(f).get("expected", {})
        with open(txt, "rb") as f:
            payload = f.read()
        if payload.startswith(b"\xef\xbb\xbf"):
            payload = payload[3:]
        name = os.path.basename(os.path.dirname(j)) + "-" + os.path.basename(txt)
        pb = os.path.join(tmp, name + ".bin")
        with open(pb, "wb") as f:
            f.write(payload)
        png = os.path.join(tmp, name + ".png")
        p = subprocess.run(["zint", "--barcode=55", "--binary", "--scale=2", "--filetype=PNG",
                            "-i", pb, "-o", png], capture_output=True)
        if p.returncode == 0:
            cases[png] = exp
    res = run_check(args.idverify, list(cases))
    decoded = parsed = 0
    for png, exp in cases.items():
        r = res.get(png, {})
        decoded += pdf417_decoded(r)
        ok = (norm(fval(r, "family_name")) == norm(exp.get("LastName")) and
              fval(r, "date_of_birth") == exp.get("DateOfBirth"))
        parsed += ok
    n = len(cases)
    print(f"== corpus aamva (payloads re-encoded with zint): PDF417 decoded {decoded}/{n}, "
          f"family name and DOB right {parsed}/{n} = {parsed / max(n, 1):.1%}")
    results_out["corpus_aamva_decoded"] = decoded / max(n, 1)
    results_out["corpus_aamva_fields"] = parsed / max(n, 1)
    shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--idverify", default=os.path.join(ROOT, "build", "service", "io", "cmd", "idverify"))
    ap.add_argument("--count", type=int, default=50)
    ap.add_argument("--photos", type=int, default=1)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--gen-dir")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(ROOT), "shared", "corpus"))
    ap.add_argument("--no-corpus", action="store_true")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--min-clean", type=float, default=0.99)
    ap.add_argument("--min-photo", type=float, default=0.95)
    ap.add_argument("--min-fields", type=float, default=0.97)
    args = ap.parse_args()
    if not os.path.isdir(args.corpus) and os.path.isdir("/work/shared/corpus"):
        args.corpus = "/work/shared/corpus"
    results = {}
    generated(args, results)
    if not args.no_corpus:
        corpus_pdf417(args, results)
        corpus_aamva(args, results)
    if not args.check:
        return 0
    fails = []
    for key, minimum in (("pdf417_clean", args.min_clean), ("pdf417_photo", args.min_photo),
                         ("fields_clean", args.min_fields), ("fields_photo", args.min_fields)):
        if key in results and results[key] < minimum:
            fails.append(f"{key} {results[key]:.1%} < {minimum:.0%}")
    if results.get("residence_slot", 1.0) < 1.0:
        fails.append("a card in the proof-of-residence slot was not flagged")
    if "corpus_pdf417" in results and results["corpus_pdf417"] < 1.0:
        fails.append("corpus pdf417 images not all decoded")
    for f in fails:
        print("FAIL:", f)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
