"""gunicorn settings for `make serve`: `gunicorn --config gunicorn.conf.py app:app`.

Every setting can still be overridden on the command line or by GUNICORN_CMD_ARGS.
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# WEB_CONCURRENCY is the usual name hosts give the worker count; else two per core.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1))

# gevent workers: each worker serves many connections at once, each in a greenlet, and keeps
# them open for the next request. gunicorn's sync worker closes the connection after every
# response (profiled, most of each request went on that close and the client's new handshake);
# gthread workers keep connections too, but hand every request from the main thread to a pool
# thread and back. Measured on the same post with 200 comments, gevent served 26-29 % of
# nginx's rate against 22-23 % for gthread, and comments 446-477/s against 420-442/s, with a
# lower p99 in both (bench/, alternated in one session). gunicorn patches the standard
# library when a worker starts (before the app loads), so the app's thread locks, its
# thread-local Markdown parsers and the comment store's lock polling (time.sleep) become
# greenlet-aware; a comment's fsync blocks its worker for a moment, the other workers go on.
# The worker reads requests with gevent's HTTP server (pywsgi) rather than gunicorn's parser,
# which is faster again (see twombly/gunicorn_worker.py). pywsgi has limits of its own on a
# request's head (a request line under 8 KiB, at most 100 header lines), in place of gunicorn's
# limit_request_* settings; and it does not count requests for max_requests.
worker_class = "twombly.gunicorn_worker.Worker"
worker_connections = 1000
# Seconds an idle connection stays open (behind nginx, an upstream `keepalive` reuses them).
keepalive = 5

# Access log on stdout. %(h)s is REMOTE_ADDR after the app's ProxyFix ([proxy] trusted_hops),
# so behind nginx it is the real client, and a forged X-Forwarded-For is never logged as one.
accesslog = "-"
access_log_format = '%(h)s - %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
errorlog = "-"

# gunicorn trusts X-Forwarded-Proto from 127.0.0.1 by default; leave that decision to the app's
# ProxyFix alone, so that `trusted_hops = 0` really means no forwarded header is believed.
forwarded_allow_ips = ""
