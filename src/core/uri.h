/*
 * The parts of a request URI that handlers read: query parameters and ids
 * embedded in paths. Kore 4.1 fills no capture groups for C handlers, so
 * path ids are cut out here, percent-decoded and checked.
 */
#ifndef URI_H
#define URI_H

#include <stddef.h>
#include <stdint.h>

#define URI_MAXPARAMS	16

struct uri_param {
	char	*name;
	char	*value;
};

struct uri_query {
	int			n;
	struct uri_param	p[URI_MAXPARAMS];
};

int		 uri_decode(const char *, size_t, char *, size_t);
int		 uri_query_parse(const char *, struct uri_query *);
void		 uri_query_cleanup(struct uri_query *);
const char	*uri_query_get(const struct uri_query *, const char *);
int		 uri_query_check(const struct uri_query *,
		    const char *const *, const char **);
int		 uri_query_uint(const char *, int64_t, int64_t *);
int		 uri_path_id(const char *, const char *, const char *,
		    char *, size_t);

#endif
