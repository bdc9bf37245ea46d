"""Decoding a name with the known codes, one way only: the codes pick a split only when the
name splits more than one way, each list of codes narrows on its own, and a name that splits
one way decodes whatever the lists hold (a brand renamed since still reads back)."""

import pytest

from omnitraffick.services.errors import ValidationError
from omnitraffick.services.taxonomy import NameParts, is_valid_name, parse_name


def test_a_name_that_splits_one_way_decodes_even_when_its_codes_are_not_known():
    parts = parse_name("OLD_GB_META_2026_Moana", brand_codes={"DIS"}, market_codes={"US"})

    assert parts == NameParts("OLD", "GB", "META", 2026, "Moana")


def test_a_name_that_splits_one_way_decodes_with_an_empty_list_of_codes():
    assert parse_name("DIS_US_META_2026_Moana", brand_codes=set(), market_codes=set()) == (
        NameParts("DIS", "US", "META", 2026, "Moana")
    )


def test_brand_codes_alone_pick_the_split_whatever_the_market():
    # DIS_JR_US_META: only DIS_JR|US|META has the known brand; the market is not checked.
    parts = parse_name("DIS_JR_US_META_2026_Moana", brand_codes={"DIS_JR"})

    assert parts == NameParts("DIS_JR", "US", "META", 2026, "Moana")


def test_market_codes_alone_pick_the_split_whatever_the_brand():
    # DIS|US_CA|META and DIS_US|CA|META: only the first has the known market.
    parts = parse_name("DIS_US_CA_META_2026_Moana", market_codes={"US_CA", "GB"})

    assert parts == NameParts("DIS", "US_CA", "META", 2026, "Moana")


def test_both_lists_must_agree_on_the_split():
    # The brand DIS_JR is known, but no split gives it the known market GB.
    with pytest.raises(ValidationError) as caught:
        parse_name("DIS_JR_US_META_2026_Moana", brand_codes={"DIS_JR"}, market_codes={"GB"})

    assert str(caught.value) == (
        "'DIS_JR_US_META_2026_Moana' matches none of the known brand and market codes."
    )


def test_an_ambiguous_name_says_so_and_how_to_decode_it():
    with pytest.raises(ValidationError) as caught:
        parse_name("DIS_JR_US_META_2026_Moana")

    assert str(caught.value) == (
        "'DIS_JR_US_META_2026_Moana' splits into brand, market and channel codes more than "
        "one way; give the known codes to decode it."
    )


@pytest.mark.parametrize(
    "name",
    [
        "DIS_US_2026_Moana",  # four parts: no channel
        "DIS_US_meta_2026_Moana",  # a code part in lower case
        "DIS_US_META_2026_Moana_",  # an empty campaign part
        "DIS_US_META_2026_Möana",  # not ASCII
    ],
)
def test_names_that_are_not_taxonomy_names(name):
    assert not is_valid_name(name)


def test_a_name_of_five_parts_is_a_taxonomy_name():
    assert is_valid_name("DIS_US_META_2026_Moana")
    assert is_valid_name("DIS_JR_US_CA_META_2026_Moana")


def test_the_channel_can_hold_an_underscore_when_the_other_codes_are_known():
    parts = parse_name("DIS_US_CTV_X_2026_Moana", brand_codes={"DIS"}, market_codes={"US"})

    assert parts == NameParts("DIS", "US", "CTV_X", 2026, "Moana")
