"""The readable API reference page."""

from omnitraffick.models import Role


def test_reference_lists_every_endpoint_and_model(client, login, app):
    login(Role.VIEWER)
    page = client.get("/api/")
    assert page.status_code == 200
    api_rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1/")]
    for rule in api_rules:
        path = rule.rule.replace("<uuid:row_id>", "{id}").replace("<uuid:campaign_id>", "{id}")
        path = path.replace("<uuid:ticket_id>", "{id}")
        assert path in page.text, path
    for model in ("Campaign", "CampaignCreate", "Ticket", "TicketUpdate", "Error"):
        assert f'id="model-{model}"' in page.text
    assert "Authorization: Bearer" in page.text


def test_reference_is_linked_from_the_navigation(client, login):
    login(Role.TRAFFICKER)
    assert 'href="/api/"' in client.get("/campaigns/").text


def test_reference_needs_login(client):
    assert client.get("/api/").status_code == 302
