"""Ctrl-C and SIGTERM during `run` (SPEC §12): the main process raises, so the staging folder is
removed on the way out — except inside a `deferred_stop` block (forking workers, the swap's two
renames), which raises at its end; the workers leave both signals to the main process.
"""

from __future__ import annotations

import contextlib
import ctypes
import signal

_STOP: dict = {"signal": None, "deferred": 0}  # the stop signal received; inside how many deferred_stop blocks


class Terminated(BaseException):
    """SIGTERM, raised in the main process so cleanup runs (see `on_stop_signal`)."""


def on_stop_signal(signum: int, frame: object = None) -> None:
    """The handler `run` installs for SIGINT and SIGTERM: raise (so the staging folder is removed
    on the way out), except inside a deferred_stop block, which raises at its end — a raise between
    forking a worker and recording it would leave that worker running, holding the lock."""
    _STOP["signal"] = signum
    if not _STOP["deferred"]:
        _raise_stop()


def reset_stop() -> None:
    _STOP.update(signal=None, deferred=0)


def _raise_stop() -> None:
    signum = _STOP["signal"]
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    if signum is not None:
        raise Terminated()


@contextlib.contextmanager
def deferred_stop():
    _STOP["deferred"] += 1
    try:
        yield
    finally:
        _STOP["deferred"] -= 1
    if not _STOP["deferred"]:
        _raise_stop()


@contextlib.contextmanager
def signals_held():
    """Block SIGINT and SIGTERM (default handlers included) until the block ends."""
    wanted = {signal.SIGINT, signal.SIGTERM}
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, wanted)
    except (AttributeError, ValueError, OSError):
        yield None
        return
    try:
        yield wanted
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _take_pending(wanted: set | None) -> int | None:
    """The stop signal that arrived while held (consumed, so it does not fire later), if any."""
    found = None
    while wanted and hasattr(signal, "sigtimedwait"):
        info = signal.sigtimedwait(wanted, 0)
        if info is None:
            break
        found = found or info.si_signo
    return found


def stop_pending(held: set | None) -> bool:
    """Inside `deferred_stop()` and `signals_held()`: whether a stop has arrived (one held back is
    taken over, so the deferred stop raises it as the block ends)."""
    pending = _take_pending(held)
    if pending is not None:
        _STOP["signal"] = _STOP["signal"] or pending
    return _STOP["signal"] is not None


def forget_stop(held: set | None) -> None:
    """A stop arriving now is too late to matter (the run is complete): drop it."""
    _take_pending(held)
    _STOP["signal"] = None


def ignore_stops_in_worker() -> None:
    """Workers leave Ctrl-C and SIGTERM to the main process, which ends them after cleaning up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    # Linux: die with the main process (kill -9), else an orphan would keep the lock it inherited
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
