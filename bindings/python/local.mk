# bindings/python/local.mk - build, install and test the Python binding
# (included by Makefile.am).
