"""A CREATE_CAMPAIGN ticket's ads on its page: the list, the edit form with its live preview,
delete and reorder.

With htmx every action swaps the page's Ads section (the form opens in it, a save closes it),
and an `ads-changed` event tells the status panel to fetch the new version (it then refreshes
the history, QA and request panels). Without JavaScript the same URLs are full pages and plain
form posts that redirect back to the ticket.
"""

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from ..auth import editor_required
from ..errors import http_status
from ..extensions import db
from ..models import RequestType, Ticket, TicketAd
from ..services import ad_editing, ads, creative_specs, creatives, naming
from ..services.errors import DomainError
from ..web import form_error, form_status, is_fragment_request, render
from .ticket_queries import load_ticket

bp = Blueprint("ads", __name__, url_prefix="/tickets/<uuid:ticket_id>/ads")

FIELDS = (
    "name_text",
    "placements",
    "creative_ids",
    "primary_text",
    "headline",
    "long_headline",
    "description",
    "business_name",
    "call_to_action",
    "landing_url",
)


class AdForm(FlaskForm):
    version = HiddenField()
    name_text = StringField(
        "Name",
        description="The ad's own part of its name (e.g. HeroVideo); the ad naming convention "
        "makes the rest",
        render_kw={"autocomplete": "off"},
    )
    placements = SelectMultipleField(
        "Placements",
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    creative_ids = SelectMultipleField("Creatives", validate_choice=False)
    primary_text = TextAreaField("Primary text", render_kw={"rows": 3})
    headline = TextAreaField("Headline", render_kw={"rows": 3})
    long_headline = StringField("Long headline")
    description = TextAreaField("Description", render_kw={"rows": 3})
    business_name = StringField("Business name")
    call_to_action = SelectField("Call to action", validate_choice=False)
    landing_url = StringField(
        "Landing URL",
        render_kw={"type": "url", "placeholder": "https://"},
        description="Blank: the ticket's landing URL. The channel's UTM parameters are added",
    )

    def values(self) -> dict:
        return {name: self[name].data for name in FIELDS}

    def fit(self, ticket: Ticket) -> None:
        """Shape the form for the ticket's platform: its placements, calls to action, texts."""
        platform = ad_editing.platform_of(ticket)
        self.placements.choices = [
            SelectChoice(p.key, p.name) for p in creative_specs.placements_for(platform)
        ]
        placements = creative_specs.placements_for(platform)
        none = (
            [SelectChoice("", "None (search ads)")]
            if any(p.key in ad_editing.TEXT_ONLY for p in placements)
            else []
        )
        self.call_to_action.choices = none + [
            SelectChoice(value, text)
            for value, text in creative_specs.CALLS_TO_ACTION.get(platform, ())
        ]
        multi = ad_editing.MULTI_LINE.get(platform, ())
        for name in ("headline", "description"):
            if name in multi:
                self[name].label.text = f"{self[name].label.text}s"
                self[name].description = "One per line"
            else:
                self[name].widget = TextInput()
                self[name].render_kw = {}


def _data(ad: TicketAd) -> dict:
    return {
        "version": None,
        "name_text": ad.name_text,
        "placements": list(ad.placements or ()),
        "creative_ids": [str(link.creative_id) for link in ad.creative_links],
        "primary_text": ad.primary_text,
        "headline": ad.headline,
        "long_headline": ad.long_headline,
        "description": ad.description,
        "business_name": ad.business_name,
        "call_to_action": ad.call_to_action,
        "landing_url": ad.landing_url,
    }


def _new_data(ticket: Ticket) -> dict:
    """A new ad starts in the platform's first placement with its commonest call to action."""
    platform = ad_editing.platform_of(ticket)
    placements = creative_specs.placements_for(platform)
    calls = creative_specs.CALLS_TO_ACTION.get(platform, ())
    return {
        "placements": [placements[0].key] if placements else [],
        "call_to_action": calls[0][0] if calls else "",
    }


def _can_edit(ticket: Ticket) -> bool:
    try:
        ad_editing.check_editable(ticket)
    except DomainError:
        return False
    return bool(current_user.can_edit)


def section_context(ticket: Ticket) -> dict:
    """What the ticket page's Ads section shows: each ad as it will be sent."""
    if ticket.request_type is not RequestType.CREATE_CAMPAIGN:
        return {}
    adset_name, _ = naming.adset_name_for(ticket)
    platform = ad_editing.platform_of(ticket)
    return {
        "ad_rows": list(zip(ticket.ads, ads.ad_inputs(ticket, adset_name), strict=True)),
        "ads_editable": _can_edit(ticket),
        "ads_full": len(ticket.ads) >= ad_editing.MAX_ADS,
        "max_ads": ad_editing.MAX_ADS,
        "placement_names": {p.key: p.name for p in creative_specs.PLACEMENTS},
        "cta_labels": dict(creative_specs.CALLS_TO_ACTION.get(platform, ())),
    }


def _editor_context(ticket: Ticket, form: AdForm, ad: TicketAd | None) -> dict:
    platform = ad_editing.platform_of(ticket)
    library = creatives.library(ticket.campaign.brand)
    draft = ad_editing.draft(ticket, form.values(), library, ad)
    chosen = [p.placement for p in draft.placements]
    return {
        "ticket": ticket,
        "form": form,
        "ad": ad,
        "library": library,
        "fits": {c.id: [(p, creative_specs.check(c, p)) for p in chosen] for c in library},
        "picked": {str(c.id) for c in draft.creatives},
        "one_creative": platform in ad_editing.ONE_CREATIVE,
        "takes_media": any(p.image or p.video for p in creative_specs.placements_for(platform)),
        "texts": ad_editing.PLATFORM_TEXTS.get(platform, ()),
        "draft": draft,
        "action": url_for(".edit", ticket_id=ticket.id, ad_id=ad.id)
        if ad
        else url_for(".new", ticket_id=ticket.id),
    }


def _section(ticket: Ticket, *, status: int = 200, error: str | None = None, changed=False):
    """The Ads section as it is now (after a change: the status panel is told to refresh)."""
    response = render(
        "tickets/ads/_section.html",
        "tickets/ads/_section.html",
        status,
        ticket=ticket,
        ads_error=error,
        ads_saved=changed,
        **section_context(ticket),
    )
    if changed:
        response.headers["HX-Trigger"] = "ads-changed"
    return response


def _back(ticket_id):
    return redirect(url_for("tickets.show", ticket_id=ticket_id) + "#ads")


@bp.get("/")
def index(ticket_id):
    """The Ads section (htmx: e.g. to close the form); without htmx, the ticket page."""
    ticket = load_ticket(ticket_id, ads=True)
    if not is_fragment_request():
        return _back(ticket.id)
    return _section(ticket)


def _editor(ticket_id, ad_id=None):
    ticket = load_ticket(ticket_id, ads=True)
    ad = ad_editing.get_ad(ticket, ad_id) if ad_id is not None else None
    if request.method == "GET":
        form = AdForm(formdata=None, data=_data(ad) if ad else _new_data(ticket))
        form.version.data = ticket.version
    else:
        form = AdForm()
    form.fit(ticket)
    status = 200
    if request.method == "GET":
        try:
            ad_editing.check_editable(ticket)
        except DomainError as err:
            form.form_errors.append(err.message)
            status = http_status(err)
    elif form.validate_on_submit():
        try:
            if ad is None:
                ad_editing.add_ad(
                    ticket, form.values(), actor=current_user, version=form.version.data
                )
            else:
                ad_editing.update_ad(
                    ticket, ad, form.values(), actor=current_user, version=form.version.data
                )
        except DomainError as err:
            form_error(form, err)
            status = http_status(err)
            ticket = load_ticket(ticket_id, ads=True)
            ad = ad_editing.get_ad(ticket, ad_id) if ad_id is not None else None
        else:
            db.session.commit()
            if not is_fragment_request():
                flash("Ad saved." if ad else "Ad added.", "success")
                return _back(ticket.id)
            return _section(load_ticket(ticket_id, ads=True), changed=True)
    status = status if status != 200 else form_status(form)
    context = _editor_context(ticket, form, ad)
    return render("tickets/ads/edit.html", "tickets/ads/_editor_section.html", status, **context)


@bp.route("/new", methods=["GET", "POST"])
@editor_required
def new(ticket_id):
    """Add an ad to a ticket: the form with its live preview, and its save."""
    return _editor(ticket_id)


@bp.route("/<uuid:ad_id>/edit", methods=["GET", "POST"])
@editor_required
def edit(ticket_id, ad_id):
    """Change one of the ticket's ads."""
    return _editor(ticket_id, ad_id)


@bp.get("/preview")
def preview(ticket_id):
    """The preview of what the form holds now, per placement, with spec problems (no writes).

    The creative picker's fit notes come along out of band: they follow the chosen placements.
    """
    ticket = load_ticket(ticket_id, ads=True)
    ad = None
    if request.args.get("ad_id"):
        ad = ad_editing.get_ad(ticket, request.args["ad_id"])
    form = AdForm(formdata=request.args, meta={"csrf": False})
    form.fit(ticket)
    context = _editor_context(ticket, form, ad)
    return render("tickets/ads/_preview.html", "tickets/ads/_preview.html", oob=True, **context)


class ActionForm(FlaskForm):
    version = HiddenField()
    direction = HiddenField()


def _action(ticket_id, ad_id, do, done: str):
    ticket = load_ticket(ticket_id, ads=True)
    ad = ad_editing.get_ad(ticket, ad_id)
    form = ActionForm()
    error, status = None, 200
    if not form.validate_on_submit():
        error, status = "The form has expired; reload the page.", 400
    else:
        try:
            do(ticket, ad, form)
        except DomainError as err:
            db.session.rollback()
            error, status = err.message, http_status(err)
        else:
            db.session.commit()
    if not is_fragment_request():
        flash(error or done, "error" if error else "success")
        return _back(ticket_id)
    return _section(
        load_ticket(ticket_id, ads=True), status=status, error=error, changed=error is None
    )


@bp.post("/<uuid:ad_id>/delete")
@editor_required
def delete(ticket_id, ad_id):
    """Delete one of the ticket's ads."""
    return _action(
        ticket_id,
        ad_id,
        lambda ticket, ad, form: ad_editing.delete_ad(
            ticket, ad, actor=current_user, version=form.version.data
        ),
        "Ad deleted.",
    )


@bp.post("/<uuid:ad_id>/move")
@editor_required
def move(ticket_id, ad_id):
    """Move one of the ticket's ads up or down."""
    return _action(
        ticket_id,
        ad_id,
        lambda ticket, ad, form: ad_editing.move_ad(
            ticket,
            ad,
            request.form.get("direction", ""),
            actor=current_user,
            version=form.version.data,
        ),
        "Ad moved.",
    )
