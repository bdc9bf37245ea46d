"""The creative library: upload a brand's images and videos, list them, delete them.

An upload is judged whole before anything is kept: every file must be what its name
says and readable; if one is not, nothing of the upload is stored and each refused file
is named with its reason. Files go to the storage (services/storage.py), rows here.
"""

import io
import uuid
from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Brand, Creative, CreativeKind, Ticket, TicketAd, TicketAdCreative, User
from . import media, storage
from .errors import Conflict, NotFound, TooLarge, ValidationError

MAX_NAME = 255


@dataclass(frozen=True)
class Upload:
    """One file of an upload as the request carried it."""

    filename: str
    stream: BinaryIO


@dataclass(frozen=True)
class Judged:
    """A file that passed: what it is, its size, and its thumbnail (images only)."""

    file: Upload
    info: media.MediaInfo
    size: int
    thumbnail: tuple[bytes, str] | None


def _size(stream: BinaryIO) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def max_bytes() -> int:
    return current_app.config["CREATIVE_MAX_BYTES"]


def check_upload_size(content_length: int | None) -> None:
    """Refuse an upload larger than CREATIVE_MAX_BYTES before any of it is read."""
    limit = max_bytes()
    if content_length is not None and content_length > limit:
        raise TooLarge(
            f"An upload may carry at most {media.megabytes(limit)} in all; this one is "
            f"{media.megabytes(content_length)}. Upload fewer or smaller files at a time."
        )


def upload(brand: Brand, files: list[Upload], actor: User) -> list[Creative]:
    """Keep every file of the upload in `brand`'s library, or none of them."""
    files = [f for f in files if f.filename]
    if not files:
        raise ValidationError("Choose or drop at least one image or video.", "files")
    limit = current_app.config["CREATIVE_MAX_FILES"]
    if len(files) > limit:
        raise ValidationError(
            f"Upload at most {limit} files at a time; this upload has {len(files)}.", "files"
        )
    read: list[Judged] = []
    errors: dict[str, list[str]] = {}
    refused = 0
    for file in files:
        name = file.filename.replace("\\", "/").rsplit("/", 1)[-1].strip()[:MAX_NAME]
        try:
            info = media.inspect(file.stream, name)
            small = media.thumbnail(file.stream) if info.kind is CreativeKind.IMAGE else None
        except media.UnreadableFile as err:
            errors.setdefault(name, []).append(err.message)
            refused += 1
            continue
        read.append(Judged(Upload(name, file.stream), info, _size(file.stream), small))
    if refused:
        raise ValidationError(
            f"Nothing was uploaded: {refused} of {len(files)} file{'s' if len(files) > 1 else ''} "
            f"could not be taken. Remove or fix {'them' if refused > 1 else 'it'} and upload "
            "again.",
            errors=errors,
        )
    return _store(brand, read, actor)


def _store(brand: Brand, read: list[Judged], actor: User) -> list[Creative]:
    store = storage.current()
    written: list[str] = []
    made = []
    try:
        for judged in read:
            file, info, size = judged.file, judged.info, judged.size
            base = f"{brand.id.hex}/{uuid.uuid4().hex}"
            key = base + info.extension
            file.stream.seek(0)
            store.put(key, file.stream)
            written.append(key)
            thumbnail_key = None
            if judged.thumbnail is not None:
                data, extension = judged.thumbnail
                thumbnail_key = f"{base}-thumb{extension}"
                store.put(thumbnail_key, io.BytesIO(data))
                written.append(thumbnail_key)
            creative = Creative(
                brand=brand,
                kind=info.kind,
                original_name=file.filename,
                stored_key=key,
                thumbnail_key=thumbnail_key,
                mime_type=info.mime_type,
                width=info.width,
                height=info.height,
                aspect_ratio=info.aspect_ratio,
                size_bytes=size,
                duration_seconds=info.duration_seconds,
                uploaded_by=actor,
            )
            db.session.add(creative)
            made.append(creative)
        db.session.flush()
    except BaseException:
        for key in written:
            store.delete(key)
        raise
    return made


def get(creative_id: uuid.UUID) -> Creative:
    creative = db.session.get(Creative, creative_id)
    if creative is None:
        raise NotFound("There is no such creative. It may have been deleted.")
    return creative


def delete(creative: Creative) -> None:
    """Remove the creative's row, then its files (a file left behind harms nobody).

    A creative an ad uses stays: the ad would lose its image or video (Conflict).
    """
    uses = db.session.execute(
        select(TicketAd.position, Ticket)
        .join(TicketAdCreative, TicketAdCreative.ad_id == TicketAd.id)
        .join(Ticket, Ticket.id == TicketAd.ticket_id)
        .where(TicketAdCreative.creative_id == creative.id)
        .order_by(Ticket.created_at, Ticket.id, TicketAd.position)
    ).all()
    if uses:
        position, ticket = uses[0]
        more = len(uses) - 1
        also = f" (and {more} more ad{'s' if more > 1 else ''})" if more else ""
        raise Conflict(
            f"{creative.original_name} is used by ad {position} of ticket "
            f"{ticket.platform_name}{also}; remove it from the ad first."
        )
    keys = [k for k in (creative.stored_key, creative.thumbnail_key) if k]
    db.session.delete(creative)
    db.session.flush()
    store = storage.current()
    for key in keys:
        store.delete(key)


def library(brand: Brand) -> list[Creative]:
    """A brand's creatives, newest first, with their uploaders (one query)."""
    return list(
        db.session.scalars(
            select(Creative)
            .where(Creative.brand_id == brand.id)
            .options(joinedload(Creative.uploaded_by))
            .order_by(Creative.uploaded_at.desc(), Creative.id)
        )
    )


def counts_by_brand() -> list[tuple[Brand, int]]:
    """Every brand with how many creatives it has, by name (one query)."""
    rows = db.session.execute(
        select(Brand, func.count(Creative.id))
        .outerjoin(Creative, Creative.brand_id == Brand.id)
        .group_by(Brand.id)
        .order_by(Brand.name)
    )
    return [(brand, count) for brand, count in rows]
