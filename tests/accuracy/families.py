#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Proofs of residence of the layout families of seeds/gen/families.py, through `idverify check`,
reported separately for the TUNING and the HELD-ASIDE families (fixed in the generator):

  slot given   --hint residence: holder(s) + service address + statement date all right, upright
               (text PDF, clean render, scan) and turned 90/180/270 degrees without EXIF (render,
               scan), each figure apart; a confuser address (mailing, remit-to, company,
               landlord, agent, lender) taken for the holder's is counted (must be 0);
  no hint      the kind told without --hint on the images (proof_of_residence, never a licence);
  wrong slot   the same pages sent with --hint id: the check kind_matches_slot must fail.
  baseline     (--baseline) tesseract's command-line text, the first address on the page.

The held-aside families are measured, never listed file by file (their misses are not printed
even with -v), so that nobody tunes the reader to them; so is the set 'grammar' (--sets
tuning,held_aside,grammar), pages of seeds/gen/grammar.py's random layout grammar, a further
held-aside measure made by a different method.

usage: families.py --idverify BIN [--sets tuning,held_aside] [--count N] [--seed S]
                   [--forms pdf,png,scan,rot,scanrot] [--gen-dir DIR] [--baseline] [-v]
                   [--check] [--min-all 0.0] [--min-kind 0.0]
                   [--min-held-all X] [--min-held-kind Y] [--allow-held-licences N]
--check: exit 1 when a confuser address was taken, a page came out as a licence, a wrong slot
was not flagged, or a set falls below --min-all / --min-kind (the held-aside set: below
--min-held-all / --min-held-kind when given, with at most --allow-held-licences pages read as a
licence and as many not flagged in the ID slot); exit 77 (SKIP) when tesseract's English data
is not installed.
"""
import argparse
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
ADDR = re.compile(r"^\s*(\d+ .+?)\s*$")
CSZ = re.compile(r"^\s*([A-Za-z .'-]+),? ([A-Z]{2}) (\d{5}(?:-\d{4})?)\s*$")


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


def pct(a, b):
    return "%d/%d (%.1f%%)" % (a, b, 100.0 * a / b if b else 0.0)


def judge(r, t):
    holders = [norm(x) for x in (fval(r, "holder_name") or "").split(";") if x.strip()]
    h = sorted(holders) == sorted(norm(x) for x in t["holders"])
    a = (norm(fval(r, "street")) == norm(t["street"]) and norm(fval(r, "unit")) == norm(t["unit"])
         and norm(fval(r, "city")) == norm(t["city"]) and fval(r, "state") == t["state"]
         and fval(r, "postal_code") == t["zip"])
    d = fval(r, "statement_date") == t["date"]
    got = norm(fval(r, "street"))
    conf = bool(got) and any(got == norm(c["street"]) for c in t["confusers"])
    return h, a, d, conf


def baseline(truth, files):
    n = ok = 0
    for t, f in zip(truth, files):
        if t["form"] not in ("png", "scan"):
            continue
        n += 1
        txt = subprocess.run(["tesseract", f, "-", "--psm", "3"], capture_output=True, text=True,
                             env=env()).stdout.splitlines()
        for i in range(1, len(txt)):
            if CSZ.match(txt[i]) and ADDR.match(txt[i - 1]):
                ok += norm(txt[i - 1]).startswith(norm(t["street"]))
                break
    return ok, n


def measure(a, gen_dir, set_name):
    d = os.path.join(gen_dir, "%s-%d-%d" % (set_name, a.seed, a.count))
    if not os.path.exists(os.path.join(d, "truth.json")):
        gen = ["grammar.py", d] if set_name == "grammar" else ["families.py", d, "--set", set_name]
        subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "seeds", "gen", gen[0])] + gen[1:] +
                       ["--count", str(a.count), "--seed", str(a.seed),
                        "--forms", a.forms, "--today", TODAY], check=True, stdout=subprocess.DEVNULL)
    truth = json.load(open(os.path.join(d, "truth.json")))
    files = [os.path.join(d, t["file"]) for t in truth]
    res = run_check(a.idverify, files, ["--hint", "residence"])
    per = {}
    conf_taken = 0
    misses = []
    for t, f in zip(truth, files):
        h, ad, dt, conf = judge(res.get(f, {}), t)
        group = "rotated" if t["rotation"] else "upright"
        s = per.setdefault(group, [0, 0, 0, 0, 0])
        s[0] += h
        s[1] += ad
        s[2] += dt
        s[3] += h and ad and dt
        s[4] += 1
        conf_taken += conf
        if not (h and ad and dt):
            misses.append("%s[%s%s%s]" % (t["file"], "" if h else "H", "" if ad else "A", "" if dt else "D"))
    images = [(t, f) for t, f in zip(truth, files) if t["form"] != "pdf"]
    nohint = run_check(a.idverify, [f for _, f in images])
    kind_ok = sum(nohint.get(f, {}).get("kind") == "proof_of_residence" for _, f in images)
    as_licence = sum(nohint.get(f, {}).get("kind") == "drivers_license" for _, f in images)
    slot_files = [f for t, f in images if t["form"] in ("png", "rot")]
    slot = run_check(a.idverify, slot_files, ["--hint", "id"])
    flagged = sum(check_of(slot.get(f, {}), "kind_matches_slot") == "fail" for f in slot_files)
    print("Proofs of residence, %s families (%s), %d files:" % (
        set_name.replace("_", "-"), ", ".join(sorted(set(t["family"] for t in truth))), len(truth)))
    for group in ("upright", "rotated"):
        s = per.get(group, [0, 0, 0, 0, 0])
        print("  slot given, %-7s holder %s address %s date %s all three %s" % (
            group, pct(s[0], s[4]), pct(s[1], s[4]), pct(s[2], s[4]), pct(s[3], s[4])))
    print("  confuser address taken for the holder's: %d" % conf_taken)
    print("  kind without a hint: %s; read as a licence: %d; in the ID slot flagged: %s" % (
        pct(kind_ok, len(images)), as_licence, pct(flagged, len(slot_files))))
    if a.baseline:
        ok, n = baseline(truth, files)
        s = per.get("upright", [0, 0, 0, 0, 0])
        print("  baseline tesseract CLI, first address on the page: right address %s "
              "(idverify on all forms upright: %s)" % (pct(ok, n), pct(s[1], s[4])))
    if a.verbose and set_name == "tuning" and misses:
        print("  missed: " + " ".join(misses))
    up, rot = per.get("upright", [0] * 5), per.get("rotated", [0] * 5)
    held = set_name != "tuning"
    slack = a.allow_held_licences if held else 0
    min_all = a.min_held_all if held and a.min_held_all is not None else a.min_all
    min_kind = a.min_held_kind if held and a.min_held_kind is not None else a.min_kind
    ok = conf_taken == 0 and as_licence <= slack and flagged + slack >= len(slot_files)
    tot = up[4] + rot[4]
    ok &= tot == 0 or (up[3] + rot[3]) >= min_all * tot
    ok &= not images or kind_ok >= min_kind * len(images)
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--idverify", required=True)
    ap.add_argument("--sets", default="tuning,held_aside")
    ap.add_argument("--count", type=int, default=14)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--forms", default="pdf,png,scan,rot,scanrot")
    ap.add_argument("--gen-dir")
    ap.add_argument("--baseline", action="store_true")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--min-all", type=float, default=0.0)
    ap.add_argument("--min-kind", type=float, default=0.0)
    ap.add_argument("--min-held-all", type=float)
    ap.add_argument("--min-held-kind", type=float)
    ap.add_argument("--allow-held-licences", type=int, default=0)
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    if a.check:
        langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True) \
            if shutil.which("tesseract") else None
        if langs is None or langs.returncode != 0 or "eng" not in langs.stdout.split():
            print("SKIP: tesseract's English data is not installed")
            return 77
    tmp = None
    gen_dir = a.gen_dir
    if gen_dir is None:
        tmp = gen_dir = tempfile.mkdtemp(prefix="idv-fam-")
    ok = True
    try:
        for s in a.sets.split(","):
            ok &= measure(a, gen_dir, s)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    if a.check and not ok:
        print("FAIL: below the thresholds")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
