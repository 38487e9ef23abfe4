/*
 * Query strings and path ids (src/core/uri.c), the first thing every
 * request goes through. Checked against a plain percent-decoder written
 * here: uri_decode and uri_path_id agree with it and never write past the
 * buffer they are given; a parsed query has distinct names that
 * uri_query_get finds; uri_query_check names a parameter that is not
 * allowed; uri_query_uint gives exactly the decimal value, never one
 * above max, and refuses only what is not one from 0 to max.
 */
#include "core/uri.h"
#include "fuzz.h"

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

/*
 * The reference: len bytes of s decoded into out (len + 1 bytes), its
 * length, or -1 for a bad escape or a NUL.
 */
static long
ref_decode(const char *s, size_t len, char *out, int plus)
{
	size_t	i, o;
	int	c;

	for (i = 0, o = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '%') {
			if (len - i < 3 || hexval((unsigned char)s[i + 1]) < 0 ||
			    hexval((unsigned char)s[i + 2]) < 0)
				return (-1);
			c = hexval((unsigned char)s[i + 1]) << 4 |
			    hexval((unsigned char)s[i + 2]);
			i += 2;
		} else if (c == '+' && plus)
			c = ' ';
		if (c == '\0')
			return (-1);
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return ((long)o);
}

static void
check_decode(const uint8_t *data, size_t size)
{
	char	*ref, *out;
	long	 n;
	size_t	 outlen;

	if ((ref = malloc(size + 1)) == NULL || (out = malloc(size + 1)) ==
	    NULL)
		abort();
	n = ref_decode((const char *)data, size, ref, 1);
	FUZZ_CHECK((uri_decode((const char *)data, size, out, size + 1) ==
	    0) == (n >= 0));
	if (n >= 0)
		FUZZ_CHECK(strcmp(out, ref) == 0);
	free(out);

	/* Exactly the room the result needs, then one byte less. */
	if (n >= 0) {
		outlen = (size_t)n + 1;
		if ((out = malloc(outlen)) == NULL)
			abort();
		FUZZ_CHECK(uri_decode((const char *)data, size, out,
		    outlen) == 0);
		FUZZ_CHECK(strcmp(out, ref) == 0);
		FUZZ_CHECK(uri_decode((const char *)data, size, out,
		    outlen - 1) == -1);
		free(out);
	}
	free(ref);
}

/* The prefixes, suffixes and id buffers of the handlers. */
static const struct {
	const char	*prefix;
	const char	*suffix;
	size_t		 idlen;
} paths[] = {
	{ "/v1/invoices/", NULL, 65 },
	{ "/v1/invoices/", "/approve", 65 },
	{ "/v1/invoices/", "/reject", 65 },
	{ "/v1/invoices/", "/early-payment", 65 },
	{ "/v1/invoices/", "/pay", 65 },
	{ "/v1/invoices/", "/reverse", 65 },
	{ "/v1/api-keys/", NULL, 17 },
	{ "/v1/suppliers/", NULL, 65 },
	{ "/v1/suppliers/", "/schedule", 65 },
	{ "/v1/schemes/", NULL, 65 },
	{ "/v1/scenarios/", NULL, 65 },
	{ "/v1/ledger/accounts/", NULL, 160 },
	{ "/v1/stress-runs/", NULL, 24 },
	{ "/v1/stress-runs/", "/publish", 24 },
	{ "/v1/stress-runs/", "/suppliers", 24 },
};

static void
check_path_id(const char *path, const char *prefix, const char *suffix,
    size_t idlen)
{
	const char	*mid;
	char		*id, *ref;
	size_t		 plen, slen, len, mlen;
	long		 n;

	if ((id = malloc(idlen)) == NULL)
		abort();
	plen = strlen(prefix);
	slen = suffix == NULL ? 0 : strlen(suffix);
	len = strlen(path);
	n = -1;
	ref = NULL;
	if (len > plen + slen && strncmp(path, prefix, plen) == 0 &&
	    (slen == 0 || strcmp(path + len - slen, suffix) == 0)) {
		mid = path + plen;
		mlen = len - plen - slen;
		if ((ref = malloc(mlen + 1)) == NULL)
			abort();
		if (memchr(mid, '/', mlen) == NULL)
			n = ref_decode(mid, mlen, ref, 0);
		if (n == 0 || (n > 0 && ((size_t)n >= idlen ||
		    strchr(ref, '/') != NULL)))
			n = -1;
	}
	FUZZ_CHECK((uri_path_id(path, prefix, suffix, id, idlen) == 0) ==
	    (n > 0));
	if (n > 0)
		FUZZ_CHECK(strcmp(id, ref) == 0);
	free(ref);
	free(id);
}

/* The reference value of an all-digit string, saturated above INT64_MAX. */
static int
ref_uint(const char *s, int64_t *v)
{
	__int128	n;

	if (*s == '\0')
		return (-1);
	for (n = 0; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return (-1);
		if (n <= INT64_MAX)
			n = n * 10 + (*s - '0');
	}
	*v = n > INT64_MAX ? INT64_MAX : (int64_t)n;
	return (n > INT64_MAX ? 1 : 0);
}

static void
check_uint(const char *s)
{
	static const int64_t	 maxes[] = {
		0, 1, 10, 730, 1000, 999999999, INT64_MAX - 1, INT64_MAX
	};
	int64_t			 v, ref;
	size_t			 i;
	int			 r, rc;

	r = ref_uint(s, &ref);
	for (i = 0; i < sizeof(maxes) / sizeof(maxes[0]); i++) {
		v = -1;
		rc = uri_query_uint(s, maxes[i], &v);
		FUZZ_CHECK(rc == 0 || rc == -1);
		if (rc == 0) {
			FUZZ_CHECK(v >= 0 && v <= maxes[i]);
			FUZZ_CHECK(r == 0 && v == ref);
		} else
			FUZZ_CHECK(r != 0 || ref > maxes[i]);
	}
}

static void
check_query(const char *qs)
{
	static const char *const allowed[] = {
		"limit", "cursor", "outage_days", "run", NULL
	};
	struct uri_query	 q;
	const char		*unknown;
	int			 i, k, rc, in;

	rc = uri_query_parse(qs, &q);
	FUZZ_CHECK(rc == 0 || rc == -1);
	if (rc == -1) {
		FUZZ_CHECK(q.n == 0);
		return;
	}
	FUZZ_CHECK(q.n >= 0 && q.n <= URI_MAXPARAMS);
	for (i = 0; i < q.n; i++) {
		FUZZ_CHECK(q.p[i].name != NULL && q.p[i].value != NULL);
		for (k = 0; k < i; k++)
			FUZZ_CHECK(strcmp(q.p[k].name, q.p[i].name) != 0);
		FUZZ_CHECK(uri_query_get(&q, q.p[i].name) == q.p[i].value);
		check_uint(q.p[i].value);
	}

	unknown = NULL;
	rc = uri_query_check(&q, allowed, &unknown);
	for (i = 0, in = 1; i < q.n && in; i++) {
		for (k = 0; allowed[k] != NULL; k++)
			if (strcmp(q.p[i].name, allowed[k]) == 0)
				break;
		in = allowed[k] != NULL;
	}
	FUZZ_CHECK((rc == 0) == in);
	if (rc == -1) {
		FUZZ_CHECK(unknown != NULL);
		for (k = 0; allowed[k] != NULL; k++)
			FUZZ_CHECK(strcmp(unknown, allowed[k]) != 0);
	}
	uri_query_cleanup(&q);
	FUZZ_CHECK(q.n == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;
	size_t	 i;

	check_decode(data, size);
	s = fuzz_cstr(data, size);
	check_query(s);
	check_uint(s);
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		check_path_id(s, paths[i].prefix, paths[i].suffix,
		    paths[i].idlen);
		/* A short buffer, so that the bounds are reached often. */
		check_path_id(s, paths[i].prefix, paths[i].suffix, 9);
	}
	free(s);
	return (0);
}
