# bindings/node/node.m4 - configure checks of the Node binding
# (included by configure.ac).
