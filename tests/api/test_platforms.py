# SPDX-License-Identifier: Apache-2.0
"""idverify as the verifier behind privacy platforms (api_platforms.c, platforms.c): each
platform is a fake on loopback that speaks only the platform's published contract, and each test
runs the whole round trip: the platform's call creates a case, the consumer verifies at the link,
and the fake receives the outcome in the platform's words with the right credential. Forged and
replayed calls are refused. A platform learns the outcome, never why."""
import base64
import http.server
import json
import os
import subprocess
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
                owner.calls.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
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
    assert call["headers"]["authorization"] == "Bearer " + fake.tokens["pri_aaa111"]
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
    assert call["headers"]["authorization"] == "Bearer " + fake.tokens["pri_bbb222"]
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


# ---- Transcend --------------------------------------------------------------------------------
# The contract followed: transcend-io/examples, typescript/src/handleEnrichmentWebhook.ts (the
# preflight / enrichment webhook: x-sombra-token verified first, requestIdentifier.value and
# extras.request in the body, a synchronous {"status": "CANCELED"} or {"status": "ON_HOLD"}, or
# 200 and later the answer), helpers/verifyWebhook.ts (the token is a JWT signed ES384, checked
# against Sombra's public key) and scheduleEnricher.ts (the later POST to
# <SOMBRA_URL>/v1/enrich-identifiers with "authorization: Bearer <API key>", the
# x-transcend-nonce and {"enrichedIdentifiers": ...}). JWT and ES384 per RFC 7515 / RFC 7518.

TRANSCEND_API_KEY = "transcend-api-key-0123456789abcdef"


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def der_to_raw(der, n=48):
    """An ECDSA-Sig-Value (DER SEQUENCE of two INTEGERs) as R || S, n bytes each."""
    assert der[0] == 0x30
    i = 2 if der[1] < 0x80 else 2 + (der[1] & 0x7f)
    out = b""
    for _ in range(2):
        assert der[i] == 0x02
        ln = der[i + 1]
        v = der[i + 2:i + 2 + ln].lstrip(b"\x00")
        out += v.rjust(n, b"\x00")
        i += 2 + ln
    return out


class SombraKey:
    """An ES384 signing key made by OpenSSL, standing for Sombra's general signing key."""

    def __init__(self, d, name):
        self.key = os.path.join(d, name + ".pem")
        self.pub = os.path.join(d, name + ".pub.pem")
        subprocess.run(["openssl", "ecparam", "-name", "secp384r1", "-genkey", "-noout",
                        "-out", self.key], check=True, capture_output=True)
        subprocess.run(["openssl", "ec", "-in", self.key, "-pubout", "-out", self.pub],
                       check=True, capture_output=True)

    def jwt(self, claims=None, alg="ES384", exp_in=300):
        now = int(time.time())
        c = {"iat": now, "exp": now + exp_in, "aud": "idverify"}
        c.update(claims or {})
        signing = (b64url(json.dumps({"alg": alg, "typ": "JWT"}).encode()) + "." +
                   b64url(json.dumps(c).encode()))
        der = subprocess.run(["openssl", "dgst", "-sha384", "-sign", self.key],
                             input=signing.encode(), check=True, capture_output=True).stdout
        return signing + "." + b64url(der_to_raw(der))


class FakeTranscend(FakePlatform):
    def call(self, svc, key, request_id, identifier, token=None, nonce=None,
             action="ACCESS"):
        self.nonce = nonce or "nonce-" + request_id
        body = {"type": "ENRICHMENT", "requestIdentifier": {"value": identifier},
                "extras": {"request": {"id": request_id, "type": action,
                                       "link": "https://app.transcend.example/r/" + request_id},
                           "profile": {"identifier": identifier, "type": "email"}}}
        h = {"x-sombra-token": token if token is not None else key.jwt(),
             "x-transcend-nonce": self.nonce}
        return requests.post(svc.url + "/v1/platforms/transcend/preflight", json=body,
                             headers=h)


@pytest.fixture
def transcend(data_dir):
    d = os.path.dirname(data_dir)
    key, other = SombraKey(d, "sombra"), SombraKey(d, "other")
    fake = FakeTranscend()
    svc = Service(data_dir, platform_args("--transcend-url", fake.base,
                                          "--transcend-public-key", key.pub),
                  env={"IDVERIFY_TRANSCEND_API_KEY": TRANSCEND_API_KEY}).start()
    yield svc, fake, key, other
    assert svc.stop() == 0
    fake.close()


def test_transcend_round_trip(transcend):
    svc, fake, key, _ = transcend
    p = person("trA")
    load_record(svc, "TRREC1", p)
    r = fake.call(svc, key, "11111111-aaaa-4bbb-8ccc-000000000001", p["email"])
    assert r.status_code == 200, r.text
    assert "status" not in r.json()  # neither held nor canceled: the answer comes later
    ref, token = link_parts(r.json()["verification_url"])
    v = give_details(svc, ref, token, p)
    assert v["status"] == "verified", v
    call = fake.wait(lambda c: c["path"] == "/v1/enrich-identifiers")
    assert call["headers"]["authorization"] == "Bearer " + TRANSCEND_API_KEY
    assert call["headers"]["x-transcend-nonce"] == "nonce-11111111-aaaa-4bbb-8ccc-000000000001"
    assert call["body"] == {"enrichedIdentifiers": {}}

    p2 = dict(person("trB"), given_names="Zed Quill", family_name="Okonkwo",
              date_of_birth="1990-11-20")  # not a customer
    r = fake.call(svc, key, "11111111-aaaa-4bbb-8ccc-000000000002", p2["email"],
                  action="ERASURE")
    assert r.status_code == 200, r.text
    ref, token = link_parts(r.json()["verification_url"])
    assert give_details(svc, ref, token, p2)["status"] == "not_verified"
    call = fake.wait(lambda c: c["headers"].get("x-transcend-nonce") ==
                     "nonce-11111111-aaaa-4bbb-8ccc-000000000002")
    assert call["body"] == {"status": "CANCELED"}


def test_transcend_on_hold_while_a_person_decides(transcend, data_dir):
    """handleEnrichmentWebhook.ts answers ON_HOLD when a person (there: legal) must look at the
    request first: idverify says ON_HOLD when its case goes to a reviewer, and the final word
    (here: enriched) once the reviewer decides, both with the request's nonce."""
    from test_access import bearer, make_key
    svc, fake, key, _ = transcend
    p = person("trH")
    load_record(svc, "TRREC9", p)
    rid = "11111111-aaaa-4bbb-8ccc-000000000009"
    r = fake.call(svc, key, rid, p["email"])
    assert r.status_code == 200 and "status" not in r.json(), r.text
    ref, token = link_parts(r.json()["verification_url"])
    v = give_details(svc, ref, token, dict(p, date_of_birth="1971-04-03"))  # day and month swapped
    assert v["status"] == "manual_review", v
    nonce = "nonce-" + rid
    call = fake.wait(lambda c: c["headers"].get("x-transcend-nonce") == nonce)
    assert call["path"] == "/v1/enrich-identifiers" and call["body"] == {"status": "ON_HOLD"}
    assert call["headers"]["authorization"] == "Bearer " + TRANSCEND_API_KEY
    reviewer = bearer(make_key(data_dir, "reviewer", "transcend reviewer"))
    assert requests.post(svc.url + "/v1/reviews/%s/claim" % ref, headers=reviewer).status_code == 200
    r = requests.post(svc.url + "/v1/reviews/%s/decision" % ref, headers=reviewer,
                      json={"decision": "verified", "reason": "swap is a typing slip"})
    assert r.status_code == 200, r.text
    call = fake.wait(lambda c: c["headers"].get("x-transcend-nonce") == nonce and
                     c["body"] != {"status": "ON_HOLD"})
    assert call["body"] == {"enrichedIdentifiers": {}}
    held = [c for c in fake.calls if c["body"] == {"status": "ON_HOLD"} and c["code"] == 200]
    assert len(held) == 1, held  # said once (acknowledged once; a refused try is retried)


def test_transcend_forged_expired_and_replayed_tokens(transcend):
    svc, fake, key, other = transcend
    rid = "11111111-aaaa-4bbb-8ccc-000000000003"
    for bad in (other.jwt(),                       # another key
                key.jwt(exp_in=-10),               # expired
                key.jwt(alg="ES256"),              # another algorithm
                b64url(b'{"alg":"none"}') + "." + b64url(b'{"exp": 9999999999}') + ".",
                "not-a-jwt", ""):
        r = fake.call(svc, key, rid, "x@example.com", token=bad)
        assert_problem(r, 401, "unauthorized")
    tok = key.jwt()
    assert fake.call(svc, key, rid, "x@example.com", token=tok).status_code == 200
    # the same signed call again
    assert_problem(fake.call(svc, key, rid, "x@example.com", token=tok), 409, "replayed")
    # a fresh token for a request already filed
    assert_problem(fake.call(svc, key, rid, "x@example.com"), 409, "replayed")
    # a tampered body is not what makes the token fail: the token itself must verify
    t = key.jwt().split(".")
    t[1] = b64url(json.dumps({"exp": int(time.time()) + 999}).encode())
    assert_problem(fake.call(svc, key, rid + "x", "x@example.com", token=".".join(t)), 401,
                   "unauthorized")


# ---- Ketch ------------------------------------------------------------------------------------
# The contract followed: ketch-com/ketch-forwarder, api/dsr/v1/Access.md and Delete.md (the
# request: apiVersion dsr/v1, kind, metadata {uid, tenant}, request.identities,
# request.callbacks [{url, headers}], request.subject; the <Kind>Response and the
# <Kind>StatusEvent POSTed to every callback with its headers), api/dsr/v1/README.md (Callback,
# Identity, Subject), api/dsr/v1/Status.md (statuses pending / in_progress / completed; reasons
# need_user_verification with redirectUrl, no_match, ...) and
# openapi/components/schemas/DSRRequestStatusReason.yaml (insufficient_verification,
# suspected_fraud, no_match). The published status codes have no "denied": a request that is
# not verified is "completed" with reason insufficient_verification, as the schema allows.

KETCH_SECRET = "ketch-forwarder-secret-0123456789"


class FakeKetch(FakePlatform):
    def __init__(self):
        super().__init__()
        self.cb_base = self.base + "/dsr/callback"

    def call(self, svc, uid, p, kind="AccessRequest", secret=KETCH_SECRET, callbacks=None):
        body = {"apiVersion": "dsr/v1", "kind": kind,
                "metadata": {"uid": uid, "tenant": "axonic"},
                "request": {
                    "property": "axonic.io", "environment": "production",
                    "regulation": "ccpa", "jurisdiction": "ca",
                    "identities": [{"identitySpace": "email", "identityFormat": "raw",
                                    "identityValue": p["email"]}],
                    "callbacks": callbacks if callbacks is not None else [
                        {"url": self.cb_base + "/" + uid,
                         "headers": {"Authorization": "ketch-callback-" + uid}}],
                    "subject": {"email": p["email"], "firstName": p["given_names"].split()[0],
                                "lastName": p["family_name"],
                                "addressLine1": p["address"]["street"],
                                "city": p["address"]["city"], "stateRegionCode": "CA",
                                "postalCode": p["address"]["postal_code"], "countryCode": "US"},
                    "submittedTimestamp": int(time.time()),
                    "dueTimestamp": int(time.time()) + 45 * 86400}}
        return requests.post(svc.url + "/v1/platforms/ketch/dsr", json=body,
                             headers={"Authorization": secret})

    def events(self, uid):
        return [c for c in self.calls if c["code"] == 200 and c["path"].endswith("/" + uid)]


@pytest.fixture
def ketch(data_dir):
    fake = FakeKetch()
    svc = Service(data_dir, platform_args("--ketch-callback-base", fake.cb_base),
                  env={"IDVERIFY_KETCH_SECRET": KETCH_SECRET}).start()
    yield svc, fake
    assert svc.stop() == 0
    fake.close()


def test_ketch_round_trip(ketch):
    svc, fake = ketch
    p = person("ketchA")
    load_record(svc, "KETCHREC1", p)
    uid = "22880925-aac5-42f9-a653-cb6921d361ff"
    r = fake.call(svc, uid, p)
    assert r.status_code == 200, r.text
    b = r.json()
    assert b["apiVersion"] == "dsr/v1" and b["kind"] == "AccessResponse"
    assert b["metadata"] == {"uid": uid, "tenant": "axonic"}
    assert b["response"]["status"] == "pending"
    assert b["response"]["reason"] == "need_user_verification"
    ref, token = link_parts(b["response"]["redirectUrl"])
    v = give_details(svc, ref, token, p)
    assert v["status"] == "verified", v
    ev = fake.wait(lambda c: c["path"] == "/dsr/callback/" + uid)
    assert ev["headers"]["authorization"] == "ketch-callback-" + uid
    assert ev["body"]["apiVersion"] == "dsr/v1" and ev["body"]["kind"] == "AccessStatusEvent"
    assert ev["body"]["metadata"]["uid"] == uid
    assert ev["body"]["event"]["status"] == "completed", ev["body"]
    assert ev["body"]["event"]["reason"] == "requested"
    # the pending answer was given synchronously, not sent again
    time.sleep(2)
    assert [e["body"]["event"]["status"] for e in fake.events(uid)] == ["completed"]


def test_ketch_not_verified_and_refusals(ketch):
    svc, fake = ketch
    p = dict(person("ketchB"), given_names="Zed Quill", family_name="Okonkwo")
    uid = "33880925-aac5-42f9-a653-cb6921d361ff"
    r = fake.call(svc, uid, p, kind="DeleteRequest")
    assert r.status_code == 200, r.text
    assert r.json()["kind"] == "DeleteResponse"
    ref, token = link_parts(r.json()["response"]["redirectUrl"])
    v = give_details(svc, ref, token, dict(p, date_of_birth="1990-11-20"))
    assert v["status"] == "not_verified"
    ev = fake.wait(lambda c: c["path"] == "/dsr/callback/" + uid)
    assert ev["body"]["kind"] == "DeleteStatusEvent"
    # the outcome only: whether a record exists is not the platform's to learn
    assert ev["body"]["event"]["status"] == "completed"
    assert ev["body"]["event"]["reason"] == "insufficient_verification"
    assert "record" not in json.dumps(ev["body"]).lower()
    # forged, replayed, and callbacks outside the configured base
    assert_problem(fake.call(svc, "44", p, secret="wrong-secret-000000000000"), 401,
                   "unauthorized")
    assert_problem(fake.call(svc, uid, p), 409, "replayed")
    for cbs in ([{"url": "http://127.0.0.2:9/x"}],
                [{"url": fake.cb_base + "/../../admin"}],
                [{"url": fake.cb_base + "/x", "headers": {"A": 1}}]):
        assert_problem(fake.call(svc, "55-" + str(len(fake.calls)), p, callbacks=cbs), 422,
                       "invalid")


# ---- the business's decision webhook ------------------------------------------------------------
# Our own contract (README "Decision webhook"): every decision and every close POSTed as JSON
# with "Idverify-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + '.' + body)>" and an
# Idempotency-Key; a receiver that is down gets the events later, in order.

WEBHOOK_SECRET = "webhook-signing-secret-0123456789"


def verify_signature(call, secret=WEBHOOK_SECRET, tolerance=300):
    """What a receiver does: a few lines of the standard library."""
    import hashlib
    import hmac
    parts = dict(kv.split("=", 1) for kv in call["headers"]["idverify-signature"].split(","))
    mac = hmac.new(secret.encode(), parts["t"].encode() + b"." + call["raw"],
                   hashlib.sha256).hexdigest()
    return hmac.compare_digest(mac, parts["v1"]) and abs(time.time() - int(parts["t"])) < tolerance


@pytest.fixture
def webhook(data_dir):
    fake = FakePlatform(fail_first=False)
    svc = Service(data_dir, platform_args("--webhook-url", fake.base + "/hooks/idverify"),
                  env={"IDVERIFY_WEBHOOK_SECRET": WEBHOOK_SECRET}).start()
    yield svc, fake
    assert svc.stop() == 0
    fake.close()


def web_case(svc, p):
    r = requests.post(svc.url + "/v1/requests",
                      json={"request_type": "know_categories", "claims": p, "channel": "web"})
    assert r.status_code == 201, r.text
    return r.json()


def close(svc, ref, response="fulfilled", basis=None):
    body = {"response": response}
    if basis:
        body["denial_basis"] = basis
    r = requests.post(svc.url + "/v1/requests/%s/close" % ref, json=body, headers=svc.admin())
    assert r.status_code == 200, r.text


def test_webhook_signed_events_in_order_after_an_outage(webhook):
    svc, fake = webhook
    p = person("hookA")
    load_record(svc, "HOOKREC1", p)
    a = web_case(svc, p)
    assert a["status"] == "verified"
    ev = fake.wait(lambda c: c["body"]["reference"] == a["reference"])
    assert ev["path"] == "/hooks/idverify" and verify_signature(ev)
    assert ev["body"]["event"] == "case.decided" and ev["body"]["status"] == "verified"
    assert ev["headers"]["idempotency-key"] == ev["body"]["id"]
    assert "reasons" not in json.dumps(ev["body"])
    # a forged signature does not verify
    forged = dict(ev, raw=ev["raw"].replace(b"verified", b"not_verified"))
    assert not verify_signature(forged)
    assert not verify_signature(ev, secret="another-secret-0000000000")

    # the receiver goes down; events happen; it comes back and gets them all, in order
    fake.up = False
    q = dict(person("hookB"), given_names="Zed Quill", family_name="Okonkwo",
             date_of_birth="1990-11-20")
    b = web_case(svc, q)
    assert b["status"] == "not_verified"
    close(svc, b["reference"], "denied", "not_verified")
    close(svc, a["reference"])
    time.sleep(3)
    assert all(c["code"] == 503 for c in fake.calls if c["body"]["reference"] != a["reference"]
               or c["body"]["event"] == "case.closed")
    fake.up = True
    want = [(b["reference"], "case.decided"), (b["reference"], "case.closed"),
            (a["reference"], "case.closed")]
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        got = [(c["body"]["reference"], c["body"]["event"]) for c in fake.calls
               if c["code"] == 200]
        if len(got) >= 4:
            break
        time.sleep(0.2)
    acked = [c for c in fake.calls if c["code"] == 200]
    assert all(verify_signature(c) for c in acked)
    got = [(c["body"]["reference"], c["body"]["event"]) for c in acked]
    assert got[0] == (a["reference"], "case.decided")
    # none lost, none twice, each case's events in the order they happened
    assert sorted(got[1:]) == sorted(want), got
    assert got.index((b["reference"], "case.decided")) < got.index((b["reference"],
                                                                    "case.closed"))
    assert len({c["body"]["id"] for c in acked}) == len(acked)
    closed = [c["body"] for c in acked if c["body"]["event"] == "case.closed"]
    assert {(c["response"], c["denial_basis"]) for c in closed} == {
        ("fulfilled", None), ("denied", "not_verified")}
