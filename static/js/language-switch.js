// The language switch keeps the scenario: the calculator rewrites the address bar as the form
// changes (htmx), so each link takes the page's current query string and fragment when followed.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-language-switch]");
    if (!link) return;
    var url = new URL(link.href, window.location.href);
    url.search = window.location.search;
    url.hash = window.location.hash;
    link.href = url.toString();
  });
})();
