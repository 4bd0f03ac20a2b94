#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Proofs of residence from a random layout grammar: a further HELD-ASIDE measure, made by a
different method than the hand-written families of families.py. Never tune the reader on it:
tests/accuracy/families.py --sets grammar prints one figure for it, never a file or a miss.

A page is a header (the issuer, maybe its address) and a random sequence of blocks placed in one
or two columns at random spacing: the holder (under a label drawn from a list, with the value
beside it, after a colon or below, or as the addressee of a mailing block), the service address
(one line or two, labelled in one of many wordings), the statement date among distractor dates
(due, period, reads, expiry, effective), confuser addresses (remit-to, correspondence, agent,
landlord, lender) and filler lines. Label wordings, date formats, capitals, fonts and sizes are
drawn from lists written for this generator (not from the reader's label table).

    seeds/gen/grammar.py OUTDIR [--count N] [--seed S] [--forms pdf,png,scan,rot,scanrot]
                         [--today YYYY-MM-DD]

The output (files and truth.json) has the shape of families.py's, with family "grammar".
"""
import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import families  # noqa: E402
from residence import Doc, add_days, fmt_date, po_box  # noqa: E402

HOLDER_LABELS = ["Customer", "Customer Name", "Account Holder", "Account Name", "Name",
                 "Bill To", "Billed To", "Member", "Member Name", "Subscriber", "Insured",
                 "Named Insured", "Resident", "Tenant(s)", "Prepared For", "Service For",
                 "Account Owner", "Policyholder", "Occupant", "Customer of Record"]
ADDRESS_LABELS = ["Service Address", "Service Location", "Premises", "Property Address",
                  "Location", "Installation Address", "Residence Premises", "Insured Location",
                  "Rental Unit", "Service Provided At", "Location of Service", "Dwelling",
                  "Described Location", "Property", "Site Address", "Where Service Is Provided"]
DATE_LABELS = ["Statement Date", "Bill Date", "Date Issued", "Invoice Date", "Date Prepared",
               "Notice Date", "Issue Date", "Billing Date", "Date of Bill", "Statement Issued",
               "Printed On", "Date of This Statement", "Bill Issued", "Declarations Date"]
DUE_LABELS = ["Due Date", "Payment Due", "Pay By", "Please Pay By", "Amount Due By",
              "Due On or Before", "Late After", "Disconnect After"]
OTHER_DATE_LABELS = ["Next Meter Read", "Next Bill Date", "Expiration Date", "Effective Date",
                     "Renewal Date", "Last Payment Received", "Previous Read"]
CONFUSER_LABELS = ["Remit To", "Please Send Payment To", "Mail Payments To", "Payment Address",
                   "Correspondence Address", "Send Correspondence To", "Your Agent",
                   "Landlord", "Property Manager", "Lender", "Mortgagee", "Make Checks Payable To",
                   "Our Office"]
FILLERS = ["Thank you for being a valued customer.", "Questions? Call 1-800-555-0142.",
           "Paperless billing is available online.", "Current charges  $%d.%02d",
           "Previous balance  $%d.%02d", "Payments received - thank you", "Taxes and fees  $%d.%02d",
           "Usage this period  %d units", "Account summary", "Important messages",
           "Total amount due  $%d.%02d", "Reference %d-%d"]
KINDS = [("utility_bill", "electric"), ("utility_bill", "gas"), ("utility_bill", "water"),
         ("utility_bill", "internet"), ("utility_bill", "phone"), ("insurance", "insurer"),
         ("lease", "landlord")]


def filler(rng):
    f = rng.choice(FILLERS)
    n = f.count("%")
    return f % tuple(rng.randrange(1, 999) for _ in range(n)) if n else f


def label_value(rng, doc, x, y, label, lines, size, step):
    """A label and its value: beside it after a colon, beside it without one, or below."""
    style = rng.choice(["colon", "nocolon", "below"] if len(lines) == 1 else ["colon", "below"])
    if style == "below":
        doc.t(x, y, label + rng.choice([":", ""]), size, rng.random() < 0.5)
        for i, line in enumerate(lines):
            doc.t(x, y + (i + 1) * step, line, size)
        return y + (len(lines) + 1) * step
    sep = ": " if style == "colon" else "  "
    doc.t(x, y, label + sep + lines[0], size)
    for i, line in enumerate(lines[1:]):
        doc.t(x + 10 * len(label) // 2 + 40, y + (i + 1) * step, line, size)
    return y + len(lines) * step


def page(c):
    rng, doc, today = c.rng, c.doc, c.today
    kind, co_kind = rng.choice(KINDS)
    issuer = families.company(rng, co_kind)
    size = rng.choice([8, 9, 9, 10, 11])
    step = size + rng.choice([3, 4, 5, 7])
    upper = rng.random() < 0.4
    doc.t(40, 36, issuer.upper() if rng.random() < 0.3 else issuer, rng.choice([14, 16, 18, 20]), True)
    y0 = 64
    confusers = []
    if rng.random() < 0.6:
        ia = families.office(rng)
        doc.t(40, y0, families.one_line(ia), 8)
        confusers.append(ia)
        y0 += 14
    date = add_days(today, -rng.randrange(3, 70))
    style = rng.choice(["upper", "title", "lastfirst", "initial"])
    pr, truth = c.holders(style)
    blocks = ["holder", "address", "date", "due"]
    rng.shuffle(blocks)
    optional = ["confuser", "filler", "filler"] + (["other_date"] if rng.random() < 0.5 else []) + \
        (["confuser"] if rng.random() < 0.4 else [])
    rng.shuffle(optional)
    # the four that every page has come first, in random order; the rest where room is left
    blocks += optional
    cols = [40, 320] if rng.random() < 0.6 else [40]
    ys = [y0 + rng.randrange(10, 40) for _ in cols]
    holder_as_addressee = rng.random() < 0.35
    for b in blocks:
        k = rng.randrange(len(cols))
        if ys[k] > 600:
            k = min(range(len(cols)), key=lambda j: ys[j])
        x, y = cols[k], ys[k]
        if y > 680:
            continue
        if b == "holder":
            if holder_as_addressee:
                mailing = po_box(rng) if rng.random() < 0.5 else c.home
                lines = list(pr) + families.lines_of(mailing, upper)
                for i, line in enumerate(lines):
                    doc.t(x + 10, y + i * step, line, size + 1)
                y += len(lines) * step
                if mailing is not c.home:
                    confusers.append(mailing)
            else:
                y = label_value(rng, doc, x, y, rng.choice(HOLDER_LABELS), [" & ".join(pr)]
                                if len(pr) > 1 and rng.random() < 0.5 else list(pr), size, step)
        elif b == "address":
            lines = [families.one_line(c.home, upper)] if rng.random() < 0.5 else \
                families.lines_of(c.home, upper)
            y = label_value(rng, doc, x, y, rng.choice(ADDRESS_LABELS), lines, size, step)
        elif b == "date":
            y = label_value(rng, doc, x, y, rng.choice(DATE_LABELS), [fmt_date(rng, date)], size, step)
        elif b == "due":
            y = label_value(rng, doc, x, y, rng.choice(DUE_LABELS),
                            [fmt_date(rng, add_days(date, rng.randrange(10, 30)))], size, step)
        elif b == "other_date":
            y = label_value(rng, doc, x, y, rng.choice(OTHER_DATE_LABELS),
                            [fmt_date(rng, add_days(date, rng.choice([-40, -31, 25, 30, 180, 365])))],
                            size, step)
        elif b == "confuser":
            ca = po_box(rng) if rng.random() < 0.5 else families.office(rng)
            y = label_value(rng, doc, x, y, rng.choice(CONFUSER_LABELS),
                            [families.company(rng, co_kind)] + families.lines_of(ca), size, step)
            confusers.append(ca)
        else:
            for _ in range(rng.randrange(1, 4)):
                doc.t(x, y, filler(rng), size)
                y += step
        ys[k] = y + rng.randrange(8, 40)
    return families.info(kind, truth, date, issuer, confusers)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--count", type=int, default=14)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--forms", default="pdf,png,scan,rot,scanrot")
    ap.add_argument("--today", default="2025-06-01")
    a = ap.parse_args()
    families.SETS["grammar"] = [("grammar", page)]
    sys.argv = [sys.argv[0], a.outdir, "--set", "grammar", "--count", str(a.count),
                "--seed", str(a.seed), "--forms", a.forms, "--today", a.today]
    families.main()


if __name__ == "__main__":
    main()
