/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy.c: the models and policy a running service decides with (policy.h), loaded once from
 * the models directory (model.h) and read-only afterwards.
 */
#include "model.h"
#include "policy.h"

struct idv_scoring {
	struct idv_models models;
};

enum idv_err
idv_scoring_load(const char *models_dir, struct idv_scoring **out, char *why, size_t whysz)
{
	struct idv_scoring *s = idv_calloc(1, sizeof *s);
	enum idv_err err = idv_models_load(models_dir, &s->models, why, whysz);
	if (err != IDV_OK) {
		free(s);
		return err;
	}
	*out = s;
	return IDV_OK;
}

void
idv_scoring_free(struct idv_scoring *s)
{
	if (s == NULL)
		return;
	idv_models_cleanup(&s->models);
	free(s);
}

const char *
idv_scoring_level(struct idv_scoring *s, const char *request_type, const char *requested,
		  json_t *data_classes)
{
	enum idv_request_type t = idv_request_type_lookup(request_type, strlen(request_type));
	if (t == IDV_REQ__COUNT)
		return "none";
	const struct idv_policy *p = &s->models.policy;
	enum idv_level l = p->level[t];
	if (t == IDV_REQ_OPT_OUT)
		return idv_level_name(l);
	/* Delete and correct: the most sensitive data class named decides (R18); a class the
	 * policy does not list is treated as heightened, as score.h does. */
	if (t == IDV_REQ_DELETE || t == IDV_REQ_CORRECT) {
		size_t i;
		json_t *v;
		json_array_foreach(data_classes, i, v)
		{
			const char *name = json_string_value(v);
			enum idv_level cl = IDV_LEVEL_HEIGHTENED;
			for (size_t k = 0; name != NULL && k < p->nclasses; k++)
				if (strcmp(p->classes[k].name, name) == 0)
					cl = p->classes[k].level;
			if (cl > l)
				l = cl;
		}
	}
	if (requested != NULL) {
		enum idv_level r = idv_level_lookup(requested, strlen(requested));
		if (r != IDV_LEVEL__COUNT && r > l)
			l = r;
	}
	return idv_level_name(l);
}

static const struct idv_model *
score_model(struct idv_scoring *s, const char *level)
{
	enum idv_level l = idv_level_lookup(level, strlen(level));
	if (l == IDV_LEVEL_STANDARD)
		return &s->models.standard;
	if (l == IDV_LEVEL_HEIGHTENED)
		return &s->models.heightened;
	return NULL;
}

const struct idv_models *
idv_scoring_models(const struct idv_scoring *s)
{
	return &s->models;
}

const struct idv_procedure *
idv_scoring_procedure(const struct idv_scoring *s)
{
	return &s->models.policy.procedure;
}

void
idv_scoring_requirements(struct idv_scoring *s, const char *level, bool *government_id,
			 bool *proof_of_residence, bool *declaration)
{
	const struct idv_model *m = score_model(s, level);
	*government_id = m && m->documents_required[IDV_DCLASS_GOVERNMENT_ID];
	*proof_of_residence = m && m->documents_required[IDV_DCLASS_PROOF_OF_RESIDENCE];
	*declaration = m && m->declaration_required;
}
