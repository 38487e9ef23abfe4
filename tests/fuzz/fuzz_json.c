/*
 * The shared JSON helpers (src/json/json.c) that every body goes
 * through: json_parse_object gives exactly one object or nothing, and
 * the json_get_* getters, json_check_fields and json_text_check keep
 * their contract on every member of it: 1 and a value within its bounds
 * with no detail, or -1 with exactly one detail; a text is accepted
 * exactly when a UTF-8 check written here accepts it. Details then go
 * into an error body that parses back.
 */
#include <math.h>

#include "json/json.h"
#include "fuzz.h"

/* Well-formed UTF-8 (Unicode 15, table 3-7) of 1 to max characters. */
static int
ref_text(const char *s, int max)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned char		 lo, hi;
	int			 chars, n, i;

	for (chars = 0; *p != '\0'; chars++) {
		if (*p < 0x20 || *p == 0x7f)
			return (0);
		if (*p < 0x80) {
			p++;
			continue;
		}
		lo = 0x80;
		hi = 0xbf;
		if (*p >= 0xc2 && *p <= 0xdf)
			n = 1;
		else if (*p >= 0xe0 && *p <= 0xef) {
			n = 2;
			if (*p == 0xe0)
				lo = 0xa0;
			else if (*p == 0xed)
				hi = 0x9f;
		} else if (*p >= 0xf0 && *p <= 0xf4) {
			n = 3;
			if (*p == 0xf0)
				lo = 0x90;
			else if (*p == 0xf4)
				hi = 0x8f;
		} else
			return (0);
		if (p[1] < lo || p[1] > hi)
			return (0);
		for (i = 2; i <= n; i++)
			if (p[i] < 0x80 || p[i] > 0xbf)
				return (0);
		p += n + 1;
	}
	return (chars >= 1 && chars <= max);
}

static int
ref_id(const char *s)
{
	size_t	len;

	len = strlen(s);
	return (len >= 1 && len <= JSON_ID_MAX && strspn(s,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._-") == len);
}

/* r is a getter's answer; exactly one detail was added for -1. */
static void
check_getter(int r, cJSON *details, int before)
{
	FUZZ_CHECK(r == 1 || r == -1);
	FUZZ_CHECK(cJSON_GetArraySize(details) == before + (r == -1));
}

static void
check_member(const cJSON *j, const cJSON *m, cJSON *details)
{
	static const struct {
		int64_t	min, max;
	} ranges[] = {
		{ 0, 10 }, { 1, 3 }, { -JSON_INT_MAX, JSON_INT_MAX },
		{ INT64_MIN, INT64_MAX }, { 0, INT32_MAX },
	};
	const char	*s;
	int64_t		 v;
	size_t		 i;
	int		 r, b, before;

	before = cJSON_GetArraySize(details);
	s = NULL;
	r = json_get_string(j, m->string, 1, SIZE_MAX, &s, details);
	check_getter(r, details, before);
	FUZZ_CHECK((r == 1) == (cJSON_IsString(m) != 0));
	if (r == 1) {
		FUZZ_CHECK(s == m->valuestring);
		before = cJSON_GetArraySize(details);
		r = json_get_string(j, m->string, 1, 8, &s, details);
		check_getter(r, details, before);
		FUZZ_CHECK((r == 1) == (strlen(m->valuestring) <= 8));

		before = cJSON_GetArraySize(details);
		r = json_text_check(m->string, m->valuestring, 200, details);
		FUZZ_CHECK(r == 0 || r == -1);
		FUZZ_CHECK(cJSON_GetArraySize(details) == before + (r == -1));
		FUZZ_CHECK((r == 0) == ref_text(m->valuestring, 200));
	}

	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		before = cJSON_GetArraySize(details);
		v = 0;
		r = json_get_int64(j, m->string, 1, ranges[i].min,
		    ranges[i].max, &v, details);
		check_getter(r, details, before);
		if (r == 1) {
			FUZZ_CHECK(cJSON_IsNumber(m));
			FUZZ_CHECK(v >= ranges[i].min && v <= ranges[i].max);
			FUZZ_CHECK(v >= -JSON_INT_MAX && v <= JSON_INT_MAX);
			FUZZ_CHECK((double)v == m->valuedouble);
		} else if (cJSON_IsNumber(m) && isfinite(m->valuedouble) &&
		    trunc(m->valuedouble) == m->valuedouble &&
		    fabs(m->valuedouble) <= (double)JSON_INT_MAX) {
			/* A whole number in range is never refused. */
			v = (int64_t)m->valuedouble;
			FUZZ_CHECK(v < ranges[i].min || v > ranges[i].max);
		}
	}

	before = cJSON_GetArraySize(details);
	b = -1;
	r = json_get_bool(j, m->string, 1, &b, details);
	check_getter(r, details, before);
	FUZZ_CHECK((r == 1) == (cJSON_IsBool(m) != 0));
	if (r == 1)
		FUZZ_CHECK(b == (cJSON_IsTrue(m) != 0));

	before = cJSON_GetArraySize(details);
	s = NULL;
	r = json_get_id(j, m->string, 1, &s, details);
	check_getter(r, details, before);
	FUZZ_CHECK((r == 1) == (cJSON_IsString(m) &&
	    ref_id(m->valuestring)));
	if (r == 1)
		FUZZ_CHECK(json_is_id(s));
}

/* Absent members: 0, and a detail only when required. */
static void
check_absent(const cJSON *j, cJSON *details)
{
	const char	*name = "\x01not a member";
	const char	*s;
	int64_t		 v;
	int		 b, before;

	if (cJSON_GetObjectItemCaseSensitive(j, name) != NULL)
		return;
	before = cJSON_GetArraySize(details);
	FUZZ_CHECK(json_get_string(j, name, 0, 8, &s, details) == 0);
	FUZZ_CHECK(json_get_int64(j, name, 0, 0, 1, &v, details) == 0);
	FUZZ_CHECK(json_get_bool(j, name, 0, &b, details) == 0);
	FUZZ_CHECK(json_get_id(j, name, 0, &s, details) == 0);
	FUZZ_CHECK(cJSON_GetArraySize(details) == before);
	FUZZ_CHECK(json_get_string(j, name, 1, 8, &s, details) == 0);
	FUZZ_CHECK(json_get_int64(j, name, 1, 0, 1, &v, details) == 0);
	FUZZ_CHECK(json_get_bool(j, name, 1, &b, details) == 0);
	FUZZ_CHECK(json_get_id(j, name, 1, &s, details) == 0);
	FUZZ_CHECK(cJSON_GetArraySize(details) == before + 4);
}

/* The details as an error body, which parses back with all of them. */
static void
check_error_body(cJSON *details)
{
	cJSON	*j, *e, *d;
	char	*s;
	size_t	 len;

	json_details_line(details, 0, 7);
	cJSON_ArrayForEach(d, details)
		FUZZ_CHECK(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
		    d, "line")) == 7);
	s = json_error_body("validation_failed", "bad", details, &len);
	FUZZ_CHECK(strlen(s) == len);
	FUZZ_CHECK(json_parse_object(s, len, &j) == JSON_OK);
	e = cJSON_GetObjectItemCaseSensitive(j, "error");
	d = cJSON_GetObjectItemCaseSensitive(e, "details");
	FUZZ_CHECK(cJSON_IsArray(d));
	FUZZ_CHECK(cJSON_GetArraySize(d) == cJSON_GetArraySize(details));
	cJSON_Delete(j);
	free(s);
}

/* Whether a \u0000 escape stands outside an escaped backslash. */
static int
has_nul_escape(const uint8_t *d, size_t n)
{
	size_t	i;

	for (i = 0; i + 5 < n; i++) {
		if (d[i] != '\\')
			continue;
		if (d[i + 1] == 'u' && memcmp(d + i + 2, "0000", 4) == 0)
			return (1);
		i++;	/* the escaped character */
	}
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const allowed[] = {
		"id", "name", "amount", "tier", "label", NULL
	};
	const cJSON	*m;
	cJSON		*j, *details;
	int		 rc, n, bad;

	j = (cJSON *)1;
	rc = json_parse_object((const char *)data, size, &j);
	FUZZ_CHECK(rc == JSON_OK || rc == JSON_MALFORMED ||
	    rc == JSON_NOT_OBJECT || rc == JSON_NUL_TEXT);
	/* U+0000 is refused however it is written, never cut short. */
	FUZZ_CHECK(rc != JSON_OK || !has_nul_escape(data, size));
	if (rc != JSON_OK) {
		FUZZ_CHECK(j == NULL);
		return (0);
	}
	FUZZ_CHECK(cJSON_IsObject(j));
	FUZZ_CHECK(size > 0 && memchr(data, '\0', size) == NULL);

	details = json_details_new();
	bad = json_check_fields(j, allowed, details);
	FUZZ_CHECK(bad == cJSON_GetArraySize(details));
	n = 0;
	cJSON_ArrayForEach(m, j) {
		/* The getters see the first member of a name only. */
		if (cJSON_GetObjectItemCaseSensitive(j, m->string) == m)
			check_member(j, m, details);
		/* Keep each input cheap: the first members say enough. */
		if (++n == 32)
			break;
	}
	check_absent(j, details);
	fuzz_check_details(cJSON_GetArraySize(details) == 0 ? 0 : -1,
	    details, 0);
	check_error_body(details);
	cJSON_Delete(details);
	cJSON_Delete(j);
	return (0);
}
