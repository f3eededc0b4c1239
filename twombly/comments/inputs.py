"""The comment form's visible fields, rendered once per app while the form is blank.

WTForms renders each field's attributes one by one (`html_params`), which made the comment
form cost more than the rest of a post page put together. A blank form's fields (no data, no
errors) are the same on every post page: only the hidden token, the return address and the
form's action differ, and those stay outside these fields. So the blank fields are rendered
once per app and reused; a form sent back with errors is rendered afresh.
"""

from __future__ import annotations

from flask import Flask, current_app, render_template
from markupsafe import Markup

from twombly.comments.forms import CommentForm

TEMPLATE = "_comment_inputs.html"
VISIBLE = ("name", "website", "homepage", "body")
BLANK = "twombly.blank_comment_inputs"


def comment_inputs(form: CommentForm) -> Markup:
    """The HTML of the form's name, website, honeypot and comment fields."""
    if form.errors or any(form[name].data for name in VISIBLE):
        return Markup(render_template(TEMPLATE, form=form))
    blank = current_app.extensions.get(BLANK)
    if blank is None:
        blank = current_app.extensions[BLANK] = Markup(render_template(TEMPLATE, form=form))
    return blank


def init_app(app: Flask) -> None:
    app.jinja_env.globals["comment_inputs"] = comment_inputs
