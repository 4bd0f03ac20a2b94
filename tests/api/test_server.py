# SPDX-License-Identifier: Apache-2.0
"""The HTTP foundation: health, readiness, metrics, routing errors, limits, shutdown, keys."""
import os
import signal
import socket
import stat
import time

import pytest
import requests

from conftest import BACKEND, Service, assert_problem, run_cli


def metric(url, line_prefix):
    for line in requests.get(url + "/metrics").text.splitlines():
        if line.startswith(line_prefix + " "):
            return int(line.rsplit(" ", 1)[1])
    return 0


def test_health_ready_and_metrics(service):
    healthz = 'idverify_http_requests_total{method="GET",route="/healthz",status="200"}'
    deadline = time.monotonic() + 5
    before = metric(service.url, healthz)
    while before < 1 and time.monotonic() < deadline:  # counted once the exchange completes
        time.sleep(0.02)
        before = metric(service.url, healthz)
    assert before >= 1  # the fixture polled it while waiting for the service
    r = requests.get(service.url + "/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Cache-Control"] == "no-store"
    r = requests.get(service.url + "/readyz")
    assert r.status_code == 200
    assert r.json()["status"] == "ready" and r.json()["schema_version"] >= 1
    requests.get(service.url + "/no/such/thing")
    m = requests.get(service.url + "/metrics")
    assert m.status_code == 200 and m.headers["Content-Type"].startswith("text/plain")
    text = m.text
    # counters are updated when the server has finished the exchange, just after the answer
    deadline = time.monotonic() + 5
    while metric(service.url, healthz) < before + 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert metric(service.url, healthz) == before + 1
    assert 'route="(unmatched)",status="404"} 1' in text
    assert 'idverify_http_request_duration_seconds_bucket{method="GET",route="/healthz",le="+Inf"}' in text
    assert "idverify_http_in_flight 1" in text  # the metrics request itself


def test_unknown_route_is_404_problem(service):
    body = assert_problem(requests.get(service.url + "/v1/nothing-here"), 404, "not-found")
    assert "no such resource" in body["detail"]


def test_wrong_method_is_405_with_allow(service):
    r = requests.delete(service.url + "/healthz")
    assert_problem(r, 405, "method-not-allowed")
    assert r.headers["Allow"] == "GET"


def test_logs_are_json_without_paths(service):
    requests.get(service.url + "/v1/requests/SECRETREF123")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # the line is written when the exchange completes
        events = service.log_events()
        reqs = [e for e in events if e["event"] == "http.request" and e["status"] == 401]
        if reqs:
            break
        time.sleep(0.02)
    assert reqs, "no http.request log lines"
    for e in reqs:
        assert {"ts", "level", "request_id", "method", "route", "status", "us"} <= set(e)
    assert "SECRETREF123" not in service.read_log()


def test_refuses_missing_or_exposed_master_key(data_dir):
    key = os.path.join(data_dir, "master.key")
    os.chmod(key, 0o644)
    r = run_cli("serve", "--data-dir", data_dir, "--listen", "127.0.0.1:1")
    assert r.returncode != 0
    assert "group or others" in r.stderr and "\n" == r.stderr[-1] and r.stderr.count("\n") == 1
    os.chmod(key, 0o600)
    with open(key, "ab") as f:
        f.write(b"x")
    r = run_cli("serve", "--data-dir", data_dir, "--listen", "127.0.0.1:1")
    assert r.returncode != 0 and "exactly 32 bytes" in r.stderr
    os.unlink(key)
    r = run_cli("serve", "--data-dir", data_dir, "--listen", "127.0.0.1:1")
    assert r.returncode != 0 and "idverify keygen" in r.stderr


def test_keygen_is_0600_and_never_overwrites(data_dir):
    key = os.path.join(data_dir, "master.key")
    st = os.stat(key)
    assert stat.S_IMODE(st.st_mode) == 0o600 and st.st_size == 32
    before = open(key, "rb").read()
    r = run_cli("keygen", "--data-dir", data_dir)
    assert r.returncode != 0 and "refusing to overwrite" in r.stderr
    assert open(key, "rb").read() == before


def test_help_for_every_command():
    for cmd in ("serve", "keygen", "records", "check", "verify"):
        r = run_cli(cmd, "--help")
        assert r.returncode == 0, (cmd, r.stderr)
        assert r.stdout.startswith("usage: idverify " + cmd), (cmd, r.stdout)
    r = run_cli("serve", "--bogus-flag")
    assert r.returncode == 2 and "unknown option '--bogus-flag'" in r.stderr
    r = run_cli("serve", "--workers", "1000")
    assert r.returncode == 2 and "workers" in r.stderr


def test_sigterm_with_slow_upload_in_flight_exits_0_and_db_survives(data_dir):
    svc = Service(data_dir).start()
    # A client that sends headers and a trickle of body, never finishing.
    s = socket.create_connection(("127.0.0.1", svc.port))
    s.sendall(b"POST /v1/records HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Authorization: Bearer " + svc.admin()["Authorization"][7:].encode() +
              b"\r\nContent-Length: 1000\r\n\r\n{\"records\": [")
    time.sleep(0.3)
    # stop() waits 10 s, then SIGKILLs (exit status -9): exiting 0 proves it stopped in time.
    rc = svc.stop(signal.SIGTERM, timeout=10)
    s.close()
    assert rc == 0, "serve did not exit 0 within 10 s of SIGTERM (status %s)" % rc
    events = [e["event"] for e in svc.log_events()]
    assert "server.stopping" in events and "server.stopped" in events
    svc2 = Service(data_dir).start()
    try:
        r = requests.get(svc2.url + "/readyz")
        assert r.status_code == 200 and r.json()["status"] == "ready"
    finally:
        assert svc2.stop() == 0


def _private_modes(data_dir):
    """Mode bits of the data directory and of every file in it that others could use."""
    found = {".": stat.S_IMODE(os.stat(data_dir).st_mode)}
    for name in os.listdir(data_dir):
        found[name] = stat.S_IMODE(os.lstat(os.path.join(data_dir, name)).st_mode)
    return {k: oct(m) for k, m in found.items() if m & 0o077}


@pytest.mark.skipif(BACKEND == "postgresql",
                    reason="the database's files are PostgreSQL's, kept by its server")
def test_data_dir_and_database_files_are_private(data_dir):
    """Issue 19, finding 8: under a umask of 022 and in a data directory left open (0755),
    the database, WAL and SHM files were created 0644 (audit trail, request records and
    keyed hashes readable by every local user)."""
    old = os.umask(0o022)
    try:
        os.chmod(data_dir, 0o755)
        svc = Service(data_dir).start()
        try:
            r = requests.post(svc.url + "/v1/requests", json={
                "request_type": "know_categories",
                "claims": {"given_names": "Ann", "family_name": "Mode"}})
            assert r.status_code == 201, r.text
            names = set(os.listdir(data_dir))
            assert {"idverify.db", "idverify.db-wal", "idverify.db-shm"} <= names, names
            assert _private_modes(data_dir) == {}
            assert any(e.get("event") == "config.mode_fixed" for e in svc.log_events())
        finally:
            assert svc.stop() == 0
        # files left open by an older version are made private at the next start
        for name in ("idverify.db", "idverify.db-wal", "idverify.db-shm"):
            if os.path.exists(os.path.join(data_dir, name)):
                os.chmod(os.path.join(data_dir, name), 0o644)
        os.chmod(data_dir, 0o750)
        svc = Service(data_dir).start()
        try:
            assert requests.get(svc.url + "/readyz").status_code == 200
            assert _private_modes(data_dir) == {}
        finally:
            assert svc.stop() == 0
        # the other commands that write into the data directory do the same
        os.chmod(os.path.join(data_dir, "idverify.db"), 0o664)
        r = run_cli("keys", "create", "--role", "reviewer", "--name", "m", "--data-dir",
                    data_dir)
        assert r.returncode == 0, r.stderr
        assert _private_modes(data_dir) == {}
    finally:
        os.umask(old)


def _proc_fields(pid, name):
    with open("/proc/%d/%s" % (pid, name)) as f:
        return f.read()


def test_serve_leaves_no_core_dump(data_dir):
    """Issue 19, finding 7: serve holds the master key, case keys and decrypted documents. It
    runs undumpable (PR_SET_DUMPABLE 0: the kernel then gives /proc/PID to root), with a core
    size limit of 0 (soft and hard), and the master key's page is left out of any dump
    (MADV_DONTDUMP, shown as "dd" in /proc/PID/smaps) and wiped in forked children ("wf").
    Run as an unprivileged user (nobody when the test runs as root), so that the owner of
    /proc/PID tells the dumpable flag."""
    import subprocess
    from conftest import BIN, SOURCE_ROOT, free_port
    prefix = []
    if os.geteuid() == 0:
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        os.chmod(os.path.dirname(data_dir), 0o711)
        for base, dirs, files in os.walk(data_dir):
            for n in [base] + [os.path.join(base, x) for x in files]:
                os.chown(n, 65534, 65534)
    port = free_port()
    log = open(os.path.join(os.path.dirname(data_dir), "nodump.log"), "wb")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    proc = subprocess.Popen(prefix + [BIN, "serve", "--data-dir", data_dir, "--listen",
                                      "127.0.0.1:%d" % port, "--models",
                                      os.path.join(SOURCE_ROOT, "models")],
                            stdout=log, stderr=log, env=env, cwd=SOURCE_ROOT)
    try:
        deadline = time.monotonic() + 20
        while True:
            assert proc.poll() is None, open(log.name).read()[-2000:]
            try:
                if requests.get("http://127.0.0.1:%d/healthz" % port, timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.05)
        pid = proc.pid
        status = _proc_fields(pid, "status")
        uid = int([x for x in status.splitlines() if x.startswith("Uid:")][0].split()[1])
        assert uid != 0, "the test could not run serve as an unprivileged user"
        # undumpable: /proc/PID belongs to root instead of the process's user
        assert os.stat("/proc/%d/status" % pid).st_uid == 0
        core = [x for x in _proc_fields(pid, "limits").splitlines()
                if x.startswith("Max core file size")][0].split()
        assert core[4:6] == ["0", "0"], core
        if os.geteuid() == 0:
            flags = [x.split()[1:] for x in _proc_fields(pid, "smaps").splitlines()
                     if x.startswith("VmFlags:")]
            assert any("dd" in f and "wf" in f for f in flags), \
                "no page kept out of dumps and wiped on fork"
        else:
            try:
                _proc_fields(pid, "smaps")
                assert False, "another process of the same user reads serve's memory map"
            except PermissionError:
                pass
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
        log.close()


def test_json_routes_check_the_type_of_chunked_bodies(service):
    """Issue 19, finding 10: a chunked body declares no Content-Length; its Content-Type is
    checked all the same (it was skipped, so a text/plain form post was taken as JSON)."""
    body = b'{"request_type": "know_categories", "channel": "web", "claims": ' \
           b'{"given_names": "Ann", "family_name": "Lee", "date_of_birth": "1971-03-04"}}'

    def post_chunked(ct):
        """The whole request at once on a raw socket: the answer may come before the body is
        read, and the connection is then closed."""
        port = int(service.url.rsplit(":", 1)[1])
        head = "POST /v1/requests HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
        if ct:
            head += "Content-Type: %s\r\n" % ct
        raw = head.encode() + b"Connection: close\r\n\r\n"
        for part in (body[:20], body[20:]):
            raw += b"%x\r\n%s\r\n" % (len(part), part)
        raw += b"0\r\n\r\n"
        with socket.create_connection(("127.0.0.1", port), timeout=10) as c:
            c.sendall(raw)
            answer = b""
            while True:
                try:
                    got = c.recv(65536)
                except ConnectionResetError:
                    break
                if not got:
                    break
                answer += got
        status = int(answer.split(b" ", 2)[1])
        return status, answer.split(b"\r\n\r\n", 1)[1]

    for ct in ("text/plain", "application/x-www-form-urlencoded", None):
        status, text = post_chunked(ct)
        assert status == 415 and b"unsupported-media-type" in text, (ct, status, text)
    status, text = post_chunked("application/json")
    assert status == 201, text


def test_probes_read_the_database_at_most_once_a_second(service):
    """Issue 19, finding 10: /readyz and /metrics are open to anyone and not rate-limited;
    their database reads (under the store's lock) are cached, so a flood costs one read a
    second. The counter of those reads must exist and grow with time, not with requests."""
    name = "idverify_health_refreshes_total"

    def refreshes():
        lines = [x for x in requests.get(service.url + "/metrics").text.splitlines()
                 if x.startswith(name + " ")]
        assert len(lines) == 1, "no %s metric" % name
        return int(lines[0].split()[1])

    before = refreshes()
    t0 = time.monotonic()
    n = 0
    with requests.Session() as s:
        while n < 400:
            assert s.get(service.url + ("/readyz" if n % 2 else "/metrics")).status_code == 200
            n += 1
    elapsed = time.monotonic() - t0
    after = refreshes()
    # one refresh per started second at most (plus the one in flight at each end)
    assert after - before <= int(elapsed) + 2, (after - before, n, elapsed)
    time.sleep(1.1)
    assert refreshes() > after  # and the cache does expire
