/*
 * Entity tags: whether an If-None-Match header names a tag.
 */
#ifndef ETAG_H
#define ETAG_H

int	etag_match(const char *, const char *);

#endif
