"""Every message a person reads, in the editor's language: Simplified Chinese
when the locale is Chinese, English otherwise.

The English text in the code is the message id (`_("photo '{name}' …")`, then
`.format()`); the Chinese is in a gettext catalog, `locale/zh_CN/LC_MESSAGES/
bulletin_press.po`, extracted and updated with Babel (see CONTRIBUTING.md).
The compiled `.mo` is not kept in git: `scripts/setup.sh` compiles it, and the
first message after the `.po` changed compiles it again (in memory, and to the
file when the folder is writable).

The language is looked up at every call, so a command's `--lang` (which sets
`BULLETIN_PRESS_LANG`, inherited by worker processes) applies to all messages
made after it. Text made at import time (click's option help) is translated
again when the help is shown (commands/cli.py).
"""

from __future__ import annotations

import functools
import gettext
import io
import os
import sys
from pathlib import Path
from typing import Literal

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")
DOMAIN = "bulletin_press"
LOCALE_DIR = Path(__file__).parent / "locale"
ENV = "BULLETIN_PRESS_LANG"  # set by --lang; wins over the locale
_LOCALE_NAMES = {"zh": "zh_CN", "en": "en"}


def language() -> Language:
    """`BULLETIN_PRESS_LANG`, else the locale (POSIX order: LC_ALL, LC_MESSAGES, LANG):
    Chinese when it starts with `zh`."""
    chosen = os.environ.get(ENV, "")
    if chosen in LANGUAGES:
        return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def set_language(value: str) -> None:
    """Choose the language for this process and the processes it starts."""
    if value not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {value!r}")
    os.environ[ENV] = value
    os.environ["LANGUAGE"] = _LOCALE_NAMES[value]  # for gettext's global functions


def use_for_gettext_globals() -> None:
    """Point gettext's global functions at our catalog, for the libraries that call them
    (click: "Usage:", "Error: …"). For the program's own process only (entry.py)."""
    set_language(language())
    if language() != "en":
        _fresh_mo(language())  # gettext reads the .mo file itself
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)


def catalog_paths(lang: Language = "zh") -> tuple[Path, Path]:
    """The `.po` source and the compiled `.mo` of a language."""
    folder = LOCALE_DIR / _LOCALE_NAMES[lang] / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


def compile_catalog(po: Path) -> bytes:
    """The `.mo` bytes of a `.po` file (Babel; fuzzy entries left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, domain=DOMAIN)
    for message in list(catalog)[1:]:  # an untranslated plural would print as ""
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            del catalog[message.id]
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def _fresh_mo(lang: Language) -> bytes | None:
    po, mo = catalog_paths(lang)
    if not po.is_file():
        return None
    try:
        if mo.stat().st_mtime_ns >= po.stat().st_mtime_ns:
            return mo.read_bytes()
    except OSError:
        pass
    data = compile_catalog(po)
    try:  # best effort: an installed package's folder may be read-only
        temp = mo.with_name(f".{mo.name}.{os.getpid()}")
        temp.write_bytes(data)
        temp.replace(mo)
    except OSError:
        pass
    return data


@functools.cache
def translations(lang: Language) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    data = _fresh_mo(lang)
    return gettext.GNUTranslations(io.BytesIO(data)) if data else gettext.NullTranslations()


def _(message: str) -> str:
    """`message` (English, the id) in the current language."""
    return translations(language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form for `count` ("1 error", "2 errors"), in the current language."""
    return translations(language()).ngettext(singular, plural, count)


def N_(message: str) -> str:  # the gettext convention for "mark only"
    """Mark `message` for extraction only; translate it with `_()` when it is shown."""
    return message


def code_messages() -> set[str]:
    """Every message id in the package's code: what `scripts/messages.sh` extracts."""
    from babel.messages.extract import extract_from_dir

    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(Path(__file__).parent)):
        found.update([message] if isinstance(message, str) else message[:1])
    return found


def untranslated(lang: Language = "zh") -> list[str]:
    """Message ids of the code that the language's catalog does not translate (missing,
    empty or fuzzy), sorted."""
    from babel.messages.pofile import read_po

    po, _mo = catalog_paths(lang)
    with po.open("rb") as handle:
        catalog = read_po(handle)
    done: set[str] = set()
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and not message.fuzzy and all(strings):
            done.add(message.id if isinstance(message.id, str) else message.id[0])
    return sorted(code_messages() - done)


def compile_all() -> None:
    """Write each language's `.mo` from its `.po` (scripts/setup.sh)."""
    for lang in LANGUAGES:
        po, mo = catalog_paths(lang)
        if po.is_file():
            mo.write_bytes(compile_catalog(po))


if __name__ == "__main__" and sys.argv[1:] == ["--compile"]:
    compile_all()
elif __name__ == "__main__":  # scripts/messages.sh: what is left to translate
    gaps = untranslated()
    for gap in gaps:
        print(f"untranslated: {gap}")
    print(f"{len(gaps)} messages to translate in {catalog_paths()[0]}")
