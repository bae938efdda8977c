/* The live console: refreshes the open conversation (or the inbox list) when the
   /ws/console/ socket reports a change. The pages work without it: reload by hand. */
(function () {
  "use strict";

  var LIVE_TYPES = { message: true, delivery: true, conversation: true };
  var MAX_BACKOFF_MS = 30000;

  function page() {
    var conversation = document.querySelector("[data-console-conversation]");
    if (conversation) {
      return {
        id: String(conversation.getAttribute("data-console-conversation")),
        url: conversation.getAttribute("data-console-messages"),
        target: "#log",
      };
    }
    var list = document.querySelector("[data-console-list]");
    if (list) return { id: null, url: null, target: "#inbox-results" };
    return null;
  }

  function scrollLogToEnd() {
    var log = document.getElementById("log");
    if (log) log.scrollTop = log.scrollHeight;
  }

  // A rep typing in the drafts card (guidance, an edited draft) keeps their text: the
  // refresh waits until they leave the field.
  function typingInDrafts() {
    var active = document.activeElement;
    return !!(active && active.closest && active.closest("#conversation-drafts") &&
      (active.tagName === "TEXTAREA" || active.tagName === "INPUT"));
  }

  function refresh(view) {
    if (!window.htmx) return;
    if (view.id && typingInDrafts()) {
      document.activeElement.addEventListener("blur", function () { refresh(view); }, { once: true });
      return;
    }
    if (view.id) {
      htmx.ajax("GET", view.url, { target: view.target, swap: "outerHTML" }).then(scrollLogToEnd);
    } else {
      // The list keeps its filters and page: they are in the address.
      htmx.ajax("GET", window.location.pathname + window.location.search, {
        target: view.target,
        swap: "innerHTML",
      });
    }
  }

  function showLive(connected) {
    document.querySelectorAll("[data-console-status]").forEach(function (badge) {
      badge.hidden = !connected;
    });
  }

  function connect(view) {
    if (!("WebSocket" in window)) return;
    var backoff = 1000;
    var pending = null;

    function open() {
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      var socket = new WebSocket(scheme + window.location.host + "/ws/console/");
      var pinger = null;
      socket.addEventListener("open", function () {
        backoff = 1000;
        showLive(true);
        // Keeps this rep "online" for handoffs (the server forgets after 90 s).
        pinger = window.setInterval(function () {
          socket.send(JSON.stringify({ type: "ping" }));
        }, 30000);
      });
      socket.addEventListener("message", function (event) {
        var frame;
        try {
          frame = JSON.parse(event.data);
        } catch (error) {
          return;
        }
        if (!frame || !LIVE_TYPES[frame.type]) return;
        var id = frame.conversation && frame.conversation.id;
        if (view.id && String(id) !== view.id) return;
        // Bursts of frames (a message and its delivery) make one refresh.
        if (pending) return;
        pending = window.setTimeout(function () {
          pending = null;
          refresh(view);
        }, 150);
      });
      socket.addEventListener("close", function (event) {
        showLive(false);
        window.clearInterval(pinger);
        if (event.code === 4403) return; // signed out or no access: retrying cannot help
        var wait = backoff + Math.floor(Math.random() * 500);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        window.setTimeout(open, wait);
      });
    }

    open();
  }

  // Ctrl+Enter (or Cmd+Enter) sends the reply or the note.
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (
      event.key === "Enter" &&
      (event.ctrlKey || event.metaKey) &&
      box instanceof HTMLTextAreaElement &&
      box.hasAttribute("data-submit-on-ctrl-enter") &&
      box.form
    ) {
      event.preventDefault();
      box.form.requestSubmit ? box.form.requestSubmit() : box.form.submit();
    }
  });

  // A canned response fills the reply box (server-rendered in the buyer's language);
  // nothing is sent until the rep presses Send.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.hasAttribute("data-canned-into")) return;
    var box = document.getElementById(select.getAttribute("data-canned-into"));
    var url = select.value;
    if (!box || !url) return;
    window
      .fetch(url, { credentials: "same-origin", headers: { Accept: "text/plain" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (text) {
        box.value = text;
        box.dispatchEvent(new Event("input", { bubbles: true }));
        box.focus();
      })
      .catch(function () {})
      .then(function () {
        select.value = "";
      });
  });

  // Without htmx, forms with data-confirm ask before they post (htmx uses hx-confirm).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (window.htmx || !(form instanceof HTMLFormElement)) return;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });

  // After a reply or a note, put the cursor back in its (cleared) box.
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var target = event.detail.target;
    if (!target) return;
    if (target.id === "log") scrollLogToEnd();
    if (target.id === "reply-form" || target.id === "console-note-form") {
      var box = target.querySelector("textarea");
      if (box) box.focus();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    scrollLogToEnd();
    var view = page();
    if (view) connect(view);
  });
})();
