/*
 * The dashboard's files: everything under assets/ (HTML, CSS, JavaScript)
 * and the charting library that make copies to build/vendor/, served at
 * / and /vendor/. They are read once, in the parent before the workers
 * fork, so a worker never touches the disk for them (its sandbox would
 * not let it) and every response carries the same strong ETag.
 *
 * Every reply sends a Content-Security-Policy that allows only the
 * service's own origin, so the page can run no inline script or style
 * and talk to nothing but the API beside it. Cache-Control: no-cache
 * lets browsers keep a copy and revalidate it with If-None-Match or
 * If-Modified-Since (304).
 *
 * A path that names no file falls through to the API's JSON 404.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include <kore/kore.h>
#include <kore/http.h>

#include "core/etag.h"
#include "http/http.h"

#define ASSETS_DIR		"assets"
#define ASSETS_VENDOR_DIR	"build/vendor"
#define ASSETS_MAX		128
#define ASSETS_FILE_MAX		(4 * 1024 * 1024)
#define ASSETS_DEPTH_MAX	4

int	http_assets(struct http_request *);
int	http_notfound(struct http_request *);

struct asset {
	char		 path[256];	/* as requested, e.g. "/app.js" */
	const char	*type;
	unsigned char	*data;
	size_t		 len;
	char		 etag[35];	/* "<32 hex digits>" */
	char		 modified[32];	/* IMF-fixdate */
};

static const struct {
	const char	*ext;
	const char	*type;
} types[] = {
	{ ".html",	"text/html; charset=utf-8" },
	{ ".js",	"text/javascript; charset=utf-8" },
	{ ".mjs",	"text/javascript; charset=utf-8" },
	{ ".css",	"text/css; charset=utf-8" },
	{ ".svg",	"image/svg+xml" },
	{ ".png",	"image/png" },
	{ ".ico",	"image/x-icon" },
};

static const char	csp[] = "default-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'; object-src 'none'";

/* Read-only once the workers have forked. */
static struct asset	assets[ASSETS_MAX];
static size_t		nassets;

static const char *
type_of(const char *name)
{
	size_t	i, n, e;

	n = strlen(name);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		e = strlen(types[i].ext);
		if (n > e && strcmp(name + n - e, types[i].ext) == 0)
			return (types[i].type);
	}
	return (NULL);
}

static int
read_file(const char *file, unsigned char **data, size_t *len, time_t *mtime)
{
	struct stat	 st;
	FILE		*fp;
	unsigned char	*buf;

	if ((fp = fopen(file, "rb")) == NULL)
		return (-1);
	if (fstat(fileno(fp), &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > ASSETS_FILE_MAX) {
		fclose(fp);
		return (-1);
	}
	if ((buf = malloc(st.st_size + 1)) == NULL)
		fatal("assets: out of memory");
	if (fread(buf, 1, st.st_size, fp) != (size_t)st.st_size) {
		free(buf);
		fclose(fp);
		return (-1);
	}
	fclose(fp);
	*data = buf;
	*len = st.st_size;
	*mtime = st.st_mtime;
	return (0);
}

static void
add(const char *file, const char *path, const char *type)
{
	struct asset	*a;
	unsigned char	 h[16];
	time_t		 mtime;
	struct tm	 tm;

	if (nassets == ASSETS_MAX)
		fatal("assets: more than %d files", ASSETS_MAX);
	a = &assets[nassets];
	if (snprintf(a->path, sizeof(a->path), "%s", path) >=
	    (int)sizeof(a->path))
		return;
	if (read_file(file, &a->data, &a->len, &mtime) == -1) {
		kore_log(LOG_WARNING, "assets: cannot read %s", file);
		return;
	}
	a->type = type;
	crypto_generichash(h, sizeof(h), a->data, a->len, NULL, 0);
	a->etag[0] = '"';
	sodium_bin2hex(a->etag + 1, sizeof(a->etag) - 1, h, sizeof(h));
	a->etag[33] = '"';
	a->etag[34] = '\0';
	gmtime_r(&mtime, &tm);
	strftime(a->modified, sizeof(a->modified),
	    "%a, %d %b %Y %H:%M:%S GMT", &tm);
	nassets++;
}

/* Every file of a known type under dir, served below prefix. */
static void
walk(const char *dir, const char *prefix, int depth)
{
	DIR		*d;
	struct dirent	*e;
	struct stat	 st;
	const char	*type;
	char		 file[1024], path[256];

	if (depth > ASSETS_DEPTH_MAX || (d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		/* Dot files, and npm's tree beside package.json. */
		if (e->d_name[0] == '.' ||
		    strcmp(e->d_name, "node_modules") == 0)
			continue;
		if (snprintf(file, sizeof(file), "%s/%s", dir, e->d_name) >=
		    (int)sizeof(file) ||
		    snprintf(path, sizeof(path), "%s/%s", prefix, e->d_name) >=
		    (int)sizeof(path))
			continue;
		if (stat(file, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk(file, path, depth + 1);
			continue;
		}
		if ((type = type_of(e->d_name)) == NULL)
			continue;
		add(file, path, type);
		if (strcmp(path, "/index.html") == 0)
			add(file, "/", type);
	}
	closedir(d);
}

void
http_assets_load(void)
{
	nassets = 0;
	walk(ASSETS_DIR, "", 0);
	walk(ASSETS_VENDOR_DIR, "/vendor", 0);
	if (nassets == 0)
		kore_log(LOG_WARNING, "assets: no dashboard files found");
}

int
http_assets(struct http_request *req)
{
	const struct asset	*a;
	const char		*inm, *ims;
	size_t			 i;
	int			 fresh;

	a = NULL;
	for (i = 0; i < nassets; i++) {
		if (strcmp(assets[i].path, req->path) == 0) {
			a = &assets[i];
			break;
		}
	}
	if (a == NULL)
		return (http_notfound(req));

	if (req->method != HTTP_METHOD_GET &&
	    req->method != HTTP_METHOD_HEAD) {
		http_response_header(req, "allow", "GET, HEAD");
		http_response(req, HTTP_STATUS_METHOD_NOT_ALLOWED, NULL, 0);
		return (KORE_RESULT_OK);
	}

	http_response_header(req, "content-security-policy", csp);
	http_response_header(req, "x-content-type-options", "nosniff");
	http_response_header(req, "referrer-policy", "no-referrer");
	http_response_header(req, "cache-control", "no-cache");
	http_response_header(req, "etag", a->etag);
	http_response_header(req, "last-modified", a->modified);

	if (http_request_header(req, "if-none-match", &inm))
		fresh = etag_match(inm, a->etag);
	else if (http_request_header(req, "if-modified-since", &ims))
		fresh = strcmp(ims, a->modified) == 0;
	else
		fresh = 0;
	if (fresh) {
		http_response(req, HTTP_STATUS_NOT_MODIFIED, NULL, 0);
		return (KORE_RESULT_OK);
	}

	http_response_header(req, "content-type", a->type);
	http_response(req, HTTP_STATUS_OK, a->data, a->len);
	return (KORE_RESULT_OK);
}
