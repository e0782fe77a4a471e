"""The Sandbox class: a configuration, its C handles, and its runs."""

from __future__ import annotations

import inspect
import json
import threading
from typing import (TYPE_CHECKING, Any, Callable, Dict, Iterable, List,
                    Mapping, Optional)

from . import _sandbox as _c
from ._config import (BindSpec, Env, Handle, Network, Options, Policy,
                      Preset, Size, StrPath, Writable, check_path,
                      limit_option, make_options, policy_template)
from ._exec import (Args, Callback, Execution, File, Input, check_run,
                    make_argv, run_switch)
from ._result import Chunk, Result

if TYPE_CHECKING:
    from ._aio import Stream


# Idle handles a Sandbox keeps for its next runs; more are made on demand
# (one per concurrent run) and destroyed when they come back.
_IDLE_HANDLES = 4


class Sandbox:
    """A reusable sandbox configuration: run() it as often as needed.

    Every run gets a fresh sandbox (new namespaces, a new root, nothing
    left from the previous run) built from this configuration.  Runs may
    go on at the same time from many threads and asyncio tasks.  Use it as
    a context manager, or call close(), to free its C handles.

    Options (all keyword-only; None keeps the policy's value, else the
    library's default).  Each
    takes exactly what is listed here, nothing that merely looks like it:
    the switches (seccomp_kill, single_id, allow_degraded, read_only,
    allow_setid) take True or False, not 1 or "false"; network takes
    "none" or "host".  Anything else raises TypeError (a wrong type) or
    ValueError (a wrong value) naming the option.

    timeout
        wall-clock limit in seconds; every process is killed when it
        passes (status "timeout").  Default: the policy's, else the
        library's (1 hour); 0: no limit.
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
        the policy's workspace, as ``sbx run --rw`` does; True or "live"
        without any workspace is a SandboxError (also a ValueError).
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

    The limits that are 0 mean "no limit", except disk and output_limit
    (as in the library, `sbx run` and Node).

    Order, as ``sbx run`` applies them: the preset, then the policy
    document, then the other options, which override both (an explicit
    ``timeout``, ``memory`` or ``network`` wins over the policy's; lists
    such as ``binds``, ``env`` and ``require`` add to the policy's).  The
    options left at None keep what the policy says, else the library's
    defaults.  The policy is read once, here.

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
                 env: Optional[Env] = None,
                 cwd: Optional[StrPath] = None,
                 workspace: Optional[StrPath] = None,
                 writable: Optional[Writable] = None,
                 binds: Iterable[BindSpec] = (),
                 network: Optional[Network] = None,
                 seccomp_kill: Optional[bool] = None,
                 single_id: Optional[bool] = None,
                 preset: Optional[Preset] = None,
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
        argv = make_argv(args, io.pop("shell"))
        # A run's own timeout, for this run only; None keeps the handle's.
        timeout = io.pop("timeout")
        wall_ms = (None if timeout is None
                   else limit_option("timeout", timeout)[1])
        return Execution(self._acquire(), release or self._release, args,
                         argv, wall_ms=wall_ms,
                         output_limit=self._output_limit, sink=sink, **io)

    # ------------------------------------------------------------ policy
    def policy(self) -> Dict[str, Any]:
        """The effective policy of this Sandbox's runs as a dict: the
        preset, the policy document and the options, as one complete
        policy document (sbx_policy_export(); docs/policy.md lists the
        keys).  ``limits["wall"]`` is a run's wall-clock limit in seconds
        (0: none) when run() is not given a timeout.  A variable passed
        by name (env value None) shows as None: its value is the
        caller's, never printed.
        ``Sandbox(policy=sb.policy())`` gives the same sandbox."""
        h = self._acquire()
        try:
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
    def run(self, args: Args, *, input: Input = None,
            stdin: File = None, stdout: File = None, stderr: File = None,
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
        subprocess does.  ``timeout`` (seconds, 0: no limit) overrides
        the Sandbox's for this run only.  ``on_stdout``/``on_stderr`` are
        called with each piece of output as it arrives (bytes, or str in
        text mode), from this thread; the output is also kept in the
        result.

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
        ex = self._start(args, run_options(locals()))
        result = ex.wait()
        if check:
            result.check_returncode()
        return result

    async def run_async(self, args: Args, *,
                        input: Input = None,
                        stdin: File = None, stdout: File = None,
                        stderr: File = None, capture_output: bool = True,
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
        ex = self._start(args, run_options(locals()))
        result = await _aio.AsyncRun(ex).wait()
        if check:
            result.check_returncode()
        return result

    def stream(self, args: Args, *, input: Input = None,
               stdin: File = None, text: bool = False,
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

        return _aio.Stream(self, args, run_options(locals()), check)

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


# The options of one run: the keywords of Sandbox.run() but check, with
# their defaults.
_RUN_OPTIONS = {
    name: p.default for name, p in inspect.signature(Sandbox.run).parameters
    .items() if p.kind is inspect.Parameter.KEYWORD_ONLY and name != "check"}


def run_options(arguments: Mapping[str, Any]) -> Dict[str, Any]:
    """The options of one run among a function's arguments (its
    locals()); those it does not take (stream() reads the output itself,
    so it has no stdout) have Sandbox.run()'s defaults."""
    return {name: arguments.get(name, default)
            for name, default in _RUN_OPTIONS.items()}
