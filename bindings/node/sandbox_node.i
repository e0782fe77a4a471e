/* sandbox_node.i - JavaScript (V8/Node) typemaps for bindings/sandbox.i. */
