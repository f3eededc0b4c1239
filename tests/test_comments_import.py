"""`flask comments import`: small WordPress, Disqus and Isso exports made by hand."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import pytest

from .comment_helpers import soup


def wp_comment(cid: int, parent: int = 0, approved: str = "1", kind: str = "comment",
               body: str = "Words.", url: str = "", author: str = "Ann") -> str:  # fmt: skip
    return f"""
    <wp:comment>
      <wp:comment_id>{cid}</wp:comment_id>
      <wp:comment_author><![CDATA[{author}]]></wp:comment_author>
      <wp:comment_author_email>someone@example.org</wp:comment_author_email>
      <wp:comment_author_url>{url}</wp:comment_author_url>
      <wp:comment_date>2014-01-21 1{cid}:30:00</wp:comment_date>
      <wp:comment_date_gmt>2014-01-21 0{cid}:30:00</wp:comment_date_gmt>
      <wp:comment_content><![CDATA[{body}]]></wp:comment_content>
      <wp:comment_approved>{approved}</wp:comment_approved>
      <wp:comment_type>{kind}</wp:comment_type>
      <wp:comment_parent>{parent}</wp:comment_parent>
    </wp:comment>"""


ANN_SAYS = (
    'Loved it. 2 * 3 = 6\n\n<a href="https://x.example/">A link</a> and '
    "<em>this</em>.<script>alert(1)</script>"
)
WXR = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Old blog</title>
  <item>
    <title>Her</title>
    <link>https://old.example/2014/01/her/</link>
    <wp:post_name>her-a-review</wp:post_name>
    {wp_comment(1, url="https://ann.example/", body=ANN_SAYS)}
    {wp_comment(2, parent=1, author="Bo")}
    {wp_comment(3, parent=2, author="Cy")}
    {wp_comment(4, parent=3, author="Di")}
    {wp_comment(5, approved="0", url="javascript:alert(1)", author="Ed")}
    {wp_comment(6, approved="spam", author="Spammer")}
    {wp_comment(7, approved="trash")}
    {wp_comment(8, kind="pingback")}
  </item>
  <item>
    <title>Gone</title>
    <link>https://old.example/2013/05/gone/</link>
    {wp_comment(9, body="On a post that moved.")}
  </item>
</channel>
</rss>
"""  # fmt: skip

DISQUS = """<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="100"><id>her</id><link>https://old.example/her.html</link><title>Her</title></thread>
  <post dsq:id="200"><message><![CDATA[<p>Great <b>film</b>.</p><p>Really.</p>]]></message>
    <createdAt>2014-02-01T10:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
    <author><name>Bo</name><isAnonymous>false</isAnonymous></author><thread dsq:id="100"/></post>
  <post dsq:id="201"><message><![CDATA[<p>Agreed.</p>]]></message>
    <createdAt>2014-02-02T10:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
    <author><name>Cy</name></author><thread dsq:id="100"/><parent dsq:id="200"/></post>
  <post dsq:id="202"><message><![CDATA[<p>Buy now</p>]]></message>
    <createdAt>2014-02-03T10:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>true</isSpam>
    <author><name>Spam</name></author><thread dsq:id="100"/></post>
  <post dsq:id="203"><message><![CDATA[<p>Gone</p>]]></message>
    <createdAt>2014-02-04T10:00:00Z</createdAt><isDeleted>true</isDeleted><isSpam>false</isSpam>
    <author><name>X</name></author><thread dsq:id="100"/></post>
</disqus>
"""

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<rss><channel><item><title>&lol2;</title></item></channel></rss>
"""


@pytest.fixture
def posts(write_post):
    write_post("her", title="Her")
    write_post("alien", title="Alien")


def stored(site, slug: str = "her") -> list[dict]:
    path = site / "comments" / f"{slug}.json"
    return json.loads(path.read_text("utf-8"))["comments"] if path.exists() else []


def imported(runner, tmp_path, source: str, content: str, *extra: str):
    path = tmp_path / f"export-{source}.xml"
    path.write_text(content, encoding="utf-8")
    return runner.invoke(args=["comments", "import", source, str(path), *extra])


def test_a_wordpress_export(posts, runner, site, tmp_path, client):
    result = imported(runner, tmp_path, "wordpress", WXR)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "her: 6 new, 0 already there"
    assert "left out: 2 (deleted, in the trash, or pingbacks)" in lines
    assert any(line.startswith("no post for https://old.example/2013/05/gone/ (Gone), 1 comm")
               for line in lines)  # fmt: skip
    assert lines[-1] == "6 comments imported"

    comments = {c["author"]: c for c in stored(site)}
    ann, bo, cy, di = (comments[name] for name in ("Ann", "Bo", "Cy", "Di"))
    assert ann["created"] == "2014-01-21T01:30:00Z"
    assert ann["website"] == "https://ann.example/"
    assert ann["body"] == "Loved it. 2 \\* 3 = 6\n\n[A link](https://x.example/) and *this*."
    assert (bo["parent"], cy["parent"]) == (ann["id"], bo["id"])
    assert di["parent"] == bo["id"]  # a fourth level attaches at the third
    assert comments["Ed"]["status"] == "pending"
    assert "website" not in comments["Ed"]
    assert comments["Spammer"]["status"] == "spam"
    assert [c["created"] for c in stored(site)] == sorted(c["created"] for c in stored(site))
    assert runner.invoke(args=["check"]).exit_code == 0

    page = soup(client.get("/posts/her/"))
    assert page.select_one(f"#comment-{ann['id']} .comment-body a")["href"] == "https://x.example/"
    assert "alert" not in str(page.select_one(".comments"))

    before = (site / "comments" / "her.json").read_bytes()
    again = imported(runner, tmp_path, "wordpress", WXR)
    assert again.output.splitlines()[0] == "her: 0 new, 6 already there"
    assert (site / "comments" / "her.json").read_bytes() == before

    mapped = imported(runner, tmp_path, "wordpress", WXR, "--map",
                      "https://old.example/2013/05/gone/=alien")  # fmt: skip
    assert "alien: 1 new, 0 already there" in mapped.output
    assert [c["body"] for c in stored(site, "alien")] == ["On a post that moved."]
    wrong = imported(runner, tmp_path, "wordpress", WXR, "--map", "x=no-such-post")
    assert wrong.exit_code == 2


def test_a_disqus_export(posts, runner, site, tmp_path):
    result = imported(runner, tmp_path, "disqus", DISQUS)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "her: 3 new, 0 already there"
    bo, cy, spam = stored(site)
    assert bo["body"] == "Great **film**.\n\nReally."
    assert (bo["created"], bo["status"]) == ("2014-02-01T10:00:00Z", "approved")
    assert cy["parent"] == bo["id"]
    assert spam["status"] == "spam"


def test_an_isso_database(posts, runner, site, tmp_path):
    path = tmp_path / "comments.db"
    with closing(sqlite3.connect(path)) as database, database:
        database.executescript("""
            CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE,
                                  title VARCHAR(256));
            CREATE TABLE comments (tid REFERENCES threads(id), id INTEGER PRIMARY KEY,
                parent INTEGER, created FLOAT NOT NULL, modified FLOAT, mode INTEGER,
                remote_addr VARCHAR, text VARCHAR, author VARCHAR, email VARCHAR,
                website VARCHAR, likes INTEGER DEFAULT 0, dislikes INTEGER DEFAULT 0,
                voters BLOB NOT NULL DEFAULT x'', notification INTEGER DEFAULT 0);
            INSERT INTO threads VALUES (1, '/posts/her/', 'Her');
            INSERT INTO comments (tid, id, parent, created, mode, text, author, website)
            VALUES (1, 1, NULL, 1390296600.0, 1, 'So *good*.', 'Ann', 'https://ann.example'),
                   (1, 2, 1, 1390300200.5, 2, 'Waiting.', NULL, NULL),
                   (1, 3, NULL, 1390303800.0, 4, 'Deleted.', 'Gone', NULL);
        """)  # fmt: skip
    result = runner.invoke(args=["comments", "import", "isso", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        "her: 2 new, 0 already there",
        "left out: 1 (deleted, in the trash, or pingbacks)",
    ]
    ann, anonymous = stored(site)
    assert (ann["body"], ann["created"], ann["website"]) == (
        "So *good*.",
        "2014-01-21T09:30:00Z",
        "https://ann.example",
    )
    assert (anonymous["author"], anonymous["status"], anonymous["parent"]) == (
        "Anonymous",
        "pending",
        ann["id"],
    )
    bad = tmp_path / "not.db"
    bad.write_text("not a database")
    refused = runner.invoke(args=["comments", "import", "isso", str(bad)])
    assert refused.exit_code == 1
    assert "not an Isso database" in refused.output


def test_hostile_or_broken_xml_is_refused(posts, runner, site, tmp_path):
    bomb = imported(runner, tmp_path, "wordpress", BOMB)
    assert bomb.exit_code == 1
    assert "refused" in bomb.output
    broken = imported(runner, tmp_path, "disqus", "<disqus><thread>")
    assert broken.exit_code == 1
    assert "export-disqus.xml:1: not well-formed XML" in broken.output
    assert stored(site) == []
