"""What a batch starts ahead (issue 15): the local executor's fork server while the jobs are planned, and a warm
kernel's settled heap."""
import json
import subprocess
import sys
import textwrap


def _fresh(code: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_prestart_starts_the_local_fork_server_with_the_worker_preload_and_nothing_for_dask():
    out = _fresh("""
        import json, os
        from multiprocessing import forkserver
        from ntm_analysis.render.executors import prestart
        prestart("dask")
        before = forkserver._forkserver._forkserver_pid
        prestart("local")
        pid = forkserver._forkserver._forkserver_pid
        prestart("local")  # already running: the same one
        again = forkserver._forkserver._forkserver_pid
        cmd = open(f"/proc/{pid}/cmdline", "rb").read().decode()
        print(json.dumps({"before": before, "alive": os.path.exists(f"/proc/{pid}"), "same": again == pid,
                          "preload": "ntm_analysis.render.worker_imports" in cmd}))
    """)
    assert out == {"before": None, "alive": True, "same": True, "preload": True}


def test_a_warmed_up_kernel_state_is_frozen_out_of_the_collector():
    """After warm-up (and after a preload) every object is frozen: the collection in each report's reset has
    only the report's own objects to walk; garbage left before is collected first, never frozen."""
    out = _fresh("""
        import gc, json, weakref
        from ntm_analysis.render import kernel_state
        class Cycle:
            pass
        c = Cycle(); c.self = c; ref = weakref.ref(c); del c  # garbage in a cycle, left by an import
        kernel_state.warm_up(())
        print(json.dumps({"frozen": gc.get_freeze_count(), "tracked_after": len(gc.get_objects()),
                          "cycle_collected": ref() is None}))
    """)
    assert out["frozen"] > 10_000  # numpy, matplotlib and their modules
    assert out["tracked_after"] < 1_000  # what the collector still walks
    assert out["cycle_collected"] is True
