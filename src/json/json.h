/*
 * JSON codecs' shared helpers, on cJSON: strict parsing of request bodies,
 * typed field access that collects every problem as a 422 detail, and
 * exact 64-bit integers on output.
 *
 * cJSON keeps numbers as doubles, so integers are accepted only when they
 * are whole and within +-(2^53 - 1), where a double is exact; money beyond
 * that (90 trillion pounds) is refused rather than silently rounded.
 */
#ifndef JSON_H
#define JSON_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

struct buf;
struct csv_record;

#define JSON_INT_MAX	INT64_C(9007199254740991)
#define JSON_ID_MAX	64

enum json_parse {
	JSON_OK = 0,
	JSON_MALFORMED,
	JSON_NOT_OBJECT,
	JSON_NUL_TEXT,		/* a string holds \u0000 */
};

#define JSON_NUL_TEXT_TEXT	"text must not hold U+0000"

int	 json_parse_object(const char *, size_t, cJSON **);
int	 json_parse_line(const char *, size_t, int, cJSON **, cJSON *);

cJSON	*json_details_new(void);
void	 json_detail(cJSON *, const char *, int, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
int	 json_check_fields(const cJSON *, const char *const *, cJSON *);

int	 json_get_string(const cJSON *, const char *, int, size_t,
	    const char **, cJSON *);
int	 json_get_int64(const cJSON *, const char *, int, int64_t, int64_t,
	    int64_t *, cJSON *);
int	 json_get_bool(const cJSON *, const char *, int, int *, cJSON *);
int	 json_get_id(const cJSON *, const char *, int, const char **,
	    cJSON *);
int	 json_is_id(const char *);
int	 json_text_check(const char *, const char *, int, cJSON *);
void	 json_details_line(cJSON *, int, int);
int	 json_cell_integer(const char *, int64_t *);
void	 json_csv_import(const char *, size_t, cJSON *,
	    int (*)(const struct csv_record *, void *, cJSON *),
	    void (*)(const struct csv_record *, void *), void *);

void	 json_add_int64(cJSON *, const char *, int64_t);
void	 json_add_string_or_null(cJSON *, const char *, const char *);
int	 json_diff(cJSON *, cJSON *, const char *, cJSON *);
char	*json_print(const cJSON *, size_t *);
void	 json_print_buf(struct buf *, const cJSON *);
char	*json_error_body(const char *, const char *, const cJSON *, size_t *);

#endif
