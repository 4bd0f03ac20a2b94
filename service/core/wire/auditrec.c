/* SPDX-License-Identifier: Apache-2.0 */
/* auditrec.c: canonical audit entries (see auditrec.h). */
#include "idverify/auditrec.h"
#include "idverify/str.h"

static bool
audit_id_chars(const char *s, size_t max)
{
	size_t n = 0;
	for (; s[n] != '\0'; n++)
		if (n >= max || !(idv_isalnum((unsigned char)s[n]) || s[n] == '-' || s[n] == '_' ||
				  s[n] == '.'))
			return false;
	return n > 0;
}

bool
idv_audit_actor_valid(const char *actor)
{
	static const char *const prefixes[] = {
		"key:", "case:", "agent:", "platform:", "consumer:", "web-agent:"};
	if (actor == NULL)
		return false;
	if (strcmp(actor, "system") == 0 || strcmp(actor, "admin") == 0 ||
	    strcmp(actor, "anonymous") == 0)
		return true;
	for (size_t i = 0; i < IDV_ARRAY_LEN(prefixes); i++) {
		size_t n = strlen(prefixes[i]);
		if (strncmp(actor, prefixes[i], n) == 0)
			return audit_id_chars(actor + n, 128);
	}
	return false;
}

bool
idv_audit_event_valid(const char *event)
{
	size_t n = 0;
	if (event == NULL)
		return false;
	for (; event[n] != '\0'; n++)
		if (n >= 64 ||
		    !(idv_islower((unsigned char)event[n]) ||
		      idv_isdigit((unsigned char)event[n]) || event[n] == '_' || event[n] == '.'))
			return false;
	return n > 0;
}

struct canon {
	uint8_t *out;
	size_t outsz, len;
	bool full;
};

static void
canon_put(struct canon *c, const void *p, size_t n)
{
	if (c->full || c->outsz - c->len < n) {
		c->full = true;
		return;
	}
	memcpy(c->out + c->len, p, n);
	c->len += n;
}

static void
canon_field(struct canon *c, const char *v, size_t n)
{
	char head[24];
	if (!idv_fmt(head, sizeof head, "%zu:", n)) {
		c->full = true;
		return;
	}
	canon_put(c, head, strlen(head));
	canon_put(c, v, n);
	canon_put(c, "\n", 1);
}

enum idv_err
idv_audit_canon(const struct idv_audit_entry *e, const uint8_t prev[IDV_AUDIT_MAC_LEN],
		uint8_t *out, size_t outsz, size_t *len)
{
	static const char magic[] = "idverify-audit-v1\n";
	static const char digits[] = "0123456789abcdef";
	struct canon c = {out, outsz, 0, false};
	char num[24], hex[2 * IDV_AUDIT_MAC_LEN];
	*len = 0;
	if (e->actor == NULL || e->event == NULL || e->case_ref == NULL || e->detail == NULL ||
	    !idv_audit_actor_valid(e->actor) || !idv_audit_event_valid(e->event))
		return IDV_E_INVAL;
	if (strlen(e->case_ref) > IDV_AUDIT_FIELD_MAX || strlen(e->detail) > IDV_AUDIT_FIELD_MAX)
		return IDV_E_TOOBIG;
	canon_put(&c, magic, sizeof magic - 1);
	/* 24 bytes hold any int64 in decimal */
	(void)idv_fmt(num, sizeof num, "%lld", (long long)e->seq);
	canon_field(&c, num, strlen(num));
	(void)idv_fmt(num, sizeof num, "%lld", (long long)e->at);
	canon_field(&c, num, strlen(num));
	canon_field(&c, e->actor, strlen(e->actor));
	canon_field(&c, e->event, strlen(e->event));
	canon_field(&c, e->case_ref, strlen(e->case_ref));
	canon_field(&c, e->detail, strlen(e->detail));
	for (size_t i = 0; i < IDV_AUDIT_MAC_LEN; i++) {
		hex[2 * i] = digits[prev[i] >> 4];
		hex[2 * i + 1] = digits[prev[i] & 15];
	}
	canon_field(&c, hex, sizeof hex);
	if (c.full)
		return IDV_E_TOOBIG;
	*len = c.len;
	return IDV_OK;
}
