"""Platform translators at the edges mutation testing found unheld."""

import pytest

from omnitraffick.services.translators import TranslationError, translate
from tests.translators.helpers import ticket


@pytest.mark.parametrize(("code", "named"), [("LINKEDIN", "LINKEDIN"), (None, "unknown")])
def test_an_unknown_channel_is_named_in_the_message(code, named):
    with pytest.raises(TranslationError) as caught:
        translate(code, ticket("LINKEDIN"))

    assert caught.value.platform == named
    assert caught.value.message.startswith(f"This ticket cannot become a {named} request: ")
