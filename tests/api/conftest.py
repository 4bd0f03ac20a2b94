# SPDX-License-Identifier: Apache-2.0
"""Start a real `idverify serve` on a free loopback port with a temporary data directory.

With IDVERIFY_TEST_DATABASE=postgresql the same suites run against the PostgreSQL backend: a
real server started here (pgserver.py), and a fresh database for each data directory, given
to every `serve` and command as IDVERIFY_DATABASE. db_rows() reads either backend."""
import atexit
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

import pytest
import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgserver  # noqa: E402

BIN = os.environ.get("IDVERIFY_BIN", os.path.join(os.path.dirname(__file__), "..", "..",
                                                   "build", "service", "io", "cmd", "idverify"))
SOURCE_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ADMIN_KEY = "test-admin-key-0123456789abcdef"
BACKEND = os.environ.get("IDVERIFY_TEST_DATABASE", "sqlite")
PG_SKIP = pgserver.unavailable() if BACKEND == "postgresql" else None
_pg = None


def pg():
    """The PostgreSQL test server (started on first use), or None on SQLite."""
    global _pg
    if BACKEND != "postgresql":
        return None
    if PG_SKIP:
        pytest.skip(PG_SKIP)
    if _pg is None:
        _pg = pgserver.PgServer().start()
        atexit.register(_pg.stop)
    return _pg


def database_env(data_dir):
    """The environment that points a command at the database of data_dir."""
    if BACKEND != "postgresql" or data_dir is None:
        return {}
    return {"IDVERIFY_DATABASE": pg().database_for(os.path.abspath(data_dir))}


def db_rows(data_dir, sql):
    """The rows of sql against data_dir's database, each as a '|'-joined line (booleans 1/0).
    SQLite through the sqlite3 command, PostgreSQL through psql."""
    if BACKEND == "postgresql":
        pg().database_for(os.path.abspath(data_dir))
        out = pg().psql(pg().databases[os.path.abspath(data_dir)], sql)
        out = "\n".join("|".join({"t": "1", "f": "0"}.get(c, c) for c in line.split("|"))
                         for line in out.splitlines())
    else:
        r = subprocess.run(["sqlite3", os.path.join(data_dir, "idverify.db"), sql],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        out = r.stdout
    return [line for line in out.splitlines() if line.strip()]


def db_exec(data_dir, sql):
    """Run sql (statements ending with ';') against data_dir's database from outside the
    service, as an operator would: the completed process (returncode, stdout, stderr)."""
    if BACKEND == "postgresql":
        key = os.path.abspath(data_dir)
        pg().database_for(key)
        return pg().run(pg().databases[key], sql)
    return subprocess.run(["sqlite3", os.path.join(data_dir, "idverify.db"), sql],
                          capture_output=True, text=True)


def db_json(data_dir, select):
    """The rows of a SELECT as a list of dicts (sqlite3 -json, or PostgreSQL's json_agg)."""
    if BACKEND == "postgresql":
        key = os.path.abspath(data_dir)
        pg().database_for(key)
        return json.loads(pg().psql(pg().databases[key],
                                    "SELECT coalesce(json_agg(t), '[]') FROM (%s) t" % select))
    r = subprocess.run(["sqlite3", "-json", os.path.join(data_dir, "idverify.db"), select],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout or "[]")


def db_blob(data):
    """A blob literal of the backend's SQL."""
    if BACKEND == "postgresql":
        return "'\\x%s'::bytea" % data.hex()
    return "X'%s'" % data.hex()


def database_files(data_dir):
    """Every file the database of data_dir is kept in (for byte scans)."""
    if BACKEND == "postgresql":
        return pg().files()
    return [os.path.join(data_dir, f) for f in os.listdir(data_dir)
            if f.startswith("idverify.db")]


def pytest_sessionfinish(session, exitstatus):
    """A PostgreSQL run where PostgreSQL cannot start is a skip (77), not a pass."""
    if PG_SKIP and exitstatus in (0, 5):
        print("\nSKIP: %s" % PG_SKIP)
        session.exitstatus = 77


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Service:
    """A running idverify serve process and its data directory."""

    def __init__(self, data_dir, extra_args=(), env=None):
        self.data_dir = data_dir
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.extra_args = list(extra_args)
        self.env = dict(os.environ, IDVERIFY_ADMIN_KEY=ADMIN_KEY, OMP_THREAD_LIMIT="1")
        self.env.pop("IDVERIFY_LISTEN", None)
        self.env.update(database_env(data_dir))
        if env:
            self.env.update(env)
        self.proc = None
        self.log_path = os.path.join(data_dir, "..", "serve-%d.log" % self.port)

    def start(self):
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [BIN, "serve", "--data-dir", self.data_dir, "--listen", "127.0.0.1:%d" % self.port,
             "--models", os.path.join(SOURCE_ROOT, "models")] + self.extra_args,
            stdout=self.log, stderr=self.log, env=self.env, cwd=SOURCE_ROOT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("idverify serve exited with %s: %s" % (
                    self.proc.returncode, self.read_log()[-2000:]))
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise RuntimeError("idverify serve did not answer /healthz in 20 s")

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.log.close()
        self.proc = None
        return rc

    def read_log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def log_events(self):
        return [json.loads(line) for line in self.read_log().splitlines()
                if line.startswith("{")]

    def admin(self):
        return {"Authorization": "Bearer " + ADMIN_KEY}


def run_cli(*args, env=None, input=None):
    e = dict(os.environ, OMP_THREAD_LIMIT="1")
    if "--data-dir" in args:
        e.update(database_env(args[list(args).index("--data-dir") + 1]))
    if env:
        e.update(env)
    return subprocess.run([BIN] + list(args), capture_output=True, text=True, env=e,
                          input=input, cwd=SOURCE_ROOT, timeout=120)


@pytest.fixture
def data_dir():
    with tempfile.TemporaryDirectory(prefix="idv-test-") as tmp:
        d = os.path.join(tmp, "data")
        r = run_cli("keygen", "--data-dir", d)
        assert r.returncode == 0, r.stderr
        yield d


@pytest.fixture
def service(data_dir):
    svc = Service(data_dir).start()
    yield svc
    rc = svc.stop()
    assert rc == 0, "idverify serve exited with %s on SIGTERM" % rc


def assert_problem(resp, status, type_slug):
    assert resp.status_code == status, resp.text
    assert resp.headers["Content-Type"].startswith("application/problem+json")
    body = resp.json()
    assert body["type"] == "urn:idverify:problem:" + type_slug, body
    assert body["status"] == status
    assert body["title"] and body["detail"]
    return body
