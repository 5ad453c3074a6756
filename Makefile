# Thin wrapper over Meson build trees. Read this file for the real commands.
#   make demo   install missing packages (as root), build, generate the demo
#               office capture, analyse it, write the report under demo/
#   make check  ASan+UBSan build of everything, run every test suite
#   make bench  throughput and memory against Suricata on the large corpus
#   make fuzz   libFuzzer targets, for longer (FUZZ_SECONDS, default 300)
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 300
CHECK_FUZZ_SECONDS ?= 10
MESON_TEST = meson test --print-errorlogs --num-processes 2

.PHONY: all demo check bench bench-mail fuzz clean deps-demo deps-check install

all: $(BUILD)/build.ninja
	ninja -C $(BUILD) src/cli/mamori

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=release -Db_ndebug=if-release

deps-demo:
	@tools/deps.sh demo
deps-check:
	@tools/deps.sh check

demo: deps-demo all
	@tools/demo.sh $(BUILD)/src/cli/mamori demo

# The sanitizer build runs every suite; UBSan does not recover, so any
# undefined behaviour fails the test that hit it.
$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) --buildtype=debugoptimized -Dwerror=true \
	  -Db_sanitize=address,undefined -Db_lundef=false \
	  -Dc_args=-fno-sanitize-recover=all

check: deps-check $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)
	@rm -f $(ASAN_BUILD)/meson-logs/testlog.json $(FUZZ_BUILD)/meson-logs/testlog.json
	-ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  $(MESON_TEST) -C $(ASAN_BUILD)
	-@if tools/have-libfuzzer.sh; then \
	  $(MAKE) --no-print-directory $(FUZZ_BUILD)/build.ninja && \
	  meson configure $(FUZZ_BUILD) -Dfuzz_seconds=$(CHECK_FUZZ_SECONDS) >/dev/null && \
	  ninja -C $(FUZZ_BUILD) && $(MESON_TEST) -C $(FUZZ_BUILD) --suite fuzz; \
	else echo "clang's libFuzzer not found: fuzz targets ran over their corpus only"; fi
	@python3 tools/test-summary.py $(ASAN_BUILD)/meson-logs/testlog.json \
	  $(FUZZ_BUILD)/meson-logs/testlog.json

# mamori mail against the labelled mail in ../shared/data/mail (and rspamd
# side by side when it is installed): detection and false-positive rates.
bench-mail: all
	@python3 tools/bench-mail.py $(BUILD)/src/cli/mamori ../shared

# The binary, the systemd unit and the sample settings (DESTDIR honoured).
install: all
	meson install -C $(BUILD) --skip-subprojects

$(FUZZ_BUILD)/build.ninja:
	CC=clang meson setup $(FUZZ_BUILD) --buildtype=debugoptimized -Dfuzz=true \
	  -Db_sanitize=address,undefined -Db_lundef=false

fuzz: deps-check $(FUZZ_BUILD)/build.ninja
	meson configure $(FUZZ_BUILD) -Dfuzz_seconds=$(FUZZ_SECONDS)
	ninja -C $(FUZZ_BUILD)
	$(MESON_TEST) -C $(FUZZ_BUILD) --suite fuzz --timeout-multiplier 0

bench: all
	@tools/deps.sh bench
	bench/run.sh $(BUILD)/src/cli/mamori

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) demo
