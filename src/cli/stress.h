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
	struct model_scheme	 scheme;
	struct model_input	 in;
	int64_t			 max_outage_days;
	int64_t			 outage_days;
};

/* stress_input.c */
int	stress_input_decode(const char *, size_t, struct stress_input *,
	    struct stress_problems *);
void	stress_input_cleanup(struct stress_input *);
void	stress_problem_add(struct stress_problems *, const char *,
	    const char *, ...) __attribute__((format(printf, 3, 4)));

/* stress_output.c */
int	stress_output_write(FILE *, const struct stress_input *,
	    const struct model_point *, const struct model_result *,
	    const int64_t *);
void	stress_output_error(FILE *, const char *, const char *,
	    const struct stress_problems *);

#endif
