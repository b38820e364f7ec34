# Convenience wrapper around CMake for the README's two commands.
#   make run    install missing packages, build, run the Four-Party scenario
#   make test   install missing packages, build, run the whole suite, then again
#               under AddressSanitizer + UndefinedBehaviorSanitizer
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build
SAN_BUILD ?= build-sanitize

.PHONY: all deps deps-test build run test test-plain test-sanitize test-valgrind clean

all: build

deps:
	@sh tools/install-deps.sh

deps-test:
	@sh tools/install-deps.sh --test

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

run: build
	./$(BUILD)/bin/parley show four-party-1997

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

clean:
	rm -rf $(BUILD) $(SAN_BUILD) build-valgrind
