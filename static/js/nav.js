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
  document.addEventListener("htmx:responseError", function (e) {
    var link = e.detail && e.detail.elt;
    if (link && link.tagName === "A" && link.href) window.location.assign(link.href);
  });

  // <input data-select-on-click>: a read-only link to copy; clicking it selects all of it.
  document.addEventListener("click", function (e) {
    var field = e.target.closest && e.target.closest("[data-select-on-click]");
    if (field) field.select();
  });
})();
