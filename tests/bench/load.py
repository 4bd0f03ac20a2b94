#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Load benchmark of `idverify serve` on loopback (DESIGN.md 8), with a bare libmicrohttpd
server measured in the same run as the ceiling.

1. Ceiling: a GET /healthz flood (tests/bench/flood.c, C, keep-alive, CLIENTS connections)
   against bare_mhd (same daemon flags and thread pool, nothing else) and against an idle
   serve: requests per second and latency, and their ratio.
2. The request mix: CLIENTS threads each create a case, upload a small generated image (one
   document), poll the case a few times, and start again, for DURATION seconds. Reported:
   throughput, latency percentiles per request kind, 503s (each must carry Retry-After; a
   client waits what it says, at most 2 s, and tries again), every other error, the document
   queue's depth (from /metrics), documents read per second, peak memory of serve and of its
   worker processes (from /proc), and /healthz latency measured meanwhile (20 probes/s on a
   connection of its own) while every worker is busy.
3. The flood again while the workers are still saturated by the queue the mix left, as a
   ratio to the ceiling.

Build a release first: meson setup build-rel --buildtype=release && ninja -C build-rel
usage: load.py [--clients 64] [--duration 30] [--workers 2] [--max-queue 200] [--build DIR]
Exit status 1 when any error other than a 503 with Retry-After was seen.
"""
import argparse
import json
import os
import random
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

import requests

from benchlib import ADMIN_KEY, ROOT, children, free_port, proc_status




def small_png(seed, width=360, height=228):
    """A small grey card-sized PNG with a few dark bars (different per seed): real decoding
    and OCR work for the worker, a few KiB on the wire."""
    rnd = random.Random(seed)
    bars = [(rnd.randrange(10, height - 20), rnd.randrange(20, 200), rnd.randrange(6, 14))
            for _ in range(6)]
    rows = []
    for y in range(height):
        row = bytearray(b"\xe8" * width)
        for (by, bw, bh) in bars:
            if by <= y < by + bh:
                x0 = 20 + (by % 90)
                row[x0:x0 + bw] = b"\x20" * len(row[x0:x0 + bw])
        rows.append(b"\x00" + bytes(row))

    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0,
                                                                0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def pct(xs, p):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round((len(xs) - 1) * p)))]






def flood(flood_bin, port, conns, secs, pause_us=0):
    out = subprocess.run([flood_bin, str(port), "/healthz", str(conns), str(secs),
                          str(pause_us)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.lat = {}        # kind -> [seconds]
        self.codes = {}      # (kind, status) -> count
        self.errors = []     # descriptions
        self.n503 = 0
        self.n503_no_retry_after = 0
        self.uploads_ok = 0

    def add(self, kind, status, dt):
        with self.lock:
            self.lat.setdefault(kind, []).append(dt)
            self.codes[(kind, status)] = self.codes.get((kind, status), 0) + 1

    def error(self, what):
        with self.lock:
            if len(self.errors) < 1000:
                self.errors.append(what)


def client(url, stats, stop, images, cid):
    s = requests.Session()
    rnd = random.Random(cid)

    def call(kind, method, path, expect, **kw):
        for _ in range(5):
            t0 = time.monotonic()
            try:
                r = s.request(method, url + path, timeout=60, **kw)
            except requests.RequestException as e:
                stats.add(kind, "exception", time.monotonic() - t0)
                stats.error("%s: %s" % (kind, type(e).__name__))
                return None
            stats.add(kind, r.status_code, time.monotonic() - t0)
            if r.status_code == 503:
                ra = r.headers.get("Retry-After")
                with stats.lock:
                    stats.n503 += 1
                    if ra is None:
                        stats.n503_no_retry_after += 1
                if ra is None:
                    stats.error("%s: 503 without Retry-After" % kind)
                    return None
                if stop.is_set():
                    return None
                time.sleep(min(float(ra), 2.0))
                continue
            if r.status_code != expect:
                stats.error("%s: %d %s" % (kind, r.status_code, r.text[:120]))
                return None
            return r
        return None

    n = 0
    while not stop.is_set():
        n += 1
        tag = "%d-%d" % (cid, n)
        claims = {"given_names": "Bench Client", "family_name": "Load" + tag.replace("-", "x"),
                  "date_of_birth": "1980-01-%02d" % (1 + n % 28),
                  "email": "bench%s@example.com" % tag.replace("-", ""),
                  "address": {"street": "%d Bench St" % (n % 900 + 1), "city": "Oakland",
                              "state": "CA", "postal_code": "94607"}}
        r = call("create", "POST", "/v1/requests", 201,
                 json={"request_type": "know_categories", "claims": claims, "channel": "web"})
        if r is None:
            continue
        v = r.json()
        h = {"Authorization": "Bearer " + v["token"]}
        img = images[rnd.randrange(len(images))]
        r = call("upload", "POST", "/v1/requests/%s/documents" % v["reference"], 202,
                 files={"file": ("card.png", img)}, data={"kind": "government_id"},
                 headers=h)
        if r is not None:
            with stats.lock:
                stats.uploads_ok += 1
        for _ in range(3):
            if stop.is_set():
                break
            call("status", "GET", "/v1/requests/" + v["reference"], 200, headers=h)
            time.sleep(0.2)


def sampler(url, serve_pid, workers, state, stop):
    s = requests.Session()
    while not stop.is_set():
        try:
            text = s.get(url + "/metrics", timeout=5).text
            q = r = 0
            for line in text.splitlines():
                if line.startswith('idverify_jobs{state="queued"}'):
                    q = int(line.split()[-1])
                elif line.startswith('idverify_jobs{state="running"}'):
                    r = int(line.split()[-1])
            state["queued"], state["running"] = q, r
            state["queue_samples"].append(q)
            # Saturated: documents are waiting, so every worker is reading one (or its
            # fresh process is starting to).
            state["saturated"] = q > 0 and r > 0
        except requests.RequestException:
            pass
        rss, hwm = proc_status(serve_pid)
        state["serve_hwm"] = max(state["serve_hwm"], hwm)
        total = rss
        # Workers (fork servers) and the process each forks per document.
        todo = children(serve_pid)
        while todo:
            c = todo.pop()
            todo += children(c)
            crss, chwm = proc_status(c)
            state["worker_hwm"] = max(state["worker_hwm"], chwm)
            total += crss
        state["total_rss_peak"] = max(state["total_rss_peak"], total)
        time.sleep(0.5)


def prober(flood_bin, port, state, stop, until, out):
    """/healthz latency while the workers are saturated: once documents are waiting, a paced
    probe (C client, one connection, 20 probes/s) until the mix ends."""
    while not stop.is_set() and not state.get("saturated") and time.monotonic() < until:
        time.sleep(0.1)
    left = until - time.monotonic()
    if left > 1 and state.get("saturated"):
        out.append(flood(flood_bin, port, 1, left, 50000))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build-rel"))
    ap.add_argument("--clients", type=int, default=64)
    ap.add_argument("--duration", type=float, default=30)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--max-queue", type=int, default=200)
    ap.add_argument("--flood-seconds", type=float, default=5)
    ap.add_argument("--serve-arg", action="append", default=[],
                    help="an extra argument for serve (repeat), e.g. --serve-arg=--worker-jobs=50")
    args = ap.parse_args()
    idverify = os.path.join(args.build, "service", "io", "cmd", "idverify")
    bare = os.path.join(args.build, "tests", "bench", "bare_mhd")
    flood_bin = os.path.join(args.build, "tests", "bench", "flood")
    for b in (idverify, bare, flood_bin):
        if not os.path.exists(b):
            print("missing %s: build first (see --help)" % b)
            return 2
    env = dict(os.environ, OMP_THREAD_LIMIT="1", IDVERIFY_ADMIN_KEY=ADMIN_KEY)
    tmp = tempfile.mkdtemp(prefix="idv-load-")
    data = os.path.join(tmp, "data")
    subprocess.run([idverify, "keygen", "--data-dir", data], check=True, env=env,
                   capture_output=True)

    # 1. The ceiling.
    bport = free_port()
    bp = subprocess.Popen([bare, str(bport), "2"], stdout=subprocess.PIPE, text=True)
    bp.stdout.readline()
    ceiling = flood(flood_bin, bport, args.clients, args.flood_seconds)
    bp.send_signal(signal.SIGTERM)
    bp.wait()

    port = free_port()
    url = "http://127.0.0.1:%d" % port
    log = open(os.path.join(tmp, "serve.log"), "wb")
    sp = subprocess.Popen([idverify, "serve", "--data-dir", data, "--listen",
                           "127.0.0.1:%d" % port, "--models", os.path.join(ROOT, "models"),
                           "--workers", str(args.workers), "--max-queue", str(args.max_queue),
                           # 64 clients on one loopback address stand for 64 people:
                           # per-address connection and rate limits are lifted.
                           "--connection-limit-per-ip", "512", "--rate-per-ip", "1000000",
                           "--rate-burst-per-ip", "100000", "--log-level", "warn"]
                          + args.serve_arg,
                          stdout=log, stderr=log, env=env, cwd=ROOT)
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(url + "/healthz", timeout=1).status_code == 200:
                break
        except requests.RequestException:
            pass
        if time.monotonic() > deadline or sp.poll() is not None:
            print("serve did not start; log in %s" % tmp)
            return 2
        time.sleep(0.1)
    time.sleep(1)  # let the idle workers start
    idle = flood(flood_bin, port, args.clients, args.flood_seconds)

    # 2. The request mix.
    images = [small_png(i) for i in range(16)]
    stats = Stats()
    state = {"queued": 0, "running": 0, "queue_samples": [], "serve_hwm": 0, "worker_hwm": 0,
             "total_rss_peak": 0, "saturated": False}
    stop, stop_side = threading.Event(), threading.Event()
    probes = []
    t0 = time.monotonic()
    side = [threading.Thread(target=sampler, args=(url, sp.pid, args.workers, state, stop_side)),
            threading.Thread(target=prober, args=(flood_bin, port, state, stop_side,
                                                  t0 + args.duration, probes))]
    for t in side:
        t.start()
    threads = [threading.Thread(target=client, args=(url, stats, stop, images, i))
               for i in range(args.clients)]
    for t in threads:
        t.start()
    time.sleep(args.duration)
    stop.set()
    for t in threads:
        t.join()
    mix_secs = time.monotonic() - t0

    # 3. The flood while the queue keeps every worker busy.
    sat = None
    if state["saturated"]:
        sat = flood(flood_bin, port, args.clients, args.flood_seconds)
    stop_side.set()
    for t in side:
        t.join()
    metrics = requests.get(url + "/metrics").text
    sp.send_signal(signal.SIGTERM)
    rc = sp.wait(timeout=30)
    log.close()

    # Report.
    print("idverify load benchmark: %d clients, %.0f s of mix, %d workers, max queue %d, "
          "release build %s" % (args.clients, mix_secs, args.workers, args.max_queue,
                                args.build))
    print("(all clients share 127.0.0.1: serve's per-address connection and rate limits are "
          "lifted for the run)")
    print("\n1. GET /healthz flood, %d keep-alive connections, %.0f s (C client)" %
          (args.clients, args.flood_seconds))
    for name, f in (("bare libmicrohttpd", ceiling), ("idverify serve, idle", idle),
                    ("idverify serve, workers saturated", sat)):
        if f is None:
            print("  %-36s (workers were not saturated: skipped)" % name)
            continue
        print("  %-36s %9.0f req/s  p50 %6.2f ms  p99 %6.2f ms  errors %d  non-2xx %d" %
              (name, f["rps"], f["p50_us"] / 1000, f["p99_us"] / 1000, f["errors"],
               f["other"] + f["s503"]))
    print("  ratio idverify/bare: idle x%.2f%s" % (
        idle["rps"] / ceiling["rps"],
        ", saturated x%.2f" % (sat["rps"] / ceiling["rps"]) if sat else ""))

    total_req = sum(len(v) for v in stats.lat.values())
    print("\n2. Request mix (create a case, upload one document, poll 3 times)")
    print("  requests %d in %.1f s: %.1f req/s; uploads accepted %d (%.2f/s)" %
          (total_req, mix_secs, total_req / mix_secs, stats.uploads_ok,
           stats.uploads_ok / mix_secs))
    for kind in ("create", "upload", "status"):
        xs = stats.lat.get(kind, [])
        codes = {str(k[1]): v for k, v in stats.codes.items() if k[0] == kind}
        print("  %-7s n=%-6d p50 %7.1f ms  p90 %7.1f ms  p99 %7.1f ms  max %7.1f ms  %s" %
              (kind, len(xs), pct(xs, .5) * 1000, pct(xs, .9) * 1000, pct(xs, .99) * 1000,
               (max(xs) if xs else 0) * 1000, codes))
    qs = state["queue_samples"]
    print("  queue depth: mean %.1f, max %d (limit %d); at the end %d queued, %d running" %
          (statistics.mean(qs) if qs else 0, max(qs) if qs else 0, args.max_queue,
           state["queued"], state["running"]))
    started = [l for l in metrics.splitlines()
               if l.startswith("idverify_worker_processes_started_total")]
    fails = [l for l in metrics.splitlines() if l.startswith("idverify_worker_failures_total{")]
    print("  worker processes started: %s; failures: %s" % (
        started[0].split()[-1] if started else "?",
        ", ".join(l.split('"')[1] + "=" + l.split()[-1] for l in fails)))
    print("  peak memory: serve %.1f MiB (VmHWM), largest worker or document process %.1f MiB "
          "(VmHWM), all together %.1f MiB (RSS)" % (state["serve_hwm"] / 1024,
                                               state["worker_hwm"] / 1024,
                                               state["total_rss_peak"] / 1024))
    if probes:
        p = probes[0]
        print("  /healthz while every worker is busy (paced probe, %d answers): median %.2f ms,"
              " p90 %.2f ms, p99 %.2f ms, max %.2f ms, errors %d" %
              (p["requests"], p["p50_us"] / 1000, p["p90_us"] / 1000, p["p99_us"] / 1000,
               p["max_us"] / 1000, p["errors"] + p["other"] + p["s503"]))
    else:
        print("  /healthz while every worker is busy: the workers were never saturated")
    done = stats.uploads_ok - state["queued"] - state["running"]
    print("  documents read during the mix: about %d (%.2f/s)" % (done, done / mix_secs))
    bad = sum(p["errors"] + p["other"] + p["s503"] for p in probes)
    print("  503 with Retry-After: %d; without: %d" % (stats.n503 - stats.n503_no_retry_after,
                                                       stats.n503_no_retry_after))
    errors = len(stats.errors) + bad
    flood_errors = sum(f["errors"] + f["other"] for f in (idle, sat) if f)
    print("  errors other than 503 with Retry-After: %d%s" % (
        errors + flood_errors, "" if not stats.errors else " (first: %s)" % stats.errors[:3]))
    print("  serve exited with %d on SIGTERM" % rc)
    return 1 if errors + flood_errors or rc != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
