"""Messages a person reads, in the person's language.

Every such message is written in English in the code and wrapped in `_()`;
the catalogs that translate them are filled by the editor-language work
(issue 16). Until a catalog is installed, `_()` returns the English text.
"""

from __future__ import annotations


def _(message: str) -> str:
    """The translation of `message` in the chosen language (English as written)."""
    return message
