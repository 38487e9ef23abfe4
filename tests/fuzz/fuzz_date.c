/*
 * date_parse (src/core/date.c), the reader of every date a client sends:
 * a date that parses formats back to the same text, and the day numbers
 * of years 1 to 9999 format to text that parses back to them.
 */
#include "core/date.h"
#include "fuzz.h"

/* Day numbers of 0001-01-01 and 9999-12-31. */
#define DAY_MIN		(-719162)
#define DAY_MAX		2932896

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		 buf[DATE_LEN + 1];
	char		*s;
	int32_t		 d, back;
	uint32_t	 raw;
	int		 rc;

	s = fuzz_cstr(data, size);
	rc = date_parse(s, &d);
	FUZZ_CHECK(rc == 0 || rc == -1);
	FUZZ_CHECK(date_valid(s) == (rc == 0));
	if (rc == 0) {
		FUZZ_CHECK(strlen(s) == DATE_LEN);
		FUZZ_CHECK(d >= DAY_MIN && d <= DAY_MAX);
		date_format(d, buf);
		FUZZ_CHECK(strcmp(buf, s) == 0);
	}
	free(s);

	/*
	 * The other way round, on the days a date can name: date_format is
	 * only ever given parsed dates and offsets from them.
	 */
	if (size >= 4) {
		memcpy(&raw, data, sizeof(raw));
		d = DAY_MIN + (int32_t)(raw % (uint32_t)(DAY_MAX - DAY_MIN + 1));
		date_format(d, buf);
		FUZZ_CHECK(strlen(buf) == DATE_LEN);
		FUZZ_CHECK(date_parse(buf, &back) == 0 && back == d);
	}
	return (0);
}
