# Thin wrapper over CMake. `make` builds build/redflag (optimised);
# `make test` also builds build-asan/ (ASan + UBSan) and runs every test in
# both; `make run` serves the analyst page and the API on 127.0.0.1:8080.
MAKEFLAGS += --no-print-directory
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
DEPS_STAMP := build/.deps-ok

.PHONY: all deps build asan test run bench bench-scale bench-server bench-monitor format clean fuzz-build fuzz

all: build

$(DEPS_STAMP): scripts/install-deps.sh
	@./scripts/install-deps.sh
	@mkdir -p build && touch $@

deps: $(DEPS_STAMP)

build: $(DEPS_STAMP)
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build build -j$(JOBS)

asan: $(DEPS_STAMP)
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DRF_SANITIZE=ON -DRF_BUILD_BENCH=OFF >/dev/null
	@cmake --build build-asan -j$(JOBS)

test: build asan
	@cd build && ctest --output-on-failure -j$(JOBS)
	@cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j$(JOBS)

run: build
	@build/redflag serve --listen 127.0.0.1:8080 --store $${REDFLAG_STORE:-build/redflag.db}

bench: build
	@if [ -x build/bench/bench_match ]; then build/bench/bench_match; else echo "no benchmarks yet"; fi

bench-server: build
	@bench/server.sh build

# issue 7: 1,000,000 stored subjects recorded, then re-screened after a list
# update (~5 minutes; SUBJECTS=N for fewer)
bench-monitor: build
	@bench/monitor.sh build

# the same figures on a synthetic list of 1,000,000 entities (~2 minutes)
bench-scale: build
	@build/bench/bench_match --scale $${SCALE:-1000000}

# libFuzzer targets (clang, ASan + UBSan) in build-fuzz/fuzz_<name>; `make fuzz`
# runs each for FUZZ_SECONDS on a copy of its corpus (scripts/fuzz.sh)
FUZZ_SECONDS ?= 60
fuzz-build: $(DEPS_STAMP)
	@cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DRF_BUILD_FUZZ=ON \
		-DRF_BUILD_TESTS=OFF -DRF_BUILD_BENCH=OFF >/dev/null
	@cmake --build build-fuzz -j$(JOBS)

fuzz: fuzz-build
	@scripts/fuzz.sh build-fuzz $(FUZZ_SECONDS)

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build build-asan build-fuzz

# workforce screening: 1,000,000 synthetic workers with 20 logins each
# (WORKERS=N for another size; the 2.5 GiB file goes to /tmp and is removed)
.PHONY: bench-workers
bench-workers: build
	@build/bench/bench_workers --count $${WORKERS:-1000000}
