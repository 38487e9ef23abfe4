/*
 * tideover-stress [file]: run the liquidity model offline. Reads one JSON
 * document (suppliers, invoices, scenario, optional scheme,
 * max_outage_days, optional outage_days) from the file or from stdin and
 * writes {"curve": [...], "outage_days": L, "suppliers": [...]} to stdout.
 * Or the tables as CSV files, as the imports take them (stress_csv.c):
 *
 *	tideover-stress --suppliers s.csv --invoices i.csv [--links l.csv]
 *	    --scenario sc.json [--scheme sch.json] [--max-outage-days N]
 *	    [--outage-days L]
 *
 * Exit status: 0 on success; 2 when the input is unusable, with a JSON
 * error on stderr in the API's shape; 1 when the machine fails us (out of
 * memory, unreadable or unwritable stream).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/stress.h"

#define EXIT_INPUT	2

struct progress {
	int		tty;
	double		start;
	double		last;
	int		shown;
};

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

/* Only on a terminal, and only once a run has taken a second. */
static void
progress(void *arg, size_t done, size_t total)
{
	struct progress	*p = arg;
	double		 t;

	if (!p->tty || total == 0)
		return;
	t = now();
	if (t - p->start < 1.0 || (p->shown && t - p->last < 0.1))
		return;
	fprintf(stderr, "\rtideover-stress: sweeping outage lengths, %3zu%%",
	    done * 100 / total);
	p->last = t;
	p->shown = 1;
}

static char *
slurp(FILE *f, size_t *len)
{
	char	*buf = NULL, *nb;
	size_t	 cap = 0, n = 0, r;

	for (;;) {
		if (cap - n < 65536) {
			cap = cap == 0 ? 65536 : cap * 2;
			if ((nb = realloc(buf, cap + 1)) == NULL) {
				free(buf);
				return (NULL);
			}
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		return (NULL);
	}
	buf[n] = '\0';
	*len = n;
	return (buf);
}

static const char *
plural(const char *object)
{
	if (strcmp(object, "supplier") == 0)
		return ("suppliers");
	if (strcmp(object, "invoice") == 0)
		return ("invoices");
	if (strcmp(object, "link") == 0)
		return ("links");
	return (object);
}

/* The model's errors, as paths into the input document. */
static void
problems_from_model(struct stress_problems *p, const struct model_error *e,
    size_t n)
{
	char	f[96];
	size_t	i, j;

	for (i = 0; i < n; i++) {
		if (e[i].object == NULL)
			continue;
		if (strcmp(e[i].object, "supplier") == 0 ||
		    strcmp(e[i].object, "invoice") == 0 ||
		    strcmp(e[i].object, "link") == 0)
			snprintf(f, sizeof(f), "%s[%zu]%s%s",
			    plural(e[i].object), e[i].index,
			    e[i].field[0] != '\0' ? "." : "", e[i].field);
		else if (strcmp(e[i].object, "run") == 0)
			snprintf(f, sizeof(f), "%s", e[i].field);
		else
			snprintf(f, sizeof(f), "%s.%s", e[i].object,
			    e[i].field);
		/* The decoder may have said it already, more precisely. */
		for (j = 0; j < p->n; j++)
			if (strcmp(p->v[j].field, f) == 0)
				break;
		if (j == p->n)
			stress_problem_add(p, f, "%s", e[i].problem);
	}
}

static const struct stress_csv	*csv_input;

static int
fail_input(struct stress_problems *p, const char *message)
{
	if (csv_input != NULL && p != NULL)
		stress_csv_locate(csv_input, p);
	stress_output_error(stderr, "invalid_input", message, p);
	return (EXIT_INPUT);
}

static int
fail_system(const char *message)
{
	stress_output_error(stderr, "failed", message, NULL);
	return (1);
}

static int
usage(void)
{
	fputs("usage: tideover-stress [file]\n"
	    "       tideover-stress --suppliers file.csv --invoices file.csv "
	    "[--links file.csv]\n"
	    "           --scenario file.json [--scheme file.json] "
	    "[--max-outage-days N]\n"
	    "           [--outage-days L]\n", stderr);
	return (EXIT_INPUT);
}

static int
days_arg(const char *s, int64_t *out)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 ||
	    v > 100000)
		return (-1);
	*out = v;
	return (0);
}

/* The CSV form's options; -1 and a usage message when they are wrong. */
static int
csv_args(int argc, char *argv[], struct stress_csv *c)
{
	const char	**file;
	int64_t		 *days;
	int		  i;

	memset(c, 0, sizeof(*c));
	c->max_outage_days = 60;
	c->outage_days = -1;
	if ((c->currency = getenv("TIDEOVER_CURRENCY")) == NULL)
		c->currency = "GBP";
	for (i = 1; i < argc; i++) {
		file = NULL;
		days = NULL;
		if (strcmp(argv[i], "--suppliers") == 0)
			file = &c->suppliers;
		else if (strcmp(argv[i], "--invoices") == 0)
			file = &c->invoices;
		else if (strcmp(argv[i], "--links") == 0)
			file = &c->links;
		else if (strcmp(argv[i], "--scenario") == 0)
			file = &c->scenario;
		else if (strcmp(argv[i], "--scheme") == 0)
			file = &c->scheme;
		else if (strcmp(argv[i], "--max-outage-days") == 0)
			days = &c->max_outage_days;
		else if (strcmp(argv[i], "--outage-days") == 0)
			days = &c->outage_days;
		if ((file == NULL && days == NULL) || i + 1 == argc)
			return (-1);
		i++;
		if (file != NULL) {
			if (*file != NULL)
				return (-1);
			*file = argv[i];
		} else if (days_arg(argv[i], days) == -1)
			return (-1);
	}
	if (c->suppliers == NULL || c->invoices == NULL || c->scenario == NULL)
		return (-1);
	return (0);
}

int
main(int argc, char *argv[])
{
	struct stress_input	 si;
	struct stress_problems	 probs;
	struct stress_csv	 csv, *c = NULL;
	struct model_error	 errs[100], err;
	struct model_opts	 opts;
	struct model_point	*curve = NULL;
	struct model_result	*res = NULL;
	struct model_expected	 ex;
	struct model		*m = NULL;
	struct progress		 pr;
	int64_t			*breaks = NULL, *bps = NULL;
	FILE			*in = stdin;
	cJSON			*doc;
	char			*text = NULL, msg[256];
	size_t			 len, n;
	int			 rc = 1, r;

	memset(&si, 0, sizeof(si));
	memset(&probs, 0, sizeof(probs));
	if (argc > 1 && strncmp(argv[1], "--", 2) == 0) {
		if (csv_args(argc, argv, &csv) == -1)
			return (usage());
		c = &csv;
		csv_input = c;
	} else if (argc > 2 || (argc == 2 && argv[1][0] == '-' &&
	    argv[1][1] != '\0'))
		return (usage());

	if (c != NULL) {
		if ((doc = stress_csv_document(c, &probs)) == NULL) {
			rc = fail_input(&probs, probs.n > 0 ? "the input is "
			    "not a valid stress run" : "out of memory");
			goto out;
		}
		r = stress_input_decode_tree(doc, &si, &probs);
	} else {
		if (argc == 2 && strcmp(argv[1], "-") != 0 &&
		    (in = fopen(argv[1], "r")) == NULL) {
			snprintf(msg, sizeof(msg), "%s: %s", argv[1],
			    strerror(errno));
			return (fail_input(NULL, msg));
		}
		text = slurp(in, &len);
		if (in != stdin)
			fclose(in);
		if (text == NULL) {
			rc = fail_system("cannot read the input");
			goto out;
		}
		r = stress_input_decode(text, len, &si, &probs);
	}
	/* Report what the decoder and the model find, all in one go. */
	if (r == -1 && si.root == NULL) {
		rc = fail_input(&probs, "the input is not a JSON object");
		goto out;
	}
	if (model_validate(&si.in, errs, 100, &n) == -1)
		problems_from_model(&probs, errs, n < 100 ? n : 100);
	if (si.nprobs > 0 && model_outage_check(si.probs, si.nprobs,
	    si.max_outage_days, errs, 100, &n) == -1)
		problems_from_model(&probs, errs, n < 100 ? n : 100);
	if (probs.n > 0) {
		rc = fail_input(&probs, "the input is not a valid stress run");
		goto out;
	}

	memset(&pr, 0, sizeof(pr));
	pr.tty = isatty(STDERR_FILENO);
	pr.start = now();
	memset(&opts, 0, sizeof(opts));
	opts.progress = progress;
	opts.progress_arg = &pr;
	if ((m = model_alloc(&si.in, &opts, &err)) == NULL) {
		rc = fail_system(err.problem);
		goto out;
	}
	curve = calloc((size_t)(si.max_outage_days > 0 ?
	    si.max_outage_days : 0) + 1, sizeof(*curve));
	res = calloc(si.in.nsuppliers + 1, sizeof(*res));
	breaks = calloc(si.in.nsuppliers + 1, sizeof(*breaks));
	bps = calloc(si.in.nsuppliers + 1, sizeof(*bps));
	if (curve == NULL || res == NULL || breaks == NULL || bps == NULL) {
		rc = fail_system("out of memory");
		goto out;
	}
	if (model_sweep(m, si.max_outage_days, curve, breaks, &err) == -1 ||
	    model_run(m, si.outage_days, res, NULL, &err) == -1 ||
	    (si.nprobs > 0 && model_outage(m, si.probs, si.nprobs, &ex, bps,
	    &err) == -1)) {
		if (pr.shown)
			fputc('\n', stderr);
		if (err.code == MODEL_ERR_NOMEM || err.code == MODEL_ERR_THREAD) {
			rc = fail_system(err.problem);
			goto out;
		}
		problems_from_model(&probs, &err, 1);
		rc = fail_input(&probs, "the input is not a valid stress run");
		goto out;
	}
	if (pr.shown)
		fputs("\r\033[K", stderr);
	if (stress_output_write(stdout, &si, curve, res, breaks,
	    si.nprobs > 0 ? &ex : NULL, si.nprobs > 0 ? bps : NULL) == -1 ||
	    fflush(stdout) == EOF) {
		rc = fail_system("cannot write the output");
		goto out;
	}
	rc = 0;
out:
	model_free(m);
	free(curve);
	free(res);
	free(breaks);
	free(bps);
	free(text);
	free(probs.v);
	stress_input_cleanup(&si);
	if (c != NULL)
		stress_csv_cleanup(c);
	return (rc);
}
