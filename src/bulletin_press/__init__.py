"""bulletin_press: print-ready publishing for Chinese community newsletters."""

__version__ = "0.1.0"
