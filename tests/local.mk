# tests/local.mk - the C test suites (included by Makefile.am).

check_LTLIBRARIES = tests/libtestlib.la
tests_libtestlib_la_SOURCES = tests/testlib.c tests/testlib.h
tests_libtestlib_la_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)

TEST_LDADD = tests/libtestlib.la libsandbox.la $(CUNIT_LIBS)

check_PROGRAMS += tests/test-api
tests_test_api_SOURCES = tests/test-api.c
tests_test_api_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_test_api_LDADD = $(TEST_LDADD)

check_PROGRAMS += tests/test-cgroup
tests_test_cgroup_SOURCES = tests/test-cgroup.c \
	libsandbox/supervisor/cgroup.c libsandbox/supervisor/cgroup.h
tests_test_cgroup_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/libsandbox/supervisor
tests_test_cgroup_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_test_cgroup_LDADD = $(TEST_LDADD)

check_PROGRAMS += tests/test-limits
tests_test_limits_SOURCES = tests/test-limits.c
tests_test_limits_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_test_limits_LDADD = $(TEST_LDADD)

# Checks of the build itself.
TESTS += tests/header-c89.sh tests/symbols.sh tests/pkgconfig-example.sh \
	tests/valgrind-api.sh
EXTRA_DIST += tests/header-c89.sh tests/symbols.sh tests/pkgconfig-example.sh \
	tests/valgrind-api.sh
