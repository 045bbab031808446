"""The page plan's estimates and its resume check, computed as before, faster
(runs/plan.py `_ems`, `common_prefix`): they run in the build's main process between
the rounds, while the workers wait for the next round's jobs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bulletin_press.runs import plan

TEXT = st.text(alphabet=st.sampled_from(
    [*"茅台路1045号停水咨询电话021-6238 1234转8012，。：“”（）Emily Chen\x7f\x7e\x80\u3000",
     "\u200b", "\u2060", "\ud800"]), max_size=60)


@given(TEXT)
def test_ems_counts_ascii_halves_as_before(text: str) -> None:
    ascii_count = sum(1 for c in text if c < "\x7f")  # the definition, character by character
    assert plan._ems(text) == len(text) - ascii_count / 2


@given(TEXT, TEXT, TEXT)
def test_common_prefix_is_where_two_texts_first_differ(start: str, a: str, b: str) -> None:
    one, two = start + a, start + b
    expected = next((i for i, (x, y) in enumerate(zip(one, two, strict=False)) if x != y),
                    min(len(one), len(two)))
    assert plan.common_prefix(one, two) == expected == plan.common_prefix(two, one)


def test_common_prefix_of_two_runs_html() -> None:
    before = ('<article id="article-water"><p>茅台路1045号一带12月9日8:00—20:00停水，'
              '咨询电话 021-6238 1234转8012。</p>')
    after = before + '<p class="gap-1">请居民提前储水。Emily Chen</p>'
    changed = before[:40] + "；" + before[41:]
    assert plan.common_prefix(before, after) == len(before)
    assert plan.common_prefix(before, changed) == 40
    assert plan.common_prefix("", after) == 0
    assert plan.common_prefix(before, before) == len(before)
