# SPDX-License-Identifier: Apache-2.0
"""idverify as the verifier behind privacy platforms (api_platforms.c, platforms.c): each
platform is a fake on loopback that speaks only the platform's published contract, and each test
runs the whole round trip: the platform's call creates a case, the consumer verifies at the link,
and the fake receives the outcome in the platform's words with the right credential. Forged and
replayed calls are refused. A platform learns the outcome, never why."""
import http.server
import json
import threading
import time
import urllib.parse

import pytest
import requests

from conftest import Service, assert_problem
from test_cases import load_record, person

FIDES_SECRET = "fides-connection-secret-0123456789"


class FakePlatform:
    """An HTTP server in the test process that records every POST (path, headers, body). The
    first answer is a 503, so that the outbox's retry is exercised; later ones are 200."""

    def __init__(self, fail_first=True):
        self.calls = []
        owner = self
        self.fail_first = fail_first
        self.up = True

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(n)
                code = 200
                if not owner.up or (owner.fail_first and not owner.calls):
                    code = 503
                owner.calls.append({"path": self.path, "headers": dict(self.headers),
                                    "raw": raw, "body": json.loads(raw or b"null"),
                                    "code": code})
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, pred, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for c in list(self.calls):
                if c["code"] == 200 and pred(c):
                    return c
            time.sleep(0.1)
        raise AssertionError("no acknowledged call matched: %s" % self.calls)

    def close(self):
        self.server.shutdown()


def platform_args(*extra):
    return ["--allow-http-callbacks", "--status-interval", "1", "--callback-retry", "1"] + list(
        extra)


def link_parts(url):
    u = urllib.parse.urlparse(url)
    assert u.path.startswith("/requests/"), url
    return u.path.split("/")[2], urllib.parse.parse_qs(u.fragment)["token"][0]


def give_details(svc, ref, token, p):
    claims = {k: p[k] for k in ("given_names", "family_name", "date_of_birth", "address")}
    r = requests.post(svc.url + "/v1/requests/%s/details" % ref, json={"claims": claims},
                      headers={"Authorization": "Bearer " + token})
    assert r.status_code == 200, r.text
    return r.json()


def assert_no_reasons(view):
    """The requester's view says the outcome in words, never which field matched."""
    assert "reasons" not in json.dumps(view.get("outcome") or {}), view


# ---- Fides ------------------------------------------------------------------------------------
# The contract followed: ethyca/fides, src/fides/api/models/privacy_request/privacy_request.py
# (PrivacyRequest.trigger_pre_approval_webhook: the body is SecondPartyRequestFormat with
# privacy_request_id, identity, policy_action, callback_type "pre_approval"; the headers
# reply-to-eligible, reply-to-not-eligible, reply-to-token), the HTTPS connector
# (src/fides/api/service/connectors/http_connector.py: the connection's "authorization" secret
# is sent as the Authorization header) and src/fides/common/urn_registry.py
# (/privacy-request/{id}/pre-approve/eligible and /not-eligible, called with the reply-to-token as
# a bearer token: src/fides/api/oauth/utils.py verify_callback_oauth_pre_approval_webhook).


class FakeFides(FakePlatform):
    """Fides: calls the verifier's pre-approval webhook and takes the reply on its API."""

    def __init__(self):
        super().__init__()
        self.api = self.base + "/api/v1"
        self.tokens = {}

    def call(self, svc, pr_id, identity, action="access", secret=FIDES_SECRET, **headers):
        token = "jwe-reply-token-for-" + pr_id
        self.tokens[pr_id] = token
        h = {"Authorization": secret,
             "reply-to-eligible": "/privacy-request/%s/pre-approve/eligible" % pr_id,
             "reply-to-not-eligible": "/privacy-request/%s/pre-approve/not-eligible" % pr_id,
             "reply-to-token": token}
        h.update(headers)
        body = {"privacy_request_id": pr_id, "privacy_request_status": "pending",
                "direction": "two_way", "callback_type": "pre_approval",
                "identity": identity, "policy_action": action,
                "privacy_request": {"id": pr_id}, "timestamp": "2026-12-02T12:00:00"}
        return requests.post(svc.url + "/v1/platforms/fides/pre-approval", json=body, headers=h)

    def reply_for(self, pr_id):
        return self.wait(lambda c: c["path"].startswith("/api/v1/privacy-request/%s/" % pr_id))


@pytest.fixture
def fides(data_dir):
    fake = FakeFides()
    svc = Service(data_dir, platform_args("--fides-url", fake.api),
                  env={"IDVERIFY_FIDES_SECRET": FIDES_SECRET}).start()
    yield svc, fake
    assert svc.stop() == 0
    fake.close()


def test_fides_off_by_default(service):
    r = requests.post(service.url + "/v1/platforms/fides/pre-approval",
                      json={"privacy_request_id": "pri_x"}, headers={"Authorization": "x"})
    assert_problem(r, 404, "not-found")


def test_fides_round_trip_eligible(fides):
    svc, fake = fides
    p = person("fidesA")
    load_record(svc, "FIDESREC1", p)
    r = fake.call(svc, "pri_aaa111", {"email": p["email"], "phone_number": p["phone"]})
    assert r.status_code == 200, r.text
    ref, token = link_parts(r.json()["verification_url"])
    assert r.json()["reference"] == ref
    v = requests.get(svc.url + "/v1/requests/" + ref,
                     headers={"Authorization": "Bearer " + token}).json()
    # nothing is decided before the consumer takes part
    assert v["status"] == "awaiting_evidence" and "consumer_details" in v["required"], v
    v = give_details(svc, ref, token, p)
    assert v["status"] == "verified", v
    assert_no_reasons(v)
    call = fake.reply_for("pri_aaa111")
    assert call["path"] == "/api/v1/privacy-request/pri_aaa111/pre-approve/eligible"
    assert call["headers"]["Authorization"] == "Bearer " + fake.tokens["pri_aaa111"]
    assert call["body"] == {}
    # the first delivery was refused (503) and retried
    assert [c["code"] for c in fake.calls][:2] == [503, 200], fake.calls
    # the consumer gives details once
    assert_problem(requests.post(svc.url + "/v1/requests/%s/details" % ref,
                                 json={"claims": {"given_names": "X", "family_name": "Y"}},
                                 headers={"Authorization": "Bearer " + token}),
                   409, "invalid-state")


def test_fides_not_eligible_tells_no_reason(fides):
    svc, fake = fides
    p = person("fidesB")  # nobody of that name is a customer
    r = fake.call(svc, "pri_bbb222", {"email": p["email"]}, action="erasure")
    assert r.status_code == 200, r.text
    ref, token = link_parts(r.json()["verification_url"])
    v = give_details(svc, ref, token, p)
    assert v["status"] == "not_verified", v
    assert_no_reasons(v)
    call = fake.reply_for("pri_bbb222")
    assert call["path"] == "/api/v1/privacy-request/pri_bbb222/pre-approve/not-eligible"
    assert call["headers"]["Authorization"] == "Bearer " + fake.tokens["pri_bbb222"]
    assert call["body"] == {}  # the outcome only: no reason, no record
    time.sleep(2)
    assert len([c for c in fake.calls if "pri_bbb222" in c["path"] and c["code"] == 200]) == 1


def test_fides_forged_replayed_and_misdirected_calls(fides):
    svc, fake = fides
    ident = {"email": "someone@example.com"}
    r = fake.call(svc, "pri_ccc333", ident, secret="not-the-secret-at-all-000")
    assert_problem(r, 401, "unauthorized")
    r = fake.call(svc, "pri_ccc333", ident, secret="")
    assert_problem(r, 401, "unauthorized")
    assert fake.call(svc, "pri_ccc333", ident).status_code == 200
    assert_problem(fake.call(svc, "pri_ccc333", ident), 409, "replayed")
    # reply URLs must be the request's paths under the configured Fides API: a call cannot
    # send idverify elsewhere
    for bad in ("http://127.0.0.2:9/privacy-request/pri_ddd/pre-approve/eligible",
                "/privacy-request/pri_ddd/pre-approve/../../../admin/eligible",
                "/other/pri_ddd/pre-approve/eligible"):
        r = fake.call(svc, "pri_ddd444", ident, **{"reply-to-eligible": bad})
        assert_problem(r, 422, "invalid")
    r = fake.call(svc, "pri_eee555", ident, action="bogus")
    assert_problem(r, 422, "invalid")
