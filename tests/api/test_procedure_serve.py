# SPDX-License-Identifier: Apache-2.0
"""The business's procedure (policy.json "procedure", issue 17) enforced by serve, not only by
`verify`: which proofs of an agent's authority count (agent_proofs: the consumer's signed
permission, a Secretary of State registration, a power of attorney, as each example in
models/examples requires), and what is never disclosed (never_disclose: no answer of any route
carries such a field in clear)."""
import json
import os
import shutil

import requests

from conftest import SOURCE_ROOT, Service, assert_problem
from test_access import bearer, make_key
from test_cases import png_with_text, wait_status
from test_reviews import standard_review_case

EXAMPLES = os.path.join(SOURCE_ROOT, "models", "examples")


def agent_request(svc, tag):
    r = requests.post(svc.url + "/v1/requests", json={
        "request_type": "know_categories", "channel": "web",
        "requester": {"role": "authorized_agent"},
        "claims": {"given_names": "Aga", "family_name": "Agent" + tag,
                   "email": "aga.%s@example.com" % tag}})
    assert r.status_code == 201, r.text
    return r.json()["reference"], r.json()["token"]


def required(svc, ref, token):
    v = requests.get(svc.url + "/v1/requests/" + ref, headers=bearer(token)).json()
    return v["required"]


def send(svc, ref, token, kind):
    r = requests.post(svc.url + "/v1/requests/%s/documents" % ref, headers=bearer(token),
                      data={"kind": kind}, files={"file": ("p.png", png_with_text(kind))})
    assert r.status_code == 202, r.text


def test_agent_proofs_per_procedure(data_dir):
    """Confero (models/examples/confero/README.md) takes an agent registered with the Secretary
    of State, or a power of attorney, never a signed permission alone; Client Connect takes the
    signed permission. What the form asks for and what a case waits for follow."""
    svc = Service(data_dir, ["--models", os.path.join(EXAMPLES, "confero")]).start()
    try:
        assert requests.get(svc.url + "/v1/intake").json()["agent_proofs"] == [
            "power_of_attorney", "secretary_of_state_registration"]
        ref, tok = agent_request(svc, "c1")
        need = required(svc, ref, tok)
        assert "agent_registration" in need and "agent_permission" not in need, need
        send(svc, ref, tok, "agent_permission")  # does not count under this procedure
        assert "agent_registration" in required(svc, ref, tok)
        send(svc, ref, tok, "agent_registration")
        need = required(svc, ref, tok)
        assert "agent_registration" not in need, need
        assert "consumer_confirmation_or_verification" in need, need  # R24 still holds
        # a power of attorney (R25) is always accepted: a person decides, nothing else waits
        ref2, tok2 = agent_request(svc, "c2")
        send(svc, ref2, tok2, "power_of_attorney")
        v = wait_status(svc, ref2, tok2, ("manual_review",), timeout=180)
        assert v["required"] == [], v
        reasons = requests.get(svc.url + "/v1/requests/" + ref2,
                               headers=svc.admin()).json()["outcome"]["reasons"]
        assert "power_of_attorney" in [x["code"] for x in reasons], reasons
    finally:
        assert svc.stop() == 0
    svc = Service(data_dir, ["--models", os.path.join(EXAMPLES, "client_connect")]).start()
    try:
        assert "signed_permission" in requests.get(svc.url + "/v1/intake").json()["agent_proofs"]
        ref, tok = agent_request(svc, "k1")
        need = required(svc, ref, tok)
        assert "agent_permission" in need and "agent_registration" not in need, need
        send(svc, ref, tok, "agent_permission")
        assert "agent_permission" not in required(svc, ref, tok)
    finally:
        assert svc.stop() == 0


def test_agent_directory_registration_is_checked(data_dir):
    """A directory entry's secretary_of_state_registration must be a short string."""
    path = os.path.join(os.path.dirname(data_dir), "agents.json")
    with open(path, "w") as f:
        json.dump({"agents": [{"id": "REG_AGENT", "verify_key": "A" * 43 + "=",
                               "secretary_of_state_registration": 12}]}, f)
    svc = Service(data_dir, ["--agent-directory", path, "--business-id", "B1"])
    try:
        svc.start()
        raise AssertionError("serve started with a bad registration")
    except RuntimeError as e:
        assert "secretary_of_state_registration" in str(e), e
    finally:
        svc.stop()


def test_never_disclosed_fields_are_never_answered(data_dir, tmp_path):
    """A procedure that adds date_of_birth to never_disclose: the reviewer's view masks it
    whole and a reveal is refused, as a reveal of any document number always is (R36); no
    answer the test sees carries the dates in clear."""
    models = tmp_path / "models"
    shutil.copytree(os.path.join(SOURCE_ROOT, "models"), models, symlinks=True)
    pol = json.loads((models / "policy.json").read_text())
    with open(os.path.join(EXAMPLES, "the_company", "policy.json")) as f:
        pol["procedure"] = json.load(f)["procedure"]
    proc = pol["procedure"]
    proc["never_disclose"] = ["social_security_number", "document_number",
                              "financial_account_number", "health_insurance_number",
                              "account_password", "security_answers", "biometric_data",
                              "date_of_birth"]
    (models / "policy.json").write_text(json.dumps(pol))
    svc = Service(data_dir, ["--models", str(models)]).start()
    seen = []
    s = requests.Session()
    s.hooks["response"].append(lambda r, *a, **k: seen.append(r.text))
    try:
        reviewer = bearer(make_key(data_dir, "reviewer", "never-disclose reviewer"))
        v = standard_review_case(svc, "nd")
        ref = v["reference"]
        url = svc.url + "/v1/reviews/" + ref
        assert s.post(url + "/claim", headers=reviewer).status_code == 200
        view = s.get(url, headers=reviewer).json()
        comp = {c["field"]: c for c in view["comparison"]}
        assert comp["date_of_birth"]["claim"] == "***" and comp["date_of_birth"]["record"] == "***"
        assert comp["email"]["claim"] == "r***@example.com"  # what is not listed shows masked
        purpose = "compare the typed date with the record"
        for field in ("claims.date_of_birth", "record.date_of_birth",
                      "document.D0123456789abcdef.0.document_number"):
            body = assert_problem(s.post(url + "/reveal", headers=reviewer,
                                         json={"field": field, "purpose": purpose}),
                                  403, "forbidden")
            assert "never discloses" in body["detail"]
        assert s.post(url + "/reveal", headers=reviewer,
                      json={"field": "claims.email", "purpose": purpose}).status_code == 200
        s.get(svc.url + "/v1/requests/" + ref, headers=svc.admin())
        s.get(svc.url + "/v1/requests/" + ref, headers=bearer(v["token"]))
        s.get(svc.url + "/v1/request-records", headers=svc.admin())
        text = "\n".join(seen)
        assert "1971-04-03" not in text and "1971-03-04" not in text
        assert "1971-" not in text  # not even the year
    finally:
        assert svc.stop() == 0


def test_document_numbers_are_never_revealed_by_default(service, data_dir):
    """Under the default procedure (R36 kinds only) a document number cannot be revealed,
    while the date of birth, which R36 does not list, can (test_reviews)."""
    reviewer = bearer(make_key(data_dir, "reviewer", "default reviewer"))
    v = standard_review_case(service, "dn")
    url = service.url + "/v1/reviews/" + v["reference"]
    assert requests.post(url + "/claim", headers=reviewer).status_code == 200
    for field in ("document.D0.0.document_number", "record.ssn"):
        assert_problem(requests.post(url + "/reveal", headers=reviewer, json={
            "field": field, "purpose": "check which card this is"}), 403, "forbidden")
