// Refreshes the facts: fetches this page again every 30 s while it is visible and
// swaps the new #live in, so the reader keeps their place. The facts are rendered by
// serve; without this script the page is only as old as its load.
(function () {
  "use strict";
  var EVERY = 30000;
  var note = document.getElementById("refresh-note");
  function refresh() {
    return fetch(new URL("./", document.baseURI), { cache: "no-store" })
      .then(function (r) {
        if (!r.ok) { throw new Error("serve answered " + r.status); }
        return r.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live");
        if (!fresh) { throw new Error("the answer was not the status page"); }
        document.getElementById("live").innerHTML = fresh.innerHTML;
        note.textContent = "This page refreshes itself every 30 seconds.";
        note.className = "";
      })
      .catch(function () {
        var at = document.getElementById("updated");
        note.textContent = "serve did not answer the last refresh; what you see is " +
          (at ? at.textContent : "older") + ".";
        note.className = "error";
      });
  }
  window.cinnoxSyncRefresh = refresh;
  setInterval(function () { if (!document.hidden) { refresh(); } }, EVERY);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { refresh(); } });
})();
