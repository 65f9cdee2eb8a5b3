"""Health probes used by /healthz. Each returns (ok, detail)."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone


def database_status() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any driver error means "down"  # noqa: BLE001
        return False, f"error: {error.__class__.__name__}"
    return True, "ok"


def worker_status() -> str:
    """``ok`` when a database-queue worker has finished or started a task recently, or nothing is waiting."""
    from django.db.models import Q
    from django_tasks_db.models import DBTaskResult, get_date_max

    threshold = timezone.now() - timedelta(minutes=5)
    # A task scheduled for later (run_after) is not waiting until its time has come.
    overdue = Q(run_after=get_date_max(), enqueued_at__lt=threshold) | Q(run_after__lt=threshold)
    try:
        waiting = DBTaskResult.objects.filter(overdue, status="READY")
        return "stalled" if waiting.exists() else "ok"
    except Exception:  # noqa: BLE001  (table missing before migrate)
        return "unknown"
