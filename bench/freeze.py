"""Freeze benchmark: Twombly's `flask freeze` against Pelican and Hugo on the same corpus.

    python bench/freeze.py [--n 1000] [--rounds 5] [--scale 5000]

For each round, alternating: our cold freeze (fresh output folder), our
re-freeze after editing one post (same output folder), Pelican cold (no cache), Pelican warm
(content cache filled beforehand), Hugo cold, and the stack's floor (bench/stack_floor.py:
a process that imports Flask, Flask-FlatPages and Frozen-Flask and reads every front matter,
rendering nothing). Prints the medians, peak memory and the run-by-run ratios. `--scale N`
also times our cold freeze of N posts against the first size (alternately) for the
linear-growth target.
"""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import corpus
import peers
from measure import (
    BENCH,
    WORK,
    Series,
    Target,
    fresh_folder,
    pair_ratio,
    print_targets,
    run_quietly,
    say,
    venv_tool,
)

EDITED = "review-{number:05d}.md"


def our_freeze(site: Path, destination: Path) -> list[str]:
    """The command that freezes a Twombly site into `destination`."""
    return [
        venv_tool("flask"),
        "--app",
        str(site / "app.py"),
        "freeze",
        "--destination",
        str(destination),
    ]


def cold_start(*folders: Path) -> Callable[[], None]:
    """What a cold freeze starts from: no output folder. Each round gets folders
    of its own, so this removes nothing unless a noisy try is repeated (deleting many files
    and writing them again at the same path gets slower on every repeat on this disk)."""

    def remove() -> None:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)

    return remove


def edit_one_post(site: Path, count: int, round_number: int) -> None:
    """Add a closing paragraph to a post in the middle of the corpus, as an author would."""
    path = site / "pages" / EDITED.format(number=count // 2)
    with path.open("a", encoding="utf-8") as out:
        out.write(f"\nAn afterthought, added in round {round_number}: the ending stays.\n")


@dataclass
class Sizes:
    count: int
    sites: dict[str, Path]
    out: Path


def prepare(count: int) -> Sizes:
    folder = WORK / f"corpus-{count}"
    say(f"Generating {count} posts for Twombly, Pelican and Hugo in {folder} ...")
    sites = corpus.generate(count, folder)
    # Old output folders are deleted once, here, before any timed run (ext4 slows down on
    # delete-and-rewrite at the same path, so every timed build gets a new folder).
    return Sizes(count, sites, fresh_folder(WORK / f"out-{count}"))


def measure_freeze(count: int, rounds: int) -> dict[str, Series]:
    sizes = prepare(count)
    site, out = sizes.sites["twombly"], sizes.out
    pelican_site, hugo_site = sizes.sites["pelican"], sizes.sites["hugo"]
    pelican_cache = out / "pelican-cache"
    say("Filling Pelican's content cache (untimed) ...")
    run_quietly(pelican_command(pelican_site, out / "pelican-prime", pelican_cache))
    series = {
        name: Series(name)
        for name in (
            "ours_cold",
            "ours_refreeze",
            "pelican_cold",
            "pelican_warm",
            "hugo_cold",
            "stack_floor",
        )
    }
    for number in range(1, rounds + 1):
        say(f"  round {number}/{rounds}")
        ours = out / f"ours-{number}"
        series["ours_cold"].runs.append(
            run_quietly(our_freeze(site, ours), before=cold_start(ours))
        )
        series["ours_refreeze"].runs.append(
            run_quietly(
                our_freeze(site, ours),
                before=lambda number=number: edit_one_post(site, count, number),
            )
        )
        series["pelican_cold"].runs.append(
            run_quietly(pelican_command(pelican_site, out / f"pelican-cold-{number}"))
        )
        series["pelican_warm"].runs.append(
            run_quietly(
                pelican_command(pelican_site, out / f"pelican-warm-{number}", pelican_cache)
            )
        )
        series["hugo_cold"].runs.append(
            run_quietly(
                [
                    peers.hugo(),
                    "--quiet",
                    "--source",
                    hugo_site,
                    "--destination",
                    out / f"hugo-{number}",
                ]
            )
        )
        series["stack_floor"].runs.append(
            run_quietly([venv_tool("python"), BENCH / "stack_floor.py", site])
        )
    return series


def pelican_command(site: Path, output: Path, cache: Path | None = None) -> list:
    command = [
        peers.pelican(),
        site / "content",
        "-s",
        site / "pelicanconf.py",
        "-o",
        output,
        "-q",
    ]
    if cache is not None:
        return ["env", f"PELICAN_CACHE={cache}", *command]
    return command


def measure_scaling(small: int, large: int, rounds: int) -> tuple[Series, Series]:
    """Our cold freeze at two sizes, alternately."""
    sites = {count: prepare(count) for count in (small, large)}
    series = {count: Series(f"ours_cold_{count}") for count in (small, large)}
    for number in range(1, rounds + 1):
        say(f"  scaling round {number}/{rounds}")
        for count, sizes in sites.items():
            site, folder = sizes.sites["twombly"], sizes.out / f"scale-{number}"
            run = run_quietly(our_freeze(site, folder), before=cold_start(folder))
            series[count].runs.append(run)
    return series[small], series[large]


def report_freeze(count: int, series: dict[str, Series]) -> list[Target]:
    noise = max(s.others for s in series.values())
    say(
        f"\nFreeze of {count} posts: median of {len(series['ours_cold'].runs)} alternating runs "
        f"(most CPU used by other processes during any run: {noise:.2f} of 2 cores)"
    )
    say(f"  {'':34} {'seconds':>8} {'peak MB':>8}")
    labels = {
        "ours_cold": "Twombly cold freeze",
        "ours_refreeze": "Twombly re-freeze after 1 edit",
        "pelican_cold": "Pelican 4.12 cold",
        "pelican_warm": "Pelican 4.12 warm (content cache)",
        "hugo_cold": "Hugo cold",
        "stack_floor": "Stack floor (front matter only)",
    }
    for key, label in labels.items():
        say(f"  {label:34} {series[key].seconds:8.2f} {series[key].peak_mb:8.0f}")
    cold_vs_pelican = pair_ratio(series["ours_cold"], series["pelican_cold"])
    cold_vs_hugo = pair_ratio(series["ours_cold"], series["hugo_cold"])
    warm_vs_pelican = pair_ratio(series["ours_refreeze"], series["pelican_warm"])
    refreeze_vs_hugo = pair_ratio(series["ours_refreeze"], series["hugo_cold"])
    floor_vs_hugo = pair_ratio(series["stack_floor"], series["hugo_cold"])
    say(
        f"  ratios (median of run-by-run): ours cold / Pelican cold {cold_vs_pelican:.2f}, "
        f"ours cold / Hugo cold {cold_vs_hugo:.2f}, ours re-freeze / Pelican warm "
        f"{warm_vs_pelican:.2f}, ours re-freeze / Hugo cold {refreeze_vs_hugo:.2f}"
    )
    say(
        f"  the required stack's floor (start, import Flask + Flask-FlatPages + Frozen-Flask, "
        f"read every front matter, render nothing) / Hugo cold: {floor_vs_hugo:.2f}"
    )
    return [
        Target(
            f"cold freeze of {count} posts <= 0.6 x Pelican cold",
            f"{cold_vs_pelican:.2f} x",
            cold_vs_pelican <= 0.6,
        ),
        Target(
            f"re-freeze after 1 edit of {count} <= 0.5 x Hugo cold",
            f"{refreeze_vs_hugo:.2f} x (the stack's floor: {floor_vs_hugo:.2f} x)",
            refreeze_vs_hugo <= 0.5,
        ),
    ]


def report_scaling(small: Series, large: Series, sizes: tuple[int, int]) -> Target:
    ratio = pair_ratio(large, small)
    say(
        f"\nScaling: cold freeze of {sizes[0]} posts {small.seconds:.2f} s "
        f"({small.peak_mb:.0f} MB), {sizes[1]} posts {large.seconds:.2f} s "
        f"({large.peak_mb:.0f} MB); ratio {ratio:.2f} "
        f"(others' load up to {max(small.others, large.others):.2f} cores)"
    )
    limit = 5.5 * sizes[1] / sizes[0] / 5
    return Target(
        f"{sizes[1]} posts <= {limit:.1f} x the {sizes[0]}-post time",
        f"{ratio:.2f} x",
        ratio <= limit,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="posts in the corpus (1000)")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds (5)")
    parser.add_argument("--scale", type=int, default=0, help="also time a freeze of this many")
    args = parser.parse_args()
    targets = report_freeze(args.n, measure_freeze(args.n, args.rounds))
    if args.scale:
        small, large = measure_scaling(args.n, args.scale, max(3, args.rounds // 2))
        targets.append(report_scaling(small, large, (args.n, args.scale)))
    print_targets(targets)


if __name__ == "__main__":
    main()
