"""Comment benchmark: 8 concurrent clients posting 2,000 comments over real HTTP.

    python bench/comments.py [--comments 2000] [--clients 8] [--rounds 3] [--no-isso]

gunicorn (4 workers, the production settings) serves a generated site with the rate limit
raised for the bench (TWOMBLY_COMMENTS_RATE_LIMIT). Each client first GETs the post page and
takes the CSRF token from its form, as a browser does, then POSTs the form (the 303 redirect
is not followed).
Three runs: all comments to one post; spread over 50 posts; to one post that already has
2,000 comments. Afterwards the JSON files are read back: lost and duplicated comments counted.
Each round repeats the three runs on posts of its own; the report gives the median round's
rate and p99 (the same code varies by a sixth between runs here) and the errors, lost and
duplicated comments of all rounds. The clients are threads on the same 2 cores as the server.
Each round then sends the first two runs' load to Isso 0.14 (installed into bench/.peers/isso,
gunicorn with 4 sync workers, guard and moderation off) through its JSON API, with the
thread's title in the request so that Isso need not fetch the page; its SQLite file is read
back the same way, and the report gives Twombly's rate as a multiple of Isso's.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import http.client
import json
import re
import shutil
import socket
import sqlite3
import statistics
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import corpus
from measure import WORK, Target, print_targets, say, wait_quiet
from serve import wait_for_search_index
from servers import gunicorn, gunicorn_settings, isso, write_comments

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
BENCH_ENV = {"TWOMBLY_COMMENTS_RATE_LIMIT": "1000000 per minute"}


@dataclass
class Outcome:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sent: list[tuple[str, str]] = field(default_factory=list)  # (slug, body) acknowledged
    lost: int = 0
    duplicated: int = 0
    load_before: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.sent) / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    def line(self) -> str:
        return (
            f"{self.rate:6.0f} comments/s  p50 {self.percentile(0.5):5.1f} ms  "
            f"p99 {self.percentile(0.99):5.1f} ms  errors {len(self.errors)}  "
            f"lost {self.lost}  duplicated {self.duplicated}  "
            f"(load before {self.load_before:.2f} cores)"
        )


class Client(threading.Thread):
    """One reader's browser on a Twombly post: reads each post page once for its token, then
    sends the comment form."""

    accepted = 303  # the redirect to the stored comment
    content_type = "application/x-www-form-urlencoded"

    def __init__(
        self,
        host: str,
        port: int,
        jobs: list[tuple[str, str]],
        outcome: Outcome,
        lock: threading.Lock,
    ) -> None:
        super().__init__(daemon=True)
        self.host, self.port, self.jobs = host, port, jobs
        self.outcome, self.lock = outcome, lock
        self.tokens: dict[str, str] = {}

    def prepare(self) -> None:
        """What the reader does before sending: here, read every post page for its token."""
        for slug in {slug for slug, _ in self.jobs}:
            self.token(slug)

    def request_for(self, slug: str, text: str) -> tuple[str, bytes]:
        """The path and body that send one comment."""
        form = {
            "csrf_token": self.token(slug),
            "name": "Bench reader",
            "website": "",
            "homepage": "",
            "body": text,
            "parent": "",
            "return_to": "",
        }
        return f"/posts/{slug}/comments/", urllib.parse.urlencode(form).encode("ascii")

    def read_page(self, path: str) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def send(self, path: str, body: bytes) -> int:
        """POST on a new connection and read the whole reply; its status.

        Written on a bare socket: http.client cost the clients 0.4-0.5 ms of CPU a comment,
        a tenth of what the server spends, on the same two cores.
        """
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Content-Type: {self.content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode("ascii")
        with socket.create_connection((self.host, self.port), timeout=30) as connection:
            connection.sendall(head + body)
            reply = b"".join(iter(lambda: connection.recv(65536), b""))
        if not reply.startswith((b"HTTP/1.1 ", b"HTTP/1.0 ")):
            raise OSError(f"not an HTTP reply: {reply[:40]!r}")
        return int(reply[9:12])

    def token(self, slug: str) -> str:
        if slug not in self.tokens:
            status, page = self.read_page(f"/posts/{slug}/")
            match = TOKEN.search(page.decode("utf-8"))
            if status != 200 or not match:
                raise RuntimeError(f"no comment form on /posts/{slug}/ (HTTP {status})")
            self.tokens[slug] = match.group(1)
        return self.tokens[slug]

    def run(self) -> None:
        for slug, text in self.jobs:
            path, body = self.request_for(slug, text)
            started = time.perf_counter()
            try:
                status = self.send(path, body)
            except OSError:
                status = 0
            elapsed = time.perf_counter() - started
            with self.lock:
                self.outcome.latencies.append(elapsed)
                if status == self.accepted:
                    self.outcome.sent.append((slug, text))
                else:
                    self.outcome.errors.append(f"HTTP {status}")


class IssoClient(Client):
    """The same reader on Isso: its JSON API (what Isso's widget sends), a thread per post."""

    accepted = 201
    content_type = "application/json"

    def prepare(self) -> None:
        pass  # Isso needs no token: its CSRF check is the JSON content type

    def request_for(self, slug: str, text: str) -> tuple[str, bytes]:
        uri = urllib.parse.quote(f"/posts/{slug}/", safe="")
        comment = {"text": text, "author": "Bench reader", "title": slug}
        return f"/new?uri={uri}", json.dumps(comment).encode("utf-8")


def post_comments(
    url: str,
    slugs: list[str],
    count: int,
    clients: int,
    label: str,
    client: type[Client] = Client,
) -> Outcome:
    parsed = urllib.parse.urlsplit(url)
    outcome, lock = Outcome(), threading.Lock()
    jobs = [
        (slugs[i % len(slugs)], f"Bench comment {label}-{i}: *the ending* stays.")
        for i in range(count)
    ]
    threads = [
        client(parsed.hostname, parsed.port, jobs[k::clients], outcome, lock)
        for k in range(clients)
    ]
    for thread in threads:  # before the clock starts
        thread.prepare()
    outcome.load_before = wait_quiet()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcome.seconds = time.perf_counter() - started
    return outcome


def read_back(site: Path, outcome: Outcome) -> None:
    """Count acknowledged comments missing from the files, and any stored more than once."""
    stored: list[tuple[str, str]] = []
    for slug in {slug for slug, _ in outcome.sent}:
        document = json.loads((site / "comments" / f"{slug}.json").read_text("utf-8"))
        stored += [(slug, comment["body"]) for comment in document["comments"]]
    count_losses(outcome, stored)


def read_back_isso(database: Path, outcome: Outcome) -> None:
    """The same count from Isso's SQLite file."""
    with contextlib.closing(sqlite3.connect(database)) as connection:
        rows = connection.execute(
            "SELECT threads.uri, comments.text FROM comments"
            " JOIN threads ON comments.tid = threads.id"
        ).fetchall()
    count_losses(outcome, [(uri.split("/")[2], text) for uri, text in rows])


def count_losses(outcome: Outcome, stored: list[tuple[str, str]]) -> None:
    counts = collections.Counter(stored)
    outcome.lost = sum(1 for key in outcome.sent if key not in counts)
    outcome.duplicated = sum(n - 1 for n in counts.values() if n > 1)


POSTS_PER_ROUND = 52  # one post, 50 to spread over, one with a long thread


@dataclass
class Rounds:
    """The same run repeated: medians of rate and p99, every round's errors and losses."""

    outcomes: list[Outcome]

    @property
    def rate(self) -> float:
        return statistics.median(o.rate for o in self.outcomes)

    @property
    def p99(self) -> float:
        return statistics.median(o.percentile(0.99) for o in self.outcomes)

    @property
    def clean(self) -> bool:
        return not any(o.errors or o.lost or o.duplicated for o in self.outcomes)

    def summary(self) -> str:
        rates = sorted(o.rate for o in self.outcomes)
        spread = f" (rounds {rates[0]:.0f}-{rates[-1]:.0f})" if len(rates) > 1 else ""
        errors = sum(len(o.errors) for o in self.outcomes)
        lost = sum(o.lost for o in self.outcomes)
        duplicated = sum(o.duplicated for o in self.outcomes)
        return (
            f"{self.rate:.0f}/s{spread}, p99 {self.p99:.1f} ms, {errors} errors, "
            f"{lost} lost, {duplicated} duplicated"
        )


LABELS = ("one post", "spread over 50 posts", "one post with 2,000 comments")
ISSO = "Isso: "  # the peer's runs are labelled like ours, with this in front


def measure_comments(
    count: int,
    clients: int,
    on_long_thread: int | None = None,
    rounds: int = 1,
    with_isso: bool = True,
) -> dict[str, Rounds]:
    """The three runs, `rounds` times; `on_long_thread` comments (default `count`) in the third.

    With `with_isso`, each round then sends the first two runs' load to Isso (bench/.peers),
    on threads of the same names, so that both are measured under the same conditions."""
    posts = POSTS_PER_ROUND * rounds
    site = corpus.generate(posts, WORK / f"comments-{posts}")["twombly"]
    slugs = [f"review-{number:05d}" for number in range(1, posts + 1)]
    outcomes: dict[str, list[Outcome]] = collections.defaultdict(list)
    for first in range(0, posts, POSTS_PER_ROUND):
        write_comments(site, slugs[first + POSTS_PER_ROUND - 1], 2000)
    isso_folder = WORK / "isso"
    shutil.rmtree(isso_folder, ignore_errors=True)
    with (
        gunicorn(site, env=BENCH_ENV) as live,
        isso(isso_folder, live.url) if with_isso else contextlib.nullcontext() as peer,
    ):
        # A fresh site's first request starts the live search index builder; let it end
        # before the first round, or it shares the cores with that round.
        urllib.request.urlopen(f"{live.url}/posts/{slugs[0]}/").read()
        wait_for_search_index(live)
        for number, first in enumerate(range(0, posts, POSTS_PER_ROUND), start=1):
            mine = slugs[first : first + POSTS_PER_ROUND]
            runs = dict(zip(LABELS, (mine[:1], mine[1:51], mine[51:]), strict=True))
            for label, targets in runs.items():
                sent = (on_long_thread or count) if label == LABELS[2] else count
                outcome = post_comments(live.url, targets, sent, clients, f"{number}-{label[:3]}")
                read_back(site, outcome)
                say(f"  round {number}  {label:36} {outcome.line()}")
                outcomes[label].append(outcome)
            for label in LABELS[:2] if peer else ():
                outcome = post_comments(
                    peer.url, runs[label], count, clients, f"{number}-{label[:3]}", IssoClient
                )
                read_back_isso(isso_folder / "comments.db", outcome)
                say(f"  round {number}  {ISSO + label:36} {outcome.line()}")
                outcomes[ISSO + label].append(outcome)
    return {label: Rounds(found) for label, found in outcomes.items()}


def report(measured: dict[str, Rounds], clients: int) -> list[Target]:
    """The targets, met or not; Isso's figures beside ours where it ran the same load."""
    one, spread, _ = (measured[label] for label in LABELS)
    peer = measured.get(ISSO + LABELS[1])
    versus = f"; Isso {peer.summary()}: {spread.rate / peer.rate:.2f} x Isso" if peer else ""
    return [
        Target(
            f"comments spread over 50 posts >= Isso's rate, {clients} clients, p99 < 100 ms, "
            "0 errors/lost/dup",
            spread.summary() + versus,
            peer is not None and spread.rate >= peer.rate and spread.p99 < 100 and spread.clean,
        ),
        Target(
            "comments to one post as it grows to 2,000: >= 100/s, p99 < 150 ms, 0 errors/lost/dup",
            one.summary(),
            one.rate >= 100 and one.p99 < 150 and one.clean,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--comments", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-isso", action="store_true", help="do not run the load on Isso")
    args = parser.parse_args()
    say(f"{args.comments} comments from {args.clients} clients, gunicorn {gunicorn_settings()}:")
    measured = measure_comments(
        args.comments, args.clients, rounds=args.rounds, with_isso=not args.no_isso
    )
    print_targets(report(measured, args.clients))


if __name__ == "__main__":
    main()
