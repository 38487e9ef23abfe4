/*
 * Role names (see role.h): the one table between names and bits.
 */
#include <string.h>

#include "core/role.h"

static const struct {
	int		 role;
	const char	*name;
} roles[] = {
	{ ROLE_TREASURY,	"treasury" },
	{ ROLE_SUPPLIER,	"supplier" },
	{ ROLE_GOVERNMENT,	"government" },
};

const char *
role_name(int role)
{
	size_t	i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		if (roles[i].role == role)
			return (roles[i].name);
	}
	return (NULL);
}

/* 0 for anything that is not exactly a role name. */
int
role_parse(const char *s)
{
	size_t	i;

	for (i = 0; s != NULL && i < sizeof(roles) / sizeof(roles[0]); i++) {
		if (strcmp(roles[i].name, s) == 0)
			return (roles[i].role);
	}
	return (0);
}
