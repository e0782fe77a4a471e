/* sandbox_node.i - JavaScript (V8/Node and Node-API) typemaps for
 * bindings/sandbox.i.
 *
 * The generated module (_sandbox.node) stays flat and C-like: functions
 * return the library's int (0 or a negative errno), and index.js turns
 * those into Error objects with the library's message.  A function with
 * output parameters returns [rc, output], the output being null or 0 on
 * failure.  Only what the flat API cannot express in JavaScript is here. */

/* uint64_t: SWIG 4.1's V8 target has no typemap for it; its unsigned long
 * is 64 bits and exact up to 2^53 (a JS number; index.js refuses larger).
 * Node-API's unsigned long reads only 32 bits, its long long all 64. */
#ifdef SWIG_JAVASCRIPT_NAPI
%apply unsigned long long { uint64_t };
#else
%apply unsigned long { uint64_t };
#endif

/* sbx_create(sbx_t **ret_sbx) -> [rc, handle or null].  The handle is a
 * plain pointer object: it owns nothing, index.js calls sbx_destroy(). */
%typemap(in, numinputs=0) sbx_t **ret_sbx (sbx_t *tmp = NULL) {
	$1 = &tmp;
}
%typemap(argout) sbx_t **ret_sbx {
	$result = SWIG_AppendOutput($result,
				    SWIG_NewPointerObj(*$1, $*1_descriptor, 0));
}

/* sbx_parse_size(text, uint64_t *ret_bytes) -> [rc, bytes] */
%typemap(in, numinputs=0) uint64_t *ret_bytes (uint64_t tmp = 0) {
	$1 = &tmp;
}
%typemap(argout, fragment=SWIG_From_frag(double)) uint64_t *ret_bytes {
	$result = SWIG_AppendOutput($result, SWIG_From(double)((double)*$1));
}

/* sbx_parse_duration(text, &ms, err, errlen) -> [rc, ms, message] */
%typemap(in, numinputs=0) (uint64_t *ret_ms, char *err, size_t errlen)
	(uint64_t ms = 0, char buf[512]) {
	buf[0] = '\0';
	$1 = &ms;
	$2 = buf;
	$3 = sizeof(buf);
}
%typemap(argout, fragment=SWIG_From_frag(double))
	(uint64_t *ret_ms, char *err, size_t errlen) {
	$result = SWIG_AppendOutput($result, SWIG_From(double)((double)*$1));
	$result = SWIG_AppendOutput($result, SWIG_FromCharPtr($2));
}

/* sbx_get_limit(sbx, kind, uint64_t *ret_value) -> [rc, value] */
%apply uint64_t *ret_bytes { uint64_t *ret_value };

/* sbx_parse_limit(kind, text, &value, err, errlen) -> as sbx_parse_duration */
%apply (uint64_t *ret_ms, char *err, size_t errlen) {
	(uint64_t *ret_value, char *err, size_t errlen) };

/* sbx_set_env(sbx, name, value): value null is NULL, the caller's own
 * value, passed by name (a policy's "env": {"NAME": null}): the library
 * reads it, and exports the name with null, never the value. */
%typemap(in, fragment="SWIG_AsCharPtrAndSize") const char *value
	(char *buf = 0, int alloc = 0, int res = 0) {
#ifdef SWIG_JAVASCRIPT_NAPI
	if ($input.IsNull()) {
#else
	if ($input->IsNull()) {
#endif
		$1 = NULL;
	} else {
		res = SWIG_AsCharPtrAndSize($input, &buf, NULL, &alloc);
		if (!SWIG_IsOK(res))
			SWIG_exception_fail(SWIG_ArgError(res),
				"in method '$symname', argument $argnum of type 'char const *'");
		$1 = buf;
	}
}
%typemap(freearg) const char *value {
	if (alloc$argnum == SWIG_NEWOBJ)
		%delete_array(buf$argnum);
}

/* argv: an array of strings, NULL-terminated for C.  Held in C++
 * containers so that nothing leaks when a conversion fails half-way (the
 * generated wrappers skip freearg on their failure path).  Strings with a
 * NUL are refused by index.js before they get here (C would cut them). */
%{
#include <string>
#include <vector>
%}
%typemap(in) const char *const *argv
	(std::vector<std::string> strs, std::vector<const char *> ptrs) {
#ifdef SWIG_JAVASCRIPT_NAPI
	if (!$input.IsArray())
		SWIG_exception_fail(SWIG_TypeError,
				    "argv must be an array of strings");
	{
		Napi::Array a = $input.As<Napi::Array>();

		for (uint32_t i = 0; i < a.Length(); i++) {
			Napi::Value v = a.Get(i);

			if (!v.IsString())
				SWIG_exception_fail(SWIG_TypeError,
					"argv must be an array of strings");
			strs.push_back(v.As<Napi::String>().Utf8Value());
		}
	}
#else
	if (!$input->IsArray())
		SWIG_exception_fail(SWIG_TypeError,
				    "argv must be an array of strings");
	{
		v8::Isolate *iso = v8::Isolate::GetCurrent();
		v8::Local<v8::Context> ctx = iso->GetCurrentContext();
		v8::Local<v8::Array> a = v8::Local<v8::Array>::Cast($input);

		for (uint32_t i = 0; i < a->Length(); i++) {
			v8::Local<v8::Value> v;

			if (!a->Get(ctx, i).ToLocal(&v) || !v->IsString())
				SWIG_exception_fail(SWIG_TypeError,
					"argv must be an array of strings");
			v8::String::Utf8Value s(iso, v);
			strs.push_back(std::string(*s, s.length()));
		}
	}
#endif
	for (size_t i = 0; i < strs.size(); i++)
		ptrs.push_back(strs[i].c_str());
	ptrs.push_back(NULL);
	$1 = ($1_ltype)ptrs.data();
}

/* The program's stdin and output go through pipes that index.js reads and
 * writes with libuv streams (sbx_take_fd), which also stream and never
 * copy the whole output twice: the byte-buffer calls are not needed. */
%ignore sbx_set_input;
%ignore sbx_output;
