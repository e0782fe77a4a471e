# tests/security/local.mk - the attack suites of the security issue: one
# suite per hole, each test an attack judged from the host side (the host
# file's mode and owner, the device node, the caller's own budgets), each
# with a control that shows the attack works without the layer where that
# is safe to show.  Included by tests/local.mk; they link like the live
# suites (tests/live.h) and run as root and as an unprivileged user.

# The kernel's per-user budgets and the memory limit without a cgroup:
# a hostile helper bound into the sandbox.
SEC_HELPERS = tests/security/try-budget$(EXEEXT)
EXTRA_PROGRAMS += tests/security/try-budget
check_SCRIPTS += $(SEC_HELPERS)
CLEANFILES += $(SEC_HELPERS)
tests_security_try_budget_SOURCES = tests/security/try-budget.c

check_PROGRAMS += tests/security/test-sec-budgets tests/security/test-sec-memory
SEC_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_security_test_sec_budgets_CPPFLAGS = $(SEC_CPPFLAGS)
tests_security_test_sec_memory_CPPFLAGS = $(SEC_CPPFLAGS)
tests_security_test_sec_budgets_SOURCES = tests/security/test-sec-budgets.c \
	tests/nouserns.c tests/nouserns.h
tests_security_test_sec_budgets_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS) \
	$(JSONC_CFLAGS)
tests_security_test_sec_budgets_LDADD = $(LIVE_LDADD) $(JSONC_LIBS)
tests_security_test_sec_memory_SOURCES = tests/security/test-sec-memory.c \
	tests/nouserns.c tests/nouserns.h
tests_security_test_sec_memory_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS) \
	$(JSONC_CFLAGS)
tests_security_test_sec_memory_LDADD = $(LIVE_LDADD) $(JSONC_LIBS)
