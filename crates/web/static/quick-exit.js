// Quick exit ("Snel weg", POR-5) for the client portal of a domestic-violence service.
//
// The button, or Escape pressed twice, replaces the page with a neutral one through
// `location.replace`, so the portal's page is not left behind in the tab's back history.
// It goes through /portaal/snel-weg, which ends the portal session and answers with a
// redirect to the neutral page: going forward again, or reopening the portal, finds no
// signed-in session.
//
// `location.replace` only replaces the current history entry. So that the portal never
// has more than that one entry, this script also keeps every step inside the portal in
// that entry: a link is followed with `location.replace`, a GET form likewise, and a
// POST form is sent with `fetch` and its answer shown in place, the address set with
// `history.replaceState`. The browser's back button then leaves the portal altogether,
// as the quick exit does.
//
// Without JavaScript the button is a plain link to /portaal/snel-weg: the session ends
// and the neutral page opens, but the portal's pages stay in the back history (only a
// script can keep them out); the help text next to the button says to close the tab.
//
// Loaded from the app's own origin (the Content-Security-Policy allows no inline
// script), only on pages that offer the quick exit.
(function () {
  "use strict";
  if (window.__zvQuickExit) {
    return;
  }
  window.__zvQuickExit = true;

  var ESCAPE_WINDOW_MS = 1500;
  var lastEscape = 0;

  function exitLink() {
    return document.querySelector("a[data-quick-exit]");
  }

  function leave() {
    var link = exitLink();
    var target = link ? link.href : "/portaal/snel-weg";
    // Hide the page at once, before the neutral one has loaded.
    document.documentElement.hidden = true;
    document.title = "";
    window.location.replace(target);
  }

  function samePortal(url) {
    return url.origin === window.location.origin && url.pathname.indexOf("/portaal") === 0;
  }

  // The answer to a form, shown in place of the page, in the same history entry.
  function show(response) {
    return response.text().then(function (html) {
      var parsed = new DOMParser().parseFromString(html, "text/html");
      var root = document.adoptNode(parsed.documentElement);
      document.replaceChild(root, document.documentElement);
      window.history.replaceState(null, "", response.url);
      window.scrollTo(0, 0);
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.repeat) {
      lastEscape = event.key === "Escape" ? lastEscape : 0;
      return;
    }
    var now = Date.now();
    if (now - lastEscape <= ESCAPE_WINDOW_MS) {
      event.preventDefault();
      leave();
      return;
    }
    lastEscape = now;
  });

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey) {
      return;
    }
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link) {
      return;
    }
    if (link.hasAttribute("data-quick-exit")) {
      event.preventDefault();
      leave();
      return;
    }
    var url = new URL(link.href, window.location.href);
    // Downloads open no page; other sites and new tabs keep their own history.
    if (!samePortal(url) || link.target || link.hasAttribute("download") ||
        url.pathname.indexOf("/portaal/bijlagen/") === 0 ||
        (url.hash && url.pathname === window.location.pathname)) {
      return;
    }
    event.preventDefault();
    window.location.replace(url.href);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) {
      return;
    }
    var action = new URL(form.getAttribute("action") || window.location.href, window.location.href);
    if (!samePortal(action) || form.target) {
      return;
    }
    var submitter = event.submitter || null;
    var data;
    try {
      data = submitter ? new FormData(form, submitter) : new FormData(form);
    } catch (e) {
      data = new FormData(form);
    }
    event.preventDefault();
    if ((form.method || "get").toLowerCase() !== "post") {
      var params = new URLSearchParams();
      data.forEach(function (value, key) {
        params.append(key, value);
      });
      action.search = params.toString();
      window.location.replace(action.href);
      return;
    }
    var multipart = (form.enctype || "").toLowerCase() === "multipart/form-data";
    var body = multipart ? data : new URLSearchParams(data);
    fetch(action.href, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "follow"
    }).then(show).catch(function () {
      // The network failed: send the form the ordinary way.
      form.submit();
    });
  });
})();
