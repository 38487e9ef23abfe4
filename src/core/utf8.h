/*
 * UTF-8 as the service takes it: well formed (no overlong forms, no
 * surrogates, nothing past U+10FFFF), and for text, no control
 * characters.
 */
#ifndef UTF8_H
#define UTF8_H

#include <stddef.h>

enum utf8_check {
	UTF8_OK,
	UTF8_CONTROL,	/* well formed, but holds a control character */
	UTF8_BAD,	/* not UTF-8 */
};

enum utf8_check	utf8_check(const char *, size_t *);

#endif
