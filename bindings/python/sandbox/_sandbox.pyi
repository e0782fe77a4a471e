# The flat C module that SWIG generates from bindings/sandbox.i: every
# function of include/sandbox.h, untyped.  The package's own modules
# carry the types of the public API (py.typed).
from typing import Any

def __getattr__(name: str) -> Any: ...
