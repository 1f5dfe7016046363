"""What a server's start loads: no library it only needs later, and jieba's dictionary as jieba itself loads it."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration


def run(code: str) -> str:
    """The output of ``code`` run in a fresh interpreter (imports are per process)."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_the_app_imports_no_converter_or_tagger_library() -> None:
    """pypdf, python-docx, trafilatura and jieba's tagger load when staff first use them, not at start."""
    later = ("pypdf", "docx", "trafilatura", "jieba.posseg")
    out = run(f"import sys, assistant.api; print(sorted(m for m in {later!r} if m in sys.modules))")
    assert out == "[]"


def test_the_tagger_still_loads_when_a_report_needs_it() -> None:
    code = "import sys; from assistant.text import place_names; names = place_names('潍坊市奎文区北海路街道')"
    out = run(code + "; print(bool(names), 'jieba.posseg' in sys.modules)")
    assert out == "True True"


def test_jieba_dictionary_loaded_in_one_read_is_jiebas_own() -> None:
    """load_jieba reads the cache jieba writes; the words and counts are those jieba's own loading gives."""
    code = (
        "import jieba, logging; jieba.setLogLevel(logging.WARNING); jieba.initialize(); "
        "from assistant.text import load_jieba; theirs = (dict(jieba.dt.FREQ), jieba.dt.total); "
        "jieba.dt.initialized = False; jieba.dt.FREQ = {}; load_jieba(); "
        "print(jieba.dt.initialized, (dict(jieba.dt.FREQ), jieba.dt.total) == theirs, len(theirs[0]) > 100000)"
    )
    assert run(code) == "True True True"
