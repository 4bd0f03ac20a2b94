#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""What authentication costs per request (DESIGN.md 8): requests per second on one keep-alive
connection to a running `idverify serve`, all on the same public route (the server
authenticates whatever credentials come), without credentials, with the bootstrap admin key
(a SHA-256), with a role's API key (a database lookup and a constant-time comparison) and with
an agent's DRP token (a database lookup), printed as ratios to the no-credentials case measured
in the same run.

usage: bench_auth.py [--idverify BIN] [--n N]
Build a release binary first: meson setup build-rel --buildtype=release && ninja -C build-rel
"""
import argparse
import http.client
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "api"))


def rate(port, path, token, n):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    headers = {"Authorization": "Bearer " + token} if token else {}
    t0 = time.monotonic()
    for _ in range(n):
        conn.request("GET", path, headers=headers)
        r = conn.getresponse()
        r.read()
        assert r.status == 200, (path, r.status)
    conn.close()
    return n / (time.monotonic() - t0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--idverify", default=os.path.join(ROOT, "build-rel", "service", "io", "cmd",
                                                       "idverify"))
    ap.add_argument("--n", type=int, default=2000)
    a = ap.parse_args()
    os.environ["IDVERIFY_BIN"] = a.idverify
    import conftest
    from test_drp import Agent, drp_args, key_setup
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data")
        subprocess.run([a.idverify, "keygen", "--data-dir", data], check=True)
        key = subprocess.run([a.idverify, "keys", "create", "--role", "admin", "--name", "b",
                              "--data-dir", data], capture_output=True, text=True,
                             check=True).stdout.strip()
        agent = Agent("BENCH_AGENT", tmp)
        svc = conftest.Service(data, drp_args(data, [agent]) + [
            "--rate-per-ip", "1000000", "--rate-burst-per-ip", "100000",
            "--rate-per-key", "1000000", "--rate-burst-per-key", "100000"]).start()
        try:
            token = key_setup(svc, agent)
            base = rate(svc.port, "/v1/declaration-statement", None, a.n)
            path = "/v1/declaration-statement"
            rows = [("no credentials", base),
                    ("bootstrap admin key", rate(svc.port, path, conftest.ADMIN_KEY, a.n)),
                    ("role API key (lookup)", rate(svc.port, path, key, a.n)),
                    ("agent DRP token (lookup)", rate(svc.port, path, token, a.n)),
                    ("no credentials, again", rate(svc.port, path, None, a.n))]
        finally:
            svc.stop()
    for name, r in rows:
        print("%-28s %8.0f req/s  %.2fx" % (name, r, r / base))


if __name__ == "__main__":
    main()
