# SPDX-License-Identifier: Apache-2.0
"""Authorized agents over DRP 1.0: key setup, exercise, status, revoke and status callbacks,
signed with test Ed25519 keys made by OpenSSL; the refusals the specification gives; the
consumer's direct part (R24: a code sent to the contact on file, read here from a real SMTP
server on loopback, opens the consumer's own session), a power of attorney (R25) and a parent
or guardian (R27)."""
import base64
import datetime
import http.server
import json
import os
import subprocess
import tempfile
import threading
import time
import urllib.parse

import pytest
import requests

from conftest import (Service, assert_problem, database_files, db_blob, db_exec, db_rows,
                      run_cli)
from test_access import audit_rows, bearer, make_key
from test_cases import png_with_text, wait_status
from test_codes import code_of, start_smtp

BUSINESS = "IDVERIFY_TEST_CB"
OSIRAA_ID = "CR_AA_DRP_ID_001"
OSIRAA_KEY = "jkX15E7+NA/0E7K5YAp7+GndMP6/Fa0dJJYyr1GJPoQ="  # test-only key given in DRP.md


class Agent:
    """A test authorized agent: an Ed25519 key pair made by OpenSSL."""

    def __init__(self, agent_id, d):
        self.id = agent_id
        self.key = os.path.join(d, agent_id + ".pem")
        r = subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", self.key],
                           capture_output=True, text=True)
        if r.returncode != 0:
            pytest.skip("openssl cannot make Ed25519 keys: " + r.stderr[-200:])
        der = subprocess.run(["openssl", "pkey", "-in", self.key, "-pubout", "-outform", "DER"],
                             capture_output=True, check=True).stdout
        self.verify_key = base64.b64encode(der[-32:]).decode()
        self.token = None

    def sign(self, obj):
        """base64(signature || json): libsodium's combined mode, as DRP sends it."""
        msg = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
        with tempfile.NamedTemporaryFile() as f:
            f.write(msg)
            f.flush()
            sig = subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey", self.key, "-rawin",
                                  "-in", f.name], capture_output=True, check=True).stdout
        assert len(sig) == 64
        return base64.b64encode(sig + msg)

    def entry(self):
        return {"id": self.id, "name": "Test agent " + self.id, "verify_key": self.verify_key,
                "web_url": "https://agent.example", "identity_assurance_url":
                "https://agent.example/assurance"}

    def auth(self):
        return {"Authorization": "Bearer " + self.token, "Content-Type": "text/plain"}


def iso(delta_s=0, offset=None):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=delta_s)
    if offset is not None:
        t = t.astimezone(datetime.timezone(datetime.timedelta(hours=offset)))
        return t.isoformat(timespec="milliseconds")
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def claims(agent, **extra):
    body = {"agent-id": agent.id, "business-id": BUSINESS, "issued-at": iso(-2),
            "expires-at": iso(600, offset=-5), "drp.version": "1.0"}
    body.update(extra)
    return body


def exercise(agent, exercise="deletion", **extra):
    body = claims(agent, exercise=exercise, regime="ccpa",
                  name="Lee, Ann", email="ann.drp@example.com", email_verified=True,
                  phone_number="+14155550142",
                  address={"street_address": "12 Main St\nApt 4", "locality": "Oakland",
                           "region": "CA", "postal_code": "94607", "country": "US"})
    body["agent-request-id"] = "aa-%d" % time.monotonic_ns()
    body.update(extra)
    return body


class Listener:
    """The agent's status_callback endpoint: a small HTTP server in the test process. The first
    answer is a 503, so that the retry is exercised; later ones are 200 (or always `always`)."""

    def __init__(self, always=None):
        self.bodies = []
        self.answers = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(n))
                code = always or (503 if not owner.answers else 200)
                owner.bodies.append(body)
                owner.answers.append(code)
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = "http://127.0.0.1:%d/drp/status" % self.port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, pred, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for body, code in zip(list(self.bodies), list(self.answers)):
                if code == 200 and pred(body):
                    return body
            time.sleep(0.1)
        raise AssertionError("no acknowledged callback matched: %s" % self.bodies)

    def close(self):
        self.server.shutdown()


@pytest.fixture
def agents(data_dir):
    d = os.path.dirname(data_dir)
    return Agent("TEST_AGENT_A", d), Agent("TEST_AGENT_B", d)


def drp_args(data_dir, agents, as_array=False, callback_hosts=None):
    """The DRP flags of a test service. callback_hosts maps an agent id to the hosts its
    directory entry lists (the test listener on 127.0.0.1 is reachable only that way); the
    --allow-http-callbacks test switch lets the listener be plain http."""
    entries = [a.entry() for a in agents] + [{"id": OSIRAA_ID, "name": "OSIRAA (test key)",
                                               "verify_key": OSIRAA_KEY}]
    for e in entries:
        if callback_hosts and e["id"] in callback_hosts:
            e["callback_hosts"] = callback_hosts[e["id"]]
    path = os.path.join(os.path.dirname(data_dir), "agents.json")
    with open(path, "w") as f:
        json.dump(entries if as_array else {"version": "test", "agents": entries}, f)
    return ["--agent-directory", path, "--business-id", BUSINESS, "--allow-http-callbacks",
            "--status-interval", "1", "--callback-retry", "1"]


@pytest.fixture
def listener():
    lst = Listener()
    yield lst
    lst.close()


@pytest.fixture
def smtp():
    """The mail server the consumers' codes go to (aiosmtpd on loopback)."""
    ctl, box = start_smtp()
    yield ctl, box
    ctl.stop()


def smtp_args(smtp):
    return ["--smtp-url", "smtp://127.0.0.1:%d" % smtp[0].port, "--smtp-from",
            "privacy@example.org"]


@pytest.fixture
def drp(data_dir, agents, listener, smtp):
    """A service whose directory lets TEST_AGENT_A (only) reach the test listener; codes go
    to the loopback SMTP server (drp.mailbox)."""
    svc = Service(data_dir, drp_args(data_dir, agents, callback_hosts={
        agents[0].id: ["127.0.0.1:%d" % listener.port, "localhost:%d" % listener.port]})
        + smtp_args(smtp)).start()
    svc.mailbox = smtp[1]
    yield svc
    assert svc.stop() == 0


def key_setup(svc, agent):
    r = requests.post(svc.url + "/v1/agent/" + agent.id, data=agent.sign(claims(agent)),
                      headers={"Content-Type": "text/plain"})
    assert r.status_code == 200, r.text
    assert r.json()["agent-id"] == agent.id and len(r.json()["token"]) >= 32
    agent.token = r.json()["token"]
    return agent.token


def post_exercise(svc, agent, body, path="/v1/data-rights-request"):
    return requests.post(svc.url + path, data=agent.sign(body), headers=agent.auth())


def assert_drp_error(r, status, fatal=None):
    assert r.status_code == status, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert body["code"] == str(status) and body["message"], body
    if fatal is not None:
        assert body["fatal"] is fatal, body
    return body


def revoke_body(agent, request_id, **extra):
    """A signed revoke: the common claims, the request it revokes and a reason (issue 19)."""
    body = claims(agent, request_id=request_id, reason="I changed my mind")
    body.pop("drp.version")
    body.update(extra)
    return body


# The customer the exercises name (exercise() below): Ann Lee, with the e-mail the agent gives.
ANN = {"id": "DRP-ANN", "given_name": "Ann", "family_name": "Lee",
       "email": "ann.drp@example.com", "phone": "+14155550199"}


def load_records(svc, *records):
    r = requests.post(svc.url + "/v1/records", json={"records": list(records)},
                      headers=svc.admin())
    assert r.status_code == 200, r.text


def detail_of(audit_row):
    """An audit entry's detail as an object (text in SQLite, maybe JSON in PostgreSQL)."""
    d = audit_row["detail"]
    return json.loads(d) if isinstance(d, str) else d


def consumer_ref(status):
    """The reference of user_verification_url, which carries no credential (issue 19)."""
    url = urllib.parse.urlparse(status["user_verification_url"])
    assert url.path.startswith("/requests/") and url.path.endswith("/agent")
    assert url.fragment == "" and url.query == "", status["user_verification_url"]
    return url.path.split("/")[2]


def mail_to(box, address, n=1, timeout=20):
    """The n-th message the SMTP server received for address."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with box.lock:
            got = [raw for rcpts, raw in box.messages if address in rcpts]
        if len(got) >= n:
            return got[n - 1]
        time.sleep(0.05)
    raise AssertionError("no message %d for %s: %s" % (n, address, box.messages))


def consumer_session(svc, ref, address, n=1):
    """The consumer's side: the code e-mailed to the address on file, exchanged for their own
    session token on the page's API."""
    code = code_of(mail_to(svc.mailbox, address, n))
    r = requests.post(svc.url + "/v1/requests/%s/consumer-session" % ref, json={"code": code})
    assert r.status_code == 201, r.text
    assert r.json()["reference"] == ref
    return r.json()["token"]


def consumer_token(svc, status, address=ANN["email"]):
    ref = consumer_ref(status)
    return ref, consumer_session(svc, ref, address)


def test_key_setup_and_agent_information(drp, agents):
    a, b = agents
    token = key_setup(drp, a)
    r = requests.get(drp.url + "/v1/agent/" + a.id, headers=a.auth())
    assert r.status_code == 200 and r.json() == {}
    key_setup(drp, b)
    assert_drp_error(requests.get(drp.url + "/v1/agent/" + a.id, headers=b.auth()), 403)
    assert_drp_error(requests.get(drp.url + "/v1/agent/" + a.id), 401)
    # failures answer 403 without a body
    bad = [
        (a.id, b.sign(claims(a))),                                   # another agent's key
        (a.id, a.sign(claims(a, **{"business-id": "SOMEONE_ELSE"}))),
        (a.id, a.sign(claims(a, **{"expires-at": iso(-1)}))),
        (a.id, a.sign(claims(b))),                                   # agent-id != URL
        ("NO_SUCH_AGENT", a.sign(claims(a))),
        (OSIRAA_ID, a.sign(claims(a, **{"agent-id": OSIRAA_ID}))),   # not OSIRAA's key
        (a.id, b"not base64 at all!"),
    ]
    for agent_id, body in bad:
        r = requests.post(drp.url + "/v1/agent/" + agent_id, data=body,
                          headers={"Content-Type": "text/plain"})
        assert r.status_code == 403 and r.content == b"", (agent_id, r.status_code, r.text)
    # a replayed key-setup body is refused too
    body = a.sign(claims(a))
    assert requests.post(drp.url + "/v1/agent/" + a.id, data=body).status_code == 200
    r = requests.post(drp.url + "/v1/agent/" + a.id, data=body)
    assert r.status_code == 403 and r.content == b""
    assert token  # the first token keeps working
    assert requests.get(drp.url + "/v1/agent/" + a.id, headers=a.auth()).status_code == 200


def test_exercise_status_revoke_and_callbacks(drp, agents, listener):
    a, b = agents
    key_setup(drp, a)
    key_setup(drp, b)
    load_records(drp, ANN)
    body = exercise(a, status_callback=listener.url)
    r = post_exercise(drp, a, body)
    assert r.status_code == 200, r.text
    st = r.json()
    assert st["status"] == "in_progress" and st["reason"] == "need_user_verification"
    assert st["agent_request_id"] == body["agent-request-id"]
    assert st["received_at"].endswith("Z") and st["expected_by"]
    rid = st["request_id"]
    assert len(rid) == 36 and rid[14] == "4"
    ref, token = consumer_token(drp, st)
    # the same status on demand; another agent gets 403
    r = requests.get(drp.url + "/v1/data-rights-request/" + rid, headers=a.auth())
    assert r.status_code == 200 and r.json()["request_id"] == rid
    assert r.json()["user_verification_url"] == st["user_verification_url"]
    assert_drp_error(requests.get(drp.url + "/v1/data-rights-request/" + rid,
                                  headers=b.auth()), 403)
    assert_drp_error(requests.get(drp.url + "/v1/data-rights-request/nope",
                                  headers=a.auth()), 404)
    # the case is a normal case: channel agent, requester an authorized agent
    case = requests.get(drp.url + "/v1/requests/" + ref, headers=drp.admin()).json()
    assert case["channel"] == "agent" and case["requester_role"] == "authorized_agent"
    assert case["request_type"] == "delete"
    assert case["agent"]["agent_id"] == a.id and case["agent"]["drp_request_id"] == rid
    assert "consumer_confirmation_or_verification" in case["required"]
    assert "agent_permission" in case["required"]
    # the callback arrives, after one refused attempt
    cb = listener.wait(lambda x: x["request_id"] == rid and x["status"] == "in_progress")
    assert cb["reason"] == "need_user_verification"
    assert listener.answers[0] == 503 and listener.answers.count(200) >= 1
    # the consumer confirms directly (R24) in the session the code sent to them opened
    cu = drp.url + "/v1/requests/%s/agent-confirmation" % ref
    assert_problem(requests.post(cu, json={"confirm": True}), 401, "unauthorized")
    assert_problem(requests.post(cu, json={"confirm": True},
                                 headers={"Authorization": "Bearer " + a.token}),
                   403, "forbidden")  # the agent cannot confirm in the consumer's place
    assert_problem(requests.post(cu, json={}, headers={"Authorization": "Bearer " + token}),
                   422, "invalid")
    r = requests.post(cu, json={"confirm": True},
                      headers={"Authorization": "Bearer " + token})
    assert r.status_code == 200, r.text
    assert r.json()["agent"]["consumer_confirmed_at"] is not None
    assert "consumer_confirmation_or_verification" not in r.json()["required"]
    # the trailing-slash form of the exercise endpoint works too
    r = post_exercise(drp, a, exercise(a), path="/v1/data-rights-request/")
    assert r.status_code == 200, r.text
    # revoke
    r = requests.delete(drp.url + "/v1/data-rights-request/" + rid,
                        data=a.sign(revoke_body(a, rid)), headers=a.auth())
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "revoked"
    # another agent cannot revoke it; a replayed revoke body is refused
    assert_drp_error(requests.delete(drp.url + "/v1/data-rights-request/" + rid,
                                     data=b.sign(revoke_body(b, rid)), headers=b.auth()),
                     403)
    signed = a.sign(revoke_body(a, rid, reason="twice"))
    r = requests.delete(drp.url + "/v1/data-rights-request/" + rid, data=signed,
                        headers=a.auth())
    assert r.status_code == 200 and r.json()["status"] == "revoked"
    r = requests.delete(drp.url + "/v1/data-rights-request/" + rid, data=signed,
                        headers=a.auth())
    assert_drp_error(r, 409, fatal=True)
    listener.wait(lambda x: x["request_id"] == rid and x["status"] == "revoked")
    case = requests.get(drp.url + "/v1/requests/" + ref, headers=drp.admin()).json()
    assert case["status"] == "closed" and case["closed"]["response"] == "withdrawn"
    assert case["purged_at"] is not None
    rows = db_rows(drp.data_dir, "SELECT actor, event FROM audit WHERE actor LIKE 'agent:%'")
    assert "agent:TEST_AGENT_A|agent.key_setup" in rows
    assert "agent:TEST_AGENT_A|case.created" in rows
    assert "agent:TEST_AGENT_A|case.closed" in rows
    events = [(x["actor"], x["event"]) for x in audit_rows(drp.data_dir)
              if x["case_ref"] == ref]
    assert ("consumer:" + ref, "agent.consumer_confirmed") in events, events
    assert ("consumer:" + ref, "contact_code.verified") in events, events
    assert ("system", "contact_code.sent") in events, events
    # nothing of the consumer's session is stored, and the outbox keeps no readable status
    db = b"".join(open(f, "rb").read() for f in database_files(drp.data_dir))
    assert token.encode() not in db
    assert b"user_verification_url" not in db and b"processing_details" not in db
    assert run_cli("audit", "verify", "--data-dir", drp.data_dir).returncode == 0


def test_exercise_refusals(drp, agents):
    a, b = agents
    key_setup(drp, a)
    key_setup(drp, b)
    url = drp.url + "/v1/data-rights-request"
    # a bad signature: a's body signed with b's key, sent with a's token
    r = requests.post(url, data=b.sign(exercise(a)), headers=a.auth())
    assert "signature" in assert_drp_error(r, 403, fatal=True)["message"]
    # a body whose signature is broken by one bit
    raw = bytearray(base64.b64decode(a.sign(exercise(a))))
    raw[10] ^= 1
    assert_drp_error(requests.post(url, data=base64.b64encode(bytes(raw)), headers=a.auth()),
                     403, fatal=True)
    # another agent's token: b's token with a body b signed claiming to be a
    r = requests.post(url, data=b.sign(exercise(a)), headers=b.auth())
    assert "agent-id" in assert_drp_error(r, 403, fatal=True)["message"]
    # a wrong business id
    r = post_exercise(drp, a, exercise(a, **{"business-id": "ANOTHER_BUSINESS"}))
    assert "business-id" in assert_drp_error(r, 403, fatal=True)["message"]
    # expired, and not yet valid (a clock ahead: retryable)
    r = post_exercise(drp, a, exercise(a, **{"expires-at": iso(-5)}))
    assert "expired" in assert_drp_error(r, 400, fatal=True)["message"]
    r = post_exercise(drp, a, exercise(a, **{"issued-at": iso(3600)}))
    assert "future" in assert_drp_error(r, 400, fatal=False)["message"]
    # a replayed body: accepted once, then refused until it expires
    body = a.sign(exercise(a))
    assert requests.post(url, data=body, headers=a.auth()).status_code == 200
    r = requests.post(url, data=body, headers=a.auth())
    assert "received before" in assert_drp_error(r, 409, fatal=True)["message"]
    # malformed and unsupported
    assert_drp_error(requests.post(url, data=b"%%%", headers=a.auth()), 400, fatal=True)
    assert_drp_error(post_exercise(drp, a, exercise(a, exercise="sale:opt-in")), 400)
    assert_drp_error(post_exercise(drp, a, exercise(a, **{"drp.version": "0.1"})), 400)
    assert_drp_error(post_exercise(drp, a, exercise(a, status_callback="ftp://x.example/")),
                     400)
    r = requests.post(url, data=a.sign(b'{"agent-id": "TEST_AGENT_A", "agent-id": "x"}'),
                      headers=a.auth())
    assert_drp_error(r, 400, fatal=True)
    # no token, an unknown token
    assert_drp_error(requests.post(url, data=a.sign(exercise(a))), 401)
    assert_drp_error(requests.post(url, data=a.sign(exercise(a)),
                                   headers={"Authorization": "Bearer " + "0" * 64}), 401)


def test_revoke_bodies_name_the_request_and_expire_soon(drp, agents):
    """Issue 19, finding 6: a revoke body needs agent-id, business-id, issued-at, expires-at and
    the request id it revokes; no signed body may live longer than 15 minutes; a body signed
    for one request does not revoke another."""
    a, _ = agents
    key_setup(drp, a)
    rid = post_exercise(drp, a, exercise(a)).json()["request_id"]
    rid2 = post_exercise(drp, a, exercise(a)).json()["request_id"]
    url = drp.url + "/v1/data-rights-request/"

    def status(r):
        return requests.get(url + r, headers=a.auth()).json()["status"]

    # the body the audit replayed: a reason alone
    r = requests.delete(url + rid, data=a.sign({"reason": "bye"}), headers=a.auth())
    assert "agent-id" in assert_drp_error(r, 403, fatal=True)["message"]
    for missing in ("business-id", "issued-at", "expires-at", "request_id"):
        body = revoke_body(a, rid)
        body.pop(missing)
        r = requests.delete(url + rid, data=a.sign(body), headers=a.auth())
        assert missing in assert_drp_error(r, r.status_code)["message"], missing
        assert r.status_code in (400, 403), r.text
    # a lifetime over 15 minutes (the replay row would be kept until then): refused
    for far in (iso(16 * 60), "9999-12-31T23:59:59Z"):
        r = requests.delete(url + rid, data=a.sign(revoke_body(a, rid, **{"expires-at": far})),
                            headers=a.auth())
        assert "15 minutes" in assert_drp_error(r, 400, fatal=True)["message"]
        r = post_exercise(drp, a, exercise(a, **{"expires-at": far}))
        assert "15 minutes" in assert_drp_error(r, 400, fatal=True)["message"]
    # a body for one request sent to another's URL
    signed = a.sign(revoke_body(a, rid))
    r = requests.delete(url + rid2, data=signed, headers=a.auth())
    assert "request_id" in assert_drp_error(r, 400, fatal=True)["message"]
    assert status(rid) != "revoked" and status(rid2) != "revoked"
    # the same body where it belongs: accepted once
    r = requests.delete(url + rid, data=signed, headers=a.auth())
    assert r.status_code == 200 and r.json()["status"] == "revoked", r.text
    assert status(rid2) != "revoked"
    assert_drp_error(requests.delete(url + rid, data=signed, headers=a.auth()), 409, fatal=True)
    # no replay row outlives the bound
    far = db_rows(drp.data_dir, "SELECT count(*) FROM drp_replay WHERE expires_at > %d"
                  % (int(time.time()) + 900))
    assert far == ["0"], far
    # rows left by older versions (expires-at in 9999) and expired ones go with the sweep
    r = db_exec(drp.data_dir, "INSERT INTO drp_replay(body_hash, expires_at) VALUES "
                "(%s, 253402300799), (%s, 1);" % (db_blob(os.urandom(32)), db_blob(os.urandom(32))))
    assert r.returncode == 0, r.stderr
    r = run_cli("sweep", "--data-dir", drp.data_dir, "--models",
                os.path.join(os.path.dirname(__file__), "..", "..", "models"))
    assert r.returncode == 0, r.stderr
    now = int(time.time())
    left = db_rows(drp.data_dir, "SELECT count(*) FROM drp_replay WHERE expires_at > %d"
                   " OR expires_at <= %d" % (now + 900, now))
    assert left == ["0"], left


INTERNAL_CALLBACKS = [
    "https://127.0.0.1/drp/status",
    "https://127.1.2.3/drp/status",
    "https://[::1]/drp/status",
    "https://10.1.2.3/drp/status",
    "https://192.168.0.10/drp/status",
    "https://172.16.5.4/drp/status",
    "https://100.64.0.1/drp/status",
    "http://169.254.169.254/latest/meta-data/",
    "https://[fd00:ec2::254]/latest/meta-data/",
    "https://[fe80::1]/drp/status",
    "https://[fd12:3456::1]/drp/status",
    "https://[::ffff:127.0.0.1]/drp/status",
    "https://[::ffff:169.254.169.254]/drp/status",
    "https://0.0.0.0/drp/status",
    "https://0x7f000001/drp/status",
    "https://2130706433/drp/status",
    "https://localhost/drp/status",
]


def test_callbacks_to_internal_addresses_are_refused(drp, agents, listener):
    """Issue 19, finding 3: an agent whose directory entry lists no callback hosts cannot make
    the service POST to loopback, private, link-local, unique-local or metadata addresses, in
    any spelling; the refusal is a DRP error at exercise time and nothing is sent."""
    a, b = agents
    key_setup(drp, a)
    key_setup(drp, b)
    refused = INTERNAL_CALLBACKS + [
        listener.url,                                          # b lists nothing
        "http://[::1]:%d/drp/status" % listener.port,
        "https://user:secret@agent.example/drp/status",        # credentials in the URL
        "ftp://agent.example/drp/status",
    ]
    for url in refused:
        r = post_exercise(drp, b, exercise(b, status_callback=url))
        body = assert_drp_error(r, 400)
        assert "status_callback" in body["message"], (url, body)
    # a listed host is reachable only on its listed port; other internal hosts stay refused
    for url in ["https://127.0.0.1/drp/status", "http://127.0.0.1:%d/x" % (listener.port + 1),
                "https://10.1.2.3/drp/status", "http://[::1]:%d/drp/status" % listener.port]:
        assert_drp_error(post_exercise(drp, a, exercise(a, status_callback=url)), 400)
    time.sleep(3)  # three status intervals: a queued callback would have been sent by now
    assert listener.bodies == []
    events = [e.get("event") for e in drp.log_events()]
    assert "drp.callback_delivered" not in events and "drp.status_queued" not in events
    assert events.count("drp.callback_refused") >= len(refused)
    # the listed ones work (the test agent's entry lists 127.0.0.1 and localhost on the
    # listener's port); a name is resolved once per attempt and only its addresses are used
    for url in (listener.url, "http://localhost:%d/drp/status" % listener.port):
        r = post_exercise(drp, a, exercise(a, status_callback=url))
        assert r.status_code == 200, r.text
        rid = r.json()["request_id"]
        listener.wait(lambda x: x["request_id"] == rid)


def test_callbacks_are_checked_again_at_delivery(data_dir, agents):
    """A callback accepted while its host was listed is not delivered once the directory no
    longer lists it: the target is checked before every attempt, not only at exercise time."""
    a, _ = agents
    failing = Listener(always=503)
    try:
        listed = drp_args(data_dir, agents, callback_hosts={a.id: ["127.0.0.1:%d" % failing.port]})
        svc = Service(data_dir, listed).start()
        try:
            key_setup(svc, a)
            r = post_exercise(svc, a, exercise(a, status_callback=failing.url))
            assert r.status_code == 200, r.text
            deadline = time.monotonic() + 20
            while not failing.bodies and time.monotonic() < deadline:
                time.sleep(0.1)
            assert failing.bodies, "the callback was never attempted"
        finally:
            assert svc.stop() == 0
        seen = len(failing.bodies)
        svc = Service(data_dir, drp_args(data_dir, agents)).start()  # the listing is gone
        try:
            time.sleep(5)  # retries are due after 1, 2 and 4 s
            assert len(failing.bodies) == seen
            refusals = [e for e in svc.log_events() if e.get("event") == "drp.callback_refused"]
            assert refusals and "port" in refusals[0]["why"], refusals
        finally:
            assert svc.stop() == 0
    finally:
        failing.close()


def test_opt_out_needs_no_verification(drp, agents):
    a, _ = agents
    key_setup(drp, a)
    r = post_exercise(drp, a, exercise(a, exercise="sale:opt-out"))
    assert r.status_code == 200, r.text
    st = r.json()
    assert st["status"] == "in_progress" and "reason" not in st
    assert "user_verification_url" not in st
    rid = st["request_id"]
    recs = requests.get(drp.url + "/v1/request-records", headers=drp.admin()).json()["records"]
    assert any(x["request_type"] == "opt_out" and x["channel"] == "agent" for x in recs)


def test_power_of_attorney_goes_to_a_reviewer(drp, agents, data_dir):
    a, _ = agents
    key_setup(drp, a)
    r = post_exercise(drp, a, exercise(a, exercise="access",
                                       power_of_attorney="https://agent.example/poa/123"))
    assert r.status_code == 200, r.text
    st = r.json()
    assert st["status"] == "in_progress" and st.get("reason") is None, st
    rev = run_cli("keys", "create", "--role", "reviewer", "--name", "poa", "--data-dir",
                  data_dir).stdout.strip()
    q = requests.get(drp.url + "/v1/reviews", headers={"Authorization": "Bearer " + rev}).json()
    assert len(q["reviews"]) == 1 and q["reviews"][0]["requester_role"] == "authorized_agent"
    ref = q["reviews"][0]["reference"]
    view = requests.get(drp.url + "/v1/reviews/" + ref,
                        headers={"Authorization": "Bearer " + rev}).json()
    assert view["agent"]["power_of_attorney"] is True
    assert [x["code"] for x in view["decision"]["reasons"]] == ["power_of_attorney"]
    # the reference itself only through a reveal: claimed, with a purpose, audited (issue 19)
    assert "https://agent.example/poa/123" not in json.dumps(view)
    rv = drp.url + "/v1/reviews/%s/reveal" % ref
    body = {"field": "agent.power_of_attorney",
            "purpose": "check the power of attorney document itself"}
    assert requests.post(rv, json=body, headers={"Authorization": "Bearer " + rev}
                         ).status_code == 409
    assert requests.post(drp.url + "/v1/reviews/%s/claim" % ref,
                         headers={"Authorization": "Bearer " + rev}).status_code == 200
    r = requests.post(rv, json=body, headers={"Authorization": "Bearer " + rev})
    assert r.status_code == 200, r.text
    assert r.json()["value"] == "https://agent.example/poa/123"
    events = [x["event"] for x in audit_rows(data_dir) if x["case_ref"] == ref]
    assert "review.viewed" in events and "review.revealed" in events


def test_consumer_verifies_directly(drp, agents):
    a, _ = agents
    key_setup(drp, a)
    load_records(drp, dict(ANN, date_of_birth="1980-01-01"))
    st = post_exercise(drp, a, exercise(a, exercise="access:categories")).json()
    ref, token = consumer_token(drp, st)
    h = {"Authorization": "Bearer " + token}
    cu = drp.url + "/v1/requests/%s/agent-confirmation" % ref
    r = requests.post(cu, json={"claims": {"given_names": "Ann"}}, headers=h)
    assert_problem(r, 422, "invalid")
    mine = {"given_names": "Ann", "family_name": "Lee", "email": "ann.self@example.com",
            "date_of_birth": "1971-03-04"}
    r = requests.post(cu, json={"claims": mine}, headers=h)
    assert r.status_code == 200, r.text
    v = r.json()
    assert v["agent"]["consumer_verified_at"] is not None
    assert v["required"] == ["agent_permission"], v["required"]
    # the agent's signed permission (with the agent's own DRP token), then the consumer's own
    # details are what is verified: they contradict the record, so no match
    r = requests.post(drp.url + "/v1/requests/%s/documents" % ref,
                      files={"file": ("permission.png", png_with_text("I permit"))},
                      data={"kind": "agent_permission"}, headers={"Authorization": "Bearer "
                                                                  + a.token})
    assert r.status_code == 202, r.text
    v = wait_status(drp, ref, token, {"not_verified", "verified", "manual_review"})
    assert v["status"] == "not_verified", v
    st = requests.get(drp.url + "/v1/data-rights-request/" + st["request_id"],
                      headers=a.auth()).json()
    # the agent learns that verification failed, not whether the person is a customer
    assert st["status"] == "denied" and st["reason"] == "insuf_verification", st
    assert "record" not in st["processing_details"], st
    assert_problem(requests.post(cu, json={"confirm": True}, headers=h), 409, "invalid-state")


def test_consumer_refuses_the_agent(drp, agents):
    a, _ = agents
    key_setup(drp, a)
    load_records(drp, ANN)
    st = post_exercise(drp, a, exercise(a)).json()
    ref, token = consumer_token(drp, st)
    h = {"Authorization": "Bearer " + token}
    v = requests.get(drp.url + "/v1/requests/" + ref, headers=h).json()
    assert v["agent"]["agent_name"] == "Test agent " + a.id  # from the directory
    ru = drp.url + "/v1/requests/%s/agent-refusal" % ref
    assert_problem(requests.post(ru), 401, "unauthorized")
    assert_problem(requests.post(ru, headers={"Authorization": "Bearer " + a.token}),
                   403, "forbidden")  # the agent cannot refuse in the consumer's place
    r = requests.post(ru, headers=h)
    assert r.status_code == 200, r.text
    v = r.json()
    assert v["status"] == "closed" and v["closed"]["response"] == "denied"
    assert v["closed"]["denial_basis"] == "agent_not_authorized"
    assert v["purged_at"] is not None
    # the consumer's session ends with the case: its code is purged with the rest
    assert_problem(requests.post(ru, headers=h), 401, "unauthorized")
    assert_problem(requests.post(drp.url + "/v1/requests/%s/agent-confirmation" % ref,
                                 json={"confirm": True}, headers=h), 401, "unauthorized")
    s = requests.get(drp.url + "/v1/data-rights-request/" + st["request_id"],
                     headers=a.auth()).json()
    assert s["status"] == "denied" and s["reason"] == "suspected_fraud", s
    assert "did not authorize" in s["processing_details"]
    # a consumer's own request cannot be refused this way: its token is no consumer session
    mine = requests.post(drp.url + "/v1/requests", json={
        "request_type": "opt_out", "claims": {"email": "own@example.com"}}).json()
    assert_problem(requests.post(drp.url + "/v1/requests/%s/agent-refusal" % mine["reference"],
                                 headers={"Authorization": "Bearer " + mine["token"]}),
                   403, "forbidden")
    rows = db_rows(drp.data_dir, "SELECT actor, event FROM audit WHERE case_ref = '%s'" % ref)
    assert "consumer:%s|agent.consumer_refused" % ref in rows, rows
    assert "consumer:%s|case.closed" % ref in rows, rows
    assert run_cli("audit", "verify", "--data-dir", drp.data_dir).returncode == 0


def test_parent_or_guardian_gives_own_identity_and_relationship_proof(drp):
    r = requests.post(drp.url + "/v1/requests", json={
        "request_type": "know_categories", "requester": {"role": "parent_or_guardian"},
        "claims": {"given_names": "Kim", "family_name": "Child", "date_of_birth": "2016-05-06"}})
    assert r.status_code == 201, r.text
    v = r.json()
    assert v["status"] == "awaiting_evidence"
    assert {"government_id", "relationship_proof", "declaration"} <= set(v["required"])


def test_directory_as_an_array_and_refused_directories(data_dir, agents):
    a, _ = agents
    svc = Service(data_dir, drp_args(data_dir, agents, as_array=True)).start()
    try:
        key_setup(svc, a)
    finally:
        assert svc.stop() == 0
    bad = os.path.join(os.path.dirname(data_dir), "bad.json")
    for content, why in [([{"id": "X", "verify_key": "AAAA"}], "verify_key"),
                         ([{"verify_key": OSIRAA_KEY}], "id"),
                         ([a.entry(), a.entry()], "twice"),
                         ({"agents": "none"}, "array")]:
        with open(bad, "w") as f:
            json.dump(content, f)
        r = run_cli("serve", "--data-dir", data_dir, "--listen", "127.0.0.1:1",
                    "--agent-directory", bad, "--business-id", BUSINESS)
        assert r.returncode != 0 and why in r.stderr, r.stderr


def agent_attempts(svc, ref, headers):
    """Every step that is the consumer's own, tried with an agent's credential: the old attack
    (issue 19, finding 2). Each answers 403 forbidden, as problem+json."""
    u = svc.url + "/v1/requests/%s/" % ref
    steps = [
        ("agent-confirmation", {"confirm": True}),
        ("agent-confirmation", {"claims": {"given_names": "Ann", "family_name": "Lee",
                                           "email": ANN["email"]}}),
        ("agent-refusal", None),
        ("declaration", {"typed_name": "Ann Lee", "statement_version": "2026-11-v1",
                         "consent": True}),
        ("confirm", None),
        ("code", None),
        ("code/verify", {"code": "123456"}),
    ]
    for path, body in steps:
        r = requests.post(u + path, json=body, headers=headers)
        assert_problem(r, 403, "forbidden")
    # identity documents are the consumer's too; the signed permission is the agent's to send
    r = requests.post(u + "documents", files={"file": ("id.png", png_with_text("ID"))},
                      data={"kind": "government_id"}, headers=headers)
    assert_problem(r, 403, "forbidden")
    r = requests.post(u + "documents", files={"file": ("p.png", png_with_text("I permit"))},
                      data={"kind": "agent_permission"}, headers=headers)
    assert r.status_code == 202, r.text


def test_agent_cannot_act_for_the_consumer(drp, agents):
    """Issue 19, finding 2: the agent holds no credential that confirms, refuses, verifies or
    signs for the consumer. user_verification_url carries no token; the agent's DRP token (and
    a guessed code) is refused on every step of the consumer's; the code goes to the e-mail on
    file, never to the one the agent typed; the consumer's own session confirms, audited as
    the consumer."""
    a, b = agents
    key_setup(drp, a)
    key_setup(drp, b)
    load_records(drp, ANN)
    st = post_exercise(drp, a, exercise(a, exercise="deletion")).json()
    assert st["reason"] == "need_user_verification"
    assert "#" not in st["user_verification_url"] and "token" not in st["user_verification_url"]
    ref = consumer_ref(st)
    # the page's own API without credentials: nothing of the case
    assert_problem(requests.get(drp.url + "/v1/requests/" + ref), 401, "unauthorized")
    # the old attack: the agent uses what it holds (its DRP token) on the consumer's steps
    agent_attempts(drp, ref, {"Authorization": "Bearer " + a.token})
    # another agent cannot even upload to it: for that agent, it does not exist
    r = requests.post(drp.url + "/v1/requests/%s/documents" % ref,
                      files={"file": ("p.png", png_with_text("I permit"))},
                      data={"kind": "agent_permission"},
                      headers={"Authorization": "Bearer " + b.token})
    assert_problem(r, 404, "not-found")
    # a guessed code opens nothing, and is audited as nobody's
    r = requests.post(drp.url + "/v1/requests/%s/consumer-session" % ref,
                      json={"code": "000000"})
    assert r.status_code in (422, 429) and r.json()["type"].split(":")[-1] in (
        "code-wrong", "code-exhausted"), r.text
    # the consumer: the code arrives at the address on file, opens their own session
    token = consumer_session(drp, ref, ANN["email"])
    h = {"Authorization": "Bearer " + token}
    assert token != a.token
    v = requests.get(drp.url + "/v1/requests/" + ref, headers=h).json()
    assert "contact_code" not in v and "consumer_code" not in v["agent"], v
    r = requests.post(drp.url + "/v1/requests/%s/agent-confirmation" % ref,
                      json={"confirm": True}, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["agent"]["consumer_confirmed_at"] is not None
    # the consumer's session is not a key to other cases
    other = post_exercise(drp, a, exercise(a)).json()
    r = requests.post(drp.url + "/v1/requests/%s/agent-confirmation" % consumer_ref(other),
                      json={"confirm": True}, headers=h)
    assert_problem(r, 401, "unauthorized")
    rows = [(x["actor"], x["event"]) for x in audit_rows(drp.data_dir) if x["case_ref"] == ref]
    assert ("agent:" + a.id, "case.created") in rows
    assert ("agent:" + a.id, "document.uploaded") in rows
    assert ("anonymous", "contact_code.wrong") in rows
    assert ("consumer:" + ref, "contact_code.verified") in rows
    assert ("consumer:" + ref, "agent.consumer_confirmed") in rows
    assert not any(actor.startswith("agent:") and event.startswith("agent.consumer")
                   for actor, event in rows), rows
    assert not any(actor.startswith("case:") for actor, _ in rows), rows
    # the message went to the address on file only
    assert all(rcpts == [ANN["email"]] for rcpts, _ in drp.mailbox.messages), \
        drp.mailbox.messages
    assert run_cli("audit", "verify", "--data-dir", drp.data_dir).returncode == 0


def test_agent_typed_contact_gets_no_code_and_learns_nothing(drp, agents):
    """An agent that types its own address (or names nobody on file) gets no code anywhere,
    and the same answer as for a customer: same status, reason, details and keys. The admin
    view says the consumer must be reached another way."""
    a, _ = agents
    key_setup(drp, a)
    load_records(drp, ANN)
    real = post_exercise(drp, a, exercise(a)).json()
    mail_to(drp.mailbox, ANN["email"])
    answers = [real]
    for name, email in (("Lee, Ann", "inbox@agent.example"), ("Nobody, Nemo", "nemo@x.test")):
        answers.append(post_exercise(drp, a, exercise(a, name=name, email=email,
                                                      phone_number="+14155550111")).json())
    shape = [(sorted(x), x["status"], x["reason"], x["processing_details"]) for x in answers]
    assert shape[0] == shape[1] == shape[2], shape
    time.sleep(2)
    assert [m[0] for m in drp.mailbox.messages] == [[ANN["email"]]], drp.mailbox.messages
    for st in answers[1:]:
        ref = consumer_ref(st)
        r = requests.post(drp.url + "/v1/requests/%s/consumer-code" % ref)
        assert r.status_code in (202, 429), r.text
        assert "channel" not in r.json() and "sent_to" not in r.json()
        full = requests.get(drp.url + "/v1/requests/" + ref, headers=drp.admin()).json()
        assert full["agent"]["consumer_code"]["reach"] == "other_means", full["agent"]
        assert "another way" in full["agent"]["consumer_code"]["note"]
    real_full = requests.get(drp.url + "/v1/requests/" + consumer_ref(real),
                             headers=drp.admin()).json()
    assert real_full["agent"]["consumer_code"]["reach"] == "code"
    assert [m[0] for m in drp.mailbox.messages] == [[ANN["email"]]]
    # the trail says it too (the business's only)
    sent = {x["case_ref"]: detail_of(x) for x in audit_rows(drp.data_dir)
            if x["event"] == "contact_code.sent"}
    assert sent[consumer_ref(real)]["contact_on_file"] is True
    assert [sent[consumer_ref(x)]["contact_on_file"] for x in answers[1:]] == [False, False]
    # a reviewer who reached the consumer another way records their answer, saying how
    rev = make_key(drp.data_dir, "reviewer", "reacher")
    ref = consumer_ref(answers[1])
    cu = drp.url + "/v1/requests/%s/agent-confirmation" % ref
    assert_problem(requests.post(cu, json={"confirm": True}, headers=bearer(rev)), 422,
                   "invalid")
    assert_problem(requests.post(cu, json={"confirm": True, "reached_by": "e-mail to x@y"},
                                 headers=bearer(rev)), 422, "invalid")
    r = requests.post(cu, json={"confirm": True, "reached_by": "phone_call"},
                      headers=bearer(rev))
    assert r.status_code == 200, r.text
    row = [x for x in audit_rows(drp.data_dir)
           if x["case_ref"] == ref and x["event"] == "agent.consumer_confirmed"]
    assert len(row) == 1 and row[0]["actor"] == "key:" + rev.split("_")[1], row
    assert detail_of(row[0]) == {"reached_by": "phone_call"}
    # and the agent still cannot
    assert_problem(requests.post(drp.url + "/v1/requests/%s/agent-refusal" % ref,
                                 json={"reached_by": "other"}, headers=bearer(a.token)),
                   403, "forbidden")


def test_consumer_session_renewed_by_a_new_code(data_dir, agents, smtp):
    """A consumer who lost their session asks for a new code: the old session lasts until the
    new code matches, then only the new one works; a used code opens nothing again."""
    a, _ = agents
    svc = Service(data_dir, drp_args(data_dir, agents) + smtp_args(smtp)
                  + ["--code-resend", "1"]).start()
    svc.mailbox = smtp[1]
    try:
        key_setup(svc, a)
        load_records(svc, ANN)
        ref = consumer_ref(post_exercise(svc, a, exercise(a)).json())
        first_code = code_of(mail_to(svc.mailbox, ANN["email"]))
        old = consumer_session(svc, ref, ANN["email"])
        r = requests.post(svc.url + "/v1/requests/%s/consumer-session" % ref,
                          json={"code": first_code})
        assert_problem(r, 409, "invalid-state")
        time.sleep(1.1)
        r = requests.post(svc.url + "/v1/requests/%s/consumer-code" % ref)
        assert r.status_code == 202, r.text
        assert set(r.json()) == {"message", "expires_in_s", "resend_after_s", "sends_left"}
        get = svc.url + "/v1/requests/" + ref
        assert requests.get(get, headers={"Authorization": "Bearer " + old}).status_code == 200
        time.sleep(1.1)  # the new session is bound to the second the code matched
        new = consumer_session(svc, ref, ANN["email"], n=2)
        assert new != old
        assert requests.get(get, headers={"Authorization": "Bearer " + new}).status_code == 200
        assert_problem(requests.get(get, headers={"Authorization": "Bearer " + old}), 401,
                       "unauthorized")
    finally:
        assert svc.stop() == 0


def test_web_agent_filing_cannot_act_for_the_consumer(drp, agents):
    """A filing through POST /v1/requests as authorized_agent: its token is the agent's. It
    reads the status and sends the signed permission, and is refused on the consumer's steps;
    the consumer, with the code sent to the e-mail on file, confirms."""
    load_records(drp, ANN)
    r = requests.post(drp.url + "/v1/requests", json={
        "request_type": "know_categories", "channel": "web",
        "requester": {"role": "authorized_agent"},
        "claims": {"given_names": "Ann", "family_name": "Lee", "email": ANN["email"]}})
    assert r.status_code == 201, r.text
    v = r.json()
    ref, agent_h = v["reference"], {"Authorization": "Bearer " + v["token"]}
    assert v["user_verification_url"].endswith("/requests/%s/agent" % ref)
    assert requests.get(drp.url + "/v1/requests/" + ref, headers=agent_h).status_code == 200
    agent_attempts(drp, ref, agent_h)
    # the code may not be asked for with contact_code by an agent
    r = requests.post(drp.url + "/v1/requests", json={
        "request_type": "know_categories", "requester": {"role": "authorized_agent"},
        "contact_code": "email",
        "claims": {"given_names": "Ann", "family_name": "Lee", "email": ANN["email"]}})
    assert_problem(r, 422, "invalid")
    token = consumer_session(drp, ref, ANN["email"])
    h = {"Authorization": "Bearer " + token}
    r = requests.post(drp.url + "/v1/requests/%s/agent-confirmation" % ref,
                      json={"confirm": True}, headers=h)
    assert r.status_code == 200, r.text
    rows = [(x["actor"], x["event"]) for x in audit_rows(drp.data_dir) if x["case_ref"] == ref]
    assert ("web-agent:" + ref, "case.created") in rows, rows
    assert ("web-agent:" + ref, "document.uploaded") in rows, rows
    assert ("consumer:" + ref, "agent.consumer_confirmed") in rows, rows
    assert not any(actor.startswith("case:") for actor, _ in rows), rows


def test_consumers_code_counts_as_the_records_contact(drp, agents):
    """The consumer who typed the code sent to the record's e-mail showed they hold it: the
    record's contact_code point counts (a typed e-mail does not, issue 15): with the agent's
    date of birth, that verifies."""
    a, _ = agents
    key_setup(drp, a)
    load_records(drp, dict(ANN, date_of_birth="1971-03-04"))
    st = post_exercise(drp, a, exercise(a, exercise="access:categories",
                                        birthdate="1971-03-04")).json()
    ref, token = consumer_token(drp, st)
    r = requests.post(drp.url + "/v1/requests/%s/agent-confirmation" % ref,
                      json={"confirm": True}, headers=bearer(token))
    assert r.status_code == 200, r.text
    r = requests.post(drp.url + "/v1/requests/%s/documents" % ref,
                      files={"file": ("p.png", png_with_text("I permit"))},
                      data={"kind": "agent_permission"}, headers=bearer(a.token))
    assert r.status_code == 202, r.text
    v = wait_status(drp, ref, token, {"not_verified", "verified", "manual_review"})
    assert v["status"] == "verified", v
    full = requests.get(drp.url + "/v1/requests/" + ref, headers=drp.admin()).json()
    counted = [x["detail"] for x in full["outcome"]["reasons"]]
    assert any("contact_code" in d and "counted" in d for d in counted), counted
