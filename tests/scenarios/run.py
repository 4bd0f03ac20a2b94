#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Run `idverify verify` on every labelled scenario and compare with its label.

Prints one line per disagreement, then agreement, false-verified and false-rejected counts.
A false verified is a decision of "verified" where the label is not verified, or verified to
another record, or at a higher level than the label: handing one person's data to another.
A false rejected is "not_verified" where the label is verified. Every decision must also name
its model and version. Exits 1 on any false verified, on agreement below 95%, or on a decision
without a model.

A label may also name what the policy's procedure predicts (models/README.md, "procedure"):
"refused" (a reason code, or null), "reasons" (codes the decision must give), "acknowledge_by",
"respond_by" and "extension_until" (due dates for a request received on TODAY); a case that
misses one of them disagrees. A policy's own set (models/examples/NAME/scenarios) is smaller:
--min gives the least number of scenarios, --all requires full agreement.

Usage: run.py IDVERIFY [--models DIR] [--cases DIR] [--records FILE] [--min N] [--all] [-v]
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TODAY = "2026-06-01"
LEVELS = {"none": 0, "standard": 1, "heightened": 2}


def run_case(exe, records, models, path):
    p = subprocess.run([exe, "verify", "--records", records, "--models", models,
                        "--today", TODAY, path], capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        return None, p.stderr.strip()
    return json.loads(p.stdout), None


def judge(exp, got):
    """(agree, false_verified, false_rejected, why)."""
    eo, go = exp["outcome"], got["outcome"]
    if go == "verified":
        if eo != "verified":
            return False, True, False, "verified, expected %s" % eo
        if got.get("record_id") != exp.get("record_id"):
            return False, True, False, "verified record %s, expected %s" % (
                got.get("record_id"), exp.get("record_id"))
        if LEVELS[got["level"]] > LEVELS[exp["level"]]:
            return False, True, False, "verified at %s, expected %s" % (got["level"], exp["level"])
        if got["level"] != exp["level"]:
            return False, False, False, "verified at %s, expected %s" % (got["level"], exp["level"])
        return True, False, False, ""
    if go != eo:
        return False, False, eo == "verified" and go == "not_verified", "%s, expected %s" % (go, eo)
    if eo == "manual_review" and exp.get("record_id") and got.get("record_id") != exp["record_id"]:
        return False, False, False, "review of record %s, expected %s" % (got.get("record_id"),
                                                                          exp["record_id"])
    return True, False, False, ""


def judge_procedure(exp, got):
    """Why the procedure's predictions in exp are not met by got, or ""."""
    if "refused" in exp and got.get("refused") != exp["refused"]:
        return "refused %s, expected %s" % (got.get("refused"), exp["refused"])
    codes = [r["code"] for r in got.get("reasons", [])]
    for c in exp.get("reasons", []):
        if c not in codes:
            return "no reason %s" % c
    for k in ("acknowledge_by", "respond_by", "extension_until"):
        if k in exp and (got.get("deadlines") or {}).get(k) != exp[k]:
            return "%s %s, expected %s" % (k, (got.get("deadlines") or {}).get(k), exp[k])
    return ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("idverify")
    ap.add_argument("--models", default=os.path.join(HERE, "..", "..", "models"))
    ap.add_argument("--cases", default=os.path.join(HERE, "cases"))
    ap.add_argument("--records", default=os.path.join(HERE, "records.csv"))
    ap.add_argument("--min", type=int, default=60, help="least number of scenarios")
    ap.add_argument("--all", action="store_true", help="every scenario must agree")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    names = sorted(n for n in os.listdir(args.cases) if n.endswith(".json"))
    agree = fv = fr = errors = no_model = 0
    for name in names:
        path = os.path.join(args.cases, name)
        with open(path, encoding="utf-8") as f:
            exp = json.load(f)["_expect"]
        got, err = run_case(args.idverify, args.records, args.models, path)
        if got is None:
            errors += 1
            print("ERROR %s: %s" % (name, err))
            continue
        if got["outcome"] != "not_required" and (
                not got.get("model") or not got["model"].get("name")
                or not got["model"].get("version")):
            no_model += 1
            print("NO MODEL %s" % name)
        ok, is_fv, is_fr, why = judge(exp, got)
        if ok:
            why = judge_procedure(exp, got)
            ok = not why
        agree += ok
        fv += is_fv
        fr += is_fr
        if not ok or args.verbose:
            tag = "FALSE-VERIFIED" if is_fv else "FALSE-REJECTED" if is_fr else (
                "ok" if ok else "DISAGREE")
            print("%-15s %s: %s" % (tag, name[:-5], why or got["outcome"]))
            if not ok:
                for r in got.get("reasons", []):
                    print("    [%s] %s" % (r["code"], r["detail"]))
    n = len(names)
    rate = agree / n if n else 0.0
    print("scenarios: %d  agreement: %d/%d (%.1f%%)  false verified: %d  false rejected: %d  "
          "errors: %d" % (n, agree, n, 100.0 * rate, fv, fr, errors))
    if n < args.min:
        print("FAIL: fewer than %d scenarios" % args.min)
        return 1
    if fv or errors or no_model or rate < 0.95 or (args.all and agree != n):
        print("FAIL")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
