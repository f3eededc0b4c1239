"""`flask check`: each problem in pages/ and comments/ as `path:line: message`, CI exit status."""

from __future__ import annotations

import json

import pytest

COMMENT = {"id": "c1", "parent": None, "author": "Ann", "body": "Fine.",
           "created": "2024-01-02T10:00:00Z", "status": "approved"}  # fmt: skip

GOOD = """\
---
title: Good
date: 2024-01-01
colour: red
---

A first paragraph.

See [the missing one](/posts/missing/) and [the draft](/posts/unfinished/).

```markdown
[an example, not a link](/posts/example-in-code/)
```

And `[inline code](/posts/also-in-code/)` is not a link either, but [this][ref] is.

[ref]: https://reviews.example/posts/gone/
"""


@pytest.fixture
def problem_site(site, write_post, write_comments):
    (site / "pages" / "good.md").write_text(GOOD, encoding="utf-8")
    write_post("unfinished", draft=True)
    write_post("untitled", raw="---\ndate: 2024-01-01\n---\nNo title.\n")
    write_post("bad-yaml", raw="---\ntitle: Bad\ndate: 2024-01-01\ntags: [drama\n---\nx\n")
    write_post("original")
    write_post("twin", raw="---\ntitle: Twin\ndate: 2024-01-01\nslug: original\n---\nTwin.\n")
    write_comments("good", [COMMENT])
    write_comments("unfinished", [COMMENT, {**COMMENT, "id": "c2", "author": None}])
    write_comments("orphan", [COMMENT])
    (site / "comments" / "untitled.json").write_text('{"post": "untitled",\n  "comments": [\n')


def test_check_reports_each_problem_with_file_and_line(runner, problem_site):
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "comments/orphan.json:1: comments for 'orphan', but there is no such post in pages/",
        'comments/unfinished.json:12: comment 2: "author" is missing or not text',
        "comments/untitled.json:3: does not parse: unexpected end of data",
        "pages/bad-yaml.md:4: YAML does not parse: while parsing a flow sequence, "
        "expected ',' or ']', but got '<stream end>'",
        "pages/good.md:4: warning: unknown key 'colour' is ignored",
        "pages/good.md:9: link to a post that does not exist: /posts/missing/",
        "pages/good.md:9: warning: link to /posts/unfinished/, which readers cannot see yet "
        "(draft or scheduled)",
        "pages/good.md:17: link to a post that does not exist: /posts/gone/",
        "pages/original.md:1: slug 'original' is also used by pages/twin.md",
        "pages/twin.md:4: slug 'original' is also used by pages/original.md",
        "pages/untitled.md:1: missing required key 'title'",
        "9 errors, 2 warnings in 6 pages and 4 comment files.",
    ]


def test_check_passes_a_clean_site(runner, write_post, write_comments):
    write_post("her", body="Compare [the other one](/posts/blade-runner/#end).")
    write_post("blade-runner")
    write_comments("her", [COMMENT])
    result = runner.invoke(args=["check"])
    assert result.exit_code == 0
    assert result.output == "No problems in 2 pages and 1 comment file.\n"


def test_warnings_alone_do_not_fail(runner, write_post):
    write_post("her", mood="wistful")
    result = runner.invoke(args=["check"])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "pages/her.md:2: warning: unknown key 'mood' is ignored",
        "0 errors, 1 warning in 1 page and 0 comment files.",
    ]


def test_check_names_a_file_flatpages_cannot_read(runner, write_post):
    write_post("her")
    write_post("odd", raw="---\ntitle: Odd\ndate: 2024-01-01\n---\nA form\x0cfeed.\n")
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "pages/odd.md:5: cannot be read: unacceptable character #x000c: "
        "special characters are not allowed"
    )


def test_comment_file_that_is_not_an_object(runner, site, write_post):
    write_post("her")
    (site / "comments" / "her.json").write_text(json.dumps(["not", "an", "object"]))
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        'comments/her.json:1: expected an object with a "comments" list'
    )


def test_links_to_site_paths_that_lead_nowhere_are_warnings(runner, write_post):
    body = (
        "[ok](../other/) [ok](/tags/drama/) [ok](/archive) ![ok](/static/favicon.svg)\n"
        "[gone](../nope/) [gone](/nope/) [gone](/tags/nope/)\n"
        '<img src="/static/missing.jpg"> [post](../gone/) [off](https://elsewhere.example/nope/)\n'
        "[odd](//[x]/) [anchor](#notes)"
    )
    write_post("her", tags=["drama"], body=body)
    write_post("other")
    write_post("about", kind="page", body="[up](../posts/her/) [nope](nope.html)")
    result = runner.invoke(args=["check"])
    assert result.output.splitlines() == [
        "pages/about.md:7: warning: link to a page that does not exist: /about/nope.html",
        "pages/her.md:8: link to a post that does not exist: /posts/nope/",
        "pages/her.md:8: warning: link to a page that does not exist: /nope/",
        "pages/her.md:8: warning: link to a page that does not exist: /tags/nope/",
        "pages/her.md:9: warning: link to a page that does not exist: /static/missing.jpg",
        "pages/her.md:9: link to a post that does not exist: /posts/gone/",
        "2 errors, 4 warnings in 3 pages and 0 comment files.",
    ]
