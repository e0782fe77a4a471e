# tools/local.mk - the sbx tool (docs/design.md maps its files); included
# by Makefile.am.  fuzz/local.mk builds tools/run-options.c and
# tools/cli.c into the fuzzer of its options.

bin_PROGRAMS = sbx
sbx_SOURCES = \
	tools/cli.c \
	tools/cli.h \
	tools/doctor.c \
	tools/policy-cmd.c \
	tools/run.c \
	tools/run-options.c \
	tools/sbx.c \
	tools/tty.c
sbx_CPPFLAGS = $(AM_CPPFLAGS) $(JSONC_CFLAGS)
sbx_LDADD = libsandbox.la $(JSONC_LIBS)
if SANITIZERS
sbx_SOURCES += libsandbox/sanitizers.c libsandbox/sanitizers.h
endif

EXTRA_DIST += tools/install-deps tools/run-tests
