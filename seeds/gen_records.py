#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Generate seeds/records.csv: about 200 synthetic existing customer records for the demo and
the tests. Deterministic (fixed seed): running it again writes the same bytes.

Every person is invented. The variety is deliberate, because matching has to cope with it:
nicknames in everyday use (the record says "Bill", the licence "William"), apartments and
suites, hyphenated and multi-part family names, suffixes, people sharing an address (families,
twins, roommates), near-duplicates (same name, other date of birth; same person imported twice
with a typo), and Californian addresses with ZIP and ZIP+4.

Usage: gen_records.py [OUT.csv]   (default: seeds/records.csv next to this script)
"""
import csv
import os
import random
import sys

SEED = 20261122
HEADER = ["id", "given_name", "middle_name", "family_name", "suffix", "date_of_birth", "email",
          "phone", "street", "unit", "city", "state", "postal_code"]

GIVEN = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda",
         "William", "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
         "Thomas", "Sarah", "Charles", "Karen", "Christopher", "Nancy", "Daniel", "Margaret",
         "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Dorothy", "Steven", "Sandra", "Andrew",
         "Ashley", "Joshua", "Kimberly", "Kenneth", "Emily", "Kevin", "Donna", "Brian", "Michelle",
         "Timothy", "Carol", "Ronald", "Amanda", "Jose", "Maria", "Luis", "Sofia", "Wei", "Mei",
         "Hiroshi", "Yuki", "Nguyen", "Anh", "Priya", "Arjun", "Fatima", "Omar", "Zoe", "Chloe",
         "Mateo", "Camila", "Jose Luis", "Ana Maria", "Siobhan", "Bartholomew", "Theodore",
         "Katherine", "Alexander", "Victoria", "Nicholas", "Samantha", "Benjamin", "Rebecca"]
# Nicknames people give when they fill a form themselves (record) vs. the legal name.
NICK = {"William": "Bill", "Robert": "Bob", "Richard": "Dick", "Margaret": "Peggy",
        "Elizabeth": "Liz", "Katherine": "Kate", "Alexander": "Alex", "Theodore": "Ted",
        "Nicholas": "Nick", "Samantha": "Sam", "Benjamin": "Ben", "Rebecca": "Becky",
        "Jennifer": "Jen", "Michael": "Mike", "Christopher": "Chris", "Anthony": "Tony",
        "James": "Jim", "Joseph": "Joe", "Thomas": "Tom", "Daniel": "Dan", "Patricia": "Pat",
        "Victoria": "Vicky", "Kimberly": "Kim", "Bartholomew": "Bart", "Susan": "Sue"}
FAMILY = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
          "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
          "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
          "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young",
          "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green",
          "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter",
          "Roberts", "Chen", "Wang", "Tanaka", "Kim", "Patel", "Shah", "O'Brien", "McDonald",
          "Van der Berg", "De la Cruz", "St. John", "Garcia-Lopez", "Smith-Jones",
          "Nakamura-Reyes", "D'Angelo", "MacLeod", "Okafor", "Haddad", "Kowalski", "Novak"]
MIDDLE = ["", "", "", "A", "Lee", "Marie", "James", "Ann", "J", "Michael", "Rose", "Elena", ""]
SUFFIX_ODDS = ["", ""] * 20 + ["Jr", "Sr", "III", "II"]
STREETS = ["Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Pine St", "Elm St", "Washington Blvd",
           "Lincoln Ave", "Park Pl", "Sunset Blvd", "Mission St", "El Camino Real", "Broadway",
           "Market St", "Valencia St", "N Vermont Ave", "S Figueroa St", "W 3rd St",
           "Ocean View Ter", "Hillcrest Rd", "Lakeshore Ave", "Alameda de las Pulgas",
           "Foothill Blvd", "Santa Monica Blvd", "Rosecrans Ave", "E Colorado Blvd",
           "Stevens Creek Blvd", "Camino del Mar", "Harbor Way", "Via Lucca"]
CITIES = [("San Francisco", "941"), ("Los Angeles", "900"), ("San Diego", "921"),
          ("San Jose", "951"), ("Oakland", "946"), ("Sacramento", "958"), ("Fresno", "937"),
          ("Long Beach", "908"), ("Pasadena", "911"), ("Berkeley", "947"), ("Irvine", "926"),
          ("Santa Monica", "904"), ("Palo Alto", "943"), ("Riverside", "925")]
UNITS = ["Apt 4B", "Apt 12", "Unit 3", "# 210", "Ste 500", "Apt 101", "Unit C", "Apt 7"]
DOMAINS = ["example.com", "example.net", "example.org", "mail.example"]


def phone(rng):
    # 555-01xx numbers are reserved for fiction in the North American numbering plan.
    area = rng.choice(["415", "213", "619", "408", "510", "916", "559", "562", "626", "949"])
    return "+1%s55501%02d" % (area, rng.randrange(100))


def dob(rng, lo=1940, hi=2006):
    y = rng.randrange(lo, hi)
    m = rng.randrange(1, 13)
    d = rng.randrange(1, 29)
    return "%04d-%02d-%02d" % (y, m, d)


def address(rng):
    city, zip3 = rng.choice(CITIES)
    z = zip3 + "%02d" % rng.randrange(100)
    if rng.random() < 0.3:
        z += "-%04d" % rng.randrange(10000)
    return {"street": "%d %s" % (rng.randrange(1, 9999), rng.choice(STREETS)),
            "unit": rng.choice(UNITS) if rng.random() < 0.3 else "",
            "city": city, "state": "CA", "postal_code": z}


def email(rng, given, family):
    local = "%s.%s" % (given.split()[0].lower(), family.lower())
    local = "".join(c for c in local if c.isalnum() or c == ".")
    if rng.random() < 0.3:
        local += str(rng.randrange(10, 99))
    return "%s@%s" % (local, rng.choice(DOMAINS))


def person(rng, **over):
    given = rng.choice(GIVEN)
    family = rng.choice(FAMILY)
    p = {"given_name": given, "middle_name": rng.choice(MIDDLE), "family_name": family,
         "suffix": rng.choice(SUFFIX_ODDS), "date_of_birth": dob(rng)}
    p.update(address(rng))
    p.update(over)
    p["email"] = over.get("email") or email(rng, p["given_name"], p["family_name"])
    p["phone"] = over.get("phone") or phone(rng)
    return p


def generate():
    rng = random.Random(SEED)
    people = []
    # 1. ordinary customers, some recorded under the nickname they use
    for _ in range(120):
        p = person(rng)
        if p["given_name"] in NICK and rng.random() < 0.4:
            p["given_name"] = NICK[p["given_name"]]
        people.append(p)
    # 2. households: two to four people at one address (family name shared or not)
    for _ in range(15):
        first = person(rng)
        people.append(first)
        addr = {k: first[k] for k in ("street", "unit", "city", "state", "postal_code")}
        for _ in range(rng.randrange(1, 4)):
            same_family = rng.random() < 0.7
            people.append(person(rng, family_name=first["family_name"] if same_family
                                 else rng.choice(FAMILY), **addr))
    # 3. twins: same date of birth, same address, same family name, other given names
    for _ in range(5):
        a = person(rng)
        b = person(rng, **{k: a[k] for k in ("family_name", "date_of_birth", "street", "unit",
                                             "city", "state", "postal_code")})
        people += [a, b]
    # 4. father and son: same name, Sr and Jr, same address
    for _ in range(4):
        f = person(rng, suffix="Sr", date_of_birth=dob(rng, 1945, 1965))
        s = person(rng, suffix="Jr", given_name=f["given_name"], family_name=f["family_name"],
                   middle_name=f["middle_name"], date_of_birth=dob(rng, 1975, 1995),
                   **{k: f[k] for k in ("street", "unit", "city", "state", "postal_code")})
        people += [f, s]
    # 5. namesakes: same given and family name, other person (other date of birth and city)
    for _ in range(6):
        a = person(rng)
        b = person(rng, given_name=a["given_name"], family_name=a["family_name"])
        people += [a, b]
    # 6. near-duplicates: the same person imported twice, once with a typo in the family name
    for _ in range(4):
        a = person(rng)
        fam = a["family_name"]
        i = rng.randrange(1, len(fam))
        typo = fam[:i] + fam[i - 1] + fam[i:]  # doubled letter
        b = dict(a, family_name=typo, email=email(rng, a["given_name"], typo))
        people += [a, b]
    rows = []
    for n, p in enumerate(people, start=1):
        row = dict(p, id="C%05d" % (1000 + n))
        rows.append(row)
    return rows


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(
        os.path.abspath(__file__)), "records.csv")
    rows = generate()
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=HEADER, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: r.get(k, "") for k in HEADER})
    print("gen_records: wrote %d records to %s" % (len(rows), out))


if __name__ == "__main__":
    main()
