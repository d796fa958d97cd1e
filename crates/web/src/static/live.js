// Live queues and wall boards: when the server says something of this unit changed, read the
// page again and swap the part marked #live. Our own code, no dependencies. Without it, the
// page is a plain page with a refresh link. EventSource reconnects by itself.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live || !("EventSource" in window) || !("DOMParser" in window)) { return; }
  var timer = null;
  var busy = false;
  function refresh() {
    timer = null;
    if (busy) { timer = window.setTimeout(refresh, 500); return; }
    busy = true;
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("live");
        // Keep focus where it was if it sat inside the swapped part.
        if (fresh && !live.contains(document.activeElement)) { live.innerHTML = fresh.innerHTML; }
        else if (fresh) { timer = window.setTimeout(refresh, 2000); }
      })
      .catch(function () {})
      .then(function () { busy = false; });
  }
  var es = new EventSource(live.getAttribute("data-events"));
  es.addEventListener("changed", function () {
    // Several changes at once (a burst of cases) cost one read.
    if (!timer) { timer = window.setTimeout(refresh, 300); }
  });
})();
