/*
 * Calendar dates: strict ISO 8601 YYYY-MM-DD, proleptic Gregorian, as day
 * numbers (days since 1970-01-01) so that day offsets are subtractions.
 */
#ifndef DATE_H
#define DATE_H

#include <stdint.h>

#define DATE_LEN	10	/* "YYYY-MM-DD" */

int	date_parse(const char *, int32_t *);
void	date_format(int32_t, char *);
int	date_valid(const char *);

#endif
