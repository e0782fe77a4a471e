"""One run on one C handle: its arguments and stdio checked, the
sandbox started, its output read and its result built.  The blocking
path (Sandbox.run()) and the asyncio one (_aio) both drive it."""

from __future__ import annotations

import codecs
import enum
import errno
import io
import json
import locale
import os
import select
import subprocess
import sys
from collections import abc
from typing import (IO, Any, Callable, Dict, List, Optional, Sequence,
                    Union)

from . import _sandbox as _c
from ._config import Handle, StrPath, switch
from ._errors import sandbox_error
from ._result import Chunk, Result

PIPE = subprocess.PIPE
DEVNULL = subprocess.DEVNULL
STDOUT = subprocess.STDOUT


class _Special(enum.Enum):
    INHERIT = "INHERIT"

    def __repr__(self) -> str:
        return f"sandbox.{self.value}"


#: The caller's own stream (stdin, stdout or stderr), relayed by the
#: sandbox's supervisor: the program never holds the caller's descriptor.
INHERIT = _Special.INHERIT

_STREAM_NAMES = {1: "stdout", 2: "stderr"}

#: stdin / stdout / stderr: None, PIPE, DEVNULL, STDOUT (stderr only),
#: INHERIT, a file descriptor or a file object (the caller's descriptors
#: are relayed by the supervisor, never handed to the program).
File = Union[None, int, _Special, IO[Any]]
#: input: bytes (or str in text mode).
Input = Union[bytes, bytearray, memoryview, str, None]

Args = Union[StrPath, bytes, Sequence[Union[StrPath, bytes]]]
# A callback of on_stdout/on_stderr: it takes bytes, or str in text mode.
Callback = Union[Callable[[bytes], Any], Callable[[str], Any]]


def make_argv(args: Any, shell: bool) -> List[Any]:
    """The argument vector of ``args``: a str, bytes or path is the
    program, else a sequence of them (not a dict or a set, whose order
    or keys would silently become the command)."""
    if isinstance(args, (str, bytes, os.PathLike)):
        argv = [args]
    elif isinstance(args, (abc.Mapping, abc.Set)) or not isinstance(
            args, abc.Iterable):
        raise TypeError(f"args must be a str, bytes, a path or a sequence "
                        f"of them, not {type(args).__name__}")
    else:
        argv = list(args)
    for i, arg in enumerate(argv):
        if not isinstance(arg, (str, bytes, os.PathLike)):
            raise TypeError(f"args[{i}] must be a str, bytes or a path, "
                            f"not {type(arg).__name__}")
        text = os.fspath(arg)
        if ("\0" if isinstance(text, str) else b"\0") in text:
            raise ValueError(f"args[{i}] contains a NUL character: "
                             f"{arg!r}")
    if not argv:
        raise ValueError("args is empty: nothing to run")
    if not os.fspath(argv[0]):
        raise ValueError("args[0] is empty: no program to run")
    if shell:
        argv = ["/bin/sh", "-c"] + argv
    return argv


def _text_encoding() -> str:
    # What subprocess uses in text mode.
    if sys.flags.utf8_mode:
        return "utf-8"
    if hasattr(locale, "getencoding"):
        return locale.getencoding()
    return locale.getpreferredencoding(False)  # Python < 3.11


# Switches of a run and their defaults (None keeps the default): True or
# False, as the Sandbox's (_config._FLAGS).
_RUN_SWITCHES = {"capture_output": True, "text": False, "shell": False,
                 "check": False, "pty": False}


def run_switch(name: str, value: Any) -> bool:
    """A switch of a run: True or False, None for its default."""
    on = switch(name, value)
    return _RUN_SWITCHES[name] if on is None else on


def _stdio(name: str, value: Any) -> Any:
    """stdin/stdout/stderr as None, PIPE, DEVNULL, STDOUT, INHERIT or a
    file descriptor (a file object's)."""
    if value is None or value is INHERIT:
        return value
    if isinstance(value, bool):
        raise TypeError(f"{name} cannot be a bool")
    if isinstance(value, int):
        if value < 0 and value not in (PIPE, DEVNULL, STDOUT):
            raise ValueError(f"{name}: invalid value {value}")
        return value
    try:
        fd = value.fileno()
    except (AttributeError, io.UnsupportedOperation):
        raise TypeError(f"{name} must be None, sandbox.PIPE, DEVNULL, "
                        f"INHERIT, a file descriptor or a file object, not "
                        f"{type(value).__name__}") from None
    if isinstance(fd, bool) or not isinstance(fd, int) or fd < 0:
        raise ValueError(f"{name}: its fileno() is not a descriptor: "
                         f"{fd!r}")
    return fd


def check_run(io: Dict[str, Any]) -> Dict[str, Any]:
    """The options of one run (Sandbox.run()'s keywords but ``timeout``),
    checked like the Sandbox's: TypeError or ValueError naming the
    option.  Returns them with stdio as _stdio() gives it and the
    switches' defaults filled in."""
    io = dict(io)
    for name in _RUN_SWITCHES:
        if name in io:
            io[name] = run_switch(name, io[name])
    for name in ("stdin", "stdout", "stderr"):
        io[name] = _stdio(name, io[name])
    value = io["input"]
    if value is not None and not isinstance(value, str):
        try:
            memoryview(value)
        except TypeError:
            raise TypeError(f"input must be bytes (or str in text mode), "
                            f"not {type(value).__name__}") from None
    for name, lookup in (("encoding", codecs.lookup),
                         ("errors", codecs.lookup_error)):
        value = io[name]
        if value is None:
            continue
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str, not "
                            f"{type(value).__name__}")
        try:
            lookup(value)
        except LookupError:
            raise ValueError(f"{name}: unknown {name} {value!r}") from None
    for name in ("on_stdout", "on_stderr"):
        if io[name] is not None and not callable(io[name]):
            raise TypeError(f"{name} must be callable, not "
                            f"{type(io[name]).__name__}")
    return io


class Execution:
    """One run on one handle: stdio set up, started, its output read.

    The owner reads the descriptors in ``fds`` (blocking poll or an
    event loop), hands every piece to feed() and every EOF to eof(), and
    once all are at EOF calls finish() with the return code of sbx_wait()
    or sbx_try_wait().  release() gives the handle back exactly once.
    """

    def __init__(self, handle: Handle, release: Callable[[Handle, bool], None],
                 args: Any, argv: List[Any], *, input: Any, stdin: Any,
                 stdout: Any, stderr: Any, capture_output: bool, text: bool,
                 encoding: Optional[str], errors: Optional[str],
                 wall_ms: Optional[int], pty: bool,
                 output_limit: int,
                 on_stdout: Optional[Callback],
                 on_stderr: Optional[Callback],
                 sink: Optional[Callable[[Chunk], None]] = None) -> None:
        self.handle = handle
        self._release_fn: Optional[Callable[[Handle, bool], None]] = release
        self.args = args
        # The handle's own wall-clock limit, while a run's overrides it.
        self._wall_ms: Optional[int] = None
        self.text = bool(text or encoding or errors)
        self.encoding: str = encoding or _text_encoding()
        self.errors = errors or "strict"
        self.fds: Dict[int, int] = {}  # fd -> stream: 1, 2, or 0 (status)
        self.running = False
        self.error: Optional[BaseException] = None
        self._bufs: Dict[int, List[bytes]] = {1: [], 2: []}
        self._captured = {1: False, 2: False}
        self._sizes = {1: 0, 2: 0}
        self._caps: Dict[int, Optional[int]] = {1: None, 2: None}
        self._truncated = {1: False, 2: False}
        # bytes or str by the run's text mode: Callback's two forms
        self._callbacks: Dict[int, Optional[Callable[[Any], Any]]] = {
            1: on_stdout, 2: on_stderr}
        self._sink = sink
        self._decoders: Dict[int, Any] = {}
        own: List[int] = []  # descriptors this run made (a merge pipe)
        try:
            p = handle.ptr
            if wall_ms is not None:
                self._wall_ms = handle.limit(_c.SBX_LIMIT_WALL_MS)
                handle.check(_c.sbx_limit(p, _c.SBX_LIMIT_WALL_MS, wall_ms),
                             "timeout", config=True)
            handle.check(_c.sbx_set_flag(p, _c.SBX_FLAG_PTY, int(pty)),
                         "pty", config=True)
            self._setup_stdin(input, stdin)
            merge_fd = self._setup_output(stdout, stderr, capture_output,
                                          output_limit, own)
            for stream in (1, 2):
                if self._reads(stream) and self.text:
                    dec = codecs.getincrementaldecoder(self.encoding)(
                        self.errors)
                    self._decoders[stream] = io.IncrementalNewlineDecoder(
                        dec, translate=True)
            handle.check(_c.sbx_exec(p, argv))
            self.running = True
            if merge_fd is not None:
                self.fds[merge_fd] = 1
                own.remove(merge_fd)
            for stream in (1, 2):
                if self._captured[stream] and stream not in self.fds.values():
                    self.fds[handle.check(_c.sbx_take_fd(p, stream))] = stream
            self.fds[handle.check(_c.sbx_take_fd(p, _c.SBX_FD_STATUS))] = 0
        except BaseException:
            for fd in own:
                os.close(fd)
            self.abort()
            self.release()
            raise
        for fd in own:  # the write end of a merge pipe: the sandbox's now
            os.close(fd)

    def _reads(self, stream: int) -> bool:
        """Whether a callback or the sink takes the stream's output (by
        identity: a callable that is also an empty list is still one)."""
        return self._callbacks[stream] is not None or self._sink is not None

    # ------------------------------------------------------------ setup
    def _setup_stdin(self, input: Any, stdin: Any) -> None:
        p = self.handle.ptr
        if input is not None:
            if stdin is not None:
                raise ValueError("stdin and input arguments may not both "
                                 "be used.")
            if isinstance(input, str):
                if not self.text:
                    raise TypeError("input must be bytes (or text=True for "
                                    "str)")
                input = input.encode(self.encoding, self.errors)
            self.handle.check(_c.sbx_set_input(p, input), config=True)
            return
        if stdin is None or stdin == DEVNULL:
            mode, fd = _c.SBX_STDIO_NULL, -1
        elif stdin is INHERIT:
            mode, fd = _c.SBX_STDIO_INHERIT, -1
        elif stdin == PIPE:
            raise ValueError("stdin=PIPE is not supported: pass the data "
                             "as input=")
        elif stdin == STDOUT:
            raise ValueError("stdin=STDOUT is not supported")
        else:  # a descriptor (check_run() made sure)
            mode, fd = _c.SBX_STDIO_FD, stdin
        self.handle.check(_c.sbx_set_stdio(p, 0, mode, fd), config=True)

    def _mode(self, value: Any, stream: int, capture: bool) -> Any:
        if value is None:
            if self._reads(stream):
                return PIPE
            return PIPE if capture else INHERIT
        if value == PIPE or value == DEVNULL or value is INHERIT:
            return value
        if value == STDOUT:
            if stream == 1:
                raise ValueError("stdout=STDOUT is not supported")
            return STDOUT
        return value  # a descriptor (check_run() made sure)

    def _setup_output(self, stdout: Any, stderr: Any, capture: bool,
                      output_limit: int,
                      own: List[int]) -> Optional[int]:
        p = self.handle.ptr
        modes = {1: self._mode(stdout, 1, capture),
                 2: self._mode(stderr, 2, capture)}
        for stream in (1, 2):
            if self._callbacks[stream] is not None and modes[stream] not in (
                    PIPE, STDOUT):
                raise ValueError(f"on_{_STREAM_NAMES[stream]} needs "
                                 f"{_STREAM_NAMES[stream]} to be read by "
                                 f"the sandbox (None or PIPE)")
        merge_fd = None
        if modes[2] == STDOUT:
            # Both streams into one pipe that this process reads: the
            # library's cap does not see it, so the cap is applied here.
            if modes[1] == PIPE:
                r, w = os.pipe2(os.O_CLOEXEC)
                own += [r, w]
                merge_fd = r
                self._captured[1] = True
                self._caps[1] = output_limit
                modes[1] = modes[2] = w
            elif modes[1] is INHERIT:
                modes[2] = 1  # the caller's own stdout
            else:
                modes[2] = modes[1]
        for stream in (1, 2):
            m = modes[stream]
            if m == PIPE:
                self._captured[stream] = True
                args = (_c.SBX_STDIO_PIPE, -1)
            elif m == DEVNULL:
                args = (_c.SBX_STDIO_NULL, -1)
            elif m is INHERIT:
                args = (_c.SBX_STDIO_INHERIT, -1)
            else:
                args = (_c.SBX_STDIO_FD, m)
            self.handle.check(_c.sbx_set_stdio(p, stream, *args), config=True)
        if merge_fd is not None:
            if self._callbacks[1] is None:
                self._callbacks[1] = self._callbacks[2]
        return merge_fd

    # ----------------------------------------------------------- output
    def feed(self, stream: int, data: bytes) -> None:
        """Take one piece of output; a callback's exception kills the
        run and is raised by the waiter once the run is reaped."""
        cap = self._caps[stream]
        if cap is not None:
            room = cap - self._sizes[stream]
            if len(data) > room:
                self._truncated[stream] = True
                data = data[:max(room, 0)]
            if not data:
                return
        self._sizes[stream] += len(data)
        self._bufs[stream].append(data)
        self._deliver(stream, data, False)

    def eof(self, stream: int) -> None:
        """The stream reached EOF: flush what a decoder still holds."""
        if stream in self._decoders:
            self._deliver(stream, b"", True)

    def _deliver(self, stream: int, data: bytes, final: bool) -> None:
        cb, sink = self._callbacks[stream], self._sink
        if self.error is not None or not self._reads(stream):
            return
        piece: Union[bytes, str] = data
        if stream in self._decoders:
            piece = self._decoders[stream].decode(data, final)
        if not piece:
            return
        try:
            if cb is not None:
                cb(piece)
            if sink is not None:
                sink(Chunk(_STREAM_NAMES[stream], piece))
        except BaseException as e:  # noqa: B902 - re-raised by the waiter
            self.error = e
            self.kill()

    # -------------------------------------------------------- lifecycle
    def kill(self) -> None:
        """Ask the supervisor to kill every process of the sandbox."""
        if self.running and self.handle.ptr is not None:
            _c.sbx_kill(self.handle.ptr)

    def close_fds(self) -> None:
        for fd in self.fds:
            try:
                os.close(fd)
            except OSError:
                pass
        self.fds = {}

    def abort(self) -> None:
        """Kill and reap, blocking (the sandbox dies in milliseconds):
        for errors and interrupts, where no result is wanted."""
        if not self.running:
            return
        self.kill()
        self.close_fds()  # the supervisor must not block on our pipes
        _c.sbx_wait(self.handle.ptr)
        self.running = False

    def release(self) -> None:
        """Give the handle back (reusable only when nothing runs on it),
        with its own wall-clock limit again after a run's timeout=."""
        fn, self._release_fn = self._release_fn, None
        if fn is not None:
            self.close_fds()
            reusable = not self.running
            if reusable and self._wall_ms is not None:
                reusable = _c.sbx_limit(self.handle.ptr, _c.SBX_LIMIT_WALL_MS,
                                        self._wall_ms) == 0
            fn(self.handle, reusable)

    def _output(self, stream: int) -> Any:
        if not self._captured[stream]:
            return None
        data = b"".join(self._bufs[stream])
        if self.text:
            return (data.decode(self.encoding, self.errors)
                    .replace("\r\n", "\n").replace("\r", "\n"))
        return data

    def finish(self, rc: int) -> Result:
        """Build the result once the run is reaped (rc of sbx_wait());
        SandboxError for a run the sandbox could not set up."""
        self.running = rc == -errno.EAGAIN
        self.close_fds()
        if self.error is not None:
            raise self.error
        p = self.handle.ptr
        self.handle.check(rc, "waiting for the sandbox")
        record = json.loads(_c.sbx_result_json(p))
        result = Result(self.args, record, self._output(1), self._output(2),
                        stdout_truncated=self._truncated[1],
                        stderr_truncated=self._truncated[2])
        if result.status == "setup_error":
            setup = record.get("setup_error") or {}
            raise sandbox_error(int(setup.get("errno") or errno.EIO),
                                str(setup.get("message")
                                    or _c.sbx_last_error(p)),
                                step=setup.get("step"), result=result)
        return result

    # ------------------------------------------------------ blocking wait
    def wait(self) -> Result:
        """Read the output and wait, releasing the GIL while blocked (in
        poll() and sbx_wait()); Ctrl-C kills the sandbox and re-raises."""
        try:
            poller = select.poll()
            for fd in self.fds:
                poller.register(fd, select.POLLIN)
            open_fds = dict(self.fds)
            while open_fds:
                for fd, _ in poller.poll():
                    data = os.read(fd, 65536)
                    stream = open_fds[fd]
                    if data:
                        if stream:
                            self.feed(stream, data)
                        continue
                    poller.unregister(fd)
                    del open_fds[fd]
                    if stream:
                        self.eof(stream)
            return self.finish(_c.sbx_wait(self.handle.ptr))
        except BaseException:
            self.abort()
            raise
        finally:
            self.release()


