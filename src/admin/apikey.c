/*
 * tideover-apikey: create an API key from the command line, for the first
 * treasury key of an instance (ops/apikey wraps it). It talks to the
 * instance's database directly and hashes the secret with the instance's
 * server key, exactly as POST /v1/api-keys does.
 *
 *   tideover-apikey create --role treasury|supplier|government
 *       [--supplier ID] [--label TEXT]
 *
 * Prints the new key, and nothing else, on stdout.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "core/role.h"
#include "crypto/keys.h"
#include "store/store.h"

static void
usage(void)
{
	fprintf(stderr, "usage: tideover-apikey create "
	    "--role treasury|supplier|government [--supplier ID] "
	    "[--label TEXT]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "role",	required_argument,	NULL,	'r' },
		{ "supplier",	required_argument,	NULL,	's' },
		{ "label",	required_argument,	NULL,	'l' },
		{ NULL,		0,			NULL,	0 },
	};
	struct db_query	 q;
	struct token	 t;
	PGconn		*db;
	PGresult	*res;
	unsigned char	 server[KEYS_SERVER_LEN], hash[KEYS_HASH_LEN];
	char		 hex[KEYS_HASH_LEN * 2 + 1], key[TOKEN_LEN + 1];
	char		 keydir[1100], err[512];
	const char	*role, *supplier, *label, *dir, *conninfo;
	int		 ch, r;

	role = supplier = NULL;
	label = "";
	if (argc < 2 || strcmp(argv[1], "create") != 0)
		usage();
	optind = 2;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			role = optarg;
			break;
		case 's':
			supplier = optarg;
			break;
		case 'l':
			label = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || (r = role_parse(role)) == 0)
		usage();
	if ((r == ROLE_SUPPLIER) != (supplier != NULL)) {
		fprintf(stderr, "tideover-apikey: --supplier is required for, "
		    "and only for, a supplier key\n");
		return (2);
	}

	if ((dir = getenv("TIDEOVER_DATA_DIR")) == NULL ||
	    (conninfo = getenv("TIDEOVER_DB")) == NULL) {
		fprintf(stderr, "tideover-apikey: TIDEOVER_DATA_DIR and "
		    "TIDEOVER_DB must be set (use ops/apikey)\n");
		return (1);
	}
	if (keys_init() == -1)
		return (1);
	snprintf(keydir, sizeof(keydir), "%s/keys", dir);
	if (keys_file(keydir, "server.key", server, sizeof(server), err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "tideover-apikey: %s\n", err);
		return (1);
	}

	db = PQconnectdb(conninfo);
	if (PQstatus(db) != CONNECTION_OK) {
		fprintf(stderr, "tideover-apikey: %s", PQerrorMessage(db));
		PQfinish(db);
		return (1);
	}

	keys_token_new(&t);
	keys_secret_hash(server, t.secret, hash);
	keys_hex_encode(hash, sizeof(hash), hex);
	store_key_insert(&q, t.kid, hex, role_name(r), supplier, label);
	res = PQexecParams(db, q.sql, q.nparams, NULL, q.values, NULL, NULL, 0);
	db_query_reset(&q);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "tideover-apikey: %s", PQerrorMessage(db));
		PQclear(res);
		PQfinish(db);
		return (1);
	}
	PQclear(res);
	PQfinish(db);

	token_format(t.kid, t.secret, key, sizeof(key));
	printf("%s\n", key);
	return (0);
}
