"""Compiled templates kept between runs (Jinja's bytecode cache, under instance/).

Compiling the theme's templates costs each new process (a `flask freeze`, a server worker)
about a tenth of a second. Jinja checks each cached template against the checksum of its
source; the key here adds the environment's settings that change the compiled code, so a
change of those (or of Jinja) never reuses old code.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import jinja2
from flask import Flask
from jinja2 import Environment, FileSystemBytecodeCache


class TemplateCache(FileSystemBytecodeCache):
    def __init__(self, folder: Path, environment: Environment) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        super().__init__(str(folder))
        self.environment = environment

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        env = self.environment
        settings = (
            jinja2.__version__,
            env.block_start_string, env.block_end_string,
            env.variable_start_string, env.variable_end_string,
            env.comment_start_string, env.comment_end_string,
            env.line_statement_prefix, env.line_comment_prefix,
            env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
            sorted(env.extensions), env.optimized, env.finalize is not None, env.is_async,
        )  # fmt: skip
        signature = hashlib.sha1(repr(settings).encode()).hexdigest()
        return hashlib.sha1(
            f"{signature}|{super().get_cache_key(name, filename)}".encode()
        ).hexdigest()


def init_app(app: Flask) -> None:
    folder = app.config["TEMPLATE_CACHE_DIR"]
    if not folder:
        return
    try:
        app.jinja_env.bytecode_cache = TemplateCache(
            Path(app.instance_path, folder), app.jinja_env
        )
    except OSError:  # an instance folder that cannot be written: compile in memory
        return
