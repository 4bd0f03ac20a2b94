# SPDX-License-Identifier: Apache-2.0
"""What the benchmarks share: the tree's root, the admin key they start `serve` with, a free
loopback port, a timed keep-alive POST, and the processes and memory peaks read from /proc."""
import json
import os
import socket
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ADMIN_KEY = "bench-admin-key-0123456789abcdef"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(conn, path, body, headers=None):
    """POST body as JSON on an http.client connection: (status, body bytes, seconds)."""
    h = {"Content-Type": "application/json"}
    h.update(headers or {})
    t0 = time.perf_counter()
    conn.request("POST", path, body=json.dumps(body), headers=h)
    r = conn.getresponse()
    data = r.read()
    return r.status, data, time.perf_counter() - t0


def proc_status(pid):
    """(VmRSS, VmHWM) of a process in KiB; zeros once it is gone."""
    try:
        with open("/proc/%d/status" % pid) as f:
            d = dict(line.split(":", 1) for line in f if ":" in line)
        return int(d["VmRSS"].split()[0]), int(d["VmHWM"].split()[0])
    except (OSError, KeyError, ValueError):
        return 0, 0


def children(pid):
    out = []
    try:
        for t in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/children" % (pid, t)) as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out
