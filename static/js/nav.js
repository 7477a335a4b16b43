// Behaviour for every signed-in page, loaded by templates/base.html. It lives in a file rather than in
// the page because the Content-Security-Policy (config/settings/base.py) runs no inline script and no
// onclick=/onchange= attribute.
(function () {
  "use strict";

  // The navbar suggestions by keyboard: ↓ from the box enters the list, ↑/↓ move, Esc closes.
  var box = document.getElementById("nav-search-q");
  var list = document.getElementById("nav-search-suggestions");
  if (box && list) {
    var links = function () { return Array.prototype.slice.call(list.querySelectorAll("a")); };
    var close = function () { list.innerHTML = ""; };
    box.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && links().length) { e.preventDefault(); links()[0].focus(); }
      if (e.key === "Escape") close();
    });
    list.addEventListener("keydown", function (e) {
      var all = links(), at = all.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && at < all.length - 1) { e.preventDefault(); all[at + 1].focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); (at > 0 ? all[at - 1] : box).focus(); }
      if (e.key === "Escape") { close(); box.focus(); }
    });
    document.addEventListener("click", function (e) { if (!e.target.closest(".nav-search")) close(); });
  }

  // <select data-autosubmit>: a filter that applies as soon as it is changed (a <noscript> button
  // beside it does the same without JavaScript). Delegated, so it also works in htmx-swapped parts.
  document.addEventListener("change", function (e) {
    var field = e.target.closest && e.target.closest("[data-autosubmit]");
    if (field && field.form) field.form.requestSubmit();
  });

  // A link that htmx enhances (the project page's 填写阶段变更) and whose request the server refuses — the
  // record was moved to another district, the session ended — would otherwise do nothing. Follow it as a plain
  // link instead, so the server's own page (403, 404, the sign-in page) says why.
  // Anything else htmx sends (a form's 标为已读, a review card's buttons, a list that refreshes itself) would show
  // nothing at all: say why in the corner instead — the error page's own sentence ([data-error-message] in
  // templates/403.html and the others), else a general one — until it is closed or the same part next succeeds.
  var alertBox = document.getElementById("htmx-error");
  var failedElt = null;
  var showError = function (text, elt) {
    if (!alertBox) return;
    alertBox.querySelector("[data-error-text]").textContent = text;
    alertBox.hidden = false;
    failedElt = elt;
  };
  var hideError = function () { if (alertBox) alertBox.hidden = true; failedElt = null; };
  document.addEventListener("htmx:responseError", function (e) {
    var elt = e.detail && e.detail.elt;
    if (elt && elt.tagName === "A" && elt.href) { window.location.assign(elt.href); return; }
    var xhr = e.detail && e.detail.xhr, text = "";
    if (xhr && xhr.responseText) {
      var said = new DOMParser().parseFromString(xhr.responseText, "text/html").querySelector("[data-error-message]");
      if (said) text = said.textContent.replace(/\s+/g, " ").trim();
    }
    showError(text || (alertBox && alertBox.dataset.fallback), elt);
  });
  document.addEventListener("htmx:sendError", function (e) {
    showError(alertBox && alertBox.dataset.offline, e.detail && e.detail.elt);
  });
  // Before the swap: a part that replaces itself (hx-swap="outerHTML") is gone from the page afterwards, and its
  // later events no longer reach the document.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var xhr = e.detail && e.detail.xhr, config = e.detail && e.detail.requestConfig;
    if (failedElt && xhr && xhr.status < 400 && config && config.elt === failedElt) hideError();
  });
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-error-close]")) hideError();
  });

  // <input data-select-on-click>: a read-only link to copy; clicking it selects all of it.
  document.addEventListener("click", function (e) {
    var field = e.target.closest && e.target.closest("[data-select-on-click]");
    if (field) field.select();
  });
})();
