/*
 * Dates (see date.h). Conversions use the civil-from-days algorithm of
 * Howard Hinnant: exact over the whole range, no tables, no time zones.
 */
#include <stdio.h>
#include <string.h>

#include "core/date.h"

static int
leap(int y)
{
	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

static int
days_in_month(int y, int m)
{
	static const int	dm[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return (m == 2 && leap(y) ? 29 : dm[m - 1]);
}

static int32_t
days_from_civil(int y, int m, int d)
{
	int	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return ((int32_t)(era * 146097 + doe - 719468));
}

/* Exactly four digits, '-', two, '-', two; years 0001 to 9999. */
int
date_parse(const char *s, int32_t *out)
{
	int	i, y, m, d;

	if (s == NULL || strlen(s) != DATE_LEN || s[4] != '-' || s[7] != '-')
		return (-1);
	for (i = 0; i < DATE_LEN; i++) {
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return (-1);
	}
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return (-1);
	*out = days_from_civil(y, m, d);
	return (0);
}

int
date_valid(const char *s)
{
	int32_t	d;

	return (date_parse(s, &d) == 0);
}

/* buf must hold DATE_LEN + 1 bytes. */
void
date_format(int32_t days, char *buf)
{
	int	era, doe, yoe, y, doy, mp, d, m;
	int32_t	z;
	char	tmp[48];

	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (int)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp + (mp < 10 ? 3 : -9);
	y += m <= 2;
	/*
	 * Days outside years 1..9999 are never parsed, so never printed;
	 * digits by hand, as a stress run formats hundreds of thousands.
	 */
	if (y < 0 || y > 9999) {
		snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y, m, d);
		memcpy(buf, tmp, DATE_LEN);
	} else {
		buf[0] = (char)('0' + y / 1000);
		buf[1] = (char)('0' + y / 100 % 10);
		buf[2] = (char)('0' + y / 10 % 10);
		buf[3] = (char)('0' + y % 10);
		buf[4] = '-';
		buf[5] = (char)('0' + m / 10);
		buf[6] = (char)('0' + m % 10);
		buf[7] = '-';
		buf[8] = (char)('0' + d / 10);
		buf[9] = (char)('0' + d % 10);
	}
	buf[DATE_LEN] = '\0';
}
