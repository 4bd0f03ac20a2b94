# SPDX-License-Identifier: Apache-2.0
"""English and Spanish (issue 17, 11 CCR 7003): the texts a consumer reads come from one
catalogue file per language, models/messages/LANG.json, never from the code. Every key of one
catalogue is in the other with the same placeholders; every text the pages ask for exists; the
pages, the problems, the declaration and the code e-mail come in the language chosen by
Accept-Language or the page's switch (remembered in a cookie)."""
import email
import email.header
import glob
import json
import os
import re
import time

import requests

from conftest import SOURCE_ROOT, assert_problem
from test_access import audit_rows
from test_codes import code_of, file_request, load, person, serve, smtp  # noqa: F401 (smtp: a fixture)

MESSAGES = os.path.join(SOURCE_ROOT, "models", "messages")
WEB = os.path.join(SOURCE_ROOT, "service", "web")


def catalogue(lang):
    with open(os.path.join(MESSAGES, lang + ".json"), encoding="utf-8") as f:
        return json.load(f)


def placeholders(text):
    return sorted(re.findall(r"\{\{?[a-z_]+\}?\}", text))


def test_every_key_is_in_both_languages():
    en, es = catalogue("en"), catalogue("es")
    assert sorted(set(en) - set(es)) == [], "English keys without a Spanish text"
    assert sorted(set(es) - set(en)) == [], "Spanish keys without an English text"
    for k in en:
        assert en[k].strip() and es[k].strip(), k
        assert placeholders(en[k]) == placeholders(es[k]), (k, en[k], es[k])
    # every language file in the folder is held to the same (the loader refuses it too)
    for path in glob.glob(os.path.join(MESSAGES, "??.json")):
        with open(path, encoding="utf-8") as f:
            assert set(json.load(f)) == set(en), path


def test_every_text_the_pages_use_is_in_the_catalogue():
    en = catalogue("en")
    used = set()
    for path in glob.glob(os.path.join(WEB, "*.html")):
        with open(path, encoding="utf-8") as f:
            used |= {k for k in re.findall(r"\{\{([^@}][^}]*)\}\}", f.read())}
    for name in ("common.js", "intake.js", "status.js"):
        with open(os.path.join(WEB, name), encoding="utf-8") as f:
            src = f.read()
        keys = set(re.findall(r"\bt\(\"([a-z_.-]+)\"", src))
        # keys built from a prefix ("status.outcome." + status): some key has the prefix
        prefixes = {k for k in keys if k.endswith(".")}
        prefixes |= set(re.findall(r"\bt\(`([a-z_.]+)\$\{", src))
        for prefix in prefixes:
            assert any(k.startswith(prefix) for k in en), prefix
        used |= keys - prefixes
    assert used, "no texts found: the pattern is stale"
    assert sorted(used - set(en)) == []

def test_every_problem_type_has_words_for_people(service):
    """Each problem type /openapi.json lists has a title and a detail in the catalogue."""
    en = catalogue("en")
    doc = requests.get(service.url + "/openapi.json").json()
    for t in doc["components"]["schemas"]["Problem"]["properties"]["type"]["enum"]:
        slug = t.rsplit(":", 1)[1]
        assert "problem.%s.title" % slug in en and "problem.%s.detail" % slug in en, slug


def test_no_english_left_in_the_pages_scripts():
    """The consumer's pages' scripts carry no sentences of their own (they come from t())."""
    for name in ("intake.js", "status.js", "common.js"):
        with open(os.path.join(WEB, name), encoding="utf-8") as f:
            src = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S)
        sentences = re.findall(r"[\"`]([A-Z][a-z]+(?: [a-z]+){2,}[^\"`]*)[\"`]", src)
        assert sentences == [], (name, sentences)


def test_pages_and_problems_in_the_chosen_language(service):
    u = service.url
    es, en = catalogue("es"), catalogue("en")
    r = requests.get(u + "/", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert r.status_code == 200 and r.headers["Content-Language"] == "es"
    assert '<html lang="es">' in r.text and "{{" not in r.text
    assert "<title>%s</title>" % es["intake.page_title"] in r.text
    assert 'hreflang="en"' in r.text and 'aria-current="true">Español' in r.text
    assert "Accept-Language" in r.headers["Vary"]
    r = requests.get(u + "/", headers={"Accept-Language": "fr, en;q=0.1"})
    assert '<html lang="en">' in r.text and en["intake.title"] in r.text
    # the switch: ?lang= wins over Accept-Language and is remembered
    s = requests.Session()
    r = s.get(u + "/requests/ABCD-EFGH-JKMN-P?lang=es", headers={"Accept-Language": "en"})
    assert '<html lang="es">' in r.text and es["status.title"] in r.text
    assert "idv_lang=es" in r.headers["Set-Cookie"] and "SameSite=Lax" in r.headers["Set-Cookie"]
    r = s.get(u + "/", headers={"Accept-Language": "en"})
    assert '<html lang="es">' in r.text
    r = s.get(u + "/?lang=en")
    assert '<html lang="en">' in r.text
    # the data block the scripts read: this language's page texts, no e-mails or problems
    m = re.search(r'<script type="application/json" id="idv-messages">(.*?)</script>',
                  requests.get(u + "/?lang=es").text, re.S)
    block = json.loads(m.group(1))
    assert block["intake.send"] == es["intake.send"] and "problem.invalid.title" not in block
    # GET /v1/messages
    r = requests.get(u + "/v1/messages", headers={"Accept-Language": "es"})
    assert r.json()["language"] == "es" and r.json()["messages"] == es
    assert {x["code"]: x["name"] for x in r.json()["languages"]} == {"en": "English",
                                                                    "es": "Español"}
    assert requests.get(u + "/v1/messages?lang=en").json()["messages"] == en
    # problems: in the catalogue's words for a browser's language, the code's for API clients
    body = assert_problem(requests.get(u + "/v1/requests/ABCD-EFGH-JKMN-P",
                                       headers={"Accept-Language": "es"}), 401, "unauthorized")
    assert body["title"] == es["problem.unauthorized.title"]
    assert body["detail"] == es["problem.unauthorized.detail"]
    body = assert_problem(requests.get(u + "/v1/requests/ABCD-EFGH-JKMN-P"), 401,
                          "unauthorized")
    assert body["detail"] != es["problem.unauthorized.detail"]
    r = requests.post(u + "/v1/requests", headers={"Accept-Language": "es"},
                      json={"request_type": "know_categories", "channel": "web",
                            "claims": {"given_names": "Ana", "family_name": "Ruiz",
                                       "email": "not-an-address"}})
    body = assert_problem(r, 422, "invalid")
    assert body["detail"] == es["problem.invalid.detail"] and body["field"] == "claims.email"


def test_declaration_in_spanish_records_its_language(service):
    u = service.url
    es = catalogue("es")
    st = requests.get(u + "/v1/declaration-statement", headers={"Accept-Language": "es"}).json()
    assert st["language"] == "es" and st["text"] == es["declaration.statement"]
    assert requests.get(u + "/v1/declaration-statement").json()["language"] == "en"
    r = requests.post(u + "/v1/requests", json={
        "request_type": "know_specific", "channel": "web",
        "claims": {"given_names": "Ana", "family_name": "Ruiz", "email": "ana.es@example.com"}})
    ref, tok = r.json()["reference"], r.json()["token"]
    r = requests.post(u + "/v1/requests/%s/declaration" % ref,
                      headers={"Authorization": "Bearer " + tok, "Accept-Language": "es"},
                      json={"typed_name": "Ana Ruiz", "statement_version": st["version"],
                            "language": "es", "consent": True})
    assert r.status_code == 200, r.text
    rows = audit_rows(service.data_dir, "WHERE event = 'declaration.signed' AND case_ref = '%s'"
                      % ref)
    assert [json.loads(x["detail"])["language"] for x in rows] == ["es"]


def test_the_code_email_in_the_language_of_the_page(data_dir, smtp):
    """A code asked for from a Spanish page goes out in Spanish; without a language, English."""
    ctl, box = smtp
    svc = serve(data_dir, ctl.port, "--code-resend", "1")
    es, en = catalogue("es"), catalogue("en")
    try:
        p = person("es")
        load(svc, "ES1", p)
        ref, auth, _ = file_request(svc, {"given_names": p["given_names"],
                                          "family_name": p["family_name"], "email": p["email"]})
        r = requests.post(svc.url + "/v1/requests/%s/code" % ref,
                          headers=dict(auth, **{"Accept-Language": "es-US"}))
        assert r.status_code == 202, r.text
        msg = email.message_from_bytes(box.wait(1)[0][1])
        subject = es["email.code.subject"].replace("{{reference}}", ref)
        assert str(email.header.make_header(email.header.decode_header(msg["Subject"]))) == subject
        parts = {part.get_content_type(): part.get_payload(decode=True).decode("utf-8")
                 for part in msg.walk() if not part.is_multipart()}
        assert "Su código es" in parts["text/plain"] and "Hola" in parts["text/html"]
        time.sleep(1.2)
        r = requests.post(svc.url + "/v1/requests/%s/code" % ref, headers=auth)
        assert r.status_code == 202, r.text
        msg = email.message_from_bytes(box.wait(2)[1][1])
        text = [part.get_payload(decode=True).decode("utf-8") for part in msg.walk()
                if part.get_content_type() == "text/plain"][0]
        assert "Your code is" in text and en["email.code.subject"].startswith("Your")
    finally:
        assert svc.stop() == 0
