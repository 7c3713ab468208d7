"""Where the CLI's ensembles run: serially, on local processes or on a dask.distributed cluster.

``--scheduler tcp://HOST:PORT`` (or the ``DASK_SCHEDULER_ADDRESS`` environment variable, as
dask itself reads it) connects to a running scheduler; the extra ``nettonul[cluster]`` brings
``dask.distributed``. Without a scheduler, ``--workers N`` above 1 starts N local processes.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

import typer

from nettonul.engine.core.errors import SpecError

SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
SCHEDULER_OPTION = typer.Option(
    None, "--scheduler",
    help="Run on a dask.distributed cluster at this address (tcp://HOST:PORT); default: $DASK_SCHEDULER_ADDRESS.")


def scheduler_address(option: str | None) -> str | None:
    return option or os.environ.get(SCHEDULER_ENV) or None


@contextmanager
def executor(scheduler: str | None, workers: int, preload: str) -> Iterator[Any]:
    """An executor for the run (None: serial); closed afterwards."""
    address = scheduler_address(scheduler)
    if address:
        try:
            from distributed import Client
        except ImportError:  # pragma: no cover - the extra is part of the development install
            raise SpecError("a --scheduler needs dask.distributed: pip install 'nettonul[cluster]'") from None
        try:
            client = Client(address, timeout="10s")  # type: ignore[no-untyped-call]
        except OSError as exc:
            raise SpecError(f"cannot reach the dask scheduler at {address}: {exc}") from None
        try:
            yield client
        finally:
            client.close()  # type: ignore[no-untyped-call]
        return
    if workers > 1:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([preload])
        with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
            yield pool
        return
    yield None
