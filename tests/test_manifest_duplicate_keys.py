"""A field written twice in one mapping of issue.yaml: YAML keeps the second value and
drops the first without a word. An editor who adds a photo under an article's text with
a second `photos:` loses the photos above it; a colophon with two `phone:` lines prints
one. Each is an error at the second one's line, naming the first."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_press.diagnostics import BuildError
from bulletin_press.manifest.load import load_issue

from .test_cli import run

MANIFEST = """\
newsletter: 新泾社区报
publisher: 长宁区新泾镇人民政府
issue: {number: 1, volume: 312, date: 2027-01-01}
colophon:
  office: 《新泾社区报》编辑部
  phone: 021-6238 5000
  phone: 021-6238 5001
articles:
  - id: 镜头里的新泾
    title: 镜头里的新泾2026
    photos:
      - {file: images/a.jpg, caption: 1月 新泾五村的老人们写春联、送福字}
      - {file: images/b.jpg, caption: 3月 绿道樱花林下的周末}
    body: |
      一年又一年，镜头记录下新泾的点点滴滴。
    photos:
      - {file: images/c.jpg, caption: 12月 绿道夜景，太阳能路灯亮起来了}
  - id: 寻物启事
    kind: notice
    title: 寻物启事
    body: |
      本人于2026年12月18日下午在淞虹路地铁站遗失黑色双肩包一个，请联系139 1623 8875。
    signature: {issuer: 王建华, date: 2026-12-19, issuer: 王先生}
"""


@pytest.fixture
def issue(tmp_path: Path) -> Path:
    from PIL import Image

    folder = tmp_path / "2027-01"
    (folder / "images").mkdir(parents=True)
    for name in "abc":
        Image.new("RGB", (1600, 1200), (90, 120, 170)).save(folder / "images" / f"{name}.jpg")
    (folder / "issue.yaml").write_text(MANIFEST, encoding="utf-8")
    return folder


def test_a_field_written_twice_is_an_error_at_its_second_line(issue: Path) -> None:
    with pytest.raises(BuildError) as caught:
        load_issue(issue)
    twice = [d for d in caught.value.diagnostics if d.code == "manifest.duplicate-key"]
    assert [(d.location.line, d.location.column) for d in twice] == [(7, 3), (16, 5), (23, 48)]
    assert "'photos' is written twice here (lines 11 and 16)" in twice[1].message
    assert "'issuer'" in twice[2].message


def test_validate_names_it_in_chinese(issue: Path) -> None:
    result = run("validate", str(issue), "--lang", "zh")
    assert result.returncode == 1
    assert "issue.yaml:16:5：错误：" in result.stderr + result.stdout
    assert "“photos”在这里写了两次（第11行和第16行）" in result.stderr + result.stdout
