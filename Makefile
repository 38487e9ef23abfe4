# tideover: build, run and test.
#
#   make            build the Kore module, the tools and the CLI
#   make run        install what is missing, start PostgreSQL and Kore
#   make test       unit tests (plain and ASan/UBSan), a fuzz smoke run,
#                   CLI golden files, API tests against a throwaway server,
#                   the schema snapshot, the short fault test
#   make schema     regenerate sql/schema.sql after changing a migration
#   make bench      benchmarks: the engine at national scale, stress runs
#                   on the demo data set, bulk import, invoice creation,
#                   payment schedules beside health, facility sizing
#   make fuzz       libFuzzer on every decoder, FUZZ_SECONDS (60) each
#   make soak       the fault test's long form: every fault SOAK_ROUNDS
#                   (10) times under a logged writer, and its figures

PORT ?= 8888
DATA_DIR ?= var
export PORT DATA_DIR

CC ?= cc
BUILD = build

WARN = -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes \
    -Wmissing-prototypes -Wno-unused-parameter -Wno-missing-field-initializers
CFLAGS_BASE = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
    -O2 -g -fPIC -pthread $(WARN) -Isrc
KORE_FLAGS = $(shell cat /usr/share/kore/features 2>/dev/null)
SAN = -fsanitize=address,undefined -fno-sanitize-recover=all \
    -fno-omit-frame-pointer

PKGS = libcjson libsodium
LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
TEST_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null) $(LIBS)

# Pure layers: no Kore header; they link into tests and tools as they are.
PURE_SRC = $(wildcard src/core/*.c src/json/*.c src/store/*.c src/crypto/*.c) \
    src/config.c
# The Kore glue: compiled with Kore's feature flags, linked only into the .so.
KORE_SRC = $(wildcard src/http/*.c) src/module.c
CLI_SRC = $(wildcard src/cli/*.c)

PURE_OBJ = $(PURE_SRC:%.c=$(BUILD)/%.o)
PURE_SAN_OBJ = $(PURE_SRC:%.c=$(BUILD)/san/%.o)
KORE_OBJ = $(KORE_SRC:%.c=$(BUILD)/%.o)

UNIT_TESTS = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))
UNIT_SAN_TESTS = $(patsubst tests/unit/%.c,$(BUILD)/tests/san/%,$(wildcard tests/unit/test_*.c))
API_TESTS = $(patsubst tests/api/%.c,$(BUILD)/tests/%,$(wildcard tests/api/test_*.c))

.PHONY: all deps run test test-unit test-cli test-api check-core lint-api \
    bench clean test-browser schema fuzz fuzz-smoke soak

all: check-core $(BUILD)/tideover.so $(BUILD)/tideover-apikey \
    $(BUILD)/tideover-demo $(if $(CLI_SRC),$(BUILD)/tideover-stress) \
    $(BUILD)/vendor/uPlot.esm.js

deps:
	@sh ops/deps

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(KORE_FLAGS) -MMD -MP -c $< -o $@

$(BUILD)/san/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(SAN) -MMD -MP -c $< -o $@

$(BUILD)/tideover.so: $(PURE_OBJ) $(KORE_OBJ)
	$(CC) -shared -o $@ $^ $(LIBS)

$(BUILD)/tideover-apikey: $(BUILD)/src/admin/apikey.o $(PURE_OBJ)
	$(CC) -o $@ $^ $(LIBS) $(shell pkg-config --libs libpq)

$(BUILD)/tideover-demo: $(BUILD)/src/admin/demo.o $(PURE_OBJ)
	$(CC) -o $@ $^ $(LIBS)

$(BUILD)/tideover-stress: $(CLI_SRC:%.c=$(BUILD)/%.o) $(PURE_OBJ)
	$(CC) -o $@ $^ $(LIBS)

# The dashboard's charting library, pinned in assets/package-lock.json:
# installed from the npm registry under build/ and copied to build/vendor/,
# which the service serves at /vendor/. Nothing of it is committed.
$(BUILD)/vendor/uPlot.esm.js: assets/package.json assets/package-lock.json
	@mkdir -p $(BUILD)/npm/assets $(BUILD)/vendor
	@cp assets/package.json assets/package-lock.json $(BUILD)/npm/assets/
	@npm ci --prefix $(BUILD)/npm/assets --no-audit --no-fund \
	    --loglevel=error >/dev/null
	cp $(BUILD)/npm/assets/node_modules/uplot/dist/uPlot.min.css \
	    $(BUILD)/vendor/
	cp $(BUILD)/npm/assets/node_modules/uplot/dist/uPlot.esm.js $@

$(BUILD)/tests/test_%: tests/unit/test_%.c $(PURE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -o $@ $^ $(TEST_LIBS)

$(BUILD)/tests/san/test_%: tests/unit/test_%.c $(PURE_SAN_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(SAN) -o $@ $^ $(TEST_LIBS)

$(BUILD)/tests/test_api_%: tests/api/test_api_%.c tests/api/client.c \
    tests/api/client.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Itests/api -o $@ tests/api/test_api_$*.c \
	    tests/api/client.c $(TEST_LIBS) $(shell pkg-config --libs libcurl)

# The sizing's API test runs the engine itself, to hold the server to it.
$(BUILD)/tests/test_api_sizing: tests/api/test_api_sizing.c tests/api/client.c \
    tests/api/client.h $(PURE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Itests/api -o $@ tests/api/test_api_sizing.c \
	    tests/api/client.c $(PURE_OBJ) $(TEST_LIBS) \
	    $(shell pkg-config --libs libcurl)

$(BUILD)/bench-engine: tests/bench/bench_engine.c $(PURE_OBJ)
	$(CC) $(CFLAGS_BASE) -o $@ $^ $(LIBS)

# What a stress run asks of the engine, on an input in tideover-stress's
# JSON format; built by make bench, run by hand (see the file's comment):
#   build/bench-input input.json
$(BUILD)/bench-input: tests/bench/bench_input.c $(BUILD)/src/cli/stress_input.o \
    $(PURE_OBJ)
	$(CC) $(CFLAGS_BASE) -o $@ $^ $(LIBS)

# Fuzzing: one libFuzzer harness per decoder a request or the CLI reaches
# (tests/fuzz/fuzz_<name>.c), built with clang under ASan and UBSan
# against the pure sources and the CLI's input decoder, never Kore. Each
# runs on a copy of its seeds (tests/fuzz/corpus/<name>/) under
# build/fuzz/, which keeps what it finds; a crash's input is left in
# build/fuzz/artifacts/<name>/. See tests/fuzz/run.sh.
#   make fuzz FUZZ_SECONDS=60   each harness that long (the default)
#   make fuzz-smoke             each for 3 s: the fuzz stage of make test
FUZZ_CC = clang
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
    -g -O1 -pthread $(WARN) -Isrc $(shell pkg-config --cflags $(PKGS) \
    2>/dev/null) -fsanitize=address,undefined -fno-sanitize-recover=all \
    -fno-omit-frame-pointer
FUZZ_OBJ = $(PURE_SRC:%.c=$(BUILD)/fuzz/%.o) \
    $(BUILD)/fuzz/src/cli/stress_input.o
FUZZERS = $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%, \
    $(wildcard tests/fuzz/fuzz_*.c))
# Harnesses left out of fuzz-smoke by name (csv for fuzz_csv), each with a
# comment naming the open bug that fails it; none now.
FUZZ_SMOKE_SKIP =

$(BUILD)/fuzz/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP \
	    -c $< -o $@

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -MMD -MP -o $@ $< \
	    $(FUZZ_OBJ) $(LIBS)

fuzz: $(FUZZERS)
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZERS)

fuzz-smoke: $(FUZZERS)
	@sh tests/fuzz/run.sh -smoke 3 $(filter-out \
	    $(FUZZ_SMOKE_SKIP:%=$(BUILD)/fuzz/fuzz_%),$(FUZZERS))

# The core stays pure: no framework header may appear in src/core.
check-core:
	@if grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](kore/|libpq|cjson/|cJSON|sodium|curl/)' \
	    src/core/*.c src/core/*.h 2>/dev/null; then \
		echo "src/core must not include a framework header" >&2; \
		exit 1; \
	fi

run: deps all
	@sh ops/run

test: deps
	@sh ops/test

test-unit: $(UNIT_TESTS) $(UNIT_SAN_TESTS)
	@sh ops/unit $(UNIT_TESTS) $(UNIT_SAN_TESTS)

test-cli: $(if $(CLI_SRC),$(BUILD)/tideover-stress)
	@if [ -f tests/cli/run.sh ]; then \
		sh tests/cli/run.sh $(BUILD)/tideover-stress; fi

test-api: all $(API_TESTS)
	@sh tests/api/run.sh $(API_TESTS)

# sql/schema.sql: the schema the migrations build, dumped by ops/schema
# from a throwaway cluster. Replaced only when the dump succeeds.
schema: deps
	@mkdir -p $(BUILD)
	@sh ops/schema >$(BUILD)/schema.sql
	@mv $(BUILD)/schema.sql sql/schema.sql
	@echo "tideover: sql/schema.sql regenerated; commit it with the migrations"

lint-api:
	@sh ops/lint-api

test-browser: all
	@sh tests/browser/run.sh

bench: deps all $(if $(wildcard tests/bench/*.c),$(BUILD)/bench-engine \
    $(BUILD)/bench-input)
	@if [ -f tests/bench/run.sh ]; then \
		sh tests/bench/run.sh $(BUILD)/bench-engine; fi
	@sh tests/bench/runs.sh
	@sh tests/bench/import.sh
	@sh tests/bench/create.sh
	@sh tests/bench/prepay.sh
	@sh tests/bench/schedule.sh
	@sh tests/bench/sizing.sh

# The fault test's long form (tests/fault/run.sh): each fault repeated,
# then the writes checked and a table of figures printed.
SOAK_ROUNDS ?= 10
soak: deps all
	@sh tests/fault/run.sh -soak $(SOAK_ROUNDS)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
