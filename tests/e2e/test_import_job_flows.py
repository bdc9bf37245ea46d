"""A large import in the browser: it runs in the background (the server's job threads), the
page polls a progress bar, then shows the report an import in the request shows."""

import re
import uuid
from collections.abc import Callable
from datetime import date

from playwright.sync_api import Page, expect

from .conftest import ADMIN_EMAIL
from .test_board_flows import _sql_time
from .test_bulk_flows import counts, reference_rows


def test_a_1500_row_upload_imports_in_the_background(login, live_sql, screenshot):
    page = login("admin")
    brand, market, channel = reference_rows(live_sql)
    year = date.today().year
    lines = ["brand,market,year,campaign_name,budget,channel,budget_type,flight_start"]
    lines += [
        f"{brand},{market},{year},Wave {n},1000,{channel},DAILY,{year}-03-01" for n in range(1500)
    ]
    page.goto("/imports/campaigns")
    expect(page.get_by_text("more than 1,000 rows runs in the background")).to_be_visible()
    page.get_by_label("…or upload a CSV or XLSX file").set_input_files(
        {"name": "plan.csv", "mimeType": "text/csv", "buffer": "\n".join(lines).encode()}
    )
    page.get_by_role("button", name="Dry run").click()
    assert counts(page) == ("1500", "0", "0")

    page.get_by_role("button", name="Import 1500 campaigns").click()
    expect(page).to_have_url(re.compile(r"/imports/jobs/[0-9a-f-]{36}$"))
    expect(page.get_by_role("heading", name="Imported 1500 campaigns")).to_be_visible(
        timeout=60_000
    )
    expect(page.locator("#count-create")).to_have_text("1500")
    (brand_id,) = live_sql("SELECT id FROM brands WHERE internal_code = ?", (brand,))[0]
    assert live_sql("SELECT count(*) FROM campaigns WHERE brand_id = ?", (brand_id,)) == [(1500,)]


def test_the_progress_bar_polls_until_the_job_ends(
    login, live_sql: Callable[..., list[tuple]], screenshot
):
    page: Page = login("admin")
    (user_id,) = live_sql("SELECT id FROM users WHERE email = ?", (ADMIN_EMAIL,))[0]
    job_id = uuid.uuid4()
    live_sql(
        "INSERT INTO import_jobs (id, created_by_id, created_at, state, total_rows,"
        " checked_rows, on_error, sheet) VALUES (?, ?, ?, 'checking', 10000, 3000, 'abort', ?)",
        (job_id.hex, user_id, _sql_time(), "brand,market,year,campaign_name,budget\n"),
    )
    page.goto(f"/imports/jobs/{job_id}")
    bar = page.locator("#import-progress-bar")
    expect(bar).to_have_attribute("value", "15")
    expect(page.locator("#import-progress-text")).to_contain_text("Checking rows: 3,000 of 10,000")
    screenshot(page, "import-job-progress")

    # Another process moves the job on: the page follows by polling.
    live_sql("UPDATE import_jobs SET state = 'writing' WHERE id = ?", (job_id.hex,))
    expect(bar).to_have_attribute("value", "50")
    expect(page.locator("#import-progress-text")).to_contain_text("Writing the campaigns")
    live_sql(
        "UPDATE import_jobs SET state = 'failed', message = ? WHERE id = ?",
        ("Someone created one of these campaigns while the import ran.", job_id.hex),
    )
    expect(page.get_by_role("alert")).to_contain_text("Someone created one of these campaigns")
    expect(page.get_by_role("heading", name="Import campaigns")).to_be_visible()
