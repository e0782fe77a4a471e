# bindings/python/local.mk - build, install and test the Python binding
# (included by Makefile.am).
#
# The package `sandbox' is the hand-written sandbox/*.py on top of the
# generated flat module sandbox._sandbox (a libtool module named with the
# interpreter's extension suffix).  Both are installed into
# $(pyexecdir)/sandbox, which python.m4 points at the site-packages of the
# Python that configure found.

PYPKG_MODULES = \
	bindings/python/sandbox/__init__.py \
	bindings/python/sandbox/_aio.py \
	bindings/python/sandbox/_config.py \
	bindings/python/sandbox/_errors.py \
	bindings/python/sandbox/_exec.py \
	bindings/python/sandbox/_result.py \
	bindings/python/sandbox/_run.py
PYPKG_EXTRAS = \
	bindings/python/sandbox/_sandbox.pyi \
	bindings/python/sandbox/py.typed
PY_TEST_FILES = \
	bindings/python/tests/run-tests.sh \
	bindings/python/tests/runtests.py \
	bindings/python/tests/helpers.py \
	bindings/python/tests/test_api.py \
	bindings/python/tests/test_async.py \
	bindings/python/tests/test_example.py \
	bindings/python/tests/test_isolation.py \
	bindings/python/tests/test_options.py \
	bindings/python/tests/test_policy.py \
	bindings/python/tests/nouserns.py \
	bindings/python/tests/test_soak.py \
	bindings/python/tests/test_subprocess_parity.py \
	bindings/python/tests/test_threads.py \
	bindings/python/tests/test_typing.py

EXTRA_DIST += \
	bindings/python/python.m4 \
	bindings/python/sandbox_python.i \
	$(PYPKG_MODULES) \
	$(PYPKG_EXTRAS) \
	$(PY_TEST_FILES) \
	examples/python/agent_loop.py

if BUILD_PYTHON
sandboxpyexecdir = $(pyexecdir)/sandbox
sandboxpyexec_LTLIBRARIES = bindings/python/_sandbox.la
sandboxpyexec_PYTHON = $(PYPKG_MODULES)
sandboxpyexec_DATA = $(PYPKG_EXTRAS)

nodist_bindings_python__sandbox_la_SOURCES = bindings/python/sandbox_wrap.c
bindings_python__sandbox_la_CPPFLAGS = $(AM_CPPFLAGS) $(PYTHON_CPPFLAGS)
# SWIG's generated code is not ours to warn about.
bindings_python__sandbox_la_CFLAGS = $(AM_CFLAGS) -fno-strict-aliasing \
	-Wno-missing-field-initializers -Wno-cast-function-type
bindings_python__sandbox_la_LIBADD = libsandbox.la
bindings_python__sandbox_la_LDFLAGS = $(AM_LDFLAGS) -module -avoid-version \
	-shrext $(PYTHON_EXT_SUFFIX)

# -noproxy: a flat C module, no generated .py; -threads: the GIL is
# released around every C call (sbx_wait() and sbx_destroy() block).
bindings/python/sandbox_wrap.c: $(srcdir)/bindings/sandbox.i \
		$(srcdir)/bindings/python/sandbox_python.i \
		$(srcdir)/include/sandbox.h
	$(AM_V_GEN)$(MKDIR_P) bindings/python && \
	$(SWIG) -python -noproxy -threads -I$(srcdir)/include \
		-I$(srcdir)/bindings -o $@ $(srcdir)/bindings/sandbox.i
CLEANFILES += bindings/python/sandbox_wrap.c
endif

TESTS += bindings/python/tests/run-tests.sh
AM_TESTS_ENVIRONMENT += \
	PYTHON='$(PYTHON)'; \
	SBX_PYTHON_MISSING='$(sbx_python_missing)'; \
	SBX_PYTHON_EXT='$(abs_top_builddir)/bindings/python/.libs/_sandbox$(PYTHON_EXT_SUFFIX)'; \
	SBX_LIBDIR='$(abs_top_builddir)/.libs'; \
	export PYTHON SBX_PYTHON_MISSING SBX_PYTHON_EXT SBX_LIBDIR;
