// Hangar's browser terminal: xterm.js on a WebSocket to a shell in the instance. Messages are JSON arrays as
// Jupyter's terminals speak them: ["stdin", text] and ["set_size", rows, cols] up; ["stdout", text] and
// ["exit", status] down.
(function () {
  'use strict';
  var term = new Terminal({ cursorBlink: true, scrollback: 10000, fontFamily: 'monospace' });
  var fit = new FitAddon.FitAddon();
  term.loadAddon(fit);
  term.open(document.getElementById('terminal'));
  fit.fit();

  var url = new URL('websocket', window.location.href);
  url.protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('rows', term.rows);
  url.searchParams.set('cols', term.cols);
  var socket = new WebSocket(url);
  var exited = false;

  function send(message) {
    if (socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(message));
    }
  }

  socket.onmessage = function (event) {
    var message = JSON.parse(event.data);
    if (message[0] === 'stdout') {
      term.write(message[1]);
    } else if (message[0] === 'exit') {
      exited = true;
      term.write('\r\n\x1b[2m[the shell exited with status ' + message[1] + ']\x1b[0m\r\n');
    }
  };
  socket.onclose = function (event) {
    if (!exited) {
      term.write('\r\n\x1b[2m[disconnected' + (event.reason ? ': ' + event.reason : '') + ']\x1b[0m\r\n');
    }
  };
  term.onData(function (data) { send(['stdin', data]); });
  term.onResize(function (size) { send(['set_size', size.rows, size.cols]); });
  window.addEventListener('resize', function () { fit.fit(); });
  term.focus();
})();
