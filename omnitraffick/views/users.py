"""Users and their roles, kept by admins."""

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import InputRequired, Optional

from ..auth import admin_required
from ..extensions import db
from ..models import Role, User
from ..services import queries, reference, sessions, users
from ..services.errors import DomainError
from ..web import form_error, form_status, render

bp = Blueprint("users", __name__, url_prefix="/users")

ROLE_CHOICES = [
    SelectChoice(Role.ADMIN.value, "Admin — reference data and users"),
    SelectChoice(Role.TRAFFICKER.value, "Trafficker — campaigns and tickets"),
    SelectChoice(Role.VIEWER.value, "Viewer — read only"),
]


class NewUserForm(FlaskForm):
    email = EmailField("Email", validators=[InputRequired()])
    name = StringField("Name", validators=[Optional()])
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.TRAFFICKER.value)
    password = PasswordField("Password", validators=[InputRequired()], description="8+ characters")


class EditUserForm(FlaskForm):
    name = StringField("Name", validators=[Optional()])
    role = SelectField("Role", choices=ROLE_CHOICES)
    active = BooleanField("Can sign in")
    password = PasswordField(
        "New password", validators=[Optional()], description="Leave empty to keep the current one"
    )


@bp.get("/")
@admin_required
def index():
    """List users."""
    query = queries.parse_table(request.args, queries.USERS)
    page = queries.table_page(query)
    return render("users/index.html", "users/_table.html", page=page, query=query)


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new():
    """Create a user."""
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = users.create_user(
                form.email.data, form.password.data, form.role.data, form.name.data or ""
            )
        except DomainError as err:
            form_error(form, err)
        else:
            db.session.commit()
            flash(f"User {user.email} created.", "success")
            return redirect(url_for(".index"))
    return render("users/form.html", form=form, user=None, status=form_status(form))


def _edit_page(user: User, form: EditUserForm):
    return render(
        "users/form.html",
        form=form,
        user=user,
        session_count=sessions.count_active(user),
        failures=users.recent_failures(user, limits=current_app.config),
        status=form_status(form),
    )


@bp.route("/<uuid:user_id>/edit", methods=["GET", "POST"])
@admin_required
def edit(user_id):
    """Change a user's role, name, access or password."""
    user = reference.get_or_404(User, user_id)
    form = EditUserForm(obj=user, role=user.role.value)
    if form.validate_on_submit():
        try:
            users.update_user(
                user,
                name=form.name.data or "",
                role=form.role.data,
                active=form.active.data,
                acting=current_user,
            )
            if form.password.data:
                users.set_password(
                    user, form.password.data, keep_session=current_user.current_session_id
                )
        except DomainError as err:
            form_error(form, err)
        else:
            db.session.commit()
            flash(f"User {user.email} saved.", "success")
            return redirect(url_for(".index"))
    return _edit_page(user, form)


@bp.post("/<uuid:user_id>/sign-out-everywhere")
@admin_required
def sign_out_everywhere(user_id):
    """End every session of a user (API tokens are left alone)."""
    user = reference.get_or_404(User, user_id)
    ended = sessions.revoke_all(user)
    db.session.commit()
    noun = "session" if ended == 1 else "sessions"
    flash(f"Signed {user.email} out of {ended} {noun}.", "success")
    return redirect(url_for(".edit", user_id=user.id))


@bp.post("/<uuid:user_id>/unlock")
@admin_required
def unlock(user_id):
    """Clear a user's failed sign-ins, so no address has to wait."""
    user = reference.get_or_404(User, user_id)
    cleared = users.clear_throttle(user)
    db.session.commit()
    noun = "sign-in" if cleared == 1 else "sign-ins"
    flash(f"Cleared {cleared} failed {noun} for {user.email}.", "success")
    return redirect(url_for(".edit", user_id=user.id))
