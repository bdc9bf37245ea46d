"""The board's refresh answers 304 from a fingerprint, without rendering, and is never stale:
every kind of change a column shows (a move, a new owner or due date, a new or deleted
ticket, a WIP limit, a renamed campaign, time moving a card's age) gives a new ETag and the
changed columns; the user, their filters and their role are part of it."""

from datetime import timedelta

import pytest
from flask import template_rendered

from omnitraffick.models import Campaign, Role, Ticket, User, utcnow
from omnitraffick.services import board_settings
from tests.board.helpers import S, board_move, card_of, cards, counts
from tests.html import parse, text_of
from tests.tickets.helpers import fragment_headers, reload


def poll(client, etag=None, url="/board/"):
    headers = fragment_headers() | ({"If-None-Match": etag} if etag else {})
    return client.get(url, headers=headers)


@pytest.fixture
def rendered(app):
    """The templates rendered while the test runs."""
    names = []

    def record(_sender, template, **_context):
        names.append(template.name)

    template_rendered.connect(record, app)
    yield names
    template_rendered.disconnect(record, app)


def assert_changed(client, first):
    """The old tag no longer holds: the refresh renders, with a new tag."""
    again = poll(client, first.headers["ETag"])
    assert again.status_code == 200
    assert again.headers["ETag"] != first.headers["ETag"]
    return parse(again)


def test_an_unchanged_board_answers_304_without_rendering(client, trafficker, board, rendered):
    first = poll(client)
    rendered.clear()

    again = poll(client, first.headers["ETag"])

    assert (again.status_code, again.data) == (304, b"")
    assert again.headers["ETag"] == first.headers["ETag"]
    assert rendered == []  # nothing rendered: the answer came from the fingerprint
    assert "no-cache" in again.headers["Cache-Control"]


def test_a_move_changes_the_tag(client, trafficker, board):
    first = poll(client)
    board_move(client, board["draft"], "QA_TESTING")

    doc = assert_changed(client, first)

    assert card_of(doc, board["draft"]).attrs["data-status"] != "DRAFT"  # (QA ran on it)


def test_a_new_owner_or_due_date_changes_the_tag(db, client, trafficker, board):
    ticket = board["draft"]
    first = poll(client)
    owner = client.post(
        f"/tickets/{ticket.id}/owner",
        data={"assignee_id": str(trafficker.id), "due_date": "", "version": ticket.version},
        headers=fragment_headers(),
    )
    assert owner.status_code == 200, owner.text
    second = poll(client, first.headers["ETag"])
    assert second.status_code == 200 and second.headers["ETag"] != first.headers["ETag"]
    version = reload(db, ticket.id).version

    client.post(
        f"/tickets/{ticket.id}/owner",
        data={"assignee_id": str(trafficker.id), "due_date": "2026-05-01", "version": version},
        headers=fragment_headers(),
    )
    doc = assert_changed(client, second)

    assert "May 1" in text_of(card_of(doc, ticket))


def test_a_new_ticket_changes_the_tag(client, trafficker, board, open_ticket, moana, tiktok):
    first = poll(client)
    before = counts(parse(first))["DRAFT"]

    new = open_ticket(moana, tiktok, S.DRAFT)
    doc = assert_changed(client, first)

    assert counts(doc)["DRAFT"] == before + 1
    assert card_of(doc, new) is not None


def test_a_deleted_ticket_changes_the_tag(db, client, trafficker, board):
    first = poll(client)
    gone = board["draft"].id

    deleted = client.post(f"/tickets/{gone}/delete")
    assert deleted.status_code == 302
    assert db.session.get(Ticket, gone) is None
    doc = assert_changed(client, first)

    assert counts(doc)["DRAFT"] == 0
    assert cards(doc, "DRAFT") == []


def test_a_wip_limit_change_changes_the_tag(db, client, trafficker, board):
    first = poll(client)

    board_settings.set_wip_limit(S.DRAFT, 5, hard=False)
    db.session.commit()
    second = poll(client, first.headers["ETag"])
    assert second.status_code == 200
    assert text_of(parse(second).find("span", cls="wip-limit")) == "/ 5"

    board_settings.set_wip_limit(S.DRAFT, 5, hard=True)  # same number, now hard
    db.session.commit()
    assert_changed(client, second)


def test_a_campaign_rename_changes_the_tag(db, client, trafficker, board, moana):
    first = poll(client)

    campaign = db.session.get(Campaign, moana.id)
    campaign.name = campaign.name.replace("MoanaLaunch", "MoanaRelaunch")
    db.session.commit()
    doc = assert_changed(client, first)

    assert "MoanaRelaunch" in text_of(card_of(doc, board["draft"]))


def test_the_tag_is_the_users_and_the_filters(client, trafficker, board, login, moana):
    mine = poll(client)
    filtered = poll(client, mine.headers["ETag"], url=f"/board/?campaign={moana.id}")
    assert filtered.status_code == 200  # another URL: not the same columns

    client.post("/logout")
    login(Role.TRAFFICKER)  # another user, another session (and CSRF token)
    theirs = poll(client, mine.headers["ETag"])
    assert theirs.status_code == 200
    assert theirs.headers["ETag"] != mine.headers["ETag"]


def test_a_role_change_changes_the_tag(db, client, trafficker, board):
    first = poll(client)

    user = db.session.get(User, trafficker.id)
    user.role = Role.VIEWER  # no more move controls on the cards
    db.session.commit()
    doc = assert_changed(client, first)

    assert card_of(doc, board["draft"]).find("select", name="to_status") is None


def test_the_tag_expires_when_a_cards_age_would_read_differently(
    db, client, trafficker, board, monkeypatch
):
    ticket = reload(db, board["draft"].id)
    ticket.status_changed_at = utcnow() - timedelta(seconds=10)  # "10s": reads anew each second
    db.session.commit()
    asked = utcnow().timestamp()
    first = poll(client)
    stamp = int(first.headers["ETag"].strip('"').split("-")[0])
    # Good until the card next reads differently, a second at most (in whole seconds, rounded
    # down: a tag may end before its second does, never after).
    assert int(asked) <= stamp <= asked + 1.5

    later = utcnow() + timedelta(seconds=2)
    monkeypatch.setattr("omnitraffick.views.board.utcnow", lambda: later)
    again = poll(client, first.headers["ETag"])

    assert again.status_code == 200  # rendered again: the card now reads "12s"


def test_an_old_board_is_good_for_a_long_while(client, trafficker, board):
    first = poll(client)  # the cards moved weeks ago: their ages read in days

    stamp = int(first.headers["ETag"].strip('"').split("-")[0])

    assert stamp - utcnow().timestamp() > 60


def test_a_forged_or_expired_tag_is_not_honoured(client, trafficker, board):
    first = poll(client)
    stamp, digest = first.headers["ETag"].strip('"').split("-")

    later = f'"{int(stamp) + 3600}-{digest}"'  # the same digest, a later end
    expired = f'"{int(utcnow().timestamp()) - 1}-{digest}"'

    assert poll(client, later).status_code == 200
    assert poll(client, expired).status_code == 200
