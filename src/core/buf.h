/*
 * A growable byte buffer for building response bodies (JSON is built by
 * cJSON; CSV, hashing input and the like are built here).
 */
#ifndef BUF_H
#define BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	buf_init(struct buf *);
void	buf_cleanup(struct buf *);
void	buf_reserve(struct buf *, size_t);
void	buf_append(struct buf *, const void *, size_t);
void	buf_puts(struct buf *, const char *);
void	buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
char	*buf_release(struct buf *, size_t *);

#endif
