# tests/security/local.mk - the attack suites of the security issue: one
# suite per hole, each test an attack judged from the host side (the host
# file's mode and owner, the device node, the caller's own budgets), each
# with a control that shows the attack works without the layer where that
# is safe to show.  Included by tests/local.mk; they link like the live
# suites (tests/live.h) and run as root and as an unprivileged user.

# Item 3: the caller's standard streams (relayed, never handed over), the
# sandbox's own terminal, its devpts maximum, and `sbx run` in a terminal.
EXTRA_PROGRAMS += tests/security/try-stdio
tests_security_try_stdio_SOURCES = tests/security/try-stdio.c
check_SCRIPTS += tests/security/try-stdio$(EXEEXT)
CLEANFILES += tests/security/try-stdio$(EXEEXT)
check_PROGRAMS += tests/security/test-sec-stdio
tests_security_test_sec_stdio_SOURCES = tests/security/test-sec-stdio.c
tests_security_test_sec_stdio_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_security_test_sec_stdio_LDADD = $(LIVE_LDADD)
