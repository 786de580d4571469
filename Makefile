# cinetty - one Makefile, no generator.
#
#   make              build libcinetty.a, cinetty, cinettyd
#   make check        install missing packages, build with -Werror, start a
#                     throwaway PostgreSQL + Redis, run every test, stop them
#   make demo         the same stack under ./var, migrated and seeded, and
#                     cinettyd on 127.0.0.1:2222
#   make SANITIZE=1 check   the same with AddressSanitizer + UBSan
#   make install PREFIX=/usr/local DESTDIR=

PREFIX	?= /usr/local
DESTDIR	?=
SHAREDIR = $(PREFIX)/share/cinetty

PKGS	= libpq hiredis libssh libargon2 ncursesw
CC	?= cc
CFLAGS	?= -O2 -g
WARN	= -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	  -Wformat=2
ifeq ($(WERROR),1)
WARN	+= -Werror
endif
ifeq ($(SANITIZE),1)
BUILD	?= build-san
CFLAGS	+= -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined
LDFLAGS	+= -fsanitize=address,undefined
else
BUILD	?= build
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
QR_LIBS    := $(shell pkg-config --libs libqrencode 2>/dev/null)
QR_CFLAGS  := $(if $(QR_LIBS),-DHAVE_QRENCODE $(shell pkg-config --cflags libqrencode))
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

CPPFLAGS += -D_GNU_SOURCE -Icore -Itui -DCNT_SHAREDIR='"$(SHAREDIR)"' \
	    $(PKG_CFLAGS) $(QR_CFLAGS)
ALL_CFLAGS = $(CFLAGS) $(WARN) -MMD -MP

CORE_SRC  = $(wildcard core/*.c)
APP_SRC   = $(filter-out tui/sshd%.c tui/cli%.c,$(wildcard tui/*.c))
CLI_SRC   = $(wildcard tui/cli*.c)
SSHD_SRC  = $(wildcard tui/sshd*.c)
TEST_SRC  = $(wildcard tests/unit/test-*.c tests/integration/test-*.c)

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))

LIBCORE	= $(BUILD)/libcinetty.a
LIBAPP	= $(BUILD)/libcinetty-app.a
CINETTY	= $(BUILD)/cinetty
CINETTYD = $(BUILD)/cinettyd
TESTS	= $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))
LIBS	= $(LIBAPP) $(LIBCORE) $(PKG_LIBS) $(QR_LIBS) -lutil -lpthread -lm

PROGS	= $(CINETTY) $(if $(SSHD_SRC),$(CINETTYD))

.PHONY: all tests bench check check-cluster check-faults check-full fuzz valgrind demo deps install uninstall clean
all: $(LIBCORE) $(PROGS)

# Short lines unless V=1.
ifneq ($(V),1)
Q = @
E = @echo
else
E = @:
endif

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(E) "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(LIBCORE): $(call obj,$(CORE_SRC))
	@mkdir -p $(@D)
	$(E) "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIBAPP): $(call obj,$(APP_SRC))
	@mkdir -p $(@D)
	$(E) "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(CINETTY): $(call obj,$(CLI_SRC)) $(LIBAPP) $(LIBCORE)
	$(E) "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $(call obj,$(CLI_SRC)) $(LIBS)

# cinettyd binds every symbol at start (-z now): each forked connection
# would otherwise resolve its first calls again, copying pages (sshd.c).
$(CINETTYD): $(call obj,$(SSHD_SRC)) $(LIBAPP) $(LIBCORE)
	$(E) "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -Wl,-z,now -o $@ $(call obj,$(SSHD_SRC)) $(LIBS)

$(BUILD)/tests/%: tests/%.c tests/testlib.h $(LIBAPP) $(LIBCORE)
	@mkdir -p $(@D)
	$(E) "  TEST    $@"
	$(Q)$(CC) $(CPPFLAGS) -Itests $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS) $(CMOCKA_LIBS)

# Helper programs of the end-to-end scripts (tests/e2e/*.c, not run alone).
E2E_PROGS = $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/e2e/*.c))

tests: all $(TESTS) $(E2E_PROGS)

# Benchmarks: programs tests/bench/bench-*.c, driven by tests/bench/run.sh.
BENCH_SRC = $(wildcard tests/bench/bench-*.c)
BENCHES	  = $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))

$(BUILD)/bench/%: tests/bench/%.c $(LIBAPP) $(LIBCORE)
	@mkdir -p $(@D)
	$(E) "  BENCH   $@"
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS)

bench: deps
	$(MAKE) all $(BENCHES)
	BUILD=$(BUILD) sh tests/bench/run.sh

deps:
	@sh contrib/deps.sh

# The test command of the README: everything, on a throwaway stack.
check: deps
	$(MAKE) WERROR=1 tests
	BUILD=$(BUILD) sh tests/run.sh

# Everything of check, then the sanitizer build's tests and the fuzzers.
check-full: check
	$(MAKE) SANITIZE=1 WERROR=1 tests
	BUILD=build-san sh tests/run.sh
	$(MAKE) fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)
	$(MAKE) check-faults

# Fault injection (tests/fault/fault-*.sh): each on its own throwaway stack,
# with the load program tests/fault/fault-load.c.
FAULT_SRC = $(wildcard tests/fault/fault-*.c)
FAULTS	  = $(patsubst tests/fault/%.c,$(BUILD)/fault/%,$(FAULT_SRC))

$(BUILD)/fault/%: tests/fault/%.c $(LIBAPP) $(LIBCORE)
	@mkdir -p $(@D)
	$(E) "  FAULT   $@"
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS)

check-faults: deps
	$(MAKE) WERROR=1 all $(FAULTS)
	BUILD=$(BUILD) sh tests/fault/run.sh

# The unit and integration programs under valgrind: memory errors and
# definite leaks fail them (tests/run.sh VALGRIND=1).
valgrind: deps
	$(MAKE) WERROR=1 tests
	BUILD=$(BUILD) VALGRIND=1 sh tests/run.sh

# Two nodes behind haproxy, pgbouncer, one Redis (contrib/cluster).
check-cluster: deps
	$(MAKE) WERROR=1 all
	BUILD=$(BUILD) sh tests/cluster/test-cluster.sh

demo: deps
	$(MAKE) all
	@sh contrib/demo.sh $(BUILD)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/sbin \
	    $(DESTDIR)$(SHAREDIR)/db $(DESTDIR)$(SHAREDIR)/seed/theatres \
	    $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5 \
	    $(DESTDIR)$(PREFIX)/share/man/man7 $(DESTDIR)$(PREFIX)/share/man/man8
	install -m 755 $(CINETTY) $(DESTDIR)$(PREFIX)/bin/cinetty
	$(if $(SSHD_SRC),install -m 755 $(CINETTYD) $(DESTDIR)$(PREFIX)/sbin/cinettyd)
	install -m 644 db/*.sql $(DESTDIR)$(SHAREDIR)/db
	install -m 644 seed/*.* $(DESTDIR)$(SHAREDIR)/seed
	install -m 644 seed/theatres/* $(DESTDIR)$(SHAREDIR)/seed/theatres
	for f in man/*.[1-8]; do [ -f "$$f" ] || continue; \
	    s=$${f##*.}; install -m 644 $$f $(DESTDIR)$(PREFIX)/share/man/man$$s; done
	install -d $(DESTDIR)$(PREFIX)/share/doc/cinetty
	install -m 644 contrib/cinetty.conf.example contrib/systemd/*.service \
	    $(DESTDIR)$(PREFIX)/share/doc/cinetty

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/cinetty $(DESTDIR)$(PREFIX)/sbin/cinettyd
	rm -rf $(DESTDIR)$(SHAREDIR) $(DESTDIR)$(PREFIX)/share/doc/cinetty
	for f in man/*.[1-8]; do [ -f "$$f" ] || continue; s=$${f##*.}; \
	    rm -f $(DESTDIR)$(PREFIX)/share/man/man$$s/$${f##*/}; done

clean:
	rm -rf build build-san build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# libFuzzer targets (clang): tests/fuzz/fuzz-NAME.c, each run for
# FUZZ_SECONDS over its committed corpus tests/fuzz/corpus/NAME. The code
# under test is compiled once into build-fuzz/libfuzz.a (instrumented for
# coverage, ASan and UBSan) and linked into every target.
FUZZ_SRC     = $(wildcard tests/fuzz/fuzz-*.c)
FUZZ_BIN     = $(patsubst tests/fuzz/%.c,build-fuzz/%,$(FUZZ_SRC))
FUZZ_SECONDS ?= 30
FUZZ_CFLAGS  = -g -O1 -fsanitize=address,undefined -D_GNU_SOURCE \
	       -Icore -Itui $(PKG_CFLAGS) $(QR_CFLAGS)
FUZZ_OBJ     = $(patsubst %.c,build-fuzz/obj/%.o,$(CORE_SRC) $(APP_SRC))

build-fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	$(E) "  CC      $@"
	$(Q)clang-14 $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP \
	    -c $< -o $@

build-fuzz/libfuzz.a: $(FUZZ_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

build-fuzz/fuzz-%: tests/fuzz/fuzz-%.c build-fuzz/libfuzz.a
	$(E) "  FUZZ    $@"
	$(Q)clang-14 $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< \
	    build-fuzz/libfuzz.a $(PKG_LIBS) $(QR_LIBS) -lutil -lpthread -lm

fuzz: $(FUZZ_BIN)
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BIN)

-include $(shell find build-fuzz/obj -name '*.d' 2>/dev/null)
