"""Background tasks of the deadlines app (django-tasks)."""


def schedule_after_migrate(sender, **kwargs) -> None:
    """Placeholder until the sweep task exists."""
