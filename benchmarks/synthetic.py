"""Deterministic synthetic corpora: the seed article among documents recombined from Chinese filler sentences."""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
from pathlib import Path

from assistant.chunking import chunk_text
from assistant.corpus import load_document

SENTENCE = re.compile(r"[^。！？]+[。！？]")
MIN_SENTENCE_CHARS = 8
SENTENCES_PER_PARAGRAPH = (3, 8)
PARAGRAPHS_PER_DOCUMENT = (3, 6)
MARKER = ".synthetic.json"


def filler_sentences(cmrc_file: Path) -> tuple[list[str], list[str]]:
    """Titles and sentences of the CMRC 2018 paragraphs, in file order."""
    data = json.loads(cmrc_file.read_text(encoding="utf-8"))["data"]
    titles = [article["title"].strip() for article in data if article["title"].strip()]
    sentences = [
        s.strip()
        for article in data
        for paragraph in article["paragraphs"]
        for s in SENTENCE.findall(paragraph["context"])
        if len(s.strip()) >= MIN_SENTENCE_CHARS
    ]
    return titles, sentences


def _document(rng: random.Random, titles: list[str], sentences: list[str], n: int) -> tuple[str, str]:
    """One document: a numbered title and paragraphs of sentences drawn at random."""
    paragraphs = [
        "".join(rng.choice(sentences) for _ in range(rng.randint(*SENTENCES_PER_PARAGRAPH)))
        for _ in range(rng.randint(*PARAGRAPHS_PER_DOCUMENT))
    ]
    return f"{rng.choice(titles)}（{n}）", "\n".join(paragraphs) + "\n"


def generate(out: Path, passages: int, seed_docs: list[Path], cmrc_file: Path, chunk_size: int, seed: int = 5) -> int:
    """Write a corpus of about ``passages`` passages (the seed documents plus filler) into ``out``; return the count.

    The same arguments always give the same files; an existing corpus made with them is kept as it is.
    """
    key = hashlib.sha256(
        json.dumps([passages, chunk_size, seed, *(p.read_text(encoding="utf-8") for p in seed_docs)]).encode()
        + hashlib.sha256(cmrc_file.read_bytes()).digest()
    ).hexdigest()
    marker = out / MARKER
    if marker.is_file() and json.loads(marker.read_text(encoding="utf-8")).get("key") == key:
        return int(json.loads(marker.read_text(encoding="utf-8"))["passages"])
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    count = 0
    for path in seed_docs:
        shutil.copyfile(path, out / path.name)
        doc = load_document(out / path.name)
        count += len(chunk_text(doc.doc_id, doc.text, chunk_size))
    titles, sentences = filler_sentences(cmrc_file)
    rng = random.Random(seed)
    n = 0
    while count < passages:
        title, body = _document(rng, titles, sentences, n)
        day = 1 + n % 28
        (out / f"syn_{n:06d}.txt").write_text(
            f"---\ntitle: {title}\npublished: 2020-01-{day:02d}\n---\n{body}", encoding="utf-8"
        )
        count += len(chunk_text(f"syn_{n:06d}", body, chunk_size))
        n += 1
    marker.write_text(json.dumps({"key": key, "passages": count, "documents": n + len(seed_docs)}), encoding="utf-8")
    return count
