# Thin wrapper around CMake so that the README's two commands work on a fresh Debian 12.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build
CMAKE_FLAGS ?=
# make install [PREFIX=/usr/local] [DESTDIR=/staging]
PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: all deps build install demo test test-real test-cluster test-asan test-tsan fuzz fuzz-check bench clean

all: build

deps:
	@sh scripts/deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMANRS_WERROR=ON $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# $(DESTDIR)$(PREFIX)/bin/manrs and $(DESTDIR)$(PREFIX)/share/man/man1/manrs.1
install: build
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

# The demo needs the manrs binary only: not the unit tests, fuzzers or benchmarks.
demo: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS) --target manrs
	sh scripts/demo.sh $(BUILD)/manrs demo

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# A whole real day of routing data against its reviewed verdicts (tests/real_day.sh):
# run once by .ci/run, not under the sanitizers.
test-real: build
	sh tests/real_day.sh $(BUILD)/manrs

# The store's tests against PostgreSQL (docs/store.md): a throw-away cluster in a
# temporary directory on 127.0.0.1 (tests/pg_cluster.sh), the unit tests of the
# store on both back-ends and the end-to-end comparison (tests/cli_store_pg.sh)
# with MANRS_PG_URL set; and the route events on NATS JetStream (docs/scale.md): a
# throw-away nats-server -js with its store in the same temporary directory
# (tests/nats_server.sh), tests/cli_feed_nats.sh with MANRS_NATS_URL set, after
# the PostgreSQL tests (not beside them: cli_store_pg times the API's latency); the
# distributed observatory (tests/cli_worker_nats.sh) needs both URLs; then the whole
# real day through it (tests/real_day_cluster.sh: observe's JSON byte for byte, a
# worker killed midway; skipped without ../shared/data). Both servers are stopped
# and removed even on failure.
PG_TESTS = test_store cli_store_pg
NATS_TESTS = cli_feed_nats cli_feed_live_nats cli_worker_nats
test-cluster: build
	@set -e; tmp=$$(mktemp -d /tmp/manrs-pg.XXXXXX); chmod 755 "$$tmp"; \
	trap 'sh $(CURDIR)/tests/nats_server.sh stop "$$tmp/nats"; sh $(CURDIR)/tests/pg_cluster.sh stop "$$tmp/pg"; rm -rf "$$tmp"' EXIT INT TERM; \
	url=$$(sh $(CURDIR)/tests/pg_cluster.sh start "$$tmp/pg"); echo "test-cluster: PostgreSQL at $$url"; \
	nats=$$(sh $(CURDIR)/tests/nats_server.sh start "$$tmp/nats"); echo "test-cluster: NATS JetStream at $$nats"; \
	cd $(BUILD) && MANRS_PG_URL="$$url" ctest --output-on-failure -j $(JOBS) -R '^($(subst $(eval) ,|,$(PG_TESTS)))$$' && \
	MANRS_NATS_URL="$$nats" MANRS_PG_URL="$$url" ctest --output-on-failure -j $(JOBS) -R '^($(subst $(eval) ,|,$(NATS_TESTS)))$$' && \
	MANRS_NATS_URL="$$nats" MANRS_PG_URL="$$url" sh $(CURDIR)/tests/real_day_cluster.sh $(CURDIR)/$(BUILD)/manrs

test-asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DMANRS_WERROR=ON -DMANRS_SANITIZE=ON
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		ctest --output-on-failure -j $(JOBS)

# The tests that run the helper threads (decompression ahead, RPSL parsing ahead,
# the monitor's delivery thread, the part steps of a split run in threads sharing
# one knowledge bundle as `manrs worker --threads` runs them), under ThreadSanitizer.
TSAN_TESTS = test_io test_irr_rpsl test_irr_data test_irr test_obs_split
test-tsan: deps
	cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMANRS_WERROR=ON -DMANRS_TSAN=ON
	cmake --build build-tsan -j $(JOBS) --target manrs $(TSAN_TESTS)
	cd build-tsan && TSAN_OPTIONS=halt_on_error=1:exitcode=66 \
		ctest --output-on-failure -j $(JOBS) -R '^(test_io|test_irr_rpsl|test_irr_data|test_irr|test_obs_split|cli_filter|cli_stats|cli_monitor)$$'

FUZZ_SECONDS ?= 60
fuzz: deps
	CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMANRS_FUZZ=ON
	cmake --build build-fuzz -j $(JOBS)
	sh fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

# Short seeded run of every target (run by .ci/run): fails on a crash or when a
# target's coverage is not above its floor in fuzz/floors.txt. Measured here: 72 s
# to build from scratch, 147 s to run (16 targets): under 4 min added to CI.
FUZZ_CHECK_SECONDS ?= 8
fuzz-check: deps
	CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMANRS_FUZZ=ON
	cmake --build build-fuzz -j $(JOBS)
	sh fuzz/run.sh build-fuzz $(FUZZ_CHECK_SECONDS) --check

bench: build
	sh bench/dump.sh

clean:
	rm -rf $(BUILD) build-asan build-tsan build-fuzz
