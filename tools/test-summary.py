#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Summarise a meson testlog.json: counts per suite, the failures, and the closing line
'N passed, N failed, N skipped'. Exit status 1 when anything failed."""
import collections
import json
import sys


def main(path):
    per_suite = collections.defaultdict(collections.Counter)
    failed = []
    with open(path) as f:
        for line in f:
            t = json.loads(line)
            suite = (t.get("suite") or ["?"])[0].split(":")[-1]
            res = t["result"]
            kind = {"OK": "passed", "EXPECTEDFAIL": "passed", "SKIP": "skipped"}.get(res, "failed")
            per_suite[suite][kind] += 1
            if kind == "failed":
                failed.append("%s / %s (%s)" % (suite, t["name"], res))
    total = collections.Counter()
    print("\nTest suites:")
    for suite in sorted(per_suite):
        c = per_suite[suite]
        total.update(c)
        print("  %-12s %3d passed, %d failed, %d skipped" % (suite, c["passed"], c["failed"],
                                                              c["skipped"]))
    for name in failed:
        print("  FAILED: " + name)
    print("%d passed, %d failed, %d skipped" % (total["passed"], total["failed"], total["skipped"]))
    return 1 if total["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
