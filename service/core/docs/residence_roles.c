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

void
res_pick_holders(const struct res_ctx *c, struct idv_residence *r, const struct res_addr *addr,
		 bool have_addr)
{
	const struct idv_res_page *pg = c->pg;
	for (size_t i = 0; i < pg->nlines && r->nholders < IDV_RES_MAX_HOLDERS; i++) {
		if (c->seg[i].role != ROLE_HOLDER)
			continue;
		size_t vss[3], vos[3], nv = res_label_values(c, i, vss, vos), k;
		for (k = 0; k < nv; k++)
			if (res_name_like_labelled(pg->lines[vss[k]].text + vos[k]))
				break;
		if (k == nv)
			continue;
		size_t vs = vss[k];
		const char *v = pg->lines[vs].text + vos[k];
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

void
res_pick_date(const struct res_ctx *c, struct idv_residence *r)
{
	const struct idv_res_page *pg = c->pg;
	struct idv_date d;
	int best = 0; /* 3 strong label, 2 phrase, 1 weak label */
	for (size_t i = 0; i < pg->nlines; i++) {
		enum res_role role = c->seg[i].role;
		int strength = role == ROLE_DATE ? 3 : role == ROLE_DATE_WEAK ? 1 : 0;
		size_t vs = i, vo = 0;
		if (strength > 0) {
			size_t vss[3], vos[3], nv = res_label_values(c, i, vss, vos), k;
			for (k = 0; k < nv; k++) {
				const char *t = pg->lines[vss[k]].text + vos[k];
				if (idv_residence_find_date(t, strlen(t), &d, NULL, NULL))
					break;
			}
			if (k == nv)
				continue;
			vs = vss[k];
			vo = vos[k];
		} else {
			char n[IDV_RES_LINE_MAX];
			res_norm(pg->lines[i].text, n, sizeof(n));
			const char *phr[] = {"made on", "entered into on", "dated", "made and entered into on",
					     "as of", "issued on"};
			for (size_t k = 0; k < IDV_ARRAY_LEN(phr); k++)
				if (strstr(n, phr[k]) != NULL)
					strength = 2;
			if (strength == 0)
				continue;
			/* the date after the phrase */
			const char *t = pg->lines[i].text;
			const char *q = NULL;
			for (size_t k = 0; k < IDV_ARRAY_LEN(phr) && !q; k++) {
				const char *w = strstr(t, phr[k] + 0);
				if (w)
					q = w;
			}
			vo = q ? (size_t)(q - t) : 0;
		}
		if (strength <= best)
			continue;
		const char *v = pg->lines[vs].text + vo;
		if (idv_residence_find_date(v, strlen(v), &d, NULL, NULL)) {
			r->statement_date = d;
			r->has_date = true;
			r->date_from_label = true;
			r->date_box = pg->lines[vs].box;
			best = strength;
		}
	}
	if (r->has_date)
		return;
	/* the first date not governed by a due-date or period label */
	for (size_t i = 0; i < pg->nlines; i++) {
		size_t lab;
		enum res_role role = res_governing(c, i, &lab);
		if (role == ROLE_NEG_DATE || role == ROLE_OTHER)
			continue;
		const char *v = pg->lines[i].text;
		if (idv_residence_find_date(v, strlen(v), &d, NULL, NULL)) {
			r->statement_date = d;
			r->has_date = true;
			r->date_box = pg->lines[i].box;
			return;
		}
	}
}
