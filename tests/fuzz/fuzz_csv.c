/*
 * The CSV reader (src/core/csv.c): csv_read reads every CSV import.
 * Each call makes progress; a record has 1 to CSV_MAXFIELDS fields, each
 * a string inside the record's storage, and the line numbers only grow;
 * a malformed record says why. A record read, written out again with the
 * CSV writer, reads back as the same fields.
 */
#include "core/buf.h"
#include "core/csv.h"
#include "core/lines.h"
#include "fuzz.h"

static void
check_round_trip(const struct csv_record *rec)
{
	struct csv_reader	 r;
	struct csv_record	 back;
	struct csv		 c;
	struct buf		 b;
	const char		*err;
	int			 i;

	/*
	 * The reader skips a byte order mark at the start of a file; one
	 * of our own keeps a first field that begins with one intact.
	 */
	buf_init(&b);
	buf_puts(&b, LINES_BOM);
	csv_init(&c, &b);
	for (i = 0; i < rec->n; i++)
		csv_field(&c, rec->fields[i]);
	csv_end_row(&c);

	csv_reader_init(&r, b.data, b.len);
	csv_record_init(&back);
	FUZZ_CHECK(csv_read(&r, &back, &err) == 1);
	FUZZ_CHECK(back.n == rec->n);
	/* A cell a spreadsheet would run comes back behind an apostrophe. */
	for (i = 0; i < rec->n; i++) {
		if (rec->fields[i][0] != '\0' &&
		    strchr("=+-@\t\r", rec->fields[i][0]) != NULL)
			FUZZ_CHECK(back.fields[i][0] == '\'' &&
			    strcmp(back.fields[i] + 1, rec->fields[i]) == 0);
		else
			FUZZ_CHECK(strcmp(back.fields[i], rec->fields[i]) == 0);
	}
	FUZZ_CHECK(csv_read(&r, &back, &err) == 0);
	csv_record_cleanup(&back);
	buf_cleanup(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_reader	 r;
	struct csv_record	 rec;
	const char		*err, *before, *buf;
	int			 got, i, line, nl;
	size_t			 k;

	/* A copy of its own size, so that ASan sees a read past the end. */
	if ((buf = malloc(size + 1)) == NULL)
		abort();
	memcpy((char *)buf, data, size);
	for (k = 0, nl = 0; k < size; k++)
		nl += buf[k] == '\n';

	csv_reader_init(&r, buf, size);
	csv_record_init(&rec);
	line = 0;
	for (;;) {
		before = r.p;
		err = NULL;
		got = csv_read(&r, &rec, &err);
		FUZZ_CHECK(got >= -1 && got <= 1);
		FUZZ_CHECK(r.p >= before && r.p <= buf + size);
		if (got == 0) {
			FUZZ_CHECK(r.p == buf + size);
			break;
		}
		FUZZ_CHECK(r.p > before);
		FUZZ_CHECK(rec.line > line && rec.line <= nl + 1);
		line = rec.line;
		if (got == -1) {
			FUZZ_CHECK(err != NULL && err[0] != '\0');
			continue;
		}
		FUZZ_CHECK(rec.n >= 1 && rec.n <= CSV_MAXFIELDS);
		for (i = 0; i < rec.n; i++) {
			FUZZ_CHECK(rec.fields[i] >= rec.storage.data &&
			    rec.fields[i] < rec.storage.data + rec.storage.len);
			FUZZ_CHECK(i == 0 || rec.fields[i] > rec.fields[i - 1]);
		}
		check_round_trip(&rec);
	}
	/* At the end it stays at the end. */
	FUZZ_CHECK(csv_read(&r, &rec, &err) == 0);
	csv_record_cleanup(&rec);
	free((char *)buf);
	return (0);
}
