#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Write the labelled verification scenarios: tests/scenarios/records.csv and cases/*.json.

Every person is invented (phone numbers are 555-01xx, reserved for fiction). The records are
in the format of seeds/records.csv; they are written here rather than reused so that each
scenario can name the confuser it is about: namesakes, twins at one address, father and son
with Sr/Jr, nicknames, transliterations, multi-part family names, a near-duplicate record with
a typo, moves, PO boxes, a stolen licence, expired and unreadable IDs, corrections.

The expected outcome of each case ("_expect") is written by hand from what the law and the
shipped models (models/*.json) call for, never copied from the program's output. "_why" says
why. Cases use "fields" documents (already-read values) so that they do not depend on OCR.

Usage: build_cases.py   (rewrites records.csv and cases/ next to this script; deterministic)
"""
import csv
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
TODAY = "2026-06-01"  # run.py passes --today with this date

HEADER = ["id", "given_name", "middle_name", "family_name", "suffix", "date_of_birth", "email",
          "phone", "street", "unit", "city", "state", "postal_code"]

# id, given, middle, family, suffix, dob, email, phone, street, unit, city, state, zip
RECORDS = [
    ("R001", "John", "Michael", "Smith", "", "1980-03-07", "john.smith@example.com",
     "+14155550101", "123 Main St", "Apt 4B", "San Francisco", "CA", "94110"),
    ("R002", "John", "", "Smith", "", "1985-11-21", "jsmith85@example.net",
     "+12135550102", "55 Oak Ave", "", "Los Angeles", "CA", "90012"),
    ("R003", "William", "Robert", "Jones", "", "1972-06-15", "bill.jones@example.org",
     "+16195550103", "800 Sunset Blvd", "", "San Diego", "CA", "92101"),
    ("R004", "Margaret", "Ann", "O'Brien", "", "1965-01-30", "peggy.obrien@example.com",
     "+14085550104", "42 Cedar Ln", "", "San Jose", "CA", "95112"),
    ("R005", "Alice", "Mae", "Doe", "", "1995-09-09", "alice.doe@example.com",
     "+15105550105", "17 Elm St", "Unit 3", "Oakland", "CA", "94607"),
    ("R006", "Anna", "Lee", "Doe", "", "1995-09-09", "anna.doe@example.com",
     "+15105550106", "17 Elm St", "Unit 3", "Oakland", "CA", "94607"),
    ("R007", "Robert", "James", "Miller", "Sr", "1955-04-12", "bob.miller@example.net",
     "+19165550107", "900 Pine St", "", "Sacramento", "CA", "95814"),
    ("R008", "Robert", "James", "Miller", "Jr", "1984-08-03", "rob.miller@example.net",
     "+19165550108", "900 Pine St", "", "Sacramento", "CA", "95814"),
    ("R009", "Hans", "", "Müller", "", "1970-02-02", "hans.mueller@example.com",
     "+15595550109", "300 Mission St", "Ste 500", "Fresno", "CA", "93721"),
    ("R010", "María José", "", "García-López", "", "1988-12-12", "maria.garcia@example.com",
     "+16265550110", "77 Valencia St", "", "Pasadena", "CA", "91101"),
    ("R011", "Daniel", "", "Kim", "", "1992-05-05", "daniel.kim@example.com",
     "+19495550111", "12-14 Harbor Way", "", "Irvine", "CA", "92614"),
    ("R012", "Danielle", "", "Kim", "", "1992-05-05", "danielle.kim@example.com",
     "+19495550112", "12-14 Harbor Way", "", "Irvine", "CA", "92614"),
    ("R013", "Priya", "", "Patel", "", "1990-07-04", "priya.patel@example.org",
     "+15625550113", "450 N Vermont Ave", "", "Los Angeles", "CA", "90004"),
    ("R014", "Samantha", "", "Taylor", "", "1979-10-10", "sam.taylor@example.com",
     "+14155550114", "PO Box 1234", "", "Berkeley", "CA", "94704"),
    ("R015", "Theodore", "", "Nguyen", "", "1960-06-30", "ted.nguyen@example.net",
     "+12135550115", "1600 Broadway", "Apt 12", "Oakland", "CA", "94612"),
    ("R016", "Katherine", "", "Chen", "", "1983-03-28", "kate.chen@example.com",
     "+14085550116", "2200 El Camino Real", "", "Palo Alto", "CA", "94306-1512"),
    ("R017", "Sean", "", "O'Connor", "", "1975-11-11", "sean.oconnor@example.com",
     "+15105550117", "9 Camino del Mar", "", "San Diego", "CA", "92130"),
    ("R018", "Emily", "", "Johnson", "", "1999-02-14", "emily.j@example.com",
     "+16195550118", "400 Market St", "Apt 7", "San Francisco", "CA", "94105"),
    ("R019", "Emily", "", "Johnson", "", "2001-08-19", "emily.johnson@example.org",
     "+19165550119", "88 Lincoln Ave", "", "Sacramento", "CA", "95818"),
    ("R020", "Christopher", "", "Lee", "", "1968-09-01", "chris.lee@example.com",
     "+14155550120", "5 Ocean View Ter", "", "San Francisco", "CA", "94112"),
    ("R021", "Christine", "", "Lee", "", "1968-09-01", "christine.lee@example.com",
     "+14155550121", "5 Ocean View Ter", "", "San Francisco", "CA", "94112"),
    ("R022", "Jose Luis", "", "Hernandez", "", "1950-12-25", "jl.hernandez@example.com",
     "+15595550122", "1234 Foothill Blvd", "", "Riverside", "CA", "92501"),
    ("R023", "Fatima", "", "Haddad", "", "1987-04-18", "fatima.haddad@example.com",
     "+19495550123", "61 Stevens Creek Blvd", "Apt 101", "San Jose", "CA", "95129"),
    ("R024", "Nicholas", "", "Van der Berg", "", "1993-01-07", "nick.vdb@example.com",
     "+15625550124", "18 Park Pl", "", "Long Beach", "CA", "90802"),
    ("R025", "Rebecca", "", "St. John", "", "1978-07-21", "becky.stjohn@example.com",
     "+16265550125", "3 Via Lucca", "", "Irvine", "CA", "92612"),
    ("R026", "Michael", "", "Brown", "", "1982-02-28", "mike.brown@example.com",
     "+15105550126", "700 Lakeshore Ave", "", "Oakland", "CA", "94610"),
    ("R027", "Michael", "", "Broown", "", "1982-02-28", "mike.broown@example.com",
     "+15105550126", "700 Lakeshore Ave", "", "Oakland", "CA", "94610"),
    ("R028", "Victoria", "", "Adams", "", "", "vicky.adams@example.com",
     "+14085550128", "25 Hillcrest Rd", "", "Fresno", "CA", "93711"),
    ("R029", "Omar", "", "Shah", "", "1991-03-03", "omar.shah@example.com",
     "+12135550129", "4100 Santa Monica Blvd", "Unit C", "Los Angeles", "CA", "90029"),
    ("R030", "Zoe", "", "Wright", "", "2000-01-01", "zoe.wright@example.net",
     "+19165550130", "610 W 3rd St", "", "Los Angeles", "CA", "90071"),
    ("R031", "Kevin", "", "Walsh", "", "1986-10-02", "kevin.walsh@example.com",
     "+14085550131", "19 Maple Dr", "", "Fresno", "CA", "93720"),
    ("R032", "Linda", "", "Smith", "", "1980-03-07", "linda.smith@example.org",
     "+14155550132", "9 Market St", "", "San Francisco", "CA", "94103"),
    ("R033", "Mei", "", "Wang", "", "1997-12-01", "mei.wang@example.com",
     "+16265550133", "220 E Colorado Blvd", "Apt 7", "Pasadena", "CA", "91101"),
    ("R034", "Arjun", "", "Shah", "", "1989-06-06", "arjun.shah@example.com",
     "+19495550134", "77 Rosecrans Ave", "", "San Diego", "CA", "92106"),
    ("R035", "Camila", "", "Torres", "", "2003-04-30", "camila.torres@example.org",
     "+15625550135", "8 Camino del Mar", "", "San Diego", "CA", "92130"),
    ("R036", "Robert", "", "Anderson", "", "1971-06-02", "robert.anderson@example.net",
     "+14155550136", "9665 N Vermont Ave", "Unit 3", "Los Angeles", "CA", "90044"),
    ("R037", "Patricia", "", "Kowalski", "", "1958-08-08", "pat.kowalski@example.com",
     "+15595550137", "31 Ocean View Ter", "", "San Francisco", "CA", "94112"),
    ("R038", "Yuki", "", "Tanaka", "", "1994-02-20", "yuki.tanaka@example.com",
     "+14085550138", "5 Alameda de las Pulgas", "", "Palo Alto", "CA", "94301"),
    ("R039", "Benjamin", "", "MacLeod", "", "1977-05-17", "ben.macleod@example.com",
     "+15105550139", "14 Washington Blvd", "", "Oakland", "CA", "94601"),
    ("R040", "Sofia", "", "Novak", "", "1999-11-30", "sofia.novak@example.org",
     "+16195550140", "2 Harbor Way", "Apt 101", "Long Beach", "CA", "90803"),
    ("R041", "Jurgen", "", "Muller", "", "1979-08-14", "jurgen.muller@example.com",
     "+14155550141", "300 Grand Ave", "", "Oakland", "CA", "94610"),
    ("R042", "Teresa", "", "Alvarez", "", "1988-03-22", "teresa.alvarez@example.net",
     "+15595550142", "61 Olive St", "", "Fresno", "CA", "93701"),
]


def rec(rid):
    for r in RECORDS:
        if r[0] == rid:
            return dict(zip(HEADER, r))
    raise KeyError(rid)


def claims(rid, name=True, dob=True, email=False, phone=False, address=False, code=False,
           **over):
    """Claims typed from record rid. A flag True copies the record's value, False omits it,
    anything else is the value typed (date_of_birth via over). code=True: a one-time code sent
    to record rid's own e-mail or phone came back (contact_record, the contact_code point).
    over replaces or adds keys (None removes)."""
    r = rec(rid)
    c = {}
    if code:
        c["contact_record"] = rid
    if name:
        c["given_names"] = (r["given_name"] + " " + r["middle_name"]).strip()
        c["family_name"] = r["family_name"]
    if dob:
        c["date_of_birth"] = r["date_of_birth"]
    for key, flag in (("email", email), ("phone", phone)):
        if flag is True:
            c[key] = r[key]
        elif flag:
            c[key] = flag
    if address is True:
        c["address"] = {k: r[k] for k in ("street", "unit", "city", "state", "postal_code")}
    elif address:
        c["address"] = address
    for k, v in over.items():
        if v is None:
            c.pop(k, None)
        else:
            c[k] = v
    return c


def licence(rid, **over):
    """A driver's licence of the person of record rid, as a reader would yield it."""
    r = rec(rid)
    f = {"document_kind": "drivers_license", "family_name": r["family_name"].upper(),
         "given_names": (r["given_name"] + " " + r["middle_name"]).strip().upper(),
         "date_of_birth": r["date_of_birth"], "expiry_date": "2029-05-01",
         "street": r["street"].upper(), "city": r["city"].upper(), "state": r["state"],
         "postal_code": r["postal_code"]}
    if r["suffix"]:
        f["name_suffix"] = r["suffix"].upper()
    if r["unit"]:
        f["unit"] = r["unit"].upper()
    for k, v in over.items():
        if v is None:
            f.pop(k, None)
        else:
            f[k] = v
    return {"kind": "government_id", "fields": f}


def bill(holder, street, city, zip_, date="2026-05-10", kind="utility_bill", unit=None,
         state="CA"):
    f = {"residence_kind": kind, "holder_name": holder, "street": street, "city": city,
         "state": state, "postal_code": zip_, "statement_date": date, "issuer": "PG&E"}
    if unit:
        f["unit"] = unit
    return {"kind": "proof_of_residence", "fields": f}


def declaration(name, signed=True):
    return {"signed": signed, "typed_name": name}


def expect(outcome, level=None, record=None):
    e = {"outcome": outcome}
    if outcome == "verified":
        e["level"] = level
        e["record_id"] = record
    elif record:
        e["record_id"] = record
    return e


CASES = []


def case(name, why, exp, request_type="know_categories", **body):
    if "contact_record" in body.get("claims", {}):
        # a code that came back is a fact serve records, not a claim: idverify verify takes it
        # as "contact_code"; typed e-mail and phone no longer count (issue 15), so these cases
        # keep their subject with a code to the record's own contact instead
        body["contact_code"] = {"record_id": body["claims"].pop("contact_record")}
        if not why.startswith("the 1980 John Smith's DOB with a code"):
            why += " (with a code to the record's contact: typed e-mail and phone do not count)"
    c = {"_why": why, "_expect": exp, "request_type": request_type}
    c.update(body)
    CASES.append((name, c))


V, NV, MR = "verified", "not_verified", "manual_review"
S, H = "standard", "heightened"

# ---- Standard: typed claims only ----
case("s01_exact_dob_email", "name, DOB and e-mail as on file: a typed e-mail does not count "
     "(anyone who knows it can type it; issue 15), so the DOB is one point of two",
     expect(NV), claims=claims("R001", email=True))
case("s01c_code_of_another_record", "the 1980 John Smith's DOB with a code that went to the "
     "1985 one's e-mail: a code counts only for the record it was sent to",
     expect(NV), claims=claims("R001", email=True, contact_record="R002"))
case("s01b_dob_and_code", "name and DOB typed, and a code sent to the e-mail on file came back",
     expect(V, S, "R001"), claims=claims("R001", code=True, email=True))
case("s02_address_variants", "USPS variants: Street, # unit, ZIP+4 against St, Apt, ZIP",
     expect(V, S, "R001"),
     claims=claims("R001",
                   address={"street": "123 MAIN STREET #4B", "city": "san francisco",
                                  "state": "California", "postal_code": "94110-2231"}))
case("s03_namesake_right_dob", "two John Smiths: the DOB and e-mail are the 1985 one's",
     expect(V, S, "R002"), claims=claims("R002", code=True, email=True))
case("s04_namesake_mixed", "the 1985 John Smith's DOB with the 1980 one's e-mail: the 1980 "
     "record is contradicted by the DOB, the 1985 one has one point",
     expect(NV), claims=claims("R002", email="john.smith@example.com"))
case("s05_one_point_only", "name and address only: one point, two needed",
     expect(NV), claims=claims("R001", dob=False, address=True))
case("s06_nickname_bill", "Bill for William; DOB and phone",
     expect(V, S, "R003"), claims=claims("R003", code=True, phone=True, given_names="Bill"))
case("s07_nickname_peggy_apostrophe", "Peggy for Margaret, OBrien for O'Brien",
     expect(V, S, "R004"),
     claims=claims("R004", code=True, email=True, given_names="Peggy", family_name="OBrien"))
case("s08_twin_alice", "twins at one address with one DOB: the given name decides",
     expect(V, S, "R005"), claims=claims("R005", address=True))
case("s09_twin_anna", "the other twin", expect(V, S, "R006"), claims=claims("R006", address=True))
case("s10_twin_initial", "an initial fits both twins: never a guess",
     expect(NV), claims=claims("R005", address=True, given_names="A."))
case("s11_son_jr", "father and son at one address: Jr and the son's DOB",
     expect(V, S, "R008"),
     claims=claims("R008", address=True, given_names="Robert", family_name="Miller Jr"))
case("s12_father_by_dob", "no suffix typed; the father's DOB",
     expect(V, S, "R007"), claims=claims("R007", address=True, given_names="Robert"))
case("s13_suffix_conflict", "Jr typed with the father's DOB: the son's record has another DOB, "
     "the father's another suffix", expect(NV),
     claims=claims("R007", address=True, given_names="Robert", family_name="Miller",
                   suffix="Jr"))
case("s14_father_son_address_only", "Bob Miller with the shared address only: one point each",
     expect(NV), claims=claims("R007", dob=False, address=True, given_names="Bob"))
case("s15_icao_mueller", "MUELLER typed for Müller", expect(V, S, "R009"),
     claims=claims("R009", code=True, email=True, family_name="Mueller"))
case("s16_muller_plain", "Muller typed for Müller, phone with punctuation",
     expect(V, S, "R009"),
     claims=claims("R009", code=True, family_name="Muller", phone="(559) 555-0109"))
case("s17_garcia_one_part", "García typed for García-López, no accents",
     expect(V, S, "R010"),
     claims=claims("R010", address=True, given_names="Maria", family_name="Garcia"))
case("s18_garcia_space", "García López with a space instead of the hyphen",
     expect(V, S, "R010"),
     claims=claims("R010", code=True, email=True, family_name="Garcia Lopez",
                   given_names="Maria Jose"))
case("s19_given_typo", "Jonh for John; the 1980 John Smith's DOB and phone",
     expect(V, S, "R001"), claims=claims("R001", code=True, phone=True, given_names="Jonh"))
case("s20_email_typo_other_points", "mistyped e-mail does not count; DOB and address do",
     expect(V, S, "R016"),
     claims=claims("R016", address=True, email="kate.chen@example.con", given_names="Kate"))
case("s21_email_plus_tag", "a +tag e-mail is a weaker reason that the model does not count",
     expect(NV), claims=claims("R018", email="emily.j+shop@example.com"))
case("s22_namesake_emily", "two Emily Johnsons: DOB and address pick the second",
     expect(V, S, "R019"), claims=claims("R019", address=True))
case("s23_danielle_exact", "Daniel and Danielle at one address with one DOB: the exact name wins",
     expect(V, S, "R012"), claims=claims("R012", address=True))
case("s24_daniel_exact", "the other direction", expect(V, S, "R011"),
     claims=claims("R011",
                   address={"street": "12 Harbor Way", "city": "Irvine", "state": "CA",
                                  "postal_code": "92614"}))
case("s25_chris_twins", "Chris fits Christopher and Christine, same DOB and address: ambiguous",
     expect(MR), claims=claims("R020", address=True, given_names="Chris"))
case("s26_christine_exact", "Christine typed in full: her record only",
     expect(V, S, "R021"), claims=claims("R021", address=True))
case("s27_day_month_swap", "DOB typed with day and month exchanged: a reason code, not a match",
     expect(MR, record="R013"),
     claims=claims("R013", code=True, email=True, date_of_birth="1990-04-07"))
case("s28_dob_differs", "a different DOB contradicts the record whatever else matches",
     expect(NV), claims=claims("R013", email=True, phone=True, date_of_birth="1991-07-04"))
case("s29_po_box", "P.O. Box against PO Box", expect(V, S, "R014"),
     claims=claims("R014", address={"street": "P.O. Box 1234", "city": "Berkeley",
                                          "state": "CA", "postal_code": "94704"}))
case("s30_po_box_pob_nickname", "Sam for Samantha, POB for PO Box",
     expect(V, S, "R014"),
     claims=claims("R014", code=True, dob=False, email=True, given_names="Sam",
                   address={"street": "POB 1234", "city": "Berkeley", "state": "CA",
                                  "postal_code": "94704"}))
case("s31_swapped_order", "family and given names in the other order",
     expect(V, S, "R015"),
     claims=claims("R015", code=True, phone=True, given_names="Nguyen", family_name="Theodore"))
case("s32_ted_unit_hash", "Ted for Theodore; # for Apt", expect(V, S, "R015"),
     claims=claims("R015", given_names="Ted",
                   address={"street": "1600 Broadway", "unit": "#12", "city": "Oakland",
                                  "state": "CA", "postal_code": "94612"}))
case("s33_unit_differs", "another apartment in the building is another address",
     expect(NV), claims=claims("R015", dob=False, email=True,
                               address={"street": "1600 Broadway", "unit": "Apt 14",
                                              "city": "Oakland", "state": "CA",
                                              "postal_code": "94612"}))
case("s34_unknown_person", "nobody of that name, DOB, ZIP, e-mail or phone",
     expect(NV), claims={"given_names": "Zelda", "family_name": "Fitzgerald",
                         "date_of_birth": "1900-07-24", "email": "zelda@example.com"})
case("s35_phone_formats", "phone typed as (510) 555-0117: a typed phone does not count "
     "(issue 15), whatever its format, so the DOB is one point of two", expect(NV),
     claims=claims("R017", phone="(510) 555-0117", family_name="O Connor"))
case("s36_wrong_phone", "wrong phone, right e-mail, no DOB: one point",
     expect(NV), claims=claims("R017", dob=False, email=True, phone="(510) 555-0199"))
case("s37_opt_out", "opt-out requests are never verified (R3)",
     {"outcome": "not_required"}, request_type="opt_out",
     claims={"email": "anyone@example.com"})
case("s38_record_without_dob", "the record has no DOB: e-mail and address carry it",
     expect(V, S, "R028"),
     claims=claims("R028", code=True, dob=False, email=True, address=True,
                   date_of_birth="1990-01-01",
                   given_names="Vicky"))
case("s39_near_duplicate_record", "the same person imported twice, once as Broown: exact wins",
     expect(V, S, "R026"), claims=claims("R026", address=True))
case("s40_van_der_berg", "Nick for Nicholas, Vanderberg for Van der Berg",
     expect(V, S, "R024"),
     claims=claims("R024", code=True, email=True, given_names="Nick", family_name="Vanderberg"))
case("s41_saint_john", "Saint John for St. John, Becky for Rebecca",
     expect(V, S, "R025"),
     claims=claims("R025", address=True, given_names="Becky", family_name="Saint John"))
case("s42_wrong_person_same_dob", "Linda Smith shares John Smith's DOB: a name mismatch "
     "never verifies", expect(NV),
     claims=claims("R001", email=True, given_names="Linda"))
case("s43_id_backs_points", "a current licence backs DOB and address (1.5 each)",
     expect(V, S, "R016"), claims=claims("R016"), documents=[licence("R016")])
case("s44_unreadable_optional_doc", "standard needs no document: an unreadable one is ignored",
     expect(V, S, "R030"), claims=claims("R030", code=True, email=True),
     documents=[{"kind": "government_id", "fields": {"status": "unreadable"}}])
case("s45_low_confidence_doc", "document fields read with low confidence are ignored",
     expect(NV), claims=claims("R031"),
     documents=[licence("R031", confidence=0.3)])
case("s46_old_proof_of_residence", "a proof of residence older than 90 days is disregarded; "
     "the typed points still verify", expect(V, S, "R033"),
     claims=claims("R033", code=True, email=True),
     documents=[bill("Mei Wang", "999 Other St", "Pasadena", "91101", date="2025-06-01")])
case("s47_other_residence_kind", "an 'other' proof of residence is not accepted: ignored",
     expect(V, S, "R034"), claims=claims("R034", code=True, phone=True),
     documents=[bill("Arjun Shah", "1 Elsewhere Rd", "San Diego", "92106", kind="other")])
case("s48_recent_move", "a fresh utility bill at a new address: a move goes to review",
     expect(MR, record="R023"),
     claims=claims("R023", email=True,
                   address={"street": "5 Palm Ct", "city": "San Jose", "state": "CA",
                                  "postal_code": "95128"}),
     documents=[bill("Fatima Haddad", "5 Palm Court", "San Jose", "95128")])
case("s49_bill_at_record_address", "a utility bill at the record's address backs it",
     expect(V, S, "R029"), claims=claims("R029", code=True, dob=False, email=True),
     documents=[bill("OMAR SHAH", "4100 Santa Monica Blvd", "Los Angeles", "90029",
                     unit="Unit C")])
case("s50_bill_in_spouse_name", "a bill in another holder's name at the right address: review",
     expect(MR, record="R039"), claims=claims("R039", email=True),
     documents=[bill("Grace Wu", "14 Washington Blvd", "Oakland", "94601")])
case("s51_name_typo_family", "Andersen typed for Anderson, DOB and phone",
     expect(V, S, "R036"), claims=claims("R036", code=True, phone=True, family_name="Andersen"))
case("s52_middle_name_conflict", "another middle name: a different person",
     expect(NV), claims=claims("R007", address=True, given_names="Robert Paul",
                               date_of_birth=None))

# ---- Heightened: requests to know specific pieces ----
decl = declaration
case("h01_full", "three points with a current licence and a matching declaration",
     expect(V, H, "R001"), request_type="know_specific",
     claims=claims("R001", email=True, address=True), documents=[licence("R001")],
     declaration=decl("John M Smith"))
case("h02_no_declaration", "no declaration: specific pieces denied, answered as categories "
     "(R20)", expect(V, S, "R001"), request_type="know_specific",
     claims=claims("R001", email=True, address=True), documents=[licence("R001")])
case("h03_no_id", "no government ID: heightened not reached, standard is (R20)",
     expect(V, S, "R003"), request_type="know_specific",
     claims=claims("R003", code=True, email=True, phone=True, given_names="Bill"),
     declaration=decl("Bill Jones"))
case("h04_expired_id", "the licence expired: the model sends it to review",
     expect(MR, record="R004"), request_type="know_specific",
     claims=claims("R004", code=True, email=True, address=True),
     documents=[licence("R004", expiry_date="2025-01-01")],
     declaration=decl("Margaret O'Brien"))
case("h05_unreadable_id", "the required ID could not be read although the claims match: review",
     expect(MR, record="R017"), request_type="know_specific",
     claims=claims("R017", code=True, email=True, phone=True, address=True),
     documents=[{"kind": "government_id", "fields": {"status": "unreadable"}}],
     declaration=decl("Sean O'Connor"))
case("h06_stolen_licence", "the victim's real licence and correct typed data, but a proof of "
     "residence of another person at another address", expect(MR, record="R023"),
     request_type="know_specific", claims=claims("R023", email=True, address=True),
     documents=[licence("R023"),
                bill("Kevin Walsh", "19 Maple Dr", "Fresno", "93720")],
     declaration=decl("Fatima Haddad"))
case("h07_id_dob_differs", "the licence's DOB is not the record's (nor the typed one)",
     expect(NV), request_type="know_specific",
     claims=claims("R001", email=True, address=True),
     documents=[licence("R001", date_of_birth="1981-03-07")], declaration=decl("John Smith"))
case("h08_id_of_someone_else", "a licence in another name with the typed DOB",
     expect(NV), request_type="know_specific",
     claims=claims("R001", email=True, address=True),
     documents=[licence("R001", given_names="PETER", family_name="SMYTHE")],
     declaration=decl("John Smith"))
case("h09_declaration_other_name", "the declaration is signed in another name",
     expect(MR, record="R001"), request_type="know_specific",
     claims=claims("R001", email=True, address=True), documents=[licence("R001")],
     declaration=decl("Jane Roe"))
case("h10_declaration_unsigned", "an unsigned declaration is no declaration (R20 fallback)",
     expect(V, S, "R001"), request_type="know_specific",
     claims=claims("R001", email=True, address=True), documents=[licence("R001")],
     declaration=decl("John Smith", signed=False))
case("h11_passport_mrz", "a passport read from the MRZ (MUELLER) with typed Müller; the "
     "address typed too (a passport has none, and typed e-mail and phone do not count)",
     expect(V, H, "R009"), request_type="know_specific",
     claims=claims("R009", code=True, email=True, phone=True, address=True),
     documents=[{"kind": "government_id",
                 "fields": {"document_kind": "passport", "source": "mrz",
                            "family_name": "MUELLER", "given_names": "HANS",
                            "date_of_birth": "1970-02-02", "expiry_date": "2031-01-01"}}],
     declaration=decl("Hans Müller"))
case("h12_too_few_points", "licence and declaration but only the DOB: neither level",
     expect(NV), request_type="know_specific", claims=claims("R038"),
     documents=[licence("R038", street=None, city=None, postal_code=None)],
     declaration=decl("Yuki Tanaka"))
case("h13_failed_reader_check", "the barcode and the printed text disagree: review",
     expect(MR, record="R037"), request_type="know_specific",
     claims=claims("R037", code=True, email=True, address=True),
     documents=[licence("R037", checks={"barcode_matches_printed": "fail"})],
     declaration=decl("Patricia Kowalski"))
case("h14_nickname_licence", "Bill typed, WILLIAM ROBERT on the licence",
     expect(V, H, "R003"), request_type="know_specific",
     claims=claims("R003", email=True, given_names="Bill"), documents=[licence("R003")],
     declaration=decl("Bill Jones"))
case("h15_twin_with_sisters_licence", "Anna's data typed with Alice's licence",
     expect(NV), request_type="know_specific", claims=claims("R006", address=True, email=True),
     documents=[licence("R005")], declaration=decl("Anna Doe"))
case("h16_son_with_fathers_licence", "the son's data typed, the father's licence",
     expect(NV), request_type="know_specific",
     claims=claims("R008", address=True, email=True, family_name="Miller Jr"),
     documents=[licence("R007")], declaration=decl("Robert Miller Jr"))
case("h17_id_and_bill", "licence and a fresh bill at the record's address",
     expect(V, H, "R040"), request_type="know_specific",
     claims=claims("R040", address=True),
     documents=[licence("R040"),
                bill("Sofia Novak", "2 Harbor Way", "Long Beach", "90803", unit="Apt 101",
                     kind="mobile_phone_bill")],
     declaration=decl("Sofia Novak"))
case("h18_typed_dob_typo_id_right", "a typo in the typed DOB, the licence has the record's: "
     "the document contradicts the claims, review", expect(MR, record="R035"),
     request_type="know_specific",
     claims=claims("R035", email=True, address=True, date_of_birth="2003-04-03"),
     documents=[licence("R035")], declaration=decl("Camila Torres"))

# ---- Delete and correct ----
case("d01_delete_standard", "deletion of ordinary data: standard", expect(V, S, "R030"),
     request_type="delete", claims=claims("R030", code=True, phone=True))
case("d02_delete_contact_info_no_id", "deletion of contact information needs heightened (R18); "
     "no fallback for deletion (R22)", expect(NV), request_type="delete",
     data_classes=["contact_information"], claims=claims("R030", phone=True, email=True))
case("d03_delete_contact_info_with_id", "the same with a licence and a declaration",
     expect(V, H, "R030"), request_type="delete", data_classes=["contact_information"],
     claims=claims("R030", phone=True, email=True, address=True), documents=[licence("R030")],
     declaration=decl("Zoe Wright"))
case("d04_delete_unknown_class", "a data class the policy does not list is treated as "
     "heightened", expect(NV), request_type="delete", data_classes=["mystery_meat"],
     claims=claims("R030", phone=True, email=True))
case("c01_correct_address", "correcting the address: the new address does not count and is "
     "no contradiction (R11); DOB and e-mail verify", expect(V, S, "R031"),
     request_type="correct",
     claims=claims("R031", code=True, email=True, correcting="address",
                   address={"street": "1 New Rd", "city": "Fresno", "state": "CA",
                                  "postal_code": "93701"}))
case("c02_correct_email_one_point", "correcting the e-mail: the new one cannot count, the "
     "address alone is one point", expect(NV), request_type="correct",
     claims=claims("R031", dob=False, address=True, email="kevin.new@example.com",
                   correcting="email"))
case("c03_corrected_field_never_counts", "even when the 'new' address equals the record's, the "
     "field being corrected never counts (R11)", expect(NV), request_type="correct",
     claims=claims("R031", address=True, correcting="address"))
case("c04_correct_family_name", "a new family name after marriage: the name is not the gate; "
     "DOB, e-mail and phone verify (the twin sister has only the DOB)",
     expect(V, S, "R005"), request_type="correct",
     claims=claims("R005", code=True, email=True, phone=True, family_name="Walker",
                   correcting="family_name"))
case("k01_level_raised", "a categories request that asks for heightened gets heightened",
     expect(NV), request_type="know_categories", level="heightened",
     claims=claims("R029", email=True, phone=True))

# Decisions the independent document set got wrong (issue 13).
case("t01_icao_record_plain", "a record typed without diacritics (Jurgen Muller) against a "
     "passport's MUELLER<<JUERGEN and the declaration signed as Jürgen Müller: ICAO 9303 "
     "transliteration; the address typed too (a passport has none)", expect(V, H, "R041"),
     request_type="know_specific",
     claims=claims("R041", code=True, email=True, phone=True, address=True,
                   given_names="Jürgen", family_name="Müller"),
     documents=[{"kind": "government_id",
                 "fields": {"document_kind": "passport", "source": "mrz",
                            "family_name": "MUELLER", "given_names": "JUERGEN",
                            "date_of_birth": "1979-08-14", "expiry_date": "2031-01-01"}}],
     declaration=decl("Jürgen Müller"))
case("t02_licence_newer_address", "the licence and the claim agree on an address the record "
     "does not have: a move, which the models send to review whatever else matched",
     expect(MR, record="R042"),
     claims=claims("R042", code=True, email=True, phone=True,
                   address={"street": "9 Clinton Ave", "city": "Fresno", "state": "CA",
                            "postal_code": "93703"}),
     documents=[licence("R042", street="9 CLINTON AVE", postal_code="93703")])


def main():
    with open(os.path.join(HERE, "records.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        for r in RECORDS:
            w.writerow(r)
    out = os.path.join(HERE, "cases")
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(out):
        if name.endswith(".json"):
            os.unlink(os.path.join(out, name))
    for name, c in CASES:
        with open(os.path.join(out, name + ".json"), "w", encoding="utf-8") as f:
            json.dump(c, f, indent=2, ensure_ascii=False)
            f.write("\n")
    print("build_cases: %d records, %d cases" % (len(RECORDS), len(CASES)))


if __name__ == "__main__":
    main()
