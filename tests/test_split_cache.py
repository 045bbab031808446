"""Text measurement kept (typeset/ext/split_cache.py): the same PDF, byte for byte,
with and without the table; a key that leaves out a property the split reads
gives a wrong PDF (and the property test finds it); the table is bounded."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
import weasyprint

from bulletin_press.typeset import gate
from bulletin_press.typeset.ext import line_fit, split_cache

gate.install()

# Real-looking material: Han with Latin, digits, a phone number and an address,
# the same words set in styles that measure differently, balanced headlines in
# columns (laid out again in every balancing trial), running heads on every page.
TEXT = ("新泾镇社区事务受理服务中心（哈密路1955号）自2024年3月1日起试行延时服务，"
        "咨询电话021-62205960转8012，详见https://www.shcn.gov.cn/xinjing。")
ENGLISH = ("The Smart Community pilot connects WiFi 6 smoke detectors and neighbourhood "
           "volunteers across twelve estates in Changning district. ")

HTML = """<style>
  @page {{ size: 120mm 110mm; margin: 14mm 10mm;
    @top-center {{ content: "新泾通讯 2024年第7期"; font: 9px sans-serif; }}
    @bottom-center {{ content: counter(page); font: 9px sans-serif; }} }}
  body {{ font: 12px/16px "Noto Serif CJK SC"; --bp-autospace: 0.25; }}
  .c {{ columns: 2; column-gap: 12px; column-fill: balance; }}
  p {{ margin: 0; text-align: justify; }}
  h3 {{ font: bold 14px/20px "Noto Sans CJK SC"; margin: 8px 0 0; --bp-balance: 1;
        text-align: left; }}
  .wide {{ letter-spacing: 1.5px; }}
  .words {{ word-spacing: 4px; }}
  .bold {{ font-weight: bold; }}
  .under {{ text-decoration: underline; }}
  .en {{ hyphens: auto; text-align: left; }}
  .any {{ overflow-wrap: anywhere; }}
  .pre {{ white-space: pre-wrap; tab-size: 3; }}
</style>{body}"""


def _body() -> str:
    parts = []
    for n in range(3):
        parts.append(
            f'<div class="c"><h3>新泾镇第二十届人民代表大会第{n + 1}次会议顺利召开</h3>'
            f"<p>{TEXT * (2 + n)}</p><p class='wide'>{TEXT}</p><p class='words'>{TEXT}</p>"
            f"<p class='bold'>{TEXT}</p><p class='under'>{TEXT}</p>"
            f'<p class="en" lang="en">{ENGLISH * 2}</p><p class="any">{TEXT}</p>'
            f'<p class="pre">地址：\t哈密路1955号\t电话：021-62205960</p></div>')
    return "".join(parts)


def _pdf(html: str) -> bytes:
    pdf: bytes = weasyprint.HTML(string=html).write_pdf(uncompressed_pdf=True)
    return pdf


def _without_table(html: str) -> bytes:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(split_cache.Switch, "on", False)
        return _pdf(html)


def test_the_bytes_with_and_without_the_table() -> None:
    html = HTML.format(body=_body())
    kept = split_cache.Counts.kept
    ours = _pdf(html)
    assert split_cache.Counts.kept > kept  # answers were taken from the table
    assert ours.count(b"/Type /Page/") >= 3
    assert ours == _without_table(html)


class _Recording:
    """A style that notes every property read through it."""

    def __init__(self, style: Any, read: set[str]) -> None:
        self._style, self._read = style, read

    def __getitem__(self, name: str) -> Any:
        self._read.add(name)
        return self._style[name]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._style, name)


def test_every_property_a_split_reads_is_in_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """When WeasyPrint (or cjk_autospace) reads another property while splitting,
    the key must hold it, or the table could answer for a different style."""
    read: set[str] = set()
    original = line_fit._original_split

    def recording(text: str, style: Any, *args: Any) -> Any:
        return original(text, _Recording(style, read), *args)

    monkeypatch.setattr(line_fit, "_original_split", recording)
    monkeypatch.setattr(split_cache.Switch, "on", False)  # every split measured
    _pdf(HTML.format(body=_body()))
    assert {"font_size", "letter_spacing", "hyphens", split_cache.CUSTOM[0]} <= read
    assert read <= set(split_cache.READ) | set(split_cache.CUSTOM)


def test_a_key_without_a_property_gives_a_wrong_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same text at the same width, once letter-spaced: with letter spacing left
    out of the key, the spaced paragraph gets the plain one's lines (stale), and
    the PDF is not the measured one."""
    html = HTML.format(body=f"<p>{TEXT * 3}</p><p class='wide'>{TEXT * 3}</p>")
    measured = _without_table(html)
    assert _pdf(html) == measured
    monkeypatch.setattr(split_cache, "READ",
                        tuple(n for n in split_cache.READ if n != "letter_spacing"))
    assert _pdf(html) != measured


def _style(size: float) -> Any:
    values = {name: "normal" for name in split_cache.READ}
    values["font_size"] = size
    style = SimpleNamespace(font_config=SimpleNamespace())
    return type("Style", (dict,), {"font_config": style.font_config})(values)


def test_the_table_is_bounded_and_hands_out_copies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(split_cache, "LIMIT", 5)
    style = _style(12.0)
    made: list[str] = []

    def original(text: str, *args: Any) -> Any:
        made.append(text)
        return (SimpleNamespace(text=text), len(text), None, 10.0, 16.0, 12.0)

    for n in range(8):
        split_cache.split(original, f"第{n}行", style, None, 100.0, 0.0)
    table = style.font_config.bp_splits
    assert len(table) == 5 and len(made) == 8
    first = split_cache.split(original, "第7行", style, None, 100.0, 0.0)
    again = split_cache.split(original, "第7行", style, None, 100.0, 0.0)
    assert len(made) == 8  # answered from the table
    assert first[0] is not again[0] and first[0].text == again[0].text == "第7行"
    first[0].text = "changed when drawn"
    assert split_cache.split(original, "第7行", style, None, 100.0, 0.0)[0].text == "第7行"
    split_cache.split(original, "第0行", style, None, 100.0, 0.0)  # the oldest: gone
    assert len(made) == 9
    # A different width, size or flag is another question.
    split_cache.split(original, "第7行", style, None, 99.0, 0.0)
    split_cache.split(original, "第7行", _style(13.0), None, 100.0, 0.0)
    split_cache.split(original, "第7行", style, None, 100.0, 0.0, is_line_start=False)
    assert len(made) == 12


def _font_file() -> str:
    """A font unlike the fallback serif: its Latin is wider."""
    import subprocess

    found = subprocess.run(["fc-match", "-f", "%{file}", "DejaVu Sans"], check=True,
                           capture_output=True, text=True).stdout
    assert found, "fc-match found no font"
    return found


def test_a_shared_font_configuration_drops_answers_when_fonts_come(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Where documents share a font configuration (a worker's), the second document
    brings an @font-face font for a family the first measured with the fallback:
    its lines are measured again (the PDF is the one measured without the table),
    and with the fonts not looked at, the first document's answers come back."""
    from weasyprint.text.fonts import FontConfiguration

    style = "p { font: 12px/16px 'BP Face', 'Noto Serif CJK SC'; width: 60mm; }"
    face = f"@font-face {{ font-family: 'BP Face'; src: url('file://{_font_file()}'); }}"
    first = HTML.format(body=f"<style>{style}</style><p>{ENGLISH * 3}</p>")
    second = HTML.format(body=f"<style>{face}{style}</style><p>{ENGLISH * 3}</p>")

    def both() -> bytes:
        config = FontConfiguration()
        weasyprint.HTML(string=first).write_pdf(font_config=config)
        pdf: bytes = weasyprint.HTML(string=second).write_pdf(
            uncompressed_pdf=True, font_config=config)
        return pdf

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(split_cache.Switch, "on", False)
        measured = both()
    assert both() == measured
    monkeypatch.setattr(split_cache, "_faces", lambda config: ())
    assert both() != measured
