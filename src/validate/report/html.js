(function () {
  "use strict";
  // Each violation: [line or contact position, column, field, rule, severity, value,
  // message, suggestion, related ids] and, for a contact stored in CINNOX, [id, name, owner].
  var COL = 1, FIELD = 2, RULE = 3, SEV = 4, VALUE = 5, MSG = 6, SUGG = 7, REL = 8;
  // Fields whose values are phone numbers or ids: never broken across lines.
  var UNBROKEN = /phone$|^whatsapp$|^woztellwhatsapp$|^id$/i;
  var all = JSON.parse(document.getElementById("data").textContent);
  var text = function (x) { return x == null ? "" : Array.isArray(x) ? x.join(" ") : String(x); };
  var hay = all.map(function (v) { return v.map(text).join("\u0001").toLowerCase(); });
  var heads = Array.prototype.slice.call(document.querySelectorAll("#t th"));
  var order = heads.map(function (th) { return Number(th.dataset.k); });
  var labels = heads.map(function (th) { return th.textContent; });
  var unbroken = heads.map(function (th) { return th.hasAttribute("data-nb"); });
  var page = 500, shown = page, key = 0, dir = 1, rows = [];
  var $ = function (id) { return document.getElementById(id); };
  var body = document.querySelector("#t tbody");

  function cmp(a, b) {
    if (typeof a === "number" && typeof b === "number") return a - b;
    return text(a).localeCompare(text(b));
  }

  function apply() {
    var q = $("q").value.trim().toLowerCase(), r = $("rule").value, s = $("sev").value, c = $("col").value;
    rows = [];
    for (var i = 0; i < all.length; i++) {
      var v = all[i];
      if ((r && v[RULE] !== r) || (s && v[SEV] !== s) || (c && v[COL] !== c && !(c === "(row)" && v[COL] === ""))) continue;
      if (q && hay[i].indexOf(q) < 0) continue;
      rows.push(v);
    }
    rows.sort(function (a, b) { return cmp(a[key], b[key]) * dir || a[0] - b[0]; });
    shown = page;
    render();
  }

  // The message as text, with the ids it names kept whole.
  function message(td, v) {
    var s = text(v[MSG]), ids = (v[REL] || []).filter(function (id) { return id && s.indexOf(id) >= 0; });
    if (!ids.length) { td.textContent = s; return; }
    var re = new RegExp(ids.map(function (id) { return id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|"), "g");
    var at = 0, m;
    while ((m = re.exec(s))) {
      td.appendChild(document.createTextNode(s.slice(at, m.index)));
      var span = document.createElement("span");
      span.className = "nb";
      span.textContent = m[0];
      td.appendChild(span);
      at = m.index + m[0].length;
    }
    td.appendChild(document.createTextNode(s.slice(at)));
  }

  function render() {
    var frag = document.createDocumentFragment();
    rows.slice(0, shown).forEach(function (v) {
      var tr = document.createElement("tr");
      tr.className = v[SEV];
      order.forEach(function (k, i) {
        var td = document.createElement("td");
        td.dataset.label = labels[i];
        var t = text(v[k]);
        if (k === MSG) message(td, v); else td.textContent = t;
        var cls = [];
        if (unbroken[i] || ((k === VALUE || k === SUGG) && UNBROKEN.test(v[FIELD]))) cls.push("nb");
        if (k === VALUE || k === SUGG) cls.push("mono");
        if (t === "") cls.push("empty");
        td.className = cls.join(" ");
        tr.appendChild(td);
      });
      frag.appendChild(tr);
    });
    body.replaceChildren(frag);
    var n = Math.min(shown, rows.length);
    $("count").textContent = "showing " + n.toLocaleString("en") + " of " + rows.length.toLocaleString("en") +
      " matching (" + all.length.toLocaleString("en") + " in all)";
    $("more").hidden = rows.length <= shown;
    $("more").textContent = "Show " + Math.min(page, rows.length - shown).toLocaleString("en") + " more";
  }

  function sortBy(th) {
    var k = Number(th.dataset.k);
    dir = k === key ? -dir : 1;
    key = k;
    heads.forEach(function (o) { o.classList.remove("asc", "desc"); });
    th.classList.add(dir > 0 ? "asc" : "desc");
    apply();
  }

  var timer;
  $("q").addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(apply, 150); });
  ["rule", "sev", "col"].forEach(function (id) { $(id).addEventListener("change", apply); });
  $("more").addEventListener("click", function () { shown += page; render(); });
  heads.forEach(function (th) {
    th.addEventListener("click", function () { sortBy(th); });
    th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(th); } });
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
