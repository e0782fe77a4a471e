# bindings/python/python.m4 - configure checks of the Python binding
# (included by configure.ac).
#
# Builds for the Python that configure finds (`python3` on PATH; PYTHON=
# overrides), with that interpreter's own headers and extension suffix, and
# installs into that interpreter's site-packages, so `import sandbox` works
# after `make install` whichever python3 the user runs (a distribution's,
# pyenv's, a virtualenv's).  With an explicit --prefix the package goes
# under that prefix instead (automake's rule; $HOME/.local gives the user
# site directory), and --with-python-sitedir=DIR picks any directory.

AC_ARG_ENABLE([python],
	[AS_HELP_STRING([--disable-python],
		[do not build the Python binding (default: build it when
		 Python 3 with its headers and SWIG are found)])],
	[], [enable_python=auto])
AC_ARG_WITH([python-sitedir],
	[AS_HELP_STRING([--with-python-sitedir=DIR],
		[install the Python package `sandbox' into DIR (default: the
		 site-packages of $PYTHON, or under --prefix when given)])],
	[], [with_python_sitedir=])

sbx_python_missing=
AS_IF([test "x$enable_python" = xno],
	[sbx_python_missing="disabled by --disable-python"],
      [test "x$enable_python" = xauto && test "x$enable_sanitizers" = xyes],
	[sbx_python_missing="not with --enable-sanitizers unless asked (--enable-python): python3 would need the ASan runtime preloaded"])

AS_IF([test -z "$sbx_python_missing"], [
	# python3 by default: AM_PATH_PYTHON alone would take `python' first.
	AS_IF([test -z "$PYTHON"], [AC_PATH_PROG([PYTHON], [python3], [:])])
	AM_PATH_PYTHON([3.9], [], [:])
	AS_IF([test "x$PYTHON" = "x:"],
		[sbx_python_missing="no Python 3.9 or later (set PYTHON=)"])
])

AS_IF([test -z "$sbx_python_missing"], [
	AC_PATH_PROGS([SWIG], [swig swig4.0], [])
	AS_IF([test -z "$SWIG"],
		[sbx_python_missing="SWIG not found (apt-get install swig)"])
])

AS_IF([test -z "$sbx_python_missing"], [
	AC_MSG_CHECKING([for the headers and extension suffix of $PYTHON])
	# (no brackets in these one-liners: m4 would eat them)
	PYTHON_CPPFLAGS=`$PYTHON -c 'import sysconfig
dirs = dict.fromkeys(sysconfig.get_path(k) for k in ("include", "platinclude"))
print(" ".join("-I" + d for d in dirs if d))'`
	PYTHON_EXT_SUFFIX=`$PYTHON -c 'import sysconfig
print(sysconfig.get_config_var("EXT_SUFFIX") or ".so")'`
	AC_MSG_RESULT([$PYTHON_CPPFLAGS, $PYTHON_EXT_SUFFIX])
	sbx_save_CPPFLAGS=$CPPFLAGS
	CPPFLAGS="$CPPFLAGS $PYTHON_CPPFLAGS"
	AC_MSG_CHECKING([whether Python.h compiles])
	AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[#include <Python.h>]],
		[[return PyLong_AsLong(Py_None) == 0;]])],
		[AC_MSG_RESULT([yes])],
		[AC_MSG_RESULT([no])
		 sbx_python_missing="no Python.h for $PYTHON (apt-get install python3-dev)"])
	CPPFLAGS=$sbx_save_CPPFLAGS
])

AS_IF([test -z "$sbx_python_missing"], [
	AC_MSG_CHECKING([where to install the Python package])
	AS_IF([test -n "$with_python_sitedir"],
		[pyexecdir=$with_python_sitedir],
	      [test "x$prefix" = xNONE],
		[pyexecdir=`$PYTHON -c 'import sysconfig
print(sysconfig.get_path("platlib"))'`])
	pythondir=$pyexecdir
	AC_MSG_RESULT([$pyexecdir])
], [test "x$enable_python" = xyes], [
	AC_MSG_ERROR([the Python binding cannot be built: $sbx_python_missing])
], [
	AC_MSG_WARN([not building the Python binding: $sbx_python_missing])
])

AC_SUBST([PYTHON_CPPFLAGS])
AC_SUBST([PYTHON_EXT_SUFFIX])
AC_SUBST([sbx_python_missing])
AM_CONDITIONAL([BUILD_PYTHON], [test -z "$sbx_python_missing"])
