// Keyboard shortcuts for a queue's list (see /help/keys): j and k move to the next and previous
// case, o opens it, / goes to the search box. On a case page: r writes a reply, n opens the next
// case of the queue, u goes back to the queue. The case page's one-step form also gets its
// template filled in place and its button saying which status it sets. Our own code, no dependencies; never needed, as
// every link and field is reachable with Tab. Single keys can be turned off on the help page
// (WCAG 2.1.4); they never act while typing in a field or with Ctrl, Alt or Meta held.
(function () {
  "use strict";
  var KEY = "serva-keys";
  function enabled() {
    try { return window.localStorage.getItem(KEY) !== "off"; } catch (e) { return true; }
  }
  function setEnabled(on) {
    try {
      if (on) { window.localStorage.removeItem(KEY); } else { window.localStorage.setItem(KEY, "off"); }
    } catch (e) { /* storage refused: nothing to remember */ }
  }

  // The help page's switch.
  var toggle = document.getElementById("keys-toggle");
  var state = document.getElementById("keys-state");
  function show() {
    if (!toggle || !state) { return; }
    var on = enabled();
    toggle.setAttribute("aria-pressed", on ? "false" : "true");
    state.textContent = on ? state.getAttribute("data-on") : state.getAttribute("data-off");
  }
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () { setEnabled(!enabled()); show(); });
    show();
  }

  var table = document.querySelector("table.queue-cases");
  var rows = table ? Array.prototype.slice.call(table.querySelectorAll("tbody tr")) : [];
  var current = -1;
  function link(row) { return row.querySelector("td a[href^='/cases/']"); }
  function go(i) {
    if (!rows.length) { return; }
    i = Math.max(0, Math.min(rows.length - 1, i));
    if (current >= 0 && rows[current]) { rows[current].classList.remove("key-current"); }
    current = i;
    rows[i].classList.add("key-current");
    var a = link(rows[i]);
    if (a) { a.focus(); }
  }
  function typing(t) {
    if (!t) { return false; }
    var n = t.nodeName;
    return n === "INPUT" || n === "TEXTAREA" || n === "SELECT" || t.isContentEditable;
  }
  // The case page's one-step form: "Använd mall" fills the text in place (without JavaScript
  // it sends the form and the page comes back filled), and the button names the new status.
  var work = document.getElementById("work");
  var body = document.getElementById("body");
  var pick = document.getElementById("template");
  var use = document.getElementById("use-template");
  if (work && body && pick && use) {
    use.addEventListener("click", function (e) {
      var o = pick.options[pick.selectedIndex];
      var text = o && o.getAttribute("data-text");
      if (!text) { return; }
      e.preventDefault();
      body.value = text;
      body.focus();
    });
  }
  var status = document.getElementById("status");
  var send = document.getElementById("work-send");
  if (work && status && send) {
    var label = function () {
      var o = status.options[status.selectedIndex];
      send.textContent = status.value
        ? send.getAttribute("data-with-status") + " \u201d" + o.textContent.trim() + "\u201d"
        : send.getAttribute("data-plain");
    };
    status.addEventListener("change", label);
    label();
  }

  document.addEventListener("keydown", function (e) {
    if (!enabled() || e.ctrlKey || e.altKey || e.metaKey || typing(e.target)) { return; }
    if (work) {
      var to = null;
      if (e.key === "r" && body) { e.preventDefault(); body.focus(); return; }
      if (e.key === "n") { to = document.getElementById("next-case"); }
      if (e.key === "u") { to = document.querySelector("nav.case-nav a[href^='/queues/']"); }
      if (to) { e.preventDefault(); window.location.href = to.href; }
      return;
    }
    if (e.key === "/") {
      var q = document.getElementById("q");
      if (q) { e.preventDefault(); q.focus(); }
      return;
    }
    if (!rows.length) { return; }
    // A row focused by Tab counts as the current one.
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].contains(document.activeElement)) { current = i; break; }
    }
    if (e.key === "j") { e.preventDefault(); go(current + 1); }
    else if (e.key === "k") { e.preventDefault(); go(current < 0 ? 0 : current - 1); }
    else if (e.key === "o" && current >= 0) {
      var a = link(rows[current]);
      if (a) { e.preventDefault(); window.location.href = a.href; }
    }
  });
})();
