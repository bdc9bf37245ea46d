"""The reference apps `make bench-compare` measures ours against, each served by gunicorn.

- `hello`: a bare Flask view returning a fixed htmx fragment of about the preview's size: the
  most a Flask view can serve on this machine.
- `create_admin()`: a Flask-Admin list view over the same campaigns table, 50 rows a page,
  newest first, as our list. Flask-Admin lives only in the benchmark's own venv
  (.bench-venv, locked with hashes in bench/requirements-admin.txt by `make lock`), so it is
  imported inside the factory.
"""

import os

from flask import Flask

FRAGMENT = (
    '<div id="name-preview" class="name-preview" aria-live="polite">'
    "<p>Campaign name</p><code>NIKE_JP_MULTI_SpringRefresh2_2026</code>"
    '<p class="muted">Available: no campaign has this name yet.</p></div>'
)

hello = Flask("hello")


@hello.get("/hello")
def hello_fragment():
    return FRAGMENT


def create_admin() -> Flask:
    """Flask-Admin's ModelView over the campaigns table (its columns as our list shows)."""
    # pylint: disable=import-outside-toplevel,import-error
    from flask_admin import Admin
    from flask_admin.contrib.sqla import ModelView
    from flask_sqlalchemy import SQLAlchemy
    from sqlalchemy import DateTime, Numeric, String, Uuid
    from sqlalchemy.orm import Mapped, mapped_column

    app = Flask("admin")
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    app.config["SECRET_KEY"] = "bench"
    db = SQLAlchemy(app)

    class Campaign(db.Model):  # the columns the list shows; the table is ours
        __tablename__ = "campaigns"
        id: Mapped[str] = mapped_column(Uuid, primary_key=True)
        name: Mapped[str] = mapped_column(String(255))
        year: Mapped[int]
        budget: Mapped[float] = mapped_column(Numeric(14, 2))
        status: Mapped[str] = mapped_column(String(20))
        created_at = mapped_column(DateTime(timezone=True))

    class CampaignView(ModelView):
        page_size = 50
        can_set_page_size = False
        column_list = ("name", "year", "budget", "status", "created_at")
        column_default_sort = ("created_at", True)
        column_searchable_list = ("name",)

    admin = Admin(app, name="Reference")
    admin.add_view(CampaignView(Campaign, db.session))
    return app
