/* SPDX-License-Identifier: Apache-2.0 */
/*
 * residence_roles.c: the fields chosen by roles: address candidates around every
 * "City, ST zip" scored by their governing label, the holders (a holder label's value, else the
 * addressee above the address) and the statement date (the strongest date label).
 */
#include "idverify/residence_page.h"

void
res_split_unit(struct res_addr *a)
{
	size_t u = res_unit_start(a->street_text);
	if (u == SIZE_MAX || u == 0)
		return;
	res_copy_trim(a->unit, sizeof(a->unit), a->street_text + u, strlen(a->street_text + u));
	size_t l = u;
	while (l > 0 && (a->street_text[l - 1] == ' ' || a->street_text[l - 1] == ','))
		l--;
	a->street_text[l] = '\0';
}

static const char *const res_suffixes[] = {
	"St", "Ave", "Ln", "Dr", "Rd", "Ct", "Ter", "Blvd", "Way", "Pl", "Pkwy", "Cir", "Hwy", "Sq",
	"Trl", "Loop", "Row", "Plz", "Aly", "Cv", "Xing", "Holw", "Hl", "Hls", "Mall", "Walk",
};

/*
 * OCR reads the l of "Pl", "Blvd", "Ln" as I, |, 1 or i. When the street's last word is not a
 * known suffix but becomes one with those glyphs read as l, it is rewritten. A text layer never
 * triggers this (its suffixes are spelled right).
 */
void
res_fix_suffix(char *street)
{
	size_t len = strlen(street);
	while (len > 0 && (street[len - 1] == ' ' || street[len - 1] == '!' || street[len - 1] == ',' ||
			   street[len - 1] == ':' || street[len - 1] == ';' || street[len - 1] == '\''))
		street[--len] = '\0';
	size_t st = len;
	while (st > 0 && street[st - 1] != ' ')
		st--;
	size_t wl = len - st;
	if (st == 0 || wl < 2 || wl > 5)
		return;
	for (size_t i = 0; i < IDV_ARRAY_LEN(res_suffixes); i++)
		if (idv_str_ieq(street + st, wl, res_suffixes[i]))
			return;
	char w[8];
	bool changed = false;
	for (size_t i = 0; i < wl; i++) {
		char c = street[st + i];
		if (i > 0 && (c == 'I' || c == '|' || c == '1' || c == 'i')) {
			c = 'l';
			changed = true;
		}
		w[i] = c;
	}
	w[wl] = '\0';
	if (!changed)
		return;
	for (size_t i = 0; i < IDV_ARRAY_LEN(res_suffixes); i++)
		if (strlen(res_suffixes[i]) == wl && strcmp(w, res_suffixes[i]) == 0) {
			memcpy(street + st, res_suffixes[i], wl);
			return;
		}
}

/* Build an address candidate around segment i (which holds "City, ST zip"). */
static bool
res_address_at(const struct res_ctx *c, size_t i, struct res_addr *a)
{
	const struct idv_res_page *pg = c->pg;
	const struct idv_res_line *l = &pg->lines[i];
	memset(a, 0, sizeof(*a));
	const char *text = l->text + c->seg[i].label_len;
	if (!res_parse_csz(text, &a->p))
		return false;
	a->csz = i;
	a->box = l->box;
	/* street on the same segment, before the city ("12 Elm St, Apt 2, Springfield, IL ...") */
	size_t cs = a->p.city_off;
	if (cs > 0) {
		char before[IDV_RES_LINE_MAX];
		res_copy_trim(before, sizeof(before), text, cs);
		if (res_is_street(before) || res_is_po_box(before)) {
			res_copy_trim(a->street_text, sizeof(a->street_text), before, strlen(before));
			a->street = a->top = i;
			a->po_box = res_is_po_box(before);
			res_split_unit(a);
			res_fix_suffix(a->street_text);
			return true;
		}
		if (before[0] != '\0')
			return false; /* words before the city that are not a street: prose */
	}
	size_t up = res_next_above(pg, i, 1);
	if (up == SIZE_MAX)
		return false;
	const char *ut = pg->lines[up].text + c->seg[up].label_len;
	/* a unit-only line between the street and the city */
	if (res_unit_start(ut) == 0 && !res_is_street(ut)) {
		res_copy_trim(a->unit, sizeof(a->unit), ut, strlen(ut));
		res_box_union(&a->box, &pg->lines[up].box);
		size_t up2 = res_next_above(pg, up, 1);
		if (up2 == SIZE_MAX)
			return false;
		up = up2;
		ut = pg->lines[up].text + c->seg[up].label_len;
	}
	while (*ut == ' ')
		ut++;
	if (!res_is_street(ut) && !res_is_po_box(ut))
		return false;
	res_copy_trim(a->street_text, sizeof(a->street_text), ut, strlen(ut));
	a->po_box = res_is_po_box(ut);
	if (a->unit[0] == '\0')
		res_split_unit(a);
	res_fix_suffix(a->street_text);
	a->street = a->top = up;
	res_box_union(&a->box, &pg->lines[up].box);
	return true;
}

void
res_pick_address(const struct res_ctx *c, struct idv_residence *r, struct res_addr *chosen,
		 bool *found)
{
	const struct idv_res_page *pg = c->pg;
	struct res_addr a;
	*found = false;
	for (size_t i = 0; i < pg->nlines; i++) {
		if (!res_address_at(c, i, &a))
			continue;
		size_t lab;
		enum res_role role = res_governing(c, a.top, &lab);
		a.score = 0;
		if (a.po_box)
			continue;
		if (role == ROLE_NEG_ADDRESS)
			continue;
		if (role == ROLE_ADDRESS) {
			a.score += 100;
			a.labelled = true;
		} else if (role == ROLE_HOLDER) {
			a.score += 30;
		}
		size_t up = res_next_above(pg, a.top, 1);
		if (up != SIZE_MAX && c->seg[up].role == ROLE_NONE) {
			if (res_name_like(pg->lines[up].text))
				a.score += 10;
			else
				a.score -= 5; /* a company or department name heads the block */
			/* a block under the issuer's name is the company's own address */
			if (r->issuer[0] != '\0' && strcmp(pg->lines[up].text, r->issuer) == 0)
				continue;
		}
		/* equal scores: the lower block (a letterhead sits above the addressee) */
		if (!*found || a.score >= chosen->score) {
			*chosen = a;
			*found = true;
		}
	}
	/* an unlabelled block needs a name above it: a lone street may be anyone's */
	if (*found && chosen->score <= 0)
		*found = false;
}

/* The holder name(s) right above an address block starting at segment top. */
static bool
res_addressee(const struct res_ctx *c, struct idv_residence *r, size_t top)
{
	const struct idv_res_page *pg = c->pg;
	size_t up = res_next_above(pg, top, 1);
	if (up == SIZE_MAX || c->seg[up].role != ROLE_NONE || !res_name_like(pg->lines[up].text) ||
	    strcmp(pg->lines[up].text, r->issuer) == 0)
		return false;
	/* a second addressee line ("JANE DOE" above "JOHN DOE"), printed order kept */
	size_t up2 = res_next_above(pg, up, 1);
	if (up2 != SIZE_MAX && c->seg[up2].role == ROLE_NONE &&
	    res_name_like(pg->lines[up2].text) &&
	    pg->lines[up2].height * 5 >= pg->lines[up].height * 4 &&
	    pg->lines[up2].height * 4 <= pg->lines[up].height * 5 &&
	    strcmp(pg->lines[up2].text, r->issuer) != 0) {
		res_add_holders(r, pg->lines[up2].text);
		res_box_union(&r->holder_box, &pg->lines[up2].box);
	}
	res_add_holders(r, pg->lines[up].text);
	res_box_union(&r->holder_box, &pg->lines[up].box);
	return r->nholders > 0;
}

/* A name's text with a lone bar read for an initial I ("| LINDGREN"). */
static void
res_name_text(const char *v, char *out, size_t outsz)
{
	idv_strlcpy(out, v, outsz);
	for (size_t i = 0; out[i]; i++)
		if (out[i] == '|' && (i == 0 || out[i - 1] == ' ') &&
		    (out[i + 1] == ' ' || out[i + 1] == '\0'))
			out[i] = 'I';
}

void
res_pick_holders(const struct res_ctx *c, struct idv_residence *r, const struct res_addr *addr,
		 bool have_addr)
{
	const struct idv_res_page *pg = c->pg;
	for (size_t i = 0; i < pg->nlines && r->nholders < IDV_RES_MAX_HOLDERS; i++) {
		if (c->seg[i].role != ROLE_HOLDER)
			continue;
		size_t vss[3], vos[3], nv = res_label_values(c, i, vss, vos), k;
		char v[IDV_RES_LINE_MAX];
		for (k = 0; k < nv; k++) {
			res_name_text(pg->lines[vss[k]].text + vos[k], v, sizeof v);
			if (res_name_like_labelled(v))
				break;
		}
		if (k == nv)
			continue;
		size_t vs = vss[k];
		res_add_holders(r, v);
		res_box_union(&r->holder_box, &pg->lines[vs].box);
		r->holder_from_label = true;
		/* further names on the following lines of the same block ("Tenants:" list) */
		size_t cur = vs;
		while (c->seg[i].label_only && r->nholders < IDV_RES_MAX_HOLDERS) {
			size_t b = res_next_below(pg, cur, 1);
			if (b == SIZE_MAX || c->seg[b].role != ROLE_NONE ||
			    !res_name_like(pg->lines[b].text))
				break;
			res_add_holders(r, pg->lines[b].text);
			res_box_union(&r->holder_box, &pg->lines[b].box);
			cur = b;
		}
	}
	if (r->nholders > 0)
		return;
	/* the addressee block: the name above the chosen address, else above another address
	 * (a mailing PO box) that is not under a confuser label */
	if (have_addr && res_addressee(c, r, addr->top))
		return;
	struct res_addr a;
	for (size_t i = 0; i < pg->nlines; i++) {
		size_t lab;
		if (!res_address_at(c, i, &a) || res_governing(c, a.top, &lab) == ROLE_NEG_ADDRESS)
			continue;
		if (res_addressee(c, r, a.top))
			return;
	}
}

/*
 * Words before a date that say what it is. A statement, bill, issue or signing date against the
 * dates a page also carries: due dates, periods and terms, expiries, meter reads, payments.
 */
static const char *const res_date_pos[] = {
	"statement", "bill", "billed", "billing date", "invoice", "invoiced", "issued", "issue",
	"dated", "prepared", "printed", "print date", "notice", "mailed", "mailing", "declarations",
	"declaration", "as of", "entered into", "made on", "made this", "signed", "executed",
	"date of this", "run date", "processed", "generated", "created",
};
static const char *const res_date_neg[] = {
	"due", "pay", "by", "before", "after", "late", "from", "through", "thru", "to", "until",
	"till", "ends", "end", "ending", "ended", "begin", "begins", "beginning", "start", "starts",
	"starting", "expire", "expires", "expiration", "expiry", "exp", "term", "period", "next",
	"read", "reading", "meter", "renew", "renews", "renewal", "cancel", "cancellation",
	"effective", "eff", "disconnect", "disconnection", "shutoff", "shut off", "delinquent",
	"installment", "commence", "commences", "commencement", "move in", "paid", "payment",
	"payments", "received", "last", "previous", "prior", "birth", "born", "valid", "vacate",
	"notice to vacate", "scheduled", "anniversary", "inception",
};

static bool
res_any_word(const char *norm, const char *const *words, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (res_has_word(norm, words[k]))
			return true;
	return false;
}

/* The last few words of text[0..len), normalised. */
static void
res_context(const char *text, size_t len, char *out, size_t outsz)
{
	char raw[IDV_RES_LINE_MAX], n[IDV_RES_LINE_MAX];
	if (len >= sizeof(raw))
		len = sizeof(raw) - 1;
	memcpy(raw, text, len);
	raw[len] = '\0';
	size_t nl = res_norm(raw, n, sizeof(n)), words = 0, s = nl;
	while (s > 0) {
		if (n[s - 1] == ' ' && ++words == 5)
			break;
		s--;
	}
	idv_strlcpy(out, n + s, outsz);
}

#define RES_MAX_DATES 64

struct res_date_cand {
	struct idv_date d;
	int64_t days;
	int score;
	bool labelled, due;
	size_t seg;
};

/* What the label governing segment i (its own, or a label-only segment beside or above) says
 * of a date at offset off: a score, whether it is a due date. */
static int
res_date_label_score(const struct res_ctx *c, size_t i, size_t off, bool *pos, bool *due)
{
	size_t lab;
	enum res_role role = ROLE_NONE;
	const struct res_seg *s = &c->seg[i];
	if (s->role != ROLE_NONE && off >= s->label_len)
		role = s->role;
	else if (off == 0 || s->role == ROLE_NONE)
		role = res_governing(c, i, &lab);
	*pos = role == ROLE_DATE;
	*due = role == ROLE_NEG_DATE;
	switch (role) {
	case ROLE_DATE: return 8;
	case ROLE_DATE_WEAK: return 2;
	case ROLE_NEG_DATE: return -8;
	case ROLE_OTHER: return -3;
	default: return 0;
	}
}

/* Score the dates of segment i into cands. */
static size_t
res_date_cands(const struct res_ctx *c, size_t i, struct res_date_cand *cands, size_t n)
{
	const char *text = c->pg->lines[i].text;
	size_t len = strlen(text), at = 0;
	while (at < len && n < RES_MAX_DATES) {
		struct idv_date d;
		size_t off = 0, dl = 0;
		if (!idv_residence_find_date(text + at, len - at, &d, &off, &dl) || dl == 0)
			break;
		off += at;
		struct res_date_cand *k = &cands[n];
		bool lpos, ldue;
		char ctx[IDV_RES_LINE_MAX];
		k->d = d;
		k->days = idv_date_to_days(&d);
		k->seg = i;
		k->score = res_date_label_score(c, i, off, &lpos, &ldue);
		res_context(text, off, ctx, sizeof(ctx));
		bool cpos = res_any_word(ctx, res_date_pos, IDV_ARRAY_LEN(res_date_pos));
		bool cneg = res_any_word(ctx, res_date_neg, IDV_ARRAY_LEN(res_date_neg));
		k->score += (cpos ? 5 : 0) - (cneg ? 6 : 0);
		k->labelled = lpos || (cpos && !cneg);
		k->due = ldue || (cneg && (res_has_word(ctx, "due") || res_has_word(ctx, "pay")));
		n++;
		at = off + dl;
	}
	return n;
}

/*
 * The statement date: every date on the page is a candidate, scored by its label and the words
 * right before it (res_date_pos, res_date_neg), whatever the layout; never after today (when
 * known) nor after a due date on the page. The best score wins (the first on the page among
 * equals); none when every date reads as a due date, a period, an expiry or the like.
 */
void
res_pick_date(const struct res_ctx *c, struct idv_residence *r)
{
	const struct idv_res_page *pg = c->pg;
	struct res_date_cand cands[RES_MAX_DATES];
	size_t n = 0;
	for (size_t i = 0; i < pg->nlines && n < RES_MAX_DATES; i++)
		n = res_date_cands(c, i, cands, n);
	int64_t due = INT64_MAX;
	for (size_t k = 0; k < n; k++)
		if (cands[k].due && cands[k].days < due)
			due = cands[k].days;
	size_t best = SIZE_MAX;
	for (size_t k = 0; k < n; k++) {
		struct res_date_cand *x = &cands[k];
		if (c->today_days != 0 && x->days > c->today_days + 1)
			continue;
		if (c->today_days != 0 && x->days < c->today_days - 3 * 366)
			x->score -= 4;
		if (!x->due && x->days > due)
			x->score -= 6;
		if (x->score >= 0 && (best == SIZE_MAX || x->score > cands[best].score))
			best = k;
	}
	if (best == SIZE_MAX)
		return;
	r->statement_date = cands[best].d;
	r->has_date = true;
	r->date_from_label = cands[best].labelled;
	r->date_box = pg->lines[cands[best].seg].box;
}
