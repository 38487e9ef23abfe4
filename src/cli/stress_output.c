/*
 * tideover-stress output: the curve and the per-supplier results as JSON,
 * with the supply network's figures when the input has links (so that a
 * version 1 input prints exactly what it always did), one entry per line so that golden files diff line by line. Written by
 * hand rather than through cJSON because cJSON keeps numbers as doubles,
 * and money must come out exact beyond 2^53.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "cli/stress.h"

static void
str(FILE *f, const char *s)
{
	const unsigned char	*p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* A day offset as a number, or null. */
static void
day(FILE *f, int64_t d)
{
	if (d == MODEL_NONE)
		fputs("null", f);
	else
		fprintf(f, "%lld", (long long)d);
}

/* start_date + d as a string, or null. */
static void
date(FILE *f, int32_t start, int64_t d)
{
	char	buf[DATE_LEN + 1];

	if (d == MODEL_NONE) {
		fputs("null", f);
		return;
	}
	date_format(start + (int32_t)d, buf);
	str(f, buf);
}

struct row {
	size_t				 s;
	const struct model_result	*r;
	const char			*id;
};

/* The contract's order: breach_day, nulls last, then supplier_id. */
static int
row_cmp(const void *a, const void *b)
{
	const struct row	*x = a, *y = b;
	int64_t			 bx = x->r->breach_day, by = y->r->breach_day;

	if (bx != by) {
		if (bx == MODEL_NONE)
			return (1);
		if (by == MODEL_NONE)
			return (-1);
		return (bx < by ? -1 : 1);
	}
	return (strcmp(x->id, y->id));
}

int
stress_output_write(FILE *f, const struct stress_input *si,
    const struct model_point *curve, const struct model_result *res,
    const int64_t *breaks, const struct model_expected *ex,
    const int64_t *bps)
{
	const struct model_point	*c;
	const struct model_result	*r;
	struct row			*rows;
	int32_t				 start = si->in.scenario.start_date;
	int64_t				 L;
	size_t				 i, n = si->in.nsuppliers;
	int				 net = si->in.nlinks > 0;

	if ((rows = calloc(n + 1, sizeof(*rows))) == NULL)
		return (-1);
	for (i = 0; i < n; i++) {
		rows[i].s = i;
		rows[i].r = &res[i];
		rows[i].id = si->in.suppliers[i].id;
	}
	qsort(rows, n, sizeof(*rows), row_cmp);

	fputs("{\n  \"curve\": [", f);
	for (L = 0; L <= si->max_outage_days; L++) {
		c = &curve[L];
		fprintf(f, "%s\n    {\"outage_days\": %lld, "
		    "\"suppliers_below\": %lld, \"employees_at_risk\": %lld, "
		    "\"funding_gap\": %lld, \"early_paid\": %lld, "
		    "\"fees\": %lld, \"peak_facility_use\": %lld, "
		    "\"oem_cost\": %lld", L == 0 ? "" : ",",
		    (long long)c->outage_days, (long long)c->suppliers_below,
		    (long long)c->employees_at_risk,
		    (long long)c->funding_gap, (long long)c->early_paid,
		    (long long)c->fees, (long long)c->peak_facility_use,
		    (long long)c->oem_cost);
		if (net)
			fprintf(f, ", \"suppliers_below_contagion\": %lld, "
			    "\"overdue_trade_credit\": %lld, "
			    "\"funder_overdue\": %lld",
			    (long long)c->suppliers_below_contagion,
			    (long long)c->overdue_trade_credit,
			    (long long)c->funder_overdue);
		fputc('}', f);
	}
	fputs("\n  ],\n", f);
	if (ex != NULL)
		fprintf(f, "  \"expected\": {\"suppliers_below\": %lld, "
		    "\"employees_at_risk\": %lld, \"funding_gap\": %lld, "
		    "\"oem_cost\": %lld},\n", (long long)ex->suppliers_below,
		    (long long)ex->employees_at_risk,
		    (long long)ex->funding_gap, (long long)ex->oem_cost);
	fprintf(f, "  \"outage_days\": %lld,\n  \"suppliers\": [",
	    (long long)si->outage_days);
	for (i = 0; i < n; i++) {
		r = rows[i].r;
		fprintf(f, "%s\n    {\"supplier_id\": ", i == 0 ? "" : ",");
		str(f, rows[i].id);
		fputs(", \"breach_day\": ", f);
		day(f, r->breach_day);
		fputs(", \"breach_date\": ", f);
		date(f, start, r->breach_day);
		fprintf(f, ", \"lowest_liquidity\": %lld, "
		    "\"lowest_liquidity_day\": %lld, \"lowest_liquidity_date\": ",
		    (long long)r->lowest_liquidity,
		    (long long)r->lowest_liquidity_day);
		date(f, start, r->lowest_liquidity_day);
		fprintf(f, ", \"funding_gap\": %lld, \"early_paid\": %lld, "
		    "\"fees\": %lld, \"breaks_at_outage_days\": ",
		    (long long)r->funding_gap, (long long)r->early_paid,
		    (long long)r->fees);
		day(f, breaks[rows[i].s]);
		if (bps != NULL)
			fprintf(f, ", \"breach_probability_bps\": %lld",
			    (long long)bps[rows[i].s]);
		if (net)
			fprintf(f, ", \"contagion\": %s, "
			    "\"overdue_receivables\": %lld, "
			    "\"overdue_payables\": %lld",
			    r->contagion ? "true" : "false",
			    (long long)r->overdue_receivables,
			    (long long)r->overdue_payables);
		fputc('}', f);
	}
	fputs(n == 0 ? "]\n}\n" : "\n  ]\n}\n", f);
	free(rows);
	return (ferror(f) ? -1 : 0);
}

/* The API's error shape: {"error": {"code", "message", "details"}}. */
void
stress_output_error(FILE *f, const char *code, const char *message,
    const struct stress_problems *p)
{
	size_t	i;

	fputs("{\"error\": {\"code\": ", f);
	str(f, code);
	fputs(", \"message\": ", f);
	str(f, message);
	fputs(", \"details\": [", f);
	for (i = 0; p != NULL && i < p->n; i++) {
		fputs(i == 0 ? "{" : ", {", f);
		if (p->v[i].file[0] != '\0') {
			fputs("\"file\": ", f);
			str(f, p->v[i].file);
			if (p->v[i].line > 0)
				fprintf(f, ", \"line\": %d", p->v[i].line);
			fputs(", ", f);
		}
		fputs("\"field\": ", f);
		str(f, p->v[i].field);
		fputs(", \"problem\": ", f);
		str(f, p->v[i].problem);
		fputc('}', f);
	}
	fputs("]}}\n", f);
}
