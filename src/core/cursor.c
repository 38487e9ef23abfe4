/*
 * Cursor encoding (see cursor.h): "c" followed by the unpadded base64url
 * of the key. Decoding rejects bad characters, lengths and NULs.
 */
#include <string.h>

#include "core/cursor.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int
cursor_encode(const char *key, char *out, size_t outlen)
{
	const unsigned char	*p = (const unsigned char *)key;
	size_t			 len, i, o;
	unsigned int		 v;

	len = strlen(key);
	if (outlen < 2 + (len * 4 + 2) / 3)
		return (-1);
	o = 0;
	out[o++] = 'c';
	for (i = 0; i + 2 < len; i += 3) {
		v = (unsigned int)p[i] << 16 | (unsigned int)p[i + 1] << 8 | p[i + 2];
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = b64[v >> 6 & 63];
		out[o++] = b64[v & 63];
	}
	if (len - i == 1) {
		v = (unsigned int)p[i] << 16;
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
	} else if (len - i == 2) {
		v = (unsigned int)p[i] << 16 | (unsigned int)p[i + 1] << 8;
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = b64[v >> 6 & 63];
	}
	out[o] = '\0';
	return (0);
}

static int
val(int c)
{
	const char	*p;

	if (c == '\0' || (p = strchr(b64, c)) == NULL)
		return (-1);
	return ((int)(p - b64));
}

int
cursor_decode(const char *cur, char *key, size_t keylen)
{
	size_t		len, i, o;
	unsigned int	v;
	int		a, b, c, d, n;

	if (cur == NULL || cur[0] != 'c')
		return (-1);
	cur++;
	len = strlen(cur);
	if (len == 0 || len % 4 == 1 || len > CURSOR_MAX)
		return (-1);
	for (i = 0, o = 0; i < len; i += 4) {
		n = len - i >= 4 ? 4 : (int)(len - i);
		a = val((unsigned char)cur[i]);
		b = val((unsigned char)cur[i + 1]);
		c = n > 2 ? val((unsigned char)cur[i + 2]) : 0;
		d = n > 3 ? val((unsigned char)cur[i + 3]) : 0;
		if (a < 0 || b < 0 || c < 0 || d < 0)
			return (-1);
		v = (unsigned int)a << 18 | (unsigned int)b << 12 |
		    (unsigned int)c << 6 | (unsigned int)d;
		if (o + (size_t)(n - 1) >= keylen)
			return (-1);
		key[o++] = (char)(v >> 16);
		if (n > 2)
			key[o++] = (char)(v >> 8 & 0xff);
		if (n > 3)
			key[o++] = (char)(v & 0xff);
	}
	key[o] = '\0';
	if (memchr(key, '\0', o) != NULL)
		return (-1);
	return (0);
}
