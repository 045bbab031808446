"""An article's foot (落款: issuer and date; a QR code) never stands alone at the
top of a column or a page: the last lines of the text go over with it
(`.article-foot { break-before: avoid }` in the layout). The outside tester's
冬季防火 story (newcomer s15 F1): its 落款 长风新村街道消防站 / 2027年1月8日 stood
alone at the top of page 6's left column, above the next article's headline;
here a story's balanced columns on its last page put its 落款 at the top of the
right column, beside the last paragraph's lines."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from bulletin_press.build.pipeline import Assembled, Built, build, build_runs

from .conftest import MakeIssue
from .test_colophon_alone import CANTEEN, HEAD, _paragraphs
from .test_page_plan import assert_paragraphs_once_in_order

pytestmark = pytest.mark.slow

ISSUER = "新泾镇社区事务受理服务中心"


def story_with_signature(make_issue: MakeIssue, paragraphs: int) -> Path:
    """A story filling page 1, the colophon alone on page 2 but for the last
    resort (`pages.last-lines-on`: its last paragraph goes on to page 2), whose
    balanced columns there end the paragraph at the foot of the left one: on main
    (e9a31df to 52e59c0, 10 to 15 paragraphs) the 落款 headed the right column,
    under the repeated headline or, with the text run on, at the page's top."""
    return make_issue(HEAD.format(number=5) + f"""\
  - id: canteen
    title: 社区食堂一个月：日均接待老人320人次
    body: |
{_paragraphs(CANTEEN, paragraphs)}
    signature:
      issuer: {ISSUER}
      date: 2027-02-25
""", name=f"signature-{paragraphs}")


def lines_above_the_signature(pdf: Path) -> list[int]:
    """For each 落款 issuer line: the body text's characters (10.5 pt: not the
    running head's 9 pt, nor a headline set across the page above the columns)
    above it in its column, on its page."""
    found = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            middle = page.width / 2
            for word in page.extract_words():
                if word["text"] != ISSUER:
                    continue
                left = word["x0"] < middle
                found.append(sum(1 for c in page.chars
                                 if 10 < c["size"] < 11 and (c["x0"] < middle) == left
                                 and 60 < c["top"] < word["top"] - 1))
    return found


@pytest.mark.parametrize("runs", [True, False], ids=["runs", "one-document"])
def test_a_signature_never_heads_a_column_alone(make_issue: MakeIssue, tmp_path: Path,
                                                runs: bool) -> None:
    folder = story_with_signature(make_issue, 12)
    built: Built | Assembled = build_runs(folder, store=False) if runs else build(folder)
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(built.pdf)
    above = lines_above_the_signature(pdf)
    assert len(above) == 1
    assert above[0] > 0, "the 落款 heads its column alone"
    assert_paragraphs_once_in_order(folder, pdf)
