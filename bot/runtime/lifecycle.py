"""The life of a ``fibrobot run`` process: stand by, take the role, work, give it up.

1. Stand by: ask for the lease (bot.runtime.lease) every ``Timing.beat`` seconds.
2. Got it: wait ``Timing.fence`` (a process that just lost the role is stopping meanwhile),
   then start as ``run_polling`` would: the application's ``post_init`` (migrations, the
   database, every job restored from the tables), its JobQueue, then the updates.
3. Active: confirm the lease every beat. When it cannot be confirmed for half a fence, or a
   confirmation fails, stop taking updates and running jobs, within the fence (or exit).
4. After losing the role, wait one failover period, so a healthy standby takes over first,
   then stand by again. SIGTERM or SIGINT stops the process cleanly in any state.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import time
from typing import Any

from telegram.ext import Application, JobQueue

from bot.deps import app_deps
from bot.runtime.lease import Lease, Timing
from bot.runtime.persistence import load_flows
from bot.runtime.updates import start_server, start_updates, stop_server, stop_updates

log = logging.getLogger(__name__)

AnyApp = Application[Any, Any, Any, Any, Any, Any]

# Exit status when the role was lost and the process could not stop its jobs in time (fenced
# already: it sends and writes nothing); a supervisor restarts it as a standby.
EXIT_FENCED = 3


class SoleLease:  # implements bot.runtime.lease.Lease
    """No lock: an in-memory SQLite database belongs to one process anyway."""

    def describe(self) -> str:
        """Nothing is shared."""
        return "no lock (in-memory database)"

    async def try_acquire(self) -> bool:
        """Always this process."""
        return True

    async def confirm(self) -> bool:
        """Always this process."""
        return True

    async def previous_holder(self) -> str | None:
        """Nobody else ever held it."""
        return None

    async def mark(self) -> None:
        """Nothing to record."""

    async def release(self, *, clean: bool = False) -> None:
        """Nothing to release."""


class Lifecycle:
    """Runs one process through standby, active and back, until it is told to stop."""

    def __init__(self, application: AnyApp, lease: Lease, timing: Timing) -> None:
        self.application = application
        self.lease = lease
        self.timing = timing
        self.role = app_deps(application).role
        self.settings = app_deps(application).settings
        self.stopping = asyncio.Event()

    async def serve(self) -> None:
        """Until SIGTERM/SIGINT: stand by, be active while the lease holds, repeat."""
        self._install_signals()
        self.role.set_active(False)
        # Webhook mode: /healthz answers from now on, standby included (OSError: port taken).
        server = await start_server(self.application, self.settings)
        try:
            await self.application.initialize()  # getMe: a wrong token fails here, at once
            while await self._wait_for_role():
                lost = await self._term()
                if lost is not None:
                    log.info("Standing by again in %.0fs", self.timing.failover)
                    await self._sleep(self.timing.failover)
        finally:
            await self.lease.release()
            await self.application.shutdown()
            await stop_server(server)

    def _install_signals(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self.stopping.set)

    async def _sleep(self, seconds: float) -> bool:
        """Wait, cut short by a stop request; True when the process should stop."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), max(seconds, 0.0))
        return self.stopping.is_set()

    async def _wait_for_role(self) -> bool:
        """Ask for the lease until it is ours; False when asked to stop first."""
        announced = False
        while not self.stopping.is_set():
            if await self._try_acquire():
                return True
            if not announced:
                log.info(
                    "Standing by: another fibrobot process is active (%s); asking every %.1fs",
                    self.lease.describe(),
                    self.timing.beat,
                )
                announced = True
            await self._sleep(self.timing.beat)
        return False

    async def _try_acquire(self) -> bool:
        try:
            return await asyncio.wait_for(self.lease.try_acquire(), self.timing.fence)
        except TimeoutError:
            await self.lease.release()
            return False

    async def _term(self) -> float | None:
        """Hold the role: fence, start, work, step down.

        Returns:
            When the lease was lost, the moment (monotonic) the process had to stop by;
            None when it was asked to stop.
        """
        wait = await self._settle()  # before the keeper's first heartbeat replaces it
        keeper = asyncio.create_task(self._keep(), name="lease keeper")
        try:
            activated = not await self._until_lost_or_stopped(keeper, wait)
            if activated:
                await self._activate()
                await self._until_lost_or_stopped(keeper, None)
            lost = keeper.result() if keeper.done() else None
            await self._step_down(lost, worked=activated)
            return lost
        finally:
            keeper.cancel()

    async def _settle(self) -> float:
        """Seconds to wait before starting: none when the role was given back cleanly.

        Otherwise a fence, by the end of which the previous holder has stopped.
        """
        previous = await self.lease.previous_holder()
        await self.lease.mark()
        wait = 0.0 if previous is None else self.timing.fence
        log.info(
            "Holding the role (%s); starting in %.1fs (previous holder: %s)",
            self.lease.describe(),
            wait,
            previous or "stopped cleanly, or none",
        )
        return wait

    async def _until_lost_or_stopped(
        self, keeper: asyncio.Task[float], seconds: float | None
    ) -> bool:
        """Wait for the lease to be lost or a stop request; False when ``seconds`` passed."""
        stop = asyncio.create_task(self.stopping.wait())
        try:
            done, _ = await asyncio.wait(
                {keeper, stop}, timeout=seconds, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            stop.cancel()
        return bool(done)

    async def _keep(self) -> float:
        """Confirm the lease every beat until that fails.

        Returns:
            The moment (monotonic) this process must have stopped by: its last confirmation
            plus the fence.
        """
        confirmed = time.monotonic()
        while True:
            await asyncio.sleep(self.timing.beat)
            asked = time.monotonic()
            # A busy event loop may ask late; a prompt answer still proves the lease is ours.
            budget = max(confirmed + self.timing.fence / 2 - asked, self.timing.beat / 2)
            if not await self._confirm(budget):
                log.warning(
                    "Lost the role (%s not confirmed): stopping updates and jobs",
                    self.lease.describe(),
                )
                return confirmed + self.timing.fence
            confirmed = asked

    async def _confirm(self, budget: float) -> bool:
        try:
            return await asyncio.wait_for(self.lease.confirm(), budget)
        except TimeoutError:
            return False

    async def _activate(self) -> None:
        """Start as ``run_polling`` does: post_init (jobs from the tables), jobs, updates."""
        application = self.application
        self.role.set_active(True)  # post_init already talks to Telegram (the menu)
        if application.post_init is not None:
            await application.post_init(application)
        # Flows in progress as the last active process left them (a standby read none).
        await load_flows(application)
        await self.lease.mark()  # again: a fresh database has its role_lease row only now
        await application.start()
        await start_updates(application, self.settings)
        log.info("Active: taking updates and running jobs")

    async def _step_down(self, lost: float | None, *, worked: bool) -> None:
        """Stop updates and jobs. After a lost lease the role flag fences at once."""
        # From here on this process sends nothing and writes nothing (FencedRateLimiter,
        # Deps.transaction): what jobs are still doing fails fast and is left for the next
        # active process, which starts one fence after the lease was lost.
        self.role.set_active(False)
        if lost is None:
            await self._stop()
            # Fully stopped: the next holder may start at once. Not so when this process was
            # still waiting for a previous holder to give up.
            await self.lease.release(clean=worked)
            return
        if time.monotonic() > lost:
            log.warning(
                "Gave up the role %.1fs after the fence: the event loop was busy",
                time.monotonic() - lost,
            )
        try:
            await asyncio.wait_for(self._stop(lost=True), self.timing.failover)
        except TimeoutError:
            # A job stuck on the lost database: leave, a supervisor starts a fresh standby.
            log.warning(
                "Could not stop within %ss; exiting (status %s)", self.timing.failover, EXIT_FENCED
            )
            os._exit(EXIT_FENCED)
        await self.lease.release()  # after the updates stopped: it may wait on the database
        log.info("Stepped down: no updates taken, no jobs running")

    async def _stop(self, *, lost: bool = False) -> None:
        """What ``run_polling`` does when it ends, leaving the application ready to restart."""
        application = self.application
        if application.job_queue is not None:
            # Jobs are rebuilt from the tables by the next active process (or this one again).
            # Removed while the scheduler runs: a stopped one keeps its jobs.
            queue: JobQueue[Any] = application.job_queue
            if queue.scheduler.running:
                queue.scheduler.remove_all_jobs()
        await stop_updates(application, self.settings, confirm_last=not lost)
        if application.running:
            await application.stop()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
