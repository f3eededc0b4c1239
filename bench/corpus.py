"""Generate the benchmark corpus: N posts as a Twombly site, a Pelican project and a Hugo site.

    python bench/corpus.py N DIR

writes DIR/twombly (site.toml, app.py, pages/, comments/, the project's theme linked in),
DIR/pelican (content/ + pelicanconf.py) and DIR/hugo (content/posts/ + hugo.toml + layouts/).
The same seed gives the same bytes. Posts are 600-1,500 words, a third carry a code block,
each has 1-4 tags of 30, most are reviews; every site builds the same pages: each post, an
index paginated by 10, a page per tag (paginated by 10), the tag list, an archive, one feed.
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SEED = 20140120


def words(text: str) -> list[str]:
    return text.split()


TAGS = words(
    "drama romance science-fiction comedy thriller horror documentary animation western noir "
    "musical war crime mystery fantasy biography history family adventure action satire "
    "silent french japanese korean italian indie classic remake sequel short"
)
WORDS = words(
    "the a of and to in is that it with as for his her their film story scene camera light "
    "frame actor actress director score music silence city night morning road house window "
    "memory voice face hand letter love loss grief hope fear desire truth lie dream machine "
    "future past present world character moment shot cut edit colour shadow rain sea river "
    "train station winter summer autumn spring quiet loud slow fast gentle cruel tender "
    "strange familiar distant close bright dark warm cold brilliant clumsy patient restless "
    "beautifully slowly quietly suddenly never always almost perhaps rather entirely "
    "watches finds loses remembers forgets builds breaks carries follows leaves returns "
    "writes reads sings waits runs falls holds opens closes becomes seems feels knows "
    "performance screenplay dialogue rhythm pacing tone mood texture detail gesture glance "
    "audience theatre festival critic review ending beginning middle chapter act sequence "
    "promise secret journey stranger friend brother sister mother father child neighbour"
)
TITLE_WORDS = words(
    "Silent River Glass Harbour Paper Moon Last Summer Northern Lights Quiet Hours Distant "
    "Shore Broken Compass Winter Garden Iron Bridge Small Rooms Late Train Open Sea Hidden "
    "Valley Red Lantern Blue Hour Long Road Empty Stage Golden Field Salt Wind Stone Orchard"
)
DIRECTORS = (
    "Spike Jonze",
    "Agnès Varda",
    "Yasujirō Ozu",
    "Céline Sciamma",
    "Bong Joon-ho",
    "Kelly Reichardt",
    "Wong Kar-wai",
    "Chantal Akerman",
    "Jacques Tati",
    "Lynne Ramsay",
)
ACTORS = (
    "Joaquin Phoenix",
    "Scarlett Johansson",
    "Amy Adams",
    "Rooney Mara",
    "Adèle Haenel",
    "Song Kang-ho",
    "Tony Leung",
    "Maggie Cheung",
    "Delphine Seyrig",
    "Tilda Swinton",
    "Michelle Williams",
    "Setsuko Hara",
)
CODE = '''```python
def frames(reel, rate=24):
    """Yield each frame of a reel with its time in seconds."""
    for number, frame in enumerate(reel):
        yield number / rate, frame


for seconds, frame in frames(load("reel-{n}.mov")):
    if frame.is_cut():
        print(f"cut at {{seconds:.2f}} s")
```'''


@dataclass(frozen=True)
class Review:
    title: str
    year: int
    director: str
    cast: tuple[str, ...]
    rating: float


@dataclass(frozen=True)
class Post:
    slug: str
    title: str
    date: datetime
    tags: tuple[str, ...]
    review: Review | None
    body: str


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 20))]
    if rng.random() < 0.15:
        words[3] = f"*{words[3]}*"
    if rng.random() < 0.05:
        words[5] = f"[{words[5]}](https://example.org/{words[5]})"
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _body(rng: random.Random, number: int, with_code: bool) -> str:
    target = rng.randint(600, 1500)
    blocks: list[str] = []
    words = 0
    while words < target:
        if blocks and rng.random() < 0.08:
            blocks.append(f"## {rng.choice(TITLE_WORDS)} {rng.choice(TITLE_WORDS).lower()}")
        sentences = [_sentence(rng) for _ in range(rng.randint(3, 7))]
        paragraph = " ".join(sentences)
        words += len(paragraph.split())
        blocks.append(paragraph)
    if with_code:
        blocks.insert(len(blocks) // 2, CODE.format(n=number))
    return "\n\n".join(blocks) + "\n"


def make_posts(count: int, seed: int = SEED) -> list[Post]:
    """`count` posts, the same for the same seed, one a day from 2010 on (all in the past)."""
    rng = random.Random(seed)
    start = datetime(2010, 1, 1, 9, 0)
    posts = []
    for number in range(count):
        title = f"{rng.choice(TITLE_WORDS)} {rng.choice(TITLE_WORDS)} {number + 1}"
        review = None
        if rng.random() < 0.7:
            review = Review(
                title=title.rsplit(" ", 1)[0],
                year=rng.randint(1920, 2009),
                director=rng.choice(DIRECTORS),
                cast=tuple(rng.sample(ACTORS, rng.randint(1, 3))),
                rating=rng.randint(1, 10) / 2,  # half stars from 0.5: flask check refuses 0
            )
        posts.append(
            Post(
                slug=f"review-{number + 1:05d}",
                title=title,
                date=start + timedelta(hours=number * 9),
                tags=tuple(rng.sample(TAGS, rng.randint(1, 4))),
                review=review,
                body=_body(rng, number, with_code=number % 3 == 0),
            )
        )
    return posts


def yaml_front_matter(post: Post) -> str:
    lines = ["---", f"title: {post.title}", f"date: {post.date:%Y-%m-%d %H:%M:%S}"]
    lines.append(f"tags: [{', '.join(post.tags)}]")
    if post.review:
        review = post.review
        lines += [
            "review:",
            f"  title: {review.title}",
            f"  year: {review.year}",
            f"  director: {review.director}",
            f"  cast: [{', '.join(review.cast)}]",
            f"  rating: {review.rating}",
        ]
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def pelican_metadata(post: Post) -> str:
    lines = [
        f"Title: {post.title}",
        f"Date: {post.date:%Y-%m-%d %H:%M}",
        f"Tags: {', '.join(post.tags)}",
        f"Slug: {post.slug}",
        "Category: reviews",
    ]
    if post.review:
        lines.append(f"Director: {post.review.director}")
        lines.append(f"Rating: {post.review.rating}")
    return "\n".join(lines) + "\n\n"


TWOMBLY_SITE_TOML = """title = "Bench"
description = "A generated corpus for benchmarks."
author = "Bench"
base_url = "http://127.0.0.1:8000/"
per_page = 10

[comments]
rate_limit = "100000 per second"

[freeze]
# Pelican and Hugo write no compressed copies: the freeze is timed without them too.
precompress = false
"""
TWOMBLY_APP = """from pathlib import Path

from twombly import create_app

app = create_app(site=Path(__file__).resolve().parent)
"""
PELICAN_CONF = """import os

AUTHOR = "Bench"
SITENAME = "Bench"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 10
DEFAULT_DATE_FORMAT = "%B %d, %Y"
ARTICLE_URL = "posts/{slug}/"
ARTICLE_SAVE_AS = "posts/{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_SAVE_AS = "tags/index.html"
ARCHIVES_SAVE_AS = "archive/index.html"
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
FEED_ALL_ATOM = "feed.xml"
FEED_MAX_ITEMS = 20
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.fenced_code": {},
        "markdown.extensions.codehilite": {"css_class": "highlight", "guess_lang": False},
        "markdown.extensions.toc": {},
        "markdown.extensions.footnotes": {},
        "markdown.extensions.tables": {},
        "markdown.extensions.meta": {},
    },
    "output_format": "html5",
}
# Warm builds: PELICAN_CACHE names a cache folder that a previous build filled.
if os.environ.get("PELICAN_CACHE"):
    CACHE_PATH = os.environ["PELICAN_CACHE"]
    CACHE_CONTENT = True
    LOAD_CONTENT_CACHE = True
    CONTENT_CACHING_LAYER = "reader"
"""
HUGO_TOML = """baseURL = "http://127.0.0.1:8000/"
title = "Bench"
languageCode = "en"
disableKinds = ["section", "sitemap", "robotsTXT", "404"]

[taxonomies]
tag = "tags"

[pagination]
pagerSize = 10

[outputs]
home = ["html", "rss"]
page = ["html"]
taxonomy = ["html"]
term = ["html"]

[services.rss]
limit = 20

[markup.highlight]
noClasses = false
"""
HUGO_LAYOUTS = {
    "baseof.html": """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<link rel="stylesheet" href="/css/site.css"></head>
<body><header><a href="/">{{ site.Title }}</a> <a href="/tags/">Tags</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_partials/summary.html": """<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p><time>{{ .Date.Format "January 2, 2006" }}</time> · {{ .ReadingTime }} min read ·
{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
<p>{{ .Summary }}</p></article>
""",
    "_partials/pager.html": """{{ with .Paginator }}<nav>
{{ with .Next }}<a href="{{ .URL }}">Older</a>{{ end }} Page {{ .PageNumber }} of {{ .TotalPages }}
{{ with .Prev }}<a href="{{ .URL }}">Newer</a>{{ end }}</nav>{{ end }}
""",
    "home.html": """{{ define "main" }}
{{ range (.Paginate site.RegularPages).Pages }}{{ partial "summary.html" . }}{{ end }}
{{ partial "pager.html" . }}
{{ end }}
""",
    "page.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p><time>{{ .Date.Format "January 2, 2006" }}</time> ·
{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
{{ with .Params.review }}<aside><h2>{{ .title }} ({{ .year }})</h2>
<p>{{ .director }} · {{ delimit .cast ", " }} · {{ .rating }} out of 5</p></aside>{{ end }}
{{ .Content }}</article>
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
{{ end }}
""",
    "taxonomy.html": """{{ define "main" }}<h1>Tags</h1><ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a>
({{ .Count }})</li>{{ end }}</ul>{{ end }}
""",
    "term.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ range (.Paginate .Pages).Pages }}{{ partial "summary.html" . }}{{ end }}
{{ partial "pager.html" . }}
{{ end }}
""",
}


def write_twombly(posts: list[Post], site: Path) -> None:
    (site / "pages").mkdir(parents=True)
    (site / "comments").mkdir()
    (site / "site.toml").write_text(TWOMBLY_SITE_TOML, encoding="utf-8")
    (site / "app.py").write_text(TWOMBLY_APP, encoding="utf-8")
    for folder in ("templates", "static"):
        (site / folder).symlink_to(PROJECT / folder, target_is_directory=True)
    for post in posts:
        text = yaml_front_matter(post) + post.body
        (site / "pages" / f"{post.slug}.md").write_text(text, encoding="utf-8")


def write_pelican(posts: list[Post], site: Path) -> None:
    (site / "content").mkdir(parents=True)
    (site / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
    for post in posts:
        text = pelican_metadata(post) + post.body
        (site / "content" / f"{post.slug}.md").write_text(text, encoding="utf-8")


def write_hugo(posts: list[Post], site: Path) -> None:
    (site / "content" / "posts").mkdir(parents=True)
    (site / "hugo.toml").write_text(HUGO_TOML, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        path = site / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    shutil.copytree(PROJECT / "static", site / "static")
    for post in posts:
        text = yaml_front_matter(post) + post.body
        (site / "content" / "posts" / f"{post.slug}.md").write_text(text, encoding="utf-8")


def generate(count: int, folder: Path) -> dict[str, Path]:
    """Write the three sites under `folder` (replacing what was there); their paths by peer."""
    if folder.exists():
        shutil.rmtree(folder)
    posts = make_posts(count)
    sites = {name: folder / name for name in ("twombly", "pelican", "hugo")}
    write_twombly(posts, sites["twombly"])
    write_pelican(posts, sites["pelican"])
    write_hugo(posts, sites["hugo"])
    return sites


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int, help="number of posts")
    parser.add_argument("dir", type=Path, help="folder to write the three sites into")
    args = parser.parse_args()
    sites = generate(args.n, args.dir)
    for name, path in sites.items():
        print(f"{name}: {path}")


if __name__ == "__main__":
    main()
