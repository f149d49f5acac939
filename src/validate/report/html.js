(function () {
  "use strict";
  // Each violation: [line, column, field, rule, severity, value, message, suggestion, guess].
  var all = JSON.parse(document.getElementById("data").textContent);
  var hay = all.map(function (v) { return v.join("\u0001").toLowerCase(); });
  var order = [0, 1, 2, 3, 4, 5, 7, 6];
  var page = 500, shown = page, key = 0, dir = 1, rows = [];
  var $ = function (id) { return document.getElementById(id); };
  var body = document.querySelector("#t tbody");

  function cmp(a, b) {
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a == null ? "" : a).localeCompare(String(b == null ? "" : b));
  }

  function apply() {
    var q = $("q").value.trim().toLowerCase(), r = $("rule").value, s = $("sev").value, c = $("col").value;
    rows = [];
    for (var i = 0; i < all.length; i++) {
      var v = all[i];
      if ((r && v[3] !== r) || (s && v[4] !== s) || (c && v[1] !== c && !(c === "(row)" && v[1] === ""))) continue;
      if (q && hay[i].indexOf(q) < 0) continue;
      rows.push(v);
    }
    rows.sort(function (a, b) { return cmp(a[key], b[key]) * dir || a[0] - b[0]; });
    shown = page;
    render();
  }

  function render() {
    var frag = document.createDocumentFragment();
    rows.slice(0, shown).forEach(function (v) {
      var tr = document.createElement("tr");
      tr.className = v[4];
      order.forEach(function (k) {
        var td = document.createElement("td");
        // A guess shows in the suggestion's column, marked as one.
        var text = k === 7 && v[7] == null && v[8] != null ? "maybe " + v[8] : v[k];
        td.textContent = text == null ? "" : String(text);
        tr.appendChild(td);
      });
      frag.appendChild(tr);
    });
    body.replaceChildren(frag);
    var n = Math.min(shown, rows.length);
    $("count").textContent = "showing " + n.toLocaleString() + " of " + rows.length.toLocaleString() +
      " matching (" + all.length.toLocaleString() + " in all)";
    $("more").hidden = rows.length <= shown;
    $("more").textContent = "Show " + Math.min(page, rows.length - shown).toLocaleString() + " more";
  }

  var timer;
  $("q").addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(apply, 150); });
  ["rule", "sev", "col"].forEach(function (id) { $(id).addEventListener("change", apply); });
  $("more").addEventListener("click", function () { shown += page; render(); });
  document.querySelectorAll("#t th").forEach(function (th) {
    th.addEventListener("click", function () {
      var k = Number(th.dataset.k);
      dir = k === key ? -dir : 1;
      key = k;
      document.querySelectorAll("#t th").forEach(function (o) { o.className = o === th ? (dir > 0 ? "asc" : "desc") : (o.dataset.k === "0" ? "num" : ""); });
      apply();
    });
  });
  document.querySelectorAll(".chart .bar").forEach(function (g) {
    g.addEventListener("click", function () {
      var sel = $("rule");
      sel.value = sel.value === g.dataset.rule ? "" : g.dataset.rule;
      apply();
      $("t").scrollIntoView({ behavior: "smooth" });
    });
  });
  apply();
})();
