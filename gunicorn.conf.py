"""gunicorn settings for `make serve`: `gunicorn --config gunicorn.conf.py app:app`.

Every setting can still be overridden on the command line or by GUNICORN_CMD_ARGS.
"""

import os
from pathlib import Path

from twombly.serving import default_workers, rate_limit_warning

bind = os.environ.get("BIND", "127.0.0.1:8000")
# WEB_CONCURRENCY is the usual name hosts give the worker count. Else one worker while the
# comment rate limits are counted in memory (each worker would count alone), two per core once
# `[comments] storage_uri` is shared (redis://). The site is the current folder, as for app.py.
workers = default_workers(Path.cwd())

# gunicorn's own gevent worker: each worker serves many connections at once, one greenlet
# each, keeps them open for the next request, and reads requests with gunicorn's parser (its
# limit_request_* settings apply; a malformed request gets a 400 and one warning line).
# gunicorn patches the standard library before the app loads, so locks, sleeps and the
# comment store's file locks cooperate. Chosen over gthread for two reasons: it served more
# pages and comments in `make bench`, and the rate limiter's `memory://` storage (limits 5.x)
# is safe under it. That storage re-creates its expiry `threading.Timer`
# when the last one has finished and then calls `self.timer.start()`; with threads, two
# requests can both pass the check and both start the same new timer ("threads can only be
# started once", a 500). A greenlet only yields inside `Timer.start()`, once it already holds
# its own timer, so no other request can start that one.
worker_class = "gevent"
# Connections one worker holds at once, kept-alive ones included (gunicorn's default).
worker_connections = 1000
# Seconds a connection may wait for its next request, and for a request's line and headers to
# arrive (behind nginx, an upstream `keepalive` reuses connections). Keep it above 0: with 0,
# each connection serves one request, and the gevent worker waits for a request's head without
# a deadline. The body's deadline is the app's `[server] body_timeout` (10 s): gunicorn has none.
keepalive = 5

# Access log on stdout. %(h)s is REMOTE_ADDR after the app's ProxyFix ([proxy] trusted_hops),
# so behind nginx it is the real client, and a forged X-Forwarded-For is never logged as one.
accesslog = "-"
access_log_format = '%(h)s - %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
errorlog = "-"
# gunicorn's logger, plus an access line for each request its parser refuses (400, 414, 501...):
# gunicorn itself writes only a one-line warning for those it refuses before reading the headers.
logger_class = "twombly.serving.AccessLogger"

# gunicorn trusts X-Forwarded-Proto from 127.0.0.1 by default; leave that decision to the app's
# ProxyFix alone, so that `trusted_hops = 0` really means no forwarded header is believed.
forwarded_allow_ips = ""


def when_ready(server) -> None:
    """Say at start when several workers cannot keep the comment rate limits."""
    if warning := rate_limit_warning(Path.cwd(), server.cfg.workers):
        server.log.warning(warning)
