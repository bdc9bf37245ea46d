"""`make bench-compare`'s arithmetic and report, without starting any server."""

from bench.compare import MEASURED, RATIOS, Ratio, parse_wrk, report

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8000/hello
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.21ms  310.00us   9.02ms   88.10%
    Req/Sec     3.30k   120.11     3.61k    71.00%
  32870 requests in 5.00s, 9.18MB read
Requests/sec:   6573.41
Transfer/sec:      1.84MB
"""

RPS = {
    "hello": 6000.0,
    "floor": 3000.0,
    "preview": 3000.0,
    "list": 500.0,
    "page1": 600.0,
    "page900": 300.0,
    "admin": 50.0,
    "poll": 1200.0,
}


def test_wrk_output_gives_requests_per_second_and_no_errors():
    assert parse_wrk(WRK_OUTPUT) == (6573.41, 0)


def test_wrk_errors_and_timeouts_are_counted():
    output = WRK_OUTPUT.replace(
        "Requests/sec:",
        "  Socket errors: connect 0, read 0, write 0, timeout 3\n"
        "  Non-2xx or 3xx responses: 12\nRequests/sec:",
    )
    assert parse_wrk(output) == (6573.41, 15)


def test_ratios_divide_the_right_throughputs():
    values = {ratio.over + "/" + ratio.under: ratio.value(RPS) for ratio in RATIOS}
    assert values == {
        "preview/hello": 0.5,
        "list/admin": 10.0,
        "page1/page900": 2.0,  # page 900 takes twice page 1's time
        "poll/hello": 0.2,
    }


def test_a_target_is_met_from_the_right_side():
    at_least = Ratio("x", "a", "b", 0.4)
    at_most = Ratio("y", "a", "b", 1.5, at_most=True)
    assert at_least.met(0.4) and not at_least.met(0.39)
    assert at_most.met(1.5) and not at_most.met(1.51)
    assert not at_least.met(None) and not at_most.met(None)


def test_a_missing_or_zero_measurement_gives_no_ratio():
    ratio = RATIOS[0]
    assert ratio.value({"preview": 10.0}) is None
    assert ratio.value({"preview": 10.0, "hello": 0.0}) is None


def test_the_report_shows_each_figure_and_each_ratio_against_its_target():
    text = report("SQLite", RPS | {"poll": 0.0}, "1.00 2.00 3.00")
    lines = text.splitlines()
    assert lines[0] == "== SQLite == (load average 1.00 2.00 3.00)"
    for key, label in MEASURED.items():
        row = next(line for line in lines if line.strip().startswith(label))
        assert row.split()[-1] == ("-" if key == "poll" else f"{RPS[key]:.1f}")
    rows = {r.label: next(line for line in lines if r.label in line).split() for r in RATIOS}
    assert rows[RATIOS[0].label][-4:] == ["0.50", ">=", "0.4", "yes"]
    assert rows[RATIOS[1].label][-4:] == ["10.00", ">=", "5", "yes"]
    assert rows[RATIOS[2].label][-4:] == ["2.00", "<=", "1.5", "NO"]
    assert rows[RATIOS[3].label][-4:] == ["-", ">=", "0.5", "NO"]
