"""gunicorn settings for the benchmarks: the project's gunicorn.conf.py (worker class, connections,
keep-alive), without the per-request access log (nginx runs with access_log off in the same
benchmarks). bench/servers.py gives the worker count and the address on the command line."""

import runpy
from pathlib import Path

PRODUCTION = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"

globals().update(
    (name, value)
    for name, value in runpy.run_path(str(PRODUCTION)).items()
    if not name.startswith("_")
)
accesslog = None
loglevel = "warning"
