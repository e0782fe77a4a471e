/* sandbox.i - the SWIG interface shared by the Python and Node bindings.
 * The generated module is flat and private (_sandbox); each language's
 * idiomatic package sits on top of it.  Language-specific typemaps live in
 * one small file per language, included here. */
%module _sandbox

%{
#include "sandbox.h"
%}

%include <stdint.i>

/* <sys/types.h> is not SWIG's: sbx_pid() returns a plain int. */
typedef int pid_t;

#ifdef SWIGPYTHON
%include "python/sandbox_python.i"
#endif
#ifdef SWIGJAVASCRIPT
%include "node/sandbox_node.i"
#endif

%include "sandbox.h"
