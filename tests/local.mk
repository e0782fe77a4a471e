# tests/local.mk - the C test suites (included by Makefile.am).

check_LTLIBRARIES += tests/libtestlib.la
tests_libtestlib_la_SOURCES = tests/testlib.c tests/testlib.h
tests_libtestlib_la_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)

TEST_LDADD = tests/libtestlib.la libsandbox.la $(CUNIT_LIBS)

check_PROGRAMS += tests/test-api
tests_test_api_SOURCES = tests/test-api.c
tests_test_api_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_test_api_LDADD = $(TEST_LDADD)

check_PROGRAMS += tests/test-cgroup
tests_test_cgroup_SOURCES = tests/test-cgroup.c \
	libsandbox/supervisor/cgroup.c libsandbox/supervisor/cgroup.h \
	libsandbox/supervisor/readfile.c libsandbox/supervisor/readfile.h
tests_test_cgroup_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/libsandbox/supervisor
tests_test_cgroup_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_test_cgroup_LDADD = $(TEST_LDADD)

# The supervisor's decoder of the configuration, on its own.
check_PROGRAMS += tests/test-config
tests_test_config_SOURCES = tests/test-config.c \
	libsandbox/supervisor/config.c libsandbox/layers.c libsandbox/wire.c \
	libsandbox/limit-table.c
tests_test_config_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/libsandbox/supervisor
tests_test_config_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_test_config_LDADD = tests/libtestlib.la libsandbox.la $(CUNIT_LIBS)

# The request for a delegated scope, against a fake systemd on libdbus.
check_PROGRAMS += tests/test-systemd
tests_test_systemd_SOURCES = tests/test-systemd.c \
	libsandbox/supervisor/systemd.c libsandbox/supervisor/systemd.h \
	libsandbox/supervisor/dbus.c libsandbox/supervisor/dbus.h \
	libsandbox/supervisor/readfile.c libsandbox/supervisor/readfile.h
tests_test_systemd_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/libsandbox/supervisor
tests_test_systemd_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_test_systemd_LDADD = $(TEST_LDADD)
EXTRA_DIST += tests/fake-systemd.py

check_PROGRAMS += tests/test-limits
tests_test_limits_SOURCES = tests/test-limits.c
tests_test_limits_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_test_limits_LDADD = $(TEST_LDADD)

# Policies, Landlock and the fallback ladder: test-ladder and test-layers
# disable user namespaces in a user namespace of their own (nouserns.c);
# ladder-sysctl.sh does it host-wide, run by tools/run-tests only.  The
# helper their sandboxes run is not a test itself.
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
EXTRA_DIST += tests/ladder-sysctl.sh

# The sbx tool: its policy options and commands and `sbx doctor`; its
# exit statuses against the documented ones.
TESTS += tests/cli-policy.sh tests/cli-exit.sh
EXTRA_DIST += tests/cli-policy.sh tests/cli-exit.sh

# Checks of the build itself.
TESTS += tests/header-c89.sh tests/symbols.sh tests/pkgconfig-example.sh \
	tests/valgrind-api.sh
EXTRA_DIST += tests/header-c89.sh tests/symbols.sh tests/pkgconfig-example.sh \
	tests/valgrind-api.sh tests/sanitizer-logs.sh

# The live suites: each test is an attack on one layer of the sandbox and
# fails if the attack works.  The helpers they bind into the sandbox are
# built for `make check` only, and are not tests themselves.
check_LTLIBRARIES += tests/liblive.la
tests_liblive_la_SOURCES = tests/live.c tests/live.h
tests_liblive_la_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS) \
	-DLIVE_HELPER_DIR=\"$(abs_top_builddir)/tests\"

LIVE_LDADD = tests/liblive.la $(TEST_LDADD)
LIVE_HELPERS = tests/try-syscall$(EXEEXT) tests/try-escape$(EXEEXT)
EXTRA_PROGRAMS += tests/try-syscall tests/try-escape
check_SCRIPTS += $(LIVE_HELPERS)
CLEANFILES += $(LIVE_HELPERS)
tests_try_syscall_SOURCES = tests/try-syscall.c tests/try-syscall.h \
	tests/try-syscall-i386.c tests/try-syscall-x32.c
tests_try_escape_SOURCES = tests/try-escape.c
# The helpers run inside the sandbox, where the ASan runtime of
# --enable-sanitizers has no place: it maps terabytes of shadow memory,
# which RLIMIT_DATA (memory without a cgroup) refuses, and it would add
# its own system calls and allocations to what the suites measure.  The
# sandbox, not the helper, is what those suites test.
tests_try_syscall_CFLAGS = $(BASE_CFLAGS)
tests_try_syscall_LDFLAGS = $(BASE_LINK_FLAGS)
tests_try_escape_CFLAGS = $(BASE_CFLAGS)
tests_try_escape_LDFLAGS = $(BASE_LINK_FLAGS)

check_PROGRAMS += tests/test-isolation tests/test-seccomp \
	tests/test-lifecycle tests/test-programs tests/test-faults
tests_test_faults_SOURCES = tests/test-faults.c
tests_test_faults_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_test_faults_LDADD = $(LIVE_LDADD)
tests_test_isolation_SOURCES = tests/test-isolation.c
tests_test_isolation_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_test_isolation_LDADD = $(LIVE_LDADD)
tests_test_seccomp_SOURCES = tests/test-seccomp.c
tests_test_seccomp_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_test_seccomp_LDADD = $(LIVE_LDADD)
tests_test_lifecycle_SOURCES = tests/test-lifecycle.c
tests_test_lifecycle_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_test_lifecycle_LDADD = $(LIVE_LDADD)
tests_test_programs_SOURCES = tests/test-programs.c
tests_test_programs_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_test_programs_LDADD = $(LIVE_LDADD)

# test-lifecycle and test-faults kill supervisors on purpose, which
# leaves a cgroup for the next run to collect; test-limits counts such
# leftovers around its 1,000 runs.  Under `make -j check` they must not
# overlap it.
# (Through a variable: automake would take the rule for its own.)
LIMITS_LOG = tests/test-limits.log
$(LIMITS_LOG): tests/test-lifecycle.log tests/test-faults.log

include tests/security/local.mk
include tests/soak/local.mk
include tests/vm/local.mk
