"""The registry of audit event codes.

Codes are stable machine keys, namespaced ``<app>.<event>``; each app
registers its own in ``<app>/events.py`` (imported from ``AppConfig.ready``).
Labels are translated when displayed, never stored. Recording an unregistered
code is a programming error and raises.
"""

from django.utils.functional import Promise

_EVENTS: dict[str, Promise | str] = {}


def register(events: dict[str, Promise | str]) -> None:
    for code, label in events.items():
        if code in _EVENTS and _EVENTS[code] != label:
            raise ValueError(f"Audit event code {code!r} registered twice")
        _EVENTS[code] = label


def is_registered(code: str) -> bool:
    return code in _EVENTS


def label(code: str) -> str:
    return str(_EVENTS.get(code, code))


def codes() -> list[str]:
    return sorted(_EVENTS)


def choices() -> list[tuple[str, str]]:
    return sorted(((code, f"{label(code)} ({code})") for code in _EVENTS), key=lambda item: item[0])
