/*
 * Opaque list cursors: the sort key of the last item returned, in
 * base64url behind a version letter, so clients cannot build one by hand
 * by accident and the encoding can change later.
 */
#ifndef CURSOR_H
#define CURSOR_H

#include <stddef.h>

#define CURSOR_MAX	512		/* encoded */
#define CURSOR_KEY_MAX	256		/* decoded, with its NUL */

int	cursor_encode(const char *, char *, size_t);
int	cursor_decode(const char *, char *, size_t);

#endif
