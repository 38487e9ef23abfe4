/*
 * Growable byte buffer (see buf.h). Allocation failure aborts: a server
 * that cannot allocate a response cannot answer correctly either.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

void
buf_init(struct buf *b)
{
	memset(b, 0, sizeof(*b));
}

void
buf_cleanup(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

static void
grow(struct buf *b, size_t need)
{
	size_t	cap;
	char	*p;

	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 256;
	while (cap < need) {
		if (cap > SIZE_MAX / 2)
			abort();
		cap *= 2;
	}
	if ((p = realloc(b->data, cap)) == NULL)
		abort();
	b->data = p;
	b->cap = cap;
}

/* Room for len more bytes, so that appending them will not reallocate. */
void
buf_reserve(struct buf *b, size_t len)
{
	if (len > SIZE_MAX - b->len - 1)
		abort();
	grow(b, b->len + len + 1);
}

/* The data is always followed by a NUL, so it can be used as a string. */
void
buf_append(struct buf *b, const void *p, size_t len)
{
	if (len > SIZE_MAX - b->len - 1)
		abort();
	grow(b, b->len + len + 1);
	if (len > 0)
		memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	grow(b, b->len + (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Hand the bytes to the caller, who frees them; the buffer is reset. */
char *
buf_release(struct buf *b, size_t *len)
{
	char	*p;

	if (b->data == NULL)
		buf_append(b, "", 0);
	p = b->data;
	if (len != NULL)
		*len = b->len;
	buf_init(b);
	return (p);
}
