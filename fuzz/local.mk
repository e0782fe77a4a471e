# fuzz/local.mk - `make fuzz`: libFuzzer harnesses of every parser of
# outside input, built with clang (-fsanitize=fuzzer,address,undefined)
# apart from the rest of the build, and run FUZZ_TIME seconds each from a
# scratch copy of the seed corpus fuzz/corpus/NAME (fuzz/run.sh).
# Included by Makefile.am.  Pure parsing: no harness runs a sandbox.

FUZZ_CC = clang
FUZZ_TIME = 60
FUZZ_HARNESSES = policy size duration cli config result
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CPPFLAGS = -include $(abs_top_builddir)/config.h \
	-I$(abs_top_srcdir)/include -I$(abs_top_srcdir)/libsandbox \
	-I$(abs_top_srcdir)/libsandbox/supervisor -I$(abs_top_srcdir)/tools \
	-DLIBEXECDIR=\"$(libexecdir)\" $(JSONC_CFLAGS) $(LIBSECCOMP_CFLAGS)
FUZZ_CFLAGS = -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN)
FUZZ_LIBS = $(JSONC_LIBS) $(LIBSECCOMP_LIBS) -lpthread
FUZZ_TARGETS = $(FUZZ_HARNESSES:%=fuzz/fuzz-%)
FUZZ_LINK = $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_CPPFLAGS)

# The library, once, with coverage for the fuzzer but not its main.
fuzz/libsandbox-fuzz.a: $(LIBSANDBOX_SOURCES) include/sandbox.h
	$(AM_V_GEN)rm -rf fuzz/obj && $(MKDIR_P) fuzz/obj && \
	for f in $(LIBSANDBOX_SOURCES); do \
		case $$f in *.c) ;; *) continue ;; esac; \
		$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link \
			$(FUZZ_CPPFLAGS) -c $(abs_top_srcdir)/$$f \
			-o fuzz/obj/`echo $$f | tr / _`.o || exit 1; \
	done && rm -f $@ && $(AR) rcs $@ fuzz/obj/*.o

fuzz/fuzz-policy: fuzz/fuzz-policy.c fuzz/libsandbox-fuzz.a
	$(AM_V_GEN)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz-policy.c \
		fuzz/libsandbox-fuzz.a $(FUZZ_LIBS) -o $@
fuzz/fuzz-result: fuzz/fuzz-result.c fuzz/libsandbox-fuzz.a
	$(AM_V_GEN)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz-result.c \
		fuzz/libsandbox-fuzz.a $(FUZZ_LIBS) -o $@
fuzz/fuzz-cli: fuzz/fuzz-cli.c tools/run-options.c tools/cli.c tools/cli.h \
		fuzz/libsandbox-fuzz.a
	$(AM_V_GEN)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz-cli.c \
		$(srcdir)/tools/run-options.c $(srcdir)/tools/cli.c \
		fuzz/libsandbox-fuzz.a $(FUZZ_LIBS) -o $@
fuzz/fuzz-size: fuzz/fuzz-size.c libsandbox/size.c libsandbox/size.h
	$(AM_V_GEN)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz-size.c \
		$(srcdir)/libsandbox/size.c -o $@
fuzz/fuzz-duration: fuzz/fuzz-duration.c libsandbox/duration.c \
		libsandbox/error.c
	$(AM_V_GEN)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz-duration.c \
		$(srcdir)/libsandbox/duration.c $(srcdir)/libsandbox/error.c \
		-o $@
fuzz/fuzz-config: fuzz/fuzz-config.c libsandbox/supervisor/config.c \
		libsandbox/supervisor/sup.h libsandbox/wire.c libsandbox/wire.h \
		libsandbox/layers.c libsandbox/limit-table.c libsandbox/limit-table.h
	$(AM_V_GEN)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz-config.c \
		$(srcdir)/libsandbox/supervisor/config.c \
		$(srcdir)/libsandbox/wire.c $(srcdir)/libsandbox/layers.c \
		$(srcdir)/libsandbox/limit-table.c -o $@

fuzz-build: $(FUZZ_TARGETS)
fuzz-force:

# Skips, with the reason, where clang's fuzzer runtime is missing.  (fuzz
# is a directory too: always out of date, through a target that never
# exists.)
fuzz: fuzz-force
	@FUZZ_CC='$(FUZZ_CC)' FUZZ_TIME='$(FUZZ_TIME)' MAKE='$(MAKE)' \
		$(SHELL) $(srcdir)/fuzz/run.sh $(srcdir) $(FUZZ_HARNESSES)

CLEANFILES += $(FUZZ_TARGETS) fuzz/libsandbox-fuzz.a
# removed by mostlyclean-local (Makefile.am)
FUZZ_CLEAN_DIRS = fuzz/obj fuzz/logs fuzz/artifacts
EXTRA_DIST += fuzz/local.mk fuzz/run.sh fuzz/corpus \
	$(FUZZ_HARNESSES:%=fuzz/fuzz-%.c)
