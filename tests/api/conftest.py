# SPDX-License-Identifier: Apache-2.0
"""Start a real `idverify serve` on a free loopback port with a temporary data directory.

Every answer any API test receives from a service started here (through `requests`) is checked
against that service's own GET /openapi.json (openapi_problems below): its status must be one the
operation lists, or else a problem (RFC 9457) of a listed type; its media type the one listed;
a JSON body valid under the listed schema (python3-jsonschema). A test that saw an answer the
document does not describe fails at teardown, naming the route and the difference.

With IDVERIFY_TEST_DATABASE=postgresql the same suites run against the PostgreSQL backend: a
real server started here (pgserver.py), and a fresh database for each data directory, given
to every `serve` and command as IDVERIFY_DATABASE. db_rows() reads either backend."""
import atexit
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

import pytest
import requests

try:
    import jsonschema
except ImportError:  # docker/debian-packages.txt installs it; without it nothing is checked
    jsonschema = None

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


# ---- conformance of every answer to /openapi.json ----------------------------------------

SERVICE_PORTS = set()       # ports of the services started by these tests
OPENAPI = {}                # the document, fetched once per test process
VIOLATIONS = []             # answers of the running test that the document does not describe
_fetching = threading.local()


def openapi_resolve(doc, schema):
    """schema with the document's #/components references inlined (for jsonschema)."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            node = doc
            for part in schema["$ref"].lstrip("#/").split("/"):
                node = node[part]
            return openapi_resolve(doc, node)
        return {k: openapi_resolve(doc, v) for k, v in schema.items()}
    if isinstance(schema, list):
        return [openapi_resolve(doc, v) for v in schema]
    return schema


def openapi_document(base):
    if "doc" not in OPENAPI:
        _fetching.on = True
        try:
            OPENAPI["doc"] = requests.get(base + "/openapi.json", verify=False, timeout=10).json()
        finally:
            _fetching.on = False
        doc = OPENAPI["doc"]
        # exact paths first, so that /v1/data-rights-request/ is not taken for a {request_id}
        OPENAPI["paths"] = sorted(
            ((p, re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(p)) + "$"))
             for p in doc["paths"]), key=lambda pr: "{" in pr[0])
    return OPENAPI["doc"]


def openapi_operation(doc, method, path):
    """(pattern, operation) for method and path; pattern None when no route has the path,
    operation None when the path's route has no such method."""
    for pattern, rx in OPENAPI["paths"]:
        if rx.match(path):
            return pattern, doc["paths"][pattern].get(method)
    return None, None


def openapi_problems(doc, method, path, resp):
    """What is wrong with resp as the document describes method and path ([] if nothing)."""
    pattern, op = openapi_operation(doc, method, path)
    where = "%s %s (%s) -> %d" % (method.upper(), path, pattern, resp.status_code)
    if op is None:
        # no route: the server's own 404 or 405, a problem like any other
        spec = {"content": {"application/problem+json": {
            "schema": {"$ref": "#/components/schemas/Problem"}}}}
        if resp.status_code not in (404, 405):
            return [where + ": answered although the document has no such operation"]
    else:
        spec = op["responses"].get(str(resp.status_code)) or op["responses"]["default"]
        if str(resp.status_code) not in op["responses"] and resp.status_code < 400:
            return [where + ": a success the operation does not list (%s)" %
                    sorted(op["responses"])]
    if resp.request.method == "HEAD" or resp.status_code in (204, 304):
        return []
    content = spec.get("content", {})
    ctype = resp.headers.get("Content-Type", "").split(";")[0].strip()
    if not content:
        return [] if not resp.content else [where + ": a body where none is described"]
    media = ctype if ctype in content else "*/*" if "*/*" in content else None
    if media is None:
        return [where + ": Content-Type %r, the document says %s" % (ctype, sorted(content))]
    schema = content[media].get("schema")
    if schema is None or not ctype.endswith("json"):
        return []
    try:
        body = resp.json()
    except ValueError:
        return [where + ": not JSON"]
    validator = jsonschema.Draft202012Validator(openapi_resolve(doc, schema))
    return [where + ": " + "/".join(str(x) for x in e.absolute_path) + ": " + e.message
            for e in validator.iter_errors(body)]


_send = requests.Session.send


def _checked_send(self, request, **kwargs):
    resp = _send(self, request, **kwargs)
    if jsonschema is None or getattr(_fetching, "on", False) or kwargs.get("stream"):
        return resp
    url = urllib.parse.urlsplit(request.url)
    if url.hostname not in ("127.0.0.1", "localhost") or url.port not in SERVICE_PORTS:
        return resp  # a fake platform, a webhook receiver, another process
    try:
        doc = openapi_document("%s://%s" % (url.scheme, url.netloc))
    except (requests.RequestException, ValueError):
        return resp  # the service went away (a shutdown test): nothing to check against
    VIOLATIONS.extend(openapi_problems(doc, request.method.lower(), url.path, resp))
    return resp


requests.Session.send = _checked_send


@pytest.fixture(autouse=True)
def openapi_conformance():
    """Fails the test after it ran when an answer it saw is not what /openapi.json says."""
    del VIOLATIONS[:]
    yield
    seen = list(dict.fromkeys(VIOLATIONS))
    del VIOLATIONS[:]
    assert not seen, "answers that /openapi.json does not describe:\n" + "\n".join(seen)


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
        SERVICE_PORTS.add(self.port)
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
