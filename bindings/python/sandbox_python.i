/* sandbox_python.i - Python typemaps for bindings/sandbox.i. */
