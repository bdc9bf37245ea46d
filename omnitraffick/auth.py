"""Login, logout, and the rules on who may see and change what."""

import uuid
from functools import wraps
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from .extensions import db, login_manager
from .models import Role, User
from .services import tokens, users
from .services.errors import DomainError, Throttled, ValidationError

bp = Blueprint("auth", __name__)

# Endpoints anyone may reach without logging in (health checks show no data).
PUBLIC_ENDPOINTS = {"auth.login", "static", "health.healthz", "health.readyz"}


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        return db.session.get(User, uuid.UUID(user_id))
    except ValueError:
        return None


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
    """Refuse the view with 403 unless the user has one of `roles`."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


admin_required = role_required(Role.ADMIN)
editor_required = role_required(Role.ADMIN, Role.TRAFFICKER)


class TokenForm(FlaskForm):
    name = StringField("Token name", validators=[Length(max=100)], description="What it is for")


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
    status = 200
    if form.validate_on_submit():
        try:
            user = users.authenticate(
                form.email.data,
                form.password.data,
                request.remote_addr or "unknown",
                limits=current_app.config,
            )
        except Throttled as err:
            db.session.commit()
            form.form_errors.append(err.message)
            status = 429
        except ValidationError as err:
            # Keep the failure: it counts towards the throttle.
            db.session.commit()
            form.form_errors.append(err.message)
            status = 401
        else:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
    elif form.is_submitted():
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """Log the current user out."""
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """The user's own page: who they are and their API tokens."""
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
    return render_template(
        "auth/profile.html",
        form=form,
        new_token=new_token,
        tokens=tokens.user_tokens(current_user),
    ), status


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
