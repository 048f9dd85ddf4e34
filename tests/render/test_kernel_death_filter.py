"""asyncio's "Task exception was never retrieved" for a kernel death the engine already reported is not printed
again by a render worker; every other asyncio message is (ntm_analysis.render.execute)."""
import asyncio
import gc
import logging

from nbclient.exceptions import DeadKernelError

from ntm_analysis.render import execute


def _orphan_task_error(exc: BaseException, caplog) -> list[str]:
    async def fails():
        raise exc

    async def main():
        asyncio.ensure_future(fails())  # never awaited: its exception is never retrieved
        await asyncio.sleep(0.01)

    with caplog.at_level(logging.ERROR, logger="asyncio"):
        asyncio.run(main())
        gc.collect()
    return [r.getMessage() for r in caplog.records if r.name == "asyncio"]


def test_a_kernel_death_is_not_reported_twice(caplog):
    assert execute.KERNEL_DEATH_FILTER in logging.getLogger("asyncio").filters
    assert _orphan_task_error(DeadKernelError("Kernel died"), caplog) == []


def test_any_other_orphaned_task_error_is_still_printed(caplog):
    messages = _orphan_task_error(ValueError("something else"), caplog)
    assert len(messages) == 1 and messages[0].startswith("Task exception was never retrieved"), messages
