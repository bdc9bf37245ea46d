"""Login, logout, and the rules on who may see and change what."""

import logging
from functools import wraps
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import OperationalError
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from .errors import error_headers
from .extensions import db, login_manager
from .models import Role, User
from .services import sessions, tokens, users
from .services.errors import DomainError, Forbidden, Throttled, ValidationError
from .web import form_error, form_status

log = logging.getLogger(__name__)

bp = Blueprint("auth", __name__)

# Endpoints anyone may reach without logging in (health checks show no data).
PUBLIC_ENDPOINTS = {"auth.login", "static", "health.healthz", "health.readyz"}


@login_manager.user_loader
def load_user(session_secret: str) -> User | None:
    """The user of a live session (the cookie's "user id" is the session's secret)."""
    user = sessions.load(session_secret)
    if user is not None and db.session.dirty:
        # The session's "last seen", now and then. Losing it to a busy SQLite file is
        # harmless; failing the page for it would not be.
        try:
            db.session.commit()
        except OperationalError:
            log.warning("Could not record a session as seen", exc_info=True)
            db.session.rollback()
    return user


@bp.before_app_request
def require_login():
    """Every page but the login page needs a logged-in user."""
    if request.endpoint in PUBLIC_ENDPOINTS or current_user.is_authenticated:
        return None
    if request.path.startswith("/api/v1/"):
        # The API answers for itself: 401 in JSON, never a redirect to the login page.
        return None
    if request.endpoint is None:
        # Unknown URL: say 404 only to users who may see the app.
        return redirect(url_for("auth.login"))
    return login_manager.unauthorized()


def role_required(*roles: Role):
    """Refuse the view (403, a page or JSON) unless the user has one of `roles`.

    The one role check: pages and the API both use it.
    """
    allowed = " or ".join(role.value for role in roles)

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                raise Forbidden(
                    f"Your role does not allow this: you are {current_user.role.value}, and it "
                    f"needs {allowed}. Ask an admin if you need access."
                )
            return view(*args, **kwargs)

        return wrapped

    return decorator


admin_required = role_required(Role.ADMIN)
editor_required = role_required(Role.ADMIN, Role.TRAFFICKER)


class TokenForm(FlaskForm):
    name = StringField("Token name", validators=[Length(max=100)], description="What it is for")


class PasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=200)]
    )
    new_password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(max=200)],
        description=f"{users.MIN_PASSWORD_LENGTH}+ characters",
    )
    confirm_password = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("new_password", "The two new passwords differ.")],
    )


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Keep me signed in")


def _safe_next(target: str | None) -> str:
    """Only follow `next` to a path on this site."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/"):
            return target
    return url_for("index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log a user in."""
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    status, headers = 200, {}
    if form.validate_on_submit():
        try:
            user = users.authenticate(
                form.email.data,
                form.password.data,
                request.remote_addr or "unknown",
                limits=current_app.config,
            )
        except Throttled as err:
            db.session.rollback()
            form.form_errors.append(err.message)
            status, headers = 429, error_headers(err)
        except ValidationError as err:
            # Keep the failure: it counts towards the throttle.
            db.session.commit()
            form.form_errors.append(err.message)
            status = 401
        else:
            sessions.start(user, user_agent=request.user_agent.string, address=request.remote_addr)
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
    elif form.is_submitted():
        status = 422
    return render_template("auth/login.html", form=form), status, headers


@bp.post("/logout")
@login_required
def logout():
    """Log the current user out, ending their session for every copy of its cookie."""
    sessions.revoke(current_user.current_session_id)
    db.session.commit()
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


def _profile_page(token_form=None, password_form=None, new_token=None, status=200):
    return render_template(
        "auth/profile.html",
        form=token_form or TokenForm(formdata=None),
        password_form=password_form or PasswordForm(formdata=None),
        new_token=new_token,
        tokens=tokens.user_tokens(current_user),
        sessions=sessions.active_sessions(current_user),
    ), status


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """The user's own page: who they are, their sessions and their API tokens."""
    form = TokenForm()
    new_token, status = None, 200
    if form.validate_on_submit():
        try:
            _, new_token = tokens.create_token(current_user, form.name.data)
        except DomainError as err:
            form.name.errors.append(err.message)
            status = 422
        else:
            db.session.commit()
            form.name.data = ""
    elif form.is_submitted():
        status = 422
    return _profile_page(token_form=form, new_token=new_token, status=status)


@bp.post("/profile/password")
@login_required
def change_password():
    """Change your own password; your other sessions end."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            users.change_own_password(
                current_user,
                form.current_password.data,
                form.new_password.data,
                keep_session=current_user.current_session_id,
            )
        except DomainError as err:
            form_error(form, err)
        else:
            db.session.commit()
            flash("Password changed. Your other sessions are signed out.", "success")
            return redirect(url_for("auth.profile"))
    return _profile_page(password_form=form, status=form_status(form))


@bp.post("/profile/sessions/revoke-others")
@login_required
def revoke_other_sessions():
    """Sign out every session of yours but this one."""
    ended = sessions.revoke_all(current_user, keep=current_user.current_session_id)
    db.session.commit()
    noun = "session" if ended == 1 else "sessions"
    flash(f"Signed out {ended} other {noun}.", "success")
    return redirect(url_for("auth.profile"))


@bp.post("/profile/tokens/<uuid:token_id>/revoke")
@login_required
def revoke_token(token_id):
    """Revoke one of your own API tokens."""
    row = tokens.revoke_token(current_user, token_id)
    db.session.commit()
    flash(f"Token {row.name!r} revoked; scripts using it now get 401.", "success")
    return redirect(url_for("auth.profile"))


login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to continue."
login_manager.login_message_category = "info"
