# Hangar's configuration of every notebook server it starts (jupyter-notebook --config=...), on the host backend and
# in the instance image. Loaded after the instance user's own ~/.jupyter configuration. Two amendments to Jupyter
# Notebook 6.4 as Debian ships it:
from notebook.base.handlers import IPythonHandler
from notebook.services.kernels.kernelmanager import MappingKernelManager
from tornado.ioloop import PeriodicCallback

# 1. Kernel activity that is never missed. Notebook 6.4 records a kernel's execution_state and last_activity from its
# IOPub messages through a ZMQStream; with Debian's pyzmq 24 that stream can miss the first wake-up of its socket (an
# edge-triggered descriptor) and then never read again, so a kernel busy for hours shows "starting" and its start time
# (seen in a third of the kernels started in the first seconds of a server). Hangar's idle shutdown reads exactly
# those fields. Draining each stream once a second reads what it missed; a stream that works has nothing left to drain.
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

# 2. The server's own token never reaches a browser. Notebook 6.4 writes it into every page it renders
# (data-jupyter-api-token) for a logged-in request, and its scripts send it back on each API call. Behind Hangar's
# gateway, which authenticates every request to Jupyter with that token itself, the page needs none: pages render
# without it, so script in a notebook's output cannot read it and reach Jupyter around the gateway.
_template_namespace = IPythonHandler.template_namespace


def _template_namespace_without_token(self):
    namespace = dict(_template_namespace.fget(self))
    namespace["token"] = None
    return namespace


IPythonHandler.template_namespace = property(_template_namespace_without_token)
