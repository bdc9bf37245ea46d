"""Team work on a ticket: its owner and due date, comments with @mentions, the bell."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, or_, select
from wtforms import HiddenField, SelectField, StringField, TextAreaField

from ..auth import editor_required
from ..errors import http_status
from ..extensions import db
from ..models import Notification, Role, TicketComment, User
from ..services import notifications, queries, team, tickets
from ..services.errors import DomainError
from ..web import is_fragment_request, render
from .ticket_queries import load_ticket, uuid_or_none

bp = Blueprint("team", __name__)

MENTION_CHOICES = 8  # users the @mention autocomplete offers


class OwnerForm(FlaskForm):
    assignee_id = SelectField("Owner", validate_choice=False)
    due_date = StringField("Due date", render_kw={"type": "date"})
    version = HiddenField()


class CommentForm(FlaskForm):
    body = TextAreaField(
        "Comment",
        render_kw={
            "rows": 3,
            "maxlength": team.MAX_COMMENT,
            "placeholder": "Write a comment; @name tells a teammate",
            "data-mentions": "",
            "autocomplete": "off",
        },
    )


class ReadForm(FlaskForm):
    notification = HiddenField()  # one notification's id; empty: all of them
    open = HiddenField()  # "1": then go to its ticket


# Comments show the same wherever the timeline is drawn (the page, a move's update).
bp.add_app_template_global(team.render_comment, "render_comment")
bp.add_app_template_global(team.can_edit_comment, "can_edit_comment")


@bp.app_template_global()
def unread_notifications() -> int:
    """The signed-in user's unread count, for the bell."""
    return notifications.unread_count(current_user)


def owner_choices(form: OwnerForm) -> None:
    form.assignee_id.choices = [("", "Nobody")] + [
        (str(user.id), user.display_name) for user in team.assignable_users()
    ]


def team_context(ticket, *, owner_form=None, comment_form=None) -> dict:
    """What the ticket page's owner panel and comment box need."""
    if owner_form is None:
        owner_form = OwnerForm(
            formdata=None,
            data={
                "assignee_id": str(ticket.assignee_id or ""),
                "due_date": ticket.due_date.isoformat() if ticket.due_date else "",
                "version": ticket.version,
            },
        )
    if current_user.can_edit:
        owner_choices(owner_form)
    return {
        "owner_form": owner_form,
        "comment_form": comment_form or CommentForm(formdata=None),
        "due": team.due_state(ticket.due_date)
        if ticket.status.value != "TRAFFICKED_SUCCESS"
        else None,
    }


def _back_to(ticket_id):
    return redirect(url_for("tickets.show", ticket_id=ticket_id))


@bp.post("/tickets/<uuid:ticket_id>/owner")
@editor_required
def owner(ticket_id):
    """Give a ticket an owner and a due date."""
    ticket = load_ticket(ticket_id)
    form = OwnerForm()
    owner_choices(form)
    status = 200
    if not form.validate_on_submit():
        form.form_errors.append("The form has expired; reload the page.")
        status = 400
    else:
        try:
            tickets.set_owner(
                ticket,
                actor=current_user,
                assignee_id=form.assignee_id.data,
                due_date=form.due_date.data,
                version=form.version.data,
            )
        except DomainError as err:
            db.session.rollback()
            _form_errors(form, err)
            status = http_status(err)
        else:
            db.session.commit()
            if not is_fragment_request():
                flash("Owner and due date saved.", "success")
                return _back_to(ticket_id)
            form = None
    if not is_fragment_request():
        flash(" ".join(form.form_errors + [m for ms in form.errors.values() for m in ms]), "error")
        return _back_to(ticket_id)
    ticket = load_ticket(ticket_id)
    return render(
        "tickets/_owner.html",
        "tickets/_owner.html",
        ticket=ticket,
        saved=status == 200,
        status=status,
        **team_context(ticket, owner_form=form),
    )


def _form_errors(form: FlaskForm, err: DomainError) -> None:
    fields = getattr(err, "errors", None) or ({err.field: [err.message]} if err.field else {})
    if not fields:
        form.form_errors.append(err.message)
    for name, messages in fields.items():
        (form[name].errors if name in form else form.form_errors).extend(messages)


@bp.post("/tickets/<uuid:ticket_id>/comments")
@editor_required
def comment(ticket_id):
    """Post a comment on a ticket."""
    ticket = load_ticket(ticket_id)
    form = CommentForm()
    status = 201
    if not form.validate_on_submit():
        form.body.errors.append("The form has expired; reload the page.")
        status = 400
    else:
        try:
            team.add_comment(ticket, form.body.data, author=current_user)
        except DomainError as err:
            db.session.rollback()
            form.body.errors.append(err.message)
            status = http_status(err)
        else:
            db.session.commit()
            form = None
    if not is_fragment_request():
        if form is not None:
            flash(" ".join(form.body.errors), "error")
        return _back_to(ticket_id)
    return _timeline(ticket_id, status, comment_form=form)


def _timeline(ticket_id, status: int, **forms):
    ticket = load_ticket(ticket_id, comments=True)
    return render(
        "tickets/_conversation.html",
        "tickets/_conversation.html",
        ticket=ticket,
        status=status,
        **team_context(ticket, **forms),
    )


def _comment_or_404(comment_id) -> TicketComment:
    comment = db.session.get(TicketComment, comment_id)
    if comment is None:
        abort(404)
    return comment


@bp.route("/comments/<uuid:comment_id>/edit", methods=["GET", "POST"])
@editor_required
def edit_comment(comment_id):
    """Change one's own comment, for a few minutes after posting it."""
    comment = _comment_or_404(comment_id)
    ticket_id = comment.ticket_id
    form = CommentForm(data={"body": comment.body} if request.method == "GET" else None)
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            form.body.errors.append("The form has expired; reload the page.")
            status = 400
        else:
            try:
                team.edit_comment(comment, form.body.data, user=current_user)
            except DomainError as err:
                db.session.rollback()
                form.body.errors.append(err.message)
                status = http_status(err)
            else:
                db.session.commit()
                if not is_fragment_request():
                    flash("Comment changed.", "success")
                    return _back_to(ticket_id)
                return _timeline(ticket_id, 200)
    elif not team.can_edit_comment(comment, current_user):
        status = 403 if comment.author_id != current_user.id else 409
        form.body.errors = [
            "Only its author can change a comment."
            if status == 403
            else f"A comment can be changed for {team.EDIT_MINUTES} minutes after posting."
        ]
    return render(
        "tickets/edit_comment.html",
        "tickets/_comment_form.html",
        comment=_comment_or_404(comment_id),
        form=form,
        status=status,
    )


@bp.get("/users/mentions")
def mentions():
    """Teammates whose name or email starts with what follows the @, for the autocomplete."""
    q = request.args.get("q", "").strip().lower()[: queries.MAX_SEARCH]
    stmt = select(User).where(User.active.is_(True), User.role != Role.VIEWER)
    if q:
        like = queries.escape_like(q) + "%"
        stmt = stmt.where(
            or_(
                func.lower(User.email).like(like, escape="\\"),
                func.lower(User.name).like(like, escape="\\"),
                func.lower(User.name).like("% " + like, escape="\\"),
            )
        )
    users = db.session.scalars(stmt.order_by(func.lower(User.email)).limit(MENTION_CHOICES))
    return render("tickets/_mention_options.html", "tickets/_mention_options.html", users=users)


@bp.get("/notifications/")
def notifications_index():
    """The signed-in user's notifications, newest first."""
    return render(
        "notifications/index.html",
        "notifications/_list.html",
        items=notifications.recent(current_user),
        unread=notifications.unread_count(current_user),
        form=ReadForm(formdata=None),
    )


@bp.get("/notifications/bell")
def bell():
    """The bell with its unread count (the page polls it)."""
    return render("notifications/_bell.html", "notifications/_bell.html")


@bp.post("/notifications/read")
def mark_read():
    """Mark one notification (or all of them) read."""
    form = ReadForm()
    if not form.validate_on_submit():
        flash("The form has expired; reload the page.", "error")
        return redirect(url_for(".notifications_index"))
    ids = note = None
    if form.notification.data:
        one = uuid_or_none(form.notification.data)
        note = db.session.get(Notification, one) if one else None
        if note is None or note.user_id != current_user.id:
            abort(404)
        ids = [note.id]
    notifications.mark_read(current_user, ids)
    db.session.commit()
    if note is not None and form.open.data == "1" and note.ticket_id:
        return redirect(url_for("tickets.show", ticket_id=note.ticket_id))
    if is_fragment_request():
        return notifications_index()
    return redirect(url_for(".notifications_index"))
