"""A notebook kernel kept warm for a worker's notebooks, reset between them to a fresh kernel's state.

Starting a kernel and importing the report stack (pandas, statsmodels, matplotlib, seaborn, the
package) costs about 3 s, as much as a small domain notebook's own work; a yearly run paid it once
per notebook. Each of the runner's workers now starts one kernel, imports the stack once, and runs
its notebooks there, one after the other, through papermill's own client (parameters, outputs,
errors as before; only the kernel's lifetime changes).

A notebook must still read as if it ran alone, so before each one the kernel is put back to the
state a fresh kernel has right after importing the stack (``restore`` below, run inside the
kernel): the user namespace and output history emptied, figures closed, matplotlib's settings and
the warning filters as they were after the import (a warning shown by one notebook is shown again
by the next), the working directory and module search path, and the execution counter at 1.
Modules stay imported (the stack's, which is the point, and any a notebook imported); the
package's keep no state between notebooks (tests/test_runner.py runs
the report notebooks in one warm kernel and in fresh kernels and compares every output). After a
notebook fails or times out the kernel is shut down and the next notebook gets a new one.

Only the runner's own worker processes keep a kernel (they live for one run); notebooks sent to
another executor (a Dask cluster's long-lived workers) start a fresh kernel each, so code changed
between two runs is never run stale.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from functools import cache

# Imported by every report notebook's first code cell: the warm kernel imports it once.
STACK = "analysis.report.sections"
_STATE: dict = {}  # inside the kernel: its state right after importing the stack


def snapshot() -> None:
    """Inside a kernel, right after importing the stack: remember what ``restore`` puts back."""
    import warnings

    import matplotlib as mpl

    _STATE.update(rc=mpl.rcParams.copy(), filters=list(warnings.filters), cwd=os.getcwd(), path=list(sys.path))


def restore() -> None:
    """Inside a kernel, before a notebook: the state of a fresh kernel that has imported the stack."""
    import warnings

    import matplotlib as mpl
    import matplotlib.pyplot as plt
    from IPython import get_ipython

    shell = get_ipython()
    # The user namespace, In/Out, the output cache, and a new history session whose counter starts
    # at 1 (a counter set back by hand clashes with the history database's line numbers).
    shell.reset(new_session=True)
    plt.close("all")
    with warnings.catch_warnings():  # restoring rcParams repeats deprecation warnings of old keys
        warnings.simplefilter("ignore")
        mpl.rcParams.clear()
        mpl.rcParams.update(_STATE["rc"])
    warnings.filters[:] = _STATE["filters"]
    # Clears every module's "already warned" registry, as a fresh process starts without one.
    getattr(warnings, "_filters_mutated", lambda: None)()
    os.chdir(_STATE["cwd"])
    sys.path[:] = _STATE["path"]


class WarmKernel:
    """One kernel for one worker's notebooks: started on first use, restarted after a failure."""

    def __init__(self, kernel_name: str, config, cwd: str, start_timeout: int) -> None:
        self.kernel_name, self.config, self.cwd, self.start_timeout = kernel_name, config, cwd, start_timeout
        self.km = None
        self.sockets: str | None = None

    def start(self) -> None:
        """Start the kernel and import the stack in it (silently: a notebook's outputs never show it)."""
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.sockets = tempfile.mkdtemp(prefix="kernel-")
        self.km = AsyncKernelManager(kernel_name=self.kernel_name, config=self.config(self.sockets))
        run_sync(self.km.start_kernel)(cwd=self.cwd)
        self._run(f"import {STACK}\nimport analysis.run.warm_kernel\nanalysis.run.warm_kernel.snapshot()")

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return self.km is not None and run_sync(self.km.is_alive)()

    def prepare(self) -> None:
        """A kernel in a fresh kernel's state, ready for the next notebook."""
        if not self.alive():
            self.shutdown()
            self.start()
        self._run("__import__('analysis.run.warm_kernel').run.warm_kernel.restore()")

    def _run(self, code: str) -> None:
        from jupyter_core.utils import run_sync

        client = self.km.client()
        client.start_channels()
        try:
            run_sync(client.wait_for_ready)(timeout=self.start_timeout)
            reply = run_sync(client.execute_interactive)(code, silent=True, store_history=False,
                                                          timeout=self.start_timeout, output_hook=lambda msg: None)  # fmt: skip
        finally:
            client.stop_channels()
        if reply["content"]["status"] != "ok":
            content = reply["content"]
            raise RuntimeError(f"the warm kernel could not be prepared: {content.get('ename')}: {content.get('evalue')}")

    def shutdown(self) -> None:
        from jupyter_core.utils import run_sync

        if self.km is not None:
            try:
                run_sync(self.km.shutdown_kernel)(now=True)
            except Exception:  # already gone: nothing to stop
                pass
            self.km = None
        if self.sockets:
            shutil.rmtree(self.sockets, ignore_errors=True)
            self.sockets = None


def execute_in(kernel: WarmKernel, source: str, target: str, parameters: dict, timeout: int) -> None:
    """papermill.execute_notebook, in ``kernel`` (reset first); raises what papermill raises."""
    import papermill as pm

    _register_engine()
    kernel.prepare()
    try:
        pm.execute_notebook(source, target, parameters=parameters, kernel_name=kernel.kernel_name, language="python",
                            cwd=kernel.cwd, progress_bar=False, execution_timeout=timeout, km=kernel.km,
                            engine_name=ENGINE)  # fmt: skip
    except BaseException:  # a failed or timed-out notebook may leave anything behind: the next gets a new kernel
        kernel.shutdown()
        raise


ENGINE = "warm-kernel"


@cache
def _register_engine() -> None:
    """papermill's nbclient engine, but its kernel client closed after the notebook, the kernel kept."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    class WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
                                     start_timeout=60, execution_timeout=None, **kwargs):  # fmt: skip
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            client = PapermillNotebookClient(nb_man, **merge_kwargs(
                kwargs, timeout=execution_timeout, startup_timeout=start_timeout, kernel_name=kernel_name,
                log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file))  # fmt: skip
            try:
                return client.execute()
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()

    papermill_engines.register(ENGINE, WarmKernelEngine)
