/*
 * inputs_digest's canonical encoding (see run_digest.h). A run encodes
 * hundreds of thousands of lines, so lines are built in one buffer that
 * goes to the sink in blocks, and fields are written without printf.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/run_digest.h"

#define BLOCK	65536

struct enc {
	struct buf	 line;
	int		 fields;
	run_digest_sink	*sink;
	void		*arg;
};

static void
enc_begin(struct enc *e, const char *kind)
{
	buf_puts(&e->line, kind);
	e->fields = 1;
}

/* A field: runs of plain bytes are copied whole. */
static void
enc_text(struct enc *e, const char *s)
{
	static const char	*esc[] = { ['\\'] = "\\\\", ['\t'] = "\\t",
	    ['\n'] = "\\n", ['\r'] = "\\r" };
	size_t			 n;

	if (e->fields++ > 0)
		buf_append(&e->line, "\t", 1);
	if (s == NULL) {
		buf_append(&e->line, "-", 1);
		return;
	}
	for (;;) {
		n = strcspn(s, "\\\t\n\r");
		buf_append(&e->line, s, n);
		s += n;
		if (*s == '\0')
			break;
		buf_puts(&e->line, esc[(unsigned char)*s++]);
	}
}

/* Decimal, without snprintf's cost per call. */
static void
enc_int(struct enc *e, int64_t v)
{
	char		 s[24], *p = s + sizeof(s);
	uint64_t	 u;

	u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	*--p = '\0';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		*--p = '-';
	enc_text(e, p);
}

static void
enc_opt(struct enc *e, int has, int64_t v)
{
	if (has)
		enc_int(e, v);
	else
		enc_text(e, NULL);
}

static void
enc_date(struct enc *e, int32_t day)
{
	char	s[DATE_LEN + 1];

	date_format(day, s);
	enc_text(e, s);
}

static void
enc_end(struct enc *e)
{
	buf_append(&e->line, "\n", 1);
	e->fields = 0;
	if (e->line.len >= BLOCK) {
		e->sink(e->arg, e->line.data, e->line.len);
		e->line.len = 0;
	}
}

/* "5000,7500": the ramp, or the eligible tiers ascending; NULL if none. */
static void
enc_list(struct enc *e, const int64_t *v, size_t n)
{
	struct buf	b;
	char		one[24];
	size_t		i;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		snprintf(one, sizeof(one), "%s%" PRId64, i ? "," : "", v[i]);
		buf_puts(&b, one);
	}
	buf_append(&b, "", 1);
	enc_text(e, n > 0 ? b.data : NULL);
	buf_cleanup(&b);
}

/* The outage probabilities, by outage length ascending. */
static void
enc_probabilities(struct enc *e, const struct run_digest_input *d)
{
	size_t	i, k, next;
	int64_t	last = -1;

	/* Distinct lengths (model_outage_check): a selection, n is small. */
	for (k = 0; k < d->nprob; k++) {
		next = d->nprob;
		for (i = 0; i < d->nprob; i++) {
			if (d->prob[i].outage_days > last && (next == d->nprob ||
			    d->prob[i].outage_days < d->prob[next].outage_days))
				next = i;
		}
		if (next == d->nprob)
			break;
		last = d->prob[next].outage_days;
		enc_begin(e, "outage-probability");
		enc_int(e, d->prob[next].outage_days);
		enc_int(e, d->prob[next].probability_bps);
		enc_end(e);
	}
}

static void
enc_scenario(struct enc *e, const struct run_digest_input *d)
{
	const struct model_scenario	*sc = &d->in->scenario;
	size_t				 i;

	enc_begin(e, "scenario");
	enc_text(e, d->scenario_id);
	enc_date(e, sc->start_date);
	enc_int(e, sc->horizon_days);
	enc_list(e, sc->ramp_bps, sc->ramp_len);
	enc_int(e, sc->payment_freeze_days);
	enc_int(e, sc->fixed_cost_relief_bps);
	enc_end(e);
	for (i = 0; i < d->nannouncements; i++) {
		enc_begin(e, "announcement");
		enc_text(e, d->announcements[i].announced_on);
		enc_text(e, d->announcements[i].restart_date);
		enc_end(e);
	}
	enc_probabilities(e, d);
}

static void
enc_scheme(struct enc *e, const struct run_digest_input *d)
{
	const struct model_scheme	*sc = d->in->scheme;
	int64_t				 tiers[31];
	size_t				 n;
	int				 t;

	enc_begin(e, "scheme");
	enc_text(e, sc != NULL ? d->scheme_id : NULL);
	if (sc != NULL) {
		enc_date(e, sc->effective_from);
		enc_int(e, sc->payment_lag_days);
		enc_int(e, sc->advance_rate_bps);
		enc_int(e, sc->annual_rate_bps);
		enc_int(e, sc->day_count_basis);
		enc_text(e, sc->fee_bearer == MODEL_FEE_OEM ? "oem" :
		    "supplier");
		for (t = 0, n = 0; t < 31; t++) {
			if (sc->eligible_tiers & (1U << t))
				tiers[n++] = t;
		}
		/* No tier at all is "", not absent. */
		if (n == 0)
			enc_text(e, "");
		else
			enc_list(e, tiers, n);
		enc_opt(e, sc->has_max_employees, sc->max_employees);
		enc_int(e, sc->min_invoice_amount);
		enc_int(e, sc->requires_opt_in ? 1 : 0);
		enc_opt(e, sc->has_per_supplier_cap, sc->per_supplier_cap);
		enc_opt(e, sc->has_facility_limit, sc->facility_limit);
	}
	enc_end(e);
	if (sc != NULL && sc->covers == MODEL_COVERS_ALL) {
		enc_begin(e, "scheme-covers");
		enc_text(e, "all");
		enc_end(e);
	}
	if (sc != NULL && sc->basis == MODEL_BASIS_ORDER) {
		enc_begin(e, "scheme-basis");
		enc_text(e, "order");
		enc_opt(e, sc->has_order_lead_days, sc->order_lead_days);
		enc_opt(e, sc->has_true_up_lag_days, sc->true_up_lag_days);
		enc_end(e);
	}
}

static void
enc_suppliers(struct enc *e, const struct run_digest_input *d)
{
	const struct model_supplier	*s;
	size_t				 i;

	for (i = 0; i < d->in->nsuppliers; i++) {
		s = &d->in->suppliers[i];
		enc_begin(e, "supplier");
		enc_text(e, s->id);
		enc_text(e, d->names[i]);
		enc_int(e, s->tier);
		enc_text(e, d->regions[i]);
		enc_text(e, d->sectors[i]);
		enc_int(e, s->employees);
		enc_int(e, s->cash);
		enc_int(e, s->credit_available);
		enc_int(e, s->min_liquidity);
		enc_int(e, s->fixed_daily_costs);
		enc_int(e, s->oem_daily_sales);
		enc_int(e, s->variable_cost_bps);
		enc_int(e, s->other_daily_receipts);
		enc_int(e, s->payment_terms_days);
		enc_int(e, s->scheme_opt_in ? 1 : 0);
		enc_end(e);
	}
}

static void
enc_invoices(struct enc *e, const struct run_digest_input *d)
{
	const struct model_invoice	*v;
	size_t				 i;

	for (i = 0; i < d->in->ninvoices; i++) {
		v = &d->in->invoices[i];
		enc_begin(e, "invoice");
		enc_text(e, v->id);
		enc_text(e, v->supplier_id);
		enc_int(e, v->outstanding);
		enc_date(e, v->due_date);
		enc_end(e);
	}
}

static void
enc_links(struct enc *e, const struct run_digest_input *d)
{
	const struct model_link	*l;
	size_t			 i;

	for (i = 0; i < d->in->nlinks; i++) {
		l = &d->in->links[i];
		enc_begin(e, "link");
		enc_text(e, l->supplier_id);
		enc_text(e, l->customer_id);
		enc_int(e, l->daily_sales);
		enc_int(e, l->payment_terms_days);
		enc_end(e);
	}
}

void
run_digest_encode(const struct run_digest_input *d, run_digest_sink *sink,
    void *arg)
{
	struct enc	e;

	buf_init(&e.line);
	e.fields = 0;
	e.sink = sink;
	e.arg = arg;

	enc_begin(&e, "tideover-stress-inputs");
	enc_int(&e, RUN_DIGEST_VERSION);
	enc_end(&e);
	enc_scenario(&e, d);
	enc_scheme(&e, d);
	enc_suppliers(&e, d);
	enc_invoices(&e, d);
	enc_links(&e, d);

	if (e.line.len > 0)
		e.sink(e.arg, e.line.data, e.line.len);
	buf_cleanup(&e.line);
}
