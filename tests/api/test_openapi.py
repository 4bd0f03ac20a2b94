# SPDX-License-Identifier: Apache-2.0
"""GET /openapi.json: an OpenAPI 3.1 document generated from the route table. Every route is in
it with its description (a route added without one fails here), nothing else is, and the
answers the service gives validate against it (python3-jsonschema from Debian): here a tour of
the routes, and in conftest.py every answer any API test receives.""" 
import json

import pytest
import requests

from conftest import ADMIN_KEY, assert_problem, openapi_document, openapi_problems, run_cli

try:
    import jsonschema
except ImportError:  # the package list installs it; without it only the validation skips
    jsonschema = None


def test_every_route_is_described(service):
    doc = requests.get(service.url + "/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    table = json.loads(run_cli("routes").stdout)
    want = {(r["method"].lower(), r["pattern"]) for r in table}
    have = {(m, p) for p, item in doc["paths"].items() for m in item}
    assert have == want, (want - have, have - want)
    undocumented = [(m, p) for p, item in doc["paths"].items() for m, op in item.items()
                    if op.get("x-idverify-undocumented")]
    assert undocumented == [], "routes without a description in api_openapi.c: %s" % undocumented
    for r in table:
        op = doc["paths"][r["pattern"]][r["method"].lower()]
        # roles as security schemes; public routes may be called without credentials
        schemes = {k for s in op["security"] for k in s}
        assert schemes == {x for x in r["roles"] if x != "public"}, (r, op["security"])
        assert ({} in op["security"]) == ("public" in r["roles"])
        for s in schemes:
            assert doc["components"]["securitySchemes"][s]["scheme"] == "bearer"
        params = {p["name"] for p in op["parameters"]}
        assert params == {seg[1:-1] for seg in r["pattern"].split("/") if seg.startswith("{")}
        assert "default" in op["responses"]


def check(doc, method, pattern, resp):
    """resp is what the document says pattern answers (conftest.openapi_problems, which also
    checks every other answer every API test sees)."""
    assert resp.request.path_url.split("?")[0] == pattern or "{" in pattern
    problems = openapi_problems(doc, method, resp.request.path_url.split("?")[0], resp)
    assert problems == [], problems


@pytest.mark.skipif(jsonschema is None, reason="python3-jsonschema is not installed")
def test_answers_validate_against_the_document(service):
    doc = openapi_document(service.url)
    s, admin = requests.Session(), {"Authorization": "Bearer " + ADMIN_KEY}
    u = service.url
    for path in ("/healthz", "/readyz", "/openapi.json", "/v1/intake",
                 "/v1/declaration-statement", "/"):
        check(doc, "get", path, s.get(u + path))
    check(doc, "get", "/metrics", s.get(u + "/metrics"))
    r = s.post(u + "/v1/requests", json={"request_type": "know_categories", "channel": "web",
                                           "claims": {"given_names": "Ann", "family_name": "Lee",
                                                      "email": "ann.oa@example.com"}})
    check(doc, "post", "/v1/requests", r)
    ref, tok = r.json()["reference"], r.json()["token"]
    check(doc, "get", "/v1/requests/{reference}",
          s.get(u + "/v1/requests/" + ref, headers={"Authorization": "Bearer " + tok}))
    check(doc, "get", "/v1/requests/{reference}", s.get(u + "/v1/requests/" + ref,
                                                        headers=admin))
    # problems: every type seen is one the document lists
    for method, pattern, resp in (
            ("get", "/v1/requests/{reference}", s.get(u + "/v1/requests/" + ref)),
            ("get", "/v1/requests/{reference}", s.get(u + "/v1/requests/NOPE-NOPE-NOPE-N",
                                                      headers=admin)),
            ("post", "/v1/requests", s.post(u + "/v1/requests", data="{",
                                            headers={"Content-Type": "application/json"})),
            ("post", "/v1/requests", s.post(u + "/v1/requests", json={"request_type": "x"})),
            ("post", "/v1/platforms/fides/pre-approval",
             s.post(u + "/v1/platforms/fides/pre-approval", json={})),
            ("get", "/v1/request-records", s.get(u + "/v1/request-records"))):
        assert resp.status_code >= 400
        check(doc, method, pattern, resp)
    assert_problem(s.get(u + "/v1/requests/" + ref), 401, "unauthorized")


@pytest.mark.skipif(jsonschema is None, reason="python3-jsonschema is not installed")
def test_the_conformance_check_can_fail(service):
    """The check every API test's answers go through reports what the document does not say."""
    doc = openapi_document(service.url)
    good = requests.get(service.url + "/healthz")
    assert openapi_problems(doc, "get", "/healthz", good) == []

    def forged(status, ctype, body):
        r = requests.models.Response()
        r.status_code, r._content = status, json.dumps(body).encode()
        r.headers["Content-Type"] = ctype
        r.request = good.request
        return r
    # an unlisted success, an unlisted problem type, a body off its schema, a wrong media type
    assert openapi_problems(doc, "get", "/healthz", forged(201, "application/json", {}))
    assert openapi_problems(doc, "get", "/healthz", forged(
        400, "application/problem+json",
        {"type": "urn:idverify:problem:made-up", "title": "x", "status": 400, "detail": "x"}))
    assert openapi_problems(doc, "get", "/healthz", forged(200, "application/json",
                                                           {"status": "sick"}))
    assert openapi_problems(doc, "get", "/healthz", forged(200, "text/html", {}))
    # a path no route has, answered with a success
    assert openapi_problems(doc, "get", "/v1/nowhere", forged(200, "application/json", {}))
