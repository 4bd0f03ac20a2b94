# SPDX-License-Identifier: Apache-2.0
"""Probing the customer records through anonymous requests (issue 19, finding 1): the requester
is told the outcome in words only, never which field matched, how many records are candidates
or why a point did not count; attempts against one name or one record are throttled, and the
lockout sends the case to a reviewer with an audit entry, whether or not the record exists."""
import datetime
import json
import os
import re
import shutil
import subprocess
import uuid

import pytest
import requests

from conftest import Service, database_files, db_rows, run_cli
from test_access import audit_rows, bearer

TAG = uuid.uuid4().hex[:6].upper()
LIMIT = 5  # attempts per name or record in 30 days (models/policy.json "attempts")

# Words that only a per-field or per-record explanation would contain.
LEAKS = re.compile(r"reason|candidate|no_match|counted|points|closest|differs|matched|record",
                   re.I)


def customer(tag):
    return {"given_names": "Petra", "family_name": "Probe" + TAG + tag,
            "date_of_birth": "1968-07-21", "email": "petra.%s%s@example.com" % (TAG, tag),
            "phone": "+14155550123",
            "address": {"street": "9 Quiet Ln", "city": "Davis", "state": "CA",
                        "postal_code": "95616"}}


def load(svc, rid, p):
    rec = {"id": rid, "given_name": p["given_names"], "family_name": p["family_name"],
           "date_of_birth": p["date_of_birth"], "email": p["email"], "phone": p["phone"],
           "street": p["address"]["street"], "city": p["address"]["city"],
           "state": p["address"]["state"], "postal_code": p["address"]["postal_code"]}
    r = requests.post(svc.url + "/v1/records", json={"records": [rec]}, headers=svc.admin())
    assert r.status_code == 200, r.text


def guess(svc, claims):
    r = requests.post(svc.url + "/v1/requests",
                      json={"request_type": "know_categories", "claims": claims})
    assert r.status_code == 201, r.text
    return r


def shape(v):
    """What a requester's answer says, less what differs for every request anyway."""
    v = dict(v)
    for k in ("reference", "token", "received_at", "acknowledge_by", "respond_by"):
        v.pop(k, None)
    if v.get("outcome"):
        v["outcome"] = dict(v["outcome"])
        v["outcome"].pop("decided_at")
    return v


def assert_no_leak(text):
    assert not LEAKS.search(text), text


def dob_guesses(n):
    # Guesses around the right date, never a day-month swap of it.
    start = datetime.date(1968, 7, 10)
    return [(start + datetime.timedelta(days=i)).isoformat() for i in range(n)]


def run_guesses(svc, name, dobs):
    """The attack: a name known, the date of birth guessed (no other field)."""
    answers = []
    for dob in dobs:
        r = guess(svc, {"given_names": name["given_names"],
                        "family_name": name["family_name"], "date_of_birth": dob})
        assert_no_leak(r.text)
        v = r.json()
        # The case token reads the same answer, with no more in it.
        g = requests.get(svc.url + "/v1/requests/" + v["reference"], headers=bearer(v["token"]))
        assert g.status_code == 200, g.text
        assert_no_leak(g.text)
        assert shape(g.json()) == shape(v)
        answers.append((r.status_code, sorted(r.headers.keys() - {"Date", "Location"}),
                        shape(v), v["reference"]))
    return answers


def test_guessing_a_date_of_birth_gives_no_signal_and_locks(service, data_dir):
    p = customer("a")
    load(service, "PROBE-A", p)
    dobs = dob_guesses(LIMIT + 3)
    right = 3
    dobs[right] = p["date_of_birth"]  # the right date is among the guesses
    answers = run_guesses(service, p, dobs)
    statuses = [a[2]["status"] for a in answers]
    # Before the lockout every guess, the right one included, gets the same answer.
    first = answers[0][:3]
    for a in answers[:LIMIT]:
        assert a[:3] == first, (a, first)
    assert statuses[:LIMIT] == ["not_verified"] * LIMIT
    assert answers[0][2]["message"] == "we could not verify you"
    assert "reasons" not in answers[0][2]["outcome"]
    # Then a person decides: the answer says so, and says nothing else.
    assert statuses[LIMIT:] == ["manual_review"] * 3, statuses
    assert answers[LIMIT][2]["message"] == "a person is checking your request"
    # Even the full, right details do not get through a lock: no late "verified" signal.
    r = guess(service, p)
    assert r.json()["status"] == "manual_review", r.text
    # The lockout is in the audit trail (no personal data in it), once per new lock.
    locked = audit_rows(data_dir, "WHERE event = 'case.attempts_locked'")
    assert [x["case_ref"] for x in locked][:1] == [answers[LIMIT][3]]
    assert '"new_lock":true' in locked[0]["detail"].replace(" ", "")
    assert all(p["family_name"] not in x["detail"] for x in locked)
    # The reviewers and the business see why.
    full = requests.get(service.url + "/v1/requests/" + answers[LIMIT][3],
                        headers=service.admin()).json()
    codes = [x["code"] for x in full["outcome"]["reasons"]]
    assert "too_many_attempts" in codes
    early = requests.get(service.url + "/v1/requests/" + answers[right][3],
                         headers=service.admin()).json()
    assert early["outcome"]["reasons"], early  # the business still has the engine's reasons
    # Counters are keyed hashes: the name is not in the database in clear.
    for name in database_files(data_dir):
        with open(name, "rb") as f:
            assert p["family_name"].encode() not in f.read()


def test_a_name_nobody_has_answers_and_locks_the_same(service):
    """The same attack against a customer and against a name no record has: answer for
    answer the same, lockout at the same attempt."""
    p = customer("b")
    load(service, "PROBE-B", p)
    nobody = customer("nobody")  # no record
    dobs = dob_guesses(LIMIT + 2)
    with_record = run_guesses(service, p, dobs)
    without = run_guesses(service, nobody, dobs)
    assert [a[:3] for a in with_record] == [a[:3] for a in without]
    assert [a[2]["status"] for a in without] == ["not_verified"] * LIMIT + ["manual_review"] * 2


def test_varying_the_name_still_counts_against_the_record(service):
    """Writing the name differently each time opens a new name counter, but every attempt
    whose name matches the same record counts against that record; an attempt under a name
    that matches no record's (the same family name, say) does not lock that record."""
    p = customer("c")
    load(service, "PROBE-C", p)
    other = dict(p, given_names="Quentin")  # same family, other person: the name gate fails
    for i in range(LIMIT + 2):
        assert guess(service, dict(other, given_names="Quentin%s" % "IVX"[i % 3] * (i + 1))
                     ).json()["status"] == "not_verified"
    variants = ["Petra", "Petra M", "Petra Maria", "Petra A", "Petra Ann", "Petra J"]
    statuses = []
    for i, given in enumerate(variants):
        claims = dict(p, given_names=given, date_of_birth="1968-07-%02d" % (1 + i))
        claims.pop("email")
        statuses.append(guess(service, claims).json()["status"])
    assert statuses == ["not_verified"] * LIMIT + ["manual_review"], statuses


def test_lockout_survives_a_restart(data_dir):
    svc = Service(data_dir).start()
    try:
        p = customer("d")
        load(svc, "PROBE-D", p)
        run_guesses(svc, p, dob_guesses(LIMIT))
    finally:
        assert svc.stop() == 0
    svc = Service(data_dir).start()
    try:
        r = guess(svc, {"given_names": p["given_names"], "family_name": p["family_name"],
                        "date_of_birth": "1968-07-01"})
        assert r.json()["status"] == "manual_review", r.text
    finally:
        assert svc.stop() == 0


def test_verified_and_awaiting_evidence_in_words(service):
    p = customer("e")
    load(service, "PROBE-E", p)
    v = guess(service, p).json()
    assert v["status"] == "verified" and v["message"] == "verified", v
    assert "reasons" not in v["outcome"]
    assert_no_leak(guess(service, p).text)
    r = requests.post(service.url + "/v1/requests",
                      json={"request_type": "know_specific", "claims": customer("f")})
    assert r.status_code == 201, r.text
    w = r.json()
    assert w["status"] == "awaiting_evidence", w
    assert w["message"].startswith("we need more evidence: "), w
    assert "a government ID" in w["message"]


def sql(data_dir, q):
    return db_rows(data_dir, q)


def test_sweep_forgets_counters_that_ran_out(data_dir):
    svc = Service(data_dir).start()
    try:
        p = customer("g")
        load(svc, "PROBE-G", p)
        run_guesses(svc, p, dob_guesses(LIMIT + 1))  # locked
        run_guesses(svc, customer("h"), dob_guesses(1))  # one attempt, no lock
    finally:
        assert svc.stop() == 0
    before = int(sql(data_dir, "SELECT count(*) FROM attempts")[0])
    assert before >= 3  # two names, one record (and the shared placeholder)
    r = run_cli("sweep", "--data-dir", data_dir)
    assert r.returncode == 0, r.stderr
    assert int(sql(data_dir, "SELECT count(*) FROM attempts")[0]) == before  # all still live
    # 31 days on: the windows are over, the lock (30 days from the lockout) too
    sql(data_dir, "UPDATE attempts SET window_start = window_start - 31*86400, "
                  "locked_until = CASE WHEN locked_until = 0 THEN 0 "
                  "ELSE locked_until - 31*86400 END")
    r = run_cli("sweep", "--data-dir", data_dir)
    assert r.returncode == 0, r.stderr
    assert sql(data_dir, "SELECT count(*) FROM attempts") == ["0"]


def test_the_policy_sets_the_limit(data_dir, tmp_path):
    """The throttle is part of the written policy (models/policy.json "attempts"); a bad one
    is refused at start."""
    models = tmp_path / "models"
    shutil.copytree(os.path.join(os.path.dirname(__file__), "..", "..", "models"), models)
    pol = json.loads((models / "policy.json").read_text())
    pol["attempts"] = {"max_attempts": 2, "window_days": 1, "lockout_days": 1}
    (models / "policy.json").write_text(json.dumps(pol))
    svc = Service(data_dir, ["--models", str(models)]).start()
    try:
        statuses = [a[2]["status"] for a in run_guesses(svc, customer("p"), dob_guesses(3))]
        assert statuses == ["not_verified", "not_verified", "manual_review"], statuses
    finally:
        assert svc.stop() == 0
    pol["attempts"]["max_attempts"] = 0
    (models / "policy.json").write_text(json.dumps(pol))
    with pytest.raises(RuntimeError, match="max_attempts"):
        Service(data_dir, ["--models", str(models)]).start()
