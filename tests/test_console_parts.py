"""The console's parts on their own: the SVG chart, the staging folder, the session signer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.admin_session import SessionSigner
from assistant.charts import Series, line_chart
from assistant.converters import ConversionError, Limits
from assistant.errors import DocumentNotFound
from assistant.staging import Staging


def test_chart_draws_each_series_with_gaps_and_describes_it() -> None:
    svg = line_chart(
        "c1",
        "养老: rates",
        ["2025-01-06", "2025-01-13", "2025-01-20"],
        [Series("回答率", [0.5, 1.0, 0.25]), Series("有帮助率", [None, 0.5, None])],
    )
    assert svg.startswith('<svg class="chart"') and 'role="img"' in svg and 'aria-labelledby="c1-t c1-d"' in svg
    assert '<title id="c1-t">养老: rates</title>' in svg
    assert "回答率: 2025-01-06 50%, 2025-01-13 100%, 2025-01-20 25%" in svg
    assert "有帮助率: 2025-01-06 –, 2025-01-13 50%, 2025-01-20 –" in svg
    polylines = re.findall(r'<polyline points="([^"]+)"', svg)
    # The second series has one point only: a marker, no line.
    assert len(polylines) == 1 and len(polylines[0].split()) == 3
    ys = [float(p.split(",")[1]) for p in polylines[0].split()]
    assert ys[1] < ys[0] < ys[2]  # 100% is highest on the page, 25% lowest
    assert "<script" not in svg


def test_chart_escapes_names() -> None:
    svg = line_chart("c2", "<b>x</b>", ["2025-01-06"], [Series("a&b", [0.5])])
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "a&amp;b" in svg


def test_staging_keeps_converted_uploads_until_published_or_discarded(tmp_path: Path) -> None:
    staging = Staging(tmp_path / "staging", Limits())
    staged = staging.put("../../guide.md", "办事指南\n带身份证到窗口办理。\n".encode())
    assert staged.name == "guide.md" and staging.get(staged.stage_id) == staged
    with pytest.raises(ConversionError):
        staging.put("empty.pdf", b"")
    (tmp_path / "staging" / "0123456789abcdef").mkdir()
    (tmp_path / "staging" / "0123456789abcdef" / "meta.json").write_text("{half", encoding="utf-8")
    assert [s.stage_id for s in staging.all()] == [staged.stage_id]
    corpus = tmp_path / "corpus"
    added = staging.publish(staged.stage_id, corpus)
    assert (corpus / f"{added.document.doc_id}.txt").is_file()
    with pytest.raises(DocumentNotFound):
        staging.get(staged.stage_id)
    with pytest.raises(DocumentNotFound):
        staging.get("../../etc")


def test_sessions_expire_and_are_bound_to_the_token() -> None:
    signer = SessionSigner("token-one-0123456789", 60)
    session, cookie = signer.issue(now=1000.0)
    assert signer.read(cookie, now=1059.0) == session
    assert signer.read(cookie, now=1061.0) is None
    assert SessionSigner("token-two-0123456789", 60).read(cookie, now=1001.0) is None
    expires, nonce, mac = cookie.split(".")
    assert signer.read(f"{int(expires) + 3600}.{nonce}.{mac}", now=1001.0) is None
    assert signer.check_csrf(session, signer.csrf_token(session))
    assert not signer.check_csrf(session, None)
