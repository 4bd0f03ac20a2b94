#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Summarise a meson testlog.json: per suite, how many test cases passed, failed and were
skipped (read from cmocka's, pytest's and the replay runners' own summaries; a test program
that prints none counts as one case), the failures, and the closing line
'N passed, N failed, N skipped'. Exit status 1 when anything failed."""
import collections
import json
import re
import sys

CMOCKA_PASSED = re.compile(r"^\[  PASSED  \] (\d+) test", re.M)
CMOCKA_FAILED = re.compile(r"^\[  FAILED  \] (\d+) test", re.M)
CMOCKA_SKIPPED = re.compile(r"^\[  SKIPPED \] (\d+) test", re.M)
PYTEST = re.compile(r"^=*\s*(?:(\d+) failed, )?(?:(\d+) passed)?(?:, )?(?:(\d+) skipped)?"
                    r".* in [\d.]+s", re.M)
PLAIN = re.compile(r"^(?:\w+: )?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$", re.M)


def inner_counts(out):
    """(passed, failed, skipped) read from a test program's output, or None."""
    m = CMOCKA_PASSED.search(out)
    if m:
        f = CMOCKA_FAILED.search(out)
        s = CMOCKA_SKIPPED.search(out)
        return int(m.group(1)), int(f.group(1)) if f else 0, int(s.group(1)) if s else 0
    for line in reversed(out.splitlines()):
        if re.search(r" in [\d.]+s", line) and ("passed" in line or "failed" in line
                                                or "skipped" in line):
            def n(word):
                mm = re.search(r"(\d+) " + word, line)
                return int(mm.group(1)) if mm else 0
            return n("passed"), n("failed") + n("error"), n("skipped")
    m = None
    for m in PLAIN.finditer(out):
        pass
    if m:
        return int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    return None


def main(path):
    per_suite = collections.defaultdict(collections.Counter)
    failed = []
    with open(path) as f:
        for line in f:
            t = json.loads(line)
            name = t["name"]
            suite = name.split(" / ")[0].split(":")[-1] if " / " in name else "?"
            res = t["result"]
            counts = inner_counts((t.get("stdout") or "") + "\n" + (t.get("stderr") or ""))
            if res == "SKIP":
                p, fl, s = 0, 0, 1
            elif counts is None:
                p, fl, s = (1, 0, 0) if res in ("OK", "EXPECTEDFAIL") else (0, 1, 0)
            else:
                p, fl, s = counts
                if res not in ("OK", "EXPECTEDFAIL") and fl == 0:
                    fl = 1  # crashed, timed out or leaked after its own summary
            per_suite[suite].update(passed=p, failed=fl, skipped=s)
            if res not in ("OK", "EXPECTEDFAIL", "SKIP"):
                failed.append("%s (%s)" % (name, res))
    total = collections.Counter()
    print("\nTest suites (test cases):")
    for suite in sorted(per_suite):
        c = per_suite[suite]
        total.update(c)
        print("  %-14s %4d passed, %d failed, %d skipped" % (suite, c["passed"], c["failed"],
                                                              c["skipped"]))
    for name in failed:
        print("  FAILED: " + name)
    print("%d passed, %d failed, %d skipped" % (total["passed"], total["failed"],
                                                total["skipped"]))
    return 1 if total["failed"] or failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
