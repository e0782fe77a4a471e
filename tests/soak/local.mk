# tests/soak/local.mk - `make soak`: many runs through the C API, the
# Python binding and the Node binding, and what they must not leave
# behind (tests/soak/run-soak).  Not part of `make check`: 10,000 runs
# take a while.  SOAK_RUNS=N for another count; tools/run-tests runs a
# short one.
EXTRA_PROGRAMS += tests/soak/soak
CLEANFILES += tests/soak/soak$(EXEEXT) tests/soak/soak-c.log \
	tests/soak/soak-python.log tests/soak/soak-node.log
tests_soak_soak_SOURCES = tests/soak/soak.c
tests_soak_soak_LDADD = libsandbox.la -lpthread
EXTRA_DIST += tests/soak/run-soak tests/soak/soak_python.py \
	tests/soak/soak.test.js

SOAK_RUNS = 10000
SOAK_AT_ONCE = 100
soak: all tests/soak/soak$(EXEEXT)
	@$(AM_TESTS_ENVIRONMENT) SOAK_RUNS='$(SOAK_RUNS)'; \
	SOAK_AT_ONCE='$(SOAK_AT_ONCE)'; export SOAK_RUNS SOAK_AT_ONCE; \
	$(SHELL) $(srcdir)/tests/soak/run-soak
