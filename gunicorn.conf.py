"""gunicorn settings for `make serve`: `gunicorn --config gunicorn.conf.py app:app`.

Every setting can still be overridden on the command line or by GUNICORN_CMD_ARGS.
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# WEB_CONCURRENCY is the usual name hosts give the worker count; else two per core.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1))

# Threaded workers that keep connections open. gunicorn's sync worker closes the connection after
# every response and then waits for the client to close its side too: profiled under load, a sync
# worker spent most of each request on that wait and the client on a new TCP handshake. A gthread
# worker hands each request to one of `threads` threads and keeps the connection for the next
# one; a page served from the page cache takes a few microseconds of the app, so the threads
# mostly overlap sending bodies. The app is thread-safe: the page cache, the Markdown parsers
# and the rate limiter's memory store lock what they share, and each comment write takes its own
# file lock. GUNICORN_THREADS changes the number of threads.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
# Seconds an idle connection stays open (behind nginx, an upstream `keepalive` reuses them).
keepalive = 5
# Connections one worker holds at once (kept-alive ones included). Kept at twice the threads, so
# the connections of a busy client are spread over every worker instead of piling onto the first
# one that accepted them; beyond that, a worker closes after the response and new connections wait
# in the listen backlog a moment for a free worker.
worker_connections = 2 * threads

# Access log on stdout. %(h)s is REMOTE_ADDR after the app's ProxyFix ([proxy] trusted_hops),
# so behind nginx it is the real client, and a forged X-Forwarded-For is never logged as one.
accesslog = "-"
access_log_format = '%(h)s - %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
errorlog = "-"

# gunicorn trusts X-Forwarded-Proto from 127.0.0.1 by default; leave that decision to the app's
# ProxyFix alone, so that `trusted_hops = 0` really means no forwarded header is believed.
forwarded_allow_ips = ""
