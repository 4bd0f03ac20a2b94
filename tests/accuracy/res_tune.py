#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A quick loop for tuning the proof-of-residence reader on the TUNING families. The HELD-ASIDE
families (--set held_aside) and the pages of seeds/gen/grammar.py (--set grammar) are only measured: one figure for the set, never a family, a file
or a miss (as tests/accuracy/families.py). The pages are generated and their words cached once
(res_words words: the text layer, or the image turned upright and OCRed); each run then parses
the cached words (res_words parse, milliseconds a page) and prints what tests/accuracy/families.py
would judge, per family, with the misses.

usage: res_tune.py --res-words BUILD/tests/accuracy/res_words --dir DIR [--set tuning|held_aside]
                   [--count N] [--seed S]
                   [--forms pdf,png,scan,rot,scanrot] [--models models] [-v]
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import families  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--res-words", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--set", default="tuning", choices=["tuning", "held_aside", "grammar"])
    ap.add_argument("--count", type=int, default=14)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--forms", default="pdf,png,scan,rot,scanrot")
    ap.add_argument("--models", default=os.path.join(ROOT, "models"))
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    d = os.path.join(a.dir, "%s-%d-%d" % (a.set, a.seed, a.count))
    if not os.path.exists(os.path.join(d, "truth.json")):
        gen = ["grammar.py", d] if a.set == "grammar" else ["families.py", d, "--set", a.set]
        subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "seeds", "gen", gen[0])] + gen[1:] + [
                        "--count", str(a.count), "--seed", str(a.seed),
                        "--forms", a.forms, "--today", families.TODAY], check=True,
                       stdout=subprocess.DEVNULL)
    truth = json.load(open(os.path.join(d, "truth.json")))
    files = [os.path.join(d, t["file"]) for t in truth]
    todo = [f for f in files if not os.path.exists(f + ".words")]
    for i in range(0, len(todo), 20):
        subprocess.run([a.res_words, "words", a.models] + todo[i:i + 20], env=families.env())
    p = subprocess.run([a.res_words, "parse", "--today", families.TODAY] + [f + ".words" for f in files],
                       capture_output=True, text=True)
    res = {}
    for line in p.stdout.splitlines():
        r = json.loads(line)
        res[r["file"]] = r
    per = {}
    for t, f in zip(truth, files):
        h, ad, dt, conf = families.judge(res.get(f, {}), t)
        s = per.setdefault(t["family"], [0, 0, 0, 0, 0, 0, []])
        s[0] += h
        s[1] += ad
        s[2] += dt
        s[3] += h and ad and dt
        s[4] += 1
        s[5] += conf
        if not (h and ad and dt):
            s[6].append("%s[%s%s%s]" % (t["file"], "" if h else "H", "" if ad else "A",
                                        "" if dt else "D"))
    tot = [0] * 6
    for fam in sorted(per):
        s = per[fam]
        for k in range(6):
            tot[k] += s[k]
        if a.set != "tuning":
            continue
        print("%-16s holder %2d address %2d date %2d all %2d / %2d  confusers %d" % (
            fam, s[0], s[1], s[2], s[3], s[4], s[5]))
        if a.verbose and s[6]:
            print("    " + " ".join(s[6]))
    print("%-16s holder %2d address %2d date %2d all %2d / %2d (%.1f%%)  confusers %d" % (
        a.set, tot[0], tot[1], tot[2], tot[3], tot[4], 100.0 * tot[3] / max(tot[4], 1),
        tot[5]))


if __name__ == "__main__":
    main()
