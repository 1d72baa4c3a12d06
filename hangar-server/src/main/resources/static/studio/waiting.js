// The page a browser gets while an app does not answer: it asks again every two seconds, and loads the app as soon
// as it answers. A script rather than a refresh the page itself does, which would reload under a reader's feet.
(function () {
  "use strict";
  setInterval(function () {
    fetch(window.location.href, {headers: {Accept: "text/html"}, credentials: "same-origin", cache: "no-store"})
      .then(function (response) {
        if (response.status !== 503) {
          window.location.reload();
        }
      }, function () { /* not reachable yet: the next look */ });
  }, 2000);
})();
