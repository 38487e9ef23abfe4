/*
 * tideover-stress: the liquidity model from the command line. The input
 * decoder and the output encoder are separate from main so that each does
 * one thing: JSON in, model structs; model results, JSON out.
 */
#ifndef STRESS_H
#define STRESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "core/model.h"

/* What went wrong with the input: a path such as suppliers[2].tier. */
struct stress_problem {
	char	field[96];
	char	problem[128];
	char	file[256];	/* CSV input: where, or "" */
	int	line;		/* in file, from 1; 0: the whole file */
};

struct stress_problems {
	struct stress_problem	*v;
	size_t			 n;
	size_t			 max;
};

/* A decoded input document; strings point into the cJSON tree. */
struct stress_input {
	cJSON			*root;
	struct model_supplier	*suppliers;
	struct model_invoice	*invoices;
	struct model_link	*links;
	int64_t			*ramp;
	struct model_outage_prob *probs;	/* the scenario's, or NULL */
	size_t			 nprobs;
	struct model_scheme	 scheme;
	struct model_input	 in;
	int64_t			 max_outage_days;
	int64_t			 outage_days;
};

/* The CSV input's files and what the tool learns reading them. */
struct stress_csv {
	const char	*suppliers;
	const char	*invoices;
	const char	*links;		/* optional */
	const char	*scenario;
	const char	*scheme;	/* optional */
	const char	*currency;
	int64_t		 max_outage_days;
	int64_t		 outage_days;	/* -1: max_outage_days */
	int		*supplier_lines;	/* of row i, in its file */
	size_t		 nsupplier_lines;
	int		*invoice_lines;
	size_t		 ninvoice_lines;
	int		*link_lines;
	size_t		 nlink_lines;
};

/* stress_input.c */
int	stress_input_decode(const char *, size_t, struct stress_input *,
	    struct stress_problems *);
int	stress_input_decode_tree(cJSON *, struct stress_input *,
	    struct stress_problems *);
void	stress_input_cleanup(struct stress_input *);
void	stress_problem_add(struct stress_problems *, const char *,
	    const char *, ...) __attribute__((format(printf, 3, 4)));
void	stress_problem_file(struct stress_problems *, const char *, int,
	    const char *, const char *, ...)
	    __attribute__((format(printf, 5, 6)));

/* stress_csv.c */
cJSON	*stress_csv_document(struct stress_csv *, struct stress_problems *);
void	 stress_csv_locate(const struct stress_csv *,
	    struct stress_problems *);
void	 stress_csv_cleanup(struct stress_csv *);

/* stress_output.c */
/*
 * The expected figures and each supplier's breach probability (input
 * order) are written when the scenario weighs outage lengths (ex and
 * bps not NULL).
 */
int	stress_output_write(FILE *, const struct stress_input *,
	    const struct model_point *, const struct model_result *,
	    const int64_t *, const struct model_expected *, const int64_t *);
void	stress_output_error(FILE *, const char *, const char *,
	    const struct stress_problems *);

#endif
