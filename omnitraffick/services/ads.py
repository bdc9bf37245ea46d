"""A CREATE_CAMPAIGN ticket's ads: their names, tracked URLs, and the plain data the
translators and QA read (translators.base.AdInput).

An ad's name comes from the ad naming convention (level "ad") with the ad's own free text;
its landing URL is its own or, when empty, the ticket's, with the channel's UTM parameters as
the ticket's landing URL gets them (utm_content is the ad set / ad group name).
"""

from collections.abc import Mapping

from ..models import Ticket, TicketAd
from . import naming, utm
from .errors import ValidationError
from .translators.base import AdFile, AdInput


def lines(text: str | None) -> tuple[str, ...]:
    """A multi-value text (one value per line) as its values, blank lines dropped."""
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def ad_name_of(ticket: Ticket, text: str, settings: Mapping | None = None):
    """(name, None), or (None, why) when the ad naming convention cannot make it."""
    settings = ticket.payload_config or {} if settings is None else settings
    return naming.level_name_of(
        "ad", ticket.campaign, ticket.channel.api_identifier, settings, text
    )


def tracked_url(ticket: Ticket, url: str, adset_name: str | None) -> str:
    """`url` with the channel's UTM parameters, as sent; as typed when they cannot be added
    (no taxonomy name, or a URL the builder cannot read: QA says why)."""
    names = utm.ticket_names(ticket, adset_name)
    if not url or names is None:
        return url
    try:
        return utm.build(url, utm.mapping_for(ticket.channel_id), names)
    except ValidationError:
        return url


def file_of(link) -> AdFile:
    creative = link.creative
    return AdFile(
        key=creative.stored_key,
        filename=creative.original_name,
        kind=creative.kind.value,
        mime_type=creative.mime_type,
        width=creative.width,
        height=creative.height,
        size_bytes=creative.size_bytes,
        duration_seconds=creative.duration_seconds,
    )


def ad_input(ticket: Ticket, ad: TicketAd, adset_name: str | None) -> AdInput:
    name, problem = ad_name_of(ticket, ad.name_text)
    url = ad.landing_url or str((ticket.payload_config or {}).get("landing_url") or "")
    return AdInput(
        position=ad.position,
        name=name,
        name_problem=problem,
        placements=tuple(ad.placements or ()),
        files=tuple(file_of(link) for link in ad.creative_links),
        primary_text=ad.primary_text.strip(),
        headlines=lines(ad.headline),
        long_headline=ad.long_headline.strip(),
        descriptions=lines(ad.description),
        business_name=ad.business_name.strip(),
        call_to_action=ad.call_to_action,
        landing_url=tracked_url(ticket, url, adset_name),
    )


def ad_inputs(ticket: Ticket, adset_name: str | None) -> tuple[AdInput, ...]:
    """The ticket's ads as the translators and QA read them, in order.

    Two ads of a ticket may not share a name: a retried send finds an ad by its name, so the
    second would be taken for the first. The later one carries the problem.
    """
    made: list[AdInput] = []
    seen: dict[str, int] = {}
    for ad in ticket.ads:
        data = ad_input(ticket, ad, adset_name)
        if data.name is not None and data.name in seen:
            data = AdInput(
                **{
                    **data.__dict__,
                    "name": None,
                    "name_problem": (
                        f"Ad {seen[data.name]} already has the name {data.name}; each ad of "
                        "a ticket needs a name of its own."
                    ),
                }
            )
        elif data.name is not None:
            seen[data.name] = ad.position
        made.append(data)
    return tuple(made)
