# SPDX-License-Identifier: Apache-2.0
"""The pages as HTTP resources: headers (strict CSP, no caching of HTML, cacheable static files
with ETag), what is and is not served, GET /v1/intake, and the refusal of state-changing
requests that browsers mark as coming from another site."""
import json
import re

import requests

from conftest import assert_problem

PAGES = ["/", "/requests/ABCD-EFGH-JKMN-P", "/requests/ABCD-EFGH-JKMN-P/agent", "/review"]
CSP_WANT = {
    "default-src": "'none'", "script-src": "'self'", "style-src": "'self'",
    "img-src": "'self' blob: data:", "connect-src": "'self'", "frame-ancestors": "'none'",
    "form-action": "'self'", "base-uri": "'none'",
}


def csp(resp):
    out = {}
    for part in resp.headers["Content-Security-Policy"].split(";"):
        words = part.split()
        if words:
            out[words[0]] = " ".join(words[1:])
    return out


def test_pages_have_strict_headers(service):
    for path in PAGES:
        r = requests.get(service.url + path)
        assert r.status_code == 200, path
        assert r.headers["Content-Type"] == "text/html; charset=utf-8"
        assert r.headers["Cache-Control"] == "no-store"
        got = csp(r)
        for k, v in CSP_WANT.items():
            assert got.get(k) == v, (path, k, got)
        assert "unsafe-inline" not in r.headers["Content-Security-Policy"]
        assert r.headers["X-Frame-Options"] == "DENY"
        assert r.headers["Referrer-Policy"] == "no-referrer"
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        # no inline script or style, no third-party address; the one inline <script> is the
        # language catalogue as a JSON data block, which browsers never run
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")",
                             r.text), path
        for block in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', r.text,
                                re.S):
            assert isinstance(json.loads(block), dict) and "<" not in block, path
        assert "<style" not in r.text and " style=" not in r.text and " on" + "click=" not in r.text
        assert not re.search(r"(src|href)=\"(https?:)?//", r.text), path


def test_static_files_cache_and_revalidate(service):
    r = requests.get(service.url + "/static/common.js")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/javascript")
    assert "max-age" in r.headers["Cache-Control"] and "no-store" not in r.headers["Cache-Control"]
    etag = r.headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{20}"', etag)
    r2 = requests.get(service.url + "/static/common.js", headers={"If-None-Match": etag})
    assert r2.status_code == 304 and r2.content == b""
    r3 = requests.get(service.url + "/static/common.js", headers={"If-None-Match": '"other"'})
    assert r3.status_code == 200
    assert requests.get(service.url + "/static/style.css").headers["Content-Type"].startswith("text/css")


def test_only_known_files_are_served(service):
    for path in ["/static/nope.js", "/static/index.html", "/static/..%2Fapi_web.c",
                 "/static/%2e%2e/etc/passwd", "/requests/ABCD/agent/x", "/index.html"]:
        r = requests.get(service.url + path)
        assert r.status_code == 404, path
    r = requests.post(service.url + "/", data={"given_names": "x"})
    assert_problem(r, 405, "method-not-allowed")


def test_intake_describes_the_policy(service):
    r = requests.get(service.url + "/v1/intake")
    assert r.status_code == 200
    p = r.json()
    assert p["request_types"]["know_specific"] == "heightened"
    assert p["request_types"]["opt_out"] == "none"
    h = p["levels"]["heightened"]
    assert h["declaration_required"] is True and "government_id" in h["documents_required"]
    names = [f["name"] for f in p["levels"]["standard"]["fields"]]
    assert names[0] == "name" and set(names) <= {"name", "date_of_birth", "address", "email",
                                                 "phone"}
    assert p["upload"]["max_file_bytes"] == 20 * 1024 * 1024
    assert set(p["upload"]["types"]) == {"image/jpeg", "image/png", "image/tiff", "image/webp",
                                         "application/pdf"}
    assert {c["name"] for c in p["data_classes"]} >= {"contact_information", "purchase_history"}


def test_intake_follows_the_configured_upload_limit(data_dir):
    from conftest import Service
    svc = Service(data_dir, extra_args=["--max-upload", "300000"]).start()
    try:
        assert requests.get(svc.url + "/v1/intake").json()["upload"]["max_file_bytes"] == 300000
    finally:
        assert svc.stop() == 0


def test_cross_site_state_changes_are_refused(service):
    body = {"request_type": "opt_out", "claims": {}, "channel": "web"}
    url = service.url + "/v1/requests"
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
                    {"Origin": "https://evil.example"},
                    {"Origin": "http://127.0.0.1:1"}):
        assert_problem(requests.post(url, json=body, headers=headers), 403, "cross-site")
    # the same origin, browsers' own navigations and non-browser clients go through
    host = service.url.split("//")[1]
    for headers in ({"Sec-Fetch-Site": "same-origin"}, {"Origin": "http://" + host}, {},
                    {"Sec-Fetch-Site": "none"}):
        assert requests.post(url, json=body, headers=headers).status_code == 201, headers
    # reading is not a state change
    assert requests.get(service.url + "/v1/intake",
                        headers={"Sec-Fetch-Site": "cross-site"}).status_code == 200
