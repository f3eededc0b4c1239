"""The hooks' entry point: `python -m twombly.publish pre-receive|post-receive --site DIR
--branch NAME`, with git's `old new ref` lines on standard input."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from twombly.publish.receive import HOOK_NAMES, post_receive, pre_receive

HOOKS = dict(zip(HOOK_NAMES, (pre_receive, post_receive), strict=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m twombly.publish")
    parser.add_argument("hook", choices=sorted(HOOKS))
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--branch", required=True)
    options = parser.parse_args(argv)
    return HOOKS[options.hook](options.site, options.branch, sys.stdin)


if __name__ == "__main__":
    sys.exit(main())
