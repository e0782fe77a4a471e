# bindings/python/python.m4 - configure checks of the Python binding
# (included by configure.ac).
