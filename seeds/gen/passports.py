#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Generate fake passports (TD3 data pages, some as open booklets) and ID cards (TD1 backs) with
an OCR-B machine-readable zone and a visual zone, clean and degraded, with ground truth.

    seeds/gen/passports.py OUTDIR [--count N] [--seed S] [--variants clean,scan,photo,lowres]

Writes OUTDIR/<id>-<variant>.png|jpg and OUTDIR/truth.json (a list of objects: file, format,
variant, degraded, mrz (lines), document_number, birth, expiry, family_name, given_names,
visual_family_name, visual_given_names, truncated). Every person is invented; nothing here is a
real document. Deterministic for a given seed.
"""
import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import docutil  # noqa: E402

FAMILY = ["ERIKSSON", "OKAFOR", "NAKAMURA", "MUELLER", "GARCIA", "OCONNELL", "VAN DER BERG",
          "SMITH", "NOWAK", "ROSSI", "HAMILTON", "PETROVA", "LINDQVIST", "FITZGERALD",
          "ABERNATHY", "DUBOIS", "SANTOS", "KOWALCZYK", "MONTGOMERY", "WILLIAMSON",
          "HERNANDEZ MARTINEZ", "ALEXANDROPOULOS", "CHRISTOFFERSEN", "BALASUBRAMANIAM"]
GIVEN = ["ANNA", "MARIA", "JOHN", "PETER", "LUCIA", "AMARA", "KENJI", "OLIVIA", "NOAH", "ELENA",
         "SAMUEL", "GRACE", "HENRIK", "ISABELLA", "MATEO", "CHLOE", "DMITRI", "FATIMA",
         "MAXIMILIAN", "ALEXANDRA", "CHRISTOPHER", "BARTHOLOMEW", "GUINEVERE", "ZOE"]
STATES = [("UTO", "UTOPIA"), ("USA", "UNITED STATES OF AMERICA"), ("CAN", "CANADA"),
          ("GBR", "UNITED KINGDOM"), ("D", "BUNDESREPUBLIK DEUTSCHLAND"), ("FRA", "REPUBLIQUE FRANCAISE"),
          ("NLD", "KONINKRIJK DER NEDERLANDEN"), ("IRL", "EIRE IRELAND"), ("MEX", "MEXICO"),
          ("AUS", "AUSTRALIA")]
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


def cd(s):
    total = 0
    for i, c in enumerate(s):
        if c.isdigit():
            v = int(c)
        elif c.isalpha():
            v = ord(c) - 55
        else:
            v = 0
        total += v * (7, 3, 1)[i % 3]
    return str(total % 10)


def mrz_name(family, given, width):
    f = family.replace(" ", "<").replace("-", "<").replace("'", "")
    g = "<".join(x.replace("-", "<") for x in given.split())
    s = f + "<<" + g
    truncated = len(s) > width
    return (s[:width] + "<" * width)[:width], truncated


def yymmdd(y, m, d):
    return "%02d%02d%02d" % (y % 100, m, d)


def td3(rng, person):
    code = person["state"].ljust(3, "<")
    name, trunc = mrz_name(person["family"], person["given"], 39)
    l1 = "P<" + code + name
    num = person["number"].ljust(9, "<")
    birth = yymmdd(*person["birth"])
    exp = yymmdd(*person["expiry"])
    personal = person["personal"].ljust(14, "<")
    pcd = cd(personal) if person["personal"] else "<"
    l2 = num + cd(num) + code + birth + cd(birth) + person["sex"] + exp + cd(exp) + personal + pcd
    comp = l2[0:10] + l2[13:20] + l2[21:43]
    l2 += cd(comp)
    assert len(l1) == 44 and len(l2) == 44
    return [l1, l2], trunc


def td1(rng, person):
    code = person["state"].ljust(3, "<")
    num = person["number"].ljust(9, "<")
    opt1 = person["personal"][:15].ljust(15, "<")
    l1 = "I" + rng.choice(["D", "<"]) + code + num + cd(num) + opt1
    birth = yymmdd(*person["birth"])
    exp = yymmdd(*person["expiry"])
    l2 = birth + cd(birth) + person["sex"] + exp + cd(exp) + code + "<" * 11
    comp = l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
    l2 += cd(comp)
    name, trunc = mrz_name(person["family"], person["given"], 30)
    assert len(l1) == 30 and len(l2) == 30 and len(name) == 30
    return [l1, l2, name], trunc


def make_person(rng, train=False):
    state = rng.choice(STATES)
    family = rng.choice(FAMILY)
    if train:
        # template training: every letter and digit must occur, so names and numbers are random
        al = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        family = "".join(rng.choice(al) for _ in range(rng.randrange(5, 14)))
    if rng.random() < 0.15:
        family = family + "-" + rng.choice(FAMILY).split()[0]
    given = " ".join(rng.sample(GIVEN, rng.choice([1, 1, 2, 2, 3])))
    if train:
        given = "".join(rng.choice(al) for _ in range(rng.randrange(4, 12)))
    by = rng.randrange(1945, 2006)
    birth = (by, rng.randrange(1, 13), rng.randrange(1, 29))
    ey = rng.randrange(2024, 2036)
    expiry = (ey, rng.randrange(1, 13), rng.randrange(1, 29))
    issue = (ey - 10, expiry[1], expiry[2])
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    number = "".join(rng.choice(letters + "0123456789") for _ in range(rng.choice([8, 9])))
    if train:
        number = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(9))
    personal = "".join(rng.choice("0123456789") for _ in range(rng.choice([0, 0, 8, 10])))
    return {"state": state[0], "state_name": state[1], "family": family, "given": given,
            "birth": birth, "expiry": expiry, "issue": issue, "number": number,
            "personal": personal, "sex": rng.choice("MF")}


def vdate(d):
    return "%02d %s %04d" % (d[2], MONTHS[d[1] - 1], d[0])


def background(rng, w, h):
    tint = "#%02x%02x%02x" % (rng.randrange(220, 245), rng.randrange(225, 245), rng.randrange(215, 240))
    ink = "#%02x%02x%02x" % (rng.randrange(180, 215), rng.randrange(185, 215), rng.randrange(175, 210))
    args = ["-size", "%dx%d" % (w, h), "xc:" + tint, "-fill", "none", "-stroke", ink, "-strokewidth", "2"]
    for i in range(14):
        y0 = rng.randrange(0, h)
        a = rng.randrange(20, 90)
        args += ["-draw", "bezier 0,%d %d,%d %d,%d %d,%d" % (
            y0, w // 3, y0 - a, 2 * w // 3, y0 + a, w, y0)]
    return args


def draw_text(x, y, size, text, font=docutil.SANS, fill="#1a1a1a"):
    return ["-font", font, "-pointsize", str(size), "-fill", fill, "-stroke", "none",
            "-annotate", "+%d+%d" % (x, y), text]


def render_td3(rng, person, lines, path, booklet):
    w, h = 1476, 1039
    args = ["convert"] + background(rng, w, h)
    args += draw_text(60, 70, 40, "PASSPORT", docutil.SANS_BOLD)
    args += draw_text(420, 70, 30, person["state_name"], docutil.SANS_BOLD, "#333355")
    args += ["-fill", "#b9b1a9", "-stroke", "#8a8279", "-draw", "rectangle 60,130 400,580",
             "-fill", "#8f877f", "-stroke", "none", "-draw", "ellipse 230,320 110,140 0,360",
             "-draw", "ellipse 230,560 160,110 180,360"]
    rows = [("Type / Type", "P"), ("Code / Code", person["state"]),
            ("Passport No. / No. du passeport", person["number"]),
            ("Surname / Nom", person["family"]), ("Given names / Prenoms", person["given"]),
            ("Nationality / Nationalite", person["state_name"][:24]),
            ("Date of birth / Date de naissance", vdate(person["birth"])),
            ("Sex / Sexe", person["sex"]), ("Date of issue / Date de delivrance", vdate(person["issue"])),
            ("Date of expiry / Date d'expiration", vdate(person["expiry"]))]
    y = 130
    for label, value in rows:
        args += draw_text(440, y, 17, label, fill="#555555")
        args += draw_text(440, y + 32, 28, value)
        y += 66
    args += draw_text(60, 640, 26, person["family"][:1] + ". " + person["given"].split()[0].title(),
                      fill="#223366")
    px = 30 * 44
    x0 = (w - px) // 2
    args += draw_text(x0, h - 118, 42, lines[0], docutil.OCRB, "#000000")
    args += draw_text(x0, h - 48, 42, lines[1], docutil.OCRB, "#000000")
    if booklet:
        # the open booklet: an upper page with visa-page printing above the data page
        args += ["(", "-size", "%dx%d" % (w, 900), "xc:#f1efe6", "-fill", "#c8c4b4",
                 "-draw", "rectangle 0,880 %d,900" % w]
        for i in range(6):
            args += draw_text(120, 140 + 110 * i, 30, "VISAS / VISAS", fill="#d0ccbc")
        args += [")", "+swap", "-append"]
    args += ["-strip", path]
    docutil.run(args)


def render_td1(rng, person, lines, path):
    w, h = 1011, 638
    args = ["convert"] + background(rng, w, h)
    args += draw_text(50, 60, 22, "Address: %d %s Street" % (rng.randrange(1, 999),
                                                            rng.choice(["Oak", "Elm", "Main"])))
    args += draw_text(50, 95, 22, "Authority: Ministry of the Interior")
    args += draw_text(50, 130, 22, "Date of issue: " + vdate(person["issue"]))
    args += ["-fill", "#c9c1b9", "-stroke", "none", "-draw", "rectangle 760,40 960,260"]
    px = 30 * 30
    x0 = (w - px) // 2
    for i, line in enumerate(lines):
        args += draw_text(x0, h - 150 + 52 * i, 42, line, docutil.OCRB, "#000000")
    args += ["-strip", path]
    docutil.run(args)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--count", type=int, default=20, help="passports and as many ID cards")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--variants", default="clean,scan,photo,lowres")
    ap.add_argument("--train", action="store_true", help="random names and numbers (template training)")
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    rng = random.Random(a.seed)
    variants = a.variants.split(",")
    truth = []
    for i in range(2 * a.count):
        person = make_person(rng, a.train)
        fmt = "TD3" if i % 2 == 0 else "TD1"
        lines, trunc = (td3 if fmt == "TD3" else td1)(rng, person)
        sid = "%s-%03d" % ("passport" if fmt == "TD3" else "idcard", i // 2)
        base = os.path.join(a.outdir, sid + "-base.png")
        booklet = fmt == "TD3" and rng.random() < 0.25
        if fmt == "TD3":
            render_td3(rng, person, lines, base, booklet)
        else:
            render_td1(rng, person, lines, base)
        for v in variants:
            ext = "png" if v == "clean" else "jpg"
            out = "%s-%s.%s" % (sid, v, ext)
            how = docutil.degrade(base, os.path.join(a.outdir, out), rng, v)
            b, e = person["birth"], person["expiry"]
            truth.append({
                "file": out, "format": fmt, "variant": v, "degraded": v != "clean",
                "booklet": booklet, "degradation": how, "mrz": lines,
                "document_number": person["number"],
                "birth": "%04d-%02d-%02d" % b, "expiry": "%04d-%02d-%02d" % e,
                "family_name": person["family"], "given_names": person["given"],
                "truncated": trunc})
        os.unlink(base)
    with open(os.path.join(a.outdir, "truth.json"), "w") as f:
        json.dump(truth, f, indent=1)
    print("passports.py: %d images in %s" % (len(truth), a.outdir))


if __name__ == "__main__":
    main()
