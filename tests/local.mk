# tests/local.mk - the C test suites (included by Makefile.am).

check_LTLIBRARIES = tests/libtestlib.la
tests_libtestlib_la_SOURCES = tests/testlib.c tests/testlib.h
tests_libtestlib_la_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)

TEST_LDADD = tests/libtestlib.la libsandbox.la $(CUNIT_LIBS)

check_PROGRAMS += tests/test-api
tests_test_api_SOURCES = tests/test-api.c
tests_test_api_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_test_api_LDADD = $(TEST_LDADD)

# Checks of the build itself.
TESTS += tests/header-c89.sh tests/symbols.sh tests/pkgconfig-example.sh
EXTRA_DIST += tests/header-c89.sh tests/symbols.sh tests/pkgconfig-example.sh
