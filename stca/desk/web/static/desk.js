/* The case desk's only script (no inline script or style: the Content-Security-Policy forbids them).
 *
 * 1. Keyboard-safe interview: Enter in a field never submits (it commits the answer); a date or a
 *    time is sent when complete or when the field loses focus, never on partial input.
 * 2. Nothing lost while the server answers: what the officer types during a request is put back
 *    after the page is swapped, and the focus stays where it was.
 * 3. Session expiry: a warning before the session ends (any activity extends it), a visible message
 *    after it ends, the unsent answers kept and re-sent after signing in again.
 * 4. After Save is refused, focus moves to the first field to correct.
 */
(function () {
  "use strict";

  var COMPLETE = { date: /^\d{4}-\d{2}-\d{2}$/, time: /^\d{1,2}:\d{2}$/ };
  var typed = null;        // id -> value typed while a request was in flight
  var lastSubmitter = "";  // which button started the request

  function onReady(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function interviewForm() { return document.getElementById("interview-form"); }

  // ------------------------------------------------------------------ 1. keyboard
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key !== "Enter" || !el || el.tagName !== "INPUT" || !el.form || el.form.id !== "interview-form") {
      return;
    }
    event.preventDefault();  // never an implicit submission (which would press the first button)
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }, true);

  document.addEventListener("input", function (event) {
    var el = event.target;
    if (typed && el && el.id) { typed[el.id] = el.value; }
    var kind = el && el.dataset ? el.dataset.complete : null;
    if (kind && COMPLETE[kind] && COMPLETE[kind].test(el.value) && el.dataset.sent !== el.value) {
      el.dataset.sent = el.value;
      el.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }, true);

  // A change on a date or time field that is neither complete nor empty waits for the field to be
  // left (the browser fires change on blur): nothing to do here, the server keeps it as typed.

  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest ? event.target.closest("button") : null;
    if (button) { lastSubmitter = button.id || button.value || ""; }
    if (button && button.hasAttribute("data-print")) { window.print(); }
  }, true);

  // ------------------------------------------------------------------ 2. swaps
  document.addEventListener("htmx:beforeRequest", function () { typed = {}; });

  document.addEventListener("htmx:afterSettle", function () {
    var body = document.body;
    body.dataset.settled = String(Number(body.dataset.settled || 0) + 1);
    if (typed) {
      Object.keys(typed).forEach(function (id) {
        var el = document.getElementById(id);
        if (el && "value" in el && el.value !== typed[id]) {
          el.value = typed[id];
          if (el === document.activeElement && el.setSelectionRange && el.type === "text") {
            el.setSelectionRange(el.value.length, el.value.length);
          }
        }
      });
      typed = null;
    }
    var summary = document.getElementById("error-summary");
    if (summary && /save/.test(lastSubmitter)) {
      var first = summary.querySelector("a[href^='#']");
      var target = first ? document.getElementById(first.getAttribute("href").slice(1)) : null;
      (target || summary).focus();
    }
    lastSubmitter = "";
    session.reset();
  });

  // ------------------------------------------------------------------ 3. session
  var session = {
    deadline: 0, warnAt: 0, timer: 0, lastPing: 0,
    meta: function () { return document.querySelector("meta[name='stca-session-ttl']"); },
    ttl: function () { var m = session.meta(); return m ? Number(m.getAttribute("content")) : 0; },
    box: function () { return document.getElementById("session-box"); },
    reset: function (seconds) {
      var ttl = seconds || session.ttl();
      if (!ttl) { return; }
      var now = Date.now();
      session.deadline = now + ttl * 1000;
      session.warnAt = session.deadline - Math.min(120, ttl / 3) * 1000;
      session.hide("session-warning");
      window.clearInterval(session.timer);
      session.timer = window.setInterval(session.tick, 500);
    },
    show: function (id) {
      var el = document.getElementById(id);
      if (el) { el.hidden = false; }
    },
    hide: function (id) {
      var el = document.getElementById(id);
      if (el) { el.hidden = true; }
    },
    tick: function () {
      var now = Date.now();
      if (now >= session.deadline) {
        window.clearInterval(session.timer);
        session.expired();
      } else if (now >= session.warnAt) {
        var left = document.getElementById("session-seconds");
        if (left) { left.textContent = String(Math.ceil((session.deadline - now) / 1000)); }
        session.show("session-warning");
      }
    },
    extend: function () {
      session.lastPing = Date.now();
      return fetch("/api/v1/session", { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (response.status === 401) { session.expired(); return null; }
          return response.ok ? response.json() : null;
        })
        .then(function (body) {
          if (body) { session.reset(typeof body.expires_in === "number" ? body.expires_in : 0); }
        })
        .catch(function () { /* offline: the next answer will tell */ });
    },
    expired: function () {
      session.hide("session-warning");
      var link = document.getElementById("session-signin");
      if (link) {
        var here = window.location.pathname + window.location.search;
        var form = interviewForm();
        if (form && form.dataset.draft && here.indexOf("draft=") < 0) {
          here = window.location.pathname + "?draft=" + form.dataset.draft;
        }
        link.setAttribute("href", "/login?next=" + encodeURIComponent(here));
      }
      session.show("session-expired");
      var heading = document.getElementById("session-expired-title");
      if (heading) { heading.focus(); }
    }
  };

  // Activity (typing, clicking) extends the session, at most once a minute.
  ["keydown", "pointerdown"].forEach(function (name) {
    document.addEventListener(name, function () {
      if (!session.ttl() || Date.now() - session.lastPing < 60000) { return; }
      var box = document.getElementById("session-expired");
      if (box && !box.hidden) { return; }
      session.extend();
    }, true);
  });

  document.addEventListener("click", function (event) {
    if (event.target && event.target.id === "session-extend") { session.extend(); }
  });

  // An answer sent after the session ended: keep it, say so, re-send it after signing in again.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (!xhr || xhr.status !== 401) { return; }
    var form = interviewForm();
    if (form && form.dataset.draft) {
      var values = {};
      new FormData(form).forEach(function (value, key) {
        if (key in values) {
          values[key] = [].concat(values[key], value);
        } else {
          values[key] = value;
        }
      });
      try {
        window.sessionStorage.setItem("stca-unsent", JSON.stringify(
          { draft: form.dataset.draft, action: form.getAttribute("action"), values: values }));
      } catch (e) { /* storage full or disabled: the server-side draft still has the earlier answers */ }
    }
    session.expired();
  });

  onReady(function () {
    session.reset();
    var form = interviewForm();
    var saved = null;
    try { saved = JSON.parse(window.sessionStorage.getItem("stca-unsent") || "null"); } catch (e) { saved = null; }
    if (form && saved && saved.draft === form.dataset.draft && window.htmx) {
      window.sessionStorage.removeItem("stca-unsent");
      var csrf = form.querySelector("input[name='csrf_token']");
      saved.values.csrf_token = csrf ? csrf.value : "";
      window.htmx.ajax("POST", saved.action, { values: saved.values, target: "#page", select: "#page",
                                              swap: "outerHTML" });
    }
  });
}());
