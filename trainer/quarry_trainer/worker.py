"""The Temporal worker: polls the Python trainer queue and runs ``TrainLoraGenerator``.

Usage: python -m quarry_trainer [--address 127.0.0.1:7233] [--namespace default]
                                [--task-queue quarry-train-python]
Environment: QUARRY_HOME (the registry lives under QUARRY_HOME/models/registry),
QUARRY_TRAINER_TASK_QUEUE, and the connection settings of the Java workers (connection.py):
QUARRY_TEMPORAL_ADDRESS, QUARRY_TEMPORAL_NAMESPACE, QUARRY_TEMPORAL_TLS*, QUARRY_TEMPORAL_API_KEY
(TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE are read too).

Why its own queue and activity type: Temporal hands an activity task to any poller of its queue,
and the Java train worker already serves ``RetrainGenerator`` on ``quarry-train``; a Python
poller there would receive Java's activity types (and the reverse), so the workflow sends
``TrainLoraGenerator`` to ``trainer.python.taskQueue`` instead.

Heartbeats: a thread sends the latest progress (phase, step, loss) every few seconds, also while
a long step or the GGUF write runs, so a killed worker is noticed after the activity's heartbeat
timeout and the retry lands on another (or the restarted) worker. Cancellation reaches the
activity through the heartbeat; training stops at the next step.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextvars
import logging
import os
import signal
import threading
from typing import Any

from temporalio import activity
from temporalio.client import Client
from temporalio.exceptions import CancelledError
from temporalio.worker import Worker

from . import connection
from .train import TrainingCancelled, train_version

ACTIVITY = "TrainLoraGenerator"
DEFAULT_QUEUE = "quarry-train-python"
HEARTBEAT_SECONDS = float(os.environ.get("QUARRY_TRAINER_HEARTBEAT_SECONDS", "3"))

log = logging.getLogger("quarry_trainer")


@activity.defn(name=ACTIVITY)
def train_lora_generator(request: dict[str, Any]) -> dict[str, Any]:
    """RetrainRequest (JSON) -> GeneratorVersion (JSON). Runs in a worker thread."""
    info = activity.info()
    log.info("%s: run %s round %s, attempt %d", ACTIVITY, request.get("runId"), request.get("round"), info.attempt)
    latest: dict[str, Any] = {"phase": "starting", "attempt": info.attempt}
    lock = threading.Lock()
    done = threading.Event()

    def report(details: dict[str, Any]) -> None:
        with lock:
            latest.update(details)
        if details.get("phase") == "training" and details.get("step"):
            log.info("step %s/%s", details.get("step"), details.get("maxSteps"))

    def beat() -> None:
        while not done.wait(HEARTBEAT_SECONDS):
            with lock:
                snapshot = dict(latest)
            activity.heartbeat(snapshot)

    activity.heartbeat(dict(latest))
    # The heartbeat thread needs the activity's context, which lives in a context variable.
    heart = threading.Thread(target=contextvars.copy_context().run, args=(beat,), daemon=True, name="heartbeat")
    heart.start()
    try:
        return train_version(request, report=report, cancelled=activity.is_cancelled)
    except TrainingCancelled as e:
        # Reported to Temporal as a cancellation, not a failure to retry.
        raise CancelledError(str(e)) from e
    finally:
        done.set()
        heart.join()


async def connect(target: connection.Connection) -> Client:
    return await Client.connect(target.address, namespace=target.namespace, tls=target.tls, api_key=target.api_key)


async def run(target: connection.Connection, task_queue: str) -> None:
    client = await connect(target)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="train") as executor:
        worker = Worker(
            client,
            task_queue=task_queue,
            activities=[train_lora_generator],
            activity_executor=executor,
            max_concurrent_activities=1,  # one training at a time: it takes the whole machine
        )
        async with worker:
            log.info("polling %s on %s", task_queue, target.describe())
            print(f"quarry trainer worker polling {task_queue}", flush=True)
            await stop.wait()
            log.info("shutting down")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m quarry_trainer", description=__doc__.splitlines()[0])
    parser.add_argument("--address", help="host:port (default: QUARRY_TEMPORAL_ADDRESS, TEMPORAL_ADDRESS or 127.0.0.1:7233)")
    parser.add_argument("--namespace", help="default: QUARRY_TEMPORAL_NAMESPACE, TEMPORAL_NAMESPACE or default")
    parser.add_argument("--task-queue", default=os.environ.get("QUARRY_TRAINER_TASK_QUEUE", DEFAULT_QUEUE))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        target = connection.from_env(os.environ, args.address, args.namespace)
    except connection.ConnectionSettingsError as e:
        parser.error(str(e))
    asyncio.run(run(target, args.task_queue))
    return 0
