"""The creative library: each brand's images and videos, their properties and spec fit."""

import uuid

from flask import Blueprint, current_app, flash, redirect, request, send_file, url_for
from flask_login import current_user
from werkzeug.exceptions import NotFound as HTTPNotFound

from ..auth import editor_required
from ..errors import http_status
from ..extensions import csrf, db
from ..models import Brand
from ..services import creative_specs, creatives, media, reference, storage
from ..services.errors import DomainError
from ..web import is_fragment_request, render

bp = Blueprint("creatives", __name__, url_prefix="/creatives")
# The upload body may be far larger than the app's usual limit: the limit is raised here and
# CSRF is checked below, once the limit is in place (CSRFProtect reads the form first).
csrf.exempt(bp)


@bp.before_request
def upload_limits():
    """Refuse an oversized upload on its Content-Length, before reading a byte of it."""
    if request.method != "POST":
        return
    if request.endpoint == "creatives.upload":
        creatives.check_upload_size(request.content_length)
        # A body sent without a length is cut off (413) once it passes the limit.
        request.max_content_length = creatives.max_bytes()
    config = current_app.config
    if config["WTF_CSRF_ENABLED"] and config.get("WTF_CSRF_CHECK_DEFAULT", True):
        csrf.protect()


def _library_context(brand: Brand, **extra) -> dict:
    items = creatives.library(brand)
    return {
        "brand": brand,
        "creatives": items,
        "fits": {c.id: creative_specs.fits(c) for c in items},
        "accept": ",".join(media.EXTENSIONS),
        "max_upload": media.megabytes(creatives.max_bytes()),
        "max_files": current_app.config["CREATIVE_MAX_FILES"],
        **extra,
    }


@bp.get("/")
def index():
    """Every brand's library, with how many creatives each holds."""
    return render("creatives/index.html", brands=creatives.counts_by_brand())


@bp.get("/brands/<uuid:brand_id>")
def library(brand_id: uuid.UUID):
    """A brand's creatives: upload, thumbnails, properties and where each fits."""
    brand = reference.get_or_404(Brand, brand_id)
    return render("creatives/library.html", "creatives/_library.html", **_library_context(brand))


@bp.post("/brands/<uuid:brand_id>")
@editor_required
def upload(brand_id: uuid.UUID):
    """Upload one or more images and videos to the brand's library (all or none)."""
    brand = reference.get_or_404(Brand, brand_id)
    files = [creatives.Upload(f.filename or "", f.stream) for f in request.files.getlist("files")]
    try:
        made = creatives.upload(brand, files, current_user)
        db.session.commit()
    except DomainError as err:
        db.session.rollback()
        context = _library_context(
            brand, upload_error=err.message, file_errors=getattr(err, "errors", None) or {}
        )
        return render(
            "creatives/library.html", "creatives/_library.html", http_status(err), **context
        )
    names = ", ".join(c.original_name for c in made)
    message = f"Uploaded {len(made)} file{'s' if len(made) > 1 else ''}: {names}."
    if is_fragment_request():
        return render(
            "creatives/library.html",
            "creatives/_library.html",
            **_library_context(brand, upload_done=message),
        )
    flash(message, "success")
    return redirect(url_for(".library", brand_id=brand.id))


@bp.get("/<uuid:creative_id>")
def show(creative_id: uuid.UUID):
    """One creative: its properties, a preview, and every placement it fits or misses."""
    creative = creatives.get(creative_id)
    return render("creatives/show.html", creative=creative, fits=creative_specs.fits(creative))


def _serve(key: str | None, mime_type: str, download_name: str):
    store = storage.current()
    if not key or not store.exists(key):
        raise HTTPNotFound()
    response = send_file(
        store.open(key),
        mimetype=mime_type,
        download_name=download_name,
        conditional=True,
        max_age=3600,
    )
    # Only image and video types are ever stored (never HTML or SVG), served as what they
    # are and never sniffed as anything else: nothing uploaded can run in the page.
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.get("/<uuid:creative_id>/file")
def file(creative_id: uuid.UUID):
    """The uploaded file as it was stored, with its own type."""
    creative = creatives.get(creative_id)
    return _serve(creative.stored_key, creative.mime_type, creative.original_name)


@bp.get("/<uuid:creative_id>/thumbnail")
def thumbnail(creative_id: uuid.UUID):
    """A small copy of an image, made at upload."""
    creative = creatives.get(creative_id)
    key = creative.thumbnail_key
    mime = "image/png" if key and key.endswith(".png") else "image/jpeg"
    return _serve(key, mime, f"thumbnail-{creative.original_name}")


@bp.post("/<uuid:creative_id>/delete")
@editor_required
def delete(creative_id: uuid.UUID):
    """Delete a creative and its files."""
    creative = creatives.get(creative_id)
    brand_id, name = creative.brand_id, creative.original_name
    try:
        creatives.delete(creative)
    except DomainError as err:
        # In use by an ad: the creative's page says which one, and the creative stays.
        db.session.rollback()
        flash(err.message, "error")
        creative = creatives.get(creative_id)
        return render(
            "creatives/show.html",
            status=http_status(err),
            creative=creative,
            fits=creative_specs.fits(creative),
        )
    db.session.commit()
    flash(f"Deleted {name}.", "success")
    return redirect(url_for(".library", brand_id=brand_id))
