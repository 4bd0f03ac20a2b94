# SPDX-License-Identifier: Apache-2.0
"""One-time codes to the e-mail or phone on file (issue 15), through a real SMTP server on
loopback (aiosmtpd, started here) and a local fake SMS gateway (a plain HTTP server taking the
POST its template describes): request a code, read it from the message received, complete a
verification; wrong, expired and exhausted codes, resend limits, a mail server that is down,
the same answer whether or not a contact is on file, and nothing left after the case closes."""
import email
import http.server
import json
import os
import re
import statistics
import threading
import time

import pytest
import requests

from conftest import Service, free_port, SOURCE_ROOT
from test_access import audit_rows

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")

TAG = "%x" % (os.getpid() & 0xffff)
CODE = re.compile(r"\b(\d{6})\b")


class Mailbox:
    """Messages received by the loopback SMTP server."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"

    def wait(self, n=1, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= n:
                    return list(self.messages)
            time.sleep(0.05)
        raise AssertionError("no message after %s s" % timeout)


def start_smtp(port=None):
    box = Mailbox()
    ctl = aiosmtpd_controller.Controller(box, hostname="127.0.0.1", port=port or free_port())
    ctl.start()
    return ctl, box


def code_of(raw):
    msg = email.message_from_bytes(raw)
    for part in msg.walk():
        if part.get_content_type() == "text/plain":
            m = CODE.search(part.get_payload(decode=True).decode())
            assert m, "no code in the text part"
            return m.group(1)
    raise AssertionError("no text/plain part")


def person(tag, channel_value=None):
    return {"given_names": "Cora", "family_name": "Coder" + TAG + tag,
            "date_of_birth": "1990-01-%02d" % (int(tag, 36) % 28 + 1),
            "email": "cora.%s%s@example.com" % (TAG, tag), "phone": "+1415555%04d" % (
                int(tag, 36) % 10000)}


def load(svc, rid, p):
    rec = {"id": rid, "given_name": p["given_names"], "family_name": p["family_name"],
           "date_of_birth": p["date_of_birth"], "email": p["email"], "phone": p["phone"]}
    r = requests.post(svc.url + "/v1/records", json={"records": [rec]}, headers=svc.admin())
    assert r.status_code == 200, r.text


def file_request(svc, claims, channel="email"):
    r = requests.post(svc.url + "/v1/requests", json={
        "request_type": "know_categories", "claims": claims, "contact_code": channel})
    assert r.status_code == 201, r.text
    b = r.json()
    return b["reference"], {"Authorization": "Bearer " + b["token"]}, b


def view(svc, ref, auth):
    r = requests.get(svc.url + "/v1/requests/" + ref, headers=auth)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture
def smtp():
    ctl, box = start_smtp()
    yield ctl, box
    ctl.stop()


def serve(data_dir, smtp_port, *extra):
    return Service(data_dir, ["--smtp-url", "smtp://127.0.0.1:%d" % smtp_port,
                              "--smtp-from", "privacy@example.org",
                              "--callback-retry", "1", "--status-interval", "1"]
                   + list(extra)).start()


def test_email_code_completes_a_verification(data_dir, smtp):
    ctl, box = smtp
    svc = serve(data_dir, ctl.port)
    try:
        p = person("a")
        load(svc, "C1", p)
        claims = {"given_names": p["given_names"], "family_name": p["family_name"],
                  "date_of_birth": p["date_of_birth"], "email": p["email"]}
        # typed, the e-mail does not count (anyone who knows it can type it): the DOB alone
        # is one point of the two the shipped standard model needs
        r = requests.post(svc.url + "/v1/requests", json={
            "request_type": "know_categories", "claims": claims})
        assert r.status_code == 201 and r.json()["status"] == "not_verified", r.text
        ref, auth, created = file_request(svc, claims)
        # the request waits for the code: it is not decided on typed claims alone
        assert created["status"] == "awaiting_evidence"
        assert "contact_code" in created["required"]
        r = requests.post(svc.url + "/v1/requests/%s/code" % ref, headers=auth)
        assert r.status_code == 202, r.text
        assert r.json()["sent_to"] == "c\u2022\u2022\u2022@example.com"
        rcpts, raw = box.wait(1)[0]
        assert rcpts == [p["email"]]
        code = code_of(raw)
        assert b"text/html" in raw
        wrong = "%06d" % ((int(code) + 1) % 1000000)
        r = requests.post(svc.url + "/v1/requests/%s/code/verify" % ref, headers=auth,
                          json={"code": wrong})
        assert r.status_code == 422 and r.json()["type"].endswith(":code-wrong"), r.text
        assert view(svc, ref, auth)["contact_code"]["tries_left"] == 4
        r = requests.post(svc.url + "/v1/requests/%s/code/verify" % ref, headers=auth,
                          json={"code": code[:3] + " " + code[3:]})
        assert r.status_code == 200, r.text
        v = view(svc, ref, auth)
        assert v["status"] == "verified", v
        # the same code cannot be used again
        r = requests.post(svc.url + "/v1/requests/%s/code/verify" % ref, headers=auth,
                          json={"code": code})
        assert r.status_code == 409
        # the code and the contact are never logged
        log = svc.read_log()
        assert code not in log and p["email"] not in log
    finally:
        svc.stop()


def test_exhausted_and_resend_limits(data_dir, smtp):
    ctl, box = smtp
    svc = serve(data_dir, ctl.port, "--code-sends", "2", "--code-resend", "2")
    try:
        p = person("b")
        load(svc, "C2", p)
        claims = {"given_names": p["given_names"], "family_name": p["family_name"],
                  "email": p["email"]}
        ref, auth, _ = file_request(svc, claims)
        assert requests.post(svc.url + "/v1/requests/%s/code" % ref,
                             headers=auth).status_code == 202
        r = requests.post(svc.url + "/v1/requests/%s/code" % ref, headers=auth)
        assert r.status_code == 429 and r.json()["type"].endswith(":code-wait"), r.text
        assert int(r.headers["Retry-After"]) >= 1
        code = code_of(box.wait(1)[0][1])
        wrong = "%06d" % ((int(code) + 7) % 1000000)
        for i in range(4):
            r = requests.post(svc.url + "/v1/requests/%s/code/verify" % ref, headers=auth,
                              json={"code": wrong})
            assert r.status_code == 422, r.text
        r = requests.post(svc.url + "/v1/requests/%s/code/verify" % ref, headers=auth,
                          json={"code": wrong})
        assert r.status_code == 429 and r.json()["type"].endswith(":code-exhausted"), r.text
        # even the right code no longer works
        r = requests.post(svc.url + "/v1/requests/%s/code/verify" % ref, headers=auth,
                          json={"code": code})
        assert r.status_code == 429
        time.sleep(2.2)
        assert requests.post(svc.url + "/v1/requests/%s/code" % ref,
                             headers=auth).status_code == 202
        r = requests.post(svc.url + "/v1/requests/%s/code" % ref, headers=auth)
        time.sleep(2.2)
        r = requests.post(svc.url + "/v1/requests/%s/code" % ref, headers=auth)
        assert r.status_code == 429 and r.json()["type"].endswith(":code-limit"), r.text
        code2 = code_of(box.wait(2)[1][1])
        for i in range(5):
            requests.post(svc.url + "/v1/requests/%s/code/verify" % ref, headers=auth,
                          json={"code": "%06d" % ((int(code2) + 3) % 1000000)})
        # no try and no send left: the case is decided without the code (one typed point)
        assert view(svc, ref, auth)["status"] == "not_verified"
    finally:
        svc.stop()


def test_expired_code(data_dir, smtp):
    ctl, box = smtp
    svc = serve(data_dir, ctl.port, "--code-ttl", "2")
    try:
        p = person("c")
        load(svc, "C3", p)
        ref, auth, _ = file_request(svc, {"given_names": p["given_names"],
                                          "family_name": p["family_name"],
                                          "email": p["email"]})
        assert requests.post(svc.url + "/v1/requests/%s/code" % ref,
                             headers=auth).status_code == 202
        code = code_of(box.wait(1)[0][1])
        time.sleep(2.5)
        r = requests.post(svc.url + "/v1/requests/%s/code/verify" % ref, headers=auth,
                          json={"code": code})
        assert r.status_code == 422 and r.json()["type"].endswith(":code-expired"), r.text
    finally:
        svc.stop()


def test_never_to_a_typed_address_that_differs(data_dir, smtp):
    ctl, box = smtp
    svc = serve(data_dir, ctl.port)
    try:
        p = person("d")
        load(svc, "C4", p)
        ref, auth, _ = file_request(svc, {"given_names": p["given_names"],
                                          "family_name": p["family_name"],
                                          "email": "attacker.%s@example.net" % TAG})
        r = requests.post(svc.url + "/v1/requests/%s/code" % ref, headers=auth)
        assert r.status_code == 202
        time.sleep(3)
        assert box.messages == []
    finally:
        svc.stop()


def test_same_answer_with_or_without_a_contact_on_file(data_dir, smtp):
    """Enumeration: status, body shape and timing bucket do not depend on the record."""
    ctl, box = smtp
    svc = serve(data_dir, ctl.port)
    try:
        held, times = [], {"held": [], "none": []}
        answers = {}
        for i in range(8):
            for kind in ("held", "none"):
                p = person("e%d%s" % (i, kind[0]))
                if kind == "held":
                    load(svc, "E%d" % i, p)
                ref, auth, _ = file_request(svc, {"given_names": p["given_names"],
                                                  "family_name": p["family_name"],
                                                  "email": p["email"]})
                t0 = time.perf_counter()
                r = requests.post(svc.url + "/v1/requests/%s/code" % ref, headers=auth)
                times[kind].append(time.perf_counter() - t0)
                body = r.json()
                answers.setdefault(kind, set()).add(
                    (r.status_code, tuple(sorted(body)), body["message"],
                     re.sub(r"[a-z0-9]", "x", body["sent_to"])))
                v = view(svc, ref, auth)
                answers.setdefault(kind + "-view", set()).add(json.dumps(
                    v["contact_code"], sort_keys=True) + v["status"])
        assert answers["held"] == answers["none"], answers
        assert answers["held-view"] == answers["none-view"], answers
        mh, mn = statistics.median(times["held"]), statistics.median(times["none"])
        print("median send answer: held %.1f ms, none %.1f ms, ratio %.2f" % (
            mh * 1e3, mn * 1e3, mh / mn))
        # the same work either way (codes.h); the bucket is coarse (250 ms) because this
        # machine is shared and runs sanitizers: the figures above are the measurement
        assert int(mh / 0.25) == int(mn / 0.25), (mh, mn)
        box.wait(8)
    finally:
        svc.stop()


def test_smtp_down_retries_and_loses_nothing(data_dir):
    port = free_port()
    svc = serve(data_dir, port, "--callback-attempts", "30")
    ctl = None
    try:
        p = person("f")
        load(svc, "C6", p)
        ref, auth, _ = file_request(svc, {"given_names": p["given_names"],
                                          "family_name": p["family_name"],
                                          "email": p["email"]})
        assert requests.post(svc.url + "/v1/requests/%s/code" % ref,
                             headers=auth).status_code == 202
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            d = view(svc, ref, svc.admin())["contact_code"]["delivery"]
            if d == "retrying":
                break
            time.sleep(0.2)
        assert d == "retrying"
        # the requester's view does not say it (it would tell whether we hold the contact)
        assert "delivery" not in view(svc, ref, auth)["contact_code"]
        ctl, box = start_smtp(port)
        code = code_of(box.wait(1, timeout=40)[0][1])
        deadline = time.monotonic() + 10
        while view(svc, ref, svc.admin())["contact_code"]["delivery"] != "sent":
            assert time.monotonic() < deadline
            time.sleep(0.2)
        r = requests.post(svc.url + "/v1/requests/%s/code/verify" % ref, headers=auth,
                          json={"code": code})
        assert r.status_code == 200, r.text
    finally:
        svc.stop()
        if ctl:
            ctl.stop()


def test_nothing_left_after_close(data_dir, smtp):
    ctl, box = smtp
    svc = serve(data_dir, ctl.port)
    try:
        p = person("g")
        load(svc, "C7", p)
        ref, auth, _ = file_request(svc, {"given_names": p["given_names"],
                                          "family_name": p["family_name"],
                                          "date_of_birth": p["date_of_birth"],
                                          "email": p["email"]})
        requests.post(svc.url + "/v1/requests/%s/code" % ref, headers=auth)
        code = code_of(box.wait(1)[0][1])
        assert requests.post(svc.url + "/v1/requests/%s/code/verify" % ref, headers=auth,
                             json={"code": code}).status_code == 200
        r = requests.post(svc.url + "/v1/requests/%s/close" % ref, headers=svc.admin(),
                          json={"response": "fulfilled"})
        assert r.status_code == 200, r.text
    finally:
        svc.stop()
    needles = [code, p["email"]]
    blobs = []
    for root, _, files in os.walk(data_dir):
        for f in files:
            with open(os.path.join(root, f), "rb") as fh:
                blobs.append((f, fh.read()))
    with open(svc.log_path, "rb") as fh:
        blobs.append(("log", fh.read()))
    for name, data in blobs:
        for n in needles:
            for enc in ("utf-8", "utf-16-le", "utf-16-be"):
                assert n.encode(enc) not in data, (name, enc)


class Gateway(http.server.BaseHTTPRequestHandler):
    bodies = []

    def do_POST(self):
        n = int(self.headers["Content-Length"])
        Gateway.bodies.append((self.headers["Content-Type"], self.headers.get("Authorization"),
                               self.rfile.read(n)))
        self.send_response(201)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *a):
        pass


def test_sms_through_a_gateway(data_dir, tmp_path):
    gw = http.server.HTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=gw.serve_forever, daemon=True).start()
    cred = tmp_path / "sms.cred"
    cred.write_text("ACtest:secret\n")
    os.chmod(cred, 0o600)
    svc = Service(data_dir, [
        "--sms-url", "http://127.0.0.1:%d/send" % gw.server_port,
        "--sms-template", os.path.join(SOURCE_ROOT, "models", "messages", "sms-generic.json"),
        "--sms-credentials", str(cred), "--allow-http-callbacks",
        "--status-interval", "1"]).start()
    try:
        p = person("h")
        load(svc, "C8", p)
        ref, auth, _ = file_request(svc, {"given_names": p["given_names"],
                                          "family_name": p["family_name"],
                                          "phone": p["phone"]}, channel="phone")
        r = requests.post(svc.url + "/v1/requests/%s/code" % ref, headers=auth)
        assert r.status_code == 202, r.text
        assert r.json()["sent_to"].endswith(p["phone"][-2:])
        deadline = time.monotonic() + 15
        while not Gateway.bodies and time.monotonic() < deadline:
            time.sleep(0.1)
        ctype, authz, body = Gateway.bodies[0]
        assert ctype == "application/json" and authz.startswith("Basic ")
        msg = json.loads(body)
        assert msg["to"] == p["phone"]
        code = CODE.search(msg["text"]).group(1)
        r = requests.post(svc.url + "/v1/requests/%s/code/verify" % ref, headers=auth,
                          json={"code": code})
        assert r.status_code == 200, r.text
    finally:
        svc.stop()
        gw.shutdown()


def admin_delivery(svc, ref):
    return view(svc, ref, svc.admin())["contact_code"]["delivery"]


def code_request(svc, p):
    claims = {"given_names": p["given_names"], "family_name": p["family_name"],
              "date_of_birth": p["date_of_birth"], "email": p["email"]}
    ref, auth, _ = file_request(svc, claims)
    r = requests.post(svc.url + "/v1/requests/%s/code" % ref, headers=auth)
    assert r.status_code == 202, r.text
    return ref, auth, r.json()


def test_per_contact_limit_across_cases_kept_in_the_database(data_dir, smtp):
    """--code-contact-sends 2: a contact is sent at most two codes per window whatever the
    number of requests; the third request gets the same answer and no message, and a restart
    does not reset the count (it is in the database, by keyed hash)."""
    ctl, box = smtp
    args = ("--code-contact-sends", "2", "--code-contact-window", "3600")
    svc = serve(data_dir, ctl.port, *args)
    try:
        p = person("l")
        load(svc, "CL", p)
        answers = []
        refs = []
        for _ in range(2):
            ref, _, a = code_request(svc, p)
            refs.append(ref)
            answers.append(a)
        box.wait(2)
        ref, _, a = code_request(svc, p)
        answers.append(a)
        # the same answer: what the requester sees never says the limit was reached
        assert {json.dumps(x, sort_keys=True) for x in answers} == {
            json.dumps(answers[0], sort_keys=True)}
        time.sleep(3)
        assert len(box.messages) == 2
        assert admin_delivery(svc, ref) == "limited"
        assert [admin_delivery(svc, r) for r in refs] == ["sent", "sent"]
    finally:
        svc.stop()
    svc = serve(data_dir, ctl.port, *args)
    try:
        ref, _, _ = code_request(svc, p)
        time.sleep(3)
        assert len(box.messages) == 2 and admin_delivery(svc, ref) == "limited"
        # another contact is not held back by this one's count
        q = person("m")
        load(svc, "CM", q)
        ref, _, _ = code_request(svc, q)
        assert box.wait(3)[2][0] == [q["email"]]
        assert admin_delivery(svc, ref) == "sent"
    finally:
        svc.stop()
    log = svc.read_log()
    assert p["email"] not in log and q["email"] not in log


class PickyMailbox(Mailbox):
    """Refuses one recipient for now (451, try again later), as a greylisting server does."""

    def __init__(self, refused):
        super().__init__()
        self.refused = refused

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.refused:
            return "451 4.7.1 greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_one_mail_that_retries_holds_no_other(data_dir):
    """Every code e-mail shares the outbox URL "email": a message that retries must not hold
    the others back (the outbox's order rule is for one receiver's status callbacks), and a
    case's newer code replaces its older message still waiting."""
    a, b = person("o"), person("p")
    box = PickyMailbox(a["email"])
    ctl = aiosmtpd_controller.Controller(box, hostname="127.0.0.1", port=free_port())
    ctl.start()
    svc = serve(data_dir, ctl.port, "--callback-retry", "60", "--code-resend", "0")
    try:
        load(svc, "CO", a)
        load(svc, "CP", b)
        ref_a, auth_a, _ = code_request(svc, a)
        deadline = time.monotonic() + 15
        while admin_delivery(svc, ref_a) != "retrying":
            assert time.monotonic() < deadline, admin_delivery(svc, ref_a)
            time.sleep(0.2)
        # a's message now waits a minute before its next try; b's goes at once
        t0 = time.monotonic()
        ref_b, _, _ = code_request(svc, b)
        rcpts, _ = box.wait(1, timeout=10)[0]
        assert rcpts == [b["email"]] and time.monotonic() - t0 < 10
        assert admin_delivery(svc, ref_a) == "retrying"
        # a asks again once the server takes the mail: the new code replaces the waiting one
        box.refused = None
        r = requests.post(svc.url + "/v1/requests/%s/code" % ref_a, headers=auth_a)
        assert r.status_code == 202, r.text
        msgs = box.wait(2, timeout=10)
        assert msgs[1][0] == [a["email"]]
        code = code_of(msgs[1][1])
        time.sleep(2)
        assert len(box.messages) == 2  # the older code is never sent
        r = requests.post(svc.url + "/v1/requests/%s/code/verify" % ref_a, headers=auth_a,
                          json={"code": code})
        assert r.status_code == 200, r.text
    finally:
        svc.stop()
        ctl.stop()


def test_one_reminder_to_the_contact_while_the_code_waits(data_dir, smtp):
    """--code-remind 3: a request still awaiting its code gets one reminder, to the contact the
    code went to, through the outbox; a request whose code came back gets none."""
    ctl, box = smtp
    svc = serve(data_dir, ctl.port, "--code-remind", "3")
    try:
        p, q = person("r"), person("s")
        load(svc, "CR", p)
        load(svc, "CS", q)
        ref_p, _, _ = code_request(svc, p)
        ref_q, auth_q, _ = code_request(svc, q)
        msgs = box.wait(2)
        code_q = code_of([m for m in msgs if m[0] == [q["email"]]][0][1])
        assert requests.post(svc.url + "/v1/requests/%s/code/verify" % ref_q, headers=auth_q,
                             json={"code": code_q}).status_code == 200
        code_p = code_of([m for m in msgs if m[0] == [p["email"]]][0][1])
        rcpts, raw = box.wait(3, timeout=20)[2]
        assert rcpts == [p["email"]]
        msg = email.message_from_bytes(raw)
        assert ref_p in msg["Subject"]
        text = [x for x in msg.walk() if x.get_content_type() == "text/plain"][0]
        body = text.get_payload(decode=True).decode()
        assert ref_p in body and "30 days" in body and code_p not in body
        time.sleep(6)
        assert len(box.messages) == 3  # one reminder, never a second; none for q
        assert view(svc, ref_p, svc.admin())["status"] == "awaiting_evidence"
        events = [e["event"] for e in audit_rows(data_dir, "WHERE case_ref = '%s'" % ref_p)]
        assert events.count("contact_code.reminded") == 1
    finally:
        svc.stop()
    log = svc.read_log()
    assert p["email"] not in log and code_p not in log
