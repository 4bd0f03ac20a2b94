#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Deterministic generator of fake US/Canadian driver's licences and ID cards.

Fronts carry printed fields in three layouts (label words like California's, AAMVA field numbers
like Pennsylvania's, bilingual year-first dates like Ontario's); backs carry a PDF417 (zint) with
an AAMVA payload composed here (versions 03 to 10, several jurisdictions). Each card is rendered
as a clean 300 dpi scan and, optionally, as a phone photo: perspective, a synthesised table or
fabric background, a few degrees of rotation, blur, noise, uneven light, JPEG artefacts, low
resolution, and 90/180 degree turns. Every sample has a ground-truth JSON next to it.

Only Debian tools: ImageMagick `convert`, `zint`, fonts-dejavu. Fake people only.

usage: gen_licences.py OUTDIR [--count N] [--seed S] [--photos-per-card K] [--only clean|photo]
"""
import argparse
import json
import os
import random
import subprocess
import sys

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
W, H = 1012, 638  # ID-1 at 300 dpi

# Fake names: common words and invented surnames, combined at random (no real person).
GIVEN = ["ALEX", "JORDAN", "TAYLOR", "MORGAN", "CASEY", "RILEY", "JAMIE", "AVERY", "QUINN",
         "PEYTON", "DAKOTA", "SKYLER", "REESE", "ROWAN", "SAGE", "EMERSON", "FINLEY", "HAYDEN",
         "MARLOWE", "ELLIOT", "PARKER", "LOGAN", "CAMERON", "DREW"]
MIDDLE = ["LEE", "MARIE", "JAMES", "ANN", "RAY", "LYNN", "JO", "KAY", "DEAN", "ROSE", ""]
FAMILY = ["SAMPLEFORD", "TESTWELL", "EXAMPLAR", "DEMOSKI", "SPECIMAN", "MOCKRIDGE",
          "PLACEHOLT", "FICTIONA", "NOTAREAL", "MADEUPSON", "DUMMERTON", "PROTOTYPO",
          "IMAGINO", "FAUXBERG", "INVENTOVA", "PRETENDER", "SYNTHETO", "GENERICO"]
STREETS = ["MAIN ST", "OAK AVE", "PINE RD", "MAPLE DR", "CEDAR LN", "ELM ST", "HILLSIDE BLVD",
           "LAKEVIEW CT", "SUNSET WAY", "RIVER RD", "PARK PL", "MILL ST"]

# Jurisdiction, IIN, a few cities with postal codes, date order, layout.
JURIS = [
    ("CA", "CALIFORNIA", "636014", [("SACRAMENTO", "95818"), ("FRESNO", "93721")], "us", "words"),
    ("PA", "PENNSYLVANIA", "636025", [("HARRISBURG", "17101"), ("ERIE", "16501")], "us", "numbers"),
    ("NY", "NEW YORK", "636001", [("ALBANY", "12207"), ("BUFFALO", "14202")], "us", "words"),
    ("TX", "TEXAS", "636015", [("AUSTIN", "78701"), ("EL PASO", "79901")], "us", "numbers"),
    ("FL", "FLORIDA", "636010", [("TALLAHASSEE", "32301"), ("ORLANDO", "32801")], "us", "words"),
    ("WA", "WASHINGTON", "636045", [("OLYMPIA", "98501"), ("SPOKANE", "99201")], "us", "numbers"),
    ("IL", "ILLINOIS", "636035", [("SPRINGFIELD", "62701"), ("PEORIA", "61602")], "us", "words"),
    ("VA", "VIRGINIA", "636000", [("RICHMOND", "23219"), ("NORFOLK", "23510")], "us", "numbers"),
    ("ON", "ONTARIO", "636012", [("TORONTO", "M5V 2T6"), ("OTTAWA", "K1P 1J1")], "ca", "ontario"),
    ("BC", "BRITISH COLUMBIA", "636028", [("VICTORIA", "V8W 1P6")], "ca", "ontario"),
]
VERSIONS = [3, 5, 8, 9, 10]


def fmt_date(d, order):
    y, m, dd = d
    return f"{y:04d}/{m:02d}/{dd:02d}" if order == "ca" else f"{m:02d}/{dd:02d}/{y:04d}"


def aamva_date(d, order):
    y, m, dd = d
    return f"{y:04d}{m:02d}{dd:02d}" if order == "ca" else f"{m:02d}{dd:02d}{y:04d}"


def iso(d):
    return f"{d[0]:04d}-{d[1]:02d}-{d[2]:02d}"


def make_person(rng):
    j = rng.choice(JURIS)
    code, name, iin, cities, order, layout = j
    city, postal = rng.choice(cities)
    if order == "us" and rng.random() < 0.3:
        postal = postal + "-" + f"{rng.randint(0, 9999):04d}"
    y = rng.randint(1945, 2005)
    dob = (y, rng.randint(1, 12), rng.randint(1, 28))
    iss_y = rng.randint(2018, 2024)
    iss = (iss_y, rng.randint(1, 12), rng.randint(1, 28))
    exp = (iss_y + rng.choice([4, 5, 8]), dob[1], dob[2])
    if code == "ON":
        number = (f"{rng.choice('ABCDEFGHJKLMNPRSTVW')}{rng.randint(1000, 9999)}-"
                  f"{rng.randint(10000, 99999)}-{rng.randint(10000, 99999)}")
    elif code == "CA":
        number = f"{rng.choice('ABCDEFGHJKLMNPRSTVWXYZ')}{rng.randint(1000000, 9999999)}"
    elif code == "NY":
        number = f"{rng.randint(100, 999)} {rng.randint(100, 999)} {rng.randint(100, 999)}"
    else:
        number = f"{rng.randint(10000000, 99999999)}"
    street = f"{rng.randint(10, 9999)} {rng.choice(STREETS)}"
    unit = f"APT {rng.randint(1, 40)}" if rng.random() < 0.25 else ""
    middle = rng.choice(MIDDLE)
    return {
        "jurisdiction": code, "jurisdiction_name": name, "iin": iin, "date_order": order,
        "layout": layout, "version": rng.choice(VERSIONS),
        "kind": "id_card" if rng.random() < 0.15 else "drivers_license",
        "family_name": rng.choice(FAMILY), "given_name": rng.choice(GIVEN), "middle": middle,
        "sex": rng.choice("MF"), "date_of_birth": dob, "issue_date": iss, "expiry_date": exp,
        "document_number": number, "street": street, "unit": unit, "city": city,
        "state": code, "postal_code": postal,
    }


def aamva_payload(p):
    """An AAMVA DL/ID payload: header, one-entry directory, the DL (or ID) subfile."""
    order = p["date_order"]
    sub = "ID" if p["kind"] == "id_card" else "DL"
    els = []
    if sub == "DL":
        els += ["DCAC", "DCBNONE", "DCDNONE"]
    els += [f"DBA{aamva_date(p['expiry_date'], order)}", f"DCS{p['family_name']}"]
    if p["version"] <= 3:
        given = p["given_name"] + ("," + p["middle"] if p["middle"] else "")
        els += [f"DCT{given}"]
    else:
        els += [f"DAC{p['given_name']}", f"DAD{p['middle'] or 'NONE'}"]
    els += [f"DBD{aamva_date(p['issue_date'], order)}",
            f"DBB{aamva_date(p['date_of_birth'], order)}",
            f"DBC{'1' if p['sex'] == 'M' else '2'}", "DAYBRO", "DAU070 IN",
            f"DAG{p['street']}"]
    if p["unit"]:
        els.append(f"DAH{p['unit']}")
    postal = p["postal_code"].replace("-", "").replace(" ", "")
    if p["date_order"] == "us":
        postal = postal.ljust(9, "0")
    els += [f"DAI{p['city']}", f"DAJ{p['state']}", f"DAK{postal}",
            f"DAQ{p['document_number'].replace(' ', '')}",
            f"DCF{random.Random(p['document_number']).randint(10**9, 10**10 - 1)}",
            f"DCG{'CAN' if p['date_order'] == 'ca' else 'USA'}"]
    if p["version"] >= 4:
        els += ["DDEN", "DDFN", "DDGN"]
    body = sub + "\n".join(els) + "\r"
    nentries = 1
    header_len = 21 + 10 * nentries
    if p["version"] == 1:
        raise ValueError("version 01 is not generated")
    header = f"@\n\x1e\rANSI {p['iin']}{p['version']:02d}00{nentries:02d}"
    directory = f"{sub}{header_len:04d}{len(body):04d}"
    data = header + directory + body
    assert len(header) + len(directory) == header_len
    return data


def truth(p, side):
    given = p["given_name"] + (" " + p["middle"] if p["middle"] else "")
    return {
        "side": side, "kind": p["kind"], "jurisdiction": p["jurisdiction"],
        "aamva_version": p["version"],
        "fields": {
            "family_name": p["family_name"], "given_names": given,
            "date_of_birth": iso(p["date_of_birth"]), "sex": p["sex"],
            "document_number": p["document_number"].replace(" ", ""),
            "issue_date": iso(p["issue_date"]), "expiry_date": iso(p["expiry_date"]),
            "street": p["street"], "unit": p["unit"] or None, "city": p["city"],
            "state": p["state"], "postal_code": p["postal_code"],
        },
    }


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def text(x, y, s, size=26, bold=False, color="#111"):
    return ["-font", FONT_BOLD if bold else FONT, "-pointsize", str(size), "-fill", color,
            "-annotate", f"+{x}+{y}", s]


def render_front(p, rng, path):
    order = p["date_order"]
    hue = rng.choice(["#dfe9f3", "#e8f0e0", "#f3ece0", "#e6e3f0", "#eef2f5"])
    band = rng.choice(["#1f3f7a", "#7a1f2b", "#1f6a4a", "#4a2f7a"])
    title = "IDENTIFICATION CARD" if p["kind"] == "id_card" else (
        "DRIVER'S LICENCE" if order == "ca" else "DRIVER LICENSE")
    cmd = ["convert", "-size", f"{W}x{H}", f"gradient:{hue}-white",
           "-fill", band, "-draw", "rectangle 0,0 1012,92",
           # faint security pattern lines
           "-stroke", "#c8d4e0", "-strokewidth", "1"]
    for k in range(0, W, 46):
        cmd += ["-draw", f"line {k},110 {k + 120},{H}"]
    cmd += ["-stroke", "none"]
    cmd += text(30, 62, p["jurisdiction_name"], 44, True, "white")
    cmd += text(W - 420, 62, title, 28, True, "white")
    # photo placeholder with a silhouette
    cmd += ["-fill", "#9aa5b1", "-draw", "rectangle 34,130 284,460",
            "-fill", "#6d7884", "-draw", "circle 159,250 159,185",
            "-draw", "ellipse 159,430 95,80 180,360"]
    x = 310
    given = p["given_name"] + (" " + p["middle"] if p["middle"] else "")
    num = p["document_number"]
    lines = []
    if p["layout"] == "words":
        lines = [(f"DL {num}" if p["kind"] != "id_card" else f"ID {num}", 30, True),
                 (f"EXP {fmt_date(p['expiry_date'], order)}", 28, True),
                 (f"LN {p['family_name']}", 28, True), (f"FN {given}", 28, True),
                 (p["street"], 26, False)]
        if p["unit"]:
            lines.append((p["unit"], 26, False))
        lines += [(f"{p['city']}, {p['state']} {p['postal_code']}", 26, False),
                  (f"DOB {fmt_date(p['date_of_birth'], order)}", 28, True),
                  (f"SEX {p['sex']}   HGT 5'-10\"   EYES BRO", 22, False),
                  (f"ISS {fmt_date(p['issue_date'], order)}", 22, False)]
    elif p["layout"] == "numbers":
        lines = [(f"4d DLN: {num}", 30, True),
                 (f"4b EXP: {fmt_date(p['expiry_date'], order)}", 28, True),
                 (f"1 {p['family_name']}", 28, True), (f"2 {given}", 28, True),
                 (f"8 {p['street']}", 26, False)]
        if p["unit"]:
            lines.append((p["unit"], 26, False))
        lines += [(f"{p['city']}, {p['state']} {p['postal_code']}", 26, False),
                  (f"3 DOB: {fmt_date(p['date_of_birth'], order)}", 28, True),
                  (f"15 SEX: {p['sex']}   16 HGT: 5'-10\"", 22, False),
                  (f"4a ISS: {fmt_date(p['issue_date'], order)}", 22, False)]
    else:  # ontario-like, bilingual labels, year-first dates
        lines = [(f"4d NUMBER {num}", 28, True),
                 (f"NAME {p['family_name']}, {given}", 28, True),
                 (f"8 {p['street']}", 26, False)]
        if p["unit"]:
            lines.append((p["unit"], 26, False))
        lines += [(f"{p['city']}, {p['state']} {p['postal_code']}", 26, False),
                  (f"4a ISS {fmt_date(p['issue_date'], order)}", 24, True),
                  (f"4b EXP {fmt_date(p['expiry_date'], order)}", 24, True),
                  (f"DOB {fmt_date(p['date_of_birth'], order)}   SEX {p['sex']}", 26, True)]
    y = 140
    step = min(46, (H - 150) // len(lines))
    for s, size, bold in lines:
        cmd += text(x, y + size, s, size, bold)
        y += step
    cmd += ["-depth", "8", path]
    run(cmd)


def render_back(p, rng, path, tmpdir):
    data = aamva_payload(p)
    payload = os.path.join(tmpdir, "payload.bin")
    with open(payload, "wb") as f:
        f.write(data.encode("ascii"))
    bar = os.path.join(tmpdir, "pdf417.png")
    cols = rng.choice([10, 12, 13])
    run(["zint", "--barcode=55", "--binary", f"--cols={cols}", "--scale=1",
         "--filetype=PNG", "-i", payload, "-o", bar])
    out = subprocess.run(["identify", "-format", "%w %h", bar], check=True,
                         capture_output=True, text=True).stdout.split()
    bw, bh = int(out[0]), int(out[1])
    scale = min((W - 80) / bw, 300 / bh)
    tw, th = int(bw * scale), int(bh * scale)
    cmd = ["convert", "-size", f"{W}x{H}", "xc:#f4f4f0",
           "(", bar, "-filter", "point", "-resize", f"{tw}x{th}!", ")",
           "-geometry", f"+{(W - tw) // 2}+{H - th - 60}", "-composite"]
    cmd += text(40, 60, f"{p['jurisdiction_name']}", 30, True, "#333")
    cmd += text(40, 110, "RESTRICTIONS: NONE    ENDORSEMENTS: NONE", 22, False, "#333")
    cmd += ["-depth", "8", path]
    run(cmd)
    return data


def background(rng, bw, bh, path):
    kind = rng.choice(["wood", "fabric", "desk", "hand"])
    if kind == "wood":
        base = rng.choice(["#8b6b4a", "#6e5236", "#a07850"])
        # grain: noise on a strip stretched along x (fast; a motion blur takes seconds)
        cmd = ["convert", "-size", f"{bw // 8}x{bh // 2}", f"xc:{base}",
               "-seed", str(rng.randint(1, 10**6)), "-attenuate", "0.9", "+noise", "Gaussian",
               "-resize", f"{bw}x{bh}!", "-blur", "0x1.2", "-modulate", "100,80"]
    elif kind == "fabric":
        base = rng.choice(["#2d3e66", "#5a2d3a", "#3f5a3a", "#777777"])
        cmd = ["convert", "-size", f"{bw}x{bh}", f"tile:pattern:crosshatch",
               "-fill", base, "-colorize", "70", "-seed", str(rng.randint(1, 10**6)),
               "-attenuate", "0.5", "+noise", "Uniform", "-blur", "0x0.7"]
    elif kind == "desk":
        base = rng.choice(["#d9d9d4", "#303030", "#e8e2d0"])
        cmd = ["convert", "-size", f"{bw}x{bh}", f"xc:{base}", "-seed", str(rng.randint(1, 10**6)),
               "-attenuate", "0.3", "+noise", "Gaussian", "-blur", "0x1"]
    else:  # a hand-ish skin-tone blob on a dark background
        cmd = ["convert", "-size", f"{bw}x{bh}", "xc:#2a2a30", "-fill", "#c99a7a",
               "-draw", f"ellipse {bw // 2},{bh} {bw // 3},{bh // 2} 180,360",
               "-seed", str(rng.randint(1, 10**6)), "-attenuate", "0.3", "+noise", "Gaussian",
               "-blur", "0x2"]
    run(cmd + ["-depth", "8", path])
    return kind


def photo(card, rng, path, tmpdir, low_res=False):
    """Put the card on a background in perspective, with light, blur, noise and JPEG."""
    bw, bh = (1600, 1200)
    bg = os.path.join(tmpdir, "bg.png")
    kind = background(rng, bw, bh, bg)
    cw = rng.uniform(0.55, 0.78) * bw
    chh = cw / (W / H)
    cx, cy = bw / 2 + rng.uniform(-0.08, 0.08) * bw, bh / 2 + rng.uniform(-0.08, 0.08) * bh
    import math
    ang = math.radians(rng.uniform(-6, 6))
    pts = []
    for (u, v) in [(-1, -1), (1, -1), (1, 1), (-1, 1)]:
        x, y = u * cw / 2, v * chh / 2
        xr, yr = x * math.cos(ang) - y * math.sin(ang), x * math.sin(ang) + y * math.cos(ang)
        pts.append((cx + xr + rng.uniform(-0.035, 0.035) * cw,
                    cy + yr + rng.uniform(-0.035, 0.035) * chh))
    src = [(0, 0), (W, 0), (W, H), (0, H)]
    dist = " ".join(f"{s[0]},{s[1]} {d[0]:.1f},{d[1]:.1f}" for s, d in zip(src, pts))
    blur = rng.choice([0.0, 0.6, 1.0, 1.4])
    noise = rng.choice([0.2, 0.4, 0.6])
    quality = rng.choice([55, 70, 85])
    light = rng.choice(["white-gray70", "white-gray55", "white-gray85"])
    turn = rng.choice([0, 0, 0, 90, 180, 270])
    cmd = ["convert", bg,
           "(", card, "-alpha", "set", "-virtual-pixel", "transparent",
           "-define", f"distort:viewport={bw}x{bh}+0+0", "-distort", "Perspective", dist, ")",
           "-compose", "over", "-composite",
           "(", "-size", f"{bw // 8}x{bh // 8}", f"radial-gradient:{light}",
           "-distort", "SRT", f"{rng.uniform(0.8, 1.4):.2f} 0", "-resize", f"{bw}x{bh}!", ")",
           "-compose", "multiply", "-composite", "-compose", "over"]
    if blur > 0:
        cmd += ["-blur", f"0x{blur}"]
    cmd += ["-seed", str(rng.randint(1, 10**6)), "-attenuate", str(noise), "+noise", "Gaussian"]
    if low_res:
        cmd += ["-resize", "62%"]
    if turn:
        cmd += ["-rotate", str(turn)]
    cmd += ["-quality", str(quality), path]
    run(cmd)
    return {"background": kind, "rotation_deg": round(math.degrees(ang), 2), "blur": blur,
            "noise": noise, "jpeg_quality": quality, "turn": turn, "low_res": low_res}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--count", type=int, default=20, help="cards (each has a front and a back)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--photos-per-card", type=int, default=1)
    ap.add_argument("--only", choices=["clean", "photo"], default=None)
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    tmpdir = os.path.join(args.outdir, ".tmp")
    os.makedirs(tmpdir, exist_ok=True)
    rng = random.Random(args.seed)
    for i in range(args.count):
        p = make_person(rng)
        base = os.path.join(args.outdir, f"card{i:03d}")
        front, back = base + "-front.png", base + "-back.png"
        render_front(p, rng, front)
        payload = render_back(p, rng, back, tmpdir)
        samples = []
        if args.only != "photo":
            samples += [(front, "front", "clean", None), (back, "back", "clean", None)]
        else:
            pass
        for k in range(args.photos_per_card if args.only != "clean" else 0):
            for side, src in (("front", front), ("back", back)):
                out = f"{base}-{side}-photo{k}.jpg"
                params = photo(src, rng, out, tmpdir, low_res=rng.random() < 0.2)
                samples.append((out, side, "photo", params))
        for path, side, variant, params in samples:
            t = truth(p, side)
            t["variant"] = variant
            if params:
                t["photo"] = params
            if side == "back":
                t["payload_length"] = len(payload)
            with open(os.path.splitext(path)[0] + ".json", "w") as f:
                json.dump(t, f, indent=1)
        if args.only == "photo":
            for pth in (front, back):
                os.unlink(pth)
    for fn in os.listdir(tmpdir):
        os.unlink(os.path.join(tmpdir, fn))
    os.rmdir(tmpdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
