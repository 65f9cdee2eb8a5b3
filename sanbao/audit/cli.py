"""Who is acting when a management command changes state: the operating-system account."""

import getpass


def command_user() -> str:
    """``cli:<os user>``, recorded as the actor name of events written by commands (no Sanbao login there)."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"
