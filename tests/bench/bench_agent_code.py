#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Does an agent's answer tell whether the consumer is a customer (issue 19, finding 2)? An
agent's web filing (POST /v1/requests, requester.role authorized_agent) makes the service send
the consumer a code when a record with that name and contact exists, and nothing otherwise.
On one keep-alive connection to a running `idverify serve`, interleaved: the name and e-mail of
a customer (a code is queued), a customer's name with another e-mail (what an agent typing
its own address gets), and a name nobody has. Each filing uses a new person. Printed: the
median latencies as ratios to the nobody case, measured in the same run, and whether the
answers' keys and statuses are the same.

usage: bench_agent_code.py [--idverify BIN] [--n N]
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
    ap.add_argument("--n", type=int, default=200, help="filings of each kind")
    a = ap.parse_args()
    os.environ["IDVERIFY_BIN"] = a.idverify
    import conftest
    kinds = {"nobody": [], "customer": [], "other e-mail": []}
    shapes = {k: set() for k in kinds}
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data")
        subprocess.run([a.idverify, "keygen", "--data-dir", data], check=True)
        # an SMTP URL nobody listens on: the codes wait in the outbox (sending is not measured)
        svc = conftest.Service(data, ["--rate-per-ip", "1000000", "--rate-burst-per-ip",
                                      "100000", "--smtp-url", "smtp://127.0.0.1:9",
                                      "--smtp-from", "privacy@example.org"]).start()
        try:
            recs = [{"id": "A%05d" % i, "given_name": "Given%05d" % i,
                     "family_name": "Customer%05d" % i, "email": "a%05d@example.com" % i}
                    for i in range(2 * a.n)]
            conn = http.client.HTTPConnection("127.0.0.1", svc.port)
            st, body, _ = post(conn, "/v1/records", {"records": recs}, svc.admin())
            assert st == 200, body
            for i in range(a.n):
                for kind in kinds:
                    j = i if kind == "customer" else a.n + i
                    if kind == "nobody":
                        claims = {"given_names": "Nobody%05d" % i,
                                  "family_name": "Absent%05d" % i,
                                  "email": "n%05d@example.com" % i}
                    else:
                        claims = {"given_names": "Given%05d" % j,
                                  "family_name": "Customer%05d" % j,
                                  "email": "a%05d@example.com" % j if kind == "customer"
                                  else "inbox%05d@agent.example" % i}
                    st, body, dt = post(conn, "/v1/requests", {
                        "request_type": "know_categories", "channel": "web",
                        "requester": {"role": "authorized_agent"}, "claims": claims})
                    assert st == 201, body
                    v = json.loads(body)
                    shapes[kind].add((tuple(sorted(v)), v["status"], tuple(v["required"])))
                    kinds[kind].append(dt)
            conn.close()
        finally:
            svc.stop()
    base = statistics.median(kinds["nobody"])
    print("POST /v1/requests as an authorized agent, %d of each kind" % a.n)
    for kind, ts in kinds.items():
        print("  %-13s median %.3f ms  p90 %.3f ms  ratio to nobody %.3f" % (
            kind, statistics.median(ts) * 1e3, sorted(ts)[int(len(ts) * 0.9)] * 1e3,
            statistics.median(ts) / base))
    same = len(set().union(*shapes.values())) == 1
    print("  answers: %s" % ("the same keys, status and required list for every kind" if same
                             else "DIFFER: %s" % shapes))


if __name__ == "__main__":
    main()
