"""Coverage of the phase model's 95% intervals on 200 simulated series (see tests/coverage.py;
the 1,000-series run, with the known-scale intervals shown to fall short, is in make proof)."""

from tests.coverage import coverage


# 200 series: the binomial sd of a 95% coverage is 1.5 points; 91-99% is about +-2.6 sd
def test_intervals_hold_their_level_200_series() -> None:
    got = coverage(200)["carried"]
    assert all(0.91 <= v <= 0.99 for v in got.values()), got
