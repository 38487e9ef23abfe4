/*
 * The CLI's input (src/cli/stress_input.c): what tideover-stress makes
 * of its one JSON document, then the model's validation of it, as its
 * main does. A decode succeeds exactly when it reports no problem, and
 * a document that is no JSON object leaves no tree behind; the decoded
 * arrays hold what the document's arrays held; problems and model
 * errors are terminated strings; validation fails exactly when it counts
 * an error.
 */
#include "cli/stress.h"
#include "core/model.h"
#include "fuzz.h"

#define ERRS_MAX	100

static void
check_problems(const struct stress_problems *p)
{
	size_t	i;

	FUZZ_CHECK(p->n <= p->max);
	for (i = 0; i < p->n; i++) {
		FUZZ_CHECK(memchr(p->v[i].field, '\0',
		    sizeof(p->v[i].field)) != NULL);
		FUZZ_CHECK(memchr(p->v[i].problem, '\0',
		    sizeof(p->v[i].problem)) != NULL);
		FUZZ_CHECK(p->v[i].problem[0] != '\0');
	}
}

static size_t
array_size(const cJSON *root, const char *name)
{
	const cJSON	*a;

	a = cJSON_GetObjectItemCaseSensitive(root, name);
	return (cJSON_IsArray(a) ? (size_t)cJSON_GetArraySize(a) : 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stress_input	 si;
	struct stress_problems	 p;
	struct model_error	*errs;
	char			*text;
	size_t			 n, i;
	int			 rc;

	/* A copy of its own size, so that ASan sees a read past the end. */
	if ((text = malloc(size + 1)) == NULL)
		abort();
	memcpy(text, data, size);
	memset(&p, 0, sizeof(p));
	rc = stress_input_decode(text, size, &si, &p);
	FUZZ_CHECK(rc == 0 || rc == -1);
	FUZZ_CHECK((rc == 0) == (p.n == 0));
	check_problems(&p);
	if (si.root == NULL) {
		FUZZ_CHECK(rc == -1);
		goto out;
	}
	FUZZ_CHECK(cJSON_IsObject(si.root));
	FUZZ_CHECK(si.in.nsuppliers == array_size(si.root, "suppliers"));
	FUZZ_CHECK(si.in.ninvoices == array_size(si.root, "invoices"));
	FUZZ_CHECK(si.in.scenario.ramp_len == array_size(
	    cJSON_GetObjectItemCaseSensitive(si.root, "scenario"),
	    "ramp_bps"));
	if (rc == 0)
		FUZZ_CHECK(si.outage_days == si.max_outage_days ||
		    cJSON_GetObjectItemCaseSensitive(si.root,
		    "outage_days") != NULL);

	if ((errs = calloc(ERRS_MAX, sizeof(*errs))) == NULL)
		abort();
	n = (size_t)-1;
	rc = model_validate(&si.in, errs, ERRS_MAX, &n);
	FUZZ_CHECK(rc == 0 || rc == -1);
	FUZZ_CHECK(n != (size_t)-1 && (rc == 0) == (n == 0));
	for (i = 0; i < n && i < ERRS_MAX; i++) {
		FUZZ_CHECK(errs[i].object != NULL);
		FUZZ_CHECK(memchr(errs[i].id, '\0', sizeof(errs[i].id)) != NULL);
		FUZZ_CHECK(memchr(errs[i].field, '\0',
		    sizeof(errs[i].field)) != NULL);
		FUZZ_CHECK(memchr(errs[i].problem, '\0',
		    sizeof(errs[i].problem)) != NULL);
	}
	free(errs);
out:
	stress_input_cleanup(&si);
	free(p.v);
	free(text);
	return (0);
}
