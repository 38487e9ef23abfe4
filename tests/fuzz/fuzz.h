/*
 * What the libFuzzer harnesses share: the entry point's prototype, a
 * NUL-terminated copy of the input for decoders that take C strings,
 * checks that abort whatever NDEBUG says (libFuzzer keeps the input that
 * aborted), and the contract every JSON decoder keeps with its details.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_CHECK(c) do {						\
	if (!(c)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #c);				\
		abort();						\
	}								\
} while (0)

/* The input up to its first NUL, as a string of its own; free() it. */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char	*s;

	if ((s = malloc(size + 1)) == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return (s);
}

/*
 * A decoder's answer and its details agree: 0 with none added since
 * before, -1 with at least one, each an object with a "field" (a string
 * or null) and a non-empty "problem".
 */
static inline void
fuzz_check_details(int rc, const cJSON *details, int before)
{
	const cJSON	*d, *f, *p;
	int		 n;

	FUZZ_CHECK(rc == 0 || rc == -1);
	FUZZ_CHECK(cJSON_IsArray(details));
	n = cJSON_GetArraySize(details);
	FUZZ_CHECK(rc == 0 ? n == before : n > before);
	cJSON_ArrayForEach(d, details) {
		FUZZ_CHECK(cJSON_IsObject(d));
		f = cJSON_GetObjectItemCaseSensitive(d, "field");
		p = cJSON_GetObjectItemCaseSensitive(d, "problem");
		FUZZ_CHECK(cJSON_IsString(f) || cJSON_IsNull(f));
		FUZZ_CHECK(cJSON_IsString(p) && p->valuestring[0] != '\0');
	}
}

#endif
