"""The shipped type information matches the code, and everything public
has a docstring."""

import ast
import inspect
import os
import unittest

import sandbox
from sandbox import _aio

PKG = os.path.dirname(sandbox.__file__)


def stub():
    with open(os.path.join(PKG, "__init__.pyi")) as f:
        return ast.parse(f.read())


def stub_params(fn):
    """(name, kind, default source or None) of a stub function."""
    a = fn.args
    out = [(p.arg, "positional", None) for p in a.posonlyargs + a.args]
    for p, d in zip(reversed(a.args), reversed(a.defaults)):
        i = [n for n, _, _ in out].index(p.arg)
        out[i] = (p.arg, "positional", ast.unparse(d))
    if a.vararg:
        out.append((a.vararg.arg, "varargs", None))
    for p, d in zip(a.kwonlyargs, a.kw_defaults):
        out.append((p.arg, "keyword", ast.unparse(d) if d else None))
    if a.kwarg:
        out.append((a.kwarg.arg, "varkw", None))
    return out


def runtime_params(fn):
    kinds = {inspect.Parameter.POSITIONAL_ONLY: "positional",
             inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional",
             inspect.Parameter.VAR_POSITIONAL: "varargs",
             inspect.Parameter.KEYWORD_ONLY: "keyword",
             inspect.Parameter.VAR_KEYWORD: "varkw"}
    out = []
    for p in inspect.signature(fn).parameters.values():
        default = (None if p.default is inspect.Parameter.empty
                   else repr(p.default))
        out.append((p.name, kinds[p.kind], default))
    return out


class Typing(unittest.TestCase):
    def test_marker_and_stub_are_installed(self):
        self.assertTrue(os.path.exists(os.path.join(PKG, "py.typed")))
        self.assertTrue(os.path.exists(os.path.join(PKG, "__init__.pyi")))

    def test_stub_names_match_the_package(self):
        tree = stub()
        names = set()
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                                 ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.AnnAssign):
                names.add(node.target.id)
        public = {n for n in names if not n.startswith("_")}
        helpers = {"StrPath", "Size", "Args", "Callback"}
        self.assertEqual(public - helpers, set(sandbox.__all__))
        for name in sandbox.__all__:
            self.assertTrue(hasattr(sandbox, name), name)

    def test_stub_signatures_match_the_code(self):
        tree = stub()
        classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
        funcs = {n.name: n for n in tree.body
                 if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        checked = 0
        for name, node in funcs.items():
            with self.subTest(function=name):
                self.assertEqual(stub_params(node),
                                 runtime_params(getattr(sandbox, name)))
                checked += 1
        for cname in ("Sandbox", "Stream", "Result", "SandboxError",
                      "CalledProcessError", "TimeoutExpired"):
            cls = getattr(sandbox, cname)
            for node in classes[cname].body:
                if not isinstance(node, (ast.FunctionDef,
                                         ast.AsyncFunctionDef)):
                    continue
                member = inspect.getattr_static(cls, node.name)
                if isinstance(member, property):
                    continue
                with self.subTest(method=f"{cname}.{node.name}"):
                    self.assertEqual(
                        stub_params(node)[1:],  # without self
                        runtime_params(getattr(cls, node.name))[1:])
                    self.assertEqual(
                        isinstance(node, ast.AsyncFunctionDef),
                        inspect.iscoroutinefunction(getattr(cls, node.name)))
                    checked += 1
        self.assertGreater(checked, 20)

    def test_everything_public_has_a_docstring(self):
        self.assertTrue(sandbox.__doc__)
        for name in sandbox.__all__:
            obj = getattr(sandbox, name)
            if isinstance(obj, (int, sandbox.INHERIT.__class__)):
                continue
            with self.subTest(name=name):
                self.assertTrue(inspect.getdoc(obj), name)
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if attr.startswith("_") or not callable(member) and \
                            not isinstance(member, property):
                        continue
                    with self.subTest(member=f"{name}.{attr}"):
                        self.assertTrue(inspect.getdoc(member),
                                        f"{name}.{attr}")
        self.assertIs(sandbox.Stream, _aio.Stream)
