"""The printed client report of a three-channel campaign, page by page: every page carries
more than the running header and page number (no page holds only the generation line),
and the last page ends with the sign-off and the generation line together.
"""

import re
import unicodedata

import pytest
from playwright.sync_api import Page, expect

from .test_client_report_flows import brand_the_agency
from .test_report_flows import make_report_campaign, print_pdf


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_no_printed_page_of_the_client_report_is_left_nearly_empty(
    page: Page, login, live_sql, tmp_path, paper
):
    login("admin")
    brand_the_agency(page, tmp_path)
    data = make_report_campaign(live_sql)
    page.goto(f"/campaigns/{data.campaign_id}/report")
    expect(page.get_by_role("heading", name=data.name, level=1)).to_be_visible()

    reader, texts = print_pdf(page, f"client-report-pages-{paper.lower()}", paper)
    # The PDF's fonts write "ff" as one ligature glyph: read it back as two letters.
    texts = [unicodedata.normalize("NFKC", text) for text in texts]

    pages = len(reader.pages)
    for number, text in enumerate(texts, 1):
        # What is left once the running header and the page number are taken away.
        body = [
            line
            for line in text.splitlines()
            if line.strip()
            and f"Page {number} of {pages}" not in line
            and data.brand_name not in line
        ]
        assert len(body) > 5, f"page {number} of {pages} holds only {body}"
    last = texts[-1]
    assert "Sign-off" in last
    assert re.search(r"Generated \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC by", last), last
