"""The audit of names already live: read from the platforms (the sandbox here), checked
against the conventions, on demand, as a job, and as CSV."""

import csv
import io

import pytest
import requests

from omnitraffick import jobs
from omnitraffick.models import NameAudit, Role
from omnitraffick.services.trafficking import audit as name_audit
from tests.html import parse


@pytest.fixture
def seeded(sandbox, dis, us, meta, tiktok):
    def seed(platform, kind, names):
        response = requests.post(
            f"{sandbox.url}/_sandbox/seed",
            json={"platform": platform, "kind": kind, "names": names},
            timeout=5,
        )
        assert response.status_code == 201, response.text
        return response.json()["ids"]

    return seed


def run(client):
    response = client.post("/naming/audit")
    assert response.status_code == 302
    return client.get("/naming/audit")


def test_the_audit_lists_the_non_compliant_names_seeded_in_the_sandbox(
    client, login, seeded, db, make_ticket, moana, meta
):
    login(Role.TRAFFICKER)
    good_id, bad_id = seeded(
        "meta", "campaigns", ["DIS_US_META_2026_MoanaLaunch", "moana launch FINAL v2"]
    )
    seeded("meta", "adsets", ["DIS_US_META_2026_Adset", "Adset copy 3"])
    seeded("tiktok", "campaigns", ["DIS_US_TIKTOK_2026_Spring", "DIS_US_TIKTOK_26_Spring"])
    # One of them OmniTraffick made: a trafficked ticket holds its id.
    ticket = make_ticket(campaign=moana, channel=meta)
    ticket.external_platform_id = good_id
    db.session.commit()

    page = parse(run(client).text)
    state = page.by_id("audit-state").text
    assert "6 live names read, 3 non-compliant, 5 not made by OmniTraffick" in state
    listed = {
        row.find("code").text: row.text
        for row in page.find("table", cls="audit-results").find_all("tr")[1:]
    }
    assert set(listed) == {
        "moana launch FINAL v2",
        "DIS_US_META_2026_Adset",
        "Adset copy 3",
        "DIS_US_TIKTOK_2026_Spring",
        "DIS_US_TIKTOK_26_Spring",
    }
    assert "'moana launch FINAL v2' is not a known brand code" in listed["moana launch FINAL v2"]
    assert "'26' is not a four-digit year such as 2026" in listed["DIS_US_TIKTOK_26_Spring"]
    assert "someone else" in listed["DIS_US_TIKTOK_2026_Spring"]

    only_bad = parse(client.get("/naming/audit", query_string={"show": "invalid"}).text)
    names = [
        row.find("code").text
        for row in only_bad.find("table", cls="audit-results").find_all("tr")[1:]
    ]
    assert sorted(names) == ["Adset copy 3", "DIS_US_TIKTOK_26_Spring", "moana launch FINAL v2"]
    assert bad_id in only_bad.find("table", cls="audit-results").text


def test_the_audit_exports_csv(client, login, seeded):
    login(Role.VIEWER)
    seeded("tiktok", "adgroups", ["not a name"])
    audit = name_audit.request_audit(None)
    name_audit.db.session.commit()
    jobs.dispatch(name_audit.AUDIT_JOB, audit.id)
    response = client.get("/naming/audit.csv", query_string={"show": "invalid"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["channel", "level", "platform_id", "name"]
    assert rows[1][0:2] == ["TIKTOK", "adset"] and rows[1][3] == "not a name"
    assert rows[1][4] == "no"


def test_a_platform_that_cannot_be_read_is_named(client, login, seeded, sandbox):
    login(Role.TRAFFICKER)
    seeded("meta", "campaigns", ["x"])
    sandbox.fault(platform="tiktok", status=400, message="Advertiser blocked", method="GET")
    page = parse(run(client).text)
    alert = page.find("p", cls="flash-error")
    assert alert is not None and alert.text.startswith("TIKTOK could not be read: TikTok answered:")
    assert "1 live name read" in page.by_id("audit-state").text


def test_viewers_cannot_start_an_audit(client, login):
    login(Role.VIEWER)
    assert client.post("/naming/audit").status_code == 403
    assert "No audit has run yet." in client.get("/naming/audit").text


def test_without_connections_the_audit_reads_nothing(client, login, db, meta):
    login(Role.TRAFFICKER)
    page = parse(run(client).text)
    assert "0 live names read" in page.by_id("audit-state").text
    assert db.session.query(NameAudit).one().finished_at is not None


def test_the_sandbox_refuses_bad_seeds(sandbox):
    for body in (
        {},
        {"platform": "meta", "kind": "ads", "names": ["x"]},
        {"platform": "meta", "kind": "campaigns", "names": [" "]},
    ):
        response = requests.post(f"{sandbox.url}/_sandbox/seed", json=body, timeout=5)
        assert response.status_code == 400
        assert response.json()["error"]


def test_the_cli_runs_an_audit_for_a_schedule(app, seeded):
    seeded("meta", "campaigns", ["bad name"])
    result = app.test_cli_runner().invoke(args=["names", "audit"])
    assert result.exit_code == 0, result.output
    assert "1 live names read, 1 non-compliant, 1 not made by OmniTraffick." in result.output
