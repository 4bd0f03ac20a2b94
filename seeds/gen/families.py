#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Proofs of residence in many layout families, split once and for all into TUNING and
HELD_ASIDE families (below, fixed in code): the reader may be tuned on the first, the second
are only ever measured (tests/accuracy/families.py prints them apart and never lists their
misses).

    seeds/gen/families.py OUTDIR --set tuning|held_aside [--count N] [--seed S]
                          [--forms pdf,png,scan,photo,rot,scanrot] [--today YYYY-MM-DD]

The families are written from public descriptions of real documents, not from the reader's
labels: electric, gas, water, internet and phone bills (two columns, remittance stubs on top or
at the bottom, municipal and co-operative wording), leases in prose ("between X ("Landlord")
and Y ("Tenant")", "hereinafter 'Lessee'") and as forms, renters', homeowners' and auto
insurance declarations ("Named Insured", "LAST, FIRST M", garaging address). Holders are
printed as "FIRST M LAST", "LAST, FIRST M" or with an initial ("J REYES"); the truth keeps
the printed name in first-last order. Each document carries confusers (mailing, remit-to,
company, landlord, agent, lender addresses) and several dates (statement or issue date
against due dates, periods, policy expiry, lease ends); the truth's date is the statement,
issue or signing date. Fonts: Helvetica, Times or Courier. Forms: text PDF, clean render,
scan, phone photo, and the render and scan turned 90/180/270 degrees without EXIF ('rot',
'scanrot'). Invented people and companies only; deterministic for a seed.
"""
import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import docutil  # noqa: E402
from residence import (CITIES, STREETS, SUFFIX, Doc, add_days, block, fmt_date,  # noqa: E402
                       po_box)

FIRST = ["Jose", "Amara", "Wen", "Dmitri", "Fatima", "Liam", "Sofia", "Kwame", "Ingrid", "Mateo",
         "Hana", "Patrick", "Leila", "Viktor", "Camila", "Arjun", "Noor", "Elena", "Tyrone", "Astrid"]
LAST = ["Reyes", "Mensah", "Zhao", "Petrov", "Khalil", "Brennan", "Ferreira", "Osei", "Halvorsen",
        "Alvarez", "Sato", "Donnelly", "Farah", "Kowalski", "Restrepo", "Iyer", "Siddiqui",
        "Marchetti", "Jefferson", "Lindgren"]
MIDDLE = ["A", "B", "C", "D", "E", "M", "R", "S", "W"]
COMPANY_WORDS = ["Cascade", "Ironwood", "Bluewater", "Tri-County", "Valley", "Northern Plains",
                 "Crescent", "Riverbend", "Highland", "Sunrise"]
FONTS = ["Helvetica", "Times", "Courier"]


def name_parts(rng):
    return rng.choice(FIRST), (rng.choice(MIDDLE) if rng.random() < 0.6 else ""), rng.choice(LAST)


def printed(parts, style):
    """(printed text, truth in first-last order) of a name in a style."""
    f, m, last = parts
    if style == "lastfirst":
        return "%s, %s%s" % (last.upper(), f.upper(), (" " + m) if m else ""), \
            " ".join(p for p in [f, m, last] if p)
    if style == "initial":
        return "%s %s" % (f[0].upper(), last.upper()), "%s %s" % (f[0], last)
    if style == "title":
        return " ".join(p for p in [f, m, last] if p), " ".join(p for p in [f, m, last] if p)
    return " ".join(p for p in [f, m, last] if p).upper(), " ".join(p for p in [f, m, last] if p)


def home_address(rng):
    city = rng.choice(CITIES)
    street = "%d %s %s" % (rng.randrange(10, 9999), rng.choice(STREETS), rng.choice(SUFFIX))
    if rng.random() < 0.25:
        street = "%d %s %s %s" % (rng.randrange(10, 9999), rng.choice(["N", "S", "E", "W"]),
                                   rng.choice(STREETS), rng.choice(SUFFIX))
    unit = ""
    if rng.random() < 0.35:
        unit = rng.choice(["Apt %d" % rng.randrange(1, 500), "Unit %d%s" % (rng.randrange(1, 40), rng.choice("ABC")),
                           "# %d" % rng.randrange(1, 90)]).replace("# ", "#")
    return {"street": street, "unit": unit, "city": city[0], "state": city[1], "zip": city[2]}


def office(rng):
    city = rng.choice(CITIES)
    return {"street": "%d %s" % (rng.randrange(100, 9999), rng.choice(
        ["Commerce Way", "Corporate Center Dr", "Enterprise Pkwy", "Main St Suite 400",
         "Utility Plaza", "Insurance Row"])), "unit": "", "city": city[0], "state": city[1],
        "zip": city[2]}


def lines_of(a, upper=False):
    l1 = a["street"] + ((" " + a["unit"]) if a["unit"] else "")
    out = [l1, "%s, %s %s" % (a["city"], a["state"], a["zip"])]
    return [s.upper() for s in out] if upper else out


def one_line(a, upper=False):
    s = "%s%s, %s, %s %s" % (a["street"], (", " + a["unit"]) if a["unit"] else "", a["city"],
                             a["state"], a["zip"])
    return s.upper() if upper else s


def company(rng, kind):
    w = rng.choice(COMPANY_WORDS)
    return {"electric": rng.choice(["%s Electric Company", "%s Power & Light", "%s Electric Cooperative"]),
            "gas": rng.choice(["%s Natural Gas", "%s Gas Service Co"]),
            "water": rng.choice(["%s Water District", "%s Water & Sewer Authority"]),
            "internet": rng.choice(["%s Fiber", "%s Broadband", "%s Cable & Internet"]),
            "phone": rng.choice(["%s Telephone Co", "%s Telecom"]),
            "insurer": rng.choice(["%s Mutual Insurance Co", "%s Casualty Company", "%s Indemnity Insurance"]),
            "landlord": rng.choice(["%s Property Group LLC", "%s Residential LLC", "%s Rentals Inc"])}[kind] % w


def wrap(text, width):
    out, cur = [], ""
    for w in text.split():
        if cur and len(cur) + 1 + len(w) > width:
            out.append(cur)
            cur = w
        else:
            cur = (cur + " " + w) if cur else w
    if cur:
        out.append(cur)
    return out


def para(doc, y, text, width, size=9.5, step=13):
    for line in wrap(text, width):
        doc.t(40, y, line, size)
        y += step
    return y + 6


class Ctx:
    """What a family needs: the rng, the document, holders, home, today, and the font width."""

    def __init__(self, rng, doc, names, home, today, font):
        self.rng, self.doc, self.names, self.home, self.today = rng, doc, names, home, today
        self.font = font
        self.cols = 44 if font == "Courier" else 52  # characters that fit in a half column
        self.prose = 84 if font == "Courier" else 100

    def holders(self, style, n=None):
        ps = [printed(p, style) for p in self.names[:n or len(self.names)]]
        return [p[0] for p in ps], [p[1] for p in ps]

    def d(self, date):
        return fmt_date(self.rng, date)


def info(kind, truth_names, date, issuer, confusers):
    return {"kind": kind, "holders": truth_names, "date": date, "issuer": issuer,
            "confusers": confusers}


# --- tuning families -------------------------------------------------------------------------

def t_electric_twocol(c):
    rng, doc = c.rng, c.doc
    co, caddr = company(rng, "electric"), office(rng)
    doc.t(40, 36, co, 18, True)
    block(doc, 40, 60, lines_of(caddr), 8, 10)
    date = add_days(c.today, -rng.randrange(4, 50))
    doc.t(330, 40, "Account Number  %d %d" % (rng.randrange(1000, 9999), rng.randrange(100000, 999999)), 9)
    doc.t(330, 54, "Bill Date  %s" % c.d(date), 9)
    doc.t(330, 68, "Payment Due  %s" % c.d(add_days(date, 20)), 9)
    doc.t(330, 82, "Total Amount Due  $%d.%02d" % (rng.randrange(30, 300), rng.randrange(100)), 9)
    pr, truth = c.holders(rng.choice(["upper", "title"]), 1)
    mailing = po_box(rng) if rng.random() < 0.5 else c.home
    y = block(doc, 50, 130, pr + lines_of(mailing, True), 10)
    doc.t(330, 130, "SERVICE ADDRESS", 9, True)
    block(doc, 330, 143, lines_of(c.home, True), 9, 12)
    y = max(y, 180) + 20
    doc.t(40, y, "Billing Period  %s - %s   (%d days)" % (c.d(add_days(date, -34)), c.d(add_days(date, -4)), 30), 9)
    doc.t(40, y + 14, "Meter %08d   Previous %d  Present %d   Usage %d kWh" % (
        rng.randrange(10 ** 7, 10 ** 8), rng.randrange(1000, 5000), rng.randrange(5000, 9000), rng.randrange(200, 1400)), 9)
    doc.t(40, y + 28, "Next scheduled read  %s" % c.d(add_days(date, 26)), 9)
    stub = po_box(rng)
    doc.t(40, 610, "Return this portion with your payment.", 8)
    doc.t(330, 630, "Remit payment to:", 9, True)
    block(doc, 330, 643, [co.upper()] + lines_of(stub, True), 9, 12)
    conf = [caddr, stub] + ([mailing] if mailing is not c.home else [])
    return info("utility_bill", truth, date, co, conf)


def t_water_city(c):
    rng, doc = c.rng, c.doc
    city = c.home["city"]
    doc.t(40, 36, "CITY OF %s" % city.upper(), 16, True)
    doc.t(40, 56, "Utility Billing Division - Water, Sewer & Refuse", 10)
    hall = office(rng)
    doc.t(40, 70, one_line(hall), 8)
    date = add_days(c.today, -rng.randrange(4, 60))
    pr, truth = c.holders(rng.choice(["upper", "lastfirst"]))
    y = 110
    if len(pr) > 1:
        doc.t(40, y, "Customer Name:", 9, True)
        y = block(doc, 140, y, pr, 9, 12)
    else:
        doc.t(40, y, "Customer Name:  %s" % pr[0], 9)
        y += 14
    doc.t(40, y, "Service Location:  %s" % one_line(c.home, True), 9)
    doc.t(40, y + 14, "Billing Date:  %s" % c.d(date), 9)
    doc.t(40, y + 28, "Due Date:  %s" % c.d(add_days(date, 18)), 9)
    doc.t(40, y + 42, "Read Dates:  %s to %s" % (c.d(add_days(date, -36)), c.d(add_days(date, -6))), 9)
    doc.t(40, y + 70, "Water  %d gal   Sewer  $%d.00   Refuse  $%d.00" % (rng.randrange(1000, 9000), rng.randrange(20, 60), rng.randrange(15, 40)), 9)
    mailing = po_box(rng) if rng.random() < 0.4 else c.home
    block(doc, 60, 300, [pr[0]] + lines_of(mailing, True), 10)
    pay = po_box(rng)
    doc.t(330, 300, "Make checks payable to:", 9, True)
    block(doc, 330, 313, ["City of %s" % city] + lines_of(pay), 9, 12)
    conf = [hall, pay] + ([mailing] if mailing is not c.home else [])
    return info("utility_bill", truth, date, "City of %s" % city, conf)


def t_internet(c):
    rng, doc = c.rng, c.doc
    co, caddr = company(rng, "internet"), office(rng)
    doc.t(40, 36, co, 20, True)
    date = add_days(c.today, -rng.randrange(3, 45))
    doc.t(330, 40, "Statement date: %s" % c.d(date), 9)
    doc.t(330, 54, "Pay by: %s" % c.d(add_days(date, 15)), 9)
    doc.t(330, 68, "Account: 8%09d" % rng.randrange(10 ** 9), 9)
    pr, truth = c.holders("title")
    doc.t(40, 110, "Account name: %s" % " & ".join(pr), 9)
    doc.t(40, 124, "Service address: %s" % one_line(c.home), 9)
    doc.t(40, 150, "Your plan: Fiber 500   Equipment: Wi-Fi gateway   Autopay: on", 9)
    doc.t(40, 164, "Service from %s through %s" % (c.d(add_days(date, 1)), c.d(add_days(date, 30))), 9)
    doc.t(40, 200, "Questions? Write to us at", 8)
    doc.t(40, 211, one_line(caddr), 8)
    pay = po_box(rng)
    doc.t(330, 620, "Send payments to:", 9, True)
    block(doc, 330, 633, [co] + lines_of(pay), 9, 12)
    mailing = po_box(rng) if rng.random() < 0.5 else c.home
    block(doc, 50, 640, [pr[0].upper()] + lines_of(mailing, True), 9, 12)
    conf = [caddr, pay] + ([mailing] if mailing is not c.home else [])
    return info("utility_bill", truth, date, co, conf)


def t_lease_prose(c):
    rng, doc = c.rng, c.doc
    ll, laddr = company(rng, "landlord"), office(rng)
    doc.t(170, 40, "RESIDENTIAL LEASE AGREEMENT", 15, True)
    date = add_days(c.today, -rng.randrange(5, 80))
    pr, truth = c.holders("title")
    tenants = " and ".join(pr)
    q = rng.choice(['"', "'"])
    y = para(doc, 80, "This Residential Lease Agreement (the %sLease%s) is made and entered into on %s, "
             "by and between %s (%sLandlord%s) and %s (%sTenant%s)." % (
                 q, q, c.d(date), ll, q, q, tenants, q, q), c.prose)
    y = para(doc, y, "1. PREMISES. Landlord hereby leases to Tenant, and Tenant leases from Landlord, "
             "the residential premises located at %s (the %sPremises%s), together with the "
             "fixtures and appliances listed below." % (one_line(c.home), q, q), c.prose)
    start = add_days(date, rng.randrange(5, 30))
    y = para(doc, y, "2. TERM. The term of this Lease begins on %s and ends on %s, unless renewed "
             "or terminated as provided herein." % (c.d(start), c.d(add_days(start, 364))), c.prose)
    y = para(doc, y, "3. RENT. Tenant shall pay Landlord $%d.00 per month, due on the first day of "
             "each month, at %s or such other place as Landlord designates." % (
                 rng.randrange(900, 3200), one_line(laddr)), c.prose)
    y = para(doc, y, "4. SECURITY DEPOSIT. Upon signing, Tenant shall deposit $%d.00 with Landlord." % rng.randrange(500, 3000), c.prose)
    return info("lease", truth, date, ll, [laddr])


def t_renters(c):
    rng, doc = c.rng, c.doc
    ins = company(rng, "insurer")
    doc.t(40, 36, ins, 16, True)
    doc.t(40, 58, "RENTERS POLICY DECLARATIONS", 11, True)
    date = add_days(c.today, -rng.randrange(3, 70))
    doc.t(330, 40, "Policy Number: RN %07d" % rng.randrange(10 ** 7), 9)
    doc.t(330, 54, "Date Issued: %s" % c.d(date), 9)
    eff = add_days(date, rng.randrange(1, 20))
    doc.t(330, 68, "Policy Period: %s to %s" % (c.d(eff), c.d(add_days(eff, 365))), 9)
    doc.t(330, 80, "12:01 A.M. standard time at the residence premises", 7)
    pr, truth = c.holders("lastfirst", 1)
    mailing = po_box(rng) if rng.random() < 0.5 else c.home
    doc.t(40, 110, "Named Insured and Mailing Address", 9, True)
    block(doc, 40, 123, pr + lines_of(mailing, True), 9, 12)
    agent = office(rng)
    doc.t(330, 110, "Your Agent", 9, True)
    block(doc, 330, 123, ["%s Agency" % rng.choice(LAST)] + lines_of(agent), 9, 12)
    doc.t(40, 190, "Residence Premises:", 9, True)
    doc.t(175, 190, one_line(c.home, True), 9)
    doc.t(40, 220, "Coverage C - Personal Property  $%d,000   Coverage E - Liability  $300,000" % rng.randrange(15, 80), 9)
    doc.t(40, 234, "Deductible  $500   Total Annual Premium  $%d.00" % rng.randrange(120, 400), 9)
    conf = [agent] + ([mailing] if mailing is not c.home else [])
    return info("insurance", truth, date, ins, conf)


def t_gas_stub_top(c):
    rng, doc = c.rng, c.doc
    co = company(rng, "gas")
    pay = po_box(rng)
    date = add_days(c.today, -rng.randrange(4, 50))
    pr, truth = c.holders("initial", 1)
    mailing = po_box(rng) if rng.random() < 0.4 else c.home
    doc.t(40, 30, "Please return this portion with your payment", 8)
    doc.t(40, 44, co.upper(), 10, True)
    block(doc, 40, 58, lines_of(pay, True), 9, 11)
    doc.t(330, 44, "Amount enclosed  $________", 9)
    block(doc, 330, 70, pr + lines_of(mailing, True), 10)
    doc.t(40, 130, "- " * 50, 8)
    doc.t(40, 150, co, 18, True)
    doc.t(40, 180, "Statement Date:  %s" % c.d(date), 9)
    doc.t(40, 194, "Customer:  %s" % pr[0], 9)
    doc.t(40, 208, "Service at:  %s" % one_line(c.home), 9)
    doc.t(330, 180, "Current charges due %s" % c.d(add_days(date, 19)), 9)
    doc.t(330, 194, "Late fee applies after %s" % c.d(add_days(date, 25)), 9)
    doc.t(40, 240, "Gas used  %d therms   Meter reading date  %s" % (rng.randrange(10, 140), c.d(add_days(date, -3))), 9)
    conf = [pay] + ([mailing] if mailing is not c.home else [])
    return info("utility_bill", truth, date, co, conf)


def t_auto_decl(c):
    rng, doc = c.rng, c.doc
    ins = company(rng, "insurer")
    doc.t(40, 36, ins, 16, True)
    doc.t(40, 58, "AUTOMOBILE POLICY DECLARATIONS", 11, True)
    date = add_days(c.today, -rng.randrange(3, 70))
    eff = add_days(date, rng.randrange(0, 15))
    pr, truth = c.holders("lastfirst")
    y = 100
    doc.t(40, y, "Named Insured(s):", 9, True)
    y = block(doc, 140, y, pr, 9, 12)
    doc.t(40, y + 4, "Address:", 9, True)
    y = block(doc, 140, y + 4, lines_of(c.home, True), 9, 12)
    doc.t(330, 100, "Policy No. PA-%08d" % rng.randrange(10 ** 8), 9)
    doc.t(330, 114, "Effective Date: %s" % c.d(eff), 9)
    doc.t(330, 128, "Expiration Date: %s" % c.d(add_days(eff, 182)), 9)
    doc.t(330, 142, "Issue Date: %s" % c.d(date), 9)
    y = max(y, 160) + 16
    doc.t(40, y, "Veh  Year  Make/Model          VIN", 9, True)
    doc.t(40, y + 13, "1    20%02d  %s       1HG%014d" % (rng.randrange(10, 24), rng.choice(["Honda Civic", "Ford F-150", "Subaru Outback"]), rng.randrange(10 ** 13)), 9)
    lien = office(rng)
    doc.t(40, y + 40, "Lienholder:", 9, True)
    block(doc, 140, y + 40, ["%s Auto Finance" % rng.choice(COMPANY_WORDS)] + lines_of(lien), 9, 12)
    doc.t(40, y + 90, "Bodily Injury 100/300   Property Damage 100   Collision Ded $500", 9)
    return info("insurance", truth, date, ins, [lien])


# --- held-aside families (never looked at while tuning) ---------------------------------------

def h_coop_member(c):
    rng, doc = c.rng, c.doc
    co, caddr = company(rng, "electric"), office(rng)
    doc.t(40, 36, co.upper(), 15, True)
    doc.t(40, 56, "Owned by the members we serve", 8)
    doc.t(40, 67, one_line(caddr), 8)
    date = add_days(c.today, -rng.randrange(4, 55))
    pr, truth = c.holders(rng.choice(["upper", "lastfirst"]), 1)
    doc.t(40, 100, "Member Name", 8, True)
    doc.t(40, 112, pr[0], 10)
    doc.t(200, 100, "Member Number", 8, True)
    doc.t(200, 112, "%07d" % rng.randrange(10 ** 7), 10)
    doc.t(330, 100, "Date Mailed", 8, True)
    doc.t(330, 112, c.d(date), 10)
    doc.t(450, 100, "Past Due After", 8, True)
    doc.t(450, 112, c.d(add_days(date, 21)), 10)
    doc.t(40, 140, "Location of Service", 8, True)
    block(doc, 40, 152, lines_of(c.home), 10)
    doc.t(330, 140, "Service Dates", 8, True)
    doc.t(330, 152, "%s - %s" % (c.d(add_days(date, -33)), c.d(add_days(date, -2))), 10)
    doc.t(40, 200, "kWh used %d    Facility charge $%d.00    Energy charge $%d.%02d" % (
        rng.randrange(300, 2000), rng.randrange(15, 40), rng.randrange(40, 200), rng.randrange(100)), 9)
    pay = po_box(rng)
    mailing = po_box(rng) if rng.random() < 0.5 else c.home
    block(doc, 60, 640, [pr[0]] + lines_of(mailing, True), 10)
    doc.t(330, 630, "Mail payments to", 9, True)
    block(doc, 330, 643, [co] + lines_of(pay), 9, 12)
    conf = [caddr, pay] + ([mailing] if mailing is not c.home else [])
    return info("utility_bill", truth, date, co, conf)


def h_phone_landline(c):
    rng, doc = c.rng, c.doc
    co, caddr = company(rng, "phone"), office(rng)
    doc.t(40, 36, co, 18, True)
    date = add_days(c.today, -rng.randrange(4, 50))
    pr, truth = c.holders("title", 1)
    doc.t(40, 70, "Billing date %s" % c.d(date), 10)
    doc.t(40, 84, "Please pay by %s" % c.d(add_days(date, 17)), 10)
    doc.t(330, 70, "Telephone number (%03d) %03d-%04d" % (rng.randrange(200, 999), rng.randrange(200, 999), rng.randrange(10000)), 10)
    doc.t(330, 84, "Account holder %s" % pr[0], 10)
    doc.t(40, 120, "Service at", 9, True)
    block(doc, 40, 133, lines_of(c.home), 10)
    doc.t(330, 120, "Local calling plan, voicemail, long distance %d min" % rng.randrange(10, 300), 9)
    doc.t(40, 200, "Charges for %s through %s" % (c.d(add_days(date, -30)), c.d(add_days(date, -1))), 9)
    doc.t(40, 230, "Correspondence: %s" % one_line(caddr), 8)
    pay = po_box(rng)
    doc.t(330, 640, "Payment address", 9, True)
    block(doc, 330, 653, lines_of(pay), 9, 12)
    return info("utility_bill", truth, date, co, [caddr, pay])


def h_lease_form(c):
    rng, doc = c.rng, c.doc
    ll, laddr = company(rng, "landlord"), office(rng)
    doc.t(200, 36, "LEASE AGREEMENT", 15, True)
    doc.t(200, 56, "Summary of Basic Terms", 10)
    date = add_days(c.today, -rng.randrange(5, 80))
    start = add_days(date, rng.randrange(3, 25))
    pr, truth = c.holders("title")
    rows = [("Owner/Agent", ll), ("Owner/Agent Address", one_line(laddr)),
            ("Resident(s)", ", ".join(pr)), ("Unit Address", one_line(c.home)),
            ("Lease Begins", c.d(start)), ("Lease Ends", c.d(add_days(start, 364))),
            ("Monthly Rent", "$%d.00" % rng.randrange(900, 3200)),
            ("Date of Agreement", c.d(date))]
    y = 90
    for k, v in rows:
        doc.t(40, y, k, 9, True)
        doc.t(190, y, v, 9)
        y += 18
    para(doc, y + 10, "The Resident(s) named above agree to rent the unit from the Owner/Agent on the terms "
         "set out in this summary and the attached rules.", c.prose)
    return info("lease", truth, date, ll, [laddr])


def h_homeowners(c):
    rng, doc = c.rng, c.doc
    ins = company(rng, "insurer")
    doc.t(40, 36, ins, 16, True)
    doc.t(40, 58, "HOMEOWNERS DECLARATIONS PAGE", 11, True)
    date = add_days(c.today, -rng.randrange(3, 70))
    pr, truth = c.holders("lastfirst")
    doc.t(40, 90, "INSURED:", 9, True)
    y = block(doc, 120, 90, pr, 9, 12)
    mailing = po_box(rng) if rng.random() < 0.5 else c.home
    y = block(doc, 120, y, lines_of(mailing, True), 9, 12)
    doc.t(330, 90, "Date of Issue: %s" % c.d(date), 9)
    eff = add_days(date, rng.randrange(1, 20))
    doc.t(330, 104, "Effective: %s" % c.d(eff), 9)
    doc.t(330, 118, "Expires: %s" % c.d(add_days(eff, 365)), 9)
    doc.t(40, max(y, 150) + 14, "Location of residence premises: %s" % one_line(c.home, True), 9)
    lender = office(rng)
    doc.t(40, 200, "Mortgagee / Loss Payee", 9, True)
    block(doc, 40, 213, ["%s Savings Bank ISAOA" % rng.choice(COMPANY_WORDS)] + lines_of(lender), 9, 12)
    agent = office(rng)
    doc.t(330, 200, "Producer", 9, True)
    block(doc, 330, 213, ["%s & Sons Insurance" % rng.choice(LAST)] + lines_of(agent), 9, 12)
    doc.t(40, 280, "Dwelling $%d,000   Other Structures   Personal Property   Loss of Use" % rng.randrange(150, 900), 9)
    conf = [lender, agent] + ([mailing] if mailing is not c.home else [])
    return info("insurance", truth, date, ins, conf)


def h_water_district(c):
    rng, doc = c.rng, c.doc
    co, caddr = company(rng, "water"), office(rng)
    doc.t(40, 36, co, 16, True)
    block(doc, 40, 56, lines_of(caddr), 8, 10)
    date = add_days(c.today, -rng.randrange(4, 60))
    pr, truth = c.holders("lastfirst", 1)
    doc.t(40, 110, "Account Name: %s" % pr[0], 9)
    doc.t(40, 124, "Service Location: %s" % one_line(c.home), 9)
    doc.t(330, 110, "Bill Date: %s" % c.d(date), 9)
    doc.t(330, 124, "Penalty Date: %s" % c.d(add_days(date, 24)), 9)
    doc.t(330, 138, "Period: %s - %s" % (c.d(add_days(date, -62)), c.d(add_days(date, -2))), 9)
    doc.t(40, 170, "Meter Size 5/8   Consumption %d CCF   Base Rate $%d.00" % (rng.randrange(5, 40), rng.randrange(20, 50)), 9)
    pay = po_box(rng)
    doc.t(40, 620, "Detach and return with payment", 8)
    block(doc, 330, 640, ["Remittance Address"] + lines_of(pay), 9, 12)
    return info("utility_bill", truth, date, co, [caddr, pay])


def h_cable(c):
    rng, doc = c.rng, c.doc
    co, caddr = company(rng, "internet"), office(rng)
    doc.t(40, 36, co, 18, True)
    date = add_days(c.today, -rng.randrange(3, 45))
    pr, truth = c.holders("upper")
    doc.t(40, 80, "Prepared for", 8, True)
    y = block(doc, 40, 92, pr, 10)
    doc.t(40, y + 6, "Service location", 8, True)
    block(doc, 40, y + 18, lines_of(c.home, True), 10)
    doc.t(330, 80, "Statement Date %s" % c.d(date), 9)
    doc.t(330, 94, "Auto-pay scheduled %s" % c.d(add_days(date, 12)), 9)
    doc.t(330, 108, "Account Number 8155 %04d %07d" % (rng.randrange(10000), rng.randrange(10 ** 7)), 9)
    doc.t(40, 200, "Regional office: %s" % one_line(caddr), 8)
    doc.t(40, 214, "TV Select, Internet 300 Mbps, Voice - services from %s to %s" % (
        c.d(add_days(date, 2)), c.d(add_days(date, 31))), 9)
    return info("utility_bill", truth, date, co, [caddr])


def h_lease_prose_b(c):
    rng, doc = c.rng, c.doc
    ll, laddr = company(rng, "landlord"), office(rng)
    doc.t(150, 40, "RESIDENTIAL RENTAL AGREEMENT", 15, True)
    date = add_days(c.today, -rng.randrange(5, 80))
    pr, truth = c.holders(rng.choice(["title", "upper"]))
    y = para(doc, 80, "THIS AGREEMENT, dated %s, is by and between %s, whose address is %s, "
             "hereinafter 'Lessor', and %s, hereinafter 'Lessee'." % (
                 c.d(date), ll, one_line(laddr), " and ".join(pr)), c.prose)
    start = add_days(date, rng.randrange(3, 20))
    y = para(doc, y, "WITNESSETH: Lessor rents to Lessee the dwelling known as %s, for a term "
             "commencing %s and expiring %s." % (one_line(c.home), c.d(start), c.d(add_days(start, 364))), c.prose)
    y = para(doc, y, "Lessee shall pay rent of $%d.00 per month in advance. Notices to Lessor shall be "
             "delivered to the address above." % rng.randrange(900, 3000), c.prose)
    return info("lease", truth, date, ll, [laddr])


TUNING = [("electric_twocol", t_electric_twocol), ("water_city", t_water_city),
          ("internet", t_internet), ("lease_prose", t_lease_prose), ("renters", t_renters),
          ("gas_stub_top", t_gas_stub_top), ("auto_decl", t_auto_decl)]
HELD_ASIDE = [("coop_member", h_coop_member), ("phone_landline", h_phone_landline),
              ("lease_form", h_lease_form), ("homeowners", h_homeowners),
              ("water_district", h_water_district), ("cable", h_cable),
              ("lease_prose_b", h_lease_prose_b)]
SETS = {"tuning": TUNING, "held_aside": HELD_ASIDE}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--set", choices=sorted(SETS), required=True)
    ap.add_argument("--count", type=int, default=14)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--forms", default="pdf,png,scan,rot,scanrot")
    ap.add_argument("--today", default="2025-06-01")
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    fams = SETS[a.set]
    rng = random.Random("%s-%d" % (a.set, a.seed))
    today = tuple(int(x) for x in a.today.split("-"))
    forms = a.forms.split(",")
    truth = []
    for i in range(a.count):
        fam, gen = fams[i % len(fams)]
        sid = "%s-%03d" % (fam, i)
        names = [name_parts(rng)]
        if rng.random() < 0.35:
            names.append(name_parts(rng))
        home = home_address(rng)
        font = rng.choice(FONTS)
        doc = Doc()
        inf = gen(Ctx(rng, doc, names, home, today, font))
        pdf = os.path.join(a.outdir, sid + ".pdf")
        docutil.pdf_text(pdf, [doc.items], font=font)
        base = {"family": fam, "set": a.set, "font": font, "kind": inf["kind"],
                "holders": inf["holders"], "street": home["street"], "unit": home["unit"],
                "city": home["city"], "state": home["state"], "zip": home["zip"],
                "date": "%04d-%02d-%02d" % inf["date"], "issuer": inf["issuer"],
                "confusers": inf["confusers"], "rotation": 0}
        png = os.path.join(a.outdir, sid + "-clean.png")
        if "pdf" in forms:
            truth.append(dict(base, file=sid + ".pdf", form="pdf", degraded=False))
        if any(f != "pdf" for f in forms):
            docutil.render_pdf(pdf, png, 200)
        if "png" in forms:
            truth.append(dict(base, file=sid + "-clean.png", form="png", degraded=False))
        scan = os.path.join(a.outdir, sid + "-scan.jpg")
        if "scan" in forms or "scanrot" in forms:
            how = docutil.degrade(png, scan, rng, "scan")
            if "scan" in forms:
                truth.append(dict(base, file=sid + "-scan.jpg", form="scan", degraded=True, degradation=how))
        if "photo" in forms:
            how = docutil.degrade(png, os.path.join(a.outdir, sid + "-photo.jpg"), rng, "photo")
            truth.append(dict(base, file=sid + "-photo.jpg", form="photo", degraded=True, degradation=how))
        for form, src, ext in (("rot", png, "png"), ("scanrot", scan, "jpg")):
            if form not in forms:
                continue
            turn = rng.choice([90, 180, 270])
            dst = os.path.join(a.outdir, "%s-%s%d.%s" % (sid, form, turn, ext))
            docutil.run(["convert", src, "-rotate", str(turn), "-strip", dst])
            truth.append(dict(base, file=os.path.basename(dst), form=form, rotation=turn,
                              degraded=form == "scanrot"))
        if "png" not in forms and os.path.exists(png):
            os.unlink(png)
        if "scan" not in forms and os.path.exists(scan):
            os.unlink(scan)
    with open(os.path.join(a.outdir, "truth.json"), "w") as f:
        json.dump(truth, f, indent=1)
    print("families.py: %d files of the %s set in %s" % (len(truth), a.set, a.outdir))


if __name__ == "__main__":
    main()
