"""Services raise domain errors without HTTP statuses; one table (omnitraffick.errors) maps
each kind to the status pages and the API answer with."""

import inspect
import io

import pytest

from omnitraffick.errors import STATUS_OF, http_status
from omnitraffick.models import Role
from omnitraffick.services import errors


def domain_error_kinds():
    return [
        kind
        for _, kind in inspect.getmembers(errors, inspect.isclass)
        if issubclass(kind, errors.DomainError)
    ]


@pytest.mark.parametrize("kind", domain_error_kinds(), ids=lambda kind: kind.__name__)
def test_no_domain_error_carries_an_http_status_and_each_has_one_in_the_table(kind):
    assert not hasattr(kind, "status_code")
    assert kind in STATUS_OF
    assert 400 <= STATUS_OF[kind] < 600


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (errors.ValidationError("Bad."), 422),
        (errors.NotFound("Gone."), 404),
        (errors.Conflict("Clash."), 409),
        (errors.TooLarge("Too many rows."), 413),
        (errors.Unsupported("Not a sheet."), 415),
        (errors.Throttled("Slow down.", retry_after=5), 429),
    ],
)
def test_each_kind_answers_with_its_status(error, status):
    assert http_status(error) == status


def test_a_kind_not_in_the_table_answers_as_its_nearest_ancestor():
    class RateFileRefused(errors.ValidationError):
        pass

    assert http_status(RateFileRefused("No.")) == 422


def test_a_rate_file_the_service_refuses_is_a_422_page_naming_the_problem(client, login):
    login(Role.ADMIN)

    response = client.post(
        "/settings/rates/import",
        data={"file": (io.BytesIO(b"Date, USD, \nyesterday, 1.05, \n"), "r.csv")},
        content_type="multipart/form-data",
    )

    assert response.status_code == 422
    assert "Line 2: &#39;yesterday&#39; is not a date like 2026-11-30." in response.text


def test_a_bad_reporting_currency_is_a_422_page(client, login):
    login(Role.ADMIN)

    response = client.post("/settings/", data={"agency_name": "Acme", "reporting_currency": "XYZ"})

    assert response.status_code == 422
    assert "is not an ISO 4217 currency in use" in response.text
