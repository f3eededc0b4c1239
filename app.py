"""Entry point: `flask run` finds `app` here, and `gunicorn app:app` serves it."""

from pathlib import Path

from twombly import create_app

app = create_app(site=Path(__file__).resolve().parent)
