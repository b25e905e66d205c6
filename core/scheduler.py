"""Scheduled jobs, run by the worker: no cron to install.

A task marked ``@scheduled("0 8 * * *")`` (crontab syntax, Europe/Paris) is enqueued at
those times by the scheduler of django-crontask. Every worker (``manage.py worker``)
runs a scheduler thread, but only the one holding a PostgreSQL advisory lock enqueues:
the others stand by and take over within a minute if it stops. Jobs are written to be
run again safely (each marks what it has done), so a job run twice does nothing twice.
"""

from __future__ import annotations

import importlib
import logging
import threading
from dataclasses import dataclass

import crontask
from django.apps import apps
from django.db import DatabaseError, close_old_connections, connection
from django.tasks import Task
from django.utils.module_loading import module_has_submodule

logger = logging.getLogger(__name__)

# Any number the portal owns: the key of the advisory lock of the scheduler.
LOCK_KEY = 7_316_254_001
CHECK_SECONDS = 30


@dataclass(frozen=True)
class Job:
    schedule: str
    task: Task

    @property
    def name(self) -> str:
        return self.task.name

    def enqueue(self):
        # The scheduler's threads hold database connections between runs: drop the
        # broken or old ones first, as a request does.
        close_old_connections()
        try:
            return self.task.enqueue()
        finally:
            close_old_connections()


JOBS: list[Job] = []


def scheduled(schedule: str):
    """Enqueue this task at the times of ``schedule`` (crontab: minute hour day month
    weekday, with weekdays as Mon…Sun), Europe/Paris."""

    def decorator(task: Task) -> Task:
        job = Job(schedule, task)
        crontask.cron(schedule, sentry_monitor_config=None)(job)
        JOBS.append(job)
        return task

    return decorator


def load_task_modules() -> list[str]:
    """Import every installed app's ``tasks`` module, which registers its jobs."""
    loaded = []
    for app in apps.get_app_configs():
        if module_has_submodule(app.module, "tasks"):
            importlib.import_module(f"{app.name}.tasks")
            loaded.append(app.name)
    return loaded


def hold_lock() -> bool:
    """Take (or keep) the scheduler's lock on this thread's database session."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
            return bool(cursor.fetchone()[0])
    except DatabaseError:
        logger.warning("Scheduler: the database does not answer; standing by.")
        connection.close()
        return False


class SchedulerThread(threading.Thread):
    """Runs the scheduler while this process holds the lock, pauses it otherwise."""

    def __init__(self) -> None:
        super().__init__(name="scheduler", daemon=True)
        self.stopping = threading.Event()
        self.leading = False

    def run(self) -> None:
        scheduler = crontask.scheduler
        started = False
        first = True
        while not self.stopping.is_set():
            leading = hold_lock()
            if leading and not started:
                threading.Thread(target=scheduler.start, name="scheduler-jobs", daemon=True).start()
                started = True
                logger.info("Scheduler: running %d jobs.", len(JOBS))
            elif leading and not self.leading:
                scheduler.resume()
                logger.info("Scheduler: running again.")
            elif not leading and (self.leading or first):
                if started:
                    scheduler.pause()
                logger.info("Scheduler: another worker holds the schedule; standing by.")
            self.leading, first = leading, False
            self.stopping.wait(CHECK_SECONDS)
        if started:
            scheduler.shutdown(wait=False)
        connection.close()

    def stop(self) -> None:
        self.stopping.set()
