/* sandbox_python.i - Python typemaps for bindings/sandbox.i.
 *
 * The module is generated with `swig -python -noproxy -threads`: a flat C
 * module (sandbox._sandbox) whose functions keep the C names, release the
 * GIL around every C call (sbx_wait() and sbx_destroy() may block), and
 * return the C return code.  Output parameters come back in a 2-tuple
 * (rc, value) whose value is None when rc < 0, because the C API never
 * writes outputs on failure.  The package sandbox/__init__.py turns codes
 * into exceptions; nothing here raises for a negative rc.
 */

%{
#include <stdlib.h>
#include <string.h>

/* One argument as the bytes the C side sees: str goes through the file
 * system encoding (surrogateescape), as os.fsencode() and subprocess do;
 * bytes and os.PathLike are accepted too.  Returns a new reference. */
static PyObject *sbx_py_fsbytes(PyObject *o, const char *what)
{
	PyObject *p = PyOS_FSPath(o), *b;

	if (!p) {
		PyErr_Format(PyExc_TypeError,
			     "%s must be str, bytes or os.PathLike, not %.100s",
			     what, Py_TYPE(o)->tp_name);
		return NULL;
	}
	if (PyUnicode_Check(p)) {
		b = PyUnicode_EncodeFSDefault(p);
		Py_DECREF(p);
	} else {
		b = p;
	}
	if (b && (size_t)PyBytes_GET_SIZE(b) != strlen(PyBytes_AS_STRING(b))) {
		PyErr_Format(PyExc_ValueError, "%s: embedded null byte", what);
		Py_CLEAR(b);
	}
	return b;
}

/* (rc, value) for functions with an output parameter; steals value. */
static PyObject *sbx_py_pair(PyObject *rc, int ok, PyObject *value)
{
	PyObject *t;

	if (!ok) {
		Py_XDECREF(value);
		value = Py_None;
		Py_INCREF(value);
	}
	if (!rc || !value) {
		Py_XDECREF(rc);
		Py_XDECREF(value);
		return NULL;
	}
	t = PyTuple_Pack(2, rc, value);
	Py_DECREF(rc);
	Py_DECREF(value);
	return t;
}
%}

/* sbx_create(&sbx) -> (rc, handle) */
%typemap(in, numinputs=0) sbx_t **ret_sbx (sbx_t *tmp = NULL) {
	$1 = &tmp;
}
%typemap(argout) sbx_t **ret_sbx {
	$result = sbx_py_pair($result, result == 0,
			      result == 0 ? SWIG_NewPointerObj(tmp$argnum,
				      $descriptor(sbx_t *), 0) : NULL);
	if (!$result)
		SWIG_fail;
}

/* sbx_parse_size(text, &bytes) -> (rc, int) */
%typemap(in, numinputs=0) uint64_t *ret_bytes (uint64_t tmp = 0) {
	$1 = &tmp;
}
%typemap(argout) uint64_t *ret_bytes {
	$result = sbx_py_pair($result, result == 0,
			      result == 0 ? PyLong_FromUnsignedLongLong(
				      (unsigned long long)tmp$argnum) : NULL);
	if (!$result)
		SWIG_fail;
}

/* sbx_parse_duration(text, &ms, err, errlen) -> (rc, int or None, message):
 * the library's message for a text that is not a duration ("" when it is) */
%typemap(in, numinputs=0) (uint64_t *ret_ms, char *err, size_t errlen)
	(uint64_t ms = 0, char buf[512]) {
	buf[0] = '\0';
	$1 = &ms;
	$2 = buf;
	$3 = sizeof(buf);
}
%typemap(argout) (uint64_t *ret_ms, char *err, size_t errlen) {
	PyObject *v = result == 0 ? PyLong_FromUnsignedLongLong(
				(unsigned long long)ms$argnum) : Py_None;
	PyObject *m = PyUnicode_DecodeUTF8(buf$argnum, strlen(buf$argnum),
					   "replace");
	PyObject *t;

	if (result != 0)
		Py_INCREF(v);
	t = v && m && $result ? PyTuple_Pack(3, $result, v, m) : NULL;
	Py_XDECREF(v);
	Py_XDECREF(m);
	Py_XDECREF($result);
	$result = t;
	if (!$result)
		SWIG_fail;
}

/* sbx_get_limit(sbx, kind, &value) -> (rc, int) */
%apply uint64_t *ret_bytes { uint64_t *ret_value };

/* sbx_parse_limit(kind, text, &value, err, errlen) -> as sbx_parse_duration */
%apply (uint64_t *ret_ms, char *err, size_t errlen) {
	(uint64_t *ret_value, char *err, size_t errlen) };

/* sbx_output(sbx, stream, &data, &len) -> (rc, bytes): a copy, because the
 * handle's buffer is freed by the next run. */
%typemap(in, numinputs=0) (const char **ret_data, size_t *ret_len)
	(const char *data = NULL, size_t len = 0) {
	$1 = ($1_ltype)&data;
	$2 = &len;
}
%typemap(argout) (const char **ret_data, size_t *ret_len) {
	$result = sbx_py_pair($result, result == 0,
			      result == 0 ? PyBytes_FromStringAndSize(
				      data$argnum, (Py_ssize_t)len$argnum)
					  : NULL);
	if (!$result)
		SWIG_fail;
}

/* sbx_set_input(sbx, data, len): any bytes-like object.  The buffer stays
 * exported (so its memory cannot move) while the GIL is released. */
%typemap(in) (const void *data, size_t len) (Py_buffer view, int have = 0) {
	if (PyObject_GetBuffer($input, &view, PyBUF_SIMPLE) < 0) {
		PyErr_Format(PyExc_TypeError,
			     "input must be a bytes-like object, not %.100s",
			     Py_TYPE($input)->tp_name);
		SWIG_fail;
	}
	have = 1;
	$1 = view.buf;
	$2 = (size_t)view.len;
}
%typemap(freearg) (const void *data, size_t len) {
	if (have$argnum)
		PyBuffer_Release(&view$argnum);
}
%typemap(typecheck) (const void *data, size_t len) {
	$1 = PyObject_CheckBuffer($input);
}

/* argv: a sequence of str, bytes or os.PathLike.  The strings are copied
 * into bytes objects that this call owns, so another thread changing the
 * caller's list while the GIL is released cannot free them. */
%typemap(in) const char *const *argv (PyObject *keep = NULL) {
	PyObject *seq;
	Py_ssize_t i, n;
	const char **v;

	seq = PySequence_Fast($input, "argv must be a sequence of str");
	if (!seq)
		SWIG_fail;
	n = PySequence_Fast_GET_SIZE(seq);
	keep = PyTuple_New(n);
	v = calloc((size_t)n + 1, sizeof(*v));
	if (!keep || !v) {
		Py_DECREF(seq);
		free(v);
		if (!PyErr_Occurred())
			PyErr_NoMemory();
		SWIG_fail;
	}
	for (i = 0; i < n; i++) {
		PyObject *b = sbx_py_fsbytes(PySequence_Fast_GET_ITEM(seq, i),
					     "argv item");

		if (!b) {
			Py_DECREF(seq);
			free(v);
			SWIG_fail;
		}
		PyTuple_SET_ITEM(keep, i, b);
		v[i] = PyBytes_AS_STRING(b);
	}
	Py_DECREF(seq);
	$1 = ($1_ltype)v;
}
%typemap(freearg) const char *const *argv {
	free((void *)$1);
	Py_XDECREF(keep$argnum);
}

/* Paths and environment strings: the file system encoding, like os.environ
 * and os.fsencode(); None is NULL (sbx_set_workspace(sbx, NULL, mode)
 * removes the workspace, sbx_set_env(sbx, name, NULL) passes the caller's
 * value). */
%typemap(in) const char *path (PyObject *keep = NULL) {
	if ($input == Py_None) {
		$1 = NULL;
	} else {
		keep = sbx_py_fsbytes($input, "$1_name");
		if (!keep)
			SWIG_fail;
		$1 = PyBytes_AS_STRING(keep);
	}
}
%typemap(freearg) const char *path {
	Py_XDECREF(keep$argnum);
}
%apply const char *path {
	const char *src, const char *dst, const char *name,
	const char *value, const char *text
};
