/*
 * Query strings and path ids (see uri.h). Everything a client sends
 * through here is untrusted: decoding rejects bad escapes, embedded NULs
 * and anything that does not fit the caller's buffer.
 */
#include <stdlib.h>
#include <string.h>

#include "core/uri.h"

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* Percent-decode len bytes of s into out; plus: '+' means a space. */
static int
decode(const char *s, size_t len, char *out, size_t outlen, int plus)
{
	size_t	i, o;
	int	hi, lo, c;

	for (i = 0, o = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '%') {
			if (i + 2 >= len)
				return (-1);
			if ((hi = hexval((unsigned char)s[i + 1])) < 0 ||
			    (lo = hexval((unsigned char)s[i + 2])) < 0)
				return (-1);
			c = hi << 4 | lo;
			i += 2;
		} else if (c == '+' && plus) {
			c = ' ';
		}
		if (c == '\0' || o + 1 >= outlen)
			return (-1);
		out[o++] = (char)c;
	}
	if (o >= outlen)
		return (-1);
	out[o] = '\0';
	return (0);
}

/* Decode a query string component ('+' is a space there). */
int
uri_decode(const char *s, size_t len, char *out, size_t outlen)
{
	return (decode(s, len, out, outlen, 1));
}

void
uri_query_cleanup(struct uri_query *q)
{
	int	i;

	for (i = 0; i < q->n; i++) {
		free(q->p[i].name);
		free(q->p[i].value);
	}
	q->n = 0;
}

static char *
decode_dup(const char *s, size_t len)
{
	char	*p;

	if ((p = malloc(len + 1)) == NULL)
		return (NULL);
	if (uri_decode(s, len, p, len + 1) == -1) {
		free(p);
		return (NULL);
	}
	return (p);
}

/*
 * Parse "a=1&b=2". Empty pieces are skipped; a name given twice, a bad
 * escape or more than URI_MAXPARAMS parameters is an error (-1).
 */
int
uri_query_parse(const char *qs, struct uri_query *q)
{
	const char	*p, *amp, *eq;
	size_t		 len;
	int		 i;

	q->n = 0;
	if (qs == NULL)
		return (0);
	for (p = qs; *p != '\0'; p = *amp ? amp + 1 : amp) {
		amp = strchr(p, '&');
		if (amp == NULL)
			amp = p + strlen(p);
		len = (size_t)(amp - p);
		if (len == 0)
			continue;
		if (q->n == URI_MAXPARAMS)
			goto bad;
		eq = memchr(p, '=', len);
		if (eq == NULL)
			eq = amp;
		q->p[q->n].name = decode_dup(p, (size_t)(eq - p));
		q->p[q->n].value = eq == amp ? decode_dup("", 0) :
		    decode_dup(eq + 1, (size_t)(amp - eq - 1));
		q->n++;
		if (q->p[q->n - 1].name == NULL ||
		    q->p[q->n - 1].value == NULL)
			goto bad;
		for (i = 0; i < q->n - 1; i++) {
			if (strcmp(q->p[i].name, q->p[q->n - 1].name) == 0)
				goto bad;
		}
	}
	return (0);
bad:
	uri_query_cleanup(q);
	return (-1);
}

const char *
uri_query_get(const struct uri_query *q, const char *name)
{
	int	i;

	for (i = 0; i < q->n; i++) {
		if (strcmp(q->p[i].name, name) == 0)
			return (q->p[i].value);
	}
	return (NULL);
}

/* Every parameter must be in the NULL-terminated allowed list. */
int
uri_query_check(const struct uri_query *q, const char *const *allowed,
    const char **unknown)
{
	int	i, j;

	for (i = 0; i < q->n; i++) {
		for (j = 0; allowed != NULL && allowed[j] != NULL; j++) {
			if (strcmp(q->p[i].name, allowed[j]) == 0)
				break;
		}
		if (allowed == NULL || allowed[j] == NULL) {
			*unknown = q->p[i].name;
			return (-1);
		}
	}
	return (0);
}

/*
 * Cut the id out of prefix + id + suffix ("/v1/invoices/" + id +
 * "/approve"). The id is percent-decoded and may not be empty or hold a
 * '/' once decoded, so one path can never name two resources.
 */
int
uri_path_id(const char *path, const char *prefix, const char *suffix,
    char *id, size_t idlen)
{
	size_t	plen, slen, len;
	const char *start;

	plen = strlen(prefix);
	slen = suffix == NULL ? 0 : strlen(suffix);
	if (strncmp(path, prefix, plen) != 0)
		return (-1);
	start = path + plen;
	len = strlen(start);
	if (len <= slen || (slen > 0 && strcmp(start + len - slen, suffix) != 0))
		return (-1);
	len -= slen;
	if (memchr(start, '/', len) != NULL)
		return (-1);
	if (decode(start, len, id, idlen, 0) == -1)
		return (-1);
	if (id[0] == '\0' || strchr(id, '/') != NULL)
		return (-1);
	return (0);
}

/*
 * A query value that is a whole number from 0 to max, in decimal digits
 * only (no sign, no space): 0 with *v, or -1.
 */
int
uri_query_uint(const char *s, int64_t max, int64_t *v)
{
	int64_t	n, d;

	if (s == NULL || *s == '\0')
		return (-1);
	for (n = 0; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return (-1);
		d = *s - '0';
		if (d > max || n > (max - d) / 10)
			return (-1);
		n = n * 10 + d;
	}
	*v = n;
	return (0);
}
