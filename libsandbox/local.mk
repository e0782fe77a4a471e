# libsandbox/local.mk - the library, libsandbox.so, and its copy for the
# unit tests; included by Makefile.am.  The supervisor's rules are in
# libsandbox/supervisor/local.mk.

include_HEADERS = include/sandbox.h
pkgconfig_DATA = pkgconfig/libsandbox.pc

# What the supervisor is built from too (libsandbox/supervisor/local.mk):
# the facts and the protocol the two must agree on.
LIBSANDBOX_SHARED_SOURCES = \
	libsandbox/etcmask.c \
	libsandbox/etcmask.h \
	libsandbox/layers.c \
	libsandbox/layers.h \
	libsandbox/layout.c \
	libsandbox/layout.h \
	libsandbox/limit-table.c \
	libsandbox/limit-table.h \
	libsandbox/path.c \
	libsandbox/path.h \
	libsandbox/trusted.c \
	libsandbox/trusted.h \
	libsandbox/wire.c \
	libsandbox/wire.h

LIBSANDBOX_SOURCES = \
	libsandbox/api.c \
	libsandbox/api-get.c \
	libsandbox/api-policy.c \
	libsandbox/docker-seccomp.c \
	libsandbox/duration.c \
	libsandbox/error.c \
	libsandbox/explain.c \
	libsandbox/hostinfo.c \
	libsandbox/internal.h \
	libsandbox/jsonpos.c \
	libsandbox/jsonpos.h \
	libsandbox/limit-parse.c \
	libsandbox/policy-load.c \
	libsandbox/policy-run.c \
	libsandbox/policy-show.c \
	libsandbox/policy-state.c \
	libsandbox/policy.h \
	libsandbox/presets.c \
	libsandbox/probe.c \
	libsandbox/result.c \
	libsandbox/seccomp.c \
	libsandbox/seccomp-policy.c \
	libsandbox/seccomp-rules.c \
	libsandbox/seccomp_rules.h \
	libsandbox/size.c \
	libsandbox/size.h \
	libsandbox/spawn.c \
	libsandbox/util.h \
	$(LIBSANDBOX_SHARED_SOURCES)
LIBSANDBOX_CFLAGS = $(AM_CFLAGS) $(LIBSECCOMP_CFLAGS) $(JSONC_CFLAGS)
LIBSANDBOX_LIBS = $(LIBSECCOMP_LIBS) -lpthread $(JSONC_LIBS)

lib_LTLIBRARIES = libsandbox.la
libsandbox_la_SOURCES = $(LIBSANDBOX_SOURCES)
libsandbox_la_CFLAGS = $(LIBSANDBOX_CFLAGS) -fvisibility=hidden
libsandbox_la_LIBADD = $(LIBSANDBOX_LIBS)
libsandbox_la_LDFLAGS = $(AM_LDFLAGS) -version-info $(LT_VERSION_INFO) \
	-Wl,--version-script=$(top_srcdir)/libsandbox/libsandbox.sym \
	-no-undefined
EXTRA_libsandbox_la_DEPENDENCIES = libsandbox/libsandbox.sym

# The same code with every internal symbol visible, for the unit tests.
noinst_LTLIBRARIES = libsandbox-testing.la
libsandbox_testing_la_SOURCES = $(LIBSANDBOX_SOURCES)
libsandbox_testing_la_CFLAGS = $(LIBSANDBOX_CFLAGS)
libsandbox_testing_la_LIBADD = $(LIBSANDBOX_LIBS)

EXTRA_DIST += libsandbox/libsandbox.sym
