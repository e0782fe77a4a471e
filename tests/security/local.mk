# tests/security/local.mk - the attack suites of the security issue: one
# suite per hole, each test an attack judged from the host side (the host
# file's mode and owner, the device node, the caller's own budgets), each
# with a control that shows the attack works without the layer where that
# is safe to show.  Included by tests/local.mk; they link like the live
# suites (tests/live.h) and run as root and as an unprivileged user.

check_PROGRAMS += tests/security/test-sec-ids
tests_security_test_sec_ids_SOURCES = tests/security/test-sec-ids.c
tests_security_test_sec_ids_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_security_test_sec_ids_LDADD = $(LIVE_LDADD)
