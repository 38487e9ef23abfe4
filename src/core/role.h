/*
 * The three roles of the contract, as bits so an endpoint can allow a set.
 */
#ifndef ROLE_H
#define ROLE_H

#define ROLE_TREASURY	0x01
#define ROLE_SUPPLIER	0x02
#define ROLE_GOVERNMENT	0x04
#define ROLE_ALL	(ROLE_TREASURY | ROLE_SUPPLIER | ROLE_GOVERNMENT)

const char	*role_name(int);
int		 role_parse(const char *);

#endif
