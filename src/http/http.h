/*
 * What the module calls of the HTTP layer: the dashboard's files, read
 * into memory in the parent before the workers fork, and each worker's
 * own state, set up again after a reload.
 */
#ifndef HTTP_H
#define HTTP_H

void	http_assets_load(void);
void	http_worker_init(void);

#endif
