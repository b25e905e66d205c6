"""The portal's worker: runs the background tasks and, on one worker at a time, the
scheduled jobs (core.scheduler). ``make run`` starts one beside the web server.

With the PostgreSQL queue (the default) it runs django-tasks-db's worker on every
queue; with TASKS_BACKEND=redis, RQ's worker for django-tasks-rq."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core import scheduler


class Command(BaseCommand):
    help = (
        "Run the background tasks (emails, bulk sends, exports) and the scheduled jobs. "
        "Run one or more per site; only one runs the schedule at a time."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-scheduler", action="store_true", help="Run tasks only, never the schedule."
        )
        parser.add_argument(
            "--list-jobs", action="store_true", help="List the scheduled jobs and exit."
        )
        parser.add_argument(
            "--batch", action="store_true", help="Run the tasks waiting, then stop."
        )
        parser.add_argument(
            "--interval", type=float, default=1.0,
            help="Seconds between two looks at an empty queue (default 1).",
        )  # fmt: skip
        parser.add_argument(
            "--no-startup-delay", action="store_false", dest="startup_delay",
            help="Start at once (several workers otherwise start a little apart).",
        )  # fmt: skip

    def handle(
        self, *args, no_scheduler: bool, list_jobs: bool, batch: bool, interval: float,
        startup_delay: bool, verbosity: int, **options,
    ) -> None:  # fmt: skip
        scheduler.load_task_modules()
        if list_jobs:
            for job in scheduler.JOBS:
                summary = " ".join((job.task.func.__doc__ or "").split("\n\n")[0].split())
                self.stdout.write(f"{job.schedule:<14} {job.name:<26} {summary}")
            return
        if settings.TASKS_BACKEND == "immediate":
            raise CommandError(
                "TASKS_BACKEND=immediate runs each task where it is enqueued: there is no "
                "queue for a worker. Use TASKS_BACKEND=database (the default)."
            )
        if not no_scheduler and not batch:
            scheduler.SchedulerThread().start()
        if settings.TASKS_BACKEND == "redis":
            call_command(
                "rqworker", *settings.RQ_QUEUES, job_class="django_tasks_rq.Job",
                burst=batch, verbosity=verbosity,
            )  # fmt: skip
        else:
            call_command(
                "db_worker", queue_name="*", reload=False, batch=batch, interval=interval,
                startup_delay=startup_delay, verbosity=verbosity,
            )  # fmt: skip
