/*
 * Exposure grouping and disclosure control (see exposure.h). Pure: runs
 * in, a release (which cells are shown) and tables out, no I/O, so every
 * rule is unit-tested by hand and by property.
 */
#include <stdlib.h>
#include <string.h>

#include "core/exposure.h"
#include "core/money.h"

#define P61	((uint64_t)0x1fffffffffffffffULL)	/* 2^61 - 1 */

/* Size bands, UK and EU: the first whose bound the headcount is under. */
static const struct {
	int64_t		 below;
	const char	*name;
} bands[] = {
	{ 10,		"micro" },
	{ 50,		"small" },
	{ 250,		"medium" },
	{ INT64_MAX,	"large" },
};

const char *
exposure_size_band(int64_t employees)
{
	size_t	i;

	for (i = 0; i < sizeof(bands) / sizeof(bands[0]) - 1; i++) {
		if (employees < bands[i].below)
			return (bands[i].name);
	}
	return (bands[i].name);
}

int
exposure_group_suppressed(const struct exposure_group *g)
{
	return (g->reason != EXPOSURE_SHOWN);
}

int
exposure_group_risk_suppressed(const struct exposure_group *g)
{
	return (g->reason != EXPOSURE_SHOWN ||
	    g->risk_reason != EXPOSURE_SHOWN);
}

static int
add(int64_t *sum, int64_t v)
{
	if (v > 0 ? *sum > INT64_MAX - v : *sum < INT64_MIN - v)
		return (-1);
	*sum += v;
	return (0);
}

static void
most(int64_t *m, int64_t v)
{
	if (v > *m)
		*m = v;
}

static int
figures_add_supplier(struct exposure_figures *f,
    const struct exposure_supplier *s, const struct exposure_result *r)
{
	f->suppliers++;
	if (add(&f->employees, s->employees) == -1)
		return (-1);
	most(&f->largest, s->employees);
	if (r->overdue > 0) {
		f->overdue_suppliers++;
		if (add(&f->overdue_trade_credit, r->overdue) == -1)
			return (-1);
		most(&f->largest_overdue, r->overdue);
	}
	if (r->funding_gap <= 0)
		return (0);
	f->suppliers_below++;
	if (r->contagion)
		f->suppliers_below_contagion++;
	if (add(&f->employees_at_risk, s->employees) == -1 ||
	    add(&f->funding_gap, r->funding_gap) == -1)
		return (-1);
	most(&f->largest_at_risk, s->employees);
	most(&f->largest_gap, r->funding_gap);
	return (0);
}

static int
figures_add(struct exposure_figures *f, const struct exposure_figures *g)
{
	f->suppliers += g->suppliers;
	f->suppliers_below += g->suppliers_below;
	f->suppliers_below_contagion += g->suppliers_below_contagion;
	f->overdue_suppliers += g->overdue_suppliers;
	most(&f->largest, g->largest);
	most(&f->largest_at_risk, g->largest_at_risk);
	most(&f->largest_gap, g->largest_gap);
	most(&f->largest_overdue, g->largest_overdue);
	if (add(&f->employees, g->employees) == -1 ||
	    add(&f->employees_at_risk, g->employees_at_risk) == -1 ||
	    add(&f->funding_gap, g->funding_gap) == -1 ||
	    add(&f->overdue_trade_credit, g->overdue_trade_credit) == -1)
		return (-1);
	return (0);
}

/* Rule 2 on one measure: largest * 10000 > k * sum, without overflow. */
static int
dominates(int64_t largest, int64_t sum, const struct exposure_rules *rules)
{
	if (rules->dominance_bps == 0 || sum <= 0)
		return (0);
	return ((__int128)largest * 10000 >
	    (__int128)rules->dominance_bps * sum);
}

static int
few(int64_t n, const struct exposure_rules *rules)
{
	return (n > 0 && n < rules->min_cell_size);
}

/* Rules 1 and 2 on a population: 0 when it may be shown. */
static int
unsafe_population(const struct exposure_figures *f,
    const struct exposure_rules *rules)
{
	if (f->suppliers < rules->min_cell_size)
		return (EXPOSURE_SMALL);
	if (dominates(f->largest, f->employees, rules))
		return (EXPOSURE_DOMINATED);
	return (0);
}

/* Rules 1 and 2 on an at-risk part: 0 when it may be shown. */
static int
unsafe_risk(const struct exposure_figures *f,
    const struct exposure_rules *rules)
{
	if (few(f->suppliers_below, rules) ||
	    few(f->overdue_suppliers, rules))
		return (EXPOSURE_SMALL);
	if (dominates(f->largest_at_risk, f->employees_at_risk, rules) ||
	    dominates(f->largest_gap, f->funding_gap, rules) ||
	    dominates(f->largest_overdue, f->overdue_trade_credit, rules))
		return (EXPOSURE_DOMINATED);
	return (0);
}

/* Arithmetic modulo 2^61 - 1. */
static uint64_t
mulmod(uint64_t a, uint64_t b)
{
	unsigned __int128	x = (unsigned __int128)a * b;
	uint64_t		r;

	r = (uint64_t)(x & P61) + (uint64_t)(x >> 61);
	if (r >= P61)
		r -= P61;
	return (r);
}

static uint64_t
submod(uint64_t a, uint64_t b)
{
	return (a >= b ? a - b : a + P61 - b);
}

static uint64_t
invmod(uint64_t a)
{
	uint64_t	r = 1, e = P61 - 2;

	while (e) {
		if (e & 1)
			r = mulmod(r, a);
		a = mulmod(a, a);
		e >>= 1;
	}
	return (r);
}

/* 64-bit hash of a supplier id: FNV-1a, then a finaliser. */
static uint64_t
id_hash(const char *s)
{
	uint64_t	h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (h);
}

static int
cell_cmp(const void *a, const void *b)
{
	const struct exposure_cell	*x = a, *y = b;

	if (x->grouping != y->grouping)
		return (x->grouping < y->grouping ? -1 : 1);
	return (strcmp(x->key, y->key));
}

/* The cell of (grouping, key), or -1. */
static long
cell_find(const struct exposure_release *rel, size_t g, const char *key)
{
	struct exposure_cell	 k, *c;

	k.grouping = g;
	k.key = key;
	c = bsearch(&k, rel->cells, rel->ncells, sizeof(k), cell_cmp);
	return (c == NULL ? -1 : (long)(c - rel->cells));
}

/* A crossing of the groupings: a set of atoms that may not be derived. */
struct cand {
	size_t		*atoms;
	size_t		 n;
	size_t		 grouping;	/* its crossing's first, for choosing */
	int		 unsafe;	/* its population fails rule 1 or 2 */
	int		 hidden;	/* not derivable from the population */
	int		 done;		/* known not derivable in this layer */
};

/* One run at work. */
struct work {
	const struct exposure_run	*run;
	size_t				 natoms;
	size_t				*acell;		/* natoms * (nkeys + 1) */
	size_t				*scell;		/* n * (nkeys + 1) */
	struct exposure_figures		*af;		/* natoms * nl */
	int64_t				*csup;		/* per release cell */
	uint64_t			*chash;
	int64_t				*diff;		/* per release cell */
	int64_t				*cbelow;	/* ncells * nl */
	int				 monotone;	/* below at L: at L + 1 */
	struct cand			*cand;
	size_t				 ncand;
	size_t				*u;		/* natoms */
	/* The span of the published cells. */
	uint64_t			*m;		/* ncells * natoms */
	long				*piv;		/* per atom: its row */
	uint64_t			*acc;
	unsigned char			*mark;
};

/* A layer: the population (risk 0), or the at-risk parts at L. */
struct layer {
	struct exposure_release		*rel;
	const struct exposure_rules	*rules;
	int				 risk;
	size_t				 L;
};

static int *
reason(const struct layer *ly, size_t c)
{
	if (ly->risk)
		return (&ly->rel->risk[c * ly->rel->nl + ly->L]);
	return (&ly->rel->cells[c].reason);
}

static int
shown(const struct layer *ly, size_t c)
{
	return (*reason(ly, c) == EXPOSURE_SHOWN);
}

struct akey {
	size_t	c[EXPOSURE_MAX_KEYS + 1];
	size_t	i;
};

static int
akey_cmp(const void *a, const void *b)
{
	const struct akey	*x = a, *y = b;
	size_t			 k;

	for (k = 0; k < EXPOSURE_MAX_KEYS + 1; k++) {
		if (x->c[k] != y->c[k])
			return (x->c[k] < y->c[k] ? -1 : 1);
	}
	return (x->i < y->i ? -1 : x->i > y->i);
}

static void *
xcalloc(size_t n, size_t sz)
{
	void	*p;

	if ((p = calloc(n ? n : 1, sz)) == NULL)
		abort();
	return (p);
}

/*
 * Rules 1 and 2 on a set of atoms in a layer: 0, a reason, or -1 on
 * overflow. A run without the layer's outage length has nothing there.
 */
static int
set_unsafe(const struct work *w, const struct layer *ly,
    const size_t *atoms, size_t n)
{
	struct exposure_figures	f;
	size_t			i, L;

	L = ly->risk ? ly->L : 0;
	if (L >= w->run->nl)
		return (0);
	memset(&f, 0, sizeof(f));
	for (i = 0; i < n; i++) {
		if (figures_add(&f, &w->af[atoms[i] * w->run->nl + L]) == -1)
			return (-1);
	}
	return (ly->risk ? unsafe_risk(&f, ly->rules) :
	    unsafe_population(&f, ly->rules));
}

static void
work_cleanup(struct work *w)
{
	size_t	i;

	for (i = 0; i < w->ncand; i++)
		free(w->cand[i].atoms);
	free(w->cand);
	free(w->acell);
	free(w->scell);
	free(w->af);
	free(w->csup);
	free(w->chash);
	free(w->diff);
	free(w->cbelow);
	free(w->u);
	free(w->m);
	free(w->piv);
	free(w->acc);
	free(w->mark);
	memset(w, 0, sizeof(*w));
}

/*
 * The run's atoms, its cells' populations, and every crossing of the
 * groupings (the empty crossing is the whole population). -1 on
 * overflow.
 */
static int
work_init(struct work *w, const struct exposure_release *rel,
    const struct exposure_run *run, const struct exposure_rules *rules)
{
	struct layer	 pop;
	struct akey	*k;
	size_t		 i, j, g, a, nk = rel->nkeys, mask, start;
	long		 c;
	int		 u;

	memset(w, 0, sizeof(*w));
	memset(&pop, 0, sizeof(pop));
	pop.rules = rules;
	w->run = run;
	w->csup = xcalloc(rel->ncells, sizeof(*w->csup));
	w->chash = xcalloc(rel->ncells, sizeof(*w->chash));
	w->diff = xcalloc(rel->ncells, sizeof(*w->diff));
	w->scell = xcalloc(run->n * (nk + 1), sizeof(*w->scell));
	k = xcalloc(run->n, sizeof(*k));
	for (i = 0; i < run->n; i++) {
		for (g = 0; g < nk; g++) {
			c = cell_find(rel, g, run->s[i].key[g]);
			k[i].c[g] = (size_t)c;
		}
		k[i].c[nk] = rel->ncells - 1;
		for (g = 0; g <= nk; g++) {
			w->csup[k[i].c[g]]++;
			w->chash[k[i].c[g]] += id_hash(run->s[i].id);
			w->scell[i * (nk + 1) + g] = k[i].c[g];
		}
		k[i].i = i;
	}
	qsort(k, run->n, sizeof(*k), akey_cmp);

	/* Atoms: runs of equal cells. */
	for (i = 0; i < run->n; i++) {
		if (i == 0 || memcmp(k[i].c, k[i - 1].c, sizeof(k[i].c)) != 0)
			w->natoms++;
	}
	w->acell = xcalloc(w->natoms * (nk + 1), sizeof(*w->acell));
	w->af = xcalloc(w->natoms * run->nl, sizeof(*w->af));
	for (i = 0, a = 0; i < run->n; i++) {
		if (i > 0 && memcmp(k[i].c, k[i - 1].c, sizeof(k[i].c)) != 0)
			a++;
		memcpy(&w->acell[a * (nk + 1)], k[i].c,
		    (nk + 1) * sizeof(size_t));
		for (j = 0; j < run->nl; j++) {
			if (figures_add_supplier(&w->af[a * run->nl + j],
			    &run->s[k[i].i], &run->r[k[i].i * run->nl + j]) ==
			    -1) {
				free(k);
				return (-1);
			}
		}
	}

	/* Crossings. */
	for (mask = 0; mask < ((size_t)1 << nk); mask++) {
		for (a = 0; a < w->natoms; a++) {
			memset(&k[a], 0, sizeof(k[a]));
			for (g = 0; g < nk; g++) {
				if (mask & ((size_t)1 << g))
					k[a].c[g] = w->acell[a * (nk + 1) + g];
			}
			k[a].i = a;
		}
		qsort(k, w->natoms, sizeof(*k), akey_cmp);
		for (start = 0; start < w->natoms; start = i) {
			for (i = start + 1; i < w->natoms &&
			    memcmp(k[i].c, k[start].c, sizeof(k[i].c)) == 0;
			    i++)
				;
			w->cand = realloc(w->cand,
			    (w->ncand + 1) * sizeof(*w->cand));
			if (w->cand == NULL)
				abort();
			w->cand[w->ncand].n = i - start;
			w->cand[w->ncand].atoms = xcalloc(i - start,
			    sizeof(size_t));
			for (j = start; j < i; j++)
				w->cand[w->ncand].atoms[j - start] = k[j].i;
			w->cand[w->ncand].grouping = nk;
			for (g = 0; g < nk; g++) {
				if (mask & ((size_t)1 << g)) {
					w->cand[w->ncand].grouping = g;
					break;
				}
			}
			w->ncand++;
			if ((u = set_unsafe(w, &pop, w->cand[w->ncand - 1].atoms,
			    i - start)) == -1) {
				free(k);
				return (-1);
			}
			w->cand[w->ncand - 1].unsafe = u != 0;
		}
	}
	free(k);

	/* Suppliers below per cell and L; whether breaches only grow. */
	w->cbelow = xcalloc(rel->ncells * run->nl, sizeof(*w->cbelow));
	for (a = 0; a < w->natoms; a++) {
		for (g = 0; g <= nk; g++) {
			for (j = 0; j < run->nl; j++)
				w->cbelow[w->acell[a * (nk + 1) + g] * run->nl +
				    j] += w->af[a * run->nl + j].suppliers_below;
		}
	}
	w->monotone = 1;
	for (i = 0; i < run->n && w->monotone; i++) {
		for (j = 1; j < run->nl; j++) {
			if (run->r[i * run->nl + j - 1].funding_gap > 0 &&
			    run->r[i * run->nl + j].funding_gap <= 0) {
				w->monotone = 0;
				break;
			}
		}
	}
	w->u = xcalloc(w->natoms, sizeof(*w->u));
	w->m = xcalloc(rel->ncells * w->natoms, sizeof(*w->m));
	w->piv = xcalloc(w->natoms, sizeof(*w->piv));
	w->acc = xcalloc(w->natoms, sizeof(*w->acc));
	w->mark = xcalloc(w->natoms, 1);
	return (0);
}

static int
atom_in(const struct exposure_release *rel, const struct work *w, size_t a,
    size_t c)
{
	return (w->acell[a * (rel->nkeys + 1) + rel->cells[c].grouping] == c);
}

/* The cells of a layer present in the run, and shown: their atoms. */
static size_t
cell_atoms(const struct exposure_release *rel, const struct work *w,
    size_t c, size_t *atoms)
{
	size_t	a, n;

	for (a = 0, n = 0; a < w->natoms; a++) {
		if (atom_in(rel, w, a, c))
			atoms[n++] = a;
	}
	return (n);
}

/* The reduced row echelon form of the layer's shown cells, modulo p. */
static void
span_build(const struct layer *ly, struct work *w)
{
	const struct exposure_release	*rel = ly->rel;
	size_t				 c, r, nrows, col, i, j, rank;
	size_t				 na = w->natoms;
	uint64_t			*row, *o, inv, f, t;

	nrows = 0;
	for (c = 0; c < rel->ncells; c++) {
		if (!shown(ly, c) || w->csup[c] == 0)
			continue;
		row = &w->m[nrows++ * na];
		for (i = 0; i < na; i++)
			row[i] = atom_in(rel, w, i, c);
	}
	for (i = 0; i < na; i++)
		w->piv[i] = -1;
	rank = 0;
	for (col = 0; col < na && rank < nrows; col++) {
		for (r = rank; r < nrows && w->m[r * na + col] == 0; r++)
			;
		if (r == nrows)
			continue;
		if (r != rank) {
			for (j = 0; j < na; j++) {
				t = w->m[r * na + j];
				w->m[r * na + j] = w->m[rank * na + j];
				w->m[rank * na + j] = t;
			}
		}
		row = &w->m[rank * na];
		inv = invmod(row[col]);
		for (j = col; j < na; j++)
			row[j] = mulmod(row[j], inv);
		for (r = 0; r < nrows; r++) {
			o = &w->m[r * na];
			if (r == rank || o[col] == 0)
				continue;
			f = o[col];
			for (j = col; j < na; j++) {
				if (row[j] != 0)
					o[j] = submod(o[j], mulmod(f, row[j]));
			}
		}
		w->piv[col] = (long)rank++;
	}
}

/*
 * Is the set's indicator in the span? It is exactly when it equals the
 * sum of the rows whose pivots it holds (its coefficients there).
 */
static int
derivable(struct work *w, const size_t *atoms, size_t n)
{
	size_t		 i, j, na = w->natoms;
	uint64_t	*row;
	int		 yes;

	memset(w->acc, 0, na * sizeof(*w->acc));
	memset(w->mark, 0, na);
	for (i = 0; i < n; i++) {
		w->mark[atoms[i]] = 1;
		if (w->piv[atoms[i]] == -1)
			continue;
		row = &w->m[(size_t)w->piv[atoms[i]] * na];
		for (j = 0; j < na; j++) {
			w->acc[j] += row[j];
			if (w->acc[j] >= P61)
				w->acc[j] -= P61;
		}
	}
	yes = 1;
	for (j = 0; j < na && yes; j++)
		yes = w->acc[j] == w->mark[j];
	return (yes);
}

/*
 * The cell to suppress so that the set (of grouping g's suppressed
 * cells when unioned, else a crossing) is no longer derivable: the
 * smallest shown cell of the run, of g for a union, else holding the
 * set whole, else meeting it; the totals last. -1 when there is none.
 */
static long
choose(const struct layer *ly, const struct work *w, const size_t *atoms,
    size_t n, size_t g, int is_union)
{
	const struct exposure_release	*rel = ly->rel;
	size_t				 c, i, held, pass;
	long				 best;

	for (pass = 0; pass < 3; pass++) {
		best = -1;
		for (c = 0; c + 1 < rel->ncells; c++) {
			if (!shown(ly, c) || w->csup[c] == 0)
				continue;
			if (pass == 0 && (!is_union ||
			    rel->cells[c].grouping != g))
				continue;
			for (i = 0, held = 0; i < n; i++)
				held += atom_in(rel, w, atoms[i], c);
			/* A union's complement is one of the groups shown. */
			if ((pass > 0 && held == 0) || (pass == 1 && held != n))
				continue;
			if (best == -1 || w->csup[c] < w->csup[best])
				best = (long)c;
		}
		if (best != -1)
			return (best);
	}
	c = rel->ncells - 1;
	return (shown(ly, c) ? (long)c : -1);
}

/*
 * Rule 3 in each grouping of the run: when exactly one cell present is
 * suppressed, the smallest other one goes too. 1 when it suppressed.
 */
static int
contract_complement(const struct layer *ly, const struct work *w)
{
	const struct exposure_release	*rel = ly->rel;
	size_t				 c, g, nsup;
	long				 best;
	int				 did = 0;

	for (g = 0; g < rel->nkeys; g++) {
		nsup = 0;
		best = -1;
		for (c = 0; c + 1 < rel->ncells; c++) {
			if (rel->cells[c].grouping != g || w->csup[c] == 0)
				continue;
			if (!shown(ly, c))
				nsup++;
			else if (best == -1 || w->csup[c] < w->csup[best])
				best = (long)c;
		}
		if (nsup == 1 && best != -1) {
			*reason(ly, (size_t)best) = EXPOSURE_COMPLEMENT;
			did = 1;
		}
	}
	return (did);
}

/*
 * Rule 4 on one run in one layer: suppress until no unsafe set is
 * derivable. 1 when it suppressed anything, 0 when not, -1 on overflow.
 */
static int
audit(const struct layer *ly, struct work *w)
{
	const struct exposure_release	*rel = ly->rel;
	size_t				 i, g, c, n;
	long				 s;
	int				 did = 0, bad, u;

	if (ly->risk && ly->L >= w->run->nl)
		return (0);
	/* The risk layers hide all the population hides, and more. */
	for (i = 0; i < w->ncand; i++)
		w->cand[i].done = ly->risk && w->cand[i].hidden;
	span_build(ly, w);
	for (;;) {
		bad = 0;
		/* The union of each grouping's suppressed cells. */
		for (g = 0; g < rel->nkeys && !bad; g++) {
			for (i = 0, n = 0; i < w->natoms; i++) {
				c = w->acell[i * (rel->nkeys + 1) + g];
				if (!shown(ly, c))
					w->u[n++] = i;
			}
			if (n == 0)
				continue;
			if ((u = set_unsafe(w, ly, w->u, n)) == -1)
				return (-1);
			if (u == 0 || !derivable(w, w->u, n))
				continue;
			if ((s = choose(ly, w, w->u, n, g, 1)) == -1)
				continue;
			*reason(ly, (size_t)s) = EXPOSURE_COMPLEMENT;
			bad = 1;
		}
		for (i = 0; i < w->ncand && !bad; i++) {
			if (w->cand[i].done)
				continue;
			if (ly->risk) {
				if ((u = set_unsafe(w, ly, w->cand[i].atoms,
				    w->cand[i].n)) == -1)
					return (-1);
			} else
				u = w->cand[i].unsafe;
			if (u == 0 || !derivable(w, w->cand[i].atoms,
			    w->cand[i].n)) {
				/* Fewer rows never span more. */
				w->cand[i].done = 1;
				continue;
			}
			s = choose(ly, w, w->cand[i].atoms, w->cand[i].n,
			    w->cand[i].grouping, 0);
			if (s == -1) {
				w->cand[i].done = 1;
				continue;
			}
			*reason(ly, (size_t)s) = EXPOSURE_COMPLEMENT;
			bad = 1;
		}
		if (!bad)
			break;
		did = 1;
		contract_complement(ly, w);
		span_build(ly, w);
	}
	return (did);
}

/* Rules 1 and 2 on every cell of every run in the layer. */
static int
primary(const struct layer *ly, struct work *w, size_t nruns)
{
	const struct exposure_release	*rel = ly->rel;
	size_t				 r, c, n;
	int				 u;

	for (r = 0; r < nruns; r++) {
		for (c = 0; c < rel->ncells; c++) {
			if (w[r].csup[c] == 0 || !shown(ly, c))
				continue;
			n = cell_atoms(rel, &w[r], c, w[r].u);
			if ((u = set_unsafe(&w[r], ly, w[r].u, n)) == -1)
				return (-1);
			if (u != 0)
				*reason(ly, c) = u;
		}
	}
	return (0);
}

/* Rules 3 and 4 in every run of the layer, until none suppresses more. */
static int
complete(const struct layer *ly, struct work *w, size_t nruns)
{
	size_t	r;
	int	did, u;

	do {
		did = 0;
		for (r = 0; r < nruns; r++) {
			if (ly->risk && ly->L >= w[r].run->nl)
				continue;
			did |= contract_complement(ly, &w[r]);
			if ((u = audit(ly, &w[r])) == -1)
				return (-1);
			did |= u;
		}
	} while (did);
	return (0);
}

/*
 * Rule 6 at L: a cell's at-risk part is not shown when its suppliers
 * below differ, from those at a length already decided at which it is
 * shown, by 1 to min_cell_size - 1.
 */
static void
steps(const struct layer *ly, struct work *w, size_t nruns,
    const unsigned char *decided)
{
	struct exposure_release	*rel = ly->rel;
	const struct exposure_run *run;
	size_t			 r, i, g, c, M, nk = rel->nkeys;
	int			 b;

	for (r = 0; r < nruns; r++) {
		run = w[r].run;
		if (ly->L >= run->nl)
			continue;
		for (M = 0; M < run->nl; M++) {
			if (!decided[M])
				continue;
			memset(w[r].diff, 0, rel->ncells * sizeof(*w[r].diff));
			/* When breaches only grow, the counts say it all. */
			for (c = 0; c < rel->ncells && w[r].monotone; c++)
				w[r].diff[c] = w[r].cbelow[c * run->nl +
				    ly->L] - w[r].cbelow[c * run->nl + M];
			for (i = 0; i < run->n && !w[r].monotone; i++) {
				b = (run->r[i * run->nl + ly->L].funding_gap >
				    0) != (run->r[i * run->nl + M].funding_gap >
				    0);
				if (!b)
					continue;
				for (g = 0; g <= nk; g++)
					w[r].diff[w[r].scell[i * (nk + 1) +
					    g]]++;
			}
			for (c = 0; c < rel->ncells; c++) {
				if (w[r].csup[c] == 0 || !shown(ly, c) ||
				    rel->risk[c * rel->nl + M] !=
				    EXPOSURE_SHOWN)
					continue;
				if (few(w[r].diff[c], ly->rules))
					*reason(ly, c) = EXPOSURE_STEP;
			}
		}
	}
}

/* What the prior release suppressed, in the population or at risk at L. */
static void
prior(struct exposure_release *rel, const struct exposure_release *p,
    int risk, size_t L)
{
	size_t	c;
	long	k;
	int	was;

	if (p == NULL || p->nkeys != rel->nkeys)
		return;
	for (c = 0; c < p->ncells; c++) {
		if (risk && L >= p->nl)
			return;
		was = risk ? p->risk[c * p->nl + L] : p->cells[c].reason;
		if (was == EXPOSURE_SHOWN)
			continue;
		if ((k = cell_find(rel, p->cells[c].grouping,
		    p->cells[c].key)) == -1)
			continue;
		if (risk && rel->risk[(size_t)k * rel->nl + L] ==
		    EXPOSURE_SHOWN)
			rel->risk[(size_t)k * rel->nl + L] = was;
		else if (!risk && rel->cells[k].reason == EXPOSURE_SHOWN)
			rel->cells[k].reason = was;
	}
}

/*
 * The release over a family of runs (a run and the published runs of its
 * scenario, in any order: the release does not depend on which is read),
 * with nkeys groupings.
 * 0, or -1 when a sum would overflow, a key is missing or the rules are
 * out of range; the release is then empty.
 */
int
exposure_release_build(const struct exposure_run *runs, size_t nruns,
    size_t nkeys, const struct exposure_rules *rules,
    struct exposure_release *rel)
{
	struct work	*w = NULL;
	struct layer	 ly;
	unsigned char	*decided = NULL;
	size_t		*order = NULL;
	size_t		 r, i, g, n, c, f, L, nw = 0;

	memset(rel, 0, sizeof(*rel));
	if (rules->min_cell_size < 1 || rules->dominance_bps < 0 ||
	    rules->dominance_bps > 10000 || nkeys < 1 ||
	    nkeys > EXPOSURE_MAX_KEYS)
		return (-1);
	rel->nkeys = nkeys;

	/* Every cell of every run, then the totals. */
	for (r = 0, n = 1; r < nruns; r++)
		n += runs[r].n * nkeys;
	rel->cells = xcalloc(n, sizeof(*rel->cells));
	for (r = 0; r < nruns; r++) {
		if (runs[r].nl < 1)
			goto fail;
		if (runs[r].nl > rel->nl)
			rel->nl = runs[r].nl;
		for (i = 0; i < runs[r].n; i++) {
			if (runs[r].s[i].id == NULL ||
			    runs[r].s[i].employees < 0)
				goto fail;
			for (g = 0; g < nkeys; g++) {
				if (runs[r].s[i].key[g] == NULL)
					goto fail;
				rel->cells[rel->ncells].grouping = g;
				rel->cells[rel->ncells++].key =
				    runs[r].s[i].key[g];
			}
		}
		for (i = 0; i < runs[r].n * runs[r].nl; i++) {
			if (runs[r].r[i].funding_gap < 0 ||
			    runs[r].r[i].overdue < 0)
				goto fail;
		}
	}
	qsort(rel->cells, rel->ncells, sizeof(*rel->cells), cell_cmp);
	for (i = 0, n = 0; i < rel->ncells; i++) {
		if (n == 0 || cell_cmp(&rel->cells[n - 1], &rel->cells[i]) != 0)
			rel->cells[n++] = rel->cells[i];
	}
	rel->cells[n].grouping = nkeys;
	rel->cells[n].key = "";
	rel->ncells = n + 1;
	rel->risk = xcalloc(rel->ncells * (rel->nl ? rel->nl : 1),
	    sizeof(*rel->risk));

	w = xcalloc(nruns, sizeof(*w));
	for (nw = 0; nw < nruns; nw++) {
		if (work_init(&w[nw], rel, &runs[nw], rules) == -1) {
			nw++;
			goto fail;
		}
	}

	/* The population: the prior release, rules 1 and 2, 5, 3 and 4. */
	memset(&ly, 0, sizeof(ly));
	ly.rel = rel;
	ly.rules = rules;
	prior(rel, rules->prior, 0, 0);
	if (primary(&ly, w, nruns) == -1)
		goto fail;
	for (c = 0; c < rel->ncells; c++) {
		for (f = 0; f < nruns && w[f].csup[c] == 0; f++)
			;
		for (r = f + 1; r < nruns; r++) {
			if (w[r].csup[c] == 0)
				continue;
			if ((w[r].csup[c] != w[f].csup[c] ||
			    w[r].chash[c] != w[f].chash[c]) &&
			    rel->cells[c].reason == EXPOSURE_SHOWN)
				rel->cells[c].reason = EXPOSURE_CHANGED;
		}
	}
	if (complete(&ly, w, nruns) == -1)
		goto fail;
	for (r = 0; r < nruns; r++) {
		span_build(&ly, &w[r]);
		for (i = 0; i < w[r].ncand; i++)
			w[r].cand[i].hidden = !derivable(&w[r],
			    w[r].cand[i].atoms, w[r].cand[i].n);
	}

	/*
	 * The at-risk parts, length by length: 1 and 2, 6, then 3 and 4.
	 * The lengths named first (the announced ones) are decided first,
	 * so that rule 6 keeps them rather than their neighbours.
	 */
	ly.risk = 1;
	decided = xcalloc(rel->nl, 1);
	order = xcalloc(rel->nl, sizeof(*order));
	for (i = 0, n = 0; i < rules->nfirst; i++) {
		if (rules->first[i] < 0 || (size_t)rules->first[i] >= rel->nl ||
		    decided[rules->first[i]])
			continue;
		decided[rules->first[i]] = 1;
		order[n++] = (size_t)rules->first[i];
	}
	for (L = 0; L < rel->nl; L++) {
		if (!decided[L])
			order[n++] = L;
	}
	memset(decided, 0, rel->nl);
	for (i = 0; i < rel->nl; i++) {
		L = order[i];
		ly.L = L;
		for (c = 0; c < rel->ncells; c++)
			rel->risk[c * rel->nl + L] = rel->cells[c].reason;
		prior(rel, rules->prior, 1, L);
		if (primary(&ly, w, nruns) == -1)
			goto fail;
		steps(&ly, w, nruns, decided);
		if (complete(&ly, w, nruns) == -1)
			goto fail;
		decided[L] = 1;
	}
	free(decided);
	free(order);
	decided = NULL;
	order = NULL;

	for (r = 0; r < nw; r++)
		work_cleanup(&w[r]);
	free(w);
	return (0);
fail:
	for (r = 0; r < nw; r++)
		work_cleanup(&w[r]);
	free(w);
	free(decided);
	free(order);
	exposure_release_cleanup(rel);
	return (-1);
}

void
exposure_release_cleanup(struct exposure_release *rel)
{
	free(rel->cells);
	free(rel->risk);
	memset(rel, 0, sizeof(*rel));
}

struct gkey {
	const char	*key;
	size_t		 i;
};

static int
gkey_cmp(const void *a, const void *b)
{
	const struct gkey	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->key, y->key)) != 0)
		return (c);
	return (x->i < y->i ? -1 : x->i > y->i);
}

/*
 * One grouping of a run of the release at outage length L, each group
 * with its figures and the release's verdicts. 0, or -1 when L or the
 * grouping is out of range, a sum overflows or a key is not the
 * release's.
 */
int
exposure_table_build(const struct exposure_release *rel,
    const struct exposure_run *run, size_t grouping, size_t L,
    struct exposure_table *t)
{
	struct gkey		*k;
	struct exposure_group	*g;
	size_t			 i, tc;
	long			 c;

	memset(t, 0, sizeof(*t));
	if (grouping >= rel->nkeys || L >= run->nl || L >= rel->nl ||
	    rel->ncells == 0)
		return (-1);
	k = xcalloc(run->n, sizeof(*k));
	t->groups = xcalloc(run->n, sizeof(*t->groups));
	for (i = 0; i < run->n; i++) {
		k[i].key = run->s[i].key[grouping];
		k[i].i = i;
	}
	qsort(k, run->n, sizeof(*k), gkey_cmp);
	for (i = 0; i < run->n; i++) {
		if (t->ngroups == 0 ||
		    strcmp(t->groups[t->ngroups - 1].key, k[i].key) != 0) {
			if ((c = cell_find(rel, grouping, k[i].key)) == -1)
				goto fail;
			g = &t->groups[t->ngroups++];
			g->key = k[i].key;
			g->reason = rel->cells[c].reason;
			g->risk_reason = rel->risk[(size_t)c * rel->nl + L];
		}
		if (figures_add_supplier(&t->groups[t->ngroups - 1].f,
		    &run->s[k[i].i], &run->r[k[i].i * run->nl + L]) == -1 ||
		    figures_add_supplier(&t->totals, &run->s[k[i].i],
		    &run->r[k[i].i * run->nl + L]) == -1)
			goto fail;
	}
	tc = rel->ncells - 1;
	t->totals_suppressed = rel->cells[tc].reason != EXPOSURE_SHOWN;
	t->totals_risk_suppressed = t->totals_suppressed ||
	    rel->risk[tc * rel->nl + L] != EXPOSURE_SHOWN;
	free(k);
	return (0);
fail:
	free(k);
	exposure_table_cleanup(t);
	return (-1);
}

void
exposure_table_cleanup(struct exposure_table *t)
{
	free(t->groups);
	memset(t, 0, sizeof(*t));
}

/* The weighted sums of one cell, narrowed once at the end. */
struct wsum {
	int		 shown;
	money_wide	 below;
	money_wide	 risk;
};

static void
wsum_add(struct wsum *w, int64_t bps, int risk_suppressed,
    const struct exposure_figures *f)
{
	if (risk_suppressed) {
		w->shown = 0;
		return;
	}
	w->below += (money_wide)bps * f->suppliers_below;
	w->risk += (money_wide)bps * f->employees_at_risk;
}

static int
wsum_done(const struct wsum *w, struct exposure_expected *e)
{
	memset(e, 0, sizeof(*e));
	if (!w->shown)
		return (0);
	e->shown = 1;
	if (money_rhe(w->below, 10000, &e->suppliers_below) == -1 ||
	    money_rhe(w->risk, 10000, &e->employees_at_risk) == -1)
		return (-1);
	return (0);
}

/*
 * The expected figures of grouping's ngroups groups (in the order
 * exposure_table_build gives them) and of the totals, from the tables at
 * the n lengths given. -1 when a length is out of the run's range or
 * the groups do not match.
 */
int
exposure_expected_build(const struct exposure_release *rel,
    const struct exposure_run *run, size_t grouping, const int64_t *lengths,
    const int64_t *bps, size_t n, struct exposure_expected *groups,
    size_t ngroups, struct exposure_expected *totals)
{
	struct exposure_table	 t;
	struct wsum		*w, tw;
	size_t			 k, g;
	int			 rc = -1;

	w = xcalloc(ngroups + 1, sizeof(*w));
	for (g = 0; g < ngroups; g++)
		w[g].shown = 1;
	memset(&tw, 0, sizeof(tw));
	tw.shown = n > 0;
	for (g = 0; g < ngroups && n == 0; g++)
		w[g].shown = 0;
	for (k = 0; k < n; k++) {
		if (lengths[k] < 0 || exposure_table_build(rel, run, grouping,
		    (size_t)lengths[k], &t) == -1)
			goto out;
		if (t.ngroups != ngroups) {
			exposure_table_cleanup(&t);
			goto out;
		}
		for (g = 0; g < ngroups; g++)
			wsum_add(&w[g], bps[k],
			    exposure_group_risk_suppressed(&t.groups[g]),
			    &t.groups[g].f);
		wsum_add(&tw, bps[k], t.totals_risk_suppressed, &t.totals);
		exposure_table_cleanup(&t);
	}
	for (g = 0; g < ngroups; g++) {
		if (wsum_done(&w[g], &groups[g]) == -1)
			goto out;
	}
	if (wsum_done(&tw, totals) == -1)
		goto out;
	rc = 0;
out:
	free(w);
	return (rc);
}
