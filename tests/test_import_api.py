"""POST /api/v1/imports/campaigns: the import contract, dry run and real, CSV and XLSX."""

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from omnitraffick.models import Campaign, Role, Ticket, TicketEvent
from omnitraffick.services import imports, spreadsheets, tokens

URL = "/api/v1/imports/campaigns"
HEADER = "brand,market,year,campaign_name,budget,channel,objective,budget_type,flight_start"
GOOD = [
    "DIS,US,2026,Moana Sequel,1000.50,META,AWARENESS,DAILY,2026-03-01",
    "dis,us,2026,Frozen Fever,200,,,,",
]


@pytest.fixture
def token(db, make_user):
    def make(role=Role.TRAFFICKER) -> dict:
        _, secret = tokens.create_token(make_user(role), "import")
        db.session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return make


@pytest.fixture
def post(client, token, dis, us, meta):
    headers = token()

    def send(body, query="", content_type="text/csv", **kwargs):
        data = body.encode() if isinstance(body, str) else body
        return client.post(
            URL + query,
            data=data,
            content_type=content_type,
            headers=kwargs.pop("headers", headers),
            **kwargs,
        )

    return send


def csv_of(*lines: str) -> str:
    return "\r\n".join([HEADER, *lines]) + "\r\n"


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_dry_run_reports_every_row_and_writes_nothing(post, db, moana):
    body = csv_of(
        *GOOD,
        "DIS,US,2026,moana LAUNCH,5,,,,",  # the name moana already has, in another case
        "DIS,XX,2026,Nowhere,5,,,,",
        "DIS,US,2026,Bad Date,5,META,,,2026-02-30",
        "DIS,US,20x6,,-1,TV,,,",
    )
    response = post(body, "?dry_run=true")
    assert response.status_code == 200, response.text
    report = response.get_json()
    assert report["dry_run"] is True
    assert report["summary"] == {"create": 2, "exists": 1, "error": 3}
    rows = report["rows"]
    assert [r["row"] for r in rows] == [2, 3, 4, 5, 6, 7]
    assert rows[0] == {
        "row": 2,
        "outcome": "create",
        "name": "DIS_US_MULTI_2026_MoanaSequel",
        "errors": {},
        "campaign_id": None,
    }
    assert rows[1]["name"] == "DIS_US_MULTI_2026_FrozenFever"
    assert rows[2]["outcome"] == "exists"
    assert rows[3]["errors"] == {"market": "No market has the code 'XX'."}
    assert rows[4]["errors"] == {"flight_start": "Flight start must be a date like 2026-03-31."}
    assert set(rows[5]["errors"]) == {"year", "campaign_name"}
    assert count(db, Campaign) == 1  # moana only


def test_an_import_writes_the_valid_rows_once_and_a_second_import_finds_them(post, db):
    response = post(csv_of(*GOOD), "?dry_run=false")
    assert response.status_code == 200, response.text
    report = response.get_json()
    assert report["summary"] == {"create": 2, "exists": 0, "error": 0}
    made = db.session.get(Campaign, __import__("uuid").UUID(report["rows"][0]["campaign_id"]))
    assert made.name == "DIS_US_MULTI_2026_MoanaSequel"
    assert str(made.budget) == "1000.500"
    assert made.campaign_name == "Moana Sequel"
    (ticket,) = db.session.scalars(select(Ticket)).all()
    assert ticket.campaign_id == made.id and ticket.status.value == "DRAFT"
    assert ticket.payload_config == {
        "objective": "AWARENESS",
        "budget_type": "DAILY",
        "flight_start": "2026-03-01",
        "initial_status": "PAUSED",
    }
    assert count(db, TicketEvent) == 1  # the ticket's history starts with its creation

    again = post(csv_of(*GOOD), "?dry_run=false").get_json()
    assert again["summary"] == {"create": 0, "exists": 2, "error": 0}
    assert count(db, Campaign) == 2


def test_errors_abort_the_import_with_422_and_the_same_report(post, db):
    body = csv_of(*GOOD, "DIS,US,2026,Broken,abc,,,,")
    response = post(body, "?dry_run=false&on_error=abort")
    assert response.status_code == 422
    report = response.get_json()
    assert report["dry_run"] is False
    assert report["summary"] == {"create": 2, "exists": 0, "error": 1}
    assert report["rows"][2]["errors"] == {
        "budget": "Budget must be a number, e.g. 1500.00 (got 'abc')."
    }
    assert all(r["campaign_id"] is None for r in report["rows"])
    assert count(db, Campaign) == 0


def test_skip_writes_the_valid_rows_and_leaves_the_errors_out(post, db):
    response = post(csv_of(*GOOD, "DIS,US,2026,Broken,abc,,,,"), "?dry_run=false&on_error=skip")
    assert response.status_code == 200
    assert response.get_json()["summary"] == {"create": 2, "exists": 0, "error": 1}
    assert count(db, Campaign) == 2


def test_rows_that_make_the_same_name_are_all_errors(post):
    body = csv_of("DIS,US,2026,Moana Launch,1,,,,", "DIS,US,2026,MOANA-launch!,2,,,,")
    rows = post(body).get_json()["rows"]
    assert [r["outcome"] for r in rows] == ["error", "error"]
    assert rows[0]["errors"]["campaign_name"].startswith("Row 3 makes the same name")
    assert rows[1]["errors"]["campaign_name"].startswith("Row 2 makes the same name")


def test_multipart_upload_semicolons_bom_and_cp1252(post):
    text = "\ufeffBrand;MARKET;Campaign Name;Budget\r\nDIS;US;Café Noël;10\r\n"
    response = post(
        {"file": (io.BytesIO(text.encode("utf-8")), "plan.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.text
    (row,) = response.get_json()["rows"]
    assert row["outcome"] == "create" and row["name"].endswith("_CafeNoel")
    windows = post("brand,market,campaign_name,budget\nDIS,US,Café,1\n".encode("cp1252"))
    assert windows.get_json()["rows"][0]["outcome"] == "create"


def test_xlsx_cells_are_read_as_text_and_formulas_are_never_run(post):
    book = Workbook()
    sheet = book.active
    sheet.append(["brand", "market", "year", "campaign_name", "budget"])
    sheet.append(["DIS", "US", 2026, "Moana", 1500])
    sheet.append(["DIS", "US", 2026, "Sum", "=1+1"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = post(buffer.getvalue(), content_type=spreadsheets.XLSX_TYPE)
    assert response.status_code == 200, response.text
    rows = response.get_json()["rows"]
    assert rows[0]["outcome"] == "create"
    assert rows[1]["errors"] == {"budget": "Budget must be a number, e.g. 1500.00 (got '=1+1')."}


def test_what_cannot_be_imported_is_refused_with_a_clear_status(post, client, token):
    missing = post("brand,market,name\nDIS,US,x\n")
    assert missing.status_code == 422
    assert set(missing.get_json()["errors"]) == {"campaign_name", "budget"}
    assert post("").status_code == 422
    assert post(b"\x81\x8d\x8f\x90\x9d", content_type="text/csv").status_code == 422
    assert post("{}", content_type="application/json").status_code == 415
    assert post(csv_of(*GOOD), "?dry_run=maybe").status_code == 422
    assert post(csv_of(*GOOD), "?on_error=ignore").status_code == 422
    assert post(csv_of(*GOOD), "?columns=x").status_code == 422
    too_many = post(HEADER + "\n" + "DIS,US,2026,x,1,,,,\n" * (imports.MAX_ROWS + 1))
    assert too_many.status_code == 413
    assert "at most 10,000" in too_many.get_json()["detail"]
    too_big = post("a" * (imports.MAX_BYTES + 1))
    assert too_big.status_code == 413
    viewer = client.post(
        URL, data=csv_of(*GOOD), content_type="text/csv", headers=token(Role.VIEWER)
    )
    assert viewer.status_code == 403
    assert client.post(URL, data=csv_of(*GOOD), content_type="text/csv").status_code == 401


def test_the_document_describes_the_import(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    operation = doc["paths"]["/imports/campaigns"]["post"]
    assert {p["name"] for p in operation["parameters"]} == {"dry_run", "on_error"}
    assert set(operation["requestBody"]["content"]) >= {"multipart/form-data", "text/csv"}
    for status in ("200", "422"):
        content = operation["responses"][status]["content"]["application/json"]
        assert "ImportReport" in str(content["schema"])
    report = doc["components"]["schemas"]["ImportReport"]
    assert set(report["properties"]) == {"dry_run", "summary", "rows"}
    row = doc["components"]["schemas"]["ImportRow"]["properties"]
    assert row["outcome"]["enum"] == ["create", "exists", "error"]
    assert {"413", "415"} <= set(operation["responses"])
