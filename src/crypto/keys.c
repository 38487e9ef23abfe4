/*
 * Key files and API key hashing (see keys.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/keys.h"

int
keys_init(void)
{
	return (sodium_init() < 0 ? -1 : 0);
}

static int
read_exact(int fd, unsigned char *p, size_t len)
{
	ssize_t	n;
	size_t	got;

	for (got = 0; got < len; got += (size_t)n) {
		n = read(fd, p + got, len - got);
		if (n == -1 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0)
			return (-1);
	}
	return (0);
}

static int
write_exact(int fd, const unsigned char *p, size_t len)
{
	ssize_t	n;
	size_t	put;

	for (put = 0; put < len; put += (size_t)n) {
		n = write(fd, p + put, len - put);
		if (n == -1 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0)
			return (-1);
	}
	return (0);
}

/*
 * Load dir/name into out, or create it with len random bytes (mode 0600,
 * in a 0700 directory) when it does not exist. Creation is exclusive, so
 * two processes starting at once still agree on one key.
 */
int
keys_file(const char *dir, const char *name, unsigned char *out, size_t len,
    char *err, size_t errlen)
{
	char		path[4096];
	struct stat	st;
	int		fd;

	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		snprintf(err, errlen, "mkdir %s: %s", dir, strerror(errno));
		return (-1);
	}
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    (int)sizeof(path)) {
		snprintf(err, errlen, "key path too long");
		return (-1);
	}

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd != -1) {
		randombytes_buf(out, len);
		if (write_exact(fd, out, len) == -1 || fsync(fd) == -1) {
			snprintf(err, errlen, "write %s: %s", path,
			    strerror(errno));
			close(fd);
			unlink(path);
			return (-1);
		}
		close(fd);
		return (0);
	}
	if (errno != EEXIST) {
		snprintf(err, errlen, "create %s: %s", path, strerror(errno));
		return (-1);
	}

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "open %s: %s", path, strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) == -1 || (st.st_mode & 077) != 0 ||
	    st.st_size != (off_t)len || read_exact(fd, out, len) == -1) {
		snprintf(err, errlen, "%s: must be %zu bytes, mode 0600",
		    path, len);
		close(fd);
		return (-1);
	}
	close(fd);
	return (0);
}

/* A new key: 8 random bytes of public id, 32 of secret. */
void
keys_token_new(struct token *t)
{
	unsigned char	kid[TOKEN_KID_LEN / 2], secret[32];

	randombytes_buf(kid, sizeof(kid));
	randombytes_buf(secret, sizeof(secret));
	keys_hex_encode(kid, sizeof(kid), t->kid);
	sodium_bin2base64(t->secret, sizeof(t->secret), secret,
	    sizeof(secret), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(secret, sizeof(secret));
}

void
keys_secret_hash(const unsigned char *server_key, const char *secret,
    unsigned char *out)
{
	crypto_generichash(out, KEYS_HASH_LEN, (const unsigned char *)secret,
	    strlen(secret), server_key, KEYS_SERVER_LEN);
}

/* Constant time: how much of a guess matched must not leak. */
int
keys_hash_equal(const unsigned char *a, const unsigned char *b)
{
	return (sodium_memcmp(a, b, KEYS_HASH_LEN) == 0);
}

/* The Ed25519 key pair of a 32-byte seed (the seed is the key file). */
void
keys_sign_keypair(const unsigned char *seed, unsigned char *pk,
    unsigned char *sk)
{
	crypto_sign_seed_keypair(pk, sk, seed);
}

/* A detached Ed25519 signature of the exact bytes. */
void
keys_sign(const unsigned char *sk, const void *msg, size_t len,
    unsigned char *sig)
{
	crypto_sign_detached(sig, NULL, msg, len, sk);
}

int
keys_hex_decode(const char *hex, unsigned char *out, size_t len)
{
	size_t	bin_len;

	if (hex == NULL || strlen(hex) != len * 2)
		return (-1);
	if (sodium_hex2bin(out, len, hex, len * 2, NULL, &bin_len,
	    NULL) != 0 || bin_len != len)
		return (-1);
	return (0);
}

void
keys_hex_encode(const unsigned char *p, size_t len, char *out)
{
	sodium_bin2hex(out, len * 2 + 1, p, len);
}
