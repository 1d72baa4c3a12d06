# Loaded by every notebook server Hangar starts (jupyter-notebook --config=...), on the host and in the instance image.
# Jupyter Notebook 6.4 records a kernel's execution_state and last_activity from its IOPub messages through a
# ZMQStream; with Debian's pyzmq 24 that stream can miss the first wake-up of its socket (an edge-triggered descriptor)
# and then never read again, so a kernel busy for hours shows "starting" and its start time (seen in a third of the
# kernels started in the first seconds of a server). Hangar's idle shutdown reads exactly those fields. Draining each stream once a second
# reads what it missed; a stream that works has nothing left to drain.
from notebook.services.kernels.kernelmanager import MappingKernelManager
from tornado.ioloop import PeriodicCallback

_start_watching_activity = MappingKernelManager.start_watching_activity


def _drain(manager):
    for kernel in list(manager._kernels.values()):
        stream = getattr(kernel, "_activity_stream", None)
        if stream is not None and not stream.closed():
            stream.flush()


def start_watching_activity(self, kernel_id):
    _start_watching_activity(self, kernel_id)
    if getattr(self, "_hangar_drain", None) is None:
        self._hangar_drain = PeriodicCallback(lambda: _drain(self), 1000)
        self._hangar_drain.start()


MappingKernelManager.start_watching_activity = start_watching_activity
