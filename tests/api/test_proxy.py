# SPDX-License-Identifier: Apache-2.0
"""Behind a reverse proxy (issue 19, finding 9): forwarded headers name the client only when the
TCP peer is a --trusted-proxy, read from the right (the first hop that is not a trusted proxy);
rate limits then count per client, IPv6 clients per /64, and a signed declaration records the
client, not the proxy."""
import json
import os

import pytest
import requests

from conftest import BACKEND, Service, db_rows, run_cli
from test_cases import auth, create, person

# 1 request a minute, a burst of 3: the 4th request of a client within the test is a 429
TIGHT = ["--rate-per-ip", "1", "--rate-burst-per-ip", "3"]
URL = "/v1/declaration-statement"  # public and rate-limited


def codes(svc, n, **headers):
    return [requests.get(svc.url + URL, headers=headers).status_code for _ in range(n)]


def test_forwarded_headers_are_ignored_without_a_trusted_proxy(data_dir):
    svc = Service(data_dir, TIGHT).start()
    try:
        # a client naming itself someone new each time still has one bucket: its address
        got = [requests.get(svc.url + URL, headers={
            "X-Forwarded-For": "198.51.100.%d" % i, "Forwarded": "for=198.51.100.%d" % i}
        ).status_code for i in range(5)]
        assert got == [200, 200, 200, 429, 429], got
    finally:
        assert svc.stop() == 0


def test_trusted_proxy_gives_each_client_its_bucket(data_dir):
    svc = Service(data_dir, TIGHT + ["--trusted-proxy", "127.0.0.0/8,10.0.0.0/8"]).start()
    try:
        assert codes(svc, 4, **{"X-Forwarded-For": "198.51.100.1"}) == [200, 200, 200, 429]
        # another client behind the same proxy is not held back by the first
        assert codes(svc, 1, **{"X-Forwarded-For": "198.51.100.2"}) == [200]
        # the rightmost untrusted hop counts: prepending a fake address changes nothing, and
        # trusted hops on the right are stepped over
        assert codes(svc, 1, **{"X-Forwarded-For": "203.0.113.50, 198.51.100.1"}) == [429]
        assert codes(svc, 1, **{"X-Forwarded-For": "198.51.100.1, 10.0.0.7"}) == [429]
        # IPv6 clients: one bucket per /64
        assert codes(svc, 3, **{"X-Forwarded-For": "2001:db8:1:2::1"}) == [200, 200, 200]
        assert codes(svc, 1, **{"X-Forwarded-For": "2001:db8:1:2:ffff:ffff:ffff:ffff"}) == [429]
        assert codes(svc, 1, **{"X-Forwarded-For": "[2001:db8:1:3::1]:4711"}) == [200]
        # this proxy writes X-Forwarded-For: a Forwarded header is not read
        assert codes(svc, 1, **{"X-Forwarded-For": "198.51.100.1",
                                "Forwarded": "for=198.51.100.77"}) == [429]
    finally:
        assert svc.stop() == 0


def test_trusted_proxy_with_the_forwarded_header(data_dir):
    svc = Service(data_dir, TIGHT + ["--trusted-proxy", "127.0.0.1", "--proxy-header",
                                     "forwarded"]).start()
    try:
        h = {"Forwarded": 'for="198.51.100.9:5555";proto=https'}
        assert codes(svc, 4, **h) == [200, 200, 200, 429]
        assert codes(svc, 1, Forwarded='for="[2001:db8::9]"') == [200]
        # X-Forwarded-For is not this proxy's header: ignored (the proxy's own bucket)
        assert codes(svc, 1, **{"X-Forwarded-For": "198.51.100.9"}) == [200]
    finally:
        assert svc.stop() == 0


def test_bad_trusted_proxy_lists_are_refused(data_dir):
    for bad, why in [("10.0.0.1/8", "host bits"), ("nonsense", "nonsense"),
                     ("::1/200", "::1/200")]:
        r = run_cli("serve", "--data-dir", data_dir, "--listen", "127.0.0.1:1",
                    "--trusted-proxy", bad)
        assert r.returncode == 2 and "--trusted-proxy" in r.stderr and why in r.stderr, r.stderr
    r = run_cli("serve", "--data-dir", data_dir, "--listen", "127.0.0.1:1", "--proxy-header",
                "x-real-ip")
    assert r.returncode == 2 and "--proxy-header" in r.stderr


def _open_declaration(data_dir, reference):
    """Decrypt the sealed declaration of a case as crypto.c seals it (HKDF-SHA256 of the
    master key, salt idverify/v1, info "declarations"; AES-256-GCM 0x01||nonce||ct||tag)."""
    hkdf = pytest.importorskip("cryptography.hazmat.primitives.kdf.hkdf")
    hashes = pytest.importorskip("cryptography.hazmat.primitives.hashes")
    aead = pytest.importorskip("cryptography.hazmat.primitives.ciphers.aead")
    with open(os.path.join(data_dir, "master.key"), "rb") as f:
        master = f.read()
    key = hkdf.HKDF(algorithm=hashes.SHA256(), length=32, salt=b"idverify/v1",
                    info=b"declarations").derive(master)
    hexed = "encode(d.sealed, 'hex')" if BACKEND == "postgresql" else "hex(d.sealed)"
    rows = db_rows(data_dir, "SELECT %s FROM declarations d JOIN cases c ON c.id = d.case_id"
                             " WHERE c.reference = '%s'" % (hexed, reference))
    assert len(rows) == 1
    blob = bytes.fromhex(rows[0])
    assert blob[0] == 1
    plain = aead.AESGCM(key).decrypt(blob[1:13], blob[13:],
                                     b"idverify/declaration/" + reference.encode())
    return json.loads(plain)


def test_declaration_records_the_client_behind_the_proxy(data_dir):
    svc = Service(data_dir, ["--trusted-proxy", "127.0.0.1"]).start()
    try:
        signed = {}
        for tag, xff in (("p", "203.0.113.5, 198.51.100.23"), ("q", None)):
            v = create(svc, person(tag), request_type="know_specific")
            st = requests.get(svc.url + URL).json()
            h = auth(v["token"])
            if xff:
                h["X-Forwarded-For"] = xff
            r = requests.post(svc.url + "/v1/requests/%s/declaration" % v["reference"],
                              json={"typed_name": "Ann Lee", "statement_version": st["version"],
                                    "consent": True}, headers=h)
            assert r.status_code == 200, r.text
            signed[tag] = v["reference"]
        assert _open_declaration(data_dir, signed["p"])["ip"] == "198.51.100.23"
        assert _open_declaration(data_dir, signed["q"])["ip"] == "127.0.0.1"
    finally:
        assert svc.stop() == 0
