"""Serve Sanbao on one machine: the web server plus a database-queue task worker."""

import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Start the web server and a task worker (for one machine; production uses gunicorn + workers)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, port, host, **options):
        worker = subprocess.Popen([sys.executable, "-m", "sanbao.cli", "db_worker"])  # noqa: S603
        self.stdout.write(f"Task worker started (pid {worker.pid}). Sanbao: http://{host}:{port}/")
        call_command("demo", accounts=True, stdout=self.stdout)
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
