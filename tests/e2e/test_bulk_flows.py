"""Bulk work in the browser: pasting 200 spreadsheet rows into the import, and choosing cards
on the board (shift-click ranges, select all) for one action with an outcome per ticket."""

import uuid
from collections.abc import Callable
from datetime import date

from playwright.sync_api import Page, expect

from .test_board_flows import _sql_time, card, make_board, open_board


def reference_rows(live_sql: Callable[..., list[tuple]]) -> tuple[str, str, str]:
    """A brand, market and channel with fresh codes: (brand, market, channel) codes."""
    suffix = uuid.uuid4().hex[:6].upper()
    brand, market, channel = f"I{suffix}", f"N{suffix}", f"K{suffix}"
    now = _sql_time()
    live_sql(
        "INSERT INTO brands (id, name, internal_code, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (uuid.uuid4().hex, f"Import Brand {suffix}", brand, now, now),
    )
    live_sql(
        "INSERT INTO markets (id, code, country, region, currency, time_zone, created_at,"
        " updated_at) VALUES (?, ?, 'US', 'NA', 'USD', 'America/New_York', ?, ?)",
        (uuid.uuid4().hex, market, now, now),
    )
    live_sql(
        "INSERT INTO channels (id, platform_name, api_identifier, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (uuid.uuid4().hex, f"Import Channel {suffix}", channel, now, now),
    )
    return brand, market, channel


def pasted(brand: str, market: str, channel: str, *, broken: bool) -> str:
    """200 rows as a spreadsheet copies them (tab-separated); `broken`: row 4 names an
    unknown market and row 5 has a date that does not exist."""
    year = date.today().year
    lines = ["brand\tmarket\tyear\tcampaign_name\tbudget\tchannel\tbudget_type\tflight_start"]
    for n in range(200):
        lines.append(f"{brand}\t{market}\t{year}\tLaunch {n}\t1000\t{channel}\tDAILY\t{year}-03-01")
    if broken:
        lines[4] = lines[4].replace(f"\t{market}\t", "\tNOWHERE\t")
        lines[5] = lines[5].replace(f"{year}-03-01", f"{year}-02-30")
    return "\n".join(lines) + "\n"


def dry_run(page: Page, text: str, *, skip: bool) -> None:
    page.get_by_label("Paste cells").fill(text)
    if skip:
        page.get_by_label("Skip them").check()
    page.get_by_role("button", name="Dry run").click()
    expect(
        page.get_by_role("heading", name="Dry run: nothing has been written yet")
    ).to_be_visible()


def counts(page: Page) -> tuple[str, str, str]:
    return tuple(page.locator(f"#count-{o}").inner_text() for o in ("create", "exists", "error"))


def test_paste_200_rows_dry_run_import_and_import_again(login, live_sql, screenshot):
    page = login("admin")
    brand, market, channel = reference_rows(live_sql)
    year = date.today().year
    # Row 2 duplicates a campaign that already exists (the name, in another case).
    login_page_campaign = f"{brand}_{market}_MULTI_{year}_LAUNCH0"
    now = _sql_time()
    (brand_id,) = live_sql("SELECT id FROM brands WHERE internal_code = ?", (brand,))[0]
    (market_id,) = live_sql("SELECT id FROM markets WHERE code = ?", (market,))[0]
    live_sql(
        "INSERT INTO campaigns (id, name, campaign_name, brand_id, market_id, year, budget,"
        " status, created_at, updated_at) VALUES (?, ?, 'LAUNCH0', ?, ?, ?, 5, 'DRAFT', ?, ?)",
        (uuid.uuid4().hex, login_page_campaign, brand_id, market_id, year, now, now),
    )

    page.goto("/campaigns/")
    page.get_by_role("button", name="Import from a spreadsheet").click()
    expect(page.get_by_text("At most 10,000 rows and 8 MB per import.")).to_be_visible()
    dry_run(page, pasted(brand, market, channel, broken=True), skip=True)
    assert counts(page) == ("197", "1", "2")
    expect(page.locator("tr[data-row='2'] .outcome")).to_have_text("exists")
    expect(page.locator("tr[data-row='5']")).to_contain_text("No market has the code 'NOWHERE'")
    expect(page.locator("tr[data-row='6']")).to_contain_text("Flight start must be a date")
    screenshot(page, "import-dry-run")
    assert live_sql("SELECT count(*) FROM campaigns WHERE brand_id = ?", (brand_id,)) == [(1,)]

    page.get_by_role("button", name="Import 197 campaigns").click()
    expect(page.get_by_role("heading", name="Imported 197 campaigns")).to_be_visible()
    expect(page.get_by_role("button", name="Download the 2 error rows as CSV")).to_be_visible()
    screenshot(page, "import-done")
    assert live_sql("SELECT count(*) FROM campaigns WHERE brand_id = ?", (brand_id,)) == [(198,)]
    page.get_by_role(
        "link", name=f"{brand}_{market}_MULTI_{year}_Launch1", exact=True
    ).first.click()
    expect(
        page.get_by_role("heading", name=f"{brand}_{market}_MULTI_{year}_Launch1")
    ).to_be_visible()

    # The two rows fixed, the whole sheet again: the rest is there already.
    page.goto("/imports/campaigns")
    fixed = pasted(brand, market, channel, broken=False)
    dry_run(page, fixed, skip=False)
    assert counts(page) == ("2", "198", "0")
    page.get_by_role("button", name="Import 2 campaigns").click()
    expect(page.get_by_role("heading", name="Imported 2 campaigns")).to_be_visible()
    page.goto("/imports/campaigns")
    dry_run(page, fixed, skip=False)
    assert counts(page) == ("0", "200", "0")
    expect(page.get_by_role("button", name="Import", exact=False)).to_have_count(0)


def test_choose_cards_on_the_board_and_move_them_to_qa(login, live_sql, screenshot):
    page = login("admin")
    board = make_board(live_sql, *["DRAFT"] * 6, "TRAFFICKED_SUCCESS")
    open_board(page, board)
    ids = board.ticket_ids
    boxes = [card(page, t).locator("input.card-select") for t in ids]
    boxes[0].check()
    boxes[3].click(modifiers=["Shift"])  # the range: the first four cards
    boxes[6].check()  # a finished ticket, which cannot move
    expect(page.locator("[data-bulk-count]")).to_have_text("5")
    for box in boxes[:4]:
        expect(box).to_be_checked()
    expect(boxes[4]).not_to_be_checked()
    page.locator("#bulk-form select[name=action]").select_option("move")
    page.locator("#bulk-form select[name=to_status]").select_option("QA_TESTING")
    screenshot(page, "board-multi-select")
    page.get_by_role("button", name="Apply").click()

    expect(page.get_by_role("heading", name="Move to QA testing")).to_be_visible()
    expect(page.locator("#bulk-done")).to_have_text("4")
    expect(page.locator("#bulk-refused")).to_have_text("1")
    rows = page.locator("table.bulk-results tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.nth(0)).to_contain_text("Moved: Draft → QA failed.")
    expect(rows.nth(4)).to_contain_text("cannot move to QA testing")
    screenshot(page, "board-bulk-result")
    statuses = [live_sql("SELECT status FROM tickets WHERE id = ?", (t,))[0][0] for t in ids]
    assert statuses == ["QA_FAILED"] * 4 + ["DRAFT"] * 2 + ["TRAFFICKED_SUCCESS"]

    # Back on the board: every draft left, through "select all matching".
    page.get_by_role("link", name="Back").first.click()
    expect(page.locator(".filter-chip")).to_contain_text(board.campaign_name)
    page.get_by_label("Select all 7 matching these filters").check()
    expect(page.locator("[data-bulk-count]")).to_have_text("7")
    page.locator("#bulk-form select[name=action]").select_option("delete")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#bulk-done")).to_have_text("2")
    expect(page.locator("#bulk-refused")).to_have_text("5")
    left = live_sql("SELECT count(*) FROM tickets WHERE campaign_id = ?", (board.campaign_id.hex,))
    assert left == [(5,)]


def test_a_campaign_gets_tickets_for_three_channels_in_one_step(login, live_sql, screenshot):
    page = login("admin")
    board = make_board(live_sql)
    channels = [reference_rows(live_sql)[2] for _ in range(3)]
    page.goto(f"/campaigns/{board.campaign_id}")
    page.get_by_role("button", name="Tickets for several channels").click()
    for code in channels:
        page.locator("label", has_text=code).locator("input[type=checkbox]").check()
    page.get_by_label("Split the budget").select_option("percent")
    for code, share in zip(channels, ("50", "30", "20"), strict=True):
        name = live_sql("SELECT platform_name FROM channels WHERE api_identifier = ?", (code,))
        page.get_by_label(f"Percentage for {name[0][0]}").fill(share)
    page.get_by_label("Objective").select_option("AWARENESS")
    page.get_by_label("Budget type").select_option("LIFETIME")
    screenshot(page, "channel-tickets")
    page.get_by_role("button", name="Open the tickets").click()
    expect(page.get_by_text("3 Draft tickets opened")).to_be_visible()
    amounts = live_sql(
        "SELECT json_extract(payload_config, '$.budget_amount') FROM tickets"
        " WHERE campaign_id = ? ORDER BY 1",
        (board.campaign_id.hex,),
    )
    assert [a for (a,) in amounts] == ["200.00", "300.00", "500.00"]
