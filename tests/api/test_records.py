# SPDX-License-Identifier: Apache-2.0
"""Existing customer records: CLI import (all or nothing), admin API, encryption at rest."""
import glob
import os
import socket
import time

import requests

from conftest import SOURCE_ROOT, assert_problem, run_cli

SEEDS = os.path.join(SOURCE_ROOT, "seeds", "records.csv")
HEADER = "id,given_name,middle_name,family_name,suffix,date_of_birth,email,phone,street,unit,city,state,postal_code\n"


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def count(data_dir):
    r = run_cli("records", "count", "--data-dir", data_dir)
    assert r.returncode == 0, r.stderr
    return int(r.stdout)


def test_import_seeds_and_reimport_is_idempotent(data_dir):
    r = run_cli("records", "import", "--data-dir", data_dir, SEEDS)
    assert r.returncode == 0, r.stderr
    n = sum(1 for _ in open(SEEDS)) - 1
    assert "imported %d records" % n in r.stdout
    assert count(data_dir) == n
    r = run_cli("records", "import", "--data-dir", data_dir, SEEDS)
    assert r.returncode == 0 and count(data_dir) == n


def test_one_bad_row_imports_nothing_and_names_it(data_dir, tmp_path):
    rows = open(SEEDS).read().splitlines()
    bad = rows[:]
    fields = bad[7].split(",")
    fields[5] = "1990-02-30"  # date_of_birth: no such day
    bad[7] = ",".join(fields)
    path = write(tmp_path, "bad.csv", "\n".join(bad) + "\n")
    r = run_cli("records", "import", "--data-dir", data_dir, path)
    assert r.returncode == 1
    assert "%s:8: date_of_birth: date_of_birth is not a valid date" % path in r.stderr
    assert "nothing imported (1 of" in r.stderr
    assert "1990-02-30" not in r.stderr  # reasons never echo the value
    assert count(data_dir) == 0


def test_columns_in_any_order_and_rules(data_dir, tmp_path):
    ok = write(tmp_path, "ok.csv",
               "family_name,id,given_name,date_of_birth,postal_code\n"
               "\"O'Brien, Jr\",X1,Ann,1980-01-02,94107-1234\n"
               "Smith,X2,Bob,,\n")
    r = run_cli("records", "import", "--data-dir", data_dir, ok)
    assert r.returncode == 0, r.stderr
    assert count(data_dir) == 2
    cases = [
        ("id,given_name\nA,B\n", "the header has no column family_name"),
        ("id,given_name,family_name,emial\nA,B,C,x\n", "unknown column 'emial'"),
        ("id,given_name,family_name,id\nA,B,C,D\n", "column id appears twice"),
        (HEADER + "A,B,,C,,2999-01-01,,,,,,,\n", "in the future"),
        (HEADER + "A,B,,C,,,not-an-email,,,,,,\n", "email is not an e-mail address"),
        (HEADER + "A,B,,C,,,,12,,,,,\n", "phone must have 10 to 15 digits"),
        (HEADER + "A,B,,C,,,,,,,,,9410\n", "postal_code must be a ZIP code"),
        (HEADER + "A,,,C,,,,,,,,,\n", "given_name is required"),
        (HEADER + "A,B,,C,,,,,,,,,\nA,D,,E,,,,,,,,,\n", "duplicate id (first on line 2)"),
        (HEADER + "A b,B,,C,,,,,,,,,\n", "id may only hold"),
        (HEADER + "A,\"B,,C\n", "malformed CSV"),
        ("", "empty"),
    ]
    for i, (text, want) in enumerate(cases):
        path = write(tmp_path, "c%d.csv" % i, text)
        r = run_cli("records", "import", "--data-dir", data_dir, path)
        assert r.returncode == 1, (text, r.stdout)
        assert want in r.stderr, (text, r.stderr)
    assert count(data_dir) == 2


def test_records_are_encrypted_at_rest(data_dir):
    r = run_cli("records", "import", "--data-dir", data_dir, SEEDS)
    assert r.returncode == 0
    rows = [line.split(",") for line in open(SEEDS).read().splitlines()[1:]]
    markers = set()
    for f in rows:
        markers.update([f[6], f[7], f[8]])  # email, phone, street
    markers = {m.encode() for m in markers if len(m) >= 8}
    blob = b""
    for path in glob.glob(os.path.join(data_dir, "*")):
        with open(path, "rb") as fh:
            blob += fh.read()
    found = [m for m in markers if m in blob]
    assert not found, "personal data in clear under the data directory: %r" % found[:3]


def test_admin_api_import(service):
    url = service.url + "/v1/records"
    rec = {"id": "API1", "given_name": "Ann", "family_name": "Lee", "date_of_birth": "1970-05-06",
           "email": "ann.lee@example.com"}
    r = requests.post(url, json={"records": [rec]})
    assert_problem(r, 401, "unauthorized")
    assert r.headers["WWW-Authenticate"] == "Bearer"
    r = requests.post(url, json={"records": [rec]}, headers={"Authorization": "Bearer wrong"})
    assert_problem(r, 401, "unauthorized")
    r = requests.post(url, json={"records": [rec]}, headers=service.admin())
    assert r.status_code == 200 and r.json() == {"imported": 1}
    bad = dict(rec, id="API2", date_of_birth="1970-13-01")
    r = requests.post(url, json={"records": [dict(rec, id="API3"), bad]}, headers=service.admin())
    body = assert_problem(r, 422, "invalid-records")
    assert body["errors"] == [{"index": 1, "field": "date_of_birth",
                               "reason": "date_of_birth is not a valid date YYYY-MM-DD"}]
    r = requests.post(url, json={"records": [dict(rec, nickname="x")]}, headers=service.admin())
    assert assert_problem(r, 422, "invalid-records")["errors"][0]["reason"] == "unknown field 'nickname'"


def test_malformed_json_is_400_naming_the_problem(service):
    r = requests.post(service.url + "/v1/records", data=b'{"records": [1, 2,]}',
                      headers=dict(service.admin(), **{"Content-Type": "application/json"}))
    body = assert_problem(r, 400, "malformed")
    assert "malformed JSON at line 1" in body["detail"]
    r = requests.post(service.url + "/v1/records", data=b'[]',
                      headers=dict(service.admin(), **{"Content-Type": "application/json"}))
    assert "must be an object" in assert_problem(r, 400, "malformed")["detail"]
    r = requests.post(service.url + "/v1/records", data=b'{"records": []}',
                      headers=dict(service.admin(), **{"Content-Type": "text/plain"}))
    assert_problem(r, 415, "unsupported-media-type")


def test_body_over_limit_is_413_without_reading_it(service):
    """Declare 100 MB, send only the headers: the answer must come at once."""
    s = socket.create_connection(("127.0.0.1", service.port))
    s.settimeout(5)
    token = service.admin()["Authorization"]
    s.sendall(("POST /v1/records HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               "Authorization: %s\r\nContent-Length: 100000000\r\n\r\n" % token).encode())
    t0 = time.monotonic()
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    s.close()
    assert data.startswith(b"HTTP/1.1 413"), data[:200]
    assert b"application/problem+json" in data
    assert time.monotonic() - t0 < 5


def test_chunked_body_over_limit(service):
    """No Content-Length: the ceiling is enforced on the stream. Slightly over: 413 once the
    body ends (the bytes past the ceiling are discarded, not kept). Far over: the connection is
    dropped before the client has sent it all."""
    token = service.admin()["Authorization"]
    head = ("POST /v1/records HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Authorization: %s\r\nTransfer-Encoding: chunked\r\n\r\n" % token).encode()
    chunk = b"%x\r\n%s\r\n" % (65536, b"x" * 65536)
    s = socket.create_connection(("127.0.0.1", service.port))
    s.settimeout(10)
    s.sendall(head + chunk * 65 + b"0\r\n\r\n")  # 4 MiB + 64 KiB, ceiling 4 MiB
    data = b""
    while b"\r\n\r\n" not in data:
        got = s.recv(4096)
        if not got:
            break
        data += got
    s.close()
    assert data.startswith(b"HTTP/1.1 413"), data[:200]
    assert b"application/problem+json" in data
    s = socket.create_connection(("127.0.0.1", service.port))
    s.settimeout(10)
    s.sendall(head)
    sent = 0
    try:
        while sent < 256 * 65536:  # 16 MiB
            s.sendall(chunk)
            sent += 65536
    except OSError:
        pass
    s.close()
    assert sent < 16 * 1024 * 1024, "the server read 16 MiB past a 4 MiB ceiling"
    assert requests.get(service.url + "/healthz").status_code == 200
