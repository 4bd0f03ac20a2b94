# SPDX-License-Identifier: Apache-2.0
"""Fault suite: SIGKILL of the service at random points while requesters upload documents and
cases are decided and closed, SIGKILL of worker processes, a full disk (RLIMIT_FSIZE on serve)
and a read-only database file. After each, a restart must find every committed case intact and
consistent: PRAGMA integrity_check, every document belongs to a case, every queued document has
its job, every job its document, closed cases purged, no stray file in the data directory, and
no upload that was answered 202 lost.

IDVERIFY_FAULT_POINTS sets the number of kill points (default 20; IDVERIFY_FAULTS_FULL=1: 100);
IDVERIFY_FAULT_SEED replays a run (the seed is printed)."""
import os
import random
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

import pytest
import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
from conftest import ADMIN_KEY, BACKEND, Service, db_rows, pg, run_cli  # noqa: E402
from test_cases import png_with_text  # noqa: E402

ADMIN = {"Authorization": "Bearer " + ADMIN_KEY}
POINTS = int(os.environ.get("IDVERIFY_FAULT_POINTS",
                            "100" if os.environ.get("IDVERIFY_FAULTS_FULL") else "20"))
SEED = int(os.environ.get("IDVERIFY_FAULT_SEED", str(int(time.time()))))
DATA_FILES = {"idverify.db", "idverify.db-wal", "idverify.db-shm", "master.key"}
# The clients and the checks all come from 127.0.0.1 (and the checks use one admin key): no
# rate limits here.
UNLIMITED = ["--rate-per-ip", "1000000", "--rate-burst-per-ip", "100000",
             "--rate-per-key", "1000000", "--rate-burst-per-key", "100000"]


class Ledger:
    """What the service acknowledged, and what was attempted without an answer."""

    def __init__(self):
        self.lock = threading.Lock()
        self.cases = {}             # reference -> token (answered 201)
        self.docs = set()           # (reference, document id) answered 202
        self.closed = set()         # references answered 200 to close
        self.close_tried = set()    # references a close was sent for (answered or not)
        self.refused = 0            # 5xx answers (full disk, read-only, busy)


def person(tag):
    return {"given_names": "Fay Tester", "family_name": "Fault" + tag,
            "date_of_birth": "1975-05-06", "email": "fault.%s@example.com" % tag.lower(),
            "address": {"street": "9 Fault Rd", "city": "Sacramento", "state": "CA",
                        "postal_code": "95814"}}


def drive(url, ledger, stop, rnd, tag):
    """Requesters and the business at work until stop is set or the service goes away."""
    s = requests.Session()
    n = 0
    while not stop.is_set():
        n += 1
        try:
            ref = None
            with ledger.lock:
                known = [r for r in ledger.cases if r not in ledger.close_tried]
            if known and rnd.random() < 0.5:
                ref = rnd.choice(known)
            else:
                r = s.post(url + "/v1/requests", timeout=10,
                           json={"request_type": rnd.choice(["know_categories", "delete"]),
                                 "claims": person("%s%dx%d" % (tag, n, rnd.randrange(10**6))),
                                 "channel": "web"})
                if r.status_code == 201:
                    v = r.json()
                    with ledger.lock:
                        ledger.cases[v["reference"]] = v["token"]
                    ref = v["reference"]
                elif r.status_code >= 500:
                    with ledger.lock:
                        ledger.refused += 1
                    continue
            token = ledger.cases[ref]
            h = {"Authorization": "Bearer " + token}
            x = rnd.random()
            if x < 0.6:
                img = png_with_text("f%s%d" % (tag, n), width=200 + rnd.randrange(100))
                r = s.post(url + "/v1/requests/%s/documents" % ref, timeout=10,
                           files={"file": ("d.png", img)}, data={"kind": "government_id"},
                           headers=h)
                if r.status_code == 202:
                    with ledger.lock:
                        ledger.docs.add((ref, r.json()["id"]))
                elif r.status_code >= 500:
                    with ledger.lock:
                        ledger.refused += 1
            elif x < 0.8:
                s.post(url + "/v1/requests/%s/declaration" % ref, timeout=10, headers=h,
                       json={"typed_name": "Fay Tester", "statement_version": "2026-11-v1",
                             "consent": True})
            elif x < 0.9:
                with ledger.lock:
                    ledger.close_tried.add(ref)
                r = s.post(url + "/v1/requests/%s/close" % ref, timeout=10, headers=ADMIN,
                           json={"response": "denied", "denial_basis": "not_verified"})
                if r.status_code == 200:
                    with ledger.lock:
                        ledger.closed.add(ref)
            else:
                s.get(url + "/v1/requests/" + ref, timeout=10, headers=h)
        except (requests.RequestException, ValueError, KeyError):
            time.sleep(0.02)  # the service is gone (killed): stop quietly until told


def sql(data_dir, query):
    if BACKEND == "postgresql":
        return [tuple(int(c) if c.isdigit() else c for c in line.split("|"))
                for line in db_rows(data_dir, query)]
    con = sqlite3.connect("file:%s?mode=ro" % os.path.join(data_dir, "idverify.db"), uri=True,
                          timeout=10)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


def verify(svc, ledger):
    """Everything acknowledged is there and consistent, after a restart."""
    url = svc.url
    with ledger.lock:
        cases = dict(ledger.cases)
        docs = set(ledger.docs)
        closed = set(ledger.closed)
        tried = set(ledger.close_tried)
    for ref in cases:
        r = requests.get(url + "/v1/requests/" + ref, headers=ADMIN, timeout=10)
        assert r.status_code == 200, "committed case %s lost: %s" % (ref, r.text)
        v = r.json()
        if ref in closed:
            assert v["status"] == "closed", v
    views = {}
    for ref, doc in docs:
        if ref in tried:
            continue  # a close may have committed without its answer: documents purged
        if ref not in views:
            r = requests.get(url + "/v1/requests/" + ref, headers=ADMIN, timeout=10)
            assert r.status_code == 200, r.text
            views[ref] = r.json()
        ids = [d["id"] for d in views[ref]["documents"]]
        assert doc in ids, "upload %s of %s was answered 202 and is lost" % (doc, ref)
    d = svc.data_dir
    if BACKEND == "sqlite":
        assert sql(d, "PRAGMA integrity_check") == [("ok",)]
    assert sql(d, "SELECT count(*) FROM documents WHERE case_id NOT IN "
                  "(SELECT id FROM cases)") == [(0,)], "orphan documents"
    assert sql(d, "SELECT count(*) FROM jobs WHERE document_id NOT IN "
                  "(SELECT id FROM documents)") == [(0,)], "jobs without their document"
    assert sql(d, "SELECT count(*) FROM documents WHERE status = 'queued' AND id NOT IN "
                  "(SELECT document_id FROM jobs)") == [(0,)], "queued documents without a job"
    assert sql(d, "SELECT count(*) FROM documents WHERE content_sealed IS NULL") == [(0,)]
    # Closed cases lose their new data: at once, or at the sweep that runs at start.
    deadline = time.monotonic() + 10
    while True:
        left = sql(d, "SELECT count(*) FROM cases c WHERE c.closed_at IS NOT NULL AND "
                      "(c.purged_at IS NULL OR c.wrapped_key IS NOT NULL OR "
                      "c.claims_sealed IS NOT NULL OR EXISTS (SELECT 1 FROM documents x "
                      "WHERE x.case_id = c.id))")
        if left == [(0,)] or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert left == [(0,)], "closed cases with new data left (orphan blobs)"
    stray = set(os.listdir(d)) - DATA_FILES
    assert not stray, "stray files in the data directory: %s" % stray
    assert requests.get(url + "/healthz", timeout=5).status_code == 200


def kill9(svc):
    svc.proc.send_signal(signal.SIGKILL)
    svc.proc.wait()
    svc.proc = None
    svc.log.close()


@pytest.fixture
def data_dir():
    with tempfile.TemporaryDirectory(prefix="idv-faults-") as tmp:
        d = os.path.join(tmp, "data")
        r = run_cli("keygen", "--data-dir", d)
        assert r.returncode == 0, r.stderr
        yield d


def run_load(svc, ledger, rnd, secs, clients=4, tag="k", during=None):
    stop = threading.Event()
    ts = [threading.Thread(target=drive, args=(svc.url, ledger, stop,
                                               random.Random(rnd.random()), "%s%d" % (tag, i)))
          for i in range(clients)]
    for t in ts:
        t.start()
    time.sleep(secs)
    if during is not None:
        during()
    stop.set()
    for t in ts:
        t.join()


def test_sigkill_at_random_points(data_dir):
    rnd = random.Random(SEED)
    print("fault seed %d, %d kill points" % (SEED, POINTS))
    ledger = Ledger()
    args = ["--workers", "2", "--sweep-interval", "3600"] + UNLIMITED
    svc = Service(data_dir, args).start()
    for point in range(POINTS):
        # Load for a random while, then SIGKILL in the middle of it.
        run_load(svc, ledger, rnd, rnd.uniform(0.05, 0.8), tag="p%d" % point,
                 during=lambda: kill9(svc))
        svc = Service(data_dir, args).start()
        try:
            verify(svc, ledger)
        except Exception as e:
            state = ("running" if svc.proc.poll() is None else
                     "exited with %s" % svc.proc.returncode)
            svc.proc.kill()  # leave nothing running behind a failure
            raise AssertionError("kill point %d (seed %d): %r; serve %s; log:\n%s" % (
                point, SEED, e, state, svc.read_log()[-4000:])) from e
    assert svc.stop() == 0
    print("kill points %d: %d cases, %d documents answered 202, %d closed; all intact" %
          (POINTS, len(ledger.cases), len(ledger.docs), len(ledger.closed)))
    assert len(ledger.docs) > 0 and len(ledger.cases) > 0


def test_sigkill_of_workers(data_dir):
    rnd = random.Random(SEED + 1)
    ledger = Ledger()
    svc = Service(data_dir, ["--workers", "2"] + UNLIMITED).start()
    killed = []

    def kill_workers():
        for _ in range(6):
            out = subprocess.run(["pgrep", "-P", str(svc.proc.pid)], capture_output=True,
                                 text=True).stdout.split()
            if out:
                pid = int(rnd.choice(out))
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            time.sleep(rnd.uniform(0.1, 0.5))
    run_load(svc, ledger, rnd, 0.5, clients=1, during=kill_workers)
    assert killed, "there were worker processes to kill"
    assert requests.get(svc.url + "/healthz").status_code == 200
    # Every document is read in the end (or marked unreadable), none is lost.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        waiting = sql(data_dir, "SELECT count(*) FROM jobs")[0][0]
        if waiting == 0:
            break
        time.sleep(0.5)
    assert waiting == 0, "jobs left behind"
    verify(svc, ledger)
    assert svc.stop() == 0


def _fsize_limit(limit):
    def pre():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return pre


@pytest.mark.skipif(BACKEND == "postgresql",
                    reason="on PostgreSQL the database's files are written by its server, not serve")
def test_full_disk(data_dir):
    """A file-size limit on serve stands for a full disk: writes fail, the service answers
    errors and stays up, and nothing it acknowledged is lost."""
    rnd = random.Random(SEED + 2)
    ledger = Ledger()
    svc = Service(data_dir, ["--workers", "1"] + UNLIMITED).start()
    run_load(svc, ledger, rnd, 1.0, tag="before")
    assert svc.stop() == 0
    size = sum(os.path.getsize(os.path.join(data_dir, f)) for f in os.listdir(data_dir)
               if f.startswith("idverify.db"))
    svc = Service(data_dir, ["--workers", "1"] + UNLIMITED)
    start = svc.start
    # Start with room for a little more than what is there: the next uploads fill it.
    orig_popen = subprocess.Popen

    def popen(*a, **kw):
        kw["preexec_fn"] = _fsize_limit(size + 256 * 1024)
        return orig_popen(*a, **kw)
    subprocess.Popen = popen
    try:
        start()
    finally:
        subprocess.Popen = orig_popen
    before = ledger.refused
    run_load(svc, ledger, rnd, 3.0, tag="full")
    assert ledger.refused > before, "the disk never filled up"
    assert requests.get(svc.url + "/healthz", timeout=5).status_code == 200
    assert svc.proc.poll() is None, "serve survives a full disk"
    kill9(svc)
    svc = Service(data_dir, ["--workers", "1"] + UNLIMITED).start()
    verify(svc, ledger)
    assert svc.stop() == 0


def test_read_only_database(data_dir):
    """A database file the service cannot write: it refuses to start with a clear message, or
    starts and refuses writes; never a 202 it cannot keep; nothing lost once writable again."""
    rnd = random.Random(SEED + 3)
    ledger = Ledger()
    svc = Service(data_dir, ["--workers", "1"] + UNLIMITED).start()
    run_load(svc, ledger, rnd, 1.0, tag="rw")
    assert svc.stop() == 0
    if BACKEND == "postgresql":
        _read_only_postgresql(data_dir, ledger, rnd)
        return
    db = os.path.join(data_dir, "idverify.db")
    as_root = os.geteuid() == 0
    if as_root:
        # root writes through file modes: run serve as nobody, owner of a read-only file.
        subprocess.run(["chown", "-R", "65534:65534", os.path.dirname(data_dir)], check=True)
    os.chmod(db, 0o444)
    svc = Service(data_dir, ["--workers", "1"] + UNLIMITED)
    orig_popen = subprocess.Popen

    def popen(cmd, *a, **kw):
        if as_root:
            cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + list(cmd)
        return orig_popen(cmd, *a, **kw)
    subprocess.Popen = popen
    try:
        try:
            svc.start()
            started = True
        except RuntimeError as e:
            started = False
            assert "database" in str(e).lower() or "readonly" in str(e).lower() or \
                "read-only" in str(e).lower(), str(e)
    finally:
        subprocess.Popen = orig_popen
    if started:
        before = len(ledger.docs), len(ledger.cases)
        run_load(svc, ledger, rnd, 1.0, tag="ro")
        assert (len(ledger.docs), len(ledger.cases)) == before, "202/201 from a read-only db"
        assert requests.get(svc.url + "/healthz", timeout=5).status_code == 200
        svc.stop()
    else:
        svc.log.close()
        svc.proc = None
    os.chmod(db, 0o600)
    if as_root:
        subprocess.run(["chown", "-R", "0:0", os.path.dirname(data_dir)], check=True)
    svc = Service(data_dir, ["--workers", "1"] + UNLIMITED).start()
    verify(svc, ledger)
    assert svc.stop() == 0


def _read_only_postgresql(data_dir, ledger, rnd):
    """The same on PostgreSQL: a database whose every transaction is read-only."""
    name = pg().databases[os.path.abspath(data_dir)]

    def read_only(on):
        # from another database: the read-only one refuses the change back too
        r = pg().run("postgres", "ALTER DATABASE %s SET default_transaction_read_only = %s;"
                     % (name, "on" if on else "off"))
        assert r.returncode == 0, r.stderr
    read_only(True)
    svc = Service(data_dir, ["--workers", "1"] + UNLIMITED)
    try:
        svc.start()
        started = True
    except RuntimeError as e:
        started = False
        assert "read-only" in str(e).lower(), str(e)
    if started:
        before = len(ledger.docs), len(ledger.cases)
        run_load(svc, ledger, rnd, 1.0, tag="ro")
        assert (len(ledger.docs), len(ledger.cases)) == before, "202/201 from a read-only db"
        assert requests.get(svc.url + "/healthz", timeout=5).status_code == 200
        svc.stop()
    else:
        svc.log.close()
        svc.proc = None
    read_only(False)
    svc = Service(data_dir, ["--workers", "1"] + UNLIMITED).start()
    verify(svc, ledger)
    assert svc.stop() == 0
