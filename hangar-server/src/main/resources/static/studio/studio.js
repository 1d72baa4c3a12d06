// Hangar studio: the little a page does in the browser beyond htmx. Served as a file, so the pages' policy lets no
// inline script run.
(function () {
  "use strict";

  var toastTimer = null;

  function notice(text, failed) {
    var toast = document.getElementById("toast");
    if (!toast || !text) {
      return;
    }
    toast.textContent = text;
    toast.classList.toggle("failed", !!failed);
    toast.classList.add("shown");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { toast.classList.remove("shown"); }, failed ? 10000 : 5000);
  }

  document.addEventListener("click", function (event) {
    var copy = event.target.closest("[data-copy]");
    if (copy) {
      var text = copy.getAttribute("data-copy");
      var done = function () { notice("Copied: " + text); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { notice("Copy it by hand: " + text, true); });
      } else {
        notice("Copy it by hand: " + text, true);
      }
    }
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches("input.select-all")) {
      document.querySelectorAll("input[form=bulk][name=name]").forEach(function (box) {
        box.checked = event.target.checked;
      });
    }
  });

  // A job's live log: each piece says the byte offset it starts at, and is taken only where the log shown ends (a
  // stream that reconnected without its last event id would send again what is shown). A reader at the bottom of
  // the log stays there as it grows.
  document.addEventListener("htmx:sseBeforeMessage", function (event) {
    var log = event.target;
    if (!log.matches || !log.matches("pre[data-next]")) {
      return;
    }
    var from = /^<span data-from="(\d+)"/.exec(event.detail.data || "");
    if (!from || from[1] !== log.getAttribute("data-next")) {
      event.preventDefault();
      return;
    }
    log.setAttribute("data-next", event.detail.lastEventId);
    var box = log.parentElement;
    log.hangarFollow = box.scrollTop + box.clientHeight >= box.scrollHeight - 8;
  });

  document.addEventListener("htmx:sseMessage", function (event) {
    var log = event.target;
    if (log.matches && log.matches("pre[data-next]") && log.hangarFollow) {
      log.parentElement.scrollTop = log.parentElement.scrollHeight;
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("pre[data-next]").forEach(function (log) {
      log.parentElement.scrollTop = log.parentElement.scrollHeight;
    });
    document.body.addEventListener("hangar:notice", function (event) {
      notice(event.detail && event.detail.value);
    });
    document.body.addEventListener("htmx:responseError", function (event) {
      var xhr = event.detail.xhr;
      notice(xhr && xhr.responseText ? xhr.responseText : "The request failed.", true);
    });
    document.body.addEventListener("htmx:sendError", function () {
      notice("Hangar cannot be reached; check the connection.", true);
    });
  });
})();
