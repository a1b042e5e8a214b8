"""khabar: who said what in Arabic news, and who denies it."""

__version__ = "0.1.0"
