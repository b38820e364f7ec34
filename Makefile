# Convenience wrapper around CMake for the README's two commands.
#   make run    install missing packages, build, run the Four-Party scenario once,
#               then set that one history against 1,000 runs and the record
#   make test   install missing packages, build, run the whole suite, then again
#               under AddressSanitizer + UndefinedBehaviorSanitizer
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build
SAN_BUILD ?= build-sanitize

.PHONY: all deps deps-test build run test test-plain test-sanitize test-valgrind clean
.PHONY: fuzz-build fuzz fuzz-smoke test-fault lint

all: build

deps:
	@sh tools/install-deps.sh

deps-test:
	@sh tools/install-deps.sh --test

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

run: build
	./$(BUILD)/bin/parley run four-party-1997 --seed 1
	@echo
	@echo "One history is one draw. Over 1,000 runs, where the record falls (docs/MODEL.md 7.1):"
	./$(BUILD)/bin/parley calibrate four-party-1997 --check \
	    --patterns scenarios/patterns/four-party-1997.json

test: deps-test test-plain test-sanitize

test-plain:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

test-sanitize:
	@cmake -S . -B $(SAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang -DPARLEY_SANITIZE=ON >/dev/null
	@cmake --build $(SAN_BUILD) -j$(JOBS)
	cd $(SAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j$(JOBS)

# Every unit-test program under valgrind's memcheck; fails on any leak or error.
test-valgrind:
	@cmake -S . -B build-valgrind -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build build-valgrind -j$(JOBS)
	sh tools/valgrind-tests.sh build-valgrind

# Hostile input and failure (docs/ROBUSTNESS.md).
#   make fuzz TARGET=fuzz_scenario SECONDS=600   one libFuzzer target for a while
#   make fuzz-smoke                              every target, FUZZ_RUNS runs each (CI)
#   make test-fault                              the allocation-failure walk under ASan/LSan
#   make lint                                    clang-tidy and cppcheck on src/
FUZZ_BUILD ?= build-fuzz
FAULT_BUILD ?= build-fault
LINT_BUILD ?= build-lint
TARGET ?= fuzz_scenario
SECONDS ?= 600
FUZZ_RUNS ?= 3000

fuzz-build:
	@cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DPARLEY_FUZZ=ON >/dev/null
	@t=$$(cat $(FUZZ_BUILD)/fuzz/targets.txt); [ -z "$$t" ] || cmake --build $(FUZZ_BUILD) -j$(JOBS) --target $$t

fuzz: fuzz-build
	sh fuzz/run.sh $(FUZZ_BUILD) $(TARGET) -max_total_time=$(SECONDS)

fuzz-smoke: fuzz-build
	sh fuzz/run.sh $(FUZZ_BUILD) --smoke $(FUZZ_RUNS)

test-fault:
	@cmake -S . -B $(FAULT_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang -DPARLEY_SANITIZE=ON -DPARLEY_FAULT_INJECTION=ON >/dev/null
	@cmake --build $(FAULT_BUILD) -j$(JOBS) --target fault_walk
	cd $(FAULT_BUILD) && ctest --output-on-failure -L fault

lint:
	@sh tools/install-deps.sh --lint
	@cmake -S . -B $(LINT_BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
	run-clang-tidy -quiet -p $(LINT_BUILD) -j$(JOBS) '$(CURDIR)/src/'
	cppcheck --quiet --enable=warning,performance,portability --error-exitcode=1 --inline-suppr \
	  --std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc --suppress=missingIncludeSystem src

clean:
	rm -rf $(BUILD) $(SAN_BUILD) build-valgrind $(FUZZ_BUILD) $(FAULT_BUILD) $(LINT_BUILD)

# Sweeps on several processes (docs/SWEEPS.md, "Clusters"): the Open MPI build
# and its test (mpirun -n 2: the same database as 1 and 2 threads).
# `make bench-sweep` times 100,000 four-party runs on 1 and 2 threads.
MPI_BUILD ?= build-mpi
.PHONY: test-mpi bench-sweep
test-mpi: deps
	@sh tests/mpi/install-mpi.sh
	@cmake -S . -B $(MPI_BUILD) -DCMAKE_BUILD_TYPE=Release -DPARLEY_MPI=ON >/dev/null
	@cmake --build $(MPI_BUILD) -j$(JOBS)
	cd $(MPI_BUILD) && ctest --output-on-failure -L mpi

bench-sweep: build
	sh bench/sweep.sh $(BUILD)
