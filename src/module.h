/*
 * The module's start-up and its read-only configuration, set once in the
 * parent before the workers fork.
 */
#ifndef MODULE_H
#define MODULE_H

#include "crypto/keys.h"

#define MODULE_DB		"db"
#define MODULE_VERSION		"0.1.0"

struct module_config {
	char		data_dir[1024];
	char		currency[4];		/* the deployment's, ISO 4217 */
	unsigned char	server_key[KEYS_SERVER_LEN];
	unsigned char	sign_public[KEYS_SIGN_PUBLIC_LEN];	/* Ed25519 */
	unsigned char	sign_secret[KEYS_SIGN_SECRET_LEN];
	long		min_cell_size;	/* exposure: smallest group shown */
};

const struct module_config	*module_config(void);

#endif
