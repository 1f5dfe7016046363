"""What a server loads once (the index, the model's tables, jieba's dictionary) kept out of the cyclic garbage
collector's full collections.

A full collection walks every tracked object. With the seed index loaded that is about 345,000 of them, and in
``assistant serve`` under wrk a full collection came once per 2,500 or so questions and took about 125 ms of CPU,
a stall for every question waiting behind it (docs/BENCHMARKS.md). Frozen once loaded (``gc.freeze``), they are
left out of every collection; what the server allocates afterwards is collected as before. Frozen objects are
never freed by the collector, so a reload collects first: the old index's cycles are freed, the new index frozen.
"""

from __future__ import annotations

import gc


def freeze_loaded() -> None:
    """Leave every object alive now out of later collections: the loaded index and model stay for good."""
    gc.freeze()


def thaw() -> None:
    """Let the collector reach every object again (when the app that froze them stops)."""
    gc.unfreeze()


def refreeze() -> None:
    """After an index swap: collect what the old index leaves (its frozen cycles), then freeze what is alive now."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
