#!/bin/sh
# run-tests.sh - the Python binding's entry in `make check`: runs the
# unittest suites in bindings/python/tests against the build tree, with the
# Python that configure found.  Exits 77 (skipped) when the binding was not
# built, and says why.
srcdir=${srcdir:-.}
if [ -n "${SBX_PYTHON_MISSING:-}" ] || [ -z "${PYTHON:-}" ]; then
	echo "SKIP: the Python binding was not built: ${SBX_PYTHON_MISSING:-PYTHON is not set}"
	echo "## tests: 0 passed, 0 failed, 1 skipped"
	exit 77
fi
# The extension finds the build tree's libsandbox through its RUNPATH;
# this covers a linker that wrote none.
LD_LIBRARY_PATH=${SBX_LIBDIR:+$SBX_LIBDIR${LD_LIBRARY_PATH:+:}}${LD_LIBRARY_PATH:-}
export LD_LIBRARY_PATH
exec "$PYTHON" "$srcdir/bindings/python/tests/runtests.py" "$@"
