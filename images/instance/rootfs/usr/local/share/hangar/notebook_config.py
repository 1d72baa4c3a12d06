# Hangar's configuration of every notebook server it starts (jupyter-notebook --config=...), on the host backend and
# in the instance image. Loaded after the instance user's own ~/.jupyter configuration. Two amendments to Jupyter
# Notebook 6.4 as Debian ships it:
import weakref

from notebook.base.handlers import IPythonHandler
from notebook.services.kernels.kernelmanager import MappingKernelManager
from tornado.ioloop import PeriodicCallback
from zmq.eventloop.zmqstream import ZMQStream

# 1. Kernel messages that are never left unread. Notebook 6.4 reads every kernel channel through a ZMQStream: the
# stream from which it records a kernel's execution_state and last_activity (IOPub), and the channels of each open
# notebook's WebSocket. With Debian's pyzmq 24 such a stream can miss the first wake-up of its socket (an
# edge-triggered descriptor) and then never read again: a kernel busy for hours shows "starting" and its start time
# (seen in a third of the kernels started in the first seconds of a server), which Hangar's idle shutdown reads, and a
# notebook's WebSocket stops delivering the kernel's output. Every stream is drained once a second: a stream that
# works has nothing left to drain.
_streams = weakref.WeakSet()
_zmq_stream_init = ZMQStream.__init__


def _tracked_init(self, *args, **kwargs):
    _zmq_stream_init(self, *args, **kwargs)
    _streams.add(self)


ZMQStream.__init__ = _tracked_init


def _drain():
    for stream in list(_streams):
        try:
            # Only a stream that has a reader: flushing one without would read its messages and drop them.
            if not stream.closed() and getattr(stream, "_recv_callback", None) is not None:
                stream.flush()
        except Exception:  # a stream closed meanwhile: the next round no longer sees it
            pass


_start_watching_activity = MappingKernelManager.start_watching_activity


def start_watching_activity(self, kernel_id):
    _start_watching_activity(self, kernel_id)
    # Started from the server's running loop, with the first kernel (before it, no stream exists).
    if getattr(MappingKernelManager, "_hangar_drain", None) is None:
        MappingKernelManager._hangar_drain = PeriodicCallback(_drain, 1000)
        MappingKernelManager._hangar_drain.start()


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
