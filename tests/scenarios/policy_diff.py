#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The same case under two shipped policies shows the difference their procedures predict
(issue 17), and the strict loader refuses a procedure with an unknown or weaker key.

- a mobile phone bill: counted by the default models, refused by Client Connect
  (residence_kind_not_accepted);
- 30 against 45 days: LeanTaaS's response date against Confero's;
- the third request to know in 12 months: refused by Confero (at most 2), answered by
  LeanTaaS (no limit in its procedure).

Usage: policy_diff.py IDVERIFY MODELS_DIR   (MODELS_DIR: the repository's models/)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TODAY = "2026-06-01"


def verify(exe, models, case):
    p = subprocess.run([exe, "verify", "--records", os.path.join(HERE, "records.csv"),
                        "--models", models, "--today", TODAY, case],
                       capture_output=True, text=True, timeout=60)
    return p.returncode, (json.loads(p.stdout) if p.returncode == 0 else p.stderr)


def codes(d):
    return [r["code"] for r in d.get("reasons", [])]


def main():
    exe, models = sys.argv[1], sys.argv[2]
    ex = os.path.join(models, "examples")
    fails = []

    def check(what, cond):
        print("%s %s" % ("ok  " if cond else "FAIL", what))
        if not cond:
            fails.append(what)

    bill = os.path.join(ex, "client_connect", "scenarios", "k02_mobile_phone_bill_refused.json")
    _, a = verify(exe, models, bill)
    _, b = verify(exe, os.path.join(ex, "client_connect"), bill)
    check("mobile phone bill: default models verify, residence accepted",
          a["outcome"] == "verified" and "residence_kind_not_accepted" not in codes(a))
    check("mobile phone bill: Client Connect refuses it with a reason",
          b["outcome"] == "not_verified" and "residence_kind_not_accepted" in codes(b))

    case = os.path.join(ex, "leantaas", "scenarios", "l01_thirty_days.json")
    _, a = verify(exe, os.path.join(ex, "leantaas"), case)
    _, b = verify(exe, os.path.join(ex, "confero"), case)
    check("LeanTaaS answers within 30 days", a["deadlines"]["respond_by"] == "2026-07-01")
    check("Confero answers within 45 days", b["deadlines"]["respond_by"] == "2026-07-16")

    case = os.path.join(ex, "confero", "scenarios", "c03_third_access_refused.json")
    _, a = verify(exe, os.path.join(ex, "confero"), case)
    _, b = verify(exe, os.path.join(ex, "leantaas"), case)
    check("third request to know: Confero refuses it",
          a["outcome"] == "verified" and a["refused"] == "access_limit_reached")
    check("third request to know: LeanTaaS answers it",
          b["outcome"] == "verified" and b["refused"] is None)

    # Each example is a complete models directory: check reads a licence with its OCR files.
    sample = os.path.join(HERE, "..", "..", "seeds", "samples", "licence-card000-back.png")
    for name in sorted(n for n in os.listdir(ex) if os.path.isdir(os.path.join(ex, n))):
        if not os.path.exists(sample):
            break
        p = subprocess.run([exe, "check", "--models", os.path.join(ex, name), sample],
                           capture_output=True, text=True, timeout=120)
        check("check --models examples/%s reads a licence" % name,
              p.returncode == 0 and json.loads(p.stdout.splitlines()[0])["status"] == "ok")

    with tempfile.TemporaryDirectory() as tmp:
        d = os.path.join(tmp, "m")
        shutil.copytree(os.path.join(ex, "confero"), d, symlinks=False)
        pol = os.path.join(d, "policy.json")
        with open(pol, encoding="utf-8") as f:
            orig = json.load(f)
        for label, edit, want in (
                ("unknown key", lambda p: p["procedure"].update(respond_day=30), "respond_day"),
                ("missing key", lambda p: p["procedure"].pop("retention_months"),
                 "retention_months"),
                ("45 days exceeded", lambda p: p["procedure"].update(respond_days=60), "R30"),
                ("retention under 24 months",
                 lambda p: p["procedure"].update(retention_months=12), "R39"),
                ("one access answer a year",
                 lambda p: p["procedure"].update(access_requests_per_12_months=1), "R38"),
                ("power of attorney refused",
                 lambda p: p["procedure"].update(agent_proofs=["signed_permission"]), "R25"),
                ("unknown agent proof",
                 lambda p: p["procedure"].update(agent_proofs=["notary", "power_of_attorney"]),
                 "agent_proofs")):
            p = json.loads(json.dumps(orig))
            edit(p)
            with open(pol, "w", encoding="utf-8") as f:
                json.dump(p, f)
            rc, err = verify(exe, d, case)
            check("loader refuses %s" % label, rc != 0 and want in str(err))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
