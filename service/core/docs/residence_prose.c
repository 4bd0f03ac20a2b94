/* SPDX-License-Identifier: Apache-2.0 */
/*
 * residence_prose.c: leases written as sentences: the tenants named before their role
 * ("between ... ('Landlord') and ... ('Tenant')") and the premises ("the premises located at
 * ..."), taken when the labels gave none.
 */
#include "idverify/residence_page.h"

/* ---------------------------------------------------------------------------------------------
 * Prose: leases name their parties and premises in sentences
 */

#define RES_PROSE_MAX 4096

/* The page's text in reading order, lines joined by one space; *n bytes. line_at[k] is the
 * line byte k came from. */
static size_t
res_prose_text(const struct idv_res_page *pg, char *out, size_t outsz, uint16_t *line_at)
{
	size_t n = 0;
	for (size_t i = 0; i < pg->nlines && i < IDV_RES_MAX_LINES; i++) {
		size_t l = strlen(pg->lines[i].text);
		if (n + l + 2 > outsz)
			break;
		for (size_t k = 0; k < l; k++) {
			line_at[n] = (uint16_t)i;
			out[n++] = pg->lines[i].text[k];
		}
		line_at[n] = (uint16_t)i;
		out[n++] = ' ';
	}
	out[n] = '\0';
	return n;
}

/* Case-insensitive search of the NUL-terminated needle in hay[from..n). */
static const char *
res_find_ci(const char *hay, size_t n, size_t from, const char *needle)
{
	size_t nl = strlen(needle);
	for (size_t i = from; i + nl <= n; i++)
		if (idv_str_ieq(hay + i, nl, needle))
			return hay + i;
	return NULL;
}

/*
 * A party's role after its name: ("Tenant"), (the "Lessee"), ('Residents'), (hereinafter
 * "Tenant"), , hereinafter referred to as "Lessee", (collectively, the "Residents"), , as
 * Tenant. p starts at the parenthesis or the comma.
 */
static const char *const res_tenant_words[] = {"tenant", "tenants", "lessee", "lessees",
					       "resident", "residents", "renter", "renters",
					       "occupant", "occupants"};
#define RES_ROLE_INTRODUCERS 6 /* the first fillers introduce a role after a comma */
static const char *const res_role_fillers[] = {
	"hereinafter", "hereafter", "herein", "referred", "as", "called", "to", "the", "a", "an",
	"collectively", "individually", "jointly", "severally", "and", "together", "each", "being",
	"known", "designated",
};

/* Skip spaces, commas and opening quotes (ASCII or the UTF-8 curly ones, 3 bytes). */
static size_t
res_skip_punct(const char *p, size_t n, size_t i)
{
	for (;;) {
		if (i < n && (p[i] == ' ' || p[i] == ',' || p[i] == '"' || p[i] == '\''))
			i++;
		else if (i + 3 <= n && (unsigned char)p[i] == 0xE2 && (unsigned char)p[i + 1] == 0x80)
			i += 3;
		else
			return i;
	}
}

static bool
res_prose_role_at(const char *p, size_t n, size_t *skip)
{
	size_t i = 0;
	if (i >= n || (p[i] != '(' && p[i] != ','))
		return false;
	bool paren = p[i] == '(';
	i = res_skip_punct(p, n, i + 1);
	/* up to six filler words ("hereinafter referred to as the") */
	size_t fillers = 0;
	bool introduced = false;
	for (bool more = true; more && fillers < 6;) {
		more = false;
		for (size_t w = 0; w < IDV_ARRAY_LEN(res_role_fillers); w++) {
			size_t wl = strlen(res_role_fillers[w]);
			if (i + wl < n && idv_str_ieq(p + i, wl, res_role_fillers[w]) &&
			    !idv_isalpha((unsigned char)p[i + wl])) {
				i = res_skip_punct(p, n, i + wl);
				fillers++;
				introduced |= w < RES_ROLE_INTRODUCERS;
				more = true;
				break;
			}
		}
	}
	/* after a comma the role must be introduced ("hereinafter", "as"), not merely listed
	 * ("Landlord leases to Tenant, and Tenant leases from Landlord") */
	if (!paren && !introduced)
		return false;
	for (size_t w = 0; w < IDV_ARRAY_LEN(res_tenant_words); w++) {
		size_t wl = strlen(res_tenant_words[w]);
		if (i + wl < n && idv_str_ieq(p + i, wl, res_tenant_words[w]) &&
		    !idv_isalpha((unsigned char)p[i + wl])) {
			*skip = i + wl;
			return true;
		}
	}
	return false;
}

/* The tenants named before their role: back from the parenthesis to "and ", "between ", a
 * closing parenthesis or a comma-free sentence start. */
static void
res_prose_holders(const struct res_ctx *c, struct idv_residence *r, const char *t, size_t n,
		  const uint16_t *line_at)
{
	for (size_t i = 0; i < n && r->nholders < IDV_RES_MAX_HOLDERS; i++) {
		size_t skip;
		if ((t[i] != '(' && t[i] != ',') || !res_prose_role_at(t + i, n - i, &skip))
			continue;
		size_t e = i;
		while (e > 0 && t[e - 1] == ' ')
			e--;
		size_t b = e;
		/* back to the end of the previous party: a parenthesis, a sentence, a closing quote */
		while (b > 0 && t[b - 1] != ')' && t[b - 1] != '.' && t[b - 1] != ':' &&
		       t[b - 1] != ';' && t[b - 1] != '"' && t[b - 1] != '\'' &&
		       !((unsigned char)t[b - 1] >= 0x98 && (unsigned char)t[b - 1] <= 0x9D && b >= 3 &&
			 (unsigned char)t[b - 3] == 0xE2) &&
		       e - b < IDV_RES_NAME_MAX - 1)
			b--;
		/* after the last "between", then after the "and" that follows the landlord */
		for (size_t k = b; k + 8 <= e; k++)
			if (idv_str_ieq(t + k, 8, "between "))
				b = k + 8;
		while (b < e && (t[b] == ' ' || t[b] == ','))
			b++;
		if (b + 4 <= e && idv_str_ieq(t + b, 4, "and "))
			b += 4;
		while (b < e && t[b] == ' ')
			b++;
		char name[IDV_RES_NAME_MAX];
		res_copy_trim(name, sizeof name, t + b, e - b);
		/* "A and B" are two tenants; a company is not one */
		char probe[IDV_RES_NAME_MAX];
		idv_strlcpy(probe, name, sizeof probe);
		char *and = strstr(probe, " and ");
		if (and != NULL)
			*and = '\0';
		if (name[0] == '\0' || !res_name_like_labelled(probe))
			continue;
		res_add_holders(r, name);
		res_box_union(&r->holder_box, &c->pg->lines[line_at[b]].box);
		r->holder_from_label = true;
		i += skip;
	}
}

static const char *const res_premises_phrases[] = {
	"premises located at ", "premises known as ", "dwelling known as ", "property located at ",
	"located at ", "known as ", "premises at ", "property at ", "residing at ",
	"commonly known as ", "unit located at ", "situated at ", "premises described as ",
	"apartment located at ", "residence located at ",
};

/* The premises of a lease in a sentence: "the premises located at 12 Elm St, Apt 2, Boise, ID
 * 83702 (the Premises)". */
static bool
res_prose_premises(const struct res_ctx *c, struct idv_residence *r, const char *t, size_t n,
		   const uint16_t *line_at)
{
	for (size_t ph = 0; ph < IDV_ARRAY_LEN(res_premises_phrases); ph++) {
		size_t from = 0;
		const char *hit;
		while ((hit = res_find_ci(t, n, from, res_premises_phrases[ph])) != NULL) {
			size_t a = (size_t)(hit - t) + strlen(res_premises_phrases[ph]);
			from = a;
			/* the first ZIP code within reach ends the address */
			size_t z = a, lim = a + 160 < n ? a + 160 : n;
			for (; z + 5 <= lim; z++)
				if (idv_isdigit((unsigned char)t[z]) &&
				    (z == 0 || t[z - 1] == ' ') && z + 5 <= n &&
				    idv_isdigit((unsigned char)t[z + 1]) &&
				    idv_isdigit((unsigned char)t[z + 2]) &&
				    idv_isdigit((unsigned char)t[z + 3]) &&
				    idv_isdigit((unsigned char)t[z + 4]) &&
				    (z + 5 == n || !idv_isdigit((unsigned char)t[z + 5])) &&
				    z > a + 8)
					break;
			if (z + 5 > lim)
				continue;
			char piece[IDV_RES_LINE_MAX];
			res_copy_trim(piece, sizeof piece, t + a, z + 5 - a);
			struct res_addr ad;
			memset(&ad, 0, sizeof ad);
			if (!res_parse_csz(piece, &ad.p) || ad.p.city_off == 0)
				continue;
			char street[IDV_RES_LINE_MAX];
			res_copy_trim(street, sizeof street, piece, ad.p.city_off);
			size_t sl = strlen(street);
			while (sl > 0 && (street[sl - 1] == ',' || street[sl - 1] == ' '))
				street[--sl] = '\0';
			if (!res_is_street(street) || res_is_po_box(street))
				continue;
			idv_strlcpy(ad.street_text, street, sizeof ad.street_text);
			res_split_unit(&ad);
			res_fix_suffix(ad.street_text);
			r->has_address = true;
			r->address_from_label = true;
			idv_strlcpy(r->street, ad.street_text, sizeof r->street);
			idv_strlcpy(r->unit, ad.unit, sizeof r->unit);
			idv_strlcpy(r->city, ad.p.city, sizeof r->city);
			memcpy(r->state, ad.p.state, sizeof r->state);
			memcpy(r->postal_code, ad.p.zip, sizeof r->postal_code);
			r->address_box = c->pg->lines[line_at[a]].box;
			return true;
		}
	}
	return false;
}

/* Leases in prose: the tenants and the premises from the sentences, when the labels gave none. */
void
res_pick_prose(const struct res_ctx *c, struct idv_residence *r, bool labelled_addr)
{
	char *t = idv_malloc(RES_PROSE_MAX);
	uint16_t *line_at = idv_malloc(RES_PROSE_MAX * sizeof *line_at);
	size_t n = res_prose_text(c->pg, t, RES_PROSE_MAX, line_at);
	if (r->nholders == 0 || !r->holder_from_label) {
		struct idv_residence tmp = *r;
		tmp.nholders = 0;
		memset(&tmp.holder_box, 0, sizeof tmp.holder_box);
		res_prose_holders(c, &tmp, t, n, line_at);
		if (tmp.nholders > 0)
			*r = tmp;
	}
	if (!labelled_addr)
		res_prose_premises(c, r, t, n, line_at);
	free(t);
	free(line_at);
}
