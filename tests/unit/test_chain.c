/*
 * The journal's hash chain step over the previous hash followed by the
 * canonical bytes, in that order and nothing else, by seal: BLAKE2b-256
 * for seal 1, SHA-256 for seal 2 (what PostgreSQL's sha256() gives),
 * against vectors computed with Python's hashlib:
 *
 *	hashlib.blake2b(prev + canonical, digest_size=32).hexdigest()
 *	hashlib.sha256(prev + canonical).hexdigest()
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/journal.h"
#include "crypto/chain.h"

/* The first transaction of a journal, in canonical encoding v1. */
#define TX1 \
	"tideover-journal-v1\nseq=1\nkind=approval\ninvoice=INV-1\n" \
	"scheme=\neffective=\nat=2025-09-01T09:00:00.000000Z\n" \
	"posting=oem:payable|GBP|-120000|INV-1\n" \
	"posting=supplier:SUP-A:receivable|GBP|120000|INV-1\n"

/* The first hash over TX1, with 32 zero bytes before it. */
#define H1 "4ea90c98744bf0688a65753da41a15a7d869e2b027dda26c7c457c2cb174c106"

/* The same transaction in encoding v2, and its SHA-256 link. */
#define TX2 \
	"tideover-journal-v2\nseq=1\nkind=approval\ninvoice=INV-1\n" \
	"scheme=\neffective=\nat=2025-09-01T09:00:00.000000Z\n" \
	"posting=oem:payable|GBP|-120000|INV-1\n" \
	"posting=supplier:SUP-A:receivable|GBP|120000|INV-1\n"
#define H2 "e383440f3c6e76ad1c31c7667b453504cfb4241199fd37df8a4978a3506b1767"

static void
hash(int seal, const unsigned char *prev, const char *s, size_t len,
    unsigned char *out)
{
	assert_int_equal(chain_hash(seal, prev, s, len, out), 0);
}

/* The first tests are of seal 1, the journal's hash before seal 2. */
static void
chain_hash_v1(const unsigned char *prev, const char *s, size_t len,
    unsigned char *out)
{
	hash(JOURNAL_SEAL_V1, prev, s, len, out);
}

static void
first_link_hashes_zero_prev_then_the_bytes(void **state)
{
	unsigned char	prev[CHAIN_HASH_LEN] = { 0 }, h[CHAIN_HASH_LEN + 1];
	char		hex[2 * CHAIN_HASH_LEN + 1];

	assert_int_equal(sizeof(TX1) - 1, 193);
	h[CHAIN_HASH_LEN] = 0x5a;
	chain_hash_v1(prev, TX1, sizeof(TX1) - 1, h);
	sodium_bin2hex(hex, sizeof(hex), h, CHAIN_HASH_LEN);
	assert_string_equal(hex, H1);
	/* Exactly 32 bytes written. */
	assert_int_equal(h[CHAIN_HASH_LEN], 0x5a);
}

static void
each_link_hashes_the_one_before(void **state)
{
	unsigned char	h1[CHAIN_HASH_LEN], h2[CHAIN_HASH_LEN];
	unsigned char	zero[CHAIN_HASH_LEN] = { 0 };
	char		hex[2 * CHAIN_HASH_LEN + 1];

	chain_hash_v1(zero, TX1, strlen(TX1), h1);
	chain_hash_v1(h1, "abc", 3, h2);
	sodium_bin2hex(hex, sizeof(hex), h2, sizeof(h2));
	assert_string_equal(hex, "2ef77448ec0031900486aa3b3ffcbb71"
	    "ba77e097fdaffee270a8de67a0a77dfc");
	/* The same bytes after another prev are another link. */
	chain_hash_v1(h2, "abc", 3, h1);
	assert_memory_not_equal(h1, h2, sizeof(h1));
}

/* len counts, not a NUL: nothing after it, everything before it. */
static void
the_length_is_what_is_hashed(void **state)
{
	unsigned char	zero[CHAIN_HASH_LEN] = { 0 }, h[CHAIN_HASH_LEN];
	char		hex[2 * CHAIN_HASH_LEN + 1];

	chain_hash_v1(zero, "a\0b", 3, h);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	assert_string_equal(hex, "d126b34f0f73c4023bfee657d196fff2"
	    "e8b62e6d1c5d81db11f9ede762e2585e");
	/* No bytes: the hash of the previous hash alone. */
	chain_hash_v1(zero, "ignored", 0, h);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	assert_string_equal(hex, "89eb0d6a8a691dae2cd15ed0369931ce"
	    "0a949ecafa5c3f93f8121833646e15c3");
	chain_hash_v1(zero, TX1 "trailing", sizeof(TX1) - 1, h);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	assert_string_equal(hex, H1);
}

/* Tampering anywhere, in either input, changes the link. */
static void
any_changed_byte_changes_the_hash(void **state)
{
	unsigned char	prev[CHAIN_HASH_LEN], h0[CHAIN_HASH_LEN];
	unsigned char	h[CHAIN_HASH_LEN];
	char		tx[sizeof(TX1)];
	size_t		i;

	for (i = 0; i < sizeof(prev); i++)
		prev[i] = (unsigned char)(i * 11);
	memcpy(tx, TX1, sizeof(tx));
	chain_hash_v1(prev, tx, sizeof(tx) - 1, h0);
	for (i = 0; i < sizeof(prev); i++) {
		prev[i] ^= 0x01;
		chain_hash_v1(prev, tx, sizeof(tx) - 1, h);
		assert_memory_not_equal(h, h0, sizeof(h));
		prev[i] ^= 0x01;
	}
	for (i = 0; i < sizeof(tx) - 1; i++) {
		tx[i] ^= 0x20;
		chain_hash_v1(prev, tx, sizeof(tx) - 1, h);
		assert_memory_not_equal(h, h0, sizeof(h));
		tx[i] ^= 0x20;
	}
	/* Restored, it is the same hash again: nothing else goes in. */
	chain_hash_v1(prev, tx, sizeof(tx) - 1, h);
	assert_memory_equal(h, h0, sizeof(h));
	/* Neither a byte less nor a byte more. */
	chain_hash_v1(prev, tx, sizeof(tx) - 2, h);
	assert_memory_not_equal(h, h0, sizeof(h));
	chain_hash_v1(prev, tx, sizeof(tx), h);
	assert_memory_not_equal(h, h0, sizeof(h));
}

/* Seal 2: SHA-256 over the same two inputs, as the database seals. */
static void
seal_2_is_sha256_of_prev_then_the_bytes(void **state)
{
	unsigned char	zero[CHAIN_HASH_LEN] = { 0 }, h[CHAIN_HASH_LEN + 1];
	unsigned char	h1[CHAIN_HASH_LEN];
	char		hex[2 * CHAIN_HASH_LEN + 1];

	h[CHAIN_HASH_LEN] = 0x5a;
	hash(JOURNAL_SEAL_V2, zero, TX2, sizeof(TX2) - 1, h);
	sodium_bin2hex(hex, sizeof(hex), h, CHAIN_HASH_LEN);
	assert_string_equal(hex, H2);
	assert_int_equal(h[CHAIN_HASH_LEN], 0x5a);
	memcpy(h1, h, sizeof(h1));
	hash(JOURNAL_SEAL_V2, h1, "abc", 3, h);
	sodium_bin2hex(hex, sizeof(hex), h, CHAIN_HASH_LEN);
	assert_string_equal(hex, "5d19f817a2e4c3daebcc39ed08589a8d"
	    "aa2f17e22311668c038e2b63d92a7752");
	hash(JOURNAL_SEAL_V2, zero, "a\0b", 3, h);
	sodium_bin2hex(hex, sizeof(hex), h, CHAIN_HASH_LEN);
	assert_string_equal(hex, "1079306514270aa930a73e105755e2b0"
	    "40c0203dd897a64dbe2232a035e594ae");
	hash(JOURNAL_SEAL_V2, zero, "ignored", 0, h);
	sodium_bin2hex(hex, sizeof(hex), h, CHAIN_HASH_LEN);
	assert_string_equal(hex, "66687aadf862bd776c8fc18b8e9f8e20"
	    "089714856ee233b3902a591d0d5f2925");
}

/* The seal picks the hash; one it does not know hashes nothing. */
static void
unknown_seals_are_refused(void **state)
{
	unsigned char	zero[CHAIN_HASH_LEN] = { 0 }, h[CHAIN_HASH_LEN];
	unsigned char	h1[CHAIN_HASH_LEN];
	static const int	bad[] = { 0, 3, -1, 255 };
	size_t		i;

	hash(JOURNAL_SEAL_V1, zero, TX1, sizeof(TX1) - 1, h1);
	hash(JOURNAL_SEAL_V2, zero, TX1, sizeof(TX1) - 1, h);
	assert_memory_not_equal(h, h1, sizeof(h));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(h, 0x77, sizeof(h));
		assert_int_equal(chain_hash(bad[i], zero, TX1,
		    sizeof(TX1) - 1, h), -1);
		assert_int_equal(h[0], 0x77);
		assert_int_equal(h[CHAIN_HASH_LEN - 1], 0x77);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(first_link_hashes_zero_prev_then_the_bytes),
		cmocka_unit_test(each_link_hashes_the_one_before),
		cmocka_unit_test(the_length_is_what_is_hashed),
		cmocka_unit_test(any_changed_byte_changes_the_hash),
		cmocka_unit_test(seal_2_is_sha256_of_prev_then_the_bytes),
		cmocka_unit_test(unknown_seals_are_refused),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests_name("chain", tests, NULL, NULL));
}
