"""gunicorn settings for the benchmarks: the project's, without the per-request access log
(nginx runs with access_log off in the same benchmarks)."""

accesslog = None
errorlog = "-"
loglevel = "warning"
forwarded_allow_ips = ""
