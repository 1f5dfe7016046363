"""Thread pools are pinned from the settings: environment for later loads and child processes, pools in place."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import faiss
import numpy  # noqa: F401 (loaded, so that its BLAS pool is among those resized)
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from assistant.settings import Settings
from assistant.threads import THREAD_ENV_VARS, pin_threads, thread_env


@pytest.fixture
def restore_threads() -> Iterator[None]:
    import torch  # here, not at the top: collecting the unit tests should not cost torch's import

    env = {name: os.environ.get(name) for name in THREAD_ENV_VARS}
    torch_threads, faiss_threads = torch.get_num_threads(), faiss.omp_get_max_threads()
    with threadpool_limits(limits=None):
        yield
    for name, value in env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    torch.set_num_threads(torch_threads)
    faiss.omp_set_num_threads(faiss_threads)


@pytest.mark.integration  # loads torch, the real model's runtime
@pytest.mark.parametrize("threads", [1, 2])
def test_pin_threads_resizes_loaded_pools(threads: int, restore_threads: None) -> None:
    import torch

    pin_threads(Settings(blas_threads=threads, embed_threads=threads))

    assert all(os.environ[name] == str(threads) for name in THREAD_ENV_VARS)
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == threads for pool in blas)
    assert faiss.omp_get_max_threads() == threads
    assert torch.get_num_threads() == threads


@pytest.mark.integration
def test_thread_env_reaches_a_fresh_process() -> None:
    env = dict(os.environ, **thread_env(Settings(blas_threads=2)))
    code = "import numpy, threadpoolctl; print({p['num_threads'] for p in threadpoolctl.threadpool_info()})"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "{2}"


@pytest.mark.integration
def test_the_cli_pins_threads_before_the_libraries_load() -> None:
    env = dict(os.environ, ASSISTANT_BLAS_THREADS="1", OPENBLAS_NUM_THREADS="7", OMP_NUM_THREADS="7")
    code = (
        "import os, sys; from assistant import cli; sys.argv = ['assistant', '--help']\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "print(os.environ['OPENBLAS_NUM_THREADS'], os.environ['OMP_NUM_THREADS'])"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "1 1"
