"""Running programs: the Sandbox class, run(), and the engine both the
blocking and the asyncio paths share."""

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
import threading
from collections import abc
from typing import (TYPE_CHECKING, Any, Callable, Dict, Iterable, List,
                    Mapping, Optional, Sequence, Union)

from . import _sandbox as _c
from ._config import (Handle, Options, Policy, StrPath, Size, make_options,
                      policy_template, check_path, switch)
from ._errors import sandbox_error
from ._result import Chunk, Result

if TYPE_CHECKING:
    from ._aio import Stream

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

# Idle handles a Sandbox keeps for its next runs; more are made on demand
# (one per concurrent run) and destroyed when they come back.
_IDLE_HANDLES = 4

_STREAM_NAMES = {1: "stdout", 2: "stderr"}

Args = Union[StrPath, bytes, Sequence[Union[StrPath, bytes]]]
Callback = Callable[[Union[bytes, str]], Any]


def _argv(args: Any, shell: bool) -> List[Any]:
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
                 timeout: Optional[float], timeout_ms: int,
                 pty: bool,
                 output_limit: Optional[int],
                 on_stdout: Optional[Callback],
                 on_stderr: Optional[Callback],
                 sink: Optional[Callable[[Chunk], None]] = None) -> None:
        self.handle = handle
        self._release_fn: Optional[Callable[[Handle, bool], None]] = release
        self.args = args
        self.timeout = timeout
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
        self._callbacks = {1: on_stdout, 2: on_stderr}
        self._sink = sink
        self._decoders: Dict[int, Any] = {}
        own: List[int] = []  # descriptors this run made (a merge pipe)
        try:
            p = handle.ptr
            handle.check(_c.sbx_limit(p, _c.SBX_LIMIT_WALL_MS, timeout_ms),
                         "timeout", config=True)
            handle.check(_c.sbx_set_flag(p, _c.SBX_FLAG_PTY, int(pty)),
                         "pty", config=True)
            self._setup_stdin(input, stdin)
            merge_fd = self._setup_output(stdout, stderr, capture_output,
                                          output_limit, own)
            for stream in (1, 2):
                if (self._callbacks[stream] or sink) and self.text:
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
            if self._callbacks[stream] or self._sink:
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
                      output_limit: Optional[int],
                      own: List[int]) -> Optional[int]:
        p = self.handle.ptr
        modes = {1: self._mode(stdout, 1, capture),
                 2: self._mode(stderr, 2, capture)}
        for stream in (1, 2):
            if self._callbacks[stream] and modes[stream] not in (PIPE,
                                                                 STDOUT):
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
                self._caps[1] = (output_limit if output_limit is not None
                                 else 64 << 20)
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
            self._callbacks[1] = self._callbacks[1] or self._callbacks[2]
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
        if self.error is not None or not (cb or sink):
            return
        piece: Union[bytes, str] = data
        if stream in self._decoders:
            piece = self._decoders[stream].decode(data, final)
        if not piece:
            return
        try:
            if cb:
                cb(piece)
            if sink:
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
        """Give the handle back (reusable only when nothing runs on it)."""
        fn, self._release_fn = self._release_fn, None
        if fn is not None:
            self.close_fds()
            fn(self.handle, not self.running)

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

    def check(self, result: Result) -> Result:
        """check=True: raise for a failed or stopped run."""
        if result.status == "timeout":
            from ._errors import TimeoutExpired

            # As subprocess: the output so far, None for a silent stream.
            raise TimeoutExpired(self.args, self.timeout or result.wall_time,
                                 result.stdout or None,
                                 result.stderr or None, result)
        result.check_returncode()
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


class Sandbox:
    """A reusable sandbox configuration: run() it as often as needed.

    Every run gets a fresh sandbox (new namespaces, a new root, nothing
    left from the previous run) built from this configuration.  Runs may
    go on at the same time from many threads and asyncio tasks.  Use it as
    a context manager, or call close(), to free its C handles.

    Options (all keyword-only; None keeps the library's default).  Each
    takes exactly what is listed here, nothing that merely looks like it:
    the switches (seccomp_kill, single_id, allow_degraded, read_only,
    allow_setid) take True or False, not 1 or "false"; network takes
    "none" or "host".  Anything else raises TypeError (a wrong type) or
    ValueError (a wrong value) naming the option.

    timeout
        wall-clock limit in seconds (a positive number); every process
        is killed when it passes (status "timeout").
    cpu_time
        CPU time of the whole sandbox, seconds (a positive number).
    memory
        memory + swap of the whole sandbox: bytes, or "256M", "1G"...
        (default 1G).
    pids
        processes and threads (default 512).
    file_size
        largest file written (size).
    open_files
        open files per process (default 1024).
    disk
        every byte written to /tmp, home and workspace (size; default
        512M; 0: nothing may be written).
    output_limit
        captured bytes per output stream (size; default 64M); the rest
        is dropped and the result says ``truncated``.
    cpus
        CPU bandwidth in CPUs (0.5: half a CPU; 0: no limit).
    env
        variables to add to the program's environment, which is built
        from scratch (PATH, HOME, LANG, TERM, TMPDIR); a value of None
        passes the caller's value of that name.
    cwd
        the start directory *inside* the sandbox (default /workspace
        with a workspace, else the sandbox's home).
    workspace
        a host directory bound at /workspace, read-only unless
        ``writable`` is True (copy-on-write, applied when the run ends)
        or "live" (a live bind without disk budget); False is
        read-only.  Without ``workspace``, ``writable`` sets the mode of
        the policy's workspace.
    binds
        a list of more host paths: each a path (read-only, same place),
        a (src, dst) tuple, or a :class:`Bind`.
    network
        "none" (the default): a network namespace with only loopback;
        "host": the host's network, an explicit opt-in.
    seccomp_kill
        a denied system call kills the program (default: it fails with
        EPERM).
    single_id
        map only the caller's id into the sandbox.
    preset
        start from a preset shipped with the library: "default",
        "strict" (nothing writable, no sockets, a tighter system call
        set, small limits) or "build" (offline builds).
    policy
        a policy document (docs/policy.md): the path of a JSON file, or a
        dict, which is serialized to JSON (one key a line: the library's
        error messages name the key and the line of that text).
    allow_degraded
        when the host cannot create user namespaces, run anyway with the
        layers that remain (Landlock, seccomp, the limits) instead of
        refusing; the result says ``degraded`` and lists the ``layers``.
    require
        a list of layer names a run must have ("netns", "landlock",
        ...; a str is one name): a run that cannot have one fails with
        a SandboxError (step "require").
    read_only
        nothing in the sandbox is writable, not even /tmp.
    allow_setid
        keep CAP_SETUID and CAP_SETGID inside the sandbox's user
        namespace, so that programs that switch users work.
    allow_trusted_paths
        let the program change what the host runs or trusts
        (.git/config and hooks, .envrc, .vscode/, CI workflows, shell rc
        files...), and leave symlinks that lead out of the workspace: by
        default a ``writable=True`` workspace withholds them (the result
        lists them in ``withheld``), and ``"live"`` workspaces and
        writable binds keep the existing ones read-only.

    The limits that are 0 mean "no limit", except disk and output_limit;
    timeout and cpu_time of 0 are no limit, as None is (as in the library,
    `sbx run` and Node).

    Order, as ``sbx run`` applies them: the preset, then the policy
    document, then the other options, which override both (an explicit
    ``timeout``, ``memory`` or ``network`` wins over the policy's; lists
    such as ``binds``, ``env`` and ``require`` add to the policy's).  The
    options left at None keep what the policy says.  A run's wall-clock
    limit is ``timeout``, else the policy's (a preset's or a document's),
    else none.  The policy is read once, here.

    Raises SandboxError for a configuration the library refuses (a
    workspace that does not exist is a FileNotFoundError too; a bad
    policy, such as an unknown key, is also a ValueError whose message
    names the key and the line), and TypeError or ValueError for values
    that cannot be right.
    """

    def __init__(self, *, timeout: Optional[float] = None,
                 cpu_time: Optional[float] = None,
                 memory: Optional[Size] = None, pids: Optional[int] = None,
                 file_size: Optional[Size] = None,
                 open_files: Optional[int] = None,
                 disk: Optional[Size] = None,
                 output_limit: Optional[Size] = None,
                 cpus: Optional[float] = None,
                 env: Optional[Mapping[str, Optional[str]]] = None,
                 cwd: Optional[StrPath] = None,
                 workspace: Optional[StrPath] = None,
                 writable: Union[bool, str, None] = None,
                 binds: Iterable[Any] = (), network: Optional[str] = None,
                 seccomp_kill: Optional[bool] = None,
                 single_id: Optional[bool] = None,
                 preset: Optional[str] = None,
                 policy: Optional[Policy] = None,
                 allow_degraded: Optional[bool] = None,
                 require: Iterable[str] = (),
                 read_only: Optional[bool] = None,
                 allow_setid: Optional[bool] = None,
                 allow_trusted_paths: Optional[bool] = None) -> None:
        # every keyword, as given (make_options() checks them)
        options = {k: v for k, v in locals().items() if k != "self"}
        self._closed = True  # until the first handle exists
        self._lock = threading.Lock()
        self._idle: List[Handle] = []
        self._options: Options = make_options(**options)
        # The preset and the policy, read once; every handle is a copy
        # of this one (never closed before the Sandbox is collected: a
        # run in another thread may be copying it).
        self._template = policy_template(self._options)
        # Configure one handle now, so a bad configuration fails here.
        first = self._new_handle()
        self._idle.append(first)
        self._timeout = timeout
        self._timeout_ms = self._options.timeout_ms
        if timeout is None and self._template is not None:
            # The policy's wall-clock limit is each run's default.
            self._timeout_ms = self._template.limit(_c.SBX_LIMIT_WALL_MS)
            self._timeout = self._timeout_ms / 1000.0 or None
        # the option's, else the policy's, else the default (the library
        # decides)
        self._output_limit = first.limit(_c.SBX_LIMIT_OUTPUT)
        self._closed = False

    # ------------------------------------------------------------ handles
    def _new_handle(self) -> Handle:
        h = Handle.copy_of(self._template)
        try:
            h.apply(self._options)
        except BaseException:
            h.close()
            raise
        return h

    def _acquire(self) -> Handle:
        with self._lock:
            if self._closed:
                raise ValueError("run on a closed Sandbox")
            if self._idle:
                return self._idle.pop()
        return self._new_handle()

    def _release(self, handle: Handle, reusable: bool) -> None:
        with self._lock:
            if reusable and not self._closed \
                    and len(self._idle) < _IDLE_HANDLES:
                self._idle.append(handle)
                return
        handle.close()

    def _start(self, args: Any, io: Dict[str, Any],
               sink: Optional[Callable[[Chunk], None]] = None,
               release: Optional[Callable[[Handle, bool], None]] = None
               ) -> Execution:
        io = check_run(io)
        argv = _argv(args, io.pop("shell"))
        timeout = io.pop("timeout")
        if timeout is None:
            timeout, timeout_ms = self._timeout, self._timeout_ms
        else:
            timeout_ms = make_options(timeout=timeout).timeout_ms
        return Execution(self._acquire(), release or self._release, args,
                         argv, timeout=timeout, timeout_ms=timeout_ms,
                         output_limit=self._output_limit, sink=sink, **io)

    # ------------------------------------------------------------ policy
    def policy(self) -> Dict[str, Any]:
        """The effective policy of this Sandbox's runs as a dict: the
        preset, the policy document and the options, as one complete
        policy document (sbx_policy_export(); docs/policy.md lists the
        keys).  ``limits["wall"]`` is a run's default wall-clock limit in
        seconds (0: none).  A variable passed by name (env value None)
        shows as None: its value is the caller's, never printed.
        ``Sandbox(policy=sb.policy())`` gives the same sandbox."""
        h = self._acquire()
        try:
            # A run with timeout= leaves its own limit on the handle.
            h.check(_c.sbx_limit(h.ptr, _c.SBX_LIMIT_WALL_MS,
                                 self._timeout_ms), config=True)
            return dict(json.loads(h.export()))
        finally:
            self._release(h, True)

    def explain(self, what: StrPath) -> Dict[str, Any]:
        """What this Sandbox's policy does with a path inside the sandbox
        (one that starts with "/") or a system call (a name such as
        "ptrace"), and which rule decides, as a dict (the keys of ``sbx
        policy explain --json``, docs/policy.md): for a path ``read``,
        ``write``, ``exec``, ``exists`` and ``rule``; for a system call
        ``action`` ("allow", "deny", "kill", "conditional"), ``errno``
        and ``rule``.

        Raises SandboxError (also a ValueError) for a relative path or an
        unknown system call.
        """
        name = check_path("what", what)
        h = self._acquire()
        try:
            return dict(json.loads(h.explain(name)))
        finally:
            self._release(h, True)

    # --------------------------------------------------------------- runs
    def run(self, args: Args, *, input: Optional[Union[bytes, str]] = None,
            stdin: Any = None, stdout: Any = None, stderr: Any = None,
            capture_output: bool = True, text: bool = False,
            encoding: Optional[str] = None, errors: Optional[str] = None,
            check: bool = False, shell: bool = False, pty: bool = False,
            timeout: Optional[float] = None,
            on_stdout: Optional[Callback] = None,
            on_stderr: Optional[Callback] = None) -> Result:
        """Run ``args`` in a new sandbox and wait for it, like
        subprocess.run(); returns a :class:`Result`.

        ``args`` is a list of str/bytes/path (the program is looked up in
        the sandbox's PATH), or a str that is the program, or with
        ``shell=True`` a /bin/sh command line.  stdout and stderr are
        captured by default (``capture_output=True``); stdin is
        /dev/null unless ``input`` (bytes, or str in text mode) is given.
        ``stdin``/``stdout``/``stderr`` also take sandbox.DEVNULL, PIPE,
        INHERIT (the caller's own stream), a file descriptor or a file
        object, and ``stderr=STDOUT`` merges stderr into stdout; the
        program never holds the caller's descriptor: the sandbox's
        supervisor relays it through a pipe, under ``output_limit``.
        ``pty=True`` gives the program a terminal of its own (isatty is
        true, so it streams and colours as on a terminal): its stdout,
        and its stderr when that goes where stdout goes (stderr=STDOUT),
        whose output then arrives as stdout; the terminal's output has
        "\r\n" line ends (text mode turns them into "\n").
        ``text=True`` (or ``encoding``/``errors``) decodes output as
        subprocess does.  ``timeout`` (seconds) overrides the Sandbox's.
        ``on_stdout``/``on_stderr`` are called with each piece of output
        as it arrives (bytes, or str in text mode), from this thread; the
        output is also kept in the result.

        Without ``check``, a run that a limit or the timeout stopped
        returns normally: see ``Result.status`` and ``Result.reason``.
        With ``check=True``, a timeout raises :class:`TimeoutExpired` and
        any other failure :class:`CalledProcessError`.  A sandbox that
        cannot be set up (including a program that does not exist inside
        it) raises :class:`SandboxError`.

        The GIL is released while waiting.  KeyboardInterrupt, or any
        exception from a callback, kills the sandbox before propagating.
        """
        check = run_switch("check", check)
        ex = self._start(args, dict(
            input=input, stdin=stdin, stdout=stdout, stderr=stderr,
            capture_output=capture_output, text=text, encoding=encoding,
            errors=errors, shell=shell, pty=pty, timeout=timeout,
            on_stdout=on_stdout, on_stderr=on_stderr))
        result = ex.wait()
        return ex.check(result) if check else result

    async def run_async(self, args: Args, *,
                        input: Optional[Union[bytes, str]] = None,
                        stdin: Any = None, stdout: Any = None,
                        stderr: Any = None, capture_output: bool = True,
                        text: bool = False, encoding: Optional[str] = None,
                        errors: Optional[str] = None, check: bool = False,
                        shell: bool = False, pty: bool = False,
                        timeout: Optional[float] = None,
                        on_stdout: Optional[Callback] = None,
                        on_stderr: Optional[Callback] = None) -> Result:
        """The asyncio form of run(): the same arguments and result.

        The event loop is never blocked: the output and the sandbox's
        status descriptor are watched with the loop (add_reader), and the
        callbacks run on the loop.  Cancelling the task kills the sandbox;
        CancelledError propagates once every process of it is gone.
        """
        from . import _aio

        check = run_switch("check", check)
        ex = self._start(args, dict(
            input=input, stdin=stdin, stdout=stdout, stderr=stderr,
            capture_output=capture_output, text=text, encoding=encoding,
            errors=errors, shell=shell, pty=pty, timeout=timeout,
            on_stdout=on_stdout, on_stderr=on_stderr))
        result = await _aio.AsyncRun(ex).wait()
        return ex.check(result) if check else result

    def stream(self, args: Args, *, input: Optional[Union[bytes, str]] = None,
               stdin: Any = None, text: bool = False,
               encoding: Optional[str] = None, errors: Optional[str] = None,
               check: bool = False, shell: bool = False, pty: bool = False,
               timeout: Optional[float] = None) -> "Stream":
        """Start ``args`` and return a :class:`Stream`: an async iterator
        of its output chunks, for long runs.  Call it from a coroutine::

            async with sb.stream(["make", "test"], text=True) as run:
                async for chunk in run:
                    print(chunk.stream, chunk.data, end="")
            print(run.result.returncode)

        Leaving the ``async with`` block early kills the sandbox.
        """
        from . import _aio

        return _aio.Stream(self, args, dict(
            input=input, stdin=stdin, stdout=None, stderr=None,
            capture_output=True, text=text, encoding=encoding, errors=errors,
            shell=shell, pty=pty, timeout=timeout, on_stdout=None,
            on_stderr=None),
            check)

    # ---------------------------------------------------------- lifetime
    def close(self) -> None:
        """Free the C handles.  Runs still going on in other threads or
        tasks finish normally and free theirs when they end.  Further
        run() calls raise ValueError.  Calling it again does nothing."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for h in idle:
            h.close()

    @property
    def closed(self) -> bool:
        """True once close() was called."""
        return self._closed

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, et: Any, e: Any, tb: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<sandbox.Sandbox {state}>"
