# skyfence: `make run` and `make test` do everything on a fresh Debian 12 machine.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
CMAKE_ARGS ?=

.PHONY: all deps build run test test-release test-asan bench fuzz format lint clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_ARGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# The default job: the bundled default scenario (data/scenarios/default.toml); the command prints a
# summary and where the results are (results/ukraine-reliance/report.html).
run: build
	$(BUILD)/skyfence run

test: test-release test-asan

test-release: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

$(ASAN_BUILD)/build.ninja: | deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSKYFENCE_SANITIZE=ON \
	  -DSKYFENCE_BUILD_BENCH=OFF $(CMAKE_ARGS)

test-asan: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS)

bench: build
	@bash scripts/install-deps.sh --bench
	bash bench/run.sh $(BUILD)
	bash bench/visibility_bench.sh $(BUILD)
	bash bench/coverage_bench.sh $(BUILD) 20
	bash bench/route_bench.sh $(BUILD)
	bash bench/policy_bench.sh $(BUILD) 1000000 50000

# Fuzz every reader of outside input (policy, GeoJSON regions, audit log, TLE, OMM, sites, scenario,
# service models) for 60 s each, one after another (clang, libFuzzer, ASan+UBSan, in build-fuzz/); `make test`
# replays each corpus (a 5-s libFuzzer run of each target: -DSKYFENCE_FUZZ_SHORT_RUN=ON). docs/testing.md
# has more.
fuzz: deps
	bash fuzz/run.sh --seconds 60

format:
	clang-format -i $$(git ls-files '*.h' '*.cpp')

lint: build
	run-clang-tidy -quiet -extra-arg=-Wno-unknown-warning-option -p $(BUILD) $$(git ls-files 'src/*.cpp' 'apps/*.cpp') 

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
