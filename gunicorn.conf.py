"""gunicorn settings for `make serve`: `gunicorn --config gunicorn.conf.py app:app`.

Every setting can still be overridden on the command line or by GUNICORN_CMD_ARGS.
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# WEB_CONCURRENCY is the usual name hosts give the worker count; else two per core.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1))

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
# arrive (behind nginx, an upstream `keepalive` reuses connections). With 0, each connection
# serves one request.
keepalive = 5

# Access log on stdout. %(h)s is REMOTE_ADDR after the app's ProxyFix ([proxy] trusted_hops),
# so behind nginx it is the real client, and a forged X-Forwarded-For is never logged as one.
accesslog = "-"
access_log_format = '%(h)s - %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
errorlog = "-"

# gunicorn trusts X-Forwarded-Proto from 127.0.0.1 by default; leave that decision to the app's
# ProxyFix alone, so that `trusted_hops = 0` really means no forwarded header is believed.
forwarded_allow_ips = ""
