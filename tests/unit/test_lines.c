/*
 * The line reader of the NDJSON imports: a byte order mark is skipped,
 * "\r\n" and "\n" both end a line, the last line needs no end, blank
 * lines are skipped but counted, and nothing is read past the data.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/lines.h"

/* Each non-blank line as "N:text|", for one comparison. */
static void
read_all(const char *data, size_t len, char *out, size_t outlen)
{
	struct lines	 l;
	const char	*s;
	size_t		 n, off;
	int		 w;

	off = 0;
	out[0] = '\0';
	lines_init(&l, data, len);
	while (lines_next(&l, &s, &n)) {
		w = snprintf(out + off, outlen - off, "%d:%.*s|", l.line,
		    (int)n, s);
		assert_true(w > 0 && (size_t)w < outlen - off);
		off += (size_t)w;
	}
}

#define CHECK(data, want) do {						\
	char	got_[256];						\
									\
	read_all((data), sizeof(data) - 1, got_, sizeof(got_));		\
	assert_string_equal(got_, (want));				\
} while (0)

static void
lf_and_crlf_end_lines(void **state)
{
	CHECK("{\"a\":1}\n{\"b\":2}\n", "1:{\"a\":1}|2:{\"b\":2}|");
	CHECK("{\"a\":1}\r\n{\"b\":2}\r\n", "1:{\"a\":1}|2:{\"b\":2}|");
	CHECK("a\r\nb\nc\r\n", "1:a|2:b|3:c|");
}

static void
last_line_needs_no_end(void **state)
{
	CHECK("a\nb", "1:a|2:b|");
	CHECK("a\r\nb\r", "1:a|2:b|");
	CHECK("only", "1:only|");
}

static void
blank_lines_are_skipped_and_counted(void **state)
{
	CHECK("\n\na\n\n  \t \r\nb\n\n", "3:a|6:b|");
	CHECK("\r\n\r\n", "");
	CHECK("", "");
	CHECK("\n", "");
	/* Inner spaces are the line's; a CR inside is kept too. */
	CHECK(" a b \n", "1: a b |");
	CHECK("a\rb\n", "1:a\rb|");
}

static void
byte_order_mark_is_skipped(void **state)
{
	CHECK("\xef\xbb\xbf{\"a\":1}\n", "1:{\"a\":1}|");
	CHECK("\xef\xbb\xbf", "");
	CHECK("\xef\xbb\xbf\r\nx", "2:x|");
	/* Only at the very start, and only a whole one. */
	CHECK("x\n\xef\xbb\xbfy", "1:x|2:\xef\xbb\xbfy|");
	CHECK("\xef\xbbx", "1:\xef\xbbx|");
	assert_int_equal(lines_bom("\xef\xbb\xbf", 3), 3);
	assert_int_equal(lines_bom("\xef\xbb\xbf", 2), 0);
	assert_int_equal(lines_bom("abc", 3), 0);
}

static void
nothing_past_the_data(void **state)
{
	struct lines	 l;
	const char	 data[] = "ab\ncd\nEXTRA";
	const char	*s;
	size_t		 n;

	/* A length that ends mid-file: the rest is not the reader's. */
	lines_init(&l, data, 4);
	assert_int_equal(lines_next(&l, &s, &n), 1);
	assert_int_equal(n, 2);
	assert_memory_equal(s, "ab", 2);
	assert_int_equal(lines_next(&l, &s, &n), 1);
	assert_int_equal(n, 1);
	assert_memory_equal(s, "c", 1);
	assert_int_equal(lines_next(&l, &s, &n), 0);
	assert_int_equal(lines_next(&l, &s, &n), 0);
	/* NUL bytes are line content like any other. */
	lines_init(&l, "a\0b\n", 4);
	assert_int_equal(lines_next(&l, &s, &n), 1);
	assert_int_equal(n, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lf_and_crlf_end_lines),
		cmocka_unit_test(last_line_needs_no_end),
		cmocka_unit_test(blank_lines_are_skipped_and_counted),
		cmocka_unit_test(byte_order_mark_is_skipped),
		cmocka_unit_test(nothing_past_the_data),
	};

	return (cmocka_run_group_tests_name("lines", tests, NULL, NULL));
}
