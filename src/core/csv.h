/*
 * RFC 4180 CSV. Output: CRLF line ends, fields quoted when they hold a
 * comma, a quote, CR or LF, quotes doubled; every report table goes
 * through here so all CSV looks alike. Input: records for the bulk
 * imports, with quoted fields, doubled quotes and CRLF or LF line ends.
 */
#ifndef CSV_H
#define CSV_H

#include <stdint.h>

#include "core/buf.h"

struct csv {
	struct buf	*out;
	int		 col;
};

void	csv_init(struct csv *, struct buf *);
void	csv_field(struct csv *, const char *);
void	csv_int64(struct csv *, int64_t);
void	csv_null(struct csv *);
void	csv_end_row(struct csv *);
void	csv_header(struct csv *, const char *const *);

#define CSV_MAXFIELDS	64

struct csv_reader {
	const char	*p;
	const char	*end;
	int		 line;		/* of the next record, from 1 */
};

struct csv_record {
	int		 line;		/* where the record started */
	int		 n;
	const char	*fields[CSV_MAXFIELDS];
	struct buf	 storage;
};

void	csv_reader_init(struct csv_reader *, const char *, size_t);
int	csv_read(struct csv_reader *, struct csv_record *, const char **);
void	csv_record_init(struct csv_record *);
void	csv_record_cleanup(struct csv_record *);

#endif
