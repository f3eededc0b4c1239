"""Spoiler blocks: shown closed on the post, never where a reader did not choose to open one."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from .freezing import freeze, frozen_files

SECRET = "Samantha leaves with the other operating systems"
BODY = f"""In the not too distant future Theodore falls in love.

````spoiler
At the end {SECRET}.

```python
print("code inside a spoiler")
```
````

After the spoiler, more words.
"""


@pytest.fixture
def spoiled(write_post):
    write_post(
        "her",
        body=BODY,
        title="her",
        date="2014-01-20",
        tags=["drama"],
        spoilers=True,
        review={"title": "Her", "year": 2013, "rating": 4.5},
    )
    write_post("other", title="Other", date="2014-01-10", tags=["drama"])
    write_post("first", body=f"```spoiler\n{SECRET}\n```\n\nThe opening line.", date="2014-01-05")


def html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_a_spoiler_block_is_a_closed_details_element_search_skips(client, spoiled):
    page = BeautifulSoup(html(client, "/posts/her/"), "html.parser")
    (details,) = page.select(".post-body details")
    assert details.get("open") is None
    assert details["data-pagefind-ignore"] == "all"
    assert details.summary.get_text() == "Spoiler"
    assert SECRET in details.get_text()
    assert details.select_one(".highlight")  # code inside a spoiler is still highlighted
    assert page.select_one("p.spoiler-warning").find_previous("h1").get_text() == "her"


def test_no_spoiler_warning_without_the_front_matter(client, spoiled):
    assert "spoiler-warning" not in html(client, "/posts/first/")


@pytest.mark.parametrize("url", ["/", "/tags/drama/", "/archive/", "/posts/other/"])
def test_listings_and_related_cards_never_show_spoilers(client, spoiled, url):
    assert SECRET not in html(client, url)


def test_a_summary_skips_a_spoiler_at_the_top(client, spoiled):
    page = BeautifulSoup(html(client, "/posts/first/"), "html.parser")
    assert page.find("meta", attrs={"name": "description"})["content"] == "The opening line."


def test_link_previews_and_json_ld_never_show_spoilers(client, spoiled):
    page = BeautifulSoup(html(client, "/posts/her/"), "html.parser")
    head = str(page.head)
    assert SECRET not in head
    description = page.find("meta", attrs={"property": "og:description"})["content"]
    assert description.startswith("In the not too distant future")
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert SECRET not in json.dumps(data)


def test_feeds_leave_spoilers_out_and_link_to_the_post(client, spoiled):
    for url in ("/feed.xml", "/tags/drama/feed.xml", "/rss.xml", "/feed.json"):
        feed = html(client, url)
        assert SECRET not in feed
        assert "A spoiler is left out of this feed" in feed
        assert "https://reviews.example/posts/her/" in feed
        assert "After the spoiler, more words." in feed


def test_frozen_copy_keeps_spoilers_out_of_everything_but_the_post(runner, spoiled, tmp_path):
    assert freeze(runner, tmp_path / "build").exit_code == 0
    holding = [
        name for name, data in frozen_files(tmp_path / "build").items() if SECRET.encode() in data
    ]
    assert sorted(holding) == ["posts/first/index.html", "posts/her/index.html"]


SPOILER_COMMENT = "Loved it.\n\n```spoiler\nThe letters were *hers*. <script>x</script>\n```\n"


def test_readers_can_hide_a_spoiler_in_a_comment(client, spoiled, write_comments):
    write_comments("other", [comment("c1", SPOILER_COMMENT)])
    page = BeautifulSoup(html(client, "/posts/other/"), "html.parser")
    (details,) = page.select(".comment-body details.spoiler")
    assert details.get("open") is None
    assert details["data-pagefind-ignore"] == "all"
    assert details.select_one("em").get_text() == "hers"
    assert details.find("script") is None
    for url in ("/posts/other/comments.xml", "/comments.xml"):
        feed = html(client, url)
        assert "The letters were" not in feed
        assert "A spoiler is left out of this feed" in feed


def test_a_reader_cannot_write_a_details_element_by_hand(client, spoiled, write_comments):
    body = '<details open class="spoiler"><summary>x</summary>y</details>'
    write_comments("other", [comment("c1", body)])
    page = BeautifulSoup(html(client, "/posts/other/"), "html.parser")
    assert page.select(".comment-body details") == []
    assert "&lt;details open" in html(client, "/posts/other/")


def comment(comment_id: str, body: str) -> dict:
    return {
        "id": f"20240102T0930Z-{comment_id}",
        "parent": None,
        "author": "Reader",
        "body": body,
        "created": "2024-01-02T09:30:00Z",
        "status": "approved",
    }


def test_check_reads_links_inside_a_spoiler_but_not_its_code(runner, write_post):
    body = (
        "````spoiler\n"
        "See [the sequel](/posts/no-sequel/).\n\n"
        "```markdown\n[not a link](/posts/in-code/)\n```\n"
        "````\n\n"
        "[After](/posts/after-missing/)\n"
    )
    write_post("twist", body=body)
    result = runner.invoke(args=["check"])
    lines = [line for line in result.output.splitlines() if line.startswith("pages/")]
    assert lines == [
        "pages/twist.md:7: link to a post that does not exist: /posts/no-sequel/",
        "pages/twist.md:14: link to a post that does not exist: /posts/after-missing/",
    ]
