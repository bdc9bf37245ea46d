"""The import page: paste or upload, dry run, remap columns, import, error rows, template."""

import csv
import io

import pytest
from sqlalchemy import func, select

from omnitraffick.models import Campaign, Role, Ticket
from omnitraffick.services import imports, spreadsheets
from tests.html import parse

URL = "/imports/campaigns"


def sheet(rows: int, *, extra: tuple[str, ...] = (), sep: str = "\t") -> str:
    """Spreadsheet cells as Excel copies them: tab-separated, a header, `rows` good rows."""
    lines = [
        sep.join(["Brand", "Market", "Year", "Campaign Name", "Budget", "Channel", "Flight_Start"])
    ]
    lines += [
        sep.join(["DIS", "US", "2026", f"Plan {n}", "100", "META", "2026-03-01"])
        for n in range(rows)
    ]
    lines += [sep.join(line.split(",")) for line in extra]
    return "\r\n".join(lines) + "\r\n"


def count(db, model=Campaign) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def editor(login, dis, us, meta):
    return login(Role.TRAFFICKER)


def outcomes(page) -> dict[int, str]:
    return {
        int(tr.attrs["data-row"]): tr.find("span", cls="outcome").text
        for tr in page.find_all("tr")
        if "data-row" in tr.attrs
    }


def test_paste_dry_run_import_and_import_again(client, db, editor):
    pasted = sheet(
        200,
        extra=(
            "DIS,US,2026,Plan 7,100,META,2026-03-01",  # the same name as row 9
            "DIS,ZZ,2026,Nowhere,100,META,2026-03-01",
            "DIS,US,2026,Bad Date,100,META,2026-02-31",
        ),
    )
    dry = client.post(URL, data={"paste": pasted, "action": "dry_run", "on_error": "skip"})
    assert dry.status_code == 200, dry.text
    page = parse(dry.text)
    assert page.find(id="count-create").text == "199"
    assert page.find(id="count-error").text == "4"
    rows = outcomes(page)
    assert rows[9] == "error" and rows[202] == "error"  # Plan 7 twice
    assert "No market has the code 'ZZ'" in page.find("tr", data_row="203").text
    assert "Flight start must be a date" in page.find("tr", data_row="204").text
    assert count(db) == 0
    carried = page.find("input", id="table").attrs["value"]
    assert carried.startswith("Brand,Market,Year")

    imported = client.post(URL, data={"table": carried, "action": "import", "on_error": "skip"})
    assert imported.status_code == 200, imported.text
    done = parse(imported.text)
    assert "Imported 199 campaigns" in done.text
    assert count(db) == 199 and count(db, Ticket) == 199
    first = db.session.scalar(select(Campaign).where(Campaign.name == "DIS_US_MULTI_2026_Plan0"))
    assert done.find("a", href=f"/campaigns/{first.id}") is not None

    clean = sheet(200)
    first_clean = client.post(URL, data={"paste": clean, "action": "import", "on_error": "abort"})
    again = parse(first_clean.text)
    # Plan 7 was not imported the first time (it collided): now it is; the rest exist.
    assert again.find(id="count-exists").text == "199"
    assert again.find(id="count-create").text == "1"
    assert count(db) == 200
    third = parse(client.post(URL, data={"paste": clean, "action": "dry_run"}).text)
    assert third.find(id="count-exists").text == "200"
    assert third.find(id="count-create").text == "0"


def test_errors_block_the_import_unless_skipped(client, db, editor):
    pasted = sheet(3, extra=("DIS,US,2026,Bad,12.345,,",))
    blocked = client.post(URL, data={"paste": pasted, "action": "import", "on_error": "abort"})
    assert blocked.status_code == 422
    assert "Nothing was imported" in blocked.text
    assert "Budgets in USD take at most 2 decimals." in blocked.text
    assert count(db) == 0


def test_the_error_rows_download_as_csv_with_what_to_fix(client, editor):
    pasted = sheet(1, extra=("DIS,US,2026,=HYPERLINK(1),abc,,",))
    page = parse(client.post(URL, data={"paste": pasted, "action": "dry_run"}).text)
    table = page.find("input", id="table").attrs["value"]
    response = client.post(f"{URL}/errors.csv", data={"table": table})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][-1] == "errors"
    assert len(rows) == 2
    assert rows[1][3] == "'=HYPERLINK(1)"  # defused: the spreadsheet shows it as text
    assert "budget: Budget must be a number" in rows[1][-1]


def test_columns_can_be_remapped_when_the_headers_differ(client, db, editor):
    pasted = "Marke;Land;Name;Geld\r\nDIS;US;Moana;10\r\n"
    first = client.post(URL, data={"paste": pasted, "action": "dry_run"})
    assert first.status_code == 422
    page = parse(first.text)
    assert "No column for brand" in page.text
    table = page.find("input", id="table").attrs["value"]
    remapped = {
        "table": table,
        "action": "import",
        "map_brand": "Marke",
        "map_market": "Land",
        "map_campaign_name": "Name",
        "map_budget": "Geld",
        **{
            f"map_{c}": ""
            for c in imports.COLUMNS
            if c not in ("brand", "market", "campaign_name", "budget")
        },
    }
    done = client.post(URL, data=remapped)
    assert done.status_code == 200, done.text
    assert "Imported 1 campaign" in done.text
    assert db.session.scalar(select(Campaign.name)) == "DIS_US_MULTI_2026_Moana"


def test_an_uploaded_csv_is_read_like_a_pasted_one(client, db, editor):
    data = "brand;market;campaign_name;budget\r\nDIS;US;Straße;1\r\n".encode("cp1252")
    response = client.post(
        URL,
        data={"upload": (io.BytesIO(data), "plan.csv"), "action": "dry_run"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.text
    assert (
        "DIS_US_MULTI_2026_Strae" in response.text or "DIS_US_MULTI_2026_Strasse" in response.text
    )
    assert "semicolon" in response.text


def test_the_page_states_its_limits_and_the_template_has_every_column(client, editor):
    page = client.get(URL)
    assert page.status_code == 200
    assert "At most 10,000 rows and 8 MB per import." in page.text
    template = client.get(f"{URL}/template.csv")
    header = next(csv.reader(io.StringIO(template.get_data(as_text=True).lstrip("\ufeff"))))
    assert header == list(imports.COLUMNS)


def test_too_many_rows_is_a_413_that_says_the_limit(client, editor):
    response = client.post(URL, data={"paste": sheet(imports.MAX_ROWS + 1), "action": "dry_run"})
    assert response.status_code == 413
    assert "more than 10,000 rows" in response.text


def test_viewers_cannot_import(client, login):
    login(Role.VIEWER)
    assert client.get(URL).status_code == 403
    assert client.post(URL, data={"paste": "a,b"}).status_code == 403


def test_delimiters_encodings_and_blank_rows_are_read():
    assert spreadsheets.read("a;b\r\n1;2\r\n".encode("utf-8-sig"), max_rows=5).header == ["a", "b"]
    tab = spreadsheets.read_text("a\tb\n\n1\t2,5\n", max_rows=5)
    assert tab.rows == [["1", "2,5"]] and tab.numbers == [3]
    assert spreadsheets.read("é,x\n".encode("cp1252"), max_rows=5).header == ["é", "x"]
    with pytest.raises(spreadsheets.TooLarge):
        spreadsheets.read_text("a\n1\n2\n3\n", max_rows=2)


def test_a_dry_run_of_any_size_runs_a_fixed_number_of_queries(db, count_queries, dis, us, meta):
    def queries_for(rows: int) -> int:
        table = spreadsheets.read_text(sheet(rows), max_rows=imports.MAX_ROWS)
        with count_queries() as statements:
            report = imports.run(table, dry=False)
        db.session.rollback()
        assert report.summary["create"] == rows
        return len(statements)

    assert queries_for(5) == queries_for(300)
