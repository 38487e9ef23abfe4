/*
 * List cursors (src/core/cursor.c): cursor_decode reads ?cursor= of
 * every list. A cursor that decodes re-encodes to one that decodes to
 * the same key; a key encodes to a cursor that decodes back to it; both
 * directions fail, without writing past it, when the buffer is one byte
 * short.
 */
#include "core/cursor.h"
#include "fuzz.h"

/* The length cursor_encode needs for a key of len bytes, with its NUL. */
static size_t
encoded_size(size_t len)
{
	return (1 + (len * 4 + 2) / 3 + 1);
}

static void
check_key(const char *key)
{
	char	 enc[CURSOR_MAX + 2], back[CURSOR_KEY_MAX];
	char	*exact;
	size_t	 len, need;

	len = strlen(key);
	FUZZ_CHECK(len < CURSOR_KEY_MAX);
	need = encoded_size(len);
	FUZZ_CHECK(need <= sizeof(enc));
	FUZZ_CHECK(cursor_encode(key, enc, sizeof(enc)) == 0);
	FUZZ_CHECK(strlen(enc) + 1 == need);
	FUZZ_CHECK(cursor_decode(enc, back, sizeof(back)) == 0);
	FUZZ_CHECK(strcmp(back, key) == 0);

	if ((exact = malloc(need)) == NULL)
		abort();
	FUZZ_CHECK(cursor_encode(key, exact, need) == 0);
	FUZZ_CHECK(strcmp(exact, enc) == 0);
	FUZZ_CHECK(cursor_encode(key, exact, need - 1) == -1);
	free(exact);

	/* Decoding into exactly the key's room, then one byte less. */
	if ((exact = malloc(len + 1)) == NULL)
		abort();
	if (len > 0) {
		FUZZ_CHECK(cursor_decode(enc, exact, len + 1) == 0);
		FUZZ_CHECK(strcmp(exact, key) == 0);
		FUZZ_CHECK(cursor_decode(enc, exact, len) == -1);
	}
	free(exact);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	 key[CURSOR_KEY_MAX];
	char	*s;

	s = fuzz_cstr(data, size);
	if (cursor_decode(s, key, sizeof(key)) == 0) {
		/* An empty key would be "c", which decoding refuses. */
		FUZZ_CHECK(key[0] != '\0');
		check_key(key);
	}
	/* The input as a key, as store_run_cursor_make's keys are. */
	if (s[0] != '\0' && strlen(s) < CURSOR_KEY_MAX)
		check_key(s);
	free(s);
	return (0);
}
