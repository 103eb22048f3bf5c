# Installing (issue 15): `make install` / `make uninstall`, the man pages and
# shell completions generated from the program's own help, and ecometer.pc.
#
#   make install [PREFIX=/usr/local] [DESTDIR=/staging] [BINDIR=...] [LIBDIR=...]
#
# Every directory can be set on the command line; the defaults follow the GNU
# conventions, with LIBDIR multiarch where dpkg-architecture says so (Debian:
# /usr/local/lib/x86_64-linux-gnu is on the loader's path). The data tables are
# compiled into the binary, so none is installed or looked up at run time
# (ECOMETER_GPU_TABLE/CPU_TABLE/CARBON_TABLE name override files).
PREFIX     ?= /usr/local
MULTIARCH  ?= $(shell dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null)
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib$(if $(MULTIARCH),/$(MULTIARCH))
LIBEXECDIR ?= $(PREFIX)/libexec
INCLUDEDIR ?= $(PREFIX)/include
DATADIR    ?= $(PREFIX)/share
MANDIR     ?= $(DATADIR)/man
DOCDIR     ?= $(DATADIR)/doc/ecometer
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
PKGCONFIGDIR   ?= $(LIBDIR)/pkgconfig
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
BASHCOMPDIR    ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR     ?= $(DATADIR)/zsh/site-functions
PYTHON         ?= python3
# Where python3 looks for modules under PREFIX: Debian's dist-packages layout
# (/usr/lib/python3/dist-packages for /usr, /usr/local/lib/python3.X/dist-packages
# for /usr/local).
PYTHONDIR  ?= $(if $(filter /usr,$(PREFIX)),$(PREFIX)/lib/python3/dist-packages,$(PREFIX)/lib/python$(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')/dist-packages)

# serve and top run ecometer-full from here (src/cli/ui_exec.c also looks
# beside the binary and in ../libexec/ecometer, so a moved tree still works).
build/obj/src/cli/ui_exec.o: ECO_CFLAGS += -DECO_LIBEXECDIR='"$(LIBEXECDIR)/ecometer"'
build/obj/src/cli/ui_exec.o: build/install-dirs
# Rebuild ui_exec.o when LIBEXECDIR changes.
build/install-dirs: FORCE
	@mkdir -p build
	@echo '$(LIBEXECDIR)' | cmp -s - $@ || echo '$(LIBEXECDIR)' > $@

# Man pages and completions: tools/gen_docs.py runs `ecometer help CMD` for
# every command (the same text as --help), so they cannot drift from it.
DOC_STAMP = build/doc/.stamp
$(DOC_STAMP): build/ecometer build/ecometer-full tools/gen_docs.py $(wildcard tools/man/*.tsv) README.md
	rm -rf build/doc
	$(PYTHON) tools/gen_docs.py build/ecometer build/doc
	@touch $@

docs: $(DOC_STAMP)
all: docs

build/ecometer.pc: tools/ecometer.pc.in VERSION build/install-dirs-pc
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' $< > $@
build/install-dirs-pc: FORCE
	@mkdir -p build
	@echo '$(PREFIX) $(LIBDIR) $(INCLUDEDIR) $(BINDIR) $(DOCDIR)' | cmp -s - $@ || echo '$(PREFIX) $(LIBDIR) $(INCLUDEDIR) $(BINDIR) $(DOCDIR)' > $@

# The unit names the installed binary and docs.
build/ecometer.service: deploy/systemd/ecometer.service build/install-dirs-pc
	sed -e 's|/usr/local/bin/ecometer|$(BINDIR)/ecometer|' \
	    -e 's|file:///usr/local/share/doc/ecometer/|file://$(DOCDIR)/|' $< > $@

D = $(DESTDIR)
PY_FILES := $(notdir $(wildcard python/ecometer/*.py))

install: all build/ecometer.pc build/ecometer.service
	install -d $(D)$(BINDIR) $(D)$(LIBDIR) $(D)$(LIBEXECDIR)/ecometer $(D)$(INCLUDEDIR) \
	  $(D)$(PKGCONFIGDIR) $(D)$(MANDIR)/man1 $(D)$(DOCDIR) $(D)$(SYSTEMDUNITDIR) \
	  $(D)$(BASHCOMPDIR) $(D)$(ZSHCOMPDIR) $(D)$(PYTHONDIR)/ecometer
	install -m 755 build/ecometer $(D)$(BINDIR)/ecometer
	install -m 755 build/ecometer-full $(D)$(LIBEXECDIR)/ecometer/ecometer-full
	install -m 644 build/libecometer.a $(D)$(LIBDIR)/libecometer.a
	install -m 644 build/libecometer.so.$(VERSION) $(D)$(LIBDIR)/libecometer.so.$(VERSION)
	ln -sf libecometer.so.$(VERSION) $(D)$(LIBDIR)/libecometer.so.$(SO_MAJOR)
	ln -sf libecometer.so.$(SO_MAJOR) $(D)$(LIBDIR)/libecometer.so
	install -m 644 include/ecometer.h $(D)$(INCLUDEDIR)/ecometer.h
	install -m 644 build/ecometer.pc $(D)$(PKGCONFIGDIR)/ecometer.pc
	install -m 644 build/doc/man/*.1 $(D)$(MANDIR)/man1/
	install -m 644 build/doc/completion/ecometer.bash $(D)$(BASHCOMPDIR)/ecometer
	install -m 644 build/doc/completion/_ecometer $(D)$(ZSHCOMPDIR)/_ecometer
	install -m 644 build/ecometer.service $(D)$(SYSTEMDUNITDIR)/ecometer.service
	install -m 644 $(addprefix python/ecometer/,$(PY_FILES)) $(D)$(PYTHONDIR)/ecometer/
	install -m 644 README.md docs/*.md $(D)$(DOCDIR)/

# Removes exactly what install put there, then the directories that are
# ecometer's own; shared ones (bin, man1...) stay.
uninstall:
	rm -f $(D)$(BINDIR)/ecometer $(D)$(LIBEXECDIR)/ecometer/ecometer-full \
	  $(D)$(LIBDIR)/libecometer.a $(D)$(LIBDIR)/libecometer.so $(D)$(LIBDIR)/libecometer.so.$(SO_MAJOR) \
	  $(D)$(LIBDIR)/libecometer.so.$(VERSION) $(D)$(INCLUDEDIR)/ecometer.h $(D)$(PKGCONFIGDIR)/ecometer.pc \
	  $(D)$(BASHCOMPDIR)/ecometer $(D)$(ZSHCOMPDIR)/_ecometer $(D)$(SYSTEMDUNITDIR)/ecometer.service
	rm -f $(D)$(MANDIR)/man1/ecometer.1 $(D)$(MANDIR)/man1/ecometer-*.1
	rm -rf $(D)$(PYTHONDIR)/ecometer $(D)$(DOCDIR)
	rmdir $(D)$(LIBEXECDIR)/ecometer 2>/dev/null || true

.PHONY: install uninstall docs FORCE

# Objects are rebuilt when the compiler flags change (e.g. -fvisibility=hidden
# added to ECO_CFLAGS, or another CFLAGS): make alone only compares times, and
# a library built from stale objects would export every symbol. Expanded once
# here (:=), so ui_exec.o's own -DECO_LIBEXECDIR does not enter it.
ECO_FLAGS_SEEN := $(CC) $(ECO_CFLAGS) $(CPPFLAGS) $(CFLAGS)
build/flags: FORCE
	@mkdir -p build
	@echo '$(ECO_FLAGS_SEEN)' | cmp -s - $@ || echo '$(ECO_FLAGS_SEEN)' > $@
$(LIB_OBJ) $(CLI_OBJ) $(TEST_OBJ): build/flags
