#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Does the time of an anonymous request's answer tell whether a record exists (issue 19)?
POST /v1/requests with a name and a wrong date of birth, on one keep-alive connection to a
running `idverify serve`: names no record has, names one customer has, and a family name that
many customers share (every one a candidate). Each request uses a new name (the attempt
throttle is not what is measured). The kinds are interleaved so that drift hits all alike;
printed are the median latencies as ratios to the no-record case, measured in the same run.
Candidate sets are padded with stand-ins to 16 (service/io/case/evaluate.c): with --crowd at
or below that the ratios should stay near 1; above it they grow with the crowd.

usage: bench_probe.py [--idverify BIN] [--n N] [--crowd K]
Build a release binary first: meson setup build-rel --buildtype=release && ninja -C build-rel
"""
import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile

from benchlib import ROOT, post  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "tests", "api"))




def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--idverify", default=os.path.join(ROOT, "build-rel", "service", "io", "cmd",
                                                       "idverify"))
    ap.add_argument("--n", type=int, default=300, help="requests of each kind")
    ap.add_argument("--crowd", type=int, default=40, help="customers sharing one family name")
    a = ap.parse_args()
    os.environ["IDVERIFY_BIN"] = a.idverify
    import conftest
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data")
        subprocess.run([a.idverify, "keygen", "--data-dir", data], check=True)
        svc = conftest.Service(data, ["--rate-per-ip", "1000000", "--rate-burst-per-ip",
                                      "100000"]).start()
        try:
            recs = [{"id": "B%05d" % i, "given_name": "Given%05d" % i,
                     "family_name": "Single%05d" % i, "date_of_birth": "1970-01-01",
                     "email": "b%05d@example.com" % i} for i in range(a.n)]
            recs += [{"id": "C%05d" % i, "given_name": "Crowd%05d" % i,
                      "family_name": "Sharedname", "date_of_birth": "1971-01-01",
                      "email": "c%05d@example.com" % i} for i in range(a.crowd)]
            conn = http.client.HTTPConnection("127.0.0.1", svc.port)
            st, body, _ = post(conn, "/v1/records", {"records": recs}, svc.admin())
            assert st == 200, body
            kinds = {"nobody": [], "one customer": [], "many candidates": []}
            statuses = {k: set() for k in kinds}
            for i in range(a.n):
                for kind in kinds:
                    if kind == "nobody":
                        claims = {"given_names": "Nobody%05d" % i, "family_name": "Absent%05d" % i}
                    elif kind == "one customer":
                        claims = {"given_names": "Given%05d" % i,
                                  "family_name": "Single%05d" % i}
                    else:
                        claims = {"given_names": "Other%05d" % i, "family_name": "Sharedname"}
                    claims["date_of_birth"] = "1980-06-15"  # wrong for everybody
                    st, body, dt = post(conn, "/v1/requests",
                                        {"request_type": "know_categories", "claims": claims})
                    assert st == 201, body
                    statuses[kind].add(json.loads(body)["status"])
                    kinds[kind].append(dt)
            conn.close()
        finally:
            svc.stop()
    base = statistics.median(kinds["nobody"])
    print("POST /v1/requests, a wrong guess, %d of each kind (%d customers share a family "
          "name)" % (a.n, a.crowd))
    for kind, ts in kinds.items():
        print("  %-16s median %.3f ms  p90 %.3f ms  ratio to nobody %.3f  statuses %s" % (
            kind, statistics.median(ts) * 1e3, sorted(ts)[int(len(ts) * 0.9)] * 1e3,
            statistics.median(ts) / base, ",".join(sorted(statuses[kind]))))


if __name__ == "__main__":
    main()
