# entente: `make run` installs what is missing, builds, creates a demo
# database and serves; `make test` installs, builds and runs every test,
# then the whole suite again under AddressSanitizer and UBSan.
CC      ?= cc
PKGS    := jansson sqlite3 libpq libsodium libcmark libcurl libgit2 libical libarchive liboath libqrencode
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wno-format-nonliteral
CFLAGS  ?= -O2 -g
SYSCONFDIR ?= /etc
ALL_CFLAGS = -std=c17 -D_GNU_SOURCE $(WARN) -Isrc $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS) \
	     -DENTENTE_CONFIG_DEFAULT='"$(SYSCONFDIR)/entente/entente.conf"'
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDLIBS  = $(PKG_LIBS) -lpthread

SRC     := $(wildcard src/*.c src/*/*.c src/*/*/*.c)
HDR     := $(wildcard src/*/*.h src/*/*/*.h)
LIB_SRC := $(filter-out src/entente.c,$(SRC))
UNIT    := $(wildcard tests/unit/test_*.c)

DB      ?= var/entente.db
LISTEN  ?= 127.0.0.1:8080

.PHONY: all deps deps-test run test check bench load clean docs asan fuzz diff install deb FORCE

all: build/entente

deps:
	@sh scripts/deps.sh

deps-test:
	@sh scripts/deps.sh test

# ---- the two builds: plain and sanitized ----
build/obj/%.o: src/%.c $(HDR)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

build/asan/obj/%.o: src/%.c $(HDR)
	@mkdir -p $(dir $@)
	@echo "  CC asan $<"
	@$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -c $< -o $@

# the commit built, for /metrics (rewritten only when it changed; kept
# when there is no git, as in the package's copy of the tree)
build/gen/commit.h: FORCE
	@mkdir -p build/gen
	@c=$$(git describe --always --dirty --abbrev=7 2>/dev/null) || exit 0; \
	 echo "#define ENTENTE_COMMIT \"$$c\"" > $@.tmp; cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp
FORCE:
build/obj/http/watch.o build/asan/obj/http/watch.o: build/gen/commit.h
# the list of common passwords is part of the binary (issue 24)
build/obj/lib/pwpolicy.o build/asan/obj/lib/pwpolicy.o: data/common-passwords.txt
build/obj/http/watch.o build/asan/obj/http/watch.o: ALL_CFLAGS += -Ibuild/gen

build/entente: $(SRC:src/%.c=build/obj/%.o)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

build/asan/entente: $(SRC:src/%.c=build/asan/obj/%.o)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $^ $(LDLIBS)

build/tests/%: tests/unit/%.c $(LIB_SRC:src/%.c=build/obj/%.o)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -o $@ $^ $(LDLIBS) -lcmocka

build/asan/tests/%: tests/unit/%.c $(LIB_SRC:src/%.c=build/asan/obj/%.o)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -Itests -o $@ $^ $(LDLIBS) -lcmocka

HTTP    := $(wildcard tests/http/test_*.c)
CLIENT  := tests/http/client.c

build/tests/http_%: tests/http/%.c $(CLIENT) tests/http/client.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -o $@ $< $(CLIENT) $(LDLIBS) -lcmocka -lcurl

build/asan/tests/http_%: tests/http/%.c $(CLIENT) tests/http/client.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -Itests -o $@ $< $(CLIENT) $(LDLIBS) -lcmocka -lcurl

UNIT_BINS := $(UNIT:tests/unit/%.c=%)
API_BINS  := $(HTTP:tests/http/%.c=http_%)

asan: build/asan/entente $(addprefix build/asan/tests/,$(UNIT_BINS) $(API_BINS))

# ---- the two commands ----
run: deps
	@$(MAKE) --no-print-directory build/entente
	@mkdir -p $(dir $(DB))
	@if [ ! -f "$(DB)" ]; then ENTENTE_CONFIG= ./build/entente --db "$(DB)" init --demo --story; fi
	@echo "entente: serving http://$(LISTEN) (database $(DB)); stop with Ctrl-C"
	@ENTENTE_CONFIG= ./build/entente --db "$(DB)" serve --listen "$(LISTEN)" --insecure-cookie --migrate

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

test: deps-test
	@if [ -f package-lock.json ]; then $(MAKE) --no-print-directory node_modules/.package-lock.json; fi
	@$(MAKE) --no-print-directory build/entente $(addprefix build/tests/,$(UNIT_BINS) $(API_BINS))
	@$(MAKE) --no-print-directory asan
	@if command -v clang >/dev/null 2>&1; then $(MAKE) --no-print-directory $(FUZZ_BINS); fi
	@sh tests/run.sh

docs: build/entente
	./build/entente openapi > docs/openapi.json
	./build/entente help --man > docs/entente.1
	ENTENTE_CONFIG= ./build/entente config --man > docs/entente.conf.5
	ENTENTE_CONFIG= ./build/entente config --example > docs/entente.conf

# ---- install (issue 23): PREFIX and DESTDIR as usual; the configuration
# in SYSCONFDIR (compiled into the binary as its default file) ----
PREFIX     ?= /usr/local
BINDIR     := $(PREFIX)/bin
DATADIR    := $(PREFIX)/share/entente
MANDIR     := $(PREFIX)/share/man
DOCDIR     := $(PREFIX)/share/doc/entente
UNITDIR    ?= $(if $(filter /usr,$(PREFIX)),/lib/systemd/system,$(PREFIX)/lib/systemd/system)

install: build/entente
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/web $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(SYSCONFDIR)/entente $(DESTDIR)$(UNITDIR)
	install -m 0755 build/entente $(DESTDIR)$(BINDIR)/entente
	cd web && find . -type d -exec install -d $(DESTDIR)$(DATADIR)/web/{} \; && \
		find . -type f -exec install -m 0644 {} $(DESTDIR)$(DATADIR)/web/{} \;
	ENTENTE_CONFIG= ./build/entente help --man > $(DESTDIR)$(MANDIR)/man1/entente.1
	ENTENTE_CONFIG= ./build/entente config --man > $(DESTDIR)$(MANDIR)/man5/entente.conf.5
	chmod 0644 $(DESTDIR)$(MANDIR)/man1/entente.1 $(DESTDIR)$(MANDIR)/man5/entente.conf.5
	sed 's|/usr/share/entente|$(DATADIR)|' docs/entente.conf > build/entente.conf
	install -m 0644 build/entente.conf $(DESTDIR)$(SYSCONFDIR)/entente/entente.conf
	sed 's|@BINDIR@|$(BINDIR)|g' dist/entente.service > build/entente.service
	install -m 0644 build/entente.service $(DESTDIR)$(UNITDIR)/entente.service
	install -m 0644 docs/nginx.conf $(DESTDIR)$(DOCDIR)/examples/nginx.conf
	install -m 0644 README.md $(DESTDIR)$(DOCDIR)/README.md

# The Debian package, from a copy of the tree (build/deb/entente-VERSION):
# build/deb/entente_VERSION_ARCH.deb, checked by lintian in make test.
deb: build/entente build/gen/commit.h
	@sh scripts/deps.sh deb
	rm -rf build/deb && mkdir -p build/deb/src
	tar -c --exclude=./build --exclude=./node_modules --exclude=./.git --exclude=./var . | tar -x -C build/deb/src
	mkdir -p build/deb/src/build/gen && cp build/gen/commit.h build/deb/src/build/gen/
	cd build/deb/src && dpkg-buildpackage -b -us -uc --no-sign >../build.log 2>&1 || { tail -n 30 ../build.log; exit 1; }
	@ls build/deb/*.deb

# make bench SCALE=1 also seeds 10,000 WRs, 1,000 people and 1,000,000
# votes through the one door and measures the lists at that size;
# make bench GROWTH=1 seeds two sizes 10x apart and prints each figure's
# growth (issue 27; GROWTH=0.1 for a quick run).
bench: build/entente
	@sh scripts/deps.sh bench
	@sh bench/run.sh
	@if [ -n "$(SCALE)" ]; then SCALE=$(SCALE) sh bench/scale.sh; fi
	@if [ -n "$(GROWTH)" ]; then GROWTH=$(GROWTH) sh bench/growth.sh; fi

# A normal client's figures under slow-loris and connection bursts (loopback).
load: deps-test build/entente
	@sh bench/load.sh

# Bounded fuzzing runs (clang's libFuzzer): fuzz_body over the request-body
# parsers, fuzz_wire over the HTTP framing (corpus in tests/fuzz/corpus-wire),
# fuzz_conn over the connection's reading half with the stream cut anywhere
# (corpus in tests/fuzz/corpus-conn). make test runs each for a bounded
# time; make fuzz FUZZ_SECONDS=600 for a long run.
FUZZ_SECONDS ?= 20
FUZZ_BINS := build/fuzz/fuzz_body build/fuzz/fuzz_wire build/fuzz/fuzz_conn
build/fuzz/%: tests/fuzz/%.c $(LIB_SRC)
	@mkdir -p $(dir $@)
	clang -std=c17 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Isrc $(PKG_CFLAGS) -o $@ $^ $(PKG_LIBS) -lpthread

fuzz: $(FUZZ_BINS)
	@mkdir -p build/fuzz/corpus build/fuzz/corpus-wire
	./build/fuzz/fuzz_body -max_total_time=$(FUZZ_SECONDS) -max_len=4096 build/fuzz/corpus tests/fuzz/corpus
	./build/fuzz/fuzz_wire -max_total_time=$(FUZZ_SECONDS) -max_len=4096 build/fuzz/corpus-wire tests/fuzz/corpus-wire
	@mkdir -p build/fuzz/corpus-conn
	./build/fuzz/fuzz_conn -max_total_time=$(FUZZ_SECONDS) -max_len=8192 build/fuzz/corpus-conn tests/fuzz/corpus-conn

# The HTTP framing against a reference parser (h11) on tests/diff/corpus.
diff: deps-test
	@sh tests/diff/run.sh

clean:
	rm -rf build
