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

  document.addEventListener("DOMContentLoaded", function () {
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
