"""Imported by the multiprocessing fork server at its start (:data:`.executors.FORKSERVER_PRELOAD`): the fork server
dies with the rendering process that started it (Linux parent-death signal), and so, in turn, do its workers."""
import signal
import sys

from ntm_analysis.render.lifeline import set_parent_death_signal

if sys.argv[:1] == ["-c"] and "multiprocessing.forkserver" in sys.modules:  # in the fork server only
    set_parent_death_signal(signal.SIGTERM)
