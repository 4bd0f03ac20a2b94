#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Time and memory of `idverify check` per licence image, next to the tesseract and zbarimg
command-line tools on the same images in the same run, printed as ratios (DESIGN.md 8).

Every tool runs as one process per image (cold start included, as a worker would see it),
single-threaded (OMP_THREAD_LIMIT=1). Reported: median wall time and median peak RSS (from
wait4), per image kind (clean front, clean back, photo front, photo back).

usage: bench_check.py [--idverify BIN] [--images DIR | --count N] [--repeat R]
Build a release binary first: meson setup build-rel --buildtype=release && ninja -C build-rel
"""
import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def measure(cmd):
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return dt, ru.ru_maxrss / 1024.0  # MiB


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--idverify", default=os.path.join(ROOT, "build-rel", "service", "io", "cmd",
                                                       "idverify"))
    ap.add_argument("--images")
    ap.add_argument("--count", type=int, default=6)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    if not os.path.exists(args.idverify):
        print(f"no binary at {args.idverify}; build one (see --help)")
        return 1
    tmp = None
    images = args.images
    if not images:
        tmp = tempfile.mkdtemp(prefix="idv-bench-")
        subprocess.run([sys.executable, os.path.join(ROOT, "seeds", "gen", "gen_licences.py"),
                        tmp, "--count", str(args.count), "--seed", "5"], check=True)
        images = tmp
    groups = {}
    for j in sorted(glob.glob(os.path.join(images, "*.json"))):
        base = os.path.splitext(j)[0]
        img = next((base + e for e in (".png", ".jpg") if os.path.exists(base + e)), None)
        if not img:
            continue
        with open(j) as f:
            t = json.load(f)
        groups.setdefault(f"{t['variant']} {t['side']}", []).append(img)
    tools = [("idverify check", lambda i: [args.idverify, "check", i])]
    if shutil.which("tesseract"):
        tools.append(("tesseract", lambda i: ["tesseract", i, "stdout"]))
    if shutil.which("zbarimg"):
        tools.append(("zbarimg", lambda i: ["zbarimg", "-q", i]))
    print(f"{'images':14s} {'n':>3s} " + " ".join(f"{n + ' s':>18s} {n + ' MiB':>20s}"
                                               for n, _ in tools))
    for g, imgs in sorted(groups.items()):
        row = {}
        for name, mk in tools:
            ts, ms = [], []
            for _ in range(args.repeat):
                for i in imgs:
                    dt, mem = measure(mk(i))
                    ts.append(dt)
                    ms.append(mem)
            row[name] = (statistics.median(ts), statistics.median(ms))
        print(f"{g:14s} {len(imgs):3d} " + " ".join(f"{row[n][0]:18.3f} {row[n][1]:20.1f}"
                                                  for n, _ in tools))
        base_t, base_m = row["idverify check"]
        ratios = []
        for n, _ in tools[1:]:
            ratios.append(f"idverify/{n}: time x{base_t / row[n][0]:.2f}, "
                          f"memory x{base_m / row[n][1]:.2f}")
        print(f"{'':18s}" + "; ".join(ratios))
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
