/*
 * Output building blocks: the byte buffer, RFC 4180 CSV and list cursors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/cursor.h"

static void
buf_grows_and_terminates(void **state)
{
	struct buf	b;
	char		*s;
	size_t		len;
	int		i;

	buf_init(&b);
	for (i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i % 10);
	assert_int_equal(b.len, 2000);
	assert_int_equal(b.data[b.len], '\0');
	assert_memory_equal(b.data, "0,1,2,", 6);
	s = buf_release(&b, &len);
	assert_int_equal(len, 2000);
	assert_null(b.data);
	free(s);
	s = buf_release(&b, &len);
	assert_string_equal(s, "");
	free(s);
}

static void
csv_quotes_only_when_needed(void **state)
{
	static const char *const header[] = { "id", "name", "amount", NULL };
	struct buf	b;
	struct csv	c;

	buf_init(&b);
	csv_init(&c, &b);
	csv_header(&c, header);
	csv_field(&c, "SUP-1");
	csv_field(&c, "Smith, Jones & \"Sons\"");
	csv_int64(&c, -9223372036854775807LL - 1);
	csv_end_row(&c);
	csv_field(&c, "a\nb");
	csv_field(&c, "");
	csv_null(&c);
	csv_end_row(&c);
	assert_string_equal(b.data,
	    "id,name,amount\r\n"
	    "SUP-1,\"Smith, Jones & \"\"Sons\"\"\",-9223372036854775808\r\n"
	    "\"a\nb\",\"\",\r\n");
	buf_cleanup(&b);
}

/* A cell a spreadsheet would run as a formula opens as its text. */
static void
csv_neutralises_formulas(void **state)
{
	struct buf	b;
	struct csv	c;

	buf_init(&b);
	csv_init(&c, &b);
	csv_field(&c, "=HYPERLINK(\"http://x\",\"y\")");
	csv_field(&c, "+1");
	csv_field(&c, "-2+3");
	csv_field(&c, "@SUM(A1)");
	csv_field(&c, "\tx");
	csv_field(&c, "a=b");
	csv_int64(&c, -5);
	csv_end_row(&c);
	assert_string_equal(b.data,
	    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"'+1\",\"'-2+3\","
	    "\"'@SUM(A1)\",\"'\tx\",a=b,-5\r\n");
	buf_cleanup(&b);
}

static void
cursor_round_trips(void **state)
{
	static const char *const keys[] = {
		"1", "12", "123", "1234", "SUP-000123\tINV-9",
		"\xff\xfe\x01 bytes",
	};
	char	enc[CURSOR_MAX + 2], dec[CURSOR_KEY_MAX];
	size_t	i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		assert_int_equal(cursor_encode(keys[i], enc, sizeof(enc)), 0);
		assert_int_equal(enc[0], 'c');
		assert_null(strpbrk(enc, "+/=&? "));
		assert_int_equal(cursor_decode(enc, dec, sizeof(dec)), 0);
		assert_string_equal(dec, keys[i]);
	}
	assert_int_equal(cursor_encode("42", enc, sizeof(enc)), 0);
	assert_string_equal(enc, "cNDI");
}

static void
cursor_rejects_garbage(void **state)
{
	char	dec[16];

	assert_int_equal(cursor_decode(NULL, dec, sizeof(dec)), -1);
	assert_int_equal(cursor_decode("", dec, sizeof(dec)), -1);
	assert_int_equal(cursor_decode("xNDI", dec, sizeof(dec)), -1);
	assert_int_equal(cursor_decode("c", dec, sizeof(dec)), -1);
	assert_int_equal(cursor_decode("cNA", dec, sizeof(dec)), 0);
	assert_string_equal(dec, "4");
	assert_int_equal(cursor_decode("cN", dec, sizeof(dec)), -1);
	assert_int_equal(cursor_decode("cNDI=", dec, sizeof(dec)), -1);
	assert_int_equal(cursor_decode("cN+I", dec, sizeof(dec)), -1);
	assert_int_equal(cursor_decode("cA", dec, sizeof(dec)), -1);
	assert_int_equal(cursor_decode("cMTIzNDU2Nzg5MDEyMzQ1Njc4",
	    dec, sizeof(dec)), -1);
}

static void
csv_reads_rfc4180(void **state)
{
	const char		*in = "id,name,amount\r\n"
	    "SUP-1,\"Smith, Jones & \"\"Sons\"\"\",100\r\n"
	    "\n"
	    "SUP-2,\"two\nlines\",\n"
	    "SUP-3,,\"\"";
	struct csv_reader	 r;
	struct csv_record	 rec;
	const char		*err;

	csv_reader_init(&r, in, strlen(in));
	csv_record_init(&rec);
	assert_int_equal(csv_read(&r, &rec, &err), 1);
	assert_int_equal(rec.line, 1);
	assert_int_equal(rec.n, 3);
	assert_string_equal(rec.fields[2], "amount");
	assert_int_equal(csv_read(&r, &rec, &err), 1);
	assert_int_equal(rec.line, 2);
	assert_string_equal(rec.fields[1], "Smith, Jones & \"Sons\"");
	assert_string_equal(rec.fields[2], "100");
	assert_int_equal(csv_read(&r, &rec, &err), 1);
	assert_int_equal(rec.line, 4);
	assert_string_equal(rec.fields[1], "two\nlines");
	assert_string_equal(rec.fields[2], "");
	assert_int_equal(csv_read(&r, &rec, &err), 1);
	assert_int_equal(rec.line, 6);
	assert_int_equal(rec.n, 3);
	assert_string_equal(rec.fields[1], "");
	assert_string_equal(rec.fields[2], "");
	assert_int_equal(csv_read(&r, &rec, &err), 0);
	csv_record_cleanup(&rec);
}

static void
csv_reports_bad_lines_and_goes_on(void **state)
{
	const char		*in = "a,b\n"
	    "x\"y,1\n"
	    "\"q\"z,2\n"
	    "ok,3\n"
	    "\"open,4\n";
	struct csv_reader	 r;
	struct csv_record	 rec;
	const char		*err;

	csv_reader_init(&r, in, strlen(in));
	csv_record_init(&rec);
	assert_int_equal(csv_read(&r, &rec, &err), 1);
	assert_int_equal(csv_read(&r, &rec, &err), -1);
	assert_non_null(err);
	assert_int_equal(csv_read(&r, &rec, &err), -1);
	assert_string_equal(err, "text after a closing quote");
	assert_int_equal(csv_read(&r, &rec, &err), 1);
	assert_int_equal(rec.line, 4);
	assert_string_equal(rec.fields[0], "ok");
	assert_int_equal(csv_read(&r, &rec, &err), -1);
	assert_string_equal(err, "unterminated quoted field");
	assert_int_equal(csv_read(&r, &rec, &err), 0);
	csv_record_cleanup(&rec);
}

static void
csv_skips_a_byte_order_mark(void **state)
{
	const char		*in = "\xef\xbb\xbfid,name\nA,b\n";
	struct csv_reader	 r;
	struct csv_record	 rec;
	const char		*err;

	csv_reader_init(&r, in, strlen(in));
	csv_record_init(&rec);
	assert_int_equal(csv_read(&r, &rec, &err), 1);
	assert_string_equal(rec.fields[0], "id");
	assert_int_equal(csv_read(&r, &rec, &err), 1);
	assert_string_equal(rec.fields[0], "A");
	csv_record_cleanup(&rec);
}

static void
csv_round_trips_what_it_writes(void **state)
{
	static const char *const v[] = { "plain", "a,b", "say \"hi\"",
	    "line\r\nbreak", "", " spaced " };
	struct buf		 b;
	struct csv		 c;
	struct csv_reader	 r;
	struct csv_record	 rec;
	const char		*err;
	size_t			 i;

	buf_init(&b);
	csv_init(&c, &b);
	for (i = 0; i < 6; i++)
		csv_field(&c, v[i]);
	csv_end_row(&c);
	csv_reader_init(&r, b.data, b.len);
	csv_record_init(&rec);
	assert_int_equal(csv_read(&r, &rec, &err), 1);
	assert_int_equal(rec.n, 6);
	for (i = 0; i < 6; i++)
		assert_string_equal(rec.fields[i], v[i]);
	assert_int_equal(csv_read(&r, &rec, &err), 0);
	csv_record_cleanup(&rec);
	buf_cleanup(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_grows_and_terminates),
		cmocka_unit_test(csv_quotes_only_when_needed),
		cmocka_unit_test(csv_neutralises_formulas),
		cmocka_unit_test(cursor_round_trips),
		cmocka_unit_test(cursor_rejects_garbage),
		cmocka_unit_test(csv_reads_rfc4180),
		cmocka_unit_test(csv_reports_bad_lines_and_goes_on),
		cmocka_unit_test(csv_skips_a_byte_order_mark),
		cmocka_unit_test(csv_round_trips_what_it_writes),
	};

	return (cmocka_run_group_tests_name("output", tests, NULL, NULL));
}
