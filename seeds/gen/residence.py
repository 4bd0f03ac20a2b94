#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Generate fake proofs of residence with ground truth: utility bills, mobile phone bills, lease
first pages, insurance declarations pages and property tax bills. Each carries confusers: the
company's remit-to address, a mailing PO box, a landlord's, agent's or lender's address, due
dates and periods.

    seeds/gen/residence.py OUTDIR [--count N] [--seed S] [--forms pdf,png,scan,photo,scanpdf]

Per document: <id>.pdf (text PDF), <id>-clean.png (rendered at 200 dpi), <id>-scan.jpg,
<id>-photo.jpg (degraded), <id>-scan.pdf (a scanned PDF: the scan as an image, no text).
OUTDIR/truth.json lists every file with kind, holders, street, unit, city, state, zip, date,
and the confuser addresses (which must never be taken for the holder's). Invented people and
companies only; deterministic for a given seed.
"""
import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import docutil  # noqa: E402

FIRST = ["Maria", "Daniel", "Priya", "Kevin", "Helen", "Samuel", "Grace", "Omar", "Lucia", "Trevor",
         "Aisha", "Connor", "Mei", "Rafael", "Brianna", "Tobias", "Nadia", "Elliot", "Yara", "Marcus"]
MIDDLE = ["A", "J", "L", "M", "T", "R", "K", ""]
LAST = ["Gonzalez", "Okafor", "Raman", "Brooks", "Wright", "Ortiz", "Park", "Haddad", "Lindqvist",
        "Moreau", "Fitzgerald", "Nakamura", "Delgado", "Whitaker", "Abernathy", "Castillo",
        "Novak", "Sorensen", "Achebe", "Valdez"]
STREETS = ["Cottonwood", "Juniper", "Willamette", "Meadow Creek", "Orchard Hill", "Lakeview",
           "Maple", "Cedar Ridge", "Harbor View", "Sycamore", "Birch Hollow", "Prairie Wind",
           "Aspen", "Magnolia", "Foxglove", "Redwood", "Stonebridge", "Quail Run"]
SUFFIX = ["St", "Ave", "Ln", "Dr", "Rd", "Ct", "Ter", "Blvd", "Way", "Pl"]
CITIES = [("Riverton", "WY", "82501"), ("Round Rock", "TX", "78664"), ("Eugene", "OR", "97405"),
          ("Plano", "TX", "75024"), ("Huntsville", "AL", "35806"), ("Bend", "OR", "97701"),
          ("Fort Collins", "CO", "80521"), ("Madison", "WI", "53703"), ("Ann Arbor", "MI", "48104"),
          ("Boise", "ID", "83702"), ("Durham", "NC", "27701"), ("Spokane", "WA", "99201"),
          ("Sioux Falls", "SD", "57104"), ("Lexington", "KY", "40507"), ("Tempe", "AZ", "85281"),
          ("Burlington", "VT", "05401"), ("Santa Rosa", "CA", "95404"), ("Fargo", "ND", "58102")]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]

UTIL = ["Brightwater Energy", "Clearspring Water Utility", "Summit Gas & Electric",
        "Prairie Power Cooperative", "Bluestem Energy"]
MOBILE = ["Northstar Wireless", "Zephyr Mobile", "Cobalt Cellular", "Horizon Talk Mobile"]
LANDLORD = ["Oakridge Property Management LLC", "Silverline Apartments LLC", "Keystone Realty Group",
            "Greenleaf Residential Properties"]
INSURER = ["Harborline Mutual Insurance", "Granite State Insurance Co", "Evergreen Home Insurance",
           "Pioneer Mutual Insurance Company"]
COUNTY = ["Madison", "Larimer", "Dane", "Washtenaw", "Ada", "Durham", "Spokane", "Minnehaha"]


class Doc:
    def __init__(self):
        self.items = []  # (x, y, size, text, bold)

    def t(self, x, y, text, size=10, bold=False):
        self.items.append((x, y, size, text, bold))


def person(rng):
    m = rng.choice(MIDDLE)
    return " ".join(p for p in [rng.choice(FIRST), m, rng.choice(LAST)] if p)


def address(rng, unit_p=0.35):
    city = rng.choice(CITIES)
    street = "%d %s %s" % (rng.randrange(10, 9999), rng.choice(STREETS), rng.choice(SUFFIX))
    unit = ""
    if rng.random() < unit_p:
        unit = rng.choice(["Apt %d%s" % (rng.randrange(1, 40), rng.choice(["", "A", "B", "C"])),
                           "Unit %d" % rng.randrange(1, 300), "Apt %d" % rng.randrange(100, 999)])
    z = city[2] if rng.random() < 0.8 else "%s-%04d" % (city[2], rng.randrange(1, 9999))
    return {"street": street, "unit": unit, "city": city[0], "state": city[1], "zip": z}


def po_box(rng):
    city = rng.choice(CITIES)
    return {"street": "PO Box %d" % rng.randrange(100, 99999), "unit": "", "city": city[0],
            "state": city[1], "zip": city[2]}


def company_addr(rng):
    a = address(rng, 0)
    if rng.random() < 0.4:
        a["street"] = "%d %s" % (rng.randrange(100, 9999), rng.choice(
            ["Industrial Pkwy", "Commerce Blvd Suite 210", "Corporate Dr", "Tower Rd", "Financial Plz"]))
    return a


def addr_lines(a, one_line=False):
    l1 = a["street"] + ((" " + a["unit"]) if a["unit"] else "")
    l2 = "%s, %s %s" % (a["city"], a["state"], a["zip"])
    if one_line:
        return ["%s, %s" % (l1 if not a["unit"] else a["street"] + ", " + a["unit"], l2)]
    return [l1, l2]


def fmt_date(rng, d):
    y, m, day = d
    f = rng.randrange(4)
    if f == 0:
        return "%s %d, %d" % (MONTHS[m - 1], day, y)
    if f == 1:
        return "%s %d, %d" % (MONTHS[m - 1][:3], day, y)
    if f == 2:
        return "%02d/%02d/%04d" % (m, day, y)
    return "%04d-%02d-%02d" % (y, m, day)


def add_days(d, n):
    import datetime
    x = datetime.date(*d) + datetime.timedelta(days=n)
    return (x.year, x.month, x.day)


def block(doc, x, y, lines, size=10, step=13):
    for i, line in enumerate(lines):
        doc.t(x, y + i * step, line, size)
    return y + len(lines) * step


def labelled(doc, rng, x, y, label, lines, size=10):
    """A label with its value on the same line (one-line address) or below."""
    if len(lines) == 1 and rng.random() < 0.6:
        doc.t(x, y, "%s: %s" % (label, lines[0]), size)
        return y + 14
    doc.t(x, y, label + ":", size, True)
    return block(doc, x, y + 13, lines, size)


def gen_utility(rng, doc, holders, home, today, mobile=False):
    company = rng.choice(MOBILE if mobile else UTIL)
    caddr = company_addr(rng)
    doc.t(40, 40, company.upper() if rng.random() < 0.5 else company, 20, True)
    if rng.random() < 0.6:
        block(doc, 40, 66, addr_lines(caddr), 8, 10)
    date = add_days(today, -rng.randrange(3, 60))
    dlabel = rng.choice(["Statement Date", "Bill Date", "Billing Date"] +
                        (["Invoice Date"] if mobile else []))
    doc.t(360, 44, "%s: %s" % (dlabel, fmt_date(rng, date)), 10)
    doc.t(360, 60, "Account Number: %d-%04d-%02d" % (rng.randrange(1000, 9999), rng.randrange(10000),
                                                     rng.randrange(100)), 10)
    doc.t(360, 76, "Due Date: %s" % fmt_date(rng, add_days(date, 21)), 10)
    doc.t(360, 92, "Amount Due: $%d.%02d" % (rng.randrange(20, 400), rng.randrange(100)), 10)
    # addressee block (mailing address): PO box or the home itself
    mailing = po_box(rng) if rng.random() < 0.5 else home
    has_service = (not mobile) or mailing is not home or rng.random() < 0.5
    if not has_service:
        mailing = home
    y = 150
    for h in holders[:2]:
        doc.t(60, y, h.upper(), 10)
        y += 13
    block(doc, 60, y, [s.upper() for s in addr_lines(mailing)], 10)
    truth_holders = holders[:2]
    y = 240
    confusers = [caddr]
    if mailing is not home:
        confusers.append(mailing)
    if has_service:
        lab = rng.choice(["Service Address", "Service Location", "Premises"] if not mobile
                         else ["Service Address"])
        side = rng.random() < 0.3
        # a one-line address would run into a remit-to column beside it (not a real layout)
        y2 = labelled(doc, rng, 40, y, lab, addr_lines(home, one_line=not side and rng.random() < 0.3))
        if side:
            r = po_box(rng) if rng.random() < 0.5 else caddr
            labelled(doc, rng, 330, y, "Remit to", addr_lines(r))
            confusers.append(r)
        y = y2 + 20
    if mobile:
        doc.t(40, y, "Wireless number (%03d) 555-%04d   Data used %.1f GB   Talk minutes %d" % (
            rng.randrange(200, 999), rng.randrange(10000), rng.uniform(1, 40), rng.randrange(50, 900)), 9)
        doc.t(40, y + 14, "Device payment 12 of 24   Lines on account: %d" % rng.randrange(1, 5), 9)
    else:
        doc.t(40, y, "Service Period: %s to %s" % (fmt_date(rng, add_days(date, -33)),
                                                    fmt_date(rng, add_days(date, -3))), 9)
        doc.t(40, y + 14, rng.choice(["Electric usage %d kWh   Meter 40%05d" % (rng.randrange(200, 1500), rng.randrange(99999)),
                                      "Water usage %d gallons   Sewer charge $%d.00" % (rng.randrange(1000, 9000), rng.randrange(10, 60)),
                                      "Gas usage %d therms   Meter 77%05d" % (rng.randrange(10, 120), rng.randrange(99999))]), 9)
    # remittance stub
    doc.t(40, 600, "- - - - - - - - - - - - - - Please detach and return with your payment - - - - - - - - - - - - - -", 8)
    stub = po_box(rng) if rng.random() < 0.6 else company_addr(rng)
    confusers.append(stub)
    lab = rng.choice(["Remit to", "Please remit payment to", "Make checks payable to", "Mail payment to"])
    doc.t(330, 630, lab + ":", 10, True)
    block(doc, 330, 643, [company] + addr_lines(stub), 10)
    doc.t(40, 630, "Account Number: %d" % rng.randrange(10 ** 9, 10 ** 10), 9)
    return {"kind": "mobile_phone_bill" if mobile else "utility_bill", "holders": truth_holders,
            "date": date, "issuer": company, "confusers": confusers}


def gen_lease(rng, doc, holders, home, today):
    landlord = rng.choice(LANDLORD)
    laddr = company_addr(rng)
    doc.t(150, 40, "RESIDENTIAL LEASE AGREEMENT", 16, True)
    date = add_days(today, -rng.randrange(5, 80))
    if rng.random() < 0.5:
        doc.t(40, 80, "Date of Lease: %s" % fmt_date(rng, date), 10)
    else:
        doc.t(40, 80, "This Lease Agreement is made on %s between the parties below." % fmt_date(rng, date), 10)
    y = labelled(doc, rng, 40, 110, rng.choice(["Landlord", "Lessor"]), [landlord] + addr_lines(laddr))
    y += 14
    lab = rng.choice(["Tenants", "Tenant(s)", "Lessee"])
    if len(holders) > 1 and rng.random() < 0.5:
        doc.t(40, y, "%s: %s" % (lab, " and ".join(holders)), 10)
        y += 14
    else:
        y = block(doc, 40, y + 13, holders, 10) if doc.t(40, y, lab + ":", 10, True) is None else y
    y += 14
    y = labelled(doc, rng, 40, y, rng.choice(["Premises", "Leased Premises", "Property Address"]),
                 addr_lines(home, one_line=rng.random() < 0.4))
    y += 14
    start = add_days(date, rng.randrange(5, 30))
    doc.t(40, y, "Lease Term: %s to %s" % (fmt_date(rng, start), fmt_date(rng, add_days(start, 364))), 10)
    doc.t(40, y + 14, "Monthly Rent: $%d.00   Security Deposit: $%d.00" % (rng.randrange(900, 3500), rng.randrange(500, 3000)), 10)
    doc.t(40, y + 40, "1. Use of premises. Tenant shall use the premises only as a private residence.", 9)
    doc.t(40, y + 54, "2. Rent is due on the first day of each month at the Landlord's office.", 9)
    return {"kind": "lease", "holders": holders, "date": date, "issuer": landlord,
            "confusers": [laddr]}


def gen_insurance(rng, doc, holders, home, today):
    ins = rng.choice(INSURER)
    doc.t(40, 40, ins, 18, True)
    doc.t(40, 66, rng.choice(["HOMEOWNERS POLICY DECLARATIONS", "RENTERS POLICY DECLARATIONS"]), 12, True)
    date = add_days(today, -rng.randrange(3, 80))
    doc.t(40, 90, "%s: %s" % (rng.choice(["Date Issued", "Issue Date", "Declarations Date"]), fmt_date(rng, date)), 10)
    doc.t(40, 104, "Policy Number: HO-%07d" % rng.randrange(10 ** 7), 10)
    doc.t(40, 118, "Policy Period: %s to %s" % (fmt_date(rng, add_days(date, 10)), fmt_date(rng, add_days(date, 375))), 10)
    y = 150
    lab = rng.choice(["Named Insured", "Named Insured(s)", "Insured"])
    joined = "%s: %s" % (lab, " and ".join(h.upper() for h in holders))
    if len(holders) > 1 and rng.random() < 0.6 and len(joined) <= 44:  # clear of the agent column
        doc.t(40, y, joined, 10)
        y += 14
    else:
        doc.t(40, y, lab + ":", 10, True)
        y = block(doc, 40, y + 13, [h.upper() for h in holders], 10)
    mailing = po_box(rng) if rng.random() < 0.6 else address(rng)
    y = labelled(doc, rng, 40, y + 10, "Mailing Address", addr_lines(mailing))
    agent_addr = company_addr(rng)
    labelled(doc, rng, 330, 150, rng.choice(["Agent", "Your Agent"]),
             ["%s Insurance Agency" % rng.choice(LAST)] + addr_lines(agent_addr))
    y = labelled(doc, rng, 40, y + 14, rng.choice(["Insured Location", "Residence Premises", "Location of Risk"]),
                 addr_lines(home, one_line=rng.random() < 0.3))
    lender = company_addr(rng)
    y = labelled(doc, rng, 40, y + 14, rng.choice(["Mortgagee", "First Mortgagee", "Lienholder"]),
                 ["First %s Bank" % rng.choice(STREETS)] + addr_lines(lender))
    doc.t(40, y + 20, "Coverage A Dwelling $%d,000   Deductible $1,000   Annual Premium $%d.00" % (
        rng.randrange(150, 800), rng.randrange(600, 3000)), 9)
    return {"kind": "insurance", "holders": holders, "date": date, "issuer": ins,
            "confusers": [mailing, agent_addr, lender]}


def gen_tax(rng, doc, holders, home, today):
    county = rng.choice(COUNTY)
    doc.t(40, 40, "%s COUNTY %s" % (county.upper(), rng.choice(["TREASURER", "TAX COLLECTOR"])), 16, True)
    doc.t(40, 62, "%d REAL PROPERTY TAX BILL" % (today[0] - 1), 12, True)
    date = add_days(today, -rng.randrange(3, 80))
    doc.t(360, 44, "%s: %s" % (rng.choice(["Bill Date", "Date of Notice", "Mailing Date"]), fmt_date(rng, date)), 10)
    doc.t(360, 58, "Parcel Number: %02d-%02d-%03d-%03d" % (rng.randrange(100), rng.randrange(100), rng.randrange(1000), rng.randrange(1000)), 10)
    mailing = po_box(rng) if rng.random() < 0.5 else home
    y = 110
    lab = rng.choice(["Owner", "Owner(s)", "Taxpayer"])
    if rng.random() < 0.5:
        doc.t(40, y, "%s: %s" % (lab, " and ".join(h.upper() for h in holders)), 10)
        y += 30
        block(doc, 60, y, [holders[0].upper()] + [s.upper() for s in addr_lines(mailing)], 10)
    else:
        doc.t(40, y, lab + ":", 10, True)
        y = block(doc, 40, y + 13, [h.upper() for h in holders], 10)
        block(doc, 60, y + 16, [holders[0].upper()] + [s.upper() for s in addr_lines(mailing)], 10)
    y = labelled(doc, rng, 40, 230, rng.choice(["Property Location", "Property Address", "Situs Address"]),
                 addr_lines(home, one_line=rng.random() < 0.3))
    doc.t(40, y + 14, "Assessed Value $%d,%03d   Tax Rate %.3f" % (rng.randrange(90, 900), rng.randrange(1000), rng.uniform(0.5, 2.5)), 10)
    doc.t(40, y + 28, "First Installment Due: %s" % fmt_date(rng, add_days(date, 40)), 10)
    doc.t(40, y + 42, "Second Installment Due: %s" % fmt_date(rng, add_days(date, 160)), 10)
    coll = company_addr(rng)
    doc.t(330, 600, "Remit to:", 10, True)
    block(doc, 330, 613, ["%s County Tax Collector" % county] + addr_lines(coll), 10)
    conf = [coll] + ([mailing] if mailing is not home else [])
    return {"kind": "property_tax", "holders": holders, "date": date,
            "issuer": "%s County" % county, "confusers": conf}


GENS = [("utility", lambda r, d, h, a, t: gen_utility(r, d, h, a, t)),
        ("mobile", lambda r, d, h, a, t: gen_utility(r, d, h, a, t, mobile=True)),
        ("lease", gen_lease), ("insurance", gen_insurance), ("tax", gen_tax)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--count", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--forms", default="pdf,png,scan,photo,scanpdf")
    ap.add_argument("--today", default="2025-06-01")
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    rng = random.Random(a.seed)
    today = tuple(int(x) for x in a.today.split("-"))
    forms = a.forms.split(",")
    truth = []
    for i in range(a.count):
        name, gen = GENS[i % len(GENS)]
        sid = "%s-%03d" % (name, i)
        holders = [person(rng)]
        if rng.random() < 0.35:
            holders.append(person(rng))
        home = address(rng)
        doc = Doc()
        info = gen(rng, doc, holders, home, today)
        pdf = os.path.join(a.outdir, sid + ".pdf")
        docutil.pdf_text(pdf, [doc.items])
        base = {"kind": info["kind"], "holders": info["holders"], "street": home["street"],
                "unit": home["unit"], "city": home["city"], "state": home["state"],
                "zip": home["zip"], "date": "%04d-%02d-%02d" % info["date"],
                "issuer": info["issuer"], "confusers": info["confusers"]}
        png = os.path.join(a.outdir, sid + "-clean.png")
        need_img = any(f in forms for f in ("png", "scan", "photo", "scanpdf"))
        if need_img:
            docutil.render_pdf(pdf, png, 200)
        if "pdf" in forms:
            truth.append(dict(base, file=sid + ".pdf", form="pdf", degraded=False))
        if "png" in forms:
            truth.append(dict(base, file=sid + "-clean.png", form="png", degraded=False))
        if "scan" in forms or "scanpdf" in forms:
            scan = os.path.join(a.outdir, sid + "-scan.jpg")
            how = docutil.degrade(png, scan, rng, "scan")
            if "scan" in forms:
                truth.append(dict(base, file=sid + "-scan.jpg", form="scan", degraded=True, degradation=how))
            if "scanpdf" in forms:
                docutil.pdf_from_jpeg(os.path.join(a.outdir, sid + "-scan.pdf"), scan, 200)
                truth.append(dict(base, file=sid + "-scan.pdf", form="scanpdf", degraded=True, degradation=how))
        if "photo" in forms:
            how = docutil.degrade(png, os.path.join(a.outdir, sid + "-photo.jpg"), rng, "photo")
            truth.append(dict(base, file=sid + "-photo.jpg", form="photo", degraded=True, degradation=how))
        if "png" not in forms and need_img:
            os.unlink(png)
    with open(os.path.join(a.outdir, "truth.json"), "w") as f:
        json.dump(truth, f, indent=1)
    print("residence.py: %d files in %s" % (len(truth), a.outdir))


if __name__ == "__main__":
    main()
