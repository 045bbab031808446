"""The WeasyPrint extensions, each installed by typeset/gate.py's `install()`.

Each module here looks up WeasyPrint internals when it is imported; importing
this package checks WeasyPrint's version first, so none of them does so with a
version they were not written for.
"""

from bulletin_press.typeset.gate import check_version

check_version()
