"""Each placement's creative specs, checked against creatives of known sizes.

Figures and their sources (also cited beside the data in services/creative_specs.py):
- Meta Feed: https://www.facebook.com/business/ads-guide/image/facebook-feed
  (1.91:1 to 4:5, 3 % tolerance, at least 600 x 600, 30 MB; text cut at 125/40/30)
- Meta Stories: https://www.facebook.com/business/ads-guide/image/facebook-story
  (9:16, 1 % tolerance, at least 500 px wide, 30 MB)
- Meta Reels: https://www.facebook.com/business/ads-guide/video/facebook-reels
  (video, 9:16, at least 500 x 888, up to 15 minutes, 4 GB)
- TikTok in-feed: https://ads.tiktok.com/help/article/video-ads-specifications
  (video, 9:16 >= 540x960, 1:1 >= 640x640, 16:9 >= 960x540, 5-60 s, 500 MB)
- Google responsive display:
  https://developers.google.com/google-ads/api/reference/rpc/v20/ResponsiveDisplayAdInfo
  (1.91:1 +-1 % >= 600x314; 1:1 +-1 % >= 300x300; GIF, JPEG, PNG) and
  https://support.google.com/google-ads/answer/17090561 (headline 30, long headline 90,
  description 90, business name 25)
- Google responsive search: https://support.google.com/google-ads/answer/7684791
  (headline 30, description 90, path 15)
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from omnitraffick.models import CreativeKind
from omnitraffick.services import creative_specs as specs

MB = 1024 * 1024


@dataclass
class Made:
    kind: CreativeKind
    mime_type: str
    width: int
    height: int
    size_bytes: int = 200_000
    duration_seconds: Decimal | None = None


def image(width, height, mime="image/jpeg", size=200_000):
    return Made(CreativeKind.IMAGE, mime, width, height, size)


def video(width, height, seconds, mime="video/mp4", size=5 * MB):
    return Made(CreativeKind.VIDEO, mime, width, height, size, Decimal(str(seconds)))


def problems(creative, key):
    return specs.check(creative, specs.BY_KEY[key])


def test_every_placement_cites_its_source():
    for placement in specs.PLACEMENTS:
        assert placement.source.startswith("https://"), placement.key
        if placement.text:
            assert (placement.text_source or "").startswith("https://"), placement.key


def test_a_square_image_is_refused_for_stories_in_words():
    assert problems(image(1080, 1080), "meta_stories") == [
        "A Meta Stories image must be 9:16; this one is 1:1."
    ]


def test_stories_ratio_tolerance_is_one_percent():
    assert problems(image(1080, 1920), "meta_stories") == []
    assert problems(image(1080, 1910), "meta_stories") == []  # 0.5654 vs 0.5625: within 1 %
    assert problems(image(1080, 1900), "meta_stories") == [  # 0.5684: just past 1 %
        "A Meta Stories image must be 9:16; this one is 1:1.76."
    ]
    assert problems(image(1080, 1850), "meta_stories") == [
        "A Meta Stories image must be 9:16; this one is 1:1.71."
    ]
    assert problems(image(450, 800), "meta_stories") == [
        "A Meta Stories image must be at least 500 px wide; this one is 450×800 px."
    ]


def test_feed_takes_a_range_of_ratios_with_three_percent_tolerance():
    for size in ((1200, 628), (1080, 1080), (1080, 1350), (1080, 1390)):
        assert problems(image(*size), "meta_feed") == [], size
    assert problems(image(1080, 1920), "meta_feed") == [
        "A Meta Feed image must be between 1.91:1 and 4:5; this one is 9:16."
    ]
    assert problems(image(500, 500), "meta_feed") == [
        "A Meta Feed image must be at least 600×600 px; this one is 500×500 px."
    ]


def test_every_mismatch_is_reported_at_once():
    big_gif = image(400, 400, mime="image/gif", size=31 * MB)
    assert problems(big_gif, "meta_stories") == [
        "A Meta Stories image must be JPG or PNG; this one is GIF.",
        "A Meta Stories image must be 9:16; this one is 1:1.",
        "A Meta Stories image must be at least 500 px wide; this one is 400×400 px.",
        "A Meta Stories image may be at most 30 MB; this one is 31 MB.",
    ]


def test_tiktok_takes_three_ratios_each_with_its_own_minimum():
    assert problems(video(1080, 1920, 15), "tiktok_in_feed") == []
    assert problems(video(640, 640, 15), "tiktok_in_feed") == []
    assert problems(video(1920, 1080, 15), "tiktok_in_feed") == []
    assert problems(video(360, 640, 15), "tiktok_in_feed") == [
        "A 9:16 TikTok in-feed video must be at least 540×960 px; this one is 360×640 px."
    ]
    assert problems(video(1440, 1080, 15), "tiktok_in_feed") == [
        "A TikTok in-feed video must be 9:16, 1:1 or 16:9; this one is 4:3."
    ]


def test_tiktok_durations_and_sizes():
    assert problems(video(1080, 1920, 3.2), "tiktok_in_feed") == [
        "A TikTok in-feed video must last at least 5 seconds; this one lasts 3.2 seconds."
    ]
    assert problems(video(1080, 1920, 61, size=501 * MB), "tiktok_in_feed") == [
        "A TikTok in-feed video may be at most 500 MB; this one is 501 MB.",
        "A TikTok in-feed video may last at most 60 seconds; this one lasts 61 seconds.",
    ]
    assert problems(image(1080, 1920), "tiktok_in_feed") == [
        "TikTok in-feed ads take videos only; this one is an image."
    ]


def test_reels_take_videos_only_and_at_most_fifteen_minutes():
    assert problems(video(1080, 1920, 15 * 60), "meta_reels") == []
    assert problems(video(1080, 1920, 15 * 60 + 1), "meta_reels") == [
        "A Meta Reels video may last at most 15 minutes; this one lasts 901 seconds."
    ]
    assert problems(image(1080, 1920), "meta_reels") == [
        "Meta Reels ads take videos only; this one is an image."
    ]


@pytest.mark.parametrize(
    ("size", "landscape", "square"),
    [
        (
            (1200, 628),
            [],
            ["A Google responsive display (square) image must be 1:1; this one is 1.91:1."],
        ),
        (
            (600, 314),
            [],
            ["A Google responsive display (square) image must be 1:1; this one is 1.91:1."],
        ),
        (
            (300, 300),
            [
                "A Google responsive display (landscape) image must be 1.91:1; this one is 1:1.",
                "A Google responsive display (landscape) image must be at least 600×314 px; "
                "this one is 300×300 px.",
            ],
            [],
        ),
        (
            (573, 300),
            [
                "A Google responsive display (landscape) image must be at least 600×314 px; "
                "this one is 573×300 px."
            ],
            ["A Google responsive display (square) image must be 1:1; this one is 1.91:1."],
        ),
    ],
)
def test_google_display_images(size, landscape, square):
    png = image(*size, mime="image/png")
    assert problems(png, "google_display_landscape") == landscape
    assert problems(png, "google_display_square") == square


def test_responsive_search_ads_take_no_media():
    assert problems(image(1200, 628), "google_search") == [
        "Google responsive search ads are text only: they take no image or video."
    ]
    assert [fit.placement.key for fit in specs.fits(image(1200, 628))] == [
        "meta_feed",
        "meta_stories",
        "meta_reels",
        "tiktok_in_feed",
        "google_display_landscape",
        "google_display_square",
    ]


def test_text_limits_hard_and_soft():
    search = specs.BY_KEY["google_search"]
    assert specs.check_text(search, {"headline": "x" * 30, "description": "y" * 90}) == []
    assert specs.check_text(search, {"headline": "x" * 31, "path": "p" * 16}) == [
        "A Google responsive search headline may have at most 30 characters; this one has 31.",
        "A Google responsive search display path may have at most 15 characters; this one has 16.",
    ]
    feed = specs.BY_KEY["meta_feed"]
    assert specs.check_text(feed, {"primary_text": "z" * 126}) == [
        "A Meta Feed primary text is cut off after 125 characters; this one has 126."
    ]
    assert specs.check_text(specs.BY_KEY["meta_reels"], {"primary_text": "z" * 73}) == [
        "A Meta Reels primary text is cut off after 72 characters; this one has 73."
    ]
