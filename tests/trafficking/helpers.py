"""Sending tickets to the platforms, over real HTTP against the local platform sandbox. Helpers
shared by the files of this folder.
"""

from omnitraffick.models import (
    PlatformSend,
    Ticket,
    TicketStatus,
)

READY = TicketStatus.READY_FOR_API


def settings(**overrides):
    values = {
        "objective": "TRAFFIC",
        "budget_type": "DAILY",
        "budget_amount": "150.00",
        "flight_start": "2027-03-01",
        "flight_end": "2027-03-31",
        "landing_url": "https://www.disney.com/moana?utm_campaign=x",
        "initial_status": "PAUSED",
    }
    return values | overrides


def send(client, ticket, **form):
    return client.post(f"/tickets/{ticket.id}/send", data={"version": ticket.version, **form})


def reload(db, ticket) -> Ticket:
    """The ticket as the database has it now (a new transaction sees other writers)."""
    db.session.commit()
    db.session.expire_all()
    return db.session.get(Ticket, ticket.id)


def attempts_of(db, ticket):
    db.session.expire_all()
    sends = db.session.query(PlatformSend).filter_by(ticket_id=ticket.id).all()
    return [a for s in sends for a in s.attempts]


def nothing_made(sandbox) -> bool:
    """No object on any platform of the sandbox. (Its request log is no witness: a delayed
    answer from an earlier test may still land in it.)"""
    return not any(rows for kinds in sandbox.objects().values() for rows in kinds.values())


def named(objects, platform, kind, key, value):
    return [o for o in objects[platform][kind] if o.get(key) == value]
