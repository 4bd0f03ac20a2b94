#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Accuracy of `idverify check` on passports, ID cards and proofs of residence.

Parts:
  mrz        generated passports (TD3, some as open booklets) and ID cards (TD1) from
             seeds/gen/passports.py, clean and degraded (scan, phone photo, low resolution):
             MRZ lines exactly right after repair, document number, birth and expiry dates,
             and mrz_matches_visual on passports.
  corpus     /work/shared/corpus/mrz/passporteye images: the four Utopia specimens with known
             lines (exact), the nine testdata specimens (found, check digits); skipped, saying
             so, when the corpus is absent.
  residence  generated proofs of residence from seeds/gen/residence.py as text PDFs, rendered
             images, scans, phone photos and scanned PDFs: holder names, address and statement
             date all right; a remit-to, mailing, landlord, agent or lender address taken for
             the holder's is counted separately (must be 0).
  baseline   (--baseline) the same MRZ images through tesseract's CLI (eng, MRZ whitelist,
             psm 6) and then the same parser and repair (mrz_tool parse); proofs of residence
             through tesseract's CLI text with the first address on the page.

usage: residence.py --idverify BIN --mrz-tool BIN [--passports N] [--bills N] [--seed S]
                    [--forms pdf,png,scan,photo,scanpdf] [--gen-dir DIR] [--corpus DIR]
                    [--baseline] [--check]
--check: exit 1 unless MRZ exact >= 98% clean and >= 95% degraded, proofs of residence all
three fields >= 95%, and no confuser address taken.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TODAY = "2025-06-01"
WHITELIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"


def norm(s):
    return re.sub(r"[^A-Z0-9]", "", (s or "").upper())


def env():
    return dict(os.environ, OMP_THREAD_LIMIT="1")


def run_check(binary, files, extra=()):
    out = {}
    for i in range(0, len(files), 100):
        chunk = files[i:i + 100]
        p = subprocess.run([binary, "check", "--reveal", "--today", TODAY] + list(extra) + chunk,
                           capture_output=True, text=True, env=env())
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


def check_of(r, name):
    for c in r.get("checks", []):
        if c["name"] == name:
            return c["result"]
    return None


def generate(gen_dir, script, name, args):
    d = os.path.join(gen_dir, name)
    if not os.path.exists(os.path.join(d, "truth.json")):
        subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "seeds", "gen", script), d] + args,
                       check=True, stdout=subprocess.DEVNULL)
    return d, json.load(open(os.path.join(d, "truth.json")))


def pct(a, b):
    return "%d/%d (%.1f%%)" % (a, b, 100.0 * a / b if b else 0.0)


def mrz_part(a, gen_dir):
    d, truth = generate(gen_dir, "passports.py", "mrz-%d-%d" % (a.seed, a.passports),
                        ["--count", str(a.passports), "--seed", str(a.seed)])
    files = [os.path.join(d, t["file"]) for t in truth]
    t0 = time.monotonic()
    res = run_check(a.idverify, files, ["--hint", "id"])
    secs = time.monotonic() - t0
    st = {"clean": [0, 0], "degraded": [0, 0]}
    num = birth = exp = vis = nvis = 0
    misses = []
    for t, f in zip(truth, files):
        r = res.get(f, {})
        key = "degraded" if t["degraded"] else "clean"
        st[key][1] += 1
        got = (r.get("mrz") or {}).get("lines") or []
        if got == t["mrz"]:
            st[key][0] += 1
        else:
            misses.append(t["file"])
        num += fval(r, "document_number") == t["document_number"]
        birth += fval(r, "date_of_birth") == t["birth"]
        exp += fval(r, "expiry_date") == t["expiry"]
        if t["format"] == "TD3":
            nvis += 1
            vis += check_of(r, "mrz_matches_visual") == "pass"
    n = len(truth)
    print("MRZ (generated, %d images, %.2f s per image through idverify check)" % (n, secs / n))
    print("  exact lines after repair: clean %s, degraded %s" % (pct(*st["clean"]), pct(*st["degraded"])))
    print("  document number %s, birth %s, expiry %s" % (pct(num, n), pct(birth, n), pct(exp, n)))
    print("  mrz_matches_visual pass on passports %s" % pct(vis, nvis))
    if misses and a.verbose:
        print("  missed: " + " ".join(misses))
    return st, truth, files, secs / n


def tesseract_mrz(a, path):
    p = subprocess.run(["tesseract", path, "-", "--psm", "6", "-l", "eng",
                        "-c", "tessedit_char_whitelist=" + WHITELIST],
                       capture_output=True, text=True, env=env())
    q = subprocess.run([a.mrz_tool, "parse"], input=p.stdout, capture_output=True, text=True)
    return q.stdout.split()


def mrz_baseline(a, truth, files):
    st = {"clean": [0, 0], "degraded": [0, 0]}
    t0 = time.monotonic()
    for t, f in zip(truth, files):
        key = "degraded" if t["degraded"] else "clean"
        st[key][1] += 1
        st[key][0] += tesseract_mrz(a, f) == t["mrz"]
    secs = (time.monotonic() - t0) / len(files)
    print("MRZ baseline: tesseract CLI (eng, MRZ whitelist, psm 6) + the same parser and repair")
    print("  exact lines after repair: clean %s, degraded %s (%.2f s per image)" % (
        pct(*st["clean"]), pct(*st["degraded"]), secs))
    return st, secs


def corpus_part(a):
    d = os.path.join(a.corpus, "mrz", "passporteye")
    if not os.path.isdir(d):
        print("MRZ corpus: SKIPPED (corpus absent at %s)" % a.corpus)
        return None
    exp = json.load(open(os.path.join(d, "images_expected.json")))
    known = {}
    for e in exp["images"]:
        lines = (e.get("mrz_lines_per_other_fixtures") or {}).get("lines")
        if lines:
            known[os.path.join(d, e["image"])] = lines
    others = sorted(os.path.join(d, "testdata", f) for f in os.listdir(os.path.join(d, "testdata")))
    res = run_check(a.idverify, list(known) + others, ["--hint", "id"])
    ok = sum((res.get(f, {}).get("mrz") or {}).get("lines") == l for f, l in known.items())
    found = sum(bool(res.get(f, {}).get("mrz")) for f in others)
    valid = sum(bool((res.get(f, {}).get("mrz") or {}).get("check_digits_valid")) for f in others)
    print("MRZ corpus (PassportEye specimens): exact %s on the images with known lines; "
          "testdata: MRZ found %d/%d, check digits valid %d/%d" % (
              pct(ok, len(known)), found, len(others), valid, len(others)))
    if a.baseline:
        bok = sum(tesseract_mrz(a, f) == l for f, l in known.items())
        print("  baseline tesseract CLI + parser: exact %s" % pct(bok, len(known)))
    return ok, len(known)


def res_part(a, gen_dir):
    d, truth = generate(gen_dir, "residence.py", "res-%d-%d-%s" % (a.seed, a.bills, a.forms.replace(",", "_")),
                        ["--count", str(a.bills), "--seed", str(a.seed), "--forms", a.forms,
                         "--today", TODAY])
    files = [os.path.join(d, t["file"]) for t in truth]
    timing = {}
    res = {}
    for form in sorted(set(t["form"] for t in truth)):
        fs = [f for t, f in zip(truth, files) if t["form"] == form]
        t0 = time.monotonic()
        res.update(run_check(a.idverify, fs, ["--hint", "residence"]))
        timing[form] = (time.monotonic() - t0) / len(fs)
    per = {}
    conf_taken = 0
    misses = []
    for t, f in zip(truth, files):
        r = res.get(f, {})
        s = per.setdefault(t["form"], [0, 0, 0, 0, 0])
        s[4] += 1
        holders = [norm(x) for x in (fval(r, "holder_name") or "").split(";") if x.strip()]
        h_ok = sorted(holders) == sorted(norm(x) for x in t["holders"])
        a_ok = (norm(fval(r, "street")) == norm(t["street"]) and norm(fval(r, "unit")) == norm(t["unit"])
                and norm(fval(r, "city")) == norm(t["city"]) and fval(r, "state") == t["state"]
                and fval(r, "postal_code") == t["zip"])
        d_ok = fval(r, "statement_date") == t["date"]
        s[0] += h_ok
        s[1] += a_ok
        s[2] += d_ok
        s[3] += h_ok and a_ok and d_ok
        got_street = norm(fval(r, "street"))
        if got_street and any(got_street == norm(c["street"]) for c in t["confusers"]):
            conf_taken += 1
        if not (h_ok and a_ok and d_ok):
            misses.append("%s[%s%s%s]" % (t["file"], "" if h_ok else "H", "" if a_ok else "A", "" if d_ok else "D"))
    tot = [sum(v[i] for v in per.values()) for i in range(5)]
    print("Proofs of residence (generated, %d files)" % tot[4])
    for form, s in sorted(per.items()):
        print("  %-8s holder %s address %s date %s all three %s (%.3f s per file)" % (
            form, pct(s[0], s[4]), pct(s[1], s[4]), pct(s[2], s[4]), pct(s[3], s[4]), timing[form]))
    print("  all forms: all three right %s; confuser address taken for the holder's: %d" % (
        pct(tot[3], tot[4]), conf_taken))
    if misses and a.verbose:
        print("  missed: " + " ".join(misses))
    if a.baseline:
        res_baseline(truth, files)
    return tot, conf_taken


ADDR = re.compile(r"^\s*(\d+ .+?)\s*$")
CSZ = re.compile(r"^\s*([A-Za-z .'-]+),? ([A-Z]{2}) (\d{5}(?:-\d{4})?)\s*$")


def res_baseline(truth, files):
    """tesseract's CLI text, the first 'street / City, ST ZIP' pair on the page."""
    n = ok = conf = 0
    for t, f in zip(truth, files):
        if t["form"] not in ("png", "scan", "photo"):
            continue
        n += 1
        txt = subprocess.run(["tesseract", f, "-", "--psm", "3"], capture_output=True, text=True,
                             env=env()).stdout.splitlines()
        street = None
        for i in range(1, len(txt)):
            if CSZ.match(txt[i]) and ADDR.match(txt[i - 1]):
                street = txt[i - 1]
                break
        if street and norm(street).startswith(norm(t["street"])):
            ok += 1
        elif street and any(norm(street).startswith(norm(c["street"])) for c in t["confusers"]):
            conf += 1
    print("Proofs of residence baseline: tesseract CLI text, first address on the page: "
          "right address %s, a confuser address %d" % (pct(ok, n), conf))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--idverify", required=True)
    ap.add_argument("--mrz-tool", required=True)
    ap.add_argument("--passports", type=int, default=10)
    ap.add_argument("--bills", type=int, default=10)
    ap.add_argument("--forms", default="pdf,png,scan,photo,scanpdf")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--gen-dir")
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "..", "shared", "corpus"))
    ap.add_argument("--baseline", action="store_true")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    if not os.path.isdir(a.corpus):
        a.corpus = "/work/shared/corpus"
    tmp = None
    gen_dir = a.gen_dir
    if gen_dir is None:
        tmp = tempfile.mkdtemp(prefix="idv-res-acc-")
        gen_dir = tmp
    ok = True
    try:
        if a.passports > 0:
            st, truth, files, _ = mrz_part(a, gen_dir)
            if a.baseline:
                mrz_baseline(a, truth, files)
            c, dg = st["clean"], st["degraded"]
            ok &= c[0] >= 0.98 * c[1] and dg[0] >= 0.95 * dg[1]
        corpus_part(a)
        if a.bills > 0:
            tot, conf = res_part(a, gen_dir)
            ok &= tot[3] >= 0.95 * tot[4] and conf == 0
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    if a.check and not ok:
        print("FAIL: below the issue's thresholds")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
