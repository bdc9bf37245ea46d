"""How each row looks in the API: every column, ids as strings, budgets as decimal strings."""

from ..models import Brand, Campaign, Channel, Market, PlatformSend, Ticket, iso
from ..services.currencies import amount_text


def _common(row) -> dict:
    return {"id": str(row.id), "created_at": iso(row.created_at), "updated_at": iso(row.updated_at)}


def market_json(market: Market) -> dict:
    return _common(market) | {
        "code": market.code,
        "country": market.country,
        "region": market.region,
        "currency": market.currency,
    }


def brand_json(brand: Brand) -> dict:
    def ceiling(amount):
        return amount_text(amount, brand.ceiling_currency) if amount is not None else None

    return _common(brand) | {
        "name": brand.name,
        "internal_code": brand.internal_code,
        "daily_budget_ceiling": ceiling(brand.daily_budget_ceiling),
        "lifetime_budget_ceiling": ceiling(brand.lifetime_budget_ceiling),
        "ceiling_currency": brand.ceiling_currency,
    }


def channel_json(channel: Channel) -> dict:
    return _common(channel) | {
        "platform_name": channel.platform_name,
        "api_identifier": channel.api_identifier,
    }


def campaign_json(campaign: Campaign) -> dict:
    parts = campaign.name_parts
    return _common(campaign) | {
        "name": campaign.name,
        "campaign_name": campaign.campaign_name,
        "brand_id": str(campaign.brand_id),
        "market_id": str(campaign.market_id),
        "year": campaign.year,
        "budget": amount_text(campaign.budget, campaign.market.currency),
        "currency": campaign.market.currency,
        "status": campaign.status.value,
        "created_by_id": str(campaign.created_by_id) if campaign.created_by_id else None,
        "name_parts": {
            "brand": parts.brand,
            "market": parts.market,
            "channel": parts.channel,
            "year": parts.year,
            "campaign": parts.campaign,
        },
    }


def ticket_json(ticket: Ticket) -> dict:
    return _common(ticket) | {
        "campaign_id": str(ticket.campaign_id),
        "channel_id": str(ticket.channel_id),
        "request_type": ticket.request_type.value,
        "payload_config": ticket.payload_config,
        "status": ticket.status.value,
        "external_platform_id": ticket.external_platform_id,
        "qa_failure_reason": ticket.qa_failure_reason,
        "qa_report": ticket.qa_report,
        "version": ticket.version,
        "status_changed_at": iso(ticket.status_changed_at),
        "created_by_id": str(ticket.created_by_id) if ticket.created_by_id else None,
        "platform_name": ticket.platform_name,
        "sending": ticket.sending_since is not None,
        "sending_since": iso(ticket.sending_since) if ticket.sending_since else None,
        "platform_ids": ticket.platform_ids,
        "send_error": ticket.send_error,
    }


def send_json(send: PlatformSend) -> dict:
    """A send of a ticket to its platform, with every HTTP call it made."""
    return {
        "id": str(send.id),
        "ticket_id": str(send.ticket_id),
        "state": send.state.value,
        "target": send.target,
        "base_url": send.base_url,
        "requested_at": iso(send.requested_at),
        "requested_by_id": str(send.requested_by_id) if send.requested_by_id else None,
        "started_at": iso(send.started_at) if send.started_at else None,
        "finished_at": iso(send.finished_at) if send.finished_at else None,
        "message": send.message,
        "attempts": [
            {
                "at": iso(a.created_at),
                "step": a.step,
                "attempt": a.attempt,
                "method": a.method,
                "path": a.path,
                "http_status": a.http_status,
                "outcome": a.outcome.value,
                "message": a.message,
                "duration_ms": a.duration_ms,
            }
            for a in send.attempts
        ],
    }
