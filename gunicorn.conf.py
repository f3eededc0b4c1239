"""gunicorn settings for `make serve`: `gunicorn --config gunicorn.conf.py app:app`.

Every setting can still be overridden on the command line or by GUNICORN_CMD_ARGS.
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# WEB_CONCURRENCY is the usual name hosts give the worker count; else two per core.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1))

# Access log on stdout. %(h)s is REMOTE_ADDR after the app's ProxyFix ([proxy] trusted_hops),
# so behind nginx it is the real client, and a forged X-Forwarded-For is never logged as one.
accesslog = "-"
access_log_format = '%(h)s - %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
errorlog = "-"

# gunicorn trusts X-Forwarded-Proto from 127.0.0.1 by default; leave that decision to the app's
# ProxyFix alone, so that `trusted_hops = 0` really means no forwarded header is believed.
forwarded_allow_ips = ""
