# tests/security/local.mk - the attack suites of the security issue: one
# suite per hole, each test an attack judged from the host side (the host
# file's mode and owner, the device node, the caller's own budgets), each
# with a control that shows the attack works without the layer where that
# is safe to show.  Included by tests/local.mk; they link like the live
# suites (tests/live.h) and run as root and as an unprivileged user.

# The suites' headers (live.h, nouserns.h) are in tests/.
SEC_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests

# Set-id files, address families, the degraded filter (the seccomp part).
check_PROGRAMS += tests/security/test-sec-setid \
	tests/security/test-sec-sockets tests/security/test-sec-degraded
tests_security_test_sec_setid_SOURCES = tests/security/test-sec-setid.c
tests_security_test_sec_setid_CPPFLAGS = $(SEC_CPPFLAGS)
tests_security_test_sec_setid_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_security_test_sec_setid_LDADD = $(LIVE_LDADD)
tests_security_test_sec_sockets_SOURCES = tests/security/test-sec-sockets.c
tests_security_test_sec_sockets_CPPFLAGS = $(SEC_CPPFLAGS)
tests_security_test_sec_sockets_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_security_test_sec_sockets_LDADD = $(LIVE_LDADD)
# degraded runs: user namespaces disabled in a child (tests/nouserns.h)
tests_security_test_sec_degraded_SOURCES = \
	tests/security/test-sec-degraded.c tests/nouserns.c tests/nouserns.h
tests_security_test_sec_degraded_CPPFLAGS = $(SEC_CPPFLAGS)
tests_security_test_sec_degraded_CFLAGS = $(POLICY_TEST_CFLAGS)
tests_security_test_sec_degraded_LDADD = $(POLICY_TEST_LDADD)

check_PROGRAMS += tests/security/test-sec-ids
tests_security_test_sec_ids_SOURCES = tests/security/test-sec-ids.c \
	tests/nouserns.c tests/nouserns.h
tests_security_test_sec_ids_CPPFLAGS = $(SEC_CPPFLAGS)
tests_security_test_sec_ids_CFLAGS = $(POLICY_TEST_CFLAGS)
tests_security_test_sec_ids_LDADD = tests/liblive.la $(POLICY_TEST_LDADD)

# Item 8 (and the apply's part of item 2): what the host runs or trusts in
# a writable workspace (.git/config, hooks, .envrc, a HEAD over planted
# control files, ...) and symlinks out of it are withheld from the
# copy-on-write apply, and read-only at any depth of live binds;
# directories keep their set-gid and sticky bits, and nothing gains group
# or other write.
check_PROGRAMS += tests/security/test-sec-withheld
tests_security_test_sec_withheld_SOURCES = \
	tests/security/test-sec-withheld.c tests/nouserns.c tests/nouserns.h
tests_security_test_sec_withheld_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_security_test_sec_withheld_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS) \
	$(JSONC_CFLAGS)
tests_security_test_sec_withheld_LDADD = $(LIVE_LDADD) $(JSONC_LIBS)

# Item 3: the caller's standard streams (relayed, never handed over), the
# sandbox's own terminal, its devpts maximum, and `sbx run` in a terminal.
EXTRA_PROGRAMS += tests/security/try-stdio
tests_security_try_stdio_SOURCES = tests/security/try-stdio.c
tests_security_try_stdio_CFLAGS = $(BASE_CFLAGS)
tests_security_try_stdio_LDFLAGS = $(BASE_LINK_FLAGS)
check_SCRIPTS += tests/security/try-stdio$(EXEEXT)
CLEANFILES += tests/security/try-stdio$(EXEEXT)
check_PROGRAMS += tests/security/test-sec-stdio
tests_security_test_sec_stdio_SOURCES = tests/security/test-sec-stdio.c
tests_security_test_sec_stdio_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_security_test_sec_stdio_LDADD = $(LIVE_LDADD)

# The kernel's per-user budgets and the memory limit without a cgroup:
# a hostile helper bound into the sandbox.
SEC_HELPERS = tests/security/try-budget$(EXEEXT)
EXTRA_PROGRAMS += tests/security/try-budget
check_SCRIPTS += $(SEC_HELPERS)
CLEANFILES += $(SEC_HELPERS)
tests_security_try_budget_SOURCES = tests/security/try-budget.c
tests_security_try_budget_CFLAGS = $(BASE_CFLAGS)
tests_security_try_budget_LDFLAGS = $(BASE_LINK_FLAGS)

check_PROGRAMS += tests/security/test-sec-budgets tests/security/test-sec-memory
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

# Item 3 of the escapes issue: the regression suite of escapes other
# sandboxes fell to (docs/threat-model.md maps each to its test), with a
# helper of real attacks bound into the sandbox.
EXTRA_PROGRAMS += tests/security/try-attack
tests_security_try_attack_SOURCES = tests/security/try-attack.c
check_SCRIPTS += tests/security/try-attack$(EXEEXT)
CLEANFILES += tests/security/try-attack$(EXEEXT)
check_PROGRAMS += tests/security/test-sec-escapes
tests_security_test_sec_escapes_SOURCES = tests/security/test-sec-escapes.c
tests_security_test_sec_escapes_CPPFLAGS = $(SEC_CPPFLAGS)
tests_security_test_sec_escapes_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_security_test_sec_escapes_LDADD = $(LIVE_LDADD)

# Attacks on ABI 1.1's session (the apply's unapplied changes, ...).
check_PROGRAMS += tests/security/test-sec-new
tests_security_test_sec_new_SOURCES = tests/security/test-sec-new.c
tests_security_test_sec_new_CPPFLAGS = $(SEC_CPPFLAGS)
tests_security_test_sec_new_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_security_test_sec_new_LDADD = $(LIVE_LDADD)
