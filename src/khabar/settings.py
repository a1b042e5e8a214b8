"""Settings: every threshold and path, with defaults in ``defaults.toml``.

Stages receive a plain ``dict`` section (``settings.section("stories")``) so
that a threshold lives in one documented file, never as a bare literal in code.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from khabar.errors import SettingsError


def _load_defaults() -> dict[str, dict[str, Any]]:
    text = resources.files("khabar").joinpath("defaults.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@dataclass(frozen=True)
class Settings:
    values: dict[str, dict[str, Any]] = field(default_factory=_load_defaults)

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """Defaults, then ``path`` (TOML), then ``KHABAR_SECTION_KEY`` environment variables."""
        values = _load_defaults()
        if path is not None:
            try:
                user = tomllib.loads(Path(path).read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise SettingsError(str(exc), source=str(path), hint="fix or remove the config file") from exc
            for sec, kv in user.items():
                if sec not in values:
                    raise SettingsError(f"unknown section [{sec}]", source=str(path))
                values[sec].update(kv)
        for sec, kv in values.items():
            for key, default in list(kv.items()):
                env = os.environ.get(f"KHABAR_{sec.upper()}_{key.upper()}")
                if env is not None:
                    kv[key] = type(default)(env) if not isinstance(default, bool) else env.lower() in ("1", "true", "yes")
        return cls(values)

    def section(self, name: str) -> dict[str, Any]:
        if name not in self.values:
            raise SettingsError(f"unknown settings section {name!r}; known: {', '.join(sorted(self.values))}")
        return dict(self.values[name])

    def get(self, section: str, key: str) -> Any:
        sec = self.section(section)
        if key not in sec:
            raise SettingsError(f"unknown setting {section}.{key}")
        return sec[key]


def section_with_defaults(name: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The default ``[name]`` section updated with ``overrides``: for stages built with partial settings."""
    sec = Settings().section(name)
    if overrides:
        sec.update(overrides)
    return sec


def check_range(name: str, value: float, lo: float, hi: float) -> float:
    """Raise SettingsError unless ``lo <= value <= hi``; the message gives the range."""
    if not lo <= value <= hi:
        raise SettingsError(f"{name} must be in [{lo}, {hi}], got {value}")
    return value
