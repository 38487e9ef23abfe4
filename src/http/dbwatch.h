/*
 * Each worker's view of its database: up, or down since a query went
 * unanswered or a connection failed, until a probe gets an answer. The
 * request pipeline (api.c) asks before each query and reports failures,
 * and has a new connection vouched for before Kore makes it.
 */
#ifndef DBWATCH_H
#define DBWATCH_H

struct http_request;

void	dbwatch_init(void);
int	dbwatch_up(void);
void	dbwatch_failed(const char *);
int	dbwatch_vouch(struct http_request *);
void	dbwatch_forget(struct http_request *);

#endif
