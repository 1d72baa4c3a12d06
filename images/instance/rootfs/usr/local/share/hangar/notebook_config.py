# Hangar's configuration of every notebook server it starts (jupyter-notebook --config=...), on the host backend and
# in the instance image. Loaded after the instance user's own ~/.jupyter configuration. Three amendments to Jupyter
# Notebook 6.4 as Debian ships it:
import json
import os
import re
import sys
import weakref

from jupyter_core.paths import jupyter_runtime_dir
from notebook.base.handlers import IPythonHandler
from jupyter_client.manager import KernelManager
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

# The kernels have the same streams inside (ipykernel 6's shell and control channels, and the IOPub thread's pipe
# through which every output, "busy" and "idle" is sent): one that missed its wake-up holds a running cell's messages,
# so the kernel looks idle to Jupyter and to the notebook while it computes (seen by hand: a kernel running
# time.sleep(30) never showed "busy", and its queued messages came out only with the next request). Each IPython
# kernel this server starts runs _KERNEL_DRAIN first, which drains those streams once a second, each on its own loop.
_KERNEL_DRAIN = """\
# Written by Hangar's notebook_config.py; run by each IPython kernel at its start (IPKernelApp.exec_lines).
from ipykernel.kernelapp import IPKernelApp
from tornado.ioloop import PeriodicCallback


def _drain(streams):
    for stream in streams:
        try:
            if not stream.closed() and getattr(stream, "_recv_callback", None) is not None:
                stream.flush()
        except Exception:
            pass


def _start():
    app = IPKernelApp.instance()
    streams = [getattr(app.kernel, "shell_stream", None), getattr(app.kernel, "control_stream", None),
               getattr(app.iopub_thread, "_event_puller", None), getattr(app.iopub_thread, "_pipe_in", None)]
    by_loop = {}
    for stream in streams:
        if stream is not None:
            by_loop.setdefault(stream.io_loop, []).append(stream)
    for loop, group in by_loop.items():
        loop.add_callback(lambda group=group: PeriodicCallback(lambda: _drain(group), 1000).start())


_start()
"""


def _kernel_drain_file():
    os.makedirs(jupyter_runtime_dir(), mode=0o700, exist_ok=True)
    path = os.path.join(jupyter_runtime_dir(), "hangar-kernel-drain.py")
    _write(path, _KERNEL_DRAIN)
    return path


_format_kernel_cmd = KernelManager.format_kernel_cmd


def _format_kernel_cmd_draining(self, extra_arguments=None):
    command = _format_kernel_cmd(self, extra_arguments)
    if any("ipykernel" in part for part in command):
        # Run in a namespace of its own (runpy), so that the user's namespace and history hold nothing of it.
        command = command + ["--IPKernelApp.exec_lines=import runpy as _hangar_runpy; _hangar_runpy.run_path(%r);"
                             " del _hangar_runpy" % _kernel_drain_path]
    return command

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

# 3. A terminal that draws. Debian's terminal page script (static/terminal/js/main.min.js) is a bundle built with
# libjs-xterm's xterm.js, which is no browser build but the CommonJS entry of node-xterm's modules: two lines that set
# `exports` and require ./public/Terminal, which the bundle lacks. The page stops at "exports is not defined" and the
# terminal stays blank. In that bundle's place the terminal page gets Notebook's own terminal scripts as Debian ships
# them unbundled (terminal/js/main.js and terminado.js), and xterm.js and its fit add-on as AMD modules, made here from
# Debian's node-xterm and libjs-xterm: each CommonJS module wrapped in a named define(), the form RequireJS (which the
# page already runs) loads. Served through extra_static_paths, Notebook's way of overriding one of its static files.
_XTERM_MODULES = "/usr/share/nodejs/xterm/lib"
_XTERM_FIT = "/usr/share/javascript/xterm/addons/fit/fit.js"
_REQUIRE = re.compile(r"""\brequire\(\s*["']([^"']+)["']\s*\)""")
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)
_TERMINAL_MAIN = """\
// Hangar's notebook_config.py serves this in place of Debian's bundle, whose xterm.js does not run in a browser.
require.config({paths: {"xterm": "hangar/xterm", "xtermjs-fit": "hangar/xterm-fit"}});
require(["terminal/js/main"]);
"""


def _amd_module(name, path):
    with open(path, encoding="utf-8") as file:
        source = _SOURCE_MAP.sub("", file.read())
    dependencies = ["require", "exports", "module"] + sorted(set(_REQUIRE.findall(source)))
    return "define(%s, %s, function (require, exports, module) {\n%s\n});\n" % (
        json.dumps(name), json.dumps(dependencies), source)


def _xterm_modules():
    modules = []
    for directory, subdirectories, files in os.walk(_XTERM_MODULES):
        subdirectories.sort()
        for file in sorted(files):
            if file.endswith(".js") and not file.endswith(".test.js"):
                path = os.path.join(directory, file)
                name = "xterm/lib/" + os.path.relpath(path, _XTERM_MODULES)[:-len(".js")]
                modules.append(_amd_module(name, path))
    modules.append('define("xterm", ["xterm/lib/xterm"], function (Terminal) { return Terminal; });\n')
    return "".join(modules)


def _write(path, text):
    # Two servers of one user may write the same files at once: each replaces them whole, with the same content.
    os.makedirs(os.path.dirname(path), exist_ok=True)
    partial = "%s.%d" % (path, os.getpid())
    with open(partial, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(partial, path)


def _terminal_static_files():
    """The directory of the files that override the terminal page's, or None when node-xterm is not installed."""
    if not os.path.isdir(_XTERM_MODULES) or not os.path.isfile(_XTERM_FIT):
        print("Hangar: Jupyter's terminal needs Debian's node-xterm (apt-get install node-xterm); without it the "
              "terminal page stays blank.", file=sys.stderr)
        return None
    # Made as Jupyter makes its runtime directory, which holds the kernels' keys, when it is not there yet.
    os.makedirs(jupyter_runtime_dir(), mode=0o700, exist_ok=True)
    directory = os.path.join(jupyter_runtime_dir(), "hangar-static")
    _write(os.path.join(directory, "hangar", "xterm.js"), _xterm_modules())
    _write(os.path.join(directory, "hangar", "xterm-fit.js"), _amd_module("xtermjs-fit", _XTERM_FIT))
    _write(os.path.join(directory, "terminal", "js", "main.min.js"), _TERMINAL_MAIN)
    return directory


_kernel_drain_path = _kernel_drain_file()
KernelManager.format_kernel_cmd = _format_kernel_cmd_draining

_static = _terminal_static_files()
if _static is not None:
    c.NotebookApp.extra_static_paths.append(_static)
