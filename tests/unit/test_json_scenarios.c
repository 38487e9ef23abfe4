/*
 * The scenario codec: a create body decoded to exact values with the
 * model's defaults, or refused with every problem at once (those of an
 * announcement named by its index); horizon, freeze, ramp and restart
 * dates within their bounds; records out with each announcement's outage
 * length, the row for the database, and the comparison behind idempotent
 * re-creation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "json/json.h"
#include "json/json_scenarios.h"

#define BASE \
	"\"id\":\"SCN-2025-STOP\"," \
	"\"name\":\"Production stop from 1 September 2025\"," \
	"\"start_date\":\"2025-09-01\""

/* The REST contract's example. */
#define EXAMPLE \
	"{" BASE ",\"horizon_days\":120," \
	"\"ramp_bps\":[5000,5000,5000,5000,5000,5000,5000]," \
	"\"payment_freeze_days\":0,\"fixed_cost_relief_bps\":0," \
	"\"announcements\":[{\"announced_on\":\"2025-09-16\"," \
	"\"restart_date\":\"2025-09-24\"," \
	"\"note\":\"Restart planned for 24 September\"}," \
	"{\"announced_on\":\"2025-09-23\",\"restart_date\":\"2025-10-01\"}]}"

/* Each test's body, its details and what it decoded to. */
struct fx {
	cJSON			*body;
	cJSON			*details;
	struct store_scenario	 s;
};

static int
fx_setup(void **state)
{
	struct fx	*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return (-1);
	*state = f;
	return (0);
}

static int
fx_teardown(void **state)
{
	struct fx	*f = *state;

	cJSON_Delete(f->body);
	cJSON_Delete(f->details);
	free(f);
	return (0);
}

/* Replaces the fixture's body with text and decodes it. */
static int
decode(struct fx *f, const char *text)
{
	cJSON_Delete(f->body);
	cJSON_Delete(f->details);
	/* cJSON's own parse: the codec's checks, also of 1.5 and 1e3. */
	assert_non_null(f->body = cJSON_ParseWithLength(text, strlen(text)));
	f->details = json_details_new();
	return (json_scenario_create_decode(f->body, &f->s, f->details));
}

/*
 * The details are exactly want: field, problem, field, problem, ...
 * up to a NULL field, in order.
 */
static void
expect(const cJSON *details, const char *const *want)
{
	const cJSON	*d;
	int		 i = 0;

	cJSON_ArrayForEach(d, details) {
		if (want[i] == NULL)
			fail_msg("extra detail %s: %s",
			    cJSON_GetObjectItem(d, "field")->valuestring,
			    cJSON_GetObjectItem(d, "problem")->valuestring);
		assert_string_equal(cJSON_GetObjectItem(d, "field")->valuestring,
		    want[i]);
		assert_string_equal(
		    cJSON_GetObjectItem(d, "problem")->valuestring, want[i + 1]);
		i += 2;
	}
	if (want[i] != NULL)
		fail_msg("missing detail %s: %s", want[i], want[i + 1]);
}

/* One detail, or none when field is NULL. */
static void
expect1(const cJSON *details, const char *field, const char *problem)
{
	const char	*want[] = { field, problem, NULL };

	expect(details, want);
}

/* "{" BASE "," extra "}" */
static int
decode_base(struct fx *f, const char *extra)
{
	char	*text;
	size_t	 len;
	int	 r;

	len = strlen(BASE) + strlen(extra) + 4;
	assert_non_null(text = malloc(len));
	snprintf(text, len, "{%s%s%s}", BASE, *extra ? "," : "", extra);
	r = decode(f, text);
	free(text);
	return (r);
}

static void
a_minimal_body_gets_the_model_defaults(void **state)
{
	struct fx	*f = *state;

	assert_int_equal(decode_base(f, ""), 0);
	expect1(f->details, NULL, NULL);
	assert_string_equal(f->s.id, "SCN-2025-STOP");
	assert_string_equal(f->s.name, "Production stop from 1 September 2025");
	assert_string_equal(f->s.start_date, "2025-09-01");
	assert_int_equal(f->s.horizon_days, 180);
	assert_int_equal(f->s.nramp, 0);
	assert_int_equal(f->s.payment_freeze_days, 0);
	assert_int_equal(f->s.fixed_cost_relief_bps, 0);
	assert_int_equal(f->s.nann, 0);
	assert_null(f->s.created_at);
}

static void
the_contract_example_decodes_to_its_values(void **state)
{
	struct fx	*f = *state;
	int		 i;

	assert_int_equal(decode(f, EXAMPLE), 0);
	expect1(f->details, NULL, NULL);
	assert_int_equal(f->s.horizon_days, 120);
	assert_int_equal(f->s.nramp, 7);
	for (i = 0; i < 7; i++)
		assert_int_equal(f->s.ramp_bps[i], 5000);
	assert_int_equal(f->s.nann, 2);
	assert_string_equal(f->s.ann[0].announced_on, "2025-09-16");
	assert_string_equal(f->s.ann[0].restart_date, "2025-09-24");
	assert_string_equal(f->s.ann[0].note,
	    "Restart planned for 24 September");
	assert_string_equal(f->s.ann[1].announced_on, "2025-09-23");
	assert_string_equal(f->s.ann[1].restart_date, "2025-10-01");
	/* No note is the empty note. */
	assert_string_equal(f->s.ann[1].note, "");
}

static void
every_problem_at_once(void **state)
{
	static const char *const all[] = {
		"extra", "unknown field",
		"id", "must be 1 to 64 letters, digits or . _ -",
		"name", "must not be empty",
		"start_date", "must be a date, YYYY-MM-DD",
		"horizon_days", "must be between 1 and 730",
		"ramp_bps", "must hold only integers from 0 to 10000",
		"payment_freeze_days", "must be between 0 and 730",
		"fixed_cost_relief_bps", "must be between 0 and 10000",
		"announcements[0].colour", "unknown field",
		"announcements[0].announced_on", "must be a date, YYYY-MM-DD",
		"announcements[0].restart_date", "must be a date, YYYY-MM-DD",
		"announcements[0].note", "must not contain control characters",
		"announcements[1]", "must be an object",
		"announcements[2].announced_on", "is required",
		"announcements[2].restart_date", "is required",
		NULL,
	};
	static const char *const required[] = {
		"id", "is required",
		"name", "is required",
		"start_date", "is required",
		NULL,
	};
	/* The REST contract's 422 example, in its order. */
	static const char *const contract[] = {
		"horizon_days", "must be between 1 and 730",
		"ramp_bps", "must hold only integers from 0 to 10000",
		"announcements[0].restart_date", "must not be before start_date",
		"announcements[1].colour", "unknown field",
		NULL,
	};
	struct fx	*f = *state;

	assert_int_equal(decode(f, "{\"id\":\"a b\",\"name\":\"\","
	    "\"start_date\":\"2025-02-29\",\"horizon_days\":0,"
	    "\"ramp_bps\":[5000,10001],\"payment_freeze_days\":-1,"
	    "\"fixed_cost_relief_bps\":10001,\"announcements\":["
	    "{\"announced_on\":\"2025-13-01\",\"restart_date\":\"x\","
	    "\"note\":\"a\\u0001b\",\"colour\":\"red\"},5,{}],\"extra\":1}"),
	    -1);
	expect(f->details, all);

	assert_int_equal(decode(f, "{}"), -1);
	expect(f->details, required);

	assert_int_equal(decode_base(f, "\"horizon_days\":0,"
	    "\"ramp_bps\":[20000],\"announcements\":[{\"announced_on\":"
	    "\"2025-08-20\",\"restart_date\":\"2025-08-31\"},"
	    "{\"announced_on\":\"2025-09-02\",\"restart_date\":\"2025-09-30\","
	    "\"colour\":\"red\"}]"), -1);
	expect(f->details, contract);
}

static void
horizon_and_freeze_are_bounded(void **state)
{
	static const struct {
		const char	*extra, *field, *problem;
	} c[] = {
		{ "\"horizon_days\":1", NULL, NULL },
		{ "\"horizon_days\":730", NULL, NULL },
		{ "\"horizon_days\":731", "horizon_days",
		  "must be between 1 and 730" },
		{ "\"horizon_days\":0", "horizon_days",
		  "must be between 1 and 730" },
		{ "\"horizon_days\":30.5", "horizon_days", "must be an integer" },
		{ "\"horizon_days\":null", "horizon_days", "must be an integer" },
		{ "\"horizon_days\":30,\"payment_freeze_days\":30", NULL, NULL },
		{ "\"horizon_days\":30,\"payment_freeze_days\":31",
		  "payment_freeze_days", "must not exceed horizon_days" },
		/* Against the default horizon, 180. */
		{ "\"payment_freeze_days\":180", NULL, NULL },
		{ "\"payment_freeze_days\":181", "payment_freeze_days",
		  "must not exceed horizon_days" },
		{ "\"payment_freeze_days\":731", "payment_freeze_days",
		  "must be between 0 and 730" },
		/* An invalid horizon is not compared with. */
		{ "\"horizon_days\":0,\"payment_freeze_days\":730",
		  "horizon_days", "must be between 1 and 730" },
		{ "\"fixed_cost_relief_bps\":10000", NULL, NULL },
		{ "\"fixed_cost_relief_bps\":-1", "fixed_cost_relief_bps",
		  "must be between 0 and 10000" },
	};
	struct fx	*f = *state;
	size_t		 i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(decode_base(f, c[i].extra),
		    c[i].field == NULL ? 0 : -1);
		expect1(f->details, c[i].field, c[i].problem);
	}
	assert_int_equal(decode_base(f, "\"horizon_days\":730,"
	    "\"payment_freeze_days\":730,\"fixed_cost_relief_bps\":10000"), 0);
	assert_int_equal(f->s.horizon_days, 730);
	assert_int_equal(f->s.payment_freeze_days, 730);
	assert_int_equal(f->s.fixed_cost_relief_bps, 10000);
}

/* "[v,v,...]" of n entries. */
static char *
ramp_of(int n, const char *v)
{
	char	*s, *p;
	size_t	 len;
	int	 i;

	len = 3 + (size_t)n * (strlen(v) + 1);
	assert_non_null(s = malloc(len));
	p = s;
	*p++ = '[';
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s%s", i ? "," : "", v);
	strcpy(p, "]");
	return (s);
}

static void
ramps_hold_at_most_365_basis_points(void **state)
{
	static const char *const bad[] = {
		"[-1]", "[10001]", "[1.5]", "[\"5000\"]", "[null]", "[[1]]",
		"[0,5000,true]",
	};
	struct fx	*f = *state;
	char		*ramp, extra[4096];
	size_t		 i;

	assert_int_equal(decode_base(f, "\"ramp_bps\":[0,10000,1]"), 0);
	assert_int_equal(f->s.nramp, 3);
	assert_int_equal(f->s.ramp_bps[0], 0);
	assert_int_equal(f->s.ramp_bps[1], 10000);
	assert_int_equal(f->s.ramp_bps[2], 1);
	assert_int_equal(decode_base(f, "\"ramp_bps\":[]"), 0);
	assert_int_equal(f->s.nramp, 0);

	ramp = ramp_of(365, "7");
	snprintf(extra, sizeof(extra), "\"ramp_bps\":%s", ramp);
	free(ramp);
	assert_int_equal(decode_base(f, extra), 0);
	assert_int_equal(f->s.nramp, 365);
	assert_int_equal(f->s.ramp_bps[364], 7);
	ramp = ramp_of(366, "7");
	snprintf(extra, sizeof(extra), "\"ramp_bps\":%s", ramp);
	free(ramp);
	assert_int_equal(decode_base(f, extra), -1);
	expect1(f->details, "ramp_bps", "must have at most 365 entries");

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(extra, sizeof(extra), "\"ramp_bps\":%s", bad[i]);
		assert_int_equal(decode_base(f, extra), -1);
		expect1(f->details, "ramp_bps",
		    "must hold only integers from 0 to 10000");
	}
	assert_int_equal(decode_base(f, "\"ramp_bps\":5000"), -1);
	expect1(f->details, "ramp_bps", "must be an array of basis points");
	assert_int_equal(decode_base(f, "\"ramp_bps\":null"), -1);
	expect1(f->details, "ramp_bps", "must be an array of basis points");
}

/* One announcement restarting on restart, under horizon (0: default). */
static int
decode_restart(struct fx *f, const char *restart, int horizon)
{
	char	extra[256];

	snprintf(extra, sizeof(extra), "%s%.0d%s\"announcements\":"
	    "[{\"announced_on\":\"2025-09-10\",\"restart_date\":\"%s\"}]",
	    horizon ? "\"horizon_days\":" : "", horizon, horizon ? "," : "",
	    restart);
	return (decode_base(f, extra));
}

static void
restarts_are_within_the_horizon(void **state)
{
	struct fx	*f = *state;

	/* On the start day: an outage of 0 days. */
	assert_int_equal(decode_restart(f, "2025-09-01", 0), 0);
	assert_int_equal(decode_restart(f, "2025-08-31", 0), -1);
	expect1(f->details, "announcements[0].restart_date",
	    "must not be before start_date");
	/* 180 days after 2025-09-01 is 2026-02-28. */
	assert_int_equal(decode_restart(f, "2026-02-28", 0), 0);
	assert_int_equal(decode_restart(f, "2026-03-01", 0), -1);
	expect1(f->details, "announcements[0].restart_date",
	    "must be at most horizon_days after start_date");
	assert_int_equal(decode_restart(f, "2025-09-11", 10), 0);
	assert_int_equal(decode_restart(f, "2025-09-12", 10), -1);
	expect1(f->details, "announcements[0].restart_date",
	    "must be at most horizon_days after start_date");
	assert_int_equal(decode_restart(f, "2025-09-31", 0), -1);
	expect1(f->details, "announcements[0].restart_date",
	    "must be a date, YYYY-MM-DD");

	/* announced_on is a real date, not compared with the others. */
	assert_int_equal(decode_base(f, "\"announcements\":[{\"announced_on\":"
	    "\"2030-01-01\",\"restart_date\":\"2025-09-02\"},"
	    "{\"announced_on\":\"1999-12-31\",\"restart_date\":\"2025-09-02\"}]"),
	    0);
	assert_int_equal(f->s.nann, 2);
	assert_string_equal(f->s.ann[0].announced_on, "2030-01-01");

	/* An invalid start or horizon leaves only its own detail. */
	assert_int_equal(decode(f, "{\"id\":\"S\",\"name\":\"n\","
	    "\"start_date\":\"2025-9-1\",\"announcements\":[{\"announced_on\":"
	    "\"2025-09-10\",\"restart_date\":\"1900-01-01\"}]}"), -1);
	expect1(f->details, "start_date", "must be a date, YYYY-MM-DD");
	assert_int_equal(decode_base(f, "\"horizon_days\":-5,"
	    "\"announcements\":[{\"announced_on\":\"2025-09-10\","
	    "\"restart_date\":\"2099-01-01\"}]"), -1);
	expect1(f->details, "horizon_days", "must be between 1 and 730");
}

/* A string of n copies of s, as JSON text. */
static char *
json_repeat(const char *s, int n)
{
	char	*out;
	size_t	 len = strlen(s);
	int	 i;

	assert_non_null(out = malloc(len * (size_t)n + 3));
	out[0] = '"';
	for (i = 0; i < n; i++)
		memcpy(out + 1 + len * (size_t)i, s, len);
	strcpy(out + 1 + len * (size_t)n, "\"");
	return (out);
}

static void
texts_are_counted_in_characters(void **state)
{
	static const struct {
		const char	*field, *unit;
		int		 n;
		const char	*problem;
	} c[] = {
		{ "name", "a", 200, NULL },
		{ "name", "\xc3\xa9", 200, NULL },	/* 400 bytes */
		{ "name", "a", 201, "must be at most 200 characters" },
		{ "name", "\xe2\x82\xac", 201, "must be at most 200 characters" },
		{ "name", "\xff", 1, "must be valid UTF-8" },
		{ "name", "\xc0\xaf", 1, "must be valid UTF-8" },
		{ "name", "\\u0007", 1, "must not contain control characters" },
		{ "name", "\\t", 1, "must not contain control characters" },
		{ "note", "a", 500, NULL },
		{ "note", "\xf0\x9f\x9a\x97", 500, NULL },
		{ "note", "a", 0, NULL },
		{ "note", "a", 501, "must be at most 500 characters" },
		{ "note", "\\n", 1, "must not contain control characters" },
	};
	struct fx	*f = *state;
	char		*v, *text, field[64];
	size_t		 i, len;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		v = json_repeat(c[i].unit, c[i].n);
		len = strlen(v) + 256;
		assert_non_null(text = malloc(len));
		if (strcmp(c[i].field, "name") == 0)
			snprintf(text, len, "{\"id\":\"S\",\"name\":%s,"
			    "\"start_date\":\"2025-09-01\"}", v);
		else
			snprintf(text, len, "{" BASE ",\"announcements\":"
			    "[{\"announced_on\":\"2025-09-01\",\"restart_date\":"
			    "\"2025-09-01\",\"note\":%s}]}", v);
		snprintf(field, sizeof(field), "%s%s",
		    strcmp(c[i].field, "note") == 0 ? "announcements[0]." : "",
		    c[i].field);
		assert_int_equal(decode(f, text), c[i].problem ? -1 : 0);
		expect1(f->details, c[i].problem ? field : NULL, c[i].problem);
		free(text);
		free(v);
	}
	assert_int_equal(decode_base(f, "\"announcements\":[{\"announced_on\":"
	    "\"2025-09-01\",\"restart_date\":\"2025-09-01\",\"note\":null}]"),
	    -1);
	expect1(f->details, "announcements[0].note", "must be a string");
}

static void
announcements_are_at_most_100_objects(void **state)
{
	struct fx	*f = *state;
	struct buf	 b;
	int		 i;

	buf_init(&b);
	buf_puts(&b, "\"announcements\":[");
	for (i = 0; i < 101; i++)
		buf_printf(&b, "%s{\"announced_on\":\"2025-09-01\","
		    "\"restart_date\":\"2025-09-%02d\"}", i ? "," : "",
		    1 + i % 30);
	buf_puts(&b, "]");
	assert_int_equal(decode_base(f, b.data), -1);
	expect1(f->details, "announcements", "must have at most 100 entries");
	/* Drop the last: 100 is allowed, each kept in order. */
	b.data[b.len - 1] = '\0';
	*strrchr(b.data, '{') = '\0';
	b.data[strlen(b.data) - 1] = ']';
	assert_int_equal(decode_base(f, b.data), 0);
	assert_int_equal(f->s.nann, 100);
	assert_string_equal(f->s.ann[99].restart_date, "2025-09-10");
	assert_string_equal(f->s.ann[30].restart_date, "2025-09-01");
	buf_cleanup(&b);

	assert_int_equal(decode_base(f, "\"announcements\":{}"), -1);
	expect1(f->details, "announcements",
	    "must be an array of announcements");
	assert_int_equal(decode_base(f, "\"announcements\":[]"), 0);
	assert_int_equal(f->s.nann, 0);
	/* The index is the entry's own. */
	assert_int_equal(decode_base(f, "\"announcements\":["
	    "{\"announced_on\":\"2025-09-01\",\"restart_date\":\"2025-09-02\"},"
	    "{\"announced_on\":\"2025-09-01\",\"restart_date\":\"2025-09-02\"},"
	    "{\"announced_on\":\"2025-09-01\",\"restart_date\":\"2025-09-02\","
	    "\"announced_on\":\"2025-09-01\"}]"), -1);
	expect1(f->details, "announcements[2].announced_on",
	    "field given more than once");
}

static void
records_carry_each_announcements_outage(void **state)
{
	struct fx	*f = *state;
	struct buf	 b;
	cJSON		*j;
	char		*text;

	assert_int_equal(decode(f, EXAMPLE), 0);
	f->s.created_at = "2026-03-02T10:45:31.220417Z";
	j = json_scenario_encode(&f->s);
	text = json_print(j, NULL);
	assert_string_equal(text, "{\"id\":\"SCN-2025-STOP\","
	    "\"name\":\"Production stop from 1 September 2025\","
	    "\"start_date\":\"2025-09-01\",\"horizon_days\":120,"
	    "\"ramp_bps\":[5000,5000,5000,5000,5000,5000,5000],"
	    "\"payment_freeze_days\":0,\"fixed_cost_relief_bps\":0,"
	    "\"announcements\":[{\"announced_on\":\"2025-09-16\","
	    "\"restart_date\":\"2025-09-24\","
	    "\"note\":\"Restart planned for 24 September\",\"outage_days\":23},"
	    "{\"announced_on\":\"2025-09-23\",\"restart_date\":\"2025-10-01\","
	    "\"note\":\"\",\"outage_days\":30}],"
	    "\"outage_probabilities\":null,"
	    "\"created_at\":\"2026-03-02T10:45:31.220417Z\"}");
	cJSON_free(text);
	cJSON_Delete(j);

	/* The row stores what was given: no outage lengths, no timestamp. */
	buf_init(&b);
	json_scenario_row(&b, &f->s);
	assert_string_equal(b.data, "{\"id\":\"SCN-2025-STOP\","
	    "\"name\":\"Production stop from 1 September 2025\","
	    "\"start_date\":\"2025-09-01\",\"horizon_days\":120,"
	    "\"ramp_bps\":[5000,5000,5000,5000,5000,5000,5000],"
	    "\"payment_freeze_days\":0,\"fixed_cost_relief_bps\":0,"
	    "\"announcements\":[{\"announced_on\":\"2025-09-16\","
	    "\"restart_date\":\"2025-09-24\","
	    "\"note\":\"Restart planned for 24 September\"},"
	    "{\"announced_on\":\"2025-09-23\",\"restart_date\":\"2025-10-01\","
	    "\"note\":\"\"}],\"outage_probabilities\":null}");
	buf_cleanup(&b);

	/* Defaults are written out, not left to the reader. */
	assert_int_equal(decode_base(f, ""), 0);
	buf_init(&b);
	json_scenario_row(&b, &f->s);
	assert_non_null(strstr(b.data, "\"horizon_days\":180,\"ramp_bps\":[],"
	    "\"payment_freeze_days\":0,\"fixed_cost_relief_bps\":0,"
	    "\"announcements\":[],\"outage_probabilities\":null}"));
	buf_cleanup(&b);
	j = json_scenario_encode(&f->s);
	text = json_print(j, NULL);
	assert_non_null(strstr(text, "\"announcements\":[],"
	    "\"outage_probabilities\":null,\"created_at\":null}"));
	cJSON_free(text);
	cJSON_Delete(j);
}

/* Outage probabilities: kept in order, each problem a detail. */
static void
outage_probabilities_are_checked_and_kept(void **state)
{
	struct fx	*f = *state;
	struct buf	 b;
	const char	*want[] = {
		"outage_probabilities[0].probability_bps",
		    "must be between 1 and 10000",
		"outage_probabilities[1].outage_days", "must be an integer",
		"outage_probabilities[2].days", "unknown field",
		"outage_probabilities[2].outage_days", "is required",
		"outage_probabilities[3]", "must be an object",
		NULL
	};
	const char	*model[] = {
		"outage_probabilities[1].outage_days",
		    "must be between 0 and 120, got 121",
		"outage_probabilities[2].outage_days",
		    "duplicates outage_probabilities[0] (23 days)",
		NULL
	};

	assert_int_equal(decode_base(f, "\"horizon_days\":120,"
	    "\"outage_probabilities\":[{\"outage_days\":30,"
	    "\"probability_bps\":6000},{\"outage_days\":23,"
	    "\"probability_bps\":4000}]"), 0);
	assert_int_equal(f->s.nprob, 2);
	assert_int_equal(f->s.prob[0].outage_days, 30);
	assert_int_equal(f->s.prob[0].probability_bps, 6000);
	assert_int_equal(f->s.prob[1].outage_days, 23);
	assert_int_equal(f->s.prob[1].probability_bps, 4000);
	buf_init(&b);
	json_scenario_row(&b, &f->s);
	assert_non_null(strstr(b.data, "\"outage_probabilities\":["
	    "{\"outage_days\":30,\"probability_bps\":6000},"
	    "{\"outage_days\":23,\"probability_bps\":4000}]}"));
	buf_cleanup(&b);

	/* null is none, like leaving it out. */
	assert_int_equal(decode_base(f, "\"outage_probabilities\":null"), 0);
	assert_int_equal(f->s.nprob, 0);

	assert_int_equal(decode_base(f, "\"outage_probabilities\":[]"), -1);
	expect1(f->details, "outage_probabilities", "must be a non-empty "
	    "array of {outage_days, probability_bps}");
	assert_int_equal(decode_base(f, "\"outage_probabilities\":{}"), -1);
	expect1(f->details, "outage_probabilities", "must be a non-empty "
	    "array of {outage_days, probability_bps}");

	/* Each entry's own problems. */
	assert_int_equal(decode_base(f, "\"outage_probabilities\":["
	    "{\"outage_days\":1,\"probability_bps\":0},"
	    "{\"outage_days\":1.5,\"probability_bps\":10},"
	    "{\"days\":1,\"probability_bps\":10},7]"), -1);
	expect(f->details, want);

	/* The model's rules over them all: range, duplicates. */
	assert_int_equal(decode_base(f, "\"horizon_days\":120,"
	    "\"outage_probabilities\":[{\"outage_days\":23,"
	    "\"probability_bps\":5000},{\"outage_days\":121,"
	    "\"probability_bps\":2500},{\"outage_days\":23,"
	    "\"probability_bps\":2500}]"), -1);
	expect(f->details, model);

	/* The sum, once every entry is in range. */
	assert_int_equal(decode_base(f, "\"outage_probabilities\":["
	    "{\"outage_days\":0,\"probability_bps\":5000},"
	    "{\"outage_days\":180,\"probability_bps\":4999}]"), -1);
	expect1(f->details, "outage_probabilities",
	    "must sum to 10000, got 9999");
}

static void
a_repeat_differs_only_where_a_field_does(void **state)
{
	struct fx		*f = *state;
	struct store_scenario	*have;
	const cJSON		*d;
	cJSON			*kept;

	assert_non_null(have = malloc(sizeof(*have)));
	assert_int_equal(decode(f, EXAMPLE), 0);
	*have = f->s;
	have->created_at = "2026-03-02T10:45:31.220417Z";
	assert_int_equal(json_scenario_diff(&f->s, have, f->details), 0);
	assert_int_equal(cJSON_GetArraySize(f->details), 0);

	have->horizon_days = 121;
	have->ramp_bps[6] = 5001;
	have->ann[1].note = "changed";
	assert_int_equal(json_scenario_diff(&f->s, have, f->details), 3);
	d = f->details->child;
	assert_string_equal(cJSON_GetObjectItem(d, "field")->valuestring,
	    "horizon_days");
	assert_string_equal(cJSON_GetObjectItem(d, "problem")->valuestring,
	    "differs from the existing scenario");
	assert_string_equal(cJSON_GetObjectItem(d->next, "field")->valuestring,
	    "ramp_bps");
	assert_string_equal(
	    cJSON_GetObjectItem(d->next->next, "field")->valuestring,
	    "announcements");
	assert_null(d->next->next->next);

	/* One ramp entry fewer, one announcement fewer. */
	*have = f->s;
	have->nramp = 6;
	have->nann = 1;
	cJSON_Delete(f->details);
	f->details = json_details_new();
	assert_int_equal(json_scenario_diff(&f->s, have, f->details), 2);

	/* Leaving out horizon_days is sending 180. */
	assert_int_equal(decode_base(f, "\"horizon_days\":180"), 0);
	*have = f->s;
	kept = f->body;		/* have's strings point into it */
	f->body = NULL;
	assert_int_equal(decode_base(f, ""), 0);
	assert_int_equal(json_scenario_diff(&f->s, have, f->details), 0);
	cJSON_Delete(kept);
	free(have);
}

int
main(void)
{
#define T(name)	cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(a_minimal_body_gets_the_model_defaults),
		T(the_contract_example_decodes_to_its_values),
		T(every_problem_at_once),
		T(horizon_and_freeze_are_bounded),
		T(ramps_hold_at_most_365_basis_points),
		T(restarts_are_within_the_horizon),
		T(texts_are_counted_in_characters),
		T(announcements_are_at_most_100_objects),
		T(records_carry_each_announcements_outage),
		T(outage_probabilities_are_checked_and_kept),
		T(a_repeat_differs_only_where_a_field_does),
	};
#undef T

	return (cmocka_run_group_tests_name("json_scenarios", tests, NULL,
	    NULL));
}
