/* SPDX-License-Identifier: Apache-2.0 */
/*
 * residence.c: proofs of residence from words with boxes (see residence.h).
 *
 * The page is first turned into line segments (words of one text line without a wide gap), in
 * reading order. Then, in this order:
 *   - labels are recognised at the start of a segment, by longest match against one table
 *     (holder, premises address, statement date, and the confusers: remit-to, mailing,
 *     payment, landlord, lender, agent, due dates, periods);
 *   - every "City, ST 12345" segment with a street (or PO box) above it, or on the same segment,
 *     is an address candidate; the label governing it (nearest label above in the same column,
 *     or on the same row) scores it: a premises label wins, a confuser label or a PO box
 *     excludes it, an addressee block (a name right above) is the fallback;
 *   - holders are the values of holder labels, else the name above the chosen address;
 *   - the statement date is the value of the strongest date label, else the first date not under
 *     a due-date or period label;
 *   - the kind comes from keyword scores, the issuer from the tallest text at the top.
 * No allocation: the page struct carries its own scratch space.
 */
#include "idverify/residence.h"

/* ---------------------------------------------------------------------------------------------
 * Line segments
 */

#define RES_MAX_WORDS 4096
#define RES_MAX_SEG_WORDS 96

struct res_cluster {
	int top, bottom;
	int block, line;
	size_t nwords;
};

/* Grouping scratch, on the stack of idv_res_page_from_words (a static would not be re-entrant). */
struct res_scratch {
	uint16_t word_cluster[RES_MAX_WORDS];
	struct res_cluster clusters[IDV_RES_MAX_LINES];
	size_t nclusters;
};

static int
res_median(int *v, size_t n)
{
	/* insertion sort; n is small */
	for (size_t i = 1; i < n; i++) {
		int x = v[i];
		size_t j = i;
		while (j > 0 && v[j - 1] > x) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
	return n ? v[n / 2] : 0;
}

static bool
res_word_usable(const struct idv_ocr_word *w)
{
	if (w->box.w <= 0 || w->box.h <= 0)
		return false;
	for (size_t i = 0; i < sizeof(w->text) && w->text[i] != '\0'; i++)
		if (!idv_isspace((unsigned char)w->text[i]))
			return true;
	return false;
}

static void
res_box_union(struct idv_box *a, const struct idv_box *b)
{
	if (b->w <= 0)
		return;
	if (a->w <= 0) {
		*a = *b;
		return;
	}
	int x0 = a->x < b->x ? a->x : b->x;
	int y0 = a->y < b->y ? a->y : b->y;
	int x1 = a->x + a->w > b->x + b->w ? a->x + a->w : b->x + b->w;
	int y1 = a->y + a->h > b->y + b->h ? a->y + a->h : b->y + b->h;
	a->x = x0;
	a->y = y0;
	a->w = x1 - x0;
	a->h = y1 - y0;
}

/* Append src (up to its NUL or srcmax) to the line text, with one space before it. */
static void
res_line_append(struct idv_res_line *l, const char *src, size_t srcmax)
{
	size_t n = strlen(l->text);
	if (n > 0 && n + 1 < sizeof(l->text))
		l->text[n++] = ' ';
	for (size_t i = 0; i < srcmax && src[i] != '\0' && n + 1 < sizeof(l->text); i++) {
		unsigned char c = (unsigned char)src[i];
		l->text[n++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
	}
	l->text[n] = '\0';
}

/* Reading order: rows (vertical overlap of at least half the smaller height) then x. */
static bool
res_line_before(const struct idv_res_line *a, const struct idv_res_line *b)
{
	int ca = a->box.y + a->box.h / 2, cb = b->box.y + b->box.h / 2;
	int ha = a->height > 0 ? a->height : a->box.h, hb = b->height > 0 ? b->height : b->box.h;
	int d = ca - cb;
	if ((d < 0 ? -d : d) * 2 < (ha > hb ? ha : hb))
		return a->box.x < b->box.x;
	return ca < cb;
}

static void res_sort(struct idv_res_page *out);
static void res_merge_row_pieces(struct idv_res_page *out);

static enum idv_err
res_emit_cluster(const struct idv_ocr_word *words, size_t nwords, const struct res_scratch *s,
		 size_t c, float gap_factor, struct idv_res_page *out)
{
	size_t idx[RES_MAX_SEG_WORDS];
	size_t n = 0;
	for (size_t i = 0; i < nwords && i < RES_MAX_WORDS && n < RES_MAX_SEG_WORDS; i++)
		if (s->word_cluster[i] == c + 1)
			idx[n++] = i;
	/* sort by x */
	for (size_t i = 1; i < n; i++) {
		size_t x = idx[i], j = i;
		while (j > 0 && words[idx[j - 1]].box.x > words[x].box.x) {
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = x;
	}
	int hs[RES_MAX_SEG_WORDS];
	for (size_t i = 0; i < n; i++)
		hs[i] = words[idx[i]].box.h;
	int h = res_median(hs, n);
	if (h <= 0)
		h = 1;
	int maxgap = (int)((float)h * gap_factor);
	struct idv_res_line *l = NULL;
	int prev_right = 0;
	for (size_t i = 0; i < n; i++) {
		const struct idv_ocr_word *w = &words[idx[i]];
		bool resize = false;
		if (i > 0) {
			/* a change of font size with some space: a title beside a label */
			int ph = words[idx[i - 1]].box.h, ch = w->box.h;
			int lo = ph < ch ? ph : ch, hi = ph < ch ? ch : ph;
			resize = hi * 2 > lo * 3 && w->box.x - prev_right > lo / 2;
		}
		if (l == NULL || w->box.x - prev_right > maxgap || resize) {
			if (out->nlines >= IDV_RES_MAX_LINES)
				return IDV_E_TOOBIG;
			l = &out->lines[out->nlines++];
			memset(l, 0, sizeof(*l));
			l->height = h;
		}
		res_line_append(l, w->text, sizeof(w->text));
		res_box_union(&l->box, &w->box);
		if (w->box.x + w->box.w > prev_right || i == 0)
			prev_right = w->box.x + w->box.w;
	}
	return IDV_OK;
}

enum idv_err
idv_res_page_from_words(const struct idv_ocr_word *words, size_t nwords, int width, int height,
			float gap_factor, struct idv_res_page *out)
{
	enum idv_err result = IDV_OK;
	struct res_scratch local; /* ~20 KiB of stack */
	struct res_scratch *s = &local;

	memset(out, 0, sizeof(*out));
	out->width = width;
	out->height = height;
	if (gap_factor <= 0.0f)
		gap_factor = 2.5f;
	if (nwords > RES_MAX_WORDS) {
		nwords = RES_MAX_WORDS;
		result = IDV_E_TOOBIG;
	}
	memset(s->word_cluster, 0, sizeof(s->word_cluster));
	s->nclusters = 0;

	for (size_t i = 0; i < nwords; i++) {
		const struct idv_ocr_word *w = &words[i];
		if (!res_word_usable(w))
			continue;
		size_t found = SIZE_MAX;
		for (size_t c = 0; c < s->nclusters; c++) {
			struct res_cluster *cl = &s->clusters[c];
			if (cl->nwords >= RES_MAX_SEG_WORDS)
				continue;
			if (w->line >= 0) {
				if (cl->block == w->block && cl->line == w->line) {
					found = c;
					break;
				}
				continue;
			}
			if (cl->line >= 0)
				continue;
			int mid = w->box.y + w->box.h / 2;
			int ch = cl->bottom - cl->top;
			bool similar = w->box.h * 2 >= ch && w->box.h <= ch * 2;
			if (similar && mid >= cl->top && mid <= cl->bottom) {
				found = c;
				break;
			}
		}
		if (found == SIZE_MAX) {
			if (s->nclusters >= IDV_RES_MAX_LINES) {
				result = IDV_E_TOOBIG;
				continue;
			}
			found = s->nclusters++;
			s->clusters[found].top = w->box.y;
			s->clusters[found].bottom = w->box.y + w->box.h;
			s->clusters[found].block = w->block;
			s->clusters[found].line = w->line < 0 ? -1 : w->line;
			s->clusters[found].nwords = 0;
		}
		struct res_cluster *cl = &s->clusters[found];
		cl->nwords++;
		s->word_cluster[i] = (uint16_t)(found + 1);
		if (w->line < 0 && cl->nwords > 1) {
			/* keep the cluster's band from drifting: it is the first word's band widened
			 * by at most a third of its height */
			int slack = (cl->bottom - cl->top) / 3;
			if (w->box.y < cl->top && cl->top - w->box.y <= slack)
				cl->top = w->box.y;
			if (w->box.y + w->box.h > cl->bottom && w->box.y + w->box.h - cl->bottom <= slack)
				cl->bottom = w->box.y + w->box.h;
		}
	}
	for (size_t c = 0; c < s->nclusters; c++) {
		enum idv_err e = res_emit_cluster(words, nwords, s, c, gap_factor, out);
		if (e != IDV_OK) {
			result = e;
			break;
		}
	}
	res_sort(out);
	res_merge_row_pieces(out);
	return result;
}

/* insertion sort into reading order */
static void
res_sort(struct idv_res_page *out)
{
	for (size_t i = 1; i < out->nlines; i++) {
		struct idv_res_line tmp = out->lines[i];
		size_t j = i;
		while (j > 0 && res_line_before(&tmp, &out->lines[j - 1])) {
			out->lines[j] = out->lines[j - 1];
			j--;
		}
		out->lines[j] = tmp;
	}
}

/*
 * OCR sometimes puts two words of one printed line on two of its lines ("OMAR K" and
 * "LINDQVIST"): neighbours in reading order on the same row, of the same height, with a word
 * gap between them, are joined again.
 */
static void
res_merge_row_pieces(struct idv_res_page *out)
{
	size_t w = 0;
	for (size_t i = 0; i < out->nlines; i++) {
		struct idv_res_line *b = &out->lines[i];
		if (w > 0) {
			struct idv_res_line *a = &out->lines[w - 1];
			int ha = a->height > 0 ? a->height : a->box.h;
			int hb = b->height > 0 ? b->height : b->box.h;
			int ca = a->box.y + a->box.h / 2, cb = b->box.y + b->box.h / 2;
			int gap = b->box.x - (a->box.x + a->box.w);
			int h = ha > hb ? ha : hb;
			bool row = (ca > cb ? ca - cb : cb - ca) * 3 < h;
			bool same = ha * 10 <= hb * 13 && hb * 10 <= ha * 13;
			if (row && same && gap >= -h / 4 && gap * 2 <= 3 * h &&
			    strlen(a->text) + strlen(b->text) + 2 < sizeof(a->text)) {
				res_line_append(a, b->text, sizeof(b->text));
				res_box_union(&a->box, &b->box);
				continue;
			}
		}
		if (w != i)
			out->lines[w] = *b;
		w++;
	}
	out->nlines = w;
}

/* ---------------------------------------------------------------------------------------------
 * Text helpers
 */

/* Lower-case letters and digits; every run of anything else becomes one space. */
static size_t
res_norm(const char *s, char *out, size_t outsz)
{
	size_t n = 0;
	bool space = true;
	for (size_t i = 0; s[i] != '\0' && n + 1 < outsz; i++) {
		unsigned char c = (unsigned char)s[i];
		if (idv_isalnum(c)) {
			out[n++] = (char)idv_tolower(c);
			space = false;
		} else if (!space) {
			out[n++] = ' ';
			space = true;
		}
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return n;
}

static bool
res_has_word(const char *norm, const char *word)
{
	size_t wl = strlen(word);
	const char *p = norm;
	while ((p = strstr(p, word)) != NULL) {
		bool start = p == norm || p[-1] == ' ';
		bool end = p[wl] == '\0' || p[wl] == ' ';
		if (start && end)
			return true;
		p++;
	}
	return false;
}

static void
res_copy_trim(char *dst, size_t dstsz, const char *src, size_t len)
{
	idv_str_trim(&src, &len);
	while (len > 0 && (src[0] == ':' || src[0] == '-' || src[0] == ',' || src[0] == ' '))
		src++, len--;
	while (len > 0 && (src[len - 1] == ',' || src[len - 1] == ' ' || src[len - 1] == ';'))
		len--;
	if (len >= dstsz)
		len = dstsz - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* ---------------------------------------------------------------------------------------------
 * Labels
 */

enum res_role {
	ROLE_NONE = 0,
	ROLE_HOLDER,
	ROLE_ADDRESS,
	ROLE_ADDRESS_WEAK, /* "Address:": whose it is comes from the label above it */
	ROLE_DATE,
	ROLE_DATE_WEAK,
	ROLE_NEG_ADDRESS, /* remit-to, mailing, landlord, lender ... */
	ROLE_NEG_DATE,    /* due dates, periods */
	ROLE_OTHER,       /* any other label: ends a value */
};

struct res_label {
	const char *text; /* normalised form */
	enum res_role role;
};

static const struct res_label res_labels[] = {
	{"account holder", ROLE_HOLDER},
	{"account holder name", ROLE_HOLDER},
	{"account name", ROLE_HOLDER},
	{"customer name", ROLE_HOLDER},
	{"customer", ROLE_HOLDER},
	{"subscriber", ROLE_HOLDER},
	{"subscriber name", ROLE_HOLDER},
	{"named insured", ROLE_HOLDER},
	{"named insureds", ROLE_HOLDER},
	{"named insured s", ROLE_HOLDER},
	{"insured", ROLE_HOLDER},
	{"policyholder", ROLE_HOLDER},
	{"policy holder", ROLE_HOLDER},
	{"tenant", ROLE_HOLDER},
	{"tenants", ROLE_HOLDER},
	{"tenant s", ROLE_HOLDER},
	{"resident", ROLE_HOLDER},
	{"residents", ROLE_HOLDER},
	{"lessee", ROLE_HOLDER},
	{"lessees", ROLE_HOLDER},
	{"owner", ROLE_HOLDER},
	{"owners", ROLE_HOLDER},
	{"owner s", ROLE_HOLDER},
	{"owner name", ROLE_HOLDER},
	{"property owner", ROLE_HOLDER},
	{"taxpayer", ROLE_HOLDER},
	{"taxpayer name", ROLE_HOLDER},
	{"assessed owner", ROLE_HOLDER},
	{"named insured and mailing address", ROLE_HOLDER},
	{"named insured and address", ROLE_HOLDER},
	{"name and address of insured", ROLE_HOLDER},
	{"insured name", ROLE_HOLDER},
	{"name of insured", ROLE_HOLDER},
	{"member name", ROLE_HOLDER},
	{"member", ROLE_HOLDER},
	{"resident name", ROLE_HOLDER},
	{"tenant name", ROLE_HOLDER},
	{"tenant names", ROLE_HOLDER},
	{"address", ROLE_ADDRESS_WEAK},
	{"service at", ROLE_ADDRESS},
	{"service address", ROLE_ADDRESS},
	{"service location", ROLE_ADDRESS},
	{"service addr", ROLE_ADDRESS},
	{"premises", ROLE_ADDRESS},
	{"premises address", ROLE_ADDRESS},
	{"leased premises", ROLE_ADDRESS},
	{"the premises", ROLE_ADDRESS},
	{"residence premises", ROLE_ADDRESS},
	{"property location", ROLE_ADDRESS},
	{"property address", ROLE_ADDRESS},
	{"location of property", ROLE_ADDRESS},
	{"rental property", ROLE_ADDRESS},
	{"rental unit", ROLE_ADDRESS},
	{"insured location", ROLE_ADDRESS},
	{"insured property", ROLE_ADDRESS},
	{"location of risk", ROLE_ADDRESS},
	{"situs address", ROLE_ADDRESS},
	{"site address", ROLE_ADDRESS},
	{"statement date", ROLE_DATE},
	{"bill date", ROLE_DATE},
	{"billing date", ROLE_DATE},
	{"invoice date", ROLE_DATE},
	{"date of bill", ROLE_DATE},
	{"date of statement", ROLE_DATE},
	{"date of issue", ROLE_DATE},
	{"issue date", ROLE_DATE},
	{"date issued", ROLE_DATE},
	{"issued", ROLE_DATE},
	{"issued on", ROLE_DATE},
	{"notice date", ROLE_DATE},
	{"date of notice", ROLE_DATE},
	{"mailing date", ROLE_DATE},
	{"lease date", ROLE_DATE},
	{"date of lease", ROLE_DATE},
	{"agreement date", ROLE_DATE},
	{"declarations date", ROLE_DATE},
	{"date", ROLE_DATE_WEAK},
	{"remit to", ROLE_NEG_ADDRESS},
	{"remittance address", ROLE_NEG_ADDRESS},
	{"please remit to", ROLE_NEG_ADDRESS},
	{"please remit payment to", ROLE_NEG_ADDRESS},
	{"remit payment to", ROLE_NEG_ADDRESS},
	{"make checks payable to", ROLE_NEG_ADDRESS},
	{"make check payable to", ROLE_NEG_ADDRESS},
	{"mail payment to", ROLE_NEG_ADDRESS},
	{"mail payments to", ROLE_NEG_ADDRESS},
	{"send payment to", ROLE_NEG_ADDRESS},
	{"send payments to", ROLE_NEG_ADDRESS},
	{"payment address", ROLE_NEG_ADDRESS},
	{"payments", ROLE_NEG_ADDRESS},
	{"mailing address", ROLE_NEG_ADDRESS},
	{"mail to", ROLE_NEG_ADDRESS},
	{"billing address", ROLE_NEG_ADDRESS},
	{"correspondence address", ROLE_NEG_ADDRESS},
	{"landlord", ROLE_NEG_ADDRESS},
	{"lessor", ROLE_NEG_ADDRESS},
	{"landlord address", ROLE_NEG_ADDRESS},
	{"property manager", ROLE_NEG_ADDRESS},
	{"management company", ROLE_NEG_ADDRESS},
	{"managing agent", ROLE_NEG_ADDRESS},
	{"lender", ROLE_NEG_ADDRESS},
	{"mortgagee", ROLE_NEG_ADDRESS},
	{"first mortgagee", ROLE_NEG_ADDRESS},
	{"lienholder", ROLE_NEG_ADDRESS},
	{"loss payee", ROLE_NEG_ADDRESS},
	{"agent", ROLE_NEG_ADDRESS},
	{"your agent", ROLE_NEG_ADDRESS},
	{"producer", ROLE_NEG_ADDRESS},
	{"insurer", ROLE_NEG_ADDRESS},
	{"company", ROLE_NEG_ADDRESS},
	{"tax collector", ROLE_NEG_ADDRESS},
	{"customer service", ROLE_NEG_ADDRESS},
	{"return service requested", ROLE_NEG_ADDRESS},
	{"due date", ROLE_NEG_DATE},
	{"payment due", ROLE_NEG_DATE},
	{"payment due date", ROLE_NEG_DATE},
	{"amount due by", ROLE_NEG_DATE},
	{"pay by", ROLE_NEG_DATE},
	{"please pay by", ROLE_NEG_DATE},
	{"due by", ROLE_NEG_DATE},
	{"due", ROLE_NEG_DATE},
	{"disconnect date", ROLE_NEG_DATE},
	{"next bill date", ROLE_NEG_DATE},
	{"next meter reading", ROLE_NEG_DATE},
	{"meter read date", ROLE_NEG_DATE},
	{"service period", ROLE_NEG_DATE},
	{"billing period", ROLE_NEG_DATE},
	{"service from", ROLE_NEG_DATE},
	{"period", ROLE_NEG_DATE},
	{"policy period", ROLE_NEG_DATE},
	{"lease term", ROLE_NEG_DATE},
	{"term", ROLE_NEG_DATE},
	{"commencement date", ROLE_NEG_DATE},
	{"start date", ROLE_NEG_DATE},
	{"end date", ROLE_NEG_DATE},
	{"expiration date", ROLE_NEG_DATE},
	{"delinquent after", ROLE_NEG_DATE},
	{"first installment due", ROLE_NEG_DATE},
	{"second installment due", ROLE_NEG_DATE},
	{"account number", ROLE_OTHER},
	{"account no", ROLE_OTHER},
	{"account", ROLE_OTHER},
	{"policy number", ROLE_OTHER},
	{"parcel number", ROLE_OTHER},
	{"parcel", ROLE_OTHER},
	{"apn", ROLE_OTHER},
	{"amount due", ROLE_OTHER},
	{"total amount due", ROLE_OTHER},
	{"phone", ROLE_OTHER},
	{"monthly rent", ROLE_OTHER},
	{"rent", ROLE_OTHER},
	{"security deposit", ROLE_OTHER},
	{"tax year", ROLE_OTHER},
	{"assessed value", ROLE_OTHER},
	{"premium", ROLE_OTHER},
	{"coverage", ROLE_OTHER},
	{"mobile number", ROLE_OTHER},
	{"wireless number", ROLE_OTHER},
};

struct res_seg {
	enum res_role role;
	size_t label_len; /* bytes of the line text taken by the label (and its colon) */
	bool label_only;  /* nothing after the label */
	bool has_colon;
};

/* Edit distance of two short strings, or cap + 1 when over cap. */
static size_t
res_distance(const char *a, size_t al, const char *b, size_t bl, size_t cap)
{
	size_t prev[48], cur[48];
	if (al >= 48 || bl >= 48)
		return cap + 1;
	for (size_t j = 0; j <= bl; j++)
		prev[j] = j;
	for (size_t i = 1; i <= al; i++) {
		cur[0] = i;
		size_t rowmin = i;
		for (size_t j = 1; j <= bl; j++) {
			size_t v = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			cur[j] = v;
			if (v < rowmin)
				rowmin = v;
		}
		if (rowmin > cap)
			return cap + 1;
		memcpy(prev, cur, (bl + 1) * sizeof(prev[0]));
	}
	return prev[bl];
}

/*
 * Match a label at the start of text. The label must be followed by the end, a colon, or (for
 * a value on the same segment) a colon; without a colon a label word may start a sentence
 * ("Tenant agrees to ..."), so the whole segment must be the label.
 */
static void
res_classify(const char *text, struct res_seg *out)
{
	char norm[IDV_RES_LINE_MAX];
	memset(out, 0, sizeof(*out));
	/* the label part: up to a colon, or the whole text */
	const char *colon = strchr(text, ':');
	size_t head_len = colon ? (size_t)(colon - text) : strlen(text);
	char head[IDV_RES_LINE_MAX];
	if (head_len >= sizeof(head))
		return;
	memcpy(head, text, head_len);
	head[head_len] = '\0';
	size_t nl = res_norm(head, norm, sizeof(norm));
	if (nl == 0)
		return;
	size_t best = 0;
	enum res_role role = ROLE_NONE;
	for (size_t i = 0; i < IDV_ARRAY_LEN(res_labels); i++) {
		size_t ll = strlen(res_labels[i].text);
		if (ll == nl && memcmp(norm, res_labels[i].text, ll) == 0 && ll > best) {
			best = ll;
			role = res_labels[i].role;
		}
	}
	if (role == ROLE_NONE && nl >= 7 && nl <= 40) {
		/* OCR slips in long labels ("Biting Date"): one edit per 6 characters, at most 2 */
		size_t bestd = SIZE_MAX;
		for (size_t i = 0; i < IDV_ARRAY_LEN(res_labels); i++) {
			size_t ll = strlen(res_labels[i].text);
			if (ll < 7 || (ll > nl ? ll - nl : nl - ll) > 2)
				continue;
			size_t cap = (ll + 3) / 6 < 2 ? (ll + 3) / 6 : 2;
			size_t d = res_distance(norm, nl, res_labels[i].text, ll, cap);
			if (d <= cap && d < bestd) {
				bestd = d;
				role = res_labels[i].role;
			}
		}
	}
	if (role == ROLE_NONE)
		return;
	out->role = role;
	out->has_colon = colon != NULL;
	out->label_len = colon ? head_len + 1 : head_len;
	const char *rest = text + out->label_len;
	size_t rl = strlen(rest);
	idv_str_trim(&rest, &rl);
	out->label_only = rl == 0;
}

/* ---------------------------------------------------------------------------------------------
 * Dates
 */

static const char *const res_months[12] = {
	"january", "february", "march", "april", "may", "june",
	"july", "august", "september", "october", "november", "december",
};

/* Month from a word (full name, three-letter abbreviation, or "sept"); 0 if none. */
static int
res_month(const char *p, size_t len)
{
	char w[16];
	if (len < 3 || len >= sizeof(w))
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (!idv_isalpha((unsigned char)p[i]))
			return 0;
		w[i] = (char)idv_tolower((unsigned char)p[i]);
	}
	w[len] = '\0';
	for (int m = 0; m < 12; m++) {
		size_t ml = strlen(res_months[m]);
		if (len == ml && memcmp(w, res_months[m], ml) == 0)
			return m + 1;
		if (len == 3 && memcmp(w, res_months[m], 3) == 0)
			return m + 1;
	}
	if (len == 4 && memcmp(w, "sept", 4) == 0)
		return 9;
	return 0;
}

/* Tokens of a date: runs of letters, runs of digits; separators recorded. */
struct res_tok {
	size_t off, len;
	bool digit;
	char sep; /* separator before the next token: '/', '-', '.', ',', ' ' or 0 */
};

static size_t
res_tokens(const char *p, size_t len, struct res_tok *t, size_t maxt)
{
	size_t n = 0, i = 0;
	while (i < len && n < maxt) {
		unsigned char c = (unsigned char)p[i];
		if (idv_isalnum(c)) {
			size_t s = i;
			bool dig = idv_isdigit(c);
			while (i < len && (dig ? idv_isdigit((unsigned char)p[i])
					       : idv_isalpha((unsigned char)p[i])))
				i++;
			t[n].off = s;
			t[n].len = i - s;
			t[n].digit = dig;
			t[n].sep = 0;
			n++;
			continue;
		}
		if (n > 0 && t[n - 1].sep == 0 && (c == '/' || c == '-' || c == '.' || c == ','))
			t[n - 1].sep = (char)c;
		else if (n > 0 && t[n - 1].sep == 0 && c == ' ')
			t[n - 1].sep = ' ';
		i++;
	}
	return n;
}

static bool
res_num(const char *p, const struct res_tok *t, size_t minlen, size_t maxlen, int *out)
{
	uint64_t v;
	if (!t->digit || t->len < minlen || t->len > maxlen)
		return false;
	if (idv_parse_u64(p + t->off, t->len, 99999, &v) != IDV_OK)
		return false;
	*out = (int)v;
	return true;
}

static int
res_year(int y, size_t len)
{
	if (len == 2)
		return y < 70 ? 2000 + y : 1900 + y;
	return y;
}

/* Try to read a date from tokens t[0..]; returns how many tokens it used, 0 if none. */
static size_t
res_date_at(const char *p, const struct res_tok *t, size_t n, struct idv_date *out)
{
	int a, b, c, m;
	/* Month D, YYYY / Mon D YYYY */
	if (n >= 3 && !t[0].digit && (m = res_month(p + t[0].off, t[0].len)) != 0 &&
	    res_num(p, &t[1], 1, 2, &a) && res_num(p, &t[2], 4, 4, &c) &&
	    idv_date_valid(c, m, a)) {
		out->year = c, out->month = m, out->day = a;
		return 3;
	}
	/* D Month YYYY */
	if (n >= 3 && res_num(p, &t[0], 1, 2, &a) && !t[1].digit &&
	    (m = res_month(p + t[1].off, t[1].len)) != 0 && res_num(p, &t[2], 4, 4, &c) &&
	    idv_date_valid(c, m, a)) {
		out->year = c, out->month = m, out->day = a;
		return 3;
	}
	if (n >= 3 && t[0].digit && t[1].digit && t[2].digit && t[0].sep == t[1].sep &&
	    (t[0].sep == '/' || t[0].sep == '-' || t[0].sep == '.')) {
		/* YYYY-MM-DD */
		if (res_num(p, &t[0], 4, 4, &c) && res_num(p, &t[1], 1, 2, &a) &&
		    res_num(p, &t[2], 1, 2, &b) && idv_date_valid(c, a, b)) {
			out->year = c, out->month = a, out->day = b;
			return 3;
		}
		/* MM/DD/YYYY, MM/DD/YY */
		if (res_num(p, &t[0], 1, 2, &a) && res_num(p, &t[1], 1, 2, &b) &&
		    (res_num(p, &t[2], 4, 4, &c) || res_num(p, &t[2], 2, 2, &c))) {
			int y = res_year(c, t[2].len);
			if (idv_date_valid(y, a, b)) {
				out->year = y, out->month = a, out->day = b;
				return 3;
			}
		}
	}
	return 0;
}

static bool res_find_date_raw(const char *p, size_t len, struct idv_date *out, size_t *off,
			      size_t *dlen);

/*
 * OCR splits numeric dates ("04/1 2/2025"): a space between two digits inside a run of digits
 * and slashes is dropped, and the date searched again (offsets then refer to the squeezed text,
 * so they are not reported).
 */
bool
idv_residence_find_date(const char *p, size_t len, struct idv_date *out, size_t *off,
			size_t *dlen)
{
	if (res_find_date_raw(p, len, out, off, dlen))
		return true;
	char sq[IDV_RES_LINE_MAX];
	size_t n = 0;
	bool changed = false;
	for (size_t i = 0; i < len && n + 1 < sizeof(sq); i++) {
		if (p[i] == ' ' && i > 0 && i + 1 < len && idv_isdigit((unsigned char)p[i - 1]) &&
		    idv_isdigit((unsigned char)p[i + 1])) {
			bool slash = (i >= 2 && p[i - 2] == '/') || (i >= 3 && p[i - 3] == '/') ||
				     (i + 2 < len && p[i + 2] == '/') || (i + 3 < len && p[i + 3] == '/');
			if (slash) {
				changed = true;
				continue;
			}
		}
		sq[n++] = p[i];
	}
	if (!changed || !res_find_date_raw(sq, n, out, NULL, NULL))
		return false;
	if (off)
		*off = 0;
	if (dlen)
		*dlen = len;
	return true;
}

static bool
res_find_date_raw(const char *p, size_t len, struct idv_date *out, size_t *off, size_t *dlen)
{
	struct res_tok t[48];
	size_t n = res_tokens(p, len, t, IDV_ARRAY_LEN(t));
	for (size_t i = 0; i < n; i++) {
		size_t used = res_date_at(p, t + i, n - i, out);
		if (used) {
			/* a date glued to more digits ("03/05/20251") is not a date */
			const struct res_tok *last = &t[i + used - 1];
			if (i + used < n && last->sep == 0 && t[i + used].digit)
				continue;
			if (off)
				*off = t[i].off;
			if (dlen)
				*dlen = last->off + last->len - t[i].off;
			return true;
		}
	}
	return false;
}

enum idv_err
idv_residence_parse_date(const char *p, size_t len, struct idv_date *out)
{
	size_t off, dlen;
	idv_str_trim(&p, &len);
	while (len > 0 && (p[len - 1] == '.' || p[len - 1] == ','))
		len--;
	if (len == 0 || !idv_residence_find_date(p, len, out, &off, &dlen))
		return IDV_E_PARSE;
	if (off != 0 || dlen != len)
		return IDV_E_PARSE;
	return IDV_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Addresses
 */

static const char *const res_states[] = {
	"AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
	"IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
	"NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
	"VT", "VA", "WA", "WV", "WI", "WY", "PR", "GU", "VI", "AS", "MP",
};

static bool
res_is_state(const char *p, size_t len)
{
	if (len != 2)
		return false;
	for (size_t i = 0; i < IDV_ARRAY_LEN(res_states); i++)
		if (idv_toupper((unsigned char)p[0]) == res_states[i][0] &&
		    idv_toupper((unsigned char)p[1]) == res_states[i][1])
			return true;
	return false;
}

/* OCR confusions inside a ZIP code. */
static int
res_zip_digit(int c)
{
	switch (c) {
	case 'O': case 'o': case 'D': case 'Q': return '0';
	case 'l': case 'I': case 'i': case '|': return '1';
	case 'S': case 's': return '5';
	case 'B': return '8';
	case 'Z': case 'z': return '2';
	default: return c;
	}
}

struct res_csz {
	char city[64];
	char state[3];
	char zip[11];
	size_t city_off; /* where the city starts in the segment text */
};

/*
 * "City, ST 12345", "City ST 12345-6789" at the end of text. The city is the run of alphabetic
 * words before the state, back to a comma, a digit, or the start.
 */
static bool
res_parse_csz(const char *text, struct res_csz *out)
{
	size_t len = strlen(text);
	while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '.'))
		len--;
	/* zip: 5 digits, optionally -4 */
	size_t e = len, s = len;
	while (s > 0 && text[s - 1] != ' ' && text[s - 1] != ',')
		s--;
	size_t zl = e - s;
	char zip[11];
	if (zl != 5 && zl != 10)
		return false;
	for (size_t i = 0; i < zl; i++) {
		int c = res_zip_digit((unsigned char)text[s + i]);
		if (zl == 10 && i == 5) {
			if (c != '-')
				return false;
		} else if (!idv_isdigit(c)) {
			return false;
		}
		zip[i] = (char)c;
	}
	zip[zl] = '\0';
	/* state (OCR may add a stray mark after it: "Wi! 53703") */
	size_t p = s;
	while (p > 0 && (text[p - 1] == ' ' || text[p - 1] == ',' || text[p - 1] == '.' ||
			 text[p - 1] == '!' || text[p - 1] == ':' || text[p - 1] == ';'))
		p--;
	size_t se = p;
	while (p > 0 && idv_isalpha((unsigned char)text[p - 1]))
		p--;
	if (!res_is_state(text + p, se - p))
		return false;
	if (p > 0 && text[p - 1] != ' ' && text[p - 1] != ',')
		return false;
	char st[3] = {(char)idv_toupper((unsigned char)text[p]),
		      (char)idv_toupper((unsigned char)text[p + 1]), '\0'};
	/* city: back over letters, spaces, periods, apostrophes, hyphens, to a comma or digit */
	size_t ce = p;
	while (ce > 0 && (text[ce - 1] == ' ' || text[ce - 1] == ','))
		ce--;
	size_t cs = ce;
	while (cs > 0) {
		unsigned char c = (unsigned char)text[cs - 1];
		if (idv_isalpha(c) || c == ' ' || c == '.' || c == '\'' || c == '-')
			cs--;
		else
			break;
	}
	while (cs < ce && text[cs] == ' ')
		cs++;
	/* a city directly after a street on the same segment without a comma ("12 Elm St
	 * Springfield IL") cannot be split reliably: take the last word only when no comma */
	if (ce <= cs)
		return false;
	memset(out, 0, sizeof(*out));
	res_copy_trim(out->city, sizeof(out->city), text + cs, ce - cs);
	memcpy(out->state, st, 3);
	memcpy(out->zip, zip, zl + 1);
	out->city_off = cs;
	return out->city[0] != '\0';
}

static bool
res_is_po_box(const char *text)
{
	char n[IDV_RES_LINE_MAX];
	res_norm(text, n, sizeof(n));
	return strncmp(n, "po box", 6) == 0 || strncmp(n, "p o box", 7) == 0 ||
	       strncmp(n, "pob ", 4) == 0 || strncmp(n, "post office box", 15) == 0 ||
	       strncmp(n, "box ", 4) == 0 || strstr(n, " po box ") != NULL ||
	       strncmp(n, "pmb ", 4) == 0;
}

/* A street line starts with a house number (digits, maybe a letter or a fraction). */
static bool
res_is_street(const char *text)
{
	size_t i = 0;
	while (text[i] == ' ')
		i++;
	if (!idv_isdigit((unsigned char)text[i]))
		return false;
	size_t d = 0;
	while (idv_isdigit((unsigned char)text[i]) || text[i] == '-')
		i++, d++;
	if (d > 6)
		return false;
	if (idv_isalpha((unsigned char)text[i]) && text[i + 1] == ' ')
		i++;
	if (text[i] != ' ')
		return false;
	/* at least one word with letters after the number */
	for (; text[i] != '\0'; i++)
		if (idv_isalpha((unsigned char)text[i]))
			return true;
	return false;
}

static const char *const res_unit_words[] = {
	"apt", "apartment", "unit", "suite", "ste", "fl", "floor", "rm", "room", "bldg", "lot",
	"spc", "space", "trlr",
};

/* Where the unit designator starts in a street line ("12 Elm St Apt 4B", "12 Elm St #4"), or
 * SIZE_MAX. A segment that is only a unit returns 0. */
static size_t
res_unit_start(const char *text)
{
	size_t len = strlen(text);
	for (size_t i = 0; i < len; i++) {
		if (i > 0 && text[i - 1] != ' ' && text[i - 1] != ',')
			continue;
		if (text[i] == '#' && i + 1 < len && idv_isalnum((unsigned char)text[i + 1]))
			return i;
		for (size_t u = 0; u < IDV_ARRAY_LEN(res_unit_words); u++) {
			size_t ul = strlen(res_unit_words[u]);
			if (i + ul < len && idv_str_ieq(text + i, ul, res_unit_words[u]) &&
			    (text[i + ul] == ' ' || text[i + ul] == '.') ) {
				/* the designator must be followed by a number-ish token */
				size_t j = i + ul;
				while (j < len && (text[j] == ' ' || text[j] == '.' || text[j] == '#'))
					j++;
				if (j < len && (idv_isdigit((unsigned char)text[j]) ||
						(idv_isupper((unsigned char)text[j]) &&
						 (j + 1 == len || text[j + 1] == ' '))))
					return i;
			}
		}
	}
	return SIZE_MAX;
}

/* ---------------------------------------------------------------------------------------------
 * Layout relations
 */

static bool
res_x_overlap(const struct idv_res_line *a, const struct idv_res_line *b)
{
	int lo = a->box.x > b->box.x ? a->box.x : b->box.x;
	int hi = a->box.x + a->box.w < b->box.x + b->box.w ? a->box.x + a->box.w
							     : b->box.x + b->box.w;
	return hi > lo;
}

/* Rows and columns compare centres and text heights, not boxes: a line photographed a few
 * degrees off level has a box much taller than its text. */
static int
res_cy(const struct idv_res_line *l)
{
	return l->box.y + l->box.h / 2;
}

static int
res_h(const struct idv_res_line *l)
{
	return l->height > 0 ? l->height : l->box.h;
}

static bool
res_same_row(const struct idv_res_line *a, const struct idv_res_line *b)
{
	int d = res_cy(a) - res_cy(b);
	int h = res_h(a) > res_h(b) ? res_h(a) : res_h(b);
	return (d < 0 ? -d : d) * 2 < h;
}

/* b is in the column of a and below it within maxgap line heights: left edges close, or
 * overlapping with b starting at or after a's left edge. */
static bool
res_below(const struct idv_res_line *a, const struct idv_res_line *b, int maxgap)
{
	int h = res_h(a);
	int hb = res_h(b);
	int dy = res_cy(b) - res_cy(a);
	/* one line down is about (h + hb) / 2 plus the leading */
	if (dy * 5 < (h < hb ? h : hb) * 3)
		return false;
	if (dy > (h + hb) / 2 + maxgap * h)
		return false;
	int dx = b->box.x - a->box.x;
	if (dx < 0)
		dx = -dx;
	return dx <= 2 * h || (res_x_overlap(a, b) && b->box.x >= a->box.x - h);
}

/* The nearest segment directly below i in its column, or SIZE_MAX. */
static size_t
res_next_below(const struct idv_res_page *pg, size_t i, int maxgap)
{
	size_t best = SIZE_MAX;
	int bestd = 0;
	for (size_t j = 0; j < pg->nlines; j++) {
		if (j == i || !res_below(&pg->lines[i], &pg->lines[j], maxgap))
			continue;
		int d = pg->lines[j].box.y - pg->lines[i].box.y;
		if (d <= 0)
			continue;
		if (best == SIZE_MAX || d < bestd) {
			best = j;
			bestd = d;
		}
	}
	return best;
}

/* The nearest segment directly above i in its column, or SIZE_MAX. */
static size_t
res_next_above(const struct idv_res_page *pg, size_t i, int maxgap)
{
	size_t best = SIZE_MAX;
	int bestd = 0;
	for (size_t j = 0; j < pg->nlines; j++) {
		if (j == i || !res_below(&pg->lines[j], &pg->lines[i], maxgap))
			continue;
		int d = pg->lines[i].box.y - pg->lines[j].box.y;
		if (d <= 0)
			continue;
		if (best == SIZE_MAX || d < bestd) {
			best = j;
			bestd = d;
		}
	}
	return best;
}

/* The segment to the right of i on the same row (nearest), or SIZE_MAX. */
static size_t
res_right_of(const struct idv_res_page *pg, size_t i, int maxdist)
{
	size_t best = SIZE_MAX;
	int bestd = 0;
	const struct idv_res_line *a = &pg->lines[i];
	for (size_t j = 0; j < pg->nlines; j++) {
		const struct idv_res_line *b = &pg->lines[j];
		if (j == i || !res_same_row(a, b) || b->box.x <= a->box.x + a->box.w)
			continue;
		int d = b->box.x - (a->box.x + a->box.w);
		if (d > maxdist * (a->height > 0 ? a->height : 1))
			continue;
		if (best == SIZE_MAX || d < bestd) {
			best = j;
			bestd = d;
		}
	}
	return best;
}

/* ---------------------------------------------------------------------------------------------
 * The reader
 */

struct res_ctx {
	const struct idv_res_page *pg;
	struct res_seg seg[IDV_RES_MAX_LINES];
};

static const char *const res_company_words[] = {
	"inc", "llc", "llp", "ltd", "co", "corp", "corporation", "company", "bank", "energy",
	"electric", "power", "gas", "water", "utility", "utilities", "wireless", "mobile",
	"telecom", "communications", "insurance", "mutual", "county", "city", "department",
	"treasurer", "collector", "assessor", "services", "properties", "property", "management",
	"realty", "apartments", "group", "trust", "association", "authority", "district", "of",
	"the", "account", "statement", "bill", "total", "amount", "due", "service", "policy",
	"page", "date", "lease", "agreement", "tax", "notice", "declarations", "customer",
	"payment", "balance", "usage", "summary", "plan", "residential", "mortgage", "cellular",
	"cooperative", "agency", "collector", "talk", "telephone", "cable",
	"internet", "broadband", "financial", "credit", "union", "holdings",
};

/* A person's name: 2-8 words, no digits or company words, at least two words of two letters
 * or more ("J REYES" passes only under a holder label: res_name_like_labelled). */
static bool
res_name_like_min(const char *text, size_t min_long)
{
	char n[IDV_RES_LINE_MAX];
	size_t len = res_norm(text, n, sizeof(n));
	if (len == 0)
		return false;
	for (size_t i = 0; text[i] != '\0'; i++) {
		unsigned char c = (unsigned char)text[i];
		if (idv_isdigit(c) || c == ':' || c == '$' || c == '@' || c == '/' || c == '#')
			return false;
	}
	size_t words = 0, longw = 0;
	const char *p = n;
	while (*p) {
		const char *q = strchr(p, ' ');
		size_t wl = q ? (size_t)(q - p) : strlen(p);
		char w[64];
		if (wl >= sizeof(w))
			return false;
		memcpy(w, p, wl);
		w[wl] = '\0';
		for (size_t i = 0; i < IDV_ARRAY_LEN(res_company_words); i++)
			if (strcmp(w, res_company_words[i]) == 0)
				return false;
		words++;
		if (wl >= 2)
			longw++;
		p = q ? q + 1 : p + wl;
	}
	return words >= 2 && words <= 8 && longw >= min_long;
}

static bool
res_name_like(const char *text)
{
	return res_name_like_min(text, 2);
}

static bool
res_name_like_labelled(const char *text)
{
	return res_name_like_min(text, 1);
}

/* "LAST, FIRST M" as written on insurance and tax forms into "FIRST M LAST" (one comma, a
 * family name without spaces before it, given names after). Otherwise name is kept. */
static void
res_name_order(char *name, size_t namesz)
{
	const char *comma = strchr(name, ',');
	if (comma == NULL || strchr(comma + 1, ',') != NULL || comma == name)
		return;
	const char *given = comma + 1;
	while (*given == ' ')
		given++;
	size_t famlen = (size_t)(comma - name);
	if (*given == '\0' || memchr(name, ' ', famlen) != NULL)
		return;
	char out[IDV_RES_NAME_MAX];
	if (idv_fmt(out, sizeof out, "%s %.*s", given, (int)famlen, name))
		idv_strlcpy(name, out, namesz);
}

/* Split "A and B", "A & B", "A; B" into holders. */
static void
res_add_holders(struct idv_residence *r, const char *v)
{
	char buf[IDV_RES_LINE_MAX];
	if (!idv_strlcpy(buf, v, sizeof(buf)))
		buf[sizeof(buf) - 1] = '\0';
	const char *p = buf;
	while (*p && r->nholders < IDV_RES_MAX_HOLDERS) {
		const char *cut = NULL;
		size_t skip = 0;
		const char *seps[] = {" and ", " AND ", " And ", " & ", ";"};
		for (size_t s = 0; s < IDV_ARRAY_LEN(seps); s++) {
			const char *q = strstr(p, seps[s]);
			if (q && (!cut || q < cut)) {
				cut = q;
				skip = strlen(seps[s]);
			}
		}
		size_t len = cut ? (size_t)(cut - p) : strlen(p);
		char name[IDV_RES_NAME_MAX];
		res_copy_trim(name, sizeof(name), p, len);
		res_name_order(name, sizeof name);
		if (name[0] != '\0') {
			bool dup = false;
			for (size_t i = 0; i < r->nholders; i++)
				if (strcmp(r->holders[i], name) == 0)
					dup = true;
			if (!dup)
				memcpy(r->holders[r->nholders++], name, sizeof(name));
		}
		if (!cut)
			break;
		p = cut + skip;
	}
}

/*
 * The places a label's value may be: after the colon on the segment itself, the segment to the
 * right on the same row (close by), the segment below. Fills up to 3 (segment, offset) pairs in
 * that order; the caller takes the first that fits.
 */
static size_t
res_label_values(const struct res_ctx *c, size_t i, size_t vseg[3], size_t voff[3])
{
	const struct idv_res_page *pg = c->pg;
	size_t n = 0;
	if (!c->seg[i].label_only) {
		vseg[n] = i;
		voff[n++] = c->seg[i].label_len;
		return n;
	}
	size_t r = res_right_of(pg, i, 10);
	if (r != SIZE_MAX && c->seg[r].role == ROLE_NONE) {
		vseg[n] = r;
		voff[n++] = 0;
	}
	size_t b = res_next_below(pg, i, 2);
	if (b != SIZE_MAX && c->seg[b].role == ROLE_NONE) {
		vseg[n] = b;
		voff[n++] = 0;
	}
	return n;
}

struct res_addr {
	size_t csz;      /* segment with city, state, zip */
	size_t street;   /* segment with the street (may equal csz) */
	size_t top;      /* first segment of the block (street or unit line) */
	struct res_csz p;
	char street_text[IDV_FIELD_VALUE_MAX];
	char unit[32];
	bool po_box;
	int score;
	bool labelled;
	struct idv_box box;
};

static void
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
static void
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

/* The label segment to the left of segment i on its row, close by (a label far to the left
 * heads another column); SIZE_MAX when there is none. */
static size_t
res_row_label(const struct res_ctx *c, size_t i)
{
	const struct idv_res_page *pg = c->pg;
	size_t left = SIZE_MAX;
	int leftgap = 0;
	for (size_t j = 0; j < pg->nlines; j++) {
		const struct idv_res_line *b = &pg->lines[j];
		int gap = pg->lines[i].box.x - (b->box.x + b->box.w);
		if (j == i || gap < -res_h(b) || !res_same_row(&pg->lines[i], b))
			continue;
		if (left == SIZE_MAX || gap < leftgap) {
			left = j;
			leftgap = gap;
		}
	}
	if (left != SIZE_MAX && c->seg[left].role != ROLE_NONE && c->seg[left].label_only &&
	    leftgap <= 8 * res_h(&pg->lines[i]))
		return left;
	return SIZE_MAX;
}

/* The label of segment i itself or on its row to its left; ROLE_NONE when none. */
static enum res_role
res_own_label(const struct res_ctx *c, size_t i, size_t *label)
{
	if (c->seg[i].role != ROLE_NONE) {
		*label = i;
		return c->seg[i].role;
	}
	size_t left = res_row_label(c, i);
	*label = left;
	return left == SIZE_MAX ? ROLE_NONE : c->seg[left].role;
}

/*
 * The label governing segment i: a label on the segment itself, a label segment on its row to
 * the left, or the nearest label above in its column within a few lines (walking up through the
 * block, each row's own label included). A weak "Address:" label takes the role of the label
 * above it (the named insured's address, the lienholder's), or is an address label of its own.
 * ROLE_NONE when there is none; *label gets the segment.
 */
static enum res_role
res_governing(const struct res_ctx *c, size_t i, size_t *label)
{
	const struct idv_res_page *pg = c->pg;
	enum res_role weak = ROLE_NONE;
	size_t weak_label = SIZE_MAX;
	enum res_role role = res_own_label(c, i, label);
	if (role != ROLE_NONE && role != ROLE_ADDRESS_WEAK)
		return role;
	if (role == ROLE_ADDRESS_WEAK) {
		weak = role;
		weak_label = *label;
	}
	size_t cur = i;
	for (int steps = 0; steps < 4; steps++) {
		size_t up = res_next_above(pg, cur, 2);
		if (up == SIZE_MAX)
			break;
		role = res_own_label(c, up, label);
		if (role == ROLE_ADDRESS_WEAK && weak == ROLE_NONE) {
			weak = role;
			weak_label = *label;
		} else if (role != ROLE_NONE && role != ROLE_ADDRESS_WEAK) {
			return role;
		}
		cur = up;
	}
	*label = weak_label;
	return weak == ROLE_NONE ? ROLE_NONE : ROLE_ADDRESS;
}

static void
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

static void
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

/* A party's role in parentheses after its name: ("Tenant"), (the "Lessee"), ('Residents'). */
static const char *const res_tenant_words[] = {"tenant", "tenants", "lessee", "lessees",
					       "resident", "residents"};

static bool
res_prose_role_at(const char *p, size_t n, size_t *skip)
{
	size_t i = 0;
	if (i >= n || p[i] != '(')
		return false;
	i++;
	if (i + 4 <= n && idv_str_ieq(p + i, 4, "the "))
		i += 4;
	/* an opening quote: ASCII or the UTF-8 curly ones (3 bytes) */
	if (i < n && (p[i] == '"' || p[i] == '\''))
		i++;
	else if (i + 3 <= n && (unsigned char)p[i] == 0xE2 && (unsigned char)p[i + 1] == 0x80)
		i += 3;
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
		if (t[i] != '(' || !res_prose_role_at(t + i, n - i, &skip))
			continue;
		size_t e = i;
		while (e > 0 && t[e - 1] == ' ')
			e--;
		size_t b = e;
		while (b > 0 && t[b - 1] != ')' && t[b - 1] != '.' && t[b - 1] != ':' &&
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
	"commonly known as ", "unit located at ",
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
static void
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

static void
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

struct res_kw {
	const char *word;
	enum idv_residence_kind kind;
	int weight;
};

static const struct res_kw res_kind_words[] = {
	{"electric", IDV_RES_UTILITY_BILL, 2}, {"electricity", IDV_RES_UTILITY_BILL, 2},
	{"kwh", IDV_RES_UTILITY_BILL, 3}, {"gas", IDV_RES_UTILITY_BILL, 1},
	{"therms", IDV_RES_UTILITY_BILL, 3}, {"water", IDV_RES_UTILITY_BILL, 2},
	{"sewer", IDV_RES_UTILITY_BILL, 2}, {"meter", IDV_RES_UTILITY_BILL, 2},
	{"utility", IDV_RES_UTILITY_BILL, 2}, {"utilities", IDV_RES_UTILITY_BILL, 2},
	{"energy", IDV_RES_UTILITY_BILL, 1}, {"gallons", IDV_RES_UTILITY_BILL, 2},
	{"wireless", IDV_RES_MOBILE_PHONE_BILL, 3}, {"mobile", IDV_RES_MOBILE_PHONE_BILL, 2},
	{"cellular", IDV_RES_MOBILE_PHONE_BILL, 3}, {"minutes", IDV_RES_MOBILE_PHONE_BILL, 2},
	{"texts", IDV_RES_MOBILE_PHONE_BILL, 2}, {"data", IDV_RES_MOBILE_PHONE_BILL, 1},
	{"roaming", IDV_RES_MOBILE_PHONE_BILL, 2}, {"talk", IDV_RES_MOBILE_PHONE_BILL, 1},
	{"device", IDV_RES_MOBILE_PHONE_BILL, 1}, {"lines", IDV_RES_MOBILE_PHONE_BILL, 1},
	{"lease", IDV_RES_LEASE, 3}, {"tenant", IDV_RES_LEASE, 2}, {"tenants", IDV_RES_LEASE, 2},
	{"landlord", IDV_RES_LEASE, 3}, {"lessor", IDV_RES_LEASE, 2}, {"lessee", IDV_RES_LEASE, 2},
	{"rent", IDV_RES_LEASE, 2}, {"premises", IDV_RES_LEASE, 1},
	{"deposit", IDV_RES_LEASE, 1},
	{"insurance", IDV_RES_INSURANCE, 2}, {"insured", IDV_RES_INSURANCE, 3},
	{"policy", IDV_RES_INSURANCE, 2}, {"declarations", IDV_RES_INSURANCE, 3},
	{"premium", IDV_RES_INSURANCE, 3}, {"coverage", IDV_RES_INSURANCE, 2},
	{"deductible", IDV_RES_INSURANCE, 3}, {"liability", IDV_RES_INSURANCE, 1},
	{"homeowners", IDV_RES_INSURANCE, 2}, {"renters", IDV_RES_INSURANCE, 1},
	{"property tax", IDV_RES_PROPERTY_TAX, 4}, {"assessed", IDV_RES_PROPERTY_TAX, 3},
	{"assessor", IDV_RES_PROPERTY_TAX, 3}, {"parcel", IDV_RES_PROPERTY_TAX, 3},
	{"taxpayer", IDV_RES_PROPERTY_TAX, 2}, {"treasurer", IDV_RES_PROPERTY_TAX, 2},
	{"tax collector", IDV_RES_PROPERTY_TAX, 3}, {"millage", IDV_RES_PROPERTY_TAX, 3},
	{"levy", IDV_RES_PROPERTY_TAX, 2}, {"installment", IDV_RES_PROPERTY_TAX, 1},
	{"bank statement", IDV_RES_BANK_STATEMENT, 4}, {"checking", IDV_RES_BANK_STATEMENT, 2},
	{"deposits", IDV_RES_BANK_STATEMENT, 1}, {"withdrawals", IDV_RES_BANK_STATEMENT, 3},
};

static enum idv_residence_kind
res_pick_kind(const struct idv_res_page *pg)
{
	int score[IDV_RES__COUNT] = {0};
	for (size_t i = 0; i < pg->nlines; i++) {
		char n[IDV_RES_LINE_MAX];
		res_norm(pg->lines[i].text, n, sizeof(n));
		for (size_t k = 0; k < IDV_ARRAY_LEN(res_kind_words); k++)
			if (res_has_word(n, res_kind_words[k].word))
				score[res_kind_words[k].kind] += res_kind_words[k].weight;
	}
	enum idv_residence_kind best = IDV_RES_OTHER;
	int bs = 2;
	for (int k = IDV_RES_UTILITY_BILL; k < IDV_RES__COUNT; k++)
		if (score[k] > bs) {
			bs = score[k];
			best = (enum idv_residence_kind)k;
		}
	return best;
}

static void
res_pick_issuer(const struct res_ctx *c, struct idv_residence *r)
{
	const struct idv_res_page *pg = c->pg;
	int hs[IDV_RES_MAX_LINES];
	size_t nh = 0;
	for (size_t i = 0; i < pg->nlines; i++)
		hs[nh++] = pg->lines[i].height;
	int med = res_median(hs, nh);
	int limit = pg->height > 0 ? pg->height / 4 : INT32_MAX;
	size_t best = SIZE_MAX;
	for (size_t i = 0; i < pg->nlines; i++) {
		const struct idv_res_line *l = &pg->lines[i];
		if (l->box.y > limit)
			break;
		if (c->seg[i].role != ROLE_NONE || l->height * 4 < med * 5)
			continue; /* the issuer is printed larger than the body text */
		size_t letters = 0;
		bool digits = false;
		for (size_t k = 0; l->text[k]; k++) {
			if (idv_isalpha((unsigned char)l->text[k]))
				letters++;
			if (idv_isdigit((unsigned char)l->text[k]))
				digits = true;
		}
		if (letters < 3 || digits)
			continue;
		if (best == SIZE_MAX || l->height > pg->lines[best].height * 5 / 4)
			best = i;
	}
	if (best != SIZE_MAX) {
		res_copy_trim(r->issuer, sizeof(r->issuer), pg->lines[best].text,
			      strlen(pg->lines[best].text));
		r->issuer_box = pg->lines[best].box;
	}
}

enum idv_err
idv_residence_parse(const struct idv_res_page *page, struct idv_residence *out)
{
	struct res_ctx ctx;
	struct res_addr addr;
	bool have_addr = false;

	memset(out, 0, sizeof(*out));
	ctx.pg = page;
	for (size_t i = 0; i < page->nlines && i < IDV_RES_MAX_LINES; i++)
		res_classify(page->lines[i].text, &ctx.seg[i]);

	out->kind = res_pick_kind(page);
	res_pick_issuer(&ctx, out);
	res_pick_address(&ctx, out, &addr, &have_addr);
	if (have_addr) {
		out->has_address = true;
		out->address_from_label = addr.labelled;
		idv_strlcpy(out->street, addr.street_text, sizeof(out->street));
		idv_strlcpy(out->unit, addr.unit, sizeof(out->unit));
		idv_strlcpy(out->city, addr.p.city, sizeof(out->city));
		memcpy(out->state, addr.p.state, sizeof(out->state));
		memcpy(out->postal_code, addr.p.zip, sizeof(out->postal_code));
		out->address_box = addr.box;
	}
	res_pick_holders(&ctx, out, &addr, have_addr);
	res_pick_prose(&ctx, out, have_addr && addr.labelled);
	res_pick_date(&ctx, out);
	if (!out->has_address && out->nholders == 0 && !out->has_date)
		return IDV_E_PARSE;
	return IDV_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Into a document, checks
 */

void
idv_residence_to_document(const struct idv_residence *r, enum idv_source src,
			  struct idv_document *doc)
{
	doc->kind = IDV_DOC_PROOF_OF_RESIDENCE;
	doc->residence_kind = r->kind;
	if (r->nholders > 0) {
		char v[IDV_FIELD_VALUE_MAX];
		size_t n = 0;
		v[0] = '\0';
		for (size_t i = 0; i < r->nholders; i++) {
			int k = snprintf(v + n, sizeof(v) - n, "%s%s", i ? "; " : "", r->holders[i]);
			if (k < 0 || (size_t)k >= sizeof(v) - n)
				break;
			n += (size_t)k;
		}
		idv_document_set(doc, IDV_F_HOLDER_NAME, v, n, src,
				 r->holder_from_label ? 0.9f : 0.7f, &r->holder_box);
	}
	if (r->has_address) {
		float conf = r->address_from_label ? 0.9f : 0.7f;
		idv_document_set(doc, IDV_F_STREET, r->street, strlen(r->street), src, conf,
				 &r->address_box);
		if (r->unit[0])
			idv_document_set(doc, IDV_F_UNIT, r->unit, strlen(r->unit), src, conf,
					 &r->address_box);
		idv_document_set(doc, IDV_F_CITY, r->city, strlen(r->city), src, conf,
				 &r->address_box);
		idv_document_set(doc, IDV_F_STATE, r->state, strlen(r->state), src, conf,
				 &r->address_box);
		idv_document_set(doc, IDV_F_POSTAL_CODE, r->postal_code, strlen(r->postal_code),
				 src, conf, &r->address_box);
	}
	if (r->has_date) {
		char d[11];
		idv_date_format(&r->statement_date, d);
		idv_document_set(doc, IDV_F_STATEMENT_DATE, d, 10, src,
				 r->date_from_label ? 0.9f : 0.6f, &r->date_box);
	}
	if (r->issuer[0])
		idv_document_set(doc, IDV_F_ISSUER, r->issuer, strlen(r->issuer), src, 0.6f,
				 &r->issuer_box);
}

#define RES_DEFAULT_KINDS                                                                          \
	((1u << IDV_RES_UTILITY_BILL) | (1u << IDV_RES_MOBILE_PHONE_BILL) | (1u << IDV_RES_LEASE) | \
	 (1u << IDV_RES_INSURANCE) | (1u << IDV_RES_PROPERTY_TAX))

void
idv_residence_checks(struct idv_document *doc, int64_t today_days,
		     const struct idv_residence_policy *policy)
{
	int max_age = policy && policy->max_age_days > 0 ? policy->max_age_days
							 : IDV_RES_DEFAULT_MAX_AGE_DAYS;
	uint32_t kinds = policy && policy->accepted_kinds ? policy->accepted_kinds
							  : RES_DEFAULT_KINDS;
	const struct idv_field *f = &doc->fields[IDV_F_STATEMENT_DATE];
	struct idv_date d;
	if (!f->present || idv_date_parse(f->value, strlen(f->value), &d) != IDV_OK) {
		idv_document_check(doc, "statement_recent", IDV_CHECK_FAIL,
				   "no statement date could be read");
	} else {
		int64_t age = today_days - idv_date_to_days(&d);
		if (age < -1)
			idv_document_check(doc, "statement_recent", IDV_CHECK_FAIL,
					   "statement date is %lld days in the future",
					   (long long)-age);
		else if (age > max_age)
			idv_document_check(doc, "statement_recent", IDV_CHECK_FAIL,
					   "statement is %lld days old (limit %d)", (long long)age,
					   max_age);
		else
			idv_document_check(doc, "statement_recent", IDV_CHECK_PASS,
					   "statement is %lld days old (limit %d)",
					   (long long)(age < 0 ? 0 : age), max_age);
	}
	enum idv_residence_kind k = doc->residence_kind;
	if ((unsigned)k < 32 && k != IDV_RES_NONE && (kinds & (1u << k)))
		idv_document_check(doc, "residence_kind_accepted", IDV_CHECK_PASS, "%s",
				   idv_residence_kind_name(k));
	else
		idv_document_check(doc, "residence_kind_accepted", IDV_CHECK_FAIL,
				   "%s is not an accepted proof of residence",
				   idv_residence_kind_name(k));
}

enum idv_err
idv_residence_kinds_parse(const char *p, size_t len, uint32_t *out)
{
	uint32_t set = 0;
	size_t i = 0;
	while (i < len) {
		size_t s = i;
		while (i < len && p[i] != ',')
			i++;
		const char *w = p + s;
		size_t wl = i - s;
		idv_str_trim(&w, &wl);
		if (wl > 0) {
			int found = -1;
			for (int k = IDV_RES_UTILITY_BILL; k < IDV_RES__COUNT; k++)
				if (idv_str_ieq(w, wl, idv_residence_kind_name((enum idv_residence_kind)k)))
					found = k;
			if (found < 0)
				return IDV_E_PARSE;
			set |= 1u << found;
		}
		i++;
	}
	if (set == 0)
		return IDV_E_PARSE;
	*out = set;
	return IDV_OK;
}
