"""asyncio support: watch a run's descriptors with the event loop, never
blocking it."""

from __future__ import annotations

import asyncio
import errno
import os
from typing import Any, Dict, Optional, Tuple

from . import _sandbox as _c
from ._result import Chunk, Result
from ._exec import Execution, run_switch

# After the status descriptor's EOF the supervisor is exiting; until its
# control socket closes, sbx_try_wait() says EAGAIN.  Poll it with a short,
# growing delay: the window is normally well under a millisecond.
_REAP_FIRST_DELAY = 0.0005
_REAP_MAX_DELAY = 0.02
# A killed sandbox is reaped in milliseconds; past this, give up waiting
# with the loop and reap it blocking (never expected).
_KILL_GRACE = 30.0


class AsyncRun:
    """Drives one Execution from the running event loop.

    The readers feed output as it arrives; when every descriptor is at
    EOF the handle is reaped with sbx_try_wait() and released, whether or
    not anyone awaits wait(), so an abandoned run leaks nothing once it
    ends.
    """

    def __init__(self, ex: Execution) -> None:
        self.ex = ex
        self.loop = asyncio.get_running_loop()
        # (result, exception) once the run is reaped and released.
        self.done: asyncio.Future[Tuple[Optional[Result],
                                        Optional[BaseException]]]
        self.done = self.loop.create_future()
        self._open: Dict[int, int] = dict(ex.fds)
        try:
            for fd in self._open:
                os.set_blocking(fd, False)
                self.loop.add_reader(fd, self._on_readable, fd)
        except BaseException:
            self._remove_readers()
            ex.abort()
            ex.release()
            raise

    def _remove_readers(self) -> None:
        for fd in self._open:
            self.loop.remove_reader(fd)
        self._open = {}

    def _on_readable(self, fd: int) -> None:
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""  # treat a broken descriptor as its end
        stream = self._open[fd]
        if data:
            if stream:
                self.ex.feed(stream, data)
            return
        self.loop.remove_reader(fd)
        del self._open[fd]
        if stream:
            self.ex.eof(stream)
        if not self._open:
            self._reap(_REAP_FIRST_DELAY)

    def _reap(self, delay: float) -> None:
        if self.done.done():
            return
        ex = self.ex
        rc = _c.sbx_try_wait(ex.handle.ptr)
        if rc == -errno.EAGAIN:
            self.loop.call_later(delay, self._reap,
                                 min(delay * 2, _REAP_MAX_DELAY))
            return
        self._finish(rc)

    def _finish(self, rc: int) -> None:
        ex = self.ex
        result: Optional[Result] = None
        error: Optional[BaseException] = None
        try:
            result = ex.finish(rc)
        except BaseException as e:  # noqa: B902 - handed to wait()
            error = e
        ex.release()
        if not self.done.done():
            self.done.set_result((result, error))

    def kill(self) -> None:
        """Kill the sandbox; the readers then see EOF and reap it."""
        self.ex.kill()

    def _reap_blocking(self) -> None:
        # The last resort (the loop cannot wait any more): kill and reap.
        self._remove_readers()
        self.ex.abort()
        self.ex.release()
        if not self.done.done():
            self.done.set_result((None, asyncio.CancelledError()))

    async def wait(self) -> Result:
        """The result, once the run ended; cancelling kills the sandbox
        and waits (with the loop) until every process of it is gone."""
        try:
            result, error = await asyncio.shield(self.done)
        except asyncio.CancelledError:
            self.kill()
            try:
                await asyncio.wait_for(asyncio.shield(self.done), _KILL_GRACE)
            except BaseException:
                self._reap_blocking()
            raise
        if error is not None:
            raise error
        assert result is not None
        return result


class Stream:
    """A running sandbox whose output is read as an async iterator.

    Made by sandbox.stream() or Sandbox.stream().  ``async for chunk in
    stream`` yields :class:`Chunk` objects (``stream``: "stdout" or
    "stderr"; ``data``: bytes, or str in text mode) until the program's
    output ends.  ``await stream.wait()`` returns the :class:`Result`
    (raising as run() does with ``check=True``), also available as
    ``stream.result`` once the run ended.  ``kill()`` ends it early.
    ``async with`` kills the sandbox when the block is left before the
    run ended, and waits for it either way.
    """

    def __init__(self, owner: Any, args: Any, io: Dict[str, Any],
                 check: bool, close_owner: bool = False) -> None:
        self._queue: asyncio.Queue[Optional[Chunk]] = asyncio.Queue()
        self._close_owner = owner if close_owner else None
        self.result: Optional[Result] = None
        """The Result once the run ended, else None."""
        try:
            self._check = run_switch("check", check)
            asyncio.get_running_loop()  # before starting anything
            ex = owner._start(args, io, sink=self._queue.put_nowait)
            self._run = AsyncRun(ex)
        except BaseException:
            if self._close_owner is not None:
                self._close_owner.close()
            raise
        self._run.done.add_done_callback(self._ended)

    def _ended(self, done: "asyncio.Future[Any]") -> None:
        self.result = done.result()[0]
        self._queue.put_nowait(None)
        if self._close_owner is not None:
            self._close_owner.close()

    def __aiter__(self) -> "Stream":
        return self

    async def __anext__(self) -> Chunk:
        chunk = await self._queue.get()
        if chunk is None:
            self._queue.put_nowait(None)  # iterating again ends at once
            raise StopAsyncIteration
        return chunk

    def kill(self) -> None:
        """Kill every process of the sandbox (the result says "killed")."""
        self._run.kill()

    async def wait(self) -> Result:
        """Wait for the end of the run and return its Result; with
        ``check=True``, raise CalledProcessError or TimeoutExpired as
        run() does.  Cancelling it kills the sandbox."""
        result = await self._run.wait()
        self.result = result
        if self._check:
            result.check_returncode()
        return result

    async def __aenter__(self) -> "Stream":
        return self

    async def __aexit__(self, et: Any, e: Any, tb: Any) -> None:
        if not self._run.done.done():
            # Left before the output ended (break, return, an error):
            # the caller stopped reading, so stop the program.
            self.kill()
        if et is None:
            await self.wait()
            return
        try:
            self.result = await self._run.wait()
        except Exception:
            pass  # the block's own exception is the one to see
