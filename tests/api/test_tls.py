# SPDX-License-Identifier: Apache-2.0
"""HTTPS through libmicrohttpd (GnuTLS), and plain HTTP refused off loopback."""
import os
import socket
import subprocess

import pytest
import requests

from conftest import Service, free_port, run_cli


def make_cert(d):
    cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
    r = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1", "-days", "2",
                        "-keyout", key, "-out", cert], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip("openssl cannot make a test certificate: " + r.stderr[-200:])
    return cert, key


def test_https_serves_and_plain_http_is_not_spoken(data_dir, monkeypatch):
    cert, key = make_cert(os.path.dirname(data_dir))
    svc = Service(data_dir, ["--tls-cert", cert, "--tls-key", key])
    svc.url = "https://127.0.0.1:%d" % svc.port
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", cert)
    svc.start()
    try:
        r = requests.get(svc.url + "/healthz")
        assert r.status_code == 200 and r.json() == {"status": "ok"}
        r = requests.get(svc.url + "/v1/declaration-statement")
        assert "penalty of perjury" in r.json()["text"]
        # a plain-HTTP client gets no HTTP answer
        with pytest.raises(requests.RequestException):
            requests.get("http://127.0.0.1:%d/healthz" % svc.port, timeout=3)
    finally:
        assert svc.stop() == 0


def test_tls_files_are_checked(data_dir):
    cert, key = make_cert(os.path.dirname(data_dir))
    r = run_cli("serve", "--data-dir", data_dir, "--listen", "127.0.0.1:%d" % free_port(),
                "--tls-cert", cert)
    assert r.returncode != 0 and "--tls-key" in r.stderr
    r = run_cli("serve", "--data-dir", data_dir, "--listen", "127.0.0.1:%d" % free_port(),
                "--tls-cert", key, "--tls-key", key)
    assert r.returncode != 0 and "certificate" in r.stderr


def test_plain_http_refused_off_loopback(data_dir):
    port = free_port()
    r = run_cli("serve", "--data-dir", data_dir, "--listen", "0.0.0.0:%d" % port)
    assert r.returncode != 0
    assert "not a loopback address" in r.stderr and "--allow-plain-http" in r.stderr
    svc = Service(data_dir, ["--allow-plain-http"])
    svc.extra_args += ["--listen", "0.0.0.0:%d" % svc.port]
    svc.start()
    try:
        assert requests.get(svc.url + "/healthz").status_code == 200
    finally:
        assert svc.stop() == 0
