# libsandbox/policy.mk - policies, Landlock, the fallback ladder and the
# host probe (`sbx policy`, `sbx doctor`); included by Makefile.am.

LIBSANDBOX_SOURCES += \
	libsandbox/api-policy.c \
	libsandbox/docker-seccomp.c \
	libsandbox/etcmask.c \
	libsandbox/etcmask.h \
	libsandbox/explain.c \
	libsandbox/jsonpos.c \
	libsandbox/jsonpos.h \
	libsandbox/layers.c \
	libsandbox/layers.h \
	libsandbox/policy-load.c \
	libsandbox/policy-run.c \
	libsandbox/policy-show.c \
	libsandbox/policy.h \
	libsandbox/presets.c \
	libsandbox/probe.c \
	libsandbox/seccomp-policy.c
libsandbox_la_CFLAGS += $(JSONC_CFLAGS)
libsandbox_la_LIBADD += $(JSONC_LIBS)
libsandbox_testing_la_CFLAGS += $(JSONC_CFLAGS)
libsandbox_testing_la_LIBADD += $(JSONC_LIBS)

sbx_supervisor_SOURCES += \
	libsandbox/etcmask.c \
	libsandbox/layers.c \
	libsandbox/supervisor/degraded.c \
	libsandbox/supervisor/landlock.c \
	libsandbox/supervisor/layers.c \
	libsandbox/supervisor/probe.c \
	libsandbox/supervisor/sup-policy.h
sbx_supervisor_CFLAGS += $(JSONC_CFLAGS)
sbx_supervisor_LDADD += $(JSONC_LIBS)

sbx_SOURCES += \
	tools/cli.h \
	tools/doctor.c \
	tools/policy-cmd.c \
	tools/run-options.c
sbx_CPPFLAGS = $(AM_CPPFLAGS) $(JSONC_CFLAGS)
sbx_LDADD += $(JSONC_LIBS)

EXTRA_DIST += docs/policy.md

# ------------------------------------------------------------------ tests
# The helper the sandboxed attacks run (not a test itself).
noinst_PROGRAMS = tests/sbx-try
tests_sbx_try_SOURCES = tests/sbx-try.c
tests_sbx_try_CFLAGS = $(BASE_CFLAGS)
tests_sbx_try_LDFLAGS = $(BASE_LINK_FLAGS)

POLICY_TEST_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS) $(JSONC_CFLAGS)
POLICY_TEST_LDADD = $(TEST_LDADD) $(JSONC_LIBS) -lpthread

check_PROGRAMS += tests/test-policy tests/test-layers tests/test-ladder
tests_test_policy_SOURCES = tests/test-policy.c
tests_test_policy_CFLAGS = $(POLICY_TEST_CFLAGS) $(LIBSECCOMP_CFLAGS)
tests_test_policy_LDADD = $(POLICY_TEST_LDADD) $(LIBSECCOMP_LIBS)
tests_test_layers_SOURCES = tests/test-layers.c tests/nouserns.c \
	tests/nouserns.h
tests_test_layers_CFLAGS = $(POLICY_TEST_CFLAGS)
tests_test_layers_LDADD = $(POLICY_TEST_LDADD)
tests_test_ladder_SOURCES = tests/test-ladder.c tests/nouserns.c \
	tests/nouserns.h
tests_test_ladder_CFLAGS = $(POLICY_TEST_CFLAGS)
tests_test_ladder_LDADD = $(POLICY_TEST_LDADD)

TESTS += tests/cli-policy.sh
EXTRA_DIST += tests/cli-policy.sh tests/ladder-sysctl.sh
