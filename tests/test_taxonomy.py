"""Unit tests for the naming taxonomy engine (omnitraffick.services.taxonomy).

The rule is [BrandCode]_[MarketCode]_[ChannelPlatform]_[Year]_[CampaignName],
e.g. DIS_US_META_2026_MoanaLaunch.
"""

import datetime

import pytest

from omnitraffick.errors import http_status
from omnitraffick.services.errors import DomainError, ValidationError
from omnitraffick.services.taxonomy import (
    MAX_CAMPAIGN_PART_LENGTH,
    MAX_CODE_LENGTH,
    MAX_YEAR,
    MIN_YEAR,
    MULTI_CHANNEL,
    NameParts,
    build_name,
    is_valid_name,
    normalize_code,
    parse_name,
    platform_name,
    sanitize_campaign_name,
    ticket_platform_name,
    validate_year,
)

# --------------------------------------------------------------------------- build_name


def test_build_name_joins_the_five_parts_in_order():
    assert build_name("DIS", "US", "META", "MoanaLaunch", 2026) == "DIS_US_META_2026_MoanaLaunch"


def test_build_name_defaults_to_the_current_year():
    this_year = datetime.date.today().year

    assert build_name("DIS", "US", "META", "MoanaLaunch") == f"DIS_US_META_{this_year}_MoanaLaunch"


@pytest.mark.parametrize("blank_year", [None, "", "   "])
def test_blank_year_defaults_to_the_current_year(blank_year):
    assert validate_year(blank_year) == datetime.date.today().year


def test_build_name_accepts_the_year_as_a_string():
    assert build_name("DIS", "US", "META", "Moana", "2027") == "DIS_US_META_2027_Moana"


def test_build_name_uppercases_codes_and_sanitizes_the_campaign_name():
    name = build_name(" dis ", "us", "Meta", "Moana Launch!", 2026)

    assert name == "DIS_US_META_2026_MoanaLaunch"
    assert is_valid_name(name)


def test_build_name_keeps_underscores_inside_codes():
    assert build_name("dis_jr", "us", "meta", "Moana", 2026) == "DIS_JR_US_META_2026_Moana"


def test_campaign_own_name_uses_the_multi_channel():
    name = build_name("DIS", "US", MULTI_CHANNEL, "MoanaLaunch", 2026)

    assert name == "DIS_US_MULTI_2026_MoanaLaunch"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"brand_code": "D S"}, "brand_code"),
        ({"market_code": ""}, "market_code"),
        ({"channel_code": "MÉTA"}, "channel_code"),
        ({"year": "26"}, "year"),
        ({"campaign_name": "!!!"}, "campaign_name"),
    ],
)
def test_build_name_reports_which_field_is_at_fault(kwargs, field):
    args = {
        "brand_code": "DIS",
        "market_code": "US",
        "channel_code": "META",
        "campaign_name": "Moana",
        "year": 2026,
    }
    args.update(kwargs)

    with pytest.raises(ValidationError) as excinfo:
        build_name(**args)

    assert excinfo.value.field == field
    assert excinfo.value.errors == {field: [excinfo.value.message]}


def test_build_name_error_labels_name_the_offending_code():
    with pytest.raises(ValidationError, match=r"^Brand code is required\.$"):
        build_name("", "US", "META", "Moana", 2026)
    with pytest.raises(ValidationError, match=r"^Market code may only use"):
        build_name("DIS", "U-S", "META", "Moana", 2026)
    with pytest.raises(ValidationError, match=r"^Channel code must be at most"):
        build_name("DIS", "US", "M" * (MAX_CODE_LENGTH + 1), "Moana", 2026)


def test_validation_error_is_a_422_domain_error():
    with pytest.raises(DomainError) as excinfo:
        build_name("", "US", "META", "Moana", 2026)

    assert isinstance(excinfo.value, ValidationError)
    assert http_status(excinfo.value) == 422


# ------------------------------------------------------------------------- normalize_code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("DIS", "DIS"),
        ("dis", "DIS"),
        ("Dis", "DIS"),
        ("  us  ", "US"),
        ("dis_jr", "DIS_JR"),
        ("tv2", "TV2"),
        ("2026", "2026"),
        ("A" * MAX_CODE_LENGTH, "A" * MAX_CODE_LENGTH),
    ],
)
def test_normalize_code_uppercases_valid_codes(raw, expected):
    assert normalize_code(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message_part"),
    [
        ("D S", "remove ' '"),
        ("DIS-US", "remove '-'"),
        ("DIS.US", "remove '.'"),
        ("DÉS", "remove 'É'"),
        ("Dé", "remove 'é'"),
        ("ß", "remove 'ß'"),  # "ß".upper() is the ASCII "SS": still must be refused
        ("STRAßE", "remove 'ß'"),
        ("ﬁ", "remove 'ﬁ'"),  # the "fi" ligature uppercases to ASCII "FI"
        ("ı", "remove 'ı'"),  # dotless i uppercases to ASCII "I"
        ("DIS🚀", "remove '🚀'"),
        ("ＤＩＳ", "remove 'Ｄ' 'Ｉ' 'Ｓ'"),  # full-width letters
        ("D\tS", r"remove '\t'"),
    ],
)
def test_normalize_code_rejects_characters_outside_ascii_letters_digits_underscore(
    raw, message_part
):
    with pytest.raises(ValidationError) as excinfo:
        normalize_code(raw, "Brand code", "brand_code")

    message = str(excinfo.value)
    assert message.startswith("Brand code may only use letters A-Z, digits and underscores")
    assert message_part in message
    assert excinfo.value.field == "brand_code"


def test_normalize_code_error_does_not_blame_lowercase_ascii_letters():
    # "dé" fails only because of the "é"; the "d" would simply be uppercased.
    with pytest.raises(ValidationError) as excinfo:
        normalize_code("dé", "Brand code", "brand_code")

    message = str(excinfo.value)
    assert "'é'" in message
    assert "'d'" not in message


@pytest.mark.parametrize("raw", [None, "", "   ", "\t\n"])
def test_normalize_code_requires_a_value(raw):
    with pytest.raises(ValidationError) as excinfo:
        normalize_code(raw, "Market code", "market_code")

    assert str(excinfo.value) == "Market code is required."
    assert excinfo.value.field == "market_code"


def test_normalize_code_rejects_codes_that_are_too_long():
    too_long = "A" * (MAX_CODE_LENGTH + 1)

    with pytest.raises(ValidationError) as excinfo:
        normalize_code(too_long, "Brand code", "brand_code")

    assert str(excinfo.value) == (
        f"Brand code must be at most {MAX_CODE_LENGTH} characters (got {MAX_CODE_LENGTH + 1})."
    )
    assert excinfo.value.field == "brand_code"


@pytest.mark.parametrize("raw", ["_DIS", "DIS_", "DIS__JR", "_", "__"])
def test_normalize_code_rejects_misplaced_underscores(raw):
    with pytest.raises(ValidationError) as excinfo:
        normalize_code(raw, "Brand code", "brand_code")

    assert "cannot start or end with an underscore or hold two in a row" in str(excinfo.value)
    assert excinfo.value.field == "brand_code"


def test_normalize_code_uses_a_default_label_and_no_field():
    with pytest.raises(ValidationError) as excinfo:
        normalize_code("")

    assert str(excinfo.value) == "Code is required."
    assert excinfo.value.field is None
    assert excinfo.value.errors == {}


# ----------------------------------------------------------------- sanitize_campaign_name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("MoanaLaunch", "MoanaLaunch"),
        ("Moana Launch", "MoanaLaunch"),
        ("  Moana   Launch  ", "MoanaLaunch"),
        ("Moana Launch!", "MoanaLaunch"),
        ("moana launch", "moanalaunch"),  # the user's casing is kept
        ("MOANA launch", "MOANAlaunch"),
        ("Moana_Launch-2026", "MoanaLaunch2026"),  # underscores would break the name
        ("Q4: Back-to-School (v2.1)", "Q4BacktoSchoolv21"),
        ("$#@Sale%^&*", "Sale"),
        ("Tab\tand\nnewline", "Tabandnewline"),
        ("2026", "2026"),
    ],
)
def test_sanitize_campaign_name_keeps_only_ascii_letters_and_digits(raw, expected):
    assert sanitize_campaign_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Café 2026", "Cafe2026"),
        ("Ñandú", "Nandu"),  # letters of any script are transliterated (issue 17)
        ("Straße", "Strasse"),
        ("Moana 🌊 Launch", "MoanaLaunch"),
        ("モアナ Moana", "moanaMoana"),
        ("Launch ٢٠٢٦", "Launch2026"),  # Arabic-Indic digits become ASCII digits
        ("ＭｏａｎａLaunch", "MoanaLaunch"),  # full-width letters too
    ],
)
def test_sanitize_campaign_name_transliterates_non_ascii_characters(raw, expected):
    assert sanitize_campaign_name(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [None, "", "   ", "!!!", "_-_ .,;:", "🌊🚀", "☀ ★"],
)
def test_sanitize_campaign_name_rejects_names_with_nothing_left(raw):
    with pytest.raises(ValidationError) as excinfo:
        sanitize_campaign_name(raw, "campaign_name")

    message = str(excinfo.value)
    assert "at least one letter A-Z or digit" in message
    assert "dropped" in message
    assert excinfo.value.field == "campaign_name"


def test_sanitize_campaign_name_accepts_exactly_the_maximum_length():
    longest = "a" * MAX_CAMPAIGN_PART_LENGTH

    assert sanitize_campaign_name(longest) == longest


def test_sanitize_campaign_name_rejects_one_over_the_maximum_length():
    with pytest.raises(ValidationError) as excinfo:
        sanitize_campaign_name("a" * (MAX_CAMPAIGN_PART_LENGTH + 1), "campaign_name")

    assert str(excinfo.value) == (
        f"Campaign name is too long: {MAX_CAMPAIGN_PART_LENGTH + 1} letters and digits, "
        f"at most {MAX_CAMPAIGN_PART_LENGTH}."
    )
    assert excinfo.value.field == "campaign_name"


def test_sanitize_campaign_name_counts_only_the_characters_that_are_kept():
    # Long input is fine as long as what survives sanitisation is short enough.
    noisy = "!" * 500 + "Moana" + " " * 500 + "Launch" + "🌊" * 200

    assert sanitize_campaign_name(noisy) == "MoanaLaunch"


def test_sanitize_campaign_name_length_limit_ignores_dropped_characters():
    exactly_max = " ".join("ab" for _ in range(MAX_CAMPAIGN_PART_LENGTH // 2))

    assert len(exactly_max) > MAX_CAMPAIGN_PART_LENGTH
    assert sanitize_campaign_name(exactly_max) == "ab" * (MAX_CAMPAIGN_PART_LENGTH // 2)


# -------------------------------------------------------------------------- validate_year


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (2026, 2026),
        ("2026", 2026),
        ("2027", 2027),
        (" 2027 ", 2027),
        (MIN_YEAR, MIN_YEAR),
        (MAX_YEAR, MAX_YEAR),
        (str(MAX_YEAR), MAX_YEAR),
    ],
)
def test_validate_year_accepts_four_digit_years_in_range(raw, expected):
    year = validate_year(raw)

    assert year == expected
    assert type(year) is int


@pytest.mark.parametrize(
    "raw",
    [
        "abcd",
        "20x6",
        "twenty",
        "202",
        999,
        "20266",
        "-2026",
        -2026,
        "20 26",
        "2026.0",
        2026.0,
        "+2026",
        "٢٠٢٦",  # Arabic-Indic digits
        "２０２６",  # full-width digits
        True,
        False,
    ],
)
def test_validate_year_rejects_anything_but_four_ascii_digits(raw):
    with pytest.raises(ValidationError) as excinfo:
        validate_year(raw, "year")

    assert str(excinfo.value) == "Year must be four digits, e.g. 2026."
    assert excinfo.value.field == "year"


@pytest.mark.parametrize("raw", [MIN_YEAR - 1, MAX_YEAR + 1, "1999", "2101", "0000", 9999])
def test_validate_year_rejects_years_out_of_range(raw):
    with pytest.raises(ValidationError) as excinfo:
        validate_year(raw, "year")

    assert str(excinfo.value) == f"Year must be between {MIN_YEAR} and {MAX_YEAR}."
    assert excinfo.value.field == "year"


# -------------------------------------------------------------------------- is_valid_name


@pytest.mark.parametrize(
    "name",
    [
        "DIS_US_META_2026_MoanaLaunch",
        "DIS_US_MULTI_2026_MoanaLaunch",
        "DIS_US_META_2026_moanalaunch",
        "DIS_US_META_2026_2027",
        "DIS_JR_US_META_2026_Moana",
        "DIS_US_CA_TIKTOK_2026_Moana",
        "D1_U2_TV3_2000_X",
    ],
)
def test_is_valid_name_accepts_well_formed_names(name):
    assert is_valid_name(name)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("", id="empty"),
        pytest.param(None, id="none"),
        pytest.param("dis_US_META_2026_Moana", id="lowercase-brand"),
        pytest.param("DIS_us_META_2026_Moana", id="lowercase-market"),
        pytest.param("DIS_US_meta_2026_Moana", id="lowercase-channel"),
        pytest.param("DIS_US_2026_Moana", id="missing-channel"),
        pytest.param("DIS_META_2026", id="missing-two-parts"),
        pytest.param("DIS_US_META_Moana", id="missing-year"),
        pytest.param("DIS_US_META_2026", id="missing-campaign"),
        pytest.param("DIS_US_META_26_Moana", id="two-digit-year"),
        pytest.param("DIS_US_META_20266_Moana", id="five-digit-year"),
        pytest.param("DIS_US_META_YEAR_Moana", id="non-digit-year"),
        pytest.param("DIS_US_META_٢٠٢٦_Moana", id="unicode-digit-year"),
        pytest.param("DIS_US_META_2026_Moana_", id="trailing-underscore"),
        pytest.param("_DIS_US_META_2026_Moana", id="leading-underscore"),
        pytest.param("DIS__US_META_2026_Moana", id="double-underscore"),
        pytest.param("DIS_US_META_2026_Moana Launch", id="space-in-campaign"),
        pytest.param("DIS_US_META_2026_Moana-Launch", id="hyphen-in-campaign"),
        pytest.param("DIS_US_META_2026_Café", id="non-ascii-campaign"),
        pytest.param("DÍS_US_META_2026_Moana", id="non-ascii-code"),
        pytest.param("DIS_US_META_2026_モアナ", id="japanese-campaign"),
        pytest.param("DIS-US-META-2026-Moana", id="wrong-separator"),
    ],
)
def test_is_valid_name_rejects_malformed_names(name):
    assert not is_valid_name(name)


def test_every_built_name_is_valid():
    assert is_valid_name(build_name("dis_jr", "us", "meta", "Café Moana 2!", "2030"))


# ----------------------------------------------------------------------------- parse_name


def test_parse_name_decodes_a_simple_name():
    assert parse_name("DIS_US_META_2026_MoanaLaunch") == NameParts(
        brand="DIS", market="US", channel="META", year=2026, campaign="MoanaLaunch"
    )


@pytest.mark.parametrize(
    ("brand", "market", "channel", "campaign", "year"),
    [
        ("DIS", "US", "META", "MoanaLaunch", 2026),
        ("DIS", "US", MULTI_CHANNEL, "MoanaLaunch", 2030),
        ("PXR", "GB", "TIKTOK", "Elio2", 2000),
        ("MRV", "BR", "YT", "2026", 2100),  # an all-digit campaign part is still read right
    ],
)
def test_parse_name_round_trips_build_name(brand, market, channel, campaign, year):
    name = build_name(brand, market, channel, campaign, year)

    assert parse_name(name) == NameParts(brand, market, channel, year, campaign)


def test_parse_name_returns_the_year_as_an_int():
    assert parse_name("DIS_US_META_2026_Moana").year == 2026


@pytest.mark.parametrize(
    "name", ["", "not a name", "dis_us_meta_2026_Moana", "DIS_US_META_2026_", "DIS_US_2026_Moana"]
)
def test_parse_name_rejects_strings_that_are_not_taxonomy_names(name):
    with pytest.raises(ValidationError) as excinfo:
        parse_name(name)

    message = str(excinfo.value)
    assert repr(name) in message
    assert "is not a taxonomy name (BRAND_MARKET_CHANNEL_YEAR_Name)" in message


def test_parse_name_with_an_underscored_brand_is_ambiguous_without_known_codes():
    # DIS_JR_US_META could be DIS|JR|US_META, DIS|JR_US|META or DIS_JR|US|META.
    with pytest.raises(ValidationError) as excinfo:
        parse_name("DIS_JR_US_META_2026_Moana")

    message = str(excinfo.value)
    assert "more than one way" in message
    assert "give the known codes" in message


def test_parse_name_resolves_an_underscored_brand_with_brand_codes():
    parts = parse_name("DIS_JR_US_META_2026_Moana", brand_codes={"DIS_JR", "PXR"})

    assert parts == NameParts("DIS_JR", "US", "META", 2026, "Moana")


def test_parse_name_resolves_an_underscored_brand_with_market_codes():
    parts = parse_name("DIS_JR_US_META_2026_Moana", market_codes=frozenset({"US", "GB"}))

    assert parts == NameParts("DIS_JR", "US", "META", 2026, "Moana")


def test_parse_name_with_an_underscored_market_is_ambiguous_without_known_codes():
    with pytest.raises(ValidationError, match="more than one way"):
        parse_name("DIS_US_CA_META_2026_Moana")


def test_parse_name_resolves_an_underscored_market_with_market_codes():
    parts = parse_name("DIS_US_CA_META_2026_Moana", market_codes={"US_CA"})

    assert parts == NameParts("DIS", "US_CA", "META", 2026, "Moana")


def test_parse_name_uses_brand_and_market_codes_together():
    parts = parse_name(
        "DIS_JR_US_CA_META_2026_Moana", brand_codes={"DIS_JR"}, market_codes={"US_CA"}
    )

    assert parts == NameParts("DIS_JR", "US_CA", "META", 2026, "Moana")


def test_parse_name_round_trips_underscored_codes_given_known_codes():
    name = build_name("dis_jr", "us_ca", "meta", "Moana Launch", 2026)

    parts = parse_name(name, brand_codes={"DIS_JR", "DIS"}, market_codes={"US_CA", "GB"})

    assert parts == NameParts("DIS_JR", "US_CA", "META", 2026, "MoanaLaunch")


def test_parse_name_stays_ambiguous_when_known_codes_leave_several_splits():
    # Knowing only the brand still leaves DIS|JR|US_META and DIS|JR_US|META.
    with pytest.raises(ValidationError, match="more than one way"):
        parse_name("DIS_JR_US_META_2026_Moana", brand_codes={"DIS"})


def test_parse_name_stays_ambiguous_when_the_channel_could_hold_an_underscore():
    # Channel codes may hold underscores too: with market US the channel would be CA_META.
    with pytest.raises(ValidationError, match="more than one way"):
        parse_name(
            "DIS_JR_US_CA_META_2026_Moana",
            brand_codes={"DIS_JR"},
            market_codes={"US", "US_CA"},
        )


def test_parse_name_reports_when_no_split_matches_the_known_codes():
    with pytest.raises(ValidationError) as excinfo:
        parse_name("DIS_JR_US_META_2026_Moana", brand_codes={"PXR"})

    assert str(excinfo.value) == (
        "'DIS_JR_US_META_2026_Moana' matches none of the known brand and market codes."
    )


# -------------------------------------------------------------------------- platform_name


def test_platform_name_swaps_multi_for_the_channel_code():
    assert platform_name("DIS_US_MULTI_2026_MoanaLaunch", "META") == "DIS_US_META_2026_MoanaLaunch"


def test_platform_name_normalizes_the_channel_code():
    assert platform_name("DIS_US_MULTI_2026_Moana", " tiktok ") == "DIS_US_TIKTOK_2026_Moana"


def test_platform_name_keeps_underscored_brand_and_market_codes():
    name = build_name("DIS_JR", "US_CA", MULTI_CHANNEL, "Moana", 2026)

    assert platform_name(name, "META") == "DIS_JR_US_CA_META_2026_Moana"


def test_platform_name_output_parses_back_to_the_channel():
    campaign = build_name("DIS", "US", MULTI_CHANNEL, "Moana Launch", 2026)

    parts = parse_name(platform_name(campaign, "meta"))

    assert parts == NameParts("DIS", "US", "META", 2026, "MoanaLaunch")


# A convention may put the channel anywhere, or leave it out: the ticket's name puts the
# channel's code where the campaign's name has MULTI.
@pytest.mark.parametrize(
    ("campaign_name", "channel_at", "expected"),
    [
        ("DIS-MULTI-Moana", 4, "DIS-META-Moana"),
        ("MULTI.DIS.US.Moana", 0, "META.DIS.US.Moana"),
        ("DIS_US_2026_Moana", -1, "DIS_US_2026_Moana"),
        ("DIS_US_MULTI_2026_Moana", None, "DIS_US_META_2026_Moana"),
    ],
    ids=["middle", "first segment", "convention without a channel", "name before conventions"],
)
def test_ticket_platform_name_puts_the_channel_where_the_convention_put_it(
    campaign_name, channel_at, expected
):
    assert ticket_platform_name(campaign_name, channel_at, "META") == expected


@pytest.mark.parametrize(
    "name", ["DIS_US_META_2026_MoanaLaunch", "DIS_MULTI_US_2026_Moana", "MULTI_US_TV_2026_Moana"]
)
def test_platform_name_refuses_a_name_that_is_not_multi_channel(name):
    with pytest.raises(ValidationError) as excinfo:
        platform_name(name, "META")

    assert str(excinfo.value) == f"{name!r} is not a multi-channel campaign name."


@pytest.mark.parametrize(
    "name",
    ["", "garbage", "DIS_MULTI", "DIS_US_multi_2026_Moana", "x y_MULTI_2026_Moana Launch"],
)
def test_platform_name_refuses_strings_that_are_not_taxonomy_names(name):
    # A malformed name must be refused as a ValidationError, never a bare ValueError,
    # and never turned into a "platform name".
    with pytest.raises(ValidationError):
        platform_name(name, "META")


@pytest.mark.parametrize(
    ("channel", "message_part"),
    [("", "Channel code is required."), ("ME TA", "remove ' '"), ("MÉTA", "remove 'É'")],
)
def test_platform_name_rejects_an_invalid_channel_code(channel, message_part):
    with pytest.raises(ValidationError) as excinfo:
        platform_name("DIS_US_MULTI_2026_Moana", channel)

    assert message_part in str(excinfo.value)
    assert excinfo.value.field == "channel_code"
