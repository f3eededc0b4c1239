"""A small site of reviews for the search tests: three films by two directors, a spoiler, a
draft and a scheduled post, each with a word no other text holds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SPOILER_WORD = "zeugmatically"  # only inside a spoiler block of the her review
DRAFT_WORD = "zanzibarine"  # only in a draft
SCHEDULED_WORD = "xylophonist"  # only in a post dated next century
FILLER = "The long middle of this review talks about the cinematography at length. " * 40


def post(folder: Path, slug: str, body: str, **meta) -> None:
    lines = [f"{key}: {json.dumps(value)}" for key, value in meta.items()]
    text = "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"
    (folder / "pages" / f"{slug}.md").write_text(text, encoding="utf-8")


def build_site(folder: Path) -> Path:
    """The site folder: the shipped her review (with a spoiler) and posts around it."""
    (folder / "pages").mkdir(parents=True, exist_ok=True)
    (folder / "comments").mkdir(exist_ok=True)
    for name in ("templates", "static"):
        if not (folder / name).exists():
            (folder / name).symlink_to(PROJECT / name)
    her = (PROJECT / "pages/her.md").read_text(encoding="utf-8")
    spoiler = f"\n```spoiler\nIn the end Samantha leaves for an {SPOILER_WORD} of her own.\n```\n"
    (folder / "pages/her.md").write_text(her + spoiler, encoding="utf-8")
    post(folder, "lost-in-translation", f"A ghostwriter is never mentioned again. {FILLER}",
         title="Lost in Translation", date="2015-03-01", tags=["drama", "comedy"],
         review={"title": "Lost in Translation", "year": 2003, "director": "Sofia Coppola",
                 "rating": 4})  # fmt: skip
    post(folder, "adaptation", "A screenwriter adapts a book about orchids.",
         title="Adaptation", date="2016-01-01", tags=["comedy"],
         review={"title": "Adaptation", "year": 2002, "director": "Spike Jonze",
                 "rating": 4.5})  # fmt: skip
    post(folder, "secret", f"A {DRAFT_WORD} in the making.", title="Secret", date="2016-02-01",
         draft=True)  # fmt: skip
    post(folder, "later", f"A {SCHEDULED_WORD} piece.", title="Later", date="2199-01-01")
    shutil.copy(PROJECT / "pages/about.md", folder / "pages/about.md")
    return folder
