/*
 * RFC 4180 CSV output: CRLF line ends, fields quoted when they hold a
 * comma, a quote, CR or LF, quotes doubled. Every report table goes
 * through here so all CSV looks alike.
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

#endif
