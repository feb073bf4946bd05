"""Plausibility of a run, judged before it starts."""

from govsim.budget import MAX_SECONDS, duration, implausible, run_cost, size

GB = 10**9


def test_an_ordinary_year_is_plausible_even_at_the_largest_population():
    assert implausible(run_cost(365, 2_000_000, 40), memory=4 * GB) == []


def test_a_billion_days_is_implausible_for_time_and_memory():
    reasons = implausible(run_cost(10**9, 30_000, 30), memory=16 * GB)
    assert len(reasons) == 2
    assert reasons[0].startswith("at least ") and "of memory for its time series (this machine has 16 GB)" in reasons[0]
    assert reasons[1].startswith("at least ") and reasons[1].endswith("days")


def test_memory_alone_or_time_alone_is_enough():
    cost = run_cost(10**7, 50, 30)  # fast (tiny population) but 10^7 rows
    assert cost.seconds < MAX_SECONDS and cost.memory_bytes > 10 * GB
    assert len(implausible(cost, memory=16 * GB)) == 1
    slow = run_cost(3 * 10**6, 2_000_000, 1)  # few values a day, many residents
    assert slow.seconds > MAX_SECONDS and len(implausible(slow, memory=10**15)) == 1


def test_costs_grow_with_days_and_residents():
    assert run_cost(200, 1000, 30).seconds == 2 * run_cost(100, 1000, 30).seconds
    assert run_cost(100, 2000, 30).seconds > run_cost(100, 1000, 30).seconds
    assert run_cost(200, 1000, 30).memory_bytes == 2 * run_cost(100, 1000, 30).memory_bytes


def test_sizes_and_durations_read_in_words():
    assert size(512) == "512 bytes" and size(1.5e12) == "1.5 TB"
    assert duration(30) == "30 seconds" and duration(7200) == "2 hours" and duration(3 * 365.25 * 86400) == "3 years"
