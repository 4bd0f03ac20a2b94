#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The two store backends side by side, in one run on this machine: one `idverify serve` on
SQLite (the data directory) and one on PostgreSQL (a server started as the tests start it,
tests/api/pgserver.py), each under the same load: CLIENTS threads creating cases (POST
/v1/requests, a transaction of several statements) and reading them back (GET with the case
token), for DURATION seconds. Prints requests per second of each and PostgreSQL's as a ratio
of SQLite's; no assertion on either (a benchmark, not a test).

usage: backends.py [--clients 8] [--duration 10] [--build DIR]
"""
import argparse
import os
import sys
import tempfile
import threading
import time

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "api"))
import pgserver  # noqa: E402


def load(url, clients, duration):
    done = {"create": 0, "read": 0, "errors": 0}
    lock = threading.Lock()
    stop = time.monotonic() + duration

    def client(i):
        s = requests.Session()
        n = 0
        while time.monotonic() < stop:
            n += 1
            body = {"request_type": "know_categories", "channel": "web",
                    "claims": {"given_names": "Bea %d" % i, "family_name": "Bench%d" % n,
                               "date_of_birth": "1980-01-02"}}
            try:
                r = s.post(url + "/v1/requests", json=body, timeout=30)
                ok = r.status_code == 201
                if ok:
                    v = r.json()
                    g = s.get(url + "/v1/requests/" + v["reference"], timeout=30,
                              headers={"Authorization": "Bearer " + v["token"]})
                with lock:
                    if ok and g.status_code == 200:
                        done["create"] += 1
                        done["read"] += 1
                    else:
                        done["errors"] += 1
            except requests.RequestException:
                with lock:
                    done["errors"] += 1
    ts = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t0 = time.monotonic()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return done, time.monotonic() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--duration", type=float, default=10)
    ap.add_argument("--build", default=os.path.join(HERE, "..", "..", "build"))
    a = ap.parse_args()
    os.environ["IDVERIFY_BIN"] = os.path.join(a.build, "service", "io", "cmd", "idverify")
    from conftest import Service, run_cli
    why = pgserver.unavailable()
    if why:
        print("SKIP: " + why)
        return 77
    pg = pgserver.PgServer().start()
    results = {}
    try:
        for backend in ("sqlite", "postgresql"):
            with tempfile.TemporaryDirectory(prefix="idv-bench-") as tmp:
                d = os.path.join(tmp, "data")
                assert run_cli("keygen", "--data-dir", d).returncode == 0
                env = {"IDVERIFY_DATABASE": pg.database_for(d)} if backend == "postgresql" else {}
                svc = Service(d, ["--rate-per-ip", "1000000", "--rate-burst-per-ip", "100000",
                                  "--rate-per-key", "1000000", "--rate-burst-per-key", "100000"],
                              env=env).start()
                try:
                    done, secs = load(svc.url, a.clients, a.duration)
                finally:
                    svc.stop()
                rps = (done["create"] + done["read"]) / secs
                results[backend] = rps
                print("%-10s %7.1f requests/s (%d cases created and read back in %.1f s, "
                      "%d errors)" % (backend, rps, done["create"], secs, done["errors"]))
    finally:
        pg.stop()
    print("postgresql/sqlite requests per second: %.2f" %
          (results["postgresql"] / results["sqlite"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
