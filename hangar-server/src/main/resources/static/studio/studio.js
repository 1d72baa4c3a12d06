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

  // The file share's uploads: each file PUT to the API's own route (streamed to disk there, checked as any call),
  // one after another, with the page's progress bar; then the list is read again.
  function message(xhr) {
    try {
      return JSON.parse(xhr.responseText).error.message;
    } catch (notJson) {
      return "HTTP " + xhr.status;
    }
  }

  function upload(form, files) {
    var list = Array.prototype.slice.call(files || []);
    if (!form || !list.length) {
      return;
    }
    var base = form.getAttribute("data-upload");
    var progress = document.getElementById("upload-progress");
    var total = list.reduce(function (sum, file) { return sum + file.size; }, 0) || 1;
    var sent = 0;
    var done = [];
    var failed = [];
    progress.hidden = false;
    progress.value = 0;
    function next(index) {
      if (index >= list.length) {
        finish();
        return;
      }
      var file = list[index];
      var xhr = new XMLHttpRequest();
      var ended = function (problem) {
        if (problem) {
          failed.push(file.name + ": " + problem);
        } else {
          done.push(file.name);
        }
        sent += file.size;
        next(index + 1);
      };
      xhr.open("PUT", base + "/" + encodeURIComponent(file.name));
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.upload.onprogress = function (event) {
        progress.value = Math.min(100, Math.round(100 * (sent + event.loaded) / total));
      };
      xhr.onload = function () { ended(xhr.status >= 200 && xhr.status < 300 ? null : message(xhr)); };
      xhr.onerror = function () { ended("Hangar cannot be reached; check the connection."); };
      xhr.send(file);
    }
    function finish() {
      progress.hidden = true;
      var input = form.querySelector("input[type=file]");
      if (input) {
        input.value = "";
      }
      if (window.htmx) {
        htmx.ajax("GET", form.getAttribute("data-refresh"), {target: "#file-list", select: "#file-list",
          swap: "outerHTML"});
      }
      if (failed.length) {
        notice((done.length ? "Uploaded " + done.join(", ") + ". " : "") + "Not uploaded: " + failed.join("; "),
          true);
      } else {
        notice("Uploaded " + done.join(", ") + ".");
      }
    }
    next(0);
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("#upload input[type=file]")) {
      upload(event.target.form, event.target.files);
    }
  });

  function dropZone(event) {
    var zone = event.target.closest && event.target.closest("[data-drop]");
    return zone && event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0
      ? zone : null;
  }

  document.addEventListener("dragover", function (event) {
    var zone = dropZone(event);
    if (zone) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      zone.classList.add("dragging");
    }
  });

  document.addEventListener("dragleave", function (event) {
    var zone = dropZone(event);
    if (zone && !zone.contains(event.relatedTarget)) {
      zone.classList.remove("dragging");
    }
  });

  document.addEventListener("drop", function (event) {
    var zone = dropZone(event);
    if (!zone) {
      return;
    }
    event.preventDefault();
    zone.classList.remove("dragging");
    var items = event.dataTransfer.items || [];
    for (var i = 0; i < items.length; i++) {
      var entry = items[i].webkitGetAsEntry && items[i].webkitGetAsEntry();
      if (entry && entry.isDirectory) {
        notice("A folder cannot be dropped: make it with New folder, then drop its files into it.", true);
        return;
      }
    }
    upload(document.getElementById("upload"), event.dataTransfer.files);
  });

  // The job form's code: what was picked is counted before anything is sent, against the limits the server keeps.
  function codeProblem(area) {
    var limits = (area.getAttribute("data-code-limits") || "0 0").split(" ").map(Number);
    var files = 0;
    var bytes = 0;
    area.querySelectorAll("input[type=file]").forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) {
        files += 1;
        bytes += file.size;
      });
    });
    var check = area.querySelector(".code-check");
    var mb = function (count) { return (count / 1048576).toFixed(1) + " MB"; };
    var problem = null;
    if (bytes > limits[0]) {
      problem = "Too large: " + bytes.toLocaleString("en") + " bytes picked, and a job's code holds at most "
        + limits[0].toLocaleString("en") + " bytes (" + mb(limits[0]) + ").";
    } else if (files > limits[1]) {
      problem = "Too many files: " + files + " picked, and a job's code holds at most " + limits[1] + ".";
    }
    check.textContent = problem || (files ? files + " file" + (files === 1 ? "" : "s") + ", " + mb(bytes)
      + ", to upload with the job." : "");
    check.classList.toggle("error", !!problem);
    area.querySelectorAll("input[type=file]").forEach(function (input) {
      if (problem) {
        input.setAttribute("aria-invalid", "true");
      } else {
        input.removeAttribute("aria-invalid");
      }
    });
    return problem;
  }

  document.addEventListener("change", function (event) {
    var area = event.target.closest && event.target.closest("[data-code-limits]");
    if (area && event.target.matches("input[type=file]")) {
      codeProblem(area);
    }
  });

  document.addEventListener("submit", function (event) {
    var area = event.target.querySelector && event.target.querySelector("[data-code-limits]");
    if (area && codeProblem(area)) {
      event.preventDefault();
      area.querySelector("input[type=file]").focus();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("pre[data-next]").forEach(function (log) {
      log.parentElement.scrollTop = log.parentElement.scrollHeight;
    });
    // A form marked data-reset is emptied once what it posted was done.
    document.body.addEventListener("htmx:afterRequest", function (event) {
      var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form[data-reset]");
      if (form && event.detail.successful) {
        form.reset();
      }
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
