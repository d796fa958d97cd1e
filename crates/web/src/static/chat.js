// Serva's chat, upgraded from a plain form to a WebSocket. Our own code, no dependencies.
// Without this script the chat page still works: the form posts and the page shows the
// transcript. With it, lines arrive live; after a lost connection it reconnects with growing
// pauses and asks for everything after the last sequence number it has, so nothing is missed
// or shown twice; a message not yet acknowledged is sent again under the same client_id,
// which the server stores once.
(function () {
  "use strict";
  var root = document.getElementById("chat");
  if (!root || !("WebSocket" in window) || !window.JSON) { return; }
  var list = document.getElementById("transcript");
  var form = document.getElementById("chat-form");
  var status = document.getElementById("chat-connection");
  var stateEl = document.getElementById("chat-state");
  var lastSeq = parseInt(root.getAttribute("data-last-seq") || "0", 10) || 0;
  var pending = {}; // client_id -> body, until acknowledged
  var ws = null;
  var delay = 500;
  var ended = root.getAttribute("data-state") === "ended";

  function label(side) { return root.getAttribute("data-label-" + side) || side; }
  function say(text) { if (status) { status.textContent = text || ""; } }
  function newId() {
    if (window.crypto && window.crypto.getRandomValues) {
      var a = new Uint32Array(4);
      window.crypto.getRandomValues(a);
      return "js-" + Array.prototype.map.call(a, function (n) { return n.toString(36); }).join("");
    }
    return "js-" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  function clock(ms) {
    var d = new Date(ms);
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  function append(m) {
    if (m.seq <= lastSeq) { return; } // shown already
    if (m.seq !== lastSeq + 1) { // a gap: ask again from where we are
      send({ type: "resume", after: lastSeq });
      return;
    }
    var li = document.createElement("li");
    li.className = m.from === "agent" ? "from-agent" : "from-customer";
    li.setAttribute("data-seq", String(m.seq));
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = (m.name || "") + " (" + label(m.from) + ")";
    var time = document.createElement("time");
    time.setAttribute("datetime", new Date(m.at).toISOString());
    time.textContent = clock(m.at);
    var body = document.createElement("p");
    body.className = "body";
    body.textContent = m.body;
    li.appendChild(who);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(time);
    li.appendChild(body);
    list.appendChild(li);
    lastSeq = m.seq;
  }
  function send(frame) {
    if (ws && ws.readyState === 1) { ws.send(JSON.stringify(frame)); return true; }
    return false;
  }
  function showEnded() {
    ended = true;
    // The page as the server renders it for an ended chat: no forms, a closing note.
    window.location.reload();
  }
  function connect() {
    if (ended) { return; }
    var proto = window.location.protocol === "https:" ? "wss:" : "ws:";
    ws = new WebSocket(proto + "//" + window.location.host + root.getAttribute("data-ws"));
    ws.onopen = function () {
      delay = 500;
      say(root.getAttribute("data-text-online"));
      send({ type: "resume", after: lastSeq });
      Object.keys(pending).forEach(function (id) {
        send({ type: "send", client_id: id, body: pending[id] });
      });
    };
    ws.onmessage = function (ev) {
      var f;
      try { f = JSON.parse(ev.data); } catch (e) { return; }
      if (f.type === "message") { append(f); }
      else if (f.type === "ack") { delete pending[f.client_id]; }
      else if (f.type === "state") {
        if (stateEl && f.state !== root.getAttribute("data-state")) {
          root.setAttribute("data-state", f.state);
          if (f.state === "ended") { showEnded(); return; }
          // Taken: the page's forms change (no "take" button), so read it again.
          window.location.reload();
        }
      } else if (f.type === "error") {
        say(f.message);
        if (f.code === "chat_ended") { pending = {}; showEnded(); }
        if (f.code === "unknown_seq") { lastSeq = 0; while (list.firstChild) { list.removeChild(list.firstChild); } send({ type: "resume", after: 0 }); }
      }
    };
    ws.onclose = function () {
      ws = null;
      if (ended) { return; }
      say(root.getAttribute("data-text-offline"));
      var wait = delay + Math.floor(Math.random() * delay / 2);
      delay = Math.min(delay * 2, 30000);
      window.setTimeout(connect, wait);
    };
  }
  if (form) {
    form.addEventListener("submit", function (ev) {
      var area = form.querySelector("textarea");
      var text = area.value.replace(/^\s+|\s+$/g, "");
      if (!text) { return; } // let the browser say the field is required
      ev.preventDefault();
      var id = newId();
      pending[id] = text;
      send({ type: "send", client_id: id, body: text });
      area.value = "";
      area.focus();
    });
  }
  connect();
})();
