"""Platform translators, Google Ads' ads: golden requests for its ad groups, image assets and
responsive search and display ads, written from the official references cited on each test, and
its refusals; then how a file stands in a request (FileRef).
"""

import copy
import pickle

import pytest

from omnitraffick.services.translators import (
    GoogleAdsTranslator,
    TranslationError,
    translate,
)
from omnitraffick.services.translators.base import FileRef, PlatformRequest
from tests.translators.helpers import (
    HERO,
    NAME,
    SQUARE,
    STORY,
    TALL,
    TINY,
    URL,
    ad,
    calls,
    data,
    problems_of,
    translate_lookup,
)

# --- Google Ads ----------------------------------------------------------------------------------


def test_google_search_ticket_gets_an_ad_group_and_a_responsive_search_ad_golden():
    """https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.adGroups/mutate
    https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.adGroupAds/mutate
    https://developers.google.com/google-ads/api/docs/responsive-search-ads/create-responsive-search-ads
    """
    rsa = ad(1, (), headlines=("One", "Two", "Three"), descriptions=("Four", "Five"))
    translation = translate("GOOGLE", data("GOOGLE", rsa))

    customer = "/v26/customers/{customer_id}"
    assert calls(translation, 3) == [
        {
            "method": "POST",
            "path": f"{customer}/adGroups:mutate",
            "params": {},
            "body": {
                "operations": [
                    {
                        "create": {
                            "name": NAME.format("GOOGLE"),
                            "campaign": "{campaign_resource_name}",
                            "status": "ENABLED",
                            "type": "SEARCH_STANDARD",
                        }
                    }
                ]
            },
            "multipart": False,
            "description": "Create the ad group that holds the ads.",
            "returns": "ad_group_resource_name",
            "response_path": ["results", 0, "resourceName"],
        },
        {
            "method": "POST",
            "path": f"{customer}/adGroupAds:mutate",
            "params": {},
            "body": {
                "operations": [
                    {
                        "create": {
                            "adGroup": "{ad_group_resource_name}",
                            "status": "ENABLED",
                            "ad": {
                                "finalUrls": [URL],
                                "responsiveSearchAd": {
                                    "headlines": [
                                        {"text": "One"},
                                        {"text": "Two"},
                                        {"text": "Three"},
                                    ],
                                    "descriptions": [{"text": "Four"}, {"text": "Five"}],
                                },
                            },
                        }
                    }
                ]
            },
            "multipart": False,
            "description": "Create ad 1, a responsive search ad, in the ad group.",
            "returns": "ad1_resource_name",
            "response_path": ["results", 0, "resourceName"],
        },
    ]


def test_google_display_ticket_uploads_image_assets_for_a_responsive_display_ad_golden():
    """https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.assets/mutate
    https://developers.google.com/google-ads/api/docs/responsive-display-ads/create-responsive-display-ads
    https://developers.google.com/google-ads/api/reference/rpc/v26/ResponsiveDisplayAdInfo
    """
    rda = ad(1, (SQUARE, HERO), long_headline="Moana sets sail again", business_name="Disney")
    translation = translate("GOOGLE", data("GOOGLE", rda, objective="AWARENESS"))

    customer = "/v26/customers/{customer_id}"
    assert translation.requests[3].body["operations"][0]["create"]["type"] == "DISPLAY_STANDARD"
    assert calls(translation, 4) == [
        {
            "method": "POST",
            "path": f"{customer}/assets:mutate",
            "params": {},
            "body": {
                "operations": [
                    {
                        "create": {
                            "name": "AD_1 square.png",
                            "type": "IMAGE",
                            "imageAsset": {"data": "<bytes of square.png, base64>"},
                        }
                    }
                ]
            },
            "multipart": False,
            "description": "Upload ad 1's image 1, square.png, as an image asset.",
            "returns": "ad1_image1_resource_name",
            "response_path": ["results", 0, "resourceName"],
        },
        {
            "method": "POST",
            "path": f"{customer}/assets:mutate",
            "params": {},
            "body": {
                "operations": [
                    {
                        "create": {
                            "name": "AD_1 hero.jpg",
                            "type": "IMAGE",
                            "imageAsset": {"data": "<bytes of hero.jpg, base64>"},
                        }
                    }
                ]
            },
            "multipart": False,
            "description": "Upload ad 1's image 2, hero.jpg, as an image asset.",
            "returns": "ad1_image2_resource_name",
            "response_path": ["results", 0, "resourceName"],
        },
        {
            "method": "POST",
            "path": f"{customer}/adGroupAds:mutate",
            "params": {},
            "body": {
                "operations": [
                    {
                        "create": {
                            "adGroup": "{ad_group_resource_name}",
                            "status": "ENABLED",
                            "ad": {
                                "finalUrls": [URL],
                                "responsiveDisplayAd": {
                                    "marketingImages": [{"asset": "{ad1_image2_resource_name}"}],
                                    "squareMarketingImages": [
                                        {"asset": "{ad1_image1_resource_name}"}
                                    ],
                                    "headlines": [{"text": "Moana is back"}],
                                    "longHeadline": {"text": "Moana sets sail again"},
                                    "descriptions": [{"text": "In theatres now"}],
                                    "businessName": "Disney",
                                    "callToActionText": "Learn more",
                                },
                            },
                        }
                    }
                ]
            },
            "multipart": False,
            "description": "Create ad 1, a responsive display ad, in the ad group.",
            "returns": "ad1_resource_name",
            "response_path": ["results", 0, "resourceName"],
        },
    ]
    no_action = ad(1, (SQUARE, HERO), long_headline="L", business_name="D", call_to_action="")
    display = translate("GOOGLE", data("GOOGLE", no_action, objective="AWARENESS")).requests[-1]
    assert (
        "callToActionText"
        not in display.body["operations"][0]["create"]["ad"]["responsiveDisplayAd"]
    )


def test_google_looks_up_the_ad_group_and_image_assets_by_name():
    rda = ad(1, (SQUARE, HERO), long_headline="L", business_name="D")
    requests = translate("GOOGLE", data("GOOGLE", rda, objective="AWARENESS")).requests
    values = {"customer_id": "1", "campaign_resource_name": "customers/1/campaigns/2"}
    group = translate_lookup("GOOGLE", requests[3].filled(values))
    assert group.body == {
        "query": "SELECT ad_group.resource_name FROM ad_group WHERE ad_group.campaign = "
        "'customers/1/campaigns/2' AND ad_group.name = 'DIS_US_GOOGLE_2026_MoanaLaunch'"
    }
    assert group.what == "ad group"
    asset = translate_lookup("GOOGLE", requests[4].filled(values))
    assert asset.body == {
        "query": "SELECT asset.resource_name FROM asset WHERE asset.name = 'AD_1 square.png'"
    }
    assert asset.pick({"results": [{"asset": {"resourceName": "customers/1/assets/3"}}]}) == (
        "customers/1/assets/3"
    )
    # Responsive ads have no name to find them by.
    assert translate_lookup("GOOGLE", requests[-1].filled(values)) is None


def test_google_refuses_videos_and_ads_its_campaign_type_cannot_take():
    problems = problems_of(
        "GOOGLE",
        data(
            "GOOGLE",
            ad(1, (STORY,)),
            ad(2, (HERO,), headlines=("Same", "Same"), descriptions=("x" * 91,)),
        ),
    )
    assert problems == (
        "Ad 1: Google Ads takes YouTube videos only, not uploaded files (story.mp4); remove the "
        "video or traffic it on YouTube.",
        "Ad 2: a responsive search ad takes 3 to 15 headlines; this one has 2 headlines.",
        "Ad 2: a responsive search ad takes 2 to 4 descriptions; this one has 1 description.",
        "Ad 2: a responsive search ad's headlines must differ from each other.",
        "Ad 2: a responsive search ad is text only; remove its images (Search campaigns show no "
        "images): hero.jpg.",
        "Ad 2: A Google responsive search description may have at most 90 characters; this one "
        "has 91.",
    )


def test_google_refuses_display_ads_missing_what_they_need():
    many = tuple(HERO for _ in range(15)) + (SQUARE,)
    problems = problems_of(
        "GOOGLE",
        data(
            "GOOGLE",
            ad(1, (HERO, TALL, TINY), headlines=(), descriptions=tuple("abcdef")),
            ad(2, many, long_headline="L", business_name="B", headlines=("h" * 31,)),
            objective="REACH",
        ),
    )
    assert problems == (
        "Ad 1: a responsive display ad takes 1 to 5 headlines; this one has 0 headlines.",
        "Ad 1: a responsive display ad takes 1 to 5 descriptions; this one has 6 descriptions.",
        "Ad 1: a responsive display ad needs a long headline.",
        "Ad 1: a responsive display ad needs the business name.",
        "Ad 1: tall.png fits neither image of a responsive display ad: A Google responsive "
        "display (landscape) image must be 1.91:1; this one is 9:16.",
        "Ad 1: tiny.png fits neither image of a responsive display ad: A Google responsive "
        "display (landscape) image must be 1.91:1; this one is 1:3. A Google responsive "
        "display (landscape) image must be at least 600×314 px; this one is 100×300 px.",
        "Ad 1: a responsive display ad needs at least one landscape (1.91:1) and one square "
        "(1:1) image; this one has 1 and 0.",
        "Ad 2: a responsive display ad takes at most 15 images; this one has 16.",
        "Ad 2: A Google responsive display (landscape) headline may have at most 30 "
        "characters; this one has 31.",
    )
    # Exactly 15 images, 5 headlines and 5 descriptions are taken.
    fifteen = tuple(HERO for _ in range(14)) + (SQUARE,)
    full = ad(1, fifteen, long_headline="L", business_name="B", headlines=tuple("abcde"),
              descriptions=tuple("abcde"))  # fmt: skip
    translate("GOOGLE", data("GOOGLE", full, objective="REACH"))


def test_google_ads_of_an_objective_it_cannot_take_report_only_the_objective():
    problems = problems_of("GOOGLE", data("GOOGLE", ad(1, (STORY,)), objective="VIDEO_VIEWS"))
    assert len(problems) == 1 and problems[0].startswith("Google Ads does not support")


def test_google_campaign_without_ads_has_no_ad_group():
    translation = translate("GOOGLE", data("GOOGLE"))
    # Nor the ads' reference pages among those the requests follow.
    assert not [doc for doc in translation.docs if "adGroup" in doc or "responsive" in doc]
    with_ads = translate("GOOGLE", data("GOOGLE", ad(1, (), headlines=("a", "b", "c"),
                                                  descriptions=("d", "e"))))  # fmt: skip
    assert with_ads.docs[-5:] == GoogleAdsTranslator.ad_docs
    assert [r.path.rsplit("/", 1)[1] for r in translation.requests] == [
        "campaignBudgets:mutate",
        "campaigns:mutate",
        "campaignCriteria:mutate",
    ]


# --- files in requests ---------------------------------------------------------------------------


def test_a_file_reads_as_what_it_stands_for_and_survives_copies():
    ref = FileRef("7/{odd}.png", "{odd}.png", "base64")
    assert ref == "<bytes of {odd}.png, base64>"
    assert str(FileRef("k.png", "k.png", "md5")) == "<MD5 of k.png>"
    for copied in (copy.deepcopy(ref), pickle.loads(pickle.dumps(ref))):
        assert isinstance(copied, FileRef) and (copied.key, copied.encoding) == (
            "7/{odd}.png",
            "base64",
        )
    with pytest.raises(ValueError):
        FileRef("k", "k.png", "hex")
    request = PlatformRequest("POST", "/{a}/upload", {"file": ref, "n": ["{b}"]}, "Upload.")
    # A file's name is not a placeholder, and filling leaves the file as it is.
    assert request.placeholders == ("a", "b")
    filled = request.filled({"a": "1", "b": "2", "odd": "x"})
    assert filled.body["file"] is ref and filled.body["n"] == ["2"]
    assert filled.multipart is False
    assert PlatformRequest("POST", "/u", {"f": [FileRef("k", "k", "part")]}, "U.").multipart


@pytest.mark.parametrize(
    ("objective", "placements", "kind", "runs_in"),
    [
        ("TRAFFIC", ("google_display_landscape",), "Search", "Google responsive search"),
        (
            "REACH",
            ("google_search",),
            "Display",
            "Google responsive display (landscape) or Google responsive display (square)",
        ),
    ],
)
def test_google_refuses_an_ad_meant_for_the_other_campaign_type(
    objective, placements, kind, runs_in
):
    """The campaign type follows the ticket's objective; an ad whose placements are all of
    the other type would go out as an ad its author did not make."""
    problems = problems_of(
        "GOOGLE", data("GOOGLE", ad(1, (), placements=placements), objective=objective)
    )
    assert problems == (
        f"Ad 1: the objective {objective} makes a {kind} campaign, whose ads run in {runs_in}; "
        "choose that placement for this ad, or traffic it on a ticket whose objective makes "
        "the other campaign type.",
    )
    # One placement of the campaign's own type among them is enough.
    mixed = placements + ("google_search", "google_display_square")
    assert not any(
        "makes a" in p
        for p in problems_of_or_none("GOOGLE", data("GOOGLE", ad(1, (), placements=mixed)))
    )


def problems_of_or_none(channel, translation_input) -> tuple[str, ...]:
    try:
        translate(channel, translation_input)
    except TranslationError as err:
        return tuple(err.problems)
    return ()
