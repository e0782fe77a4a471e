# bindings/node/local.mk - build, install and test the Node binding
# (included by Makefile.am).
