/* SPDX-License-Identifier: Apache-2.0 */
/*
 * casectx.h: what every module of the case folder shares: the statuses and the running
 * service's case context (store, configuration, models, agent directory).
 */
#ifndef IDVERIFY_CASECTX_H
#define IDVERIFY_CASECTX_H

#include <jansson.h>

#include "config.h"
#include "crypto.h"
#include "idverify/document.h"
#include "store.h"

/* Statuses (stable strings in the API). */
#define IDV_CS_AWAITING_EVIDENCE "awaiting_evidence"
#define IDV_CS_PROCESSING "processing"
#define IDV_CS_VERIFIED "verified"
#define IDV_CS_NOT_VERIFIED "not_verified"
#define IDV_CS_MANUAL_REVIEW "manual_review"
#define IDV_CS_NOT_REQUIRED "no_verification_needed"
#define IDV_CS_REFUSED "refused"
#define IDV_CS_CLOSED "closed"

struct idv_scoring; /* models and policy, loaded once (case_score.c) */
struct idv_agents;  /* agents.h */

/* What a running service shares with the case code. Not owned; all outlive the cases. */
struct idv_cases {
	struct idv_store *store;
	const struct idv_config *cfg;
	struct idv_scoring *scoring;
	const struct idv_agents *agents; /* the DRP directory views name agents from; may be NULL */
};

#endif
