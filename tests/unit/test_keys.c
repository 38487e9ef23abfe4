/*
 * Key material: the server key file (created once, 0600 in a 0700
 * directory, refused when it is the wrong size or readable by others),
 * API key hashing against vectors computed with Python's hashlib, the
 * Ed25519 signatures of RFC 8032, hex in both directions and the
 * constant-time hash comparison.
 */
#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/token.h"
#include "crypto/keys.h"

/* A fresh directory per test; keys_file is pointed at DIR/keys. */
struct tmp {
	char	base[64];
	char	keys[96];
};

static int
tmp_setup(void **state)
{
	struct tmp	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return (-1);
	snprintf(t->base, sizeof(t->base), "/tmp/test_keys.XXXXXX");
	if (mkdtemp(t->base) == NULL) {
		free(t);
		return (-1);
	}
	snprintf(t->keys, sizeof(t->keys), "%s/keys", t->base);
	*state = t;
	return (0);
}

/* Removes DIR/keys/ * and DIR: the tests make nothing deeper. */
static int
tmp_teardown(void **state)
{
	struct tmp	*t = *state;
	struct dirent	*e;
	DIR		*d;
	char		 path[512];

	if ((d = opendir(t->keys)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", t->keys,
			    e->d_name);
			unlink(path);
		}
		closedir(d);
		rmdir(t->keys);
	}
	unlink(t->keys);	/* when a test made it a plain file */
	rmdir(t->base);
	free(t);
	return (0);
}

/* Write len bytes of v to dir/name with the given mode. */
static void
put_file(const char *dir, const char *name, int v, size_t len, mode_t mode)
{
	unsigned char	buf[128];
	char		path[512];
	int		fd;

	assert_true(len <= sizeof(buf));
	memset(buf, v, len);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd != -1);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
	assert_int_equal(chmod(path, mode), 0);
}

static mode_t
mode_of(const char *path)
{
	struct stat	st;

	assert_int_equal(stat(path, &st), 0);
	return (st.st_mode & 07777);
}

/* The hex of n bytes, into a buffer that lasts until the next call. */
static const char *
hex_of(const unsigned char *p, size_t n)
{
	static char	out[2 * 64 + 1];

	assert_true(n <= 64);
	keys_hex_encode(p, n, out);
	return (out);
}

static void
first_use_creates_a_0600_key_in_a_0700_directory(void **state)
{
	struct tmp	*t = *state;
	unsigned char	 key[KEYS_SERVER_LEN], zero[KEYS_SERVER_LEN] = { 0 };
	unsigned char	 disk[KEYS_SERVER_LEN + 1];
	char		 path[512], err[256] = "";
	struct stat	 st;
	int		 fd;

	assert_int_equal(keys_init(), 0);
	assert_int_equal(keys_file(t->keys, "server.key", key, sizeof(key),
	    err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(mode_of(t->keys), 0700);
	snprintf(path, sizeof(path), "%s/server.key", t->keys);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_size, KEYS_SERVER_LEN);
	/* What was returned is what was written, and it is random. */
	assert_true((fd = open(path, O_RDONLY)) != -1);
	assert_int_equal(read(fd, disk, sizeof(disk)), KEYS_SERVER_LEN);
	close(fd);
	assert_memory_equal(disk, key, sizeof(key));
	assert_memory_not_equal(key, zero, sizeof(key));
}

static void
later_uses_load_the_same_key(void **state)
{
	struct tmp	*t = *state;
	unsigned char	 a[KEYS_SERVER_LEN], b[KEYS_SERVER_LEN];
	unsigned char	 other[KEYS_SERVER_LEN];
	char		 err[256];

	assert_int_equal(keys_file(t->keys, "server.key", a, sizeof(a), err,
	    sizeof(err)), 0);
	memset(b, 0, sizeof(b));
	assert_int_equal(keys_file(t->keys, "server.key", b, sizeof(b), err,
	    sizeof(err)), 0);
	assert_memory_equal(a, b, sizeof(a));
	/* Another name in the same directory is another key. */
	assert_int_equal(keys_file(t->keys, "signing.seed", other,
	    sizeof(other), err, sizeof(err)), 0);
	assert_memory_not_equal(a, other, sizeof(a));

	/* A key written by someone else is read as it is. */
	put_file(t->keys, "given.key", 0xa5, KEYS_SERVER_LEN, 0600);
	assert_int_equal(keys_file(t->keys, "given.key", a, sizeof(a), err,
	    sizeof(err)), 0);
	memset(b, 0xa5, sizeof(b));
	assert_memory_equal(a, b, sizeof(a));
	/* Owner read-only is still private. */
	put_file(t->keys, "ro.key", 0x11, KEYS_SERVER_LEN, 0400);
	assert_int_equal(keys_file(t->keys, "ro.key", a, sizeof(a), err,
	    sizeof(err)), 0);
	assert_int_equal(a[0], 0x11);
	assert_int_equal(a[KEYS_SERVER_LEN - 1], 0x11);
}

static void
a_key_of_the_wrong_size_is_refused(void **state)
{
	struct tmp	*t = *state;
	unsigned char	 key[KEYS_SERVER_LEN], big[KEYS_SERVER_LEN * 2];
	char		 err[512], want[512];

	assert_int_equal(mkdir(t->keys, 0700), 0);
	put_file(t->keys, "short.key", 1, KEYS_SERVER_LEN - 1, 0600);
	put_file(t->keys, "long.key", 1, KEYS_SERVER_LEN + 1, 0600);
	put_file(t->keys, "empty.key", 1, 0, 0600);

	assert_int_equal(keys_file(t->keys, "short.key", key, sizeof(key),
	    err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s/short.key: must be 32 bytes, "
	    "mode 0600", t->keys);
	assert_string_equal(err, want);
	assert_int_equal(keys_file(t->keys, "long.key", key, sizeof(key),
	    err, sizeof(err)), -1);
	assert_int_equal(keys_file(t->keys, "empty.key", key, sizeof(key),
	    err, sizeof(err)), -1);
	/* A 32-byte key asked for as 64 bytes is the wrong size too. */
	put_file(t->keys, "k32", 1, KEYS_SERVER_LEN, 0600);
	assert_int_equal(keys_file(t->keys, "k32", big, sizeof(big), err,
	    sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s/k32: must be 64 bytes, mode 0600",
	    t->keys);
	assert_string_equal(err, want);
}

static void
a_key_with_any_group_or_other_bit_is_refused(void **state)
{
	static const mode_t	 bad[] = { 0640, 0604, 0644, 0660, 0606, 0700,
	    0610 };
	struct tmp		*t = *state;
	unsigned char		 key[KEYS_SERVER_LEN];
	char			 err[512], name[32], want[512];
	size_t			 i;

	assert_int_equal(mkdir(t->keys, 0700), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(name, sizeof(name), "m%o", (unsigned)bad[i]);
		put_file(t->keys, name, 7, KEYS_SERVER_LEN, bad[i]);
		err[0] = '\0';
		if (bad[i] == 0700) {
			/* Executable by its owner: odd but still private. */
			assert_int_equal(keys_file(t->keys, name, key,
			    sizeof(key), err, sizeof(err)), 0);
			continue;
		}
		assert_int_equal(keys_file(t->keys, name, key, sizeof(key),
		    err, sizeof(err)), -1);
		snprintf(want, sizeof(want), "%s/%s: must be 32 bytes, "
		    "mode 0600", t->keys, name);
		assert_string_equal(err, want);
		/* Refused, not repaired: the mode is left as it was. */
		snprintf(want, sizeof(want), "%s/%s", t->keys, name);
		assert_int_equal(mode_of(want), bad[i]);
	}
}

static void
unusable_directories_are_reported(void **state)
{
	struct tmp	*t = *state;
	unsigned char	 key[KEYS_SERVER_LEN];
	char		 dir[256], err[512], name[4200];

	/* Only the last component is created. */
	snprintf(dir, sizeof(dir), "%s/no/such", t->base);
	assert_int_equal(keys_file(dir, "server.key", key, sizeof(key), err,
	    sizeof(err)), -1);
	assert_int_equal(strncmp(err, "mkdir ", 6), 0);
	assert_non_null(strstr(err, dir));

	/* The directory's name taken by a plain file. */
	put_file(t->base, "keys", 0, 0, 0600);
	assert_int_equal(keys_file(t->keys, "server.key", key, sizeof(key),
	    err, sizeof(err)), -1);
	assert_int_equal(strncmp(err, "create ", 7), 0);
	unlink(t->keys);

	memset(name, 'k', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(keys_file(t->keys, name, key, sizeof(key), err,
	    sizeof(err)), -1);
	assert_string_equal(err, "key path too long");
}

/* BLAKE2b-256 keyed with the server key: hashlib.blake2b(s, key=k). */
static void
secret_hash_is_keyed_blake2b_256(void **state)
{
	static const struct {
		int		 key;	/* 0: bytes 00..1f, 1: all ff */
		const char	*secret;
		const char	*hash;
	} v[] = {
		{ 0, "",
		"4e51e7a913fc80137da52880fecca175bf81e117d5c68126dc2774033517ea0d" },
		{ 0, "abc",
		"d63a32d3e44738d7907f964316c241adaba0abfeabc32349677578a15a203f7f" },
		{ 0, "tdo-secret-0123456789_-ABCDEFGHIJKLMNOPQRSTU",
		"a844b50e94ee87c8127bb1cc4f38c097b0406bd1e28c5966f480d8c5b2bbe09b" },
		{ 1, "abc",
		"91c21dc9ddaee6ca811152c3d72defb4c529a037b8e8b38342debcab81eabf9c" },
	};
	unsigned char	keys[2][KEYS_SERVER_LEN], h[KEYS_HASH_LEN + 1];
	size_t		i;

	for (i = 0; i < KEYS_SERVER_LEN; i++)
		keys[0][i] = (unsigned char)i;
	memset(keys[1], 0xff, KEYS_SERVER_LEN);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		h[KEYS_HASH_LEN] = 0x5a;	/* no byte past the hash */
		keys_secret_hash(keys[v[i].key], v[i].secret, h);
		assert_string_equal(hex_of(h, KEYS_HASH_LEN), v[i].hash);
		assert_int_equal(h[KEYS_HASH_LEN], 0x5a);
	}
}

static void
hash_equal_compares_all_32_bytes_and_no_more(void **state)
{
	unsigned char	a[KEYS_HASH_LEN + 4], b[KEYS_HASH_LEN + 4];
	size_t		i;

	for (i = 0; i < sizeof(a); i++)
		a[i] = b[i] = (unsigned char)(i * 37 + 1);
	assert_int_equal(keys_hash_equal(a, b), 1);
	for (i = 0; i < KEYS_HASH_LEN; i++) {
		b[i] ^= 0x01;
		assert_int_equal(keys_hash_equal(a, b), 0);
		b[i] ^= 0x01;
		b[i] ^= 0x80;
		assert_int_equal(keys_hash_equal(a, b), 0);
		b[i] ^= 0x80;
	}
	b[KEYS_HASH_LEN] ^= 0xff;
	assert_int_equal(keys_hash_equal(a, b), 1);
}

static void
hex_encode_is_lowercase_and_terminated(void **state)
{
	static const unsigned char	 p[] = { 0x00, 0x01, 0x7f, 0x80, 0xab,
	    0xcd, 0xef, 0xff, 0x10 };
	char				 out[2 * sizeof(p) + 2];

	memset(out, 'X', sizeof(out));
	keys_hex_encode(p, sizeof(p), out);
	assert_string_equal(out, "00017f80abcdefff10");
	assert_int_equal(out[2 * sizeof(p) + 1], 'X');
	keys_hex_encode(p, 0, out);
	assert_string_equal(out, "");
}

static void
hex_decode_takes_exactly_2n_hex_digits(void **state)
{
	static const unsigned char	 want[] = { 0x00, 0xff, 0x10, 0xab };
	static const char *const	 bad[] = {
		"00ff10a",	/* odd */
		"00ff10ab0",	/* odd, one too many */
		"00ff10",	/* too short */
		"00ff10ab00",	/* too long */
		"00ff10ag",	/* not hex */
		"0xff10ab",
		" 0ff10ab",
		"00ff10a ",
		"00:f:0ab",
		"-0ff10ab",
		"",
	};
	unsigned char			 out[sizeof(want) + 1];
	size_t				 i;

	memset(out, 0xee, sizeof(out));
	assert_int_equal(keys_hex_decode("00ff10ab", out, sizeof(want)), 0);
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(out[sizeof(want)], 0xee);
	/* Upper and mixed case decode to the same bytes. */
	memset(out, 0, sizeof(out));
	assert_int_equal(keys_hex_decode("00FF10AB", out, sizeof(want)), 0);
	assert_memory_equal(out, want, sizeof(want));
	memset(out, 0, sizeof(out));
	assert_int_equal(keys_hex_decode("00fF10aB", out, sizeof(want)), 0);
	assert_memory_equal(out, want, sizeof(want));

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (keys_hex_decode(bad[i], out, sizeof(want)) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	assert_int_equal(keys_hex_decode(NULL, out, sizeof(want)), -1);
	/* Zero bytes are zero digits. */
	assert_int_equal(keys_hex_decode("", out, 0), 0);
	assert_int_equal(keys_hex_decode("00", out, 0), -1);
}

static void
hex_round_trips_every_byte(void **state)
{
	unsigned char	p[256], q[256];
	char		s[2 * 256 + 1];
	size_t		i;

	for (i = 0; i < sizeof(p); i++)
		p[i] = (unsigned char)(255 - i);
	keys_hex_encode(p, sizeof(p), s);
	assert_int_equal(strlen(s), 512);
	assert_int_equal(strncmp(s, "fffefdfc", 8), 0);
	assert_string_equal(s + 504, "03020100");
	assert_int_equal(keys_hex_decode(s, q, sizeof(q)), 0);
	assert_memory_equal(p, q, sizeof(p));
}

static void
new_tokens_have_the_client_format_and_differ(void **state)
{
	struct token	a, b, parsed;
	char		s[TOKEN_LEN + 1];
	size_t		i;

	keys_token_new(&a);
	keys_token_new(&b);
	assert_int_equal(strlen(a.kid), TOKEN_KID_LEN);
	assert_int_equal(strlen(a.secret), TOKEN_SECRET_LEN);
	assert_int_equal(strspn(a.kid, "0123456789abcdef"), TOKEN_KID_LEN);
	assert_int_equal(strspn(a.secret, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_"), TOKEN_SECRET_LEN);
	/* What clients will send back parses to the same halves. */
	assert_int_equal(token_format(a.kid, a.secret, s, sizeof(s)), 0);
	assert_int_equal(token_parse(s, &parsed), 0);
	assert_string_equal(parsed.kid, a.kid);
	assert_string_equal(parsed.secret, a.secret);
	/* 64 and 256 random bits: a collision means no randomness. */
	assert_string_not_equal(a.kid, b.kid);
	assert_string_not_equal(a.secret, b.secret);
	for (i = 0; i < 8; i++) {
		keys_token_new(&b);
		assert_int_equal(strlen(b.secret), TOKEN_SECRET_LEN);
	}
}

/* RFC 8032 section 7.1, tests 1 and 2, checked with Python too. */
static void
signatures_are_rfc_8032_ed25519(void **state)
{
	static const struct {
		const char	*seed, *pk, *msg, *sig;
		size_t		 len;
	} v[] = {
		{ "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
		  "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
		  "", "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
		  "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
		  0 },
		{ "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
		  "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
		  "\x72", "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
		  "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
		  1 },
		{ "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
		  "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
		  "tideover exposure v1\n",
		  "1c0f10671063b8b4b243edb9ecdd09c7a3d5eca08b01af09050e8aee5dbcd4bf"
		  "a86aeeda8508cf7149de66cb579840b9a53c7502534f891560783f5ad5dab70b",
		  21 },
	};
	unsigned char	seed[KEYS_SIGN_SEED_LEN], pk[KEYS_SIGN_PUBLIC_LEN];
	unsigned char	sk[KEYS_SIGN_SECRET_LEN], sig[KEYS_SIGNATURE_LEN];
	size_t		i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(keys_hex_decode(v[i].seed, seed,
		    sizeof(seed)), 0);
		keys_sign_keypair(seed, pk, sk);
		assert_string_equal(hex_of(pk, sizeof(pk)), v[i].pk);
		keys_sign(sk, v[i].msg, v[i].len, sig);
		assert_string_equal(hex_of(sig, sizeof(sig)), v[i].sig);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    first_use_creates_a_0600_key_in_a_0700_directory,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(later_uses_load_the_same_key,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(
		    a_key_of_the_wrong_size_is_refused, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(
		    a_key_with_any_group_or_other_bit_is_refused, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(
		    unusable_directories_are_reported, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test(secret_hash_is_keyed_blake2b_256),
		cmocka_unit_test(hash_equal_compares_all_32_bytes_and_no_more),
		cmocka_unit_test(hex_encode_is_lowercase_and_terminated),
		cmocka_unit_test(hex_decode_takes_exactly_2n_hex_digits),
		cmocka_unit_test(hex_round_trips_every_byte),
		cmocka_unit_test(new_tokens_have_the_client_format_and_differ),
		cmocka_unit_test(signatures_are_rfc_8032_ed25519),
	};

	if (keys_init() != 0)
		return (1);
	return (cmocka_run_group_tests_name("keys", tests, NULL, NULL));
}
