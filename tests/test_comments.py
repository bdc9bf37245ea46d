"""Comments on tickets: plain text with links made clickable and everything else escaped,
@mentions that tell the people named (with an autocomplete), a short window in which the
author may change a comment, and one timeline with the status moves.
"""

from datetime import UTC, datetime, timedelta

import pytest

from omnitraffick.models import Notification, NotificationKind, Role, TicketComment
from omnitraffick.services import team
from omnitraffick.services import tickets as service
from tests.conftest import PASSWORD
from tests.html import parse, text_of
from tests.tickets.helpers import fragment_headers


@pytest.fixture
def signed_in(client, make_user):
    def sign(role=Role.TRAFFICKER, name="Tess Trafficker", email=None):
        user = make_user(role, name=name, email=email)
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302
        return user

    return sign


@pytest.fixture
def ticket(db, moana, meta):
    made = service.create_ticket(
        campaign_id=moana.id, channel_id=meta.id, request_type="CREATE_CAMPAIGN"
    )
    db.session.commit()
    return made


def post_comment(client, ticket, body):
    return client.post(
        f"/tickets/{ticket.id}/comments", data={"body": body}, headers=fragment_headers()
    )


def comments_of(db, ticket) -> list[TicketComment]:
    db.session.expire_all()
    return db.session.query(TicketComment).filter_by(ticket_id=ticket.id).all()


def test_a_comment_is_escaped_and_its_links_are_clickable(client, db, signed_in, ticket):
    signed_in()

    response = post_comment(
        client, ticket, "See https://example.com/brief?a=1&b=2. <script>alert(1)</script> <b>x</b>"
    )

    assert response.status_code == 201
    body = parse(response).find(cls="comment-body")
    links = body.find_all("a")
    assert [a.attrs["href"] for a in links] == ["https://example.com/brief?a=1&b=2"]
    assert links[0].attrs["rel"] == "noopener noreferrer nofollow"
    assert body.find("script") is None and body.find("b") is None
    assert "<script>alert(1)</script>" in body.text
    assert "&lt;script&gt;" in response.text


def test_the_timeline_holds_comments_and_status_moves_newest_first(client, db, signed_in, ticket):
    me = signed_in()
    team.add_comment(ticket, "First thoughts", author=me)
    db.session.commit()
    service.move_ticket(ticket, "QA_TESTING", actor=me)
    db.session.commit()
    post_comment(client, ticket, "After QA")

    timeline = parse(client.get(f"/tickets/{ticket.id}")).by_id("history")
    entries = [" ".join(li.text.split()) for li in timeline.find_all("li")]

    assert "Tess Trafficker commented" in entries[0] and "After QA" in entries[0]
    moved = next(i for i, text in enumerate(entries) if "Draft → QA testing" in text)
    first = next(i for i, text in enumerate(entries) if "First thoughts" in text)
    assert 0 < moved < first < len(entries) - 1
    assert "Opened as Draft" in entries[-1]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("   ", "Write something before posting."),
        ("x" * 5001, "Keep a comment under 5,000 characters (this one has 5,001)."),
    ],
)
def test_an_empty_or_huge_comment_is_refused(client, db, signed_in, ticket, body, message):
    signed_in()

    response = post_comment(client, ticket, body)

    assert response.status_code == 422
    assert message in text_of(response)
    assert comments_of(db, ticket) == []


def test_a_viewer_reads_comments_but_cannot_post(client, db, signed_in, make_user, ticket):
    author = make_user(Role.TRAFFICKER, name="Ann Author")
    team.add_comment(ticket, "Looks fine", author=author)
    db.session.commit()
    signed_in(Role.VIEWER, name="Vic")

    page = parse(client.get(f"/tickets/{ticket.id}"))

    assert "Looks fine" in page.by_id("history").text
    assert page.find(id="comment-form") is None
    assert post_comment(client, ticket, "hi").status_code == 403


def test_mentions_tell_the_people_named_once_and_never_the_author(
    client, db, signed_in, make_user, ticket
):
    me = signed_in(email="tess@example.com")
    bea = make_user(Role.TRAFFICKER, name="Bea", email="bea@example.com")
    make_user(Role.TRAFFICKER, name="Sam One", email="sam@one.example")
    make_user(Role.TRAFFICKER, name="Sam Two", email="sam@two.example")

    response = post_comment(
        client, ticket, "@bea please check, @bea! cc @tess @sam and @nobody, mail me@x.com"
    )

    assert response.status_code == 201
    notes = db.session.query(Notification).all()
    assert [(n.user_id, n.kind) for n in notes] == [(bea.id, NotificationKind.MENTIONED)]
    assert notes[0].actor_id == me.id
    assert notes[0].message.startswith(f"Tess Trafficker mentioned you on {ticket.platform_name}")
    mentions = [m.text for m in parse(response).find_all("span", cls="mention")]
    assert "@bea" in mentions


def test_the_whole_email_names_one_of_two_people_sharing_a_name(db, make_user):
    make_user(Role.TRAFFICKER, email="sam@one.example")
    two = make_user(Role.TRAFFICKER, email="sam@two.example")

    assert team.mentioned_users("@sam") == []
    assert team.mentioned_users("ping @sam@two.example") == [two]


def test_the_mention_autocomplete_offers_teammates_not_viewers(client, db, signed_in, make_user):
    signed_in()
    make_user(Role.TRAFFICKER, name="Bea Builder", email="bea@example.com")
    make_user(Role.VIEWER, name="Ben Viewer", email="ben@example.com")

    options = parse(client.get("/users/mentions?q=b", headers=fragment_headers()))

    handles = [o.attrs["data-handle"] for o in options.find_all("button", cls="mention-option")]
    assert handles == ["bea@example.com"]
    by_surname = parse(client.get("/users/mentions?q=build", headers=fragment_headers()))
    assert len(by_surname.find_all("button", cls="mention-option")) == 1


def test_an_author_changes_a_comment_within_the_window_and_new_mentions_are_told(
    client, db, signed_in, make_user, ticket
):
    me = signed_in()
    bea = make_user(Role.TRAFFICKER, name="Bea", email="bea@example.com")
    comment = team.add_comment(ticket, "Typo here", author=me)
    db.session.commit()

    form = client.get(f"/comments/{comment.id}/edit")
    assert form.status_code == 200
    saved = client.post(
        f"/comments/{comment.id}/edit", data={"body": "Fixed, @bea"}, headers=fragment_headers()
    )

    assert saved.status_code == 200
    [stored] = comments_of(db, ticket)
    assert stored.body == "Fixed, @bea" and stored.edited_at is not None
    assert "edited" in parse(saved).by_id(f"comment-{comment.id}").text
    assert db.session.query(Notification).filter_by(user_id=bea.id).count() == 1


def test_a_comment_cannot_change_after_the_window_or_by_someone_else(
    client, db, signed_in, make_user, ticket
):
    other = make_user(Role.TRAFFICKER, name="Other")
    theirs = team.add_comment(ticket, "Theirs", author=other)
    db.session.commit()
    me = signed_in()
    old = team.add_comment(ticket, "Mine, old", author=me)
    old.created_at = datetime.now(UTC) - timedelta(minutes=team.EDIT_MINUTES + 1)
    db.session.commit()

    refused = client.post(f"/comments/{theirs.id}/edit", data={"body": "Hacked"})
    late = client.post(f"/comments/{old.id}/edit", data={"body": "Changed"})

    assert refused.status_code == 403
    assert late.status_code == 409
    assert "15 minutes after posting" in text_of(late)
    assert {c.body for c in comments_of(db, ticket)} == {"Theirs", "Mine, old"}
    page = parse(client.get(f"/tickets/{ticket.id}"))
    assert page.find("a", href=f"/comments/{old.id}/edit") is None
    assert client.get("/comments/00000000-0000-0000-0000-000000000000/edit").status_code == 404
