/*
 * A small HTTP client for the API tests, on libcurl, with the assertions
 * every test repeats (the error shape, the request id).
 */
#ifndef CLIENT_H
#define CLIENT_H

#include <stddef.h>

#include <cjson/cJSON.h>

struct resp {
	long	 status;
	char	*body;
	size_t	 len;
	cJSON	*json;
	char	 request_id[80];
	char	 www_authenticate[128];
	char	 content_type[128];
	char	 allow[128];
	char	 signature[256];		/* X-Signature */
	char	 next_cursor[600];		/* X-Next-Cursor (CSV pages) */
	char	 retry_after[16];		/* Retry-After (429) */
};

/* One connection for many calls (client_conn_*): one worker's. */
struct client_conn {
	void	*curl;
	long	 connects;	/* connections opened: 1 when all went on one */
};

const char	*client_env(const char *);
void		 client_call(struct resp *, const char *, const char *,
		    const char *, const char *, const char *, size_t);
void		 client_call_with(struct resp *, const char *, const char *,
		    const char *, const char *, const char *, size_t,
		    const char *);
void		 client_get(struct resp *, const char *, const char *);
void		 client_post_json(struct resp *, const char *, const char *,
		    const char *);
void		 client_free(struct resp *);
void		 client_conn_open(struct client_conn *);
void		 client_conn_get(struct client_conn *, struct resp *,
		    const char *, const char *);
void		 client_conn_close(struct client_conn *);
void		 client_assert_error(const struct resp *, long, const char *);
char		*client_new_key(const char *, const char *);
char		*client_key_id(const char *);
long		 client_sql_long(const char *);
int		 client_sql(const char *);
const cJSON	*client_item(const cJSON *, const char *);
long long	 client_int(const cJSON *, const char *);
const char	*client_str(const cJSON *, const char *);
int		 client_system(const char *);

#endif
