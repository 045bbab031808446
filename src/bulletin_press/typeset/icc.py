"""The ICC profiles WeasyPrint ships, found as files (without importing
WeasyPrint: 0.4 s), for the stages after typesetting that need one."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def srgb_profile() -> bytes:
    """The sRGB profile WeasyPrint writes into its PDF/A and PDF/X output."""
    spec = importlib.util.find_spec("weasyprint")
    assert spec is not None and spec.origin is not None
    return (Path(spec.origin).parent / "pdf" / "sRGB2014.icc").read_bytes()
