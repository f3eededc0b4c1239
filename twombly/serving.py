"""What `make serve`'s gunicorn.conf.py takes from the engine.

- How many workers keep the comment rate limits exact: with `memory://` storage each worker
  counts alone, so one worker (gevent serves many readers at once in it); with a shared storage
  (`redis://`) two per core.
- A start-up warning when the setup cannot keep them.
- An access-log line for each request gunicorn's parser refuses: gunicorn writes a warning
  line for it, but an access line only when it got as far as the request's headers.
"""

from __future__ import annotations

import os
import re
import ssl
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from gunicorn.glogging import Logger
from gunicorn.http import errors

from twombly.config import site_settings


def storage_uri(site: Path) -> str:
    return str(site_settings(site)["COMMENTS_STORAGE_URI"])


def is_shared(uri: str) -> bool:
    """Whether every worker (and server) counts in the same place: anything but memory://."""
    return not uri.startswith("memory://")


def default_workers(site: Path) -> int:
    """WEB_CONCURRENCY if set; else 1 with memory:// storage, two per core with a shared one."""
    if os.environ.get("WEB_CONCURRENCY"):
        return int(os.environ["WEB_CONCURRENCY"])
    return 2 * (os.cpu_count() or 1) if is_shared(storage_uri(site)) else 1


def rate_limit_warning(site: Path, workers: int) -> str | None:
    """The start-up warning when `workers` processes cannot keep the limits; None when they can."""
    uri = storage_uri(site)
    if workers <= 1 or is_shared(uri):
        return None
    return (
        f"comment rate limits are not kept: {workers} workers each count alone with "
        f"[comments] storage_uri = {uri!r}, so one address may send up to {workers} times "
        "[comments] rate_limit. Run one worker (WEB_CONCURRENCY=1) or set a shared storage "
        '(storage_uri = "redis://127.0.0.1:6379", pip install ".[redis]").'
    )


REFUSED = re.compile(r"Invalid request from ip=(?P<ip>\S*): (?P<error>.*)", re.DOTALL)
# gunicorn's status for each refusal (400 for any other).
STATUSES = (
    (errors.UnsupportedTransferCoding, 501),
    (errors.LimitRequestLine, 414),
    (errors.LimitRequestHeaders, 431),
    (errors.ExpectationFailed, 417),
    (errors.ForbiddenProxyRequest, 403),
    (ssl.SSLError, 403),
)


def refusal_status(error: BaseException | None) -> int:
    return next((status for kind, status in STATUSES if isinstance(error, kind)), 400)


class AccessLogger(Logger):
    """gunicorn's logger, plus an access line for a request its parser refused unnamed.

    gunicorn logs a refusal from inside its `except` block, with a warning; it writes the
    access line itself only when a header's error carries the request it was reading.
    """

    def warning(self, msg: str, *args: Any, **kwargs: Any) -> None:
        super().warning(msg, *args, **kwargs)
        error = sys.exc_info()[1]
        if isinstance(error, (errors.InvalidHeader, errors.InvalidHeaderName)) and getattr(
            error, "req", None
        ):
            return  # gunicorn writes this one's access line
        if isinstance(msg, str) and (match := REFUSED.fullmatch(msg)):
            atoms = {"h": match["ip"], "t": self.now(), "s": refusal_status(error), "M": 0}
            atoms |= {"r": match["error"].replace('"', '\\"'), "D": 0, "L": "0"}
            self.access_log.info(self.cfg.access_log_format, defaultdict(lambda: "-", atoms))
