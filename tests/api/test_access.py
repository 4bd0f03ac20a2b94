# SPDX-License-Identifier: Apache-2.0
"""Who may do what: API keys per role, the route table's roles enforced on every route, rate
limits, and the hash-chained audit trail."""
import json
import os
import re
import subprocess
import time

import pytest
import requests

from conftest import (ADMIN_KEY, BACKEND, Service, assert_problem, database_files, db_exec,
                      db_json, run_cli)


def cli(data_dir, *args):
    return run_cli(*args, "--data-dir", data_dir)


def make_key(data_dir, role, name):
    r = cli(data_dir, "keys", "create", "--role", role, "--name", name)
    assert r.returncode == 0, r.stderr
    key = r.stdout.strip()
    assert re.fullmatch(r"idvk_[0-9a-f]{16}_[0-9a-f]{64}", key), key
    return key


def bearer(token):
    return {"Authorization": "Bearer " + token}


def person(tag):
    return {"given_names": "Ann", "family_name": "Keys" + tag, "date_of_birth": "1971-03-04",
            "email": "ann.%s@example.com" % tag, "phone": "+14155550142",
            "address": {"street": "12 Main St", "city": "Oakland", "state": "CA",
                        "postal_code": "94607"}}


def audit_rows(data_dir, where=""):
    return db_json(data_dir, "SELECT seq, actor, event, case_ref, detail FROM audit %s "
                             "ORDER BY seq" % where)


def test_keys_create_list_revoke(service, data_dir):
    admin = make_key(data_dir, "admin", "ops admin")
    reviewer = make_key(data_dir, "reviewer", "rita@example.com")
    url = service.url + "/v1/request-records"
    assert requests.get(url, headers=bearer(admin)).status_code == 200
    assert_problem(requests.get(url, headers=bearer(reviewer)), 403, "forbidden")
    assert_problem(requests.get(url), 401, "unauthorized")
    # a key with one changed character is not a key
    bad = admin[:-1] + ("0" if admin[-1] != "0" else "1")
    assert_problem(requests.get(url, headers=bearer(bad)), 401, "unauthorized")
    # the bootstrap key stays accepted
    assert requests.get(url, headers=bearer(ADMIN_KEY)).status_code == 200
    r = cli(data_dir, "keys", "list")
    assert r.returncode == 0
    keys = [json.loads(line) for line in r.stdout.splitlines()]
    assert {k["role"] for k in keys} == {"admin", "reviewer"}
    assert admin[5:21] in {k["id"] for k in keys}
    assert admin[22:] not in r.stdout and "secret" not in r.stdout
    kid = admin[5:21]
    assert cli(data_dir, "keys", "revoke", kid).returncode == 0
    assert_problem(requests.get(url, headers=bearer(admin)), 401, "unauthorized")
    r = cli(data_dir, "keys", "revoke", kid)
    assert r.returncode != 0 and "revoked already" in r.stderr
    assert cli(data_dir, "keys", "revoke", "0123456789abcdef").returncode != 0
    # refused inputs
    assert cli(data_dir, "keys", "create", "--role", "root", "--name", "x").returncode == 2
    assert cli(data_dir, "keys", "create", "--role", "admin", "--name", "a;b").returncode == 2
    events = [(a["event"], json.loads(a["detail"])) for a in audit_rows(data_dir)]
    assert ("key.created", {"key": kid, "role": "admin"}) in events
    assert ("key.revoked", {"key": kid}) in events
    # only hashes are stored
    for f in database_files(data_dir):
        db = open(f, "rb").read()
        assert admin[22:].encode() not in db and reviewer[22:].encode() not in db


def expand(pattern, values):
    return re.sub(r"\{([a-z_-]+)\}", lambda m: values.get(m.group(1), "XX-unknown"), pattern)


def test_every_route_enforces_its_roles(data_dir):
    """Calls every route of the route table (read from `idverify routes`) with no key, each
    role's key, a case token and an agent's DRP token; no route answers a role it does not
    declare, and every declared role gets past authentication."""
    from test_drp import Agent, claims, drp_args, exercise, key_setup, post_exercise
    agent = Agent("MATRIX_AGENT", os.path.dirname(data_dir))
    service = Service(data_dir, drp_args(data_dir, [agent])).start()
    try:
        routes = json.loads(run_cli("routes").stdout)
        assert len(routes) >= 20
        creds = {
            "admin": ADMIN_KEY,
            "reviewer": make_key(data_dir, "reviewer", "matrix reviewer"),
            "intake": make_key(data_dir, "intake", "matrix intake"),
        }
        admin_key = make_key(data_dir, "admin", "matrix admin")
        v = requests.post(service.url + "/v1/requests",
                          json={"request_type": "know_categories", "claims": person("m")}).json()
        creds["case"] = v["token"]
        creds["agent"] = key_setup(service, agent)
        st = post_exercise(service, agent, exercise(agent)).json()
        values = {"reference": v["reference"], "agent-id": agent.id,
                  "request_id": st["request_id"], "doc": "D0000000000000000.0"}
        checked = 0
        for r in routes:
            path = expand(r["pattern"], values)
            allowed = set(r["roles"])
            calls = [("none", {})] + [(role, bearer(tok)) for role, tok in creds.items()]
            calls.append(("admin", bearer(admin_key)))
            for role, headers in calls:
                headers = dict(headers)
                data = None
                if r["body"] in ("json", "json_optional"):
                    headers["Content-Type"] = "application/json"
                    data = b"[]"  # well-formed but never a valid body: nothing changes
                elif r["body"] == "raw":
                    headers["Content-Type"] = "text/plain"
                    data = b"x"
                if r["method"] == "POST" and r["pattern"] == "/v1/agent/{agent-id}":
                    # key setup answers any failure with 403 (DRP 2.05): send a good body
                    data = agent.sign(claims(agent))
                resp = requests.request(r["method"], service.url + path, headers=headers,
                                        data=data)
                ok = "public" in allowed or role in allowed
                where = "%s %s as %s -> %d %s" % (r["method"], r["pattern"], role,
                                                  resp.status_code, resp.text[:200])
                if ok:
                    assert resp.status_code not in (401, 403), where
                else:
                    assert resp.status_code in (401, 403), where
                    if role == "none":
                        assert resp.status_code == 401, where
                    elif role in ("admin", "reviewer", "intake", "agent"):
                        assert resp.status_code == 403, where
                    if not r["drp"]:
                        assert resp.headers["Content-Type"].startswith(
                            "application/problem+json"), where
                    else:
                        body = resp.json()
                        assert body["code"] == str(resp.status_code) and "message" in body
                checked += 1
        assert checked == len(routes) * (len(creds) + 2)
    finally:
        assert service.stop() == 0


def test_rate_limits_per_ip_and_per_key(data_dir):
    svc = Service(data_dir, ["--rate-per-ip", "1", "--rate-burst-per-ip", "4"]).start()
    try:
        url = svc.url + "/v1/declaration-statement"
        codes = [requests.get(url).status_code for _ in range(6)]
        # the burst is 4, refilled at one a minute: whatever the timing, two are refused
        assert codes.count(200) == 4 and codes.count(429) == 2, codes
        r = requests.get(url)
        assert_problem(r, 429, "rate-limited")
        assert 1 <= int(r.headers["Retry-After"]) <= 60
        # operators' probes are not limited
        assert all(requests.get(svc.url + "/healthz").status_code == 200 for _ in range(10))
    finally:
        assert svc.stop() == 0
    svc = Service(data_dir, ["--rate-per-key", "1", "--rate-burst-per-key", "3"]).start()
    try:
        key = make_key(data_dir, "admin", "limited")
        url = svc.url + "/v1/request-records"
        codes = [requests.get(url, headers=bearer(key)).status_code for _ in range(5)]
        assert codes.count(200) == 3 and codes.count(429) == 2, codes
        # another key has its own bucket
        assert requests.get(url, headers=bearer(ADMIN_KEY)).status_code == 200
    finally:
        assert svc.stop() == 0


def test_audit_trail_chain_and_tamper(service, data_dir):
    v = requests.post(service.url + "/v1/requests",
                      json={"request_type": "delete", "claims": person("a")}).json()
    requests.post(service.url + "/v1/requests/%s/confirm" % v["reference"],
                  headers=bearer(v["token"]))
    requests.post(service.url + "/v1/requests/%s/close" % v["reference"],
                  json={"response": "denied", "denial_basis": "not_verified"},
                  headers=service.admin())
    rows = audit_rows(data_dir)
    events = [(r["actor"], r["event"]) for r in rows if r["case_ref"] == v["reference"]]
    case_actor = "case:" + v["reference"]
    assert (case_actor, "case.created") in events
    assert ("system", "case.decided") in events or v["status"] == "awaiting_evidence"
    assert (case_actor, "delete.confirmed") in events
    assert ("admin", "case.closed") in events
    assert ("system", "case.purged") in events
    # no personal data in the trail
    text = json.dumps(rows)
    for value in person("a").values():
        if isinstance(value, str):
            assert value not in text
    r = run_cli("audit", "verify", "--data-dir", data_dir)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip() == "ok %d entries" % len(rows)
    # the trail refuses changes through the database's own front door
    out = db_exec(data_dir, "UPDATE audit SET event = 'x' WHERE seq = 1;")
    assert out.returncode != 0 and "append-only" in out.stderr
    # change one byte of one entry behind its back
    target = rows[len(rows) // 2]
    edited = target["event"][:-1] + chr(ord(target["event"][-1]) ^ 1)
    drop = ("DROP TRIGGER audit_append_only ON audit;" if BACKEND == "postgresql"
            else "DROP TRIGGER audit_append_only_update;")
    out = db_exec(data_dir, drop + " UPDATE audit SET event = '%s' WHERE seq = %d;"
                  % (edited, target["seq"]))
    assert out.returncode == 0, out.stderr
    r = run_cli("audit", "verify", "--data-dir", data_dir)
    assert r.returncode == 1
    assert "broken at entry %d:" % target["seq"] in r.stdout, r.stdout
