#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Reading documents inside `idverify serve` (sandboxed fork-server workers) against
`idverify check` on the same generated licences, in one run, as ratios (issue 14). Figures,
never assertions.

  idle        one case at a time: a licence's front and back uploaded as one document, the
              seconds from the upload to the case's decision (documents read, decided);
  saturated   every case created and uploaded at once to --workers workers: documents read
              per minute until the queue is empty;
  check       the same files through one `idverify check` process per front + back pair
              (single-process figures: start-up and OCR initialisation included), run at
              the workers' priority (nice 10);
and the peak RSS (VmHWM) of the worker processes and of the children they fork per document,
sampled from /proc every 50 ms. The ratios say what the queue, the sandbox and the fork cost
(or save: a forked child starts with tesseract initialised).

usage: bench_service.py [--build DIR] [--count N] [--workers 2] [--variant photo|clean]
"""
import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import requests

from benchlib import ADMIN_KEY, ROOT, children, free_port, proc_status


def hwm(pid):
    return proc_status(pid)[1] / 1024.0








def sampler(serve_pid, peaks, stop):
    """peaks: {"worker": MiB, "child": MiB}: workers are serve's children, the processes that
    read one document each are theirs."""
    while not stop.is_set():
        for w in children(serve_pid):
            peaks["worker"] = max(peaks["worker"], hwm(w))
            for c in children(w):
                peaks["child"] = max(peaks["child"], hwm(c))
        time.sleep(0.05)


def new_case(url, s, i):
    claims = {"given_names": "Bench", "family_name": "Service%d" % i,
              "date_of_birth": "1980-01-01", "email": "bench%d@example.com" % i,
              "address": {"street": "1 Bench St", "city": "Oakland", "state": "CA",
                          "postal_code": "94607"}}
    r = s.post(url + "/v1/requests", json={"request_type": "know_categories", "claims": claims,
                                           "channel": "web"}, timeout=30)
    r.raise_for_status()
    return r.json()


def upload(url, s, v, front, back):
    with open(front, "rb") as f, open(back, "rb") as b:
        files = [("file", ("front" + os.path.splitext(front)[1], f.read())),
                 ("file", ("back" + os.path.splitext(back)[1], b.read()))]
    for _ in range(60):
        r = s.post(url + "/v1/requests/%s/documents" % v["reference"], files=files,
                   data={"kind": "government_id"},
                   headers={"Authorization": "Bearer " + v["token"]}, timeout=30)
        if r.status_code != 503:
            break
        time.sleep(min(float(r.headers.get("Retry-After", "1")), 2.0))
    if r.status_code != 202:
        raise RuntimeError("upload: %d %s" % (r.status_code, r.text[:200]))


def read_done(url, s, v):
    r = s.get(url + "/v1/requests/" + v["reference"],
              headers={"Authorization": "Bearer " + v["token"]}, timeout=30).json()
    files = [f for d in r.get("documents", []) for f in d.get("files", [])]
    return bool(files) and all(f["status"] not in ("queued", "processing") for f in files), r


def wait(url, s, cases, timeout=600):
    deadline = time.monotonic() + timeout
    left = list(cases)
    while left and time.monotonic() < deadline:
        left = [v for v in left if not read_done(url, s, v)[0]]
        if left:
            time.sleep(0.05)
    if left:
        raise RuntimeError("%d cases still reading after %d s" % (len(left), timeout))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build-rel"))
    ap.add_argument("--count", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--variant", default="photo", choices=["photo", "clean"])
    ap.add_argument("--gen-dir")
    a = ap.parse_args()
    idverify = os.path.join(a.build, "service", "io", "cmd", "idverify")
    if not os.path.exists(idverify):
        print("no binary at %s; build a release tree first" % idverify)
        return 1
    tmp = tempfile.mkdtemp(prefix="idv-bench-svc-")
    gen = a.gen_dir or os.path.join(tmp, "gen")
    env = dict(os.environ, OMP_THREAD_LIMIT="1", IDVERIFY_ADMIN_KEY=ADMIN_KEY)
    sp = None
    try:
        if not glob.glob(os.path.join(gen, "card*-front*")):
            subprocess.run([sys.executable, os.path.join(ROOT, "seeds", "gen", "gen_licences.py"),
                            gen, "--count", str(a.count), "--seed", "15"], check=True,
                           stdout=subprocess.DEVNULL)
        suffix = "-photo0.jpg" if a.variant == "photo" else ".png"
        pairs = [(f, f.replace("-front", "-back"))
                 for f in sorted(glob.glob(os.path.join(gen, "card*-front" + suffix)))][:a.count]
        print("load average before: %.2f %.2f %.2f (%d CPUs)" % (os.getloadavg() + (os.cpu_count(),)))
        # the single-process figures: one check per pair
        check_s = []
        for f, b in pairs:
            t0 = time.monotonic()
            # at the workers' priority (nice 10), so that both compete alike with the rest
            # of a shared machine
            subprocess.run(["nice", "-n", "10", idverify, "check", "--hint", "id", f, b], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            check_s.append(time.monotonic() - t0)
        data = os.path.join(tmp, "data")
        subprocess.run([idverify, "keygen", "--data-dir", data], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        port = free_port()
        url = "http://127.0.0.1:%d" % port
        log = open(os.path.join(tmp, "serve.log"), "wb")
        sp = subprocess.Popen([idverify, "serve", "--data-dir", data, "--listen",
                               "127.0.0.1:%d" % port, "--workers", str(a.workers),
                               "--models", os.path.join(ROOT, "models")],
                              stdout=log, stderr=log, env=env, cwd=ROOT)
        s = requests.Session()
        for _ in range(200):
            try:
                if s.get(url + "/readyz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.1)
        time.sleep(1.0)  # the workers prepare (tesseract, templates) before the first job
        peaks = {"worker": 0.0, "child": 0.0}
        stop = threading.Event()
        th = threading.Thread(target=sampler, args=(sp.pid, peaks, stop), daemon=True)
        th.start()
        idle = []
        for i, (f, b) in enumerate(pairs):
            v = new_case(url, s, i)
            t0 = time.monotonic()
            upload(url, s, v, f, b)
            wait(url, s, [v])
            idle.append(time.monotonic() - t0)
        cases = [new_case(url, s, 1000 + i) for i in range(len(pairs) * 2)]
        t0 = time.monotonic()
        for v, (f, b) in zip(cases, pairs * 2):
            upload(url, s, v, f, b)
        wait(url, s, cases)
        sat = time.monotonic() - t0
        stop.set()
        th.join()
        docs = 2 * len(cases)
        per_min = 60.0 * docs / sat
        check_per_min = 60.0 * 2 / statistics.median(check_s)
        print("licences (%s), front + back as one upload, %d pairs, %d workers" % (
            a.variant, len(pairs), a.workers))
        print("  idverify check, one process per pair: median %.2f s per pair (%.1f documents/min "
              "in one process)" % (statistics.median(check_s), check_per_min))
        print("  serve, idle, upload until read: median %.2f s per pair; ratio to check %.2f" % (
            statistics.median(idle), statistics.median(idle) / statistics.median(check_s)))
        print("  serve, saturated (%d documents at once): %.1f documents/min; ratio to %d checks "
              "side by side %.2f" % (docs, per_min, a.workers, per_min / (a.workers * check_per_min)))
        print("  peak RSS: worker (fork server) %.1f MiB, per-document child %.1f MiB (goal <= 150)"
              % (peaks["worker"], peaks["child"]))
        print("load average after: %.2f %.2f %.2f" % os.getloadavg())
    finally:
        if sp is not None:
            sp.terminate()
            try:
                sp.wait(timeout=20)
            except subprocess.TimeoutExpired:
                sp.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
