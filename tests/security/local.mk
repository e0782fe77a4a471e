# tests/security/local.mk - the attack suites of the security issue: one
# suite per hole, each test an attack judged from the host side (the host
# file's mode and owner, the device node, the caller's own budgets), each
# with a control that shows the attack works without the layer where that
# is safe to show.  Included by tests/local.mk; they link like the live
# suites (tests/live.h) and run as root and as an unprivileged user.

# Item 8 (and the apply's part of item 2): what the host runs or trusts in
# a writable workspace (.git/config, hooks, .envrc, ...) is withheld from
# the copy-on-write apply and read-only in live binds; directories keep
# their set-gid and sticky bits.
check_PROGRAMS += tests/security/test-sec-withheld
tests_security_test_sec_withheld_SOURCES = \
	tests/security/test-sec-withheld.c tests/nouserns.c tests/nouserns.h
tests_security_test_sec_withheld_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_security_test_sec_withheld_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS) \
	$(JSONC_CFLAGS)
tests_security_test_sec_withheld_LDADD = $(LIVE_LDADD) $(JSONC_LIBS)
