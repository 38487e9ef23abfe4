/*
 * A stress run's input from its snapshot (see run_input.h): the order of
 * the suppliers checked, each invoice's supplier found, the invoices put
 * in id order. A run sorts hundreds of thousands of invoices, so the sort
 * compares a key before it compares ids.
 */
#include <stdlib.h>
#include <string.h>

#include "core/run_input.h"

/* 0, or -1 unless every supplier's id is greater than the one before. */
int
run_input_suppliers(const struct model_supplier *s, size_t n)
{
	size_t	i;

	for (i = 1; i < n; i++) {
		if (strcmp(s[i - 1].id, s[i].id) >= 0)
			return (-1);
	}
	return (0);
}

/*
 * The first 16 bytes of the id, big-endian and zero-padded, decide most
 * comparisons without reading the id itself.
 */
static void
inv_key(struct run_input_invoice *a)
{
	const unsigned char	*s = (const unsigned char *)a->v.id;
	unsigned char		 c = 1;
	size_t			 i;

	a->key[0] = a->key[1] = 0;
	for (i = 0; i < 16; i++) {
		if (c != '\0')		/* never past the id's end */
			c = s[i];
		a->key[i / 8] = (a->key[i / 8] << 8) | c;
	}
}

static int
inv_cmp(const void *pa, const void *pb)
{
	const struct run_input_invoice	*a = pa, *b = pb;

	if (a->key[0] != b->key[0])
		return (a->key[0] < b->key[0] ? -1 : 1);
	if (a->key[1] != b->key[1])
		return (a->key[1] < b->key[1] ? -1 : 1);
	return (strcmp(a->v.id, b->v.id));
}

static int
supplier_cmp(const void *key, const void *s)
{
	return (strcmp(key, ((const struct model_supplier *)s)->id));
}

/*
 * Each invoice row's supplier, by position or by id. Rows by id come
 * grouped by supplier more often than not, so the last supplier found is
 * tried first.
 */
static int
inv_supplier(const struct model_supplier *sup, size_t nsup,
    struct run_input_invoice *a, const struct model_supplier **last)
{
	const struct model_supplier	*s = *last;

	if (a->v.supplier_id == NULL) {
		if (a->position < 1 || (uint64_t)a->position > nsup)
			return (-1);
		s = &sup[a->position - 1];
	} else if (s == NULL || strcmp(s->id, a->v.supplier_id) != 0) {
		s = bsearch(a->v.supplier_id, sup, nsup, sizeof(*s),
		    supplier_cmp);
		if (s == NULL)
			return (-1);
	}
	a->v.supplier_id = s->id;
	a->supplier = (size_t)(s - sup);
	*last = s;
	return (0);
}

/*
 * The n invoice rows (reordered) into out[i], with their suppliers'
 * indices in out_supplier[i], in id order. -1 when a supplier is not in
 * the snapshot or an id repeats, which would make the digest ambiguous.
 */
int
run_input_invoices(const struct model_supplier *sup, size_t nsup,
    struct run_input_invoice *rows, size_t n, struct model_invoice *out,
    size_t *out_supplier)
{
	const struct model_supplier	*last = NULL;
	size_t				 i;

	for (i = 0; i < n; i++) {
		if (inv_supplier(sup, nsup, &rows[i], &last) == -1)
			return (-1);
		inv_key(&rows[i]);
	}
	qsort(rows, n, sizeof(*rows), inv_cmp);
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(rows[i - 1].v.id, rows[i].v.id) >= 0)
			return (-1);
		out[i] = rows[i].v;
		out_supplier[i] = rows[i].supplier;
	}
	return (0);
}
