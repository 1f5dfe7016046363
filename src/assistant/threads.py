"""Thread pools pinned per process, so that server workers sharing a few cores don't oversubscribe them."""

from __future__ import annotations

import contextlib
import os
import sys

from assistant.settings import Settings

# Read by OpenBLAS, MKL, Accelerate and OpenMP runtimes when they load; inherited by worker processes.
THREAD_ENV_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")


def thread_env(settings: Settings) -> dict[str, str]:
    """The environment variables that size BLAS and OpenMP pools to ``blas_threads``."""
    return dict.fromkeys(THREAD_ENV_VARS, str(settings.blas_threads))


def pin_threads(settings: Settings) -> None:
    """Size every thread pool of this process (and of the processes it starts) from the settings.

    The environment variables take effect for libraries loaded later (and in child processes); pools of
    libraries already loaded are resized in place.
    """
    os.environ.update(thread_env(settings))
    if "numpy" in sys.modules or "faiss" in sys.modules:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=settings.blas_threads)
    if "faiss" in sys.modules:
        import faiss

        faiss.omp_set_num_threads(settings.blas_threads)
    if "torch" in sys.modules:
        import torch

        torch.set_num_threads(settings.embed_threads)
        # torch allows this only once per process, before any inter-op work: the first call stands.
        with contextlib.suppress(RuntimeError):
            torch.set_num_interop_threads(settings.torch_interop_threads)
