"""Large imports run as jobs: a progress bar any web process can show, then the same report."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from omnitraffick.extensions import db as _db
from omnitraffick.models import Campaign, ImportJob, Role, Ticket, utcnow
from omnitraffick.services import import_jobs, imports, spreadsheets
from tests.conftest import PASSWORD
from tests.html import parse

URL = "/imports/campaigns"


def sheet(rows: int, *extra: str) -> str:
    lines = ["brand,market,year,campaign_name,budget,channel"]
    lines += [f"DIS,US,2026,Plan {n},100,META" for n in range(rows)]
    return "\n".join([*lines, *extra]) + "\n"


def count(db, model=Campaign) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def editor(login, dis, us, meta):
    return login(Role.TRAFFICKER)


@pytest.fixture
def threshold(app, monkeypatch):
    """Imports of more than 20 rows run as jobs (1,000 by default)."""
    monkeypatch.setitem(app.config, "IMPORT_JOB_ROWS", 20)


def test_a_large_import_runs_as_a_job_and_shows_the_same_report(client, db, editor, threshold):
    page = parse(client.get(URL).text)
    assert "more than 20 rows runs in the background" in page.text
    small = client.post(URL, data={"paste": sheet(20), "action": "import", "on_error": "abort"})
    assert small.status_code == 200 and "Imported 20 campaigns" in small.text  # in the request

    queued = client.post(
        URL, data={"paste": sheet(60, "DIS,ZZ,2026,Far,100,META"), "action": "import"}
    )
    assert queued.status_code == 303
    job = db.session.scalar(select(ImportJob))
    assert queued.headers["Location"] == f"/imports/jobs/{job.id}"
    assert job.state == "done" and job.checked_rows == 61

    done = parse(client.get(queued.headers["Location"]).text)
    # Errors block the import by default: nothing written, the same report as in a request.
    assert "Nothing was imported" in done.text
    assert done.find(id="count-create").text == "40"  # Plan 0–19 exist already
    assert done.find(id="count-exists").text == "20"
    assert "No market has the code 'ZZ'" in done.find("tr", data_row="62").text
    assert count(db) == 20
    # The sheet is carried for the error rows CSV, and the dry run again.
    assert done.find("input", id="table").attrs["value"].startswith("brand,market")

    client.post(
        URL,
        data={
            "paste": sheet(60, "DIS,ZZ,2026,Far,100,META"),
            "action": "import",
            "on_error": "skip",
        },
    )
    latest = db.session.scalars(select(ImportJob).order_by(ImportJob.created_at.desc())).first()
    page = parse(client.get(f"/imports/jobs/{latest.id}").text)
    assert "Imported 40 campaigns" in page.text
    first = db.session.scalar(select(Campaign).where(Campaign.name == "DIS_US_MULTI_2026_Plan59"))
    assert page.find("a", href=f"/campaigns/{first.id}") is not None
    assert count(db) == 60 and count(db, Ticket) == 60


def test_the_page_polls_a_progress_bar_until_the_job_ends(app, client, db, editor, make_user):
    job = ImportJob(
        created_by_id=editor.id,
        total_rows=1000,
        checked_rows=500,
        state="checking",
        on_error="abort",
        sheet=sheet(2),
    )
    db.session.add(job)
    db.session.commit()
    page = parse(client.get(f"/imports/jobs/{job.id}").text)
    bar = page.find("progress", id="import-progress-bar")
    assert bar.attrs["value"] == "25" and bar.attrs["max"] == "100"
    assert "Checking rows: 500 of 1,000" in page.find(id="import-progress-text").text
    poll = page.find(id="import-progress")
    assert poll.attrs["hx-get"] == f"/imports/jobs/{job.id}/progress"
    assert "every 1s" in poll.attrs["hx-trigger"]

    job.state = "writing"
    db.session.commit()
    partial = client.get(f"/imports/jobs/{job.id}/progress", headers={"HX-Request": "true"})
    assert "Writing the campaigns" in partial.text
    assert parse(partial.text).find("progress").attrs["value"] == "50"

    job.state = "done"
    job.report = import_jobs.to_dict(
        imports.dry_run(spreadsheets.read_text(job.sheet, max_rows=10))
    )
    db.session.commit()
    ended = client.get(f"/imports/jobs/{job.id}/progress", headers={"HX-Request": "true"})
    assert ended.headers["HX-Redirect"] == f"/imports/jobs/{job.id}"

    # Only the person who started an import sees it.
    other, someone = app.test_client(), make_user(Role.TRAFFICKER)
    assert (
        other.post("/login", data={"email": someone.email, "password": PASSWORD}).status_code == 302
    )
    assert other.get(f"/imports/jobs/{job.id}").status_code == 404
    assert other.get(f"/imports/jobs/{job.id}/progress").status_code == 404


def test_progress_is_saved_while_rows_are_checked(client, db, editor, threshold, monkeypatch):
    seen = []
    save = import_jobs._progress

    def watch(job_id, checked):
        save(job_id, checked)
        if checked % 10 == 0:  # read back on another connection, as another process would
            with _db.engine.connect() as other:
                seen.append(
                    other.scalar(select(ImportJob.checked_rows).where(ImportJob.id == job_id))
                )

    monkeypatch.setattr(import_jobs, "PROGRESS_EVERY", 10)
    monkeypatch.setattr(import_jobs, "_progress", watch)
    client.post(URL, data={"paste": sheet(45), "action": "import"})
    assert seen == [10, 20, 30, 40]
    assert count(db) == 45


def test_a_failed_write_leaves_nothing_half_saved(client, db, editor, threshold, monkeypatch):
    client.post(URL, data={"paste": sheet(1), "action": "import"})
    # Someone else creates a campaign of the file after its rows were checked.
    monkeypatch.setattr(imports, "_mark_existing", lambda rows: None)
    queued = client.post(URL, data={"paste": sheet(30), "action": "import"})
    page = parse(client.get(queued.headers["Location"]).text)
    assert "Someone created one of these campaigns while the import ran" in page.text
    job = db.session.scalars(select(ImportJob).order_by(ImportJob.created_at.desc())).first()
    assert job.state == "failed" and job.report is None
    assert count(db) == 1 and count(db, Ticket) == 1


def test_a_job_whose_worker_was_lost_is_shown_as_failed(client, db, editor):
    job = ImportJob(
        created_by_id=editor.id,
        created_at=utcnow() - timedelta(minutes=11),
        total_rows=5000,
        state="writing",
        on_error="abort",
        sheet=sheet(2),
    )
    db.session.add(job)
    db.session.commit()
    page = parse(client.get(f"/imports/jobs/{job.id}").text)
    assert "This import stopped before it finished" in page.find(role="alert").text
    db.session.refresh(job)
    assert job.state == "failed"
