"""Running chunks of work on an executor: serial, any ``concurrent.futures.Executor`` or a
``dask.distributed.Client`` (recognised by its module, so dask is never imported here), and
how much memory a worker process has used.

The caller keeps at most ``2 x workers`` chunks in flight and folds the results as they
finish; results that depend on the order of folding are folded in chunk order by the caller.
"""

from __future__ import annotations

import os
import resource
import socket
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, wait
from typing import Any


def is_dask(executor: Any) -> bool:
    return type(executor).__module__.startswith("distributed")


def submit(executor: Any, fn: Callable[..., Any], *args: Any) -> Any:
    """Submit ``fn(*args)``; a dask client is told the call is not pure (never deduplicated)."""
    return executor.submit(fn, *args, pure=False) if is_dask(executor) else executor.submit(fn, *args)


def completed(executor: Any, pending: set[Any]) -> Iterator[Any]:
    """The futures of ``pending`` that have finished (at least one; waits for it)."""
    if is_dask(executor):
        from distributed import wait as dask_wait

        done = dask_wait(list(pending), return_when="FIRST_COMPLETED").done  # type: ignore[no-untyped-call]
    else:
        done = wait(pending, return_when=FIRST_COMPLETED).done
    yield from done


def workers(executor: Any) -> int:
    """How many chunks the executor runs at once."""
    if is_dask(executor):
        return max(1, int(sum(executor.nthreads().values())))
    return int(getattr(executor, "_max_workers", 2))


def describe(executor: Any) -> str:
    if executor is None:
        return "serial"
    if is_dask(executor):
        return f"dask.distributed ({workers(executor)} worker thread(s) at {executor.scheduler.address})"
    return f"{type(executor).__name__} ({workers(executor)} worker(s))"


def peak_memory() -> tuple[str, float]:
    """This process's name (host:pid) and its peak resident memory so far, MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    mib = peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux
    return f"{socket.gethostname()}:{os.getpid()}", float(mib)
