# SPDX-License-Identifier: Apache-2.0
"""Cases from intake to deletion: API, tokens, documents, declaration, deadlines, closing,
the request log, and new personal data that is really gone afterwards."""
import datetime
import glob
import os
import signal
import socket
import time
import zlib
import struct

import requests

from conftest import BACKEND, SOURCE_ROOT, Service, assert_problem, database_files, db_rows, pg

MARK = "Qzvmark"  # unique marker stem; never occurs in the code or the seeds


def png_with_text(text, width=320, height=80):
    """A small valid grey PNG whose pixel rows are plain bytes and with a tEXt chunk holding
    the text, so that the file carries the marker in clear, as a scan of a letter would."""
    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    raw = b"".join(b"\x00" + bytes([(x * 7 + y) % 256 for x in range(width)])
                   for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"tEXt", b"Comment\x00" + text.encode()) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def create(svc, claims, request_type="know_categories", **extra):
    body = {"request_type": request_type, "claims": claims, "channel": "web"}
    body.update(extra)
    r = requests.post(svc.url + "/v1/requests", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def auth(token):
    return {"Authorization": "Bearer " + token}


def person(tag):
    return {"given_names": "Ann " + MARK + tag, "family_name": "Lee" + MARK + tag,
            "date_of_birth": "1971-03-04", "email": "ann.%s%s@example.com" % (MARK.lower(), tag),
            "phone": "+14155550142",
            "address": {"street": "12 %s%s St" % (MARK, tag), "city": "Oakland", "state": "CA",
                        "postal_code": "94607"}}


def load_record(svc, rid, p):
    rec = {"id": rid, "given_name": p["given_names"].split()[0],
           "middle_name": p["given_names"].split()[1], "family_name": p["family_name"],
           "date_of_birth": p["date_of_birth"], "email": p["email"], "phone": p["phone"],
           "street": p["address"]["street"], "city": p["address"]["city"],
           "state": p["address"]["state"], "postal_code": p["address"]["postal_code"]}
    r = requests.post(svc.url + "/v1/records", json={"records": [rec]}, headers=svc.admin())
    assert r.status_code == 200, r.text


def wait_status(svc, ref, token, done, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = requests.get(svc.url + "/v1/requests/" + ref, headers=auth(token)).json()
        if v["status"] in done:
            return v
        time.sleep(0.2)
    raise AssertionError("status stayed %s" % v["status"])


def test_create_answers_reference_token_and_due_dates(service):
    v = create(service, person("a"))
    assert len(v["reference"]) == 16 and v["reference"][4] == "-"
    assert len(v["token"]) == 64
    today = datetime.date.today()
    assert v["received_at"].startswith(today.isoformat())
    respond_by = datetime.date.fromisoformat(v["respond_by"])
    assert respond_by == today + datetime.timedelta(days=45)
    ack = datetime.date.fromisoformat(v["acknowledge_by"])
    assert today + datetime.timedelta(days=14) <= ack <= today + datetime.timedelta(days=20)
    assert v["level"] == "standard" and v["request_type"] == "know_categories"
    assert isinstance(v["required"], list)
    r = requests.get(service.url + "/v1/requests/" + v["reference"], headers=auth(v["token"]))
    assert r.status_code == 200 and r.json()["reference"] == v["reference"]
    assert "token" not in r.json()


def test_tokens_are_per_case(service):
    a = create(service, person("b"))
    b = create(service, person("c"))
    url = service.url + "/v1/requests/" + a["reference"]
    assert_problem(requests.get(url), 401, "unauthorized")
    assert_problem(requests.get(url, headers=auth(b["token"])), 401, "unauthorized")
    assert_problem(requests.get(url, headers=auth("0" * 64)), 401, "unauthorized")
    assert requests.get(url, headers=service.admin()).status_code == 200
    # an unknown reference answers like a bad token: references cannot be probed
    assert_problem(requests.get(service.url + "/v1/requests/AAAA-BBBB-CCCC-D",
                                headers=auth(a["token"])), 401, "unauthorized")
    # the admin cannot upload or sign in the consumer's place
    r = requests.post(url + "/declaration", json={}, headers=service.admin())
    assert_problem(r, 403, "forbidden")


def test_create_validation(service):
    url = service.url + "/v1/requests"
    cases = [
        ({"request_type": "sell"}, "request_type must be one of"),
        ({"request_type": "know_categories"}, "claims are required"),
        ({"request_type": "know_categories", "claims": {"given_names": "A"}},
         "claims.family_name"),
        ({"request_type": "know_categories", "claims": dict(person("d"), date_of_birth="1971-02-30")},
         "claims.date_of_birth"),
        ({"request_type": "know_categories", "claims": dict(person("d"), email="nope")},
         "claims.email"),
        ({"request_type": "know_categories", "claims": dict(person("d"), ssn="123")},
         "unknown field 'ssn'"),
        ({"request_type": "know_categories", "claims": person("d"), "level": "max"},
         "level must be"),
        ({"request_type": "know_categories", "claims": person("d"),
          "requester": {"role": "neighbour"}}, "requester.role"),
    ]
    for body, want in cases:
        r = requests.post(url, json=body)
        p = assert_problem(r, 422, "invalid")
        assert want in p["detail"], (body, p)
        assert MARK not in p["detail"]


def test_opt_out_needs_no_verification(service):
    v = create(service, {}, request_type="opt_out")
    assert v["status"] == "no_verification_needed" and v["required"] == []
    r = requests.post(service.url + "/v1/requests/%s/documents" % v["reference"],
                      files={"file": ("a.png", png_with_text("x"))}, data={"kind": "government_id"},
                      headers=auth(v["token"]))
    assert_problem(r, 409, "invalid-state")


def test_document_upload_validation(service):
    v = create(service, person("e"), request_type="know_specific")
    url = service.url + "/v1/requests/%s/documents" % v["reference"]
    h = auth(v["token"])
    r = requests.post(url, data=b"{}", headers=dict(h, **{"Content-Type": "application/json"}))
    assert_problem(r, 415, "unsupported-media-type")
    r = requests.post(url, files={"file": ("a.png", png_with_text("x"))}, data={"kind": "selfie"},
                      headers=h)
    assert "kind must be" in assert_problem(r, 422, "invalid")["detail"]
    r = requests.post(url, data={"kind": "government_id"}, files={"x": ("", b"")}, headers=h)
    assert r.status_code == 422
    r = requests.post(url, files={"file": ("a.png", png_with_text("x"))},
                      data={"kind": "government_id"}, headers=h)
    assert r.status_code == 202, r.text
    d = r.json()
    assert d["status"] == "queued" and d["files"] == 1 and d["id"].startswith("D")
    assert r.headers["Location"] == "/v1/requests/" + v["reference"]
    view = wait_status(service, v["reference"], v["token"],
                       {"awaiting_evidence", "processing", "manual_review", "not_verified",
                        "verified"})
    docs = view["documents"]
    assert docs and docs[0]["id"] == d["id"] and docs[0]["kind"] == "government_id"


def test_declaration(service):
    v = create(service, person("f"), request_type="know_specific")
    assert v["level"] == "heightened"
    st = requests.get(service.url + "/v1/declaration-statement").json()
    assert "penalty of perjury" in st["text"]
    url = service.url + "/v1/requests/%s/declaration" % v["reference"]
    h = auth(v["token"])
    p = assert_problem(requests.post(url, json={"typed_name": "Ann", "statement_version":
                                                st["version"], "consent": True}, headers=h),
                       422, "invalid")
    assert "full name" in p["detail"]
    assert_problem(requests.post(url, json={"typed_name": "Ann Lee", "statement_version": "old",
                                            "consent": True}, headers=h), 422, "invalid")
    assert_problem(requests.post(url, json={"typed_name": "Ann Lee", "statement_version":
                                            st["version"], "consent": False}, headers=h),
                   422, "invalid")
    r = requests.post(url, json={"typed_name": "Ann " + MARK + "f Lee" + MARK + "f",
                                 "statement_version": st["version"], "consent": True}, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["declaration"]["statement_version"] == st["version"]
    assert "declaration" not in r.json()["required"]


def test_extension_rules(service):
    v = create(service, person("g"))
    url = service.url + "/v1/requests/%s/extend" % v["reference"]
    received = datetime.date.fromisoformat(v["received_at"][:10])
    assert_problem(requests.post(url, json={"reason": "x"}, headers=service.admin()), 422, "invalid")
    too_far = (received + datetime.timedelta(days=91)).isoformat()
    assert_problem(requests.post(url, json={"reason": "volume of records", "respond_by": too_far},
                                 headers=service.admin()), 422, "extension-refused")
    assert_problem(requests.post(url, json={"reason": "volume of records"}, headers=auth(v["token"])),
                   403, "forbidden")
    r = requests.post(url, json={"reason": "volume of records to search"}, headers=service.admin())
    assert r.status_code == 200, r.text
    assert r.json()["respond_by"] == (received + datetime.timedelta(days=90)).isoformat()
    assert r.json()["extended"] is True
    assert_problem(requests.post(url, json={"reason": "once more please"}, headers=service.admin()),
                   409, "extension-refused")


def test_withdraw_purges(service):
    v = create(service, person("h"))
    r = requests.post(service.url + "/v1/requests/%s/withdraw" % v["reference"],
                      headers=auth(v["token"]))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "closed" and body["closed"]["response"] == "withdrawn"
    assert body["purged_at"] is not None
    r = requests.post(service.url + "/v1/requests/%s/withdraw" % v["reference"],
                      headers=auth(v["token"]))
    assert_problem(r, 409, "invalid-state")


def test_close_rules(service):
    v = create(service, person("i"), request_type="delete")
    url = service.url + "/v1/requests/%s/close" % v["reference"]
    a = service.admin()
    assert_problem(requests.post(url, json={"response": "done"}, headers=a), 422, "invalid")
    assert_problem(requests.post(url, json={"response": "denied"}, headers=a), 422, "invalid")
    assert_problem(requests.post(url, json={"response": "fulfilled", "denial_basis": "other"},
                                 headers=a), 422, "invalid")
    if v["status"] != "verified":
        assert_problem(requests.post(url, json={"response": "fulfilled"}, headers=a), 409,
                       "not-verified")
    r = requests.post(url, json={"response": "denied", "denial_basis": "not_verified"}, headers=a)
    assert r.status_code == 200, r.text
    assert r.json()["closed"] == {"at": r.json()["closed"]["at"], "response": "denied",
                                  "denial_basis": "not_verified"}


def test_request_log_and_metrics(service):
    a = create(service, person("j"))
    b = create(service, person("k"), request_type="delete")
    requests.post(service.url + "/v1/requests/%s/close" % b["reference"],
                  json={"response": "denied", "denial_basis": "not_verified"},
                  headers=service.admin())
    r = requests.get(service.url + "/v1/request-records", headers=service.admin())
    assert r.status_code == 200
    recs = {x["reference"]: x for x in r.json()["records"]}
    assert recs[a["reference"]]["request_type"] == "know_categories"
    assert recs[a["reference"]]["channel"] == "web"
    assert recs[b["reference"]]["response"] == "denied"
    assert recs[b["reference"]]["denial_basis"] == "not_verified"
    assert recs[b["reference"]]["purged"] is True
    assert MARK not in r.text
    r = requests.get(service.url + "/v1/request-records?format=csv", headers=service.admin())
    assert r.headers["Content-Type"].startswith("text/csv")
    lines = r.text.splitlines()
    assert lines[0].startswith("reference,received_on,request_type,channel")
    assert any(b["reference"] in line and "denied" in line for line in lines)
    assert_problem(requests.get(service.url + "/v1/request-records"), 401, "unauthorized")
    assert_problem(requests.get(service.url + "/v1/request-records?from=yesterday",
                                headers=service.admin()), 422, "invalid")
    r = requests.get(service.url + "/v1/request-records/metrics", headers=service.admin())
    m = r.json()["by_request_type"]
    assert m["delete"]["received"] >= 1 and m["delete"]["denied"] >= 1
    assert m["delete"]["denied_by_basis"]["not_verified"] >= 1
    assert m["delete"]["median_days_to_respond"] is not None


def test_sigkill_during_upload_leaves_nothing_half_done(data_dir):
    svc = Service(data_dir).start()
    v = create(svc, person("l"))
    s = socket.create_connection(("127.0.0.1", svc.port))
    boundary = "XyZ"
    head = ("POST /v1/requests/%s/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
            "Content-Type: multipart/form-data; boundary=%s\r\nContent-Length: 2000000\r\n\r\n"
            % (v["reference"], v["token"], boundary)).encode()
    s.sendall(head + b"--XyZ\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ngovernment_id"
              + b"\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n"
              + b"\x89PNG" + b"\0" * 100000)
    time.sleep(0.3)
    svc.proc.send_signal(signal.SIGKILL)
    svc.proc.wait()
    svc.proc = None
    svc.log.close()
    s.close()
    svc2 = Service(data_dir).start()
    try:
        r = requests.get(svc2.url + "/v1/requests/" + v["reference"], headers=auth(v["token"]))
        assert r.status_code == 200
        assert r.json()["documents"] == []  # no half-written document
        r = requests.post(svc2.url + "/v1/requests/%s/documents" % v["reference"],
                          files={"file": ("a.png", png_with_text("y"))},
                          data={"kind": "government_id"}, headers=auth(v["token"]))
        assert r.status_code == 202  # and the case continues
    finally:
        assert svc2.stop() == 0
    if BACKEND == "sqlite":
        assert db_rows(data_dir, "PRAGMA integrity_check") == ["ok"]
    assert db_rows(data_dir, "SELECT count(*) FROM documents "
                             "WHERE case_id NOT IN (SELECT id FROM cases)") == ["0"]


def scan_for(paths, markers):
    """Every marker found in clear (UTF-8, UTF-16LE, UTF-16BE) in any of the files."""
    found = []
    for path in paths:
        with open(path, "rb") as f:
            blob = f.read()
        for m in markers:
            for enc in ("utf-8", "utf-16-le", "utf-16-be"):
                if m.encode(enc) in blob:
                    found.append((os.path.basename(path), m, enc))
    return found


def test_closing_deletes_new_data_for_real(data_dir):
    svc = Service(data_dir).start()
    try:
        p = person("z")
        load_record(svc, "MARKREC1", p)
        v = create(svc, p)
        assert v["status"] == "verified", v
        assert v["outcome"]["result"] == "verified" and v["outcome"]["level"] == "standard"
        assert v["outcome"]["model"].startswith("standard ")
        assert "record" not in str(v["outcome"]).lower() or "MARKREC1" not in str(v)
        ref, token = v["reference"], v["token"]
        # a document whose pixels and text carry the markers
        doc = png_with_text("%s document %s" % (p["family_name"], p["address"]["street"]))
        r = requests.post(svc.url + "/v1/requests/%s/documents" % ref,
                          files={"file": ("scan.png", doc)}, data={"kind": "proof_of_residence"},
                          headers=auth(token))
        assert r.status_code == 202
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            view = requests.get(svc.url + "/v1/requests/" + ref, headers=auth(token)).json()
            if all(f["status"] not in ("queued", "processing")
                   for d in view["documents"] for f in d["files"]):
                break
            time.sleep(0.2)
        st = requests.get(svc.url + "/v1/declaration-statement").json()
        typed = "%s %s" % (p["given_names"], p["family_name"])
        r = requests.post(svc.url + "/v1/requests/%s/declaration" % ref,
                          json={"typed_name": typed, "statement_version": st["version"],
                                "consent": True}, headers=auth(token))
        assert r.status_code == 200
        # before closing, the data is there (sealed): the scan must still find nothing in clear
        markers = [MARK + "z", p["email"], p["address"]["street"], p["family_name"]]
        files = [f for f in glob.glob(os.path.join(data_dir, "*")) if os.path.isfile(f)]
        assert scan_for(files, markers) == []
        r = requests.post(svc.url + "/v1/requests/%s/close" % ref,
                          json={"response": "fulfilled"}, headers=svc.admin())
        assert r.status_code == 200, r.text
        closed = r.json()
        assert closed["status"] == "closed" and closed["purged_at"] is not None
        assert closed["documents"] == []
        # the request record and the declaration stay
        recs = requests.get(svc.url + "/v1/request-records", headers=svc.admin()).json()["records"]
        rec = [x for x in recs if x["reference"] == ref][0]
        assert rec["response"] == "fulfilled" and rec["purged"] is True
        assert closed["declaration"]["statement_version"] == st["version"]
    finally:
        assert svc.stop() == 0
    # the data directory and the whole database: on PostgreSQL every file of the cluster
    # (tables, indexes, WAL, once checkpointed) and the server's own log
    files = [f for f in glob.glob(os.path.join(data_dir, "**", "*"), recursive=True)
             if os.path.isfile(f)] + database_files(data_dir)
    assert any(f.endswith("idverify.db") for f in files) or BACKEND == "postgresql"
    assert any("pg_wal" in f for f in files) or BACKEND == "sqlite"
    assert scan_for(files, markers) == []
    assert scan_for([svc.log_path], markers) == [], "personal data in the service log"
    if BACKEND == "postgresql":
        assert scan_for([pg().log_path], markers) == [], "personal data in PostgreSQL's log"
    # positive controls: the scan does see what is stored in clear on purpose
    assert scan_for(files, [ref]), "the request record (reference) should be in the database"
    assert scan_for([svc.log_path], ["case.purged"])
    # the case key is gone, and with it every sealed blob of the case
    assert db_rows(data_dir, "SELECT wrapped_key IS NULL, claims_sealed IS NULL, "
                             "decision_sealed IS NULL, (SELECT count(*) FROM documents) "
                             "FROM cases WHERE reference='%s'" % ref) == ["1|1|1|0"]
    assert db_rows(data_dir, "SELECT count(*) FROM declarations") == ["1"]


def test_third_access_request_in_12_months_is_refused(service):
    p = person("y")
    load_record(service, "MARKREC2", p)
    for i in range(2):
        v = create(service, p)
        assert v["status"] == "verified"
        r = requests.post(service.url + "/v1/requests/%s/close" % v["reference"],
                          json={"response": "fulfilled"}, headers=service.admin())
        assert r.status_code == 200
    v = create(service, p)
    assert v["status"] == "refused", v
    assert "reasons" not in v["outcome"]  # the requester is told in words only
    full = requests.get(service.url + "/v1/requests/" + v["reference"],
                        headers=service.admin()).json()
    codes = [x["code"] for x in full["outcome"]["reasons"]]
    assert "access_limit_reached" in codes
    # a delete request by the same consumer is not an access request: not limited
    d = create(service, p, request_type="delete")
    assert d["status"] == "verified"
    r = requests.post(service.url + "/v1/requests/%s/close" % v["reference"],
                      json={"response": "fulfilled"}, headers=service.admin())
    assert_problem(r, 409, "not-verified")


def test_configured_30_day_promise(data_dir):
    svc = Service(data_dir, extra_args=["--respond-days", "30"]).start()
    try:
        v = create(svc, person("m"))
        received = datetime.date.fromisoformat(v["received_at"][:10])
        assert v["respond_by"] == (received + datetime.timedelta(days=30)).isoformat()
    finally:
        assert svc.stop() == 0


def test_example_policy_clock_and_access_limit_under_serve(data_dir):
    """models/examples/leantaas under serve (issue 17): 30 days from the policy, not a flag; an
    extension to 90; no access limit in its procedure, so a third request to know is answered
    (the default models refuse it, test_third_access_request_in_12_months_is_refused)."""
    models = os.path.join(SOURCE_ROOT, "models", "examples", "leantaas")
    svc = Service(data_dir, extra_args=["--models", models]).start()
    try:
        p = person("lt")
        load_record(svc, "MARKRECLT", p)
        for i in range(3):
            v = create(svc, p)
            assert v["status"] == "verified", v
            received = datetime.date.fromisoformat(v["received_at"][:10])
            assert v["respond_by"] == (received + datetime.timedelta(days=30)).isoformat()
            if i < 2:
                r = requests.post(svc.url + "/v1/requests/%s/close" % v["reference"],
                                  json={"response": "fulfilled"}, headers=svc.admin())
                assert r.status_code == 200, r.text
        r = requests.post(svc.url + "/v1/requests/%s/extend" % v["reference"],
                          json={"reason": "records held by two systems"}, headers=svc.admin())
        assert r.status_code == 200, r.text
        assert r.json()["respond_by"] == (received + datetime.timedelta(days=90)).isoformat()
    finally:
        assert svc.stop() == 0


def sql(data_dir, statement):
    return "\n".join(db_rows(data_dir, statement))


def test_sweep_closes_abandoned_purges_and_trims_old_records(data_dir):
    from conftest import run_cli
    svc = Service(data_dir).start()
    try:
        stale = create(svc, person("n"), request_type="know_specific")
        fresh = create(svc, person("o"), request_type="know_specific")
        old = create(svc, person("p"))
        requests.post(svc.url + "/v1/requests/%s/withdraw" % old["reference"],
                      headers=auth(old["token"]))
    finally:
        assert svc.stop() == 0
    now = int(time.time())
    sql(data_dir, "UPDATE cases SET updated_at = %d WHERE reference = '%s'"
        % (now - 40 * 86400, stale["reference"]))
    sql(data_dir, "UPDATE cases SET closed_at = %d WHERE reference = '%s'"
        % (now - 3 * 366 * 86400, old["reference"]))
    r = run_cli("sweep", "--data-dir", data_dir)
    assert r.returncode == 0, r.stderr
    import json
    rep = json.loads(r.stdout)
    assert rep == {"abandoned": 1, "purged": 1, "records_deleted": 1}, rep
    rows = sql(data_dir, "SELECT reference, status, response, denial_basis, purged_at IS NOT NULL, "
                         "wrapped_key IS NULL FROM cases ORDER BY id")
    lines = rows.splitlines()
    assert len(lines) == 2  # the 3-year-old record is gone
    assert lines[0] == "%s|closed|denied|abandoned|1|1" % stale["reference"]
    assert lines[1].startswith(fresh["reference"] + "|awaiting_evidence|")


def test_delete_level_follows_the_data_classes(service):
    assert create(service, person("q"), request_type="delete",
                  data_classes=["purchase_history"])["level"] == "standard"
    assert create(service, person("r"), request_type="delete",
                  data_classes=["purchase_history", "contact_information"])["level"] == "heightened"
    assert create(service, person("s"), request_type="correct",
                  data_classes=["not_in_the_policy"])["level"] == "heightened"
    r = requests.post(service.url + "/v1/requests",
                      json={"request_type": "delete", "claims": person("t"), "data_classes": "all"})
    assert "data_classes" in assert_problem(r, 422, "invalid")["detail"]
