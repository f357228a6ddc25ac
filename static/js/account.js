// The account page: draws the liquidation map from its JSON (no inline scripts) on load and
// after each htmx swap, and after "Add position" or "Remove" moves the focus to the row the
// server names (the status line announces the change to screen readers).
(function () {
  "use strict";

  var PLOT_CONFIG = { displayModeBar: false, responsive: true };
  // The chart nodes drawn: each swap brings new ones. The back button's swap is followed by
  // both htmx:afterSettle (on #account) and htmx:historyRestore, and draws the map once.
  var drawn = typeof window.WeakSet === "function" ? new window.WeakSet() : null;

  function drawCharts(root) {
    var dataNode = document.getElementById("figures-data");
    if (!dataNode || typeof window.Plotly === "undefined") return;
    var figures;
    try {
      figures = JSON.parse(dataNode.textContent);
    } catch (err) {
      return;
    }
    (root || document).querySelectorAll("[data-figure]").forEach(function (node) {
      var figure = figures[node.getAttribute("data-figure")];
      if (!figure || (drawn && drawn.has(node))) return;
      window.Plotly.react(node, figure.data, figure.layout, PLOT_CONFIG);
      if (drawn) drawn.add(node);
    });
  }

  function focusEditedRow() {
    var status = document.getElementById("account-status");
    if (!status || !status.hasAttribute("data-focus-row")) return;
    var row = document.getElementById("position-" + status.getAttribute("data-focus-row"));
    var target = row ? row.querySelector("input, select") : document.getElementById("add-position");
    if (target) target.focus();
    status.removeAttribute("data-focus-row");
  }

  // The chart is drawn in a task after the frame that shows the new answer, so the words and
  // the table never wait for plotly.js.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.target;
    if (!target || (target.id !== "account-results" && target.id !== "account")) return;
    if (target.id === "account") focusEditedRow();
    window.requestAnimationFrame(function () {
      window.setTimeout(function () { drawCharts(target); }, 0);
    });
  });
  // "Add position" and "Remove" send the whole form and redraw it all. A field's redraw still
  // waiting out its typing pause would otherwise fire after them and, by the form's hx-sync,
  // cancel the edit: until the edited form is on screen, such redraws are dropped (the edit's
  // answer already counts what was typed).
  var editing = false;
  var editTimer = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (!elt || !elt.matches("#add-position, .remove-position")) return;
    editing = true;
    window.clearTimeout(editTimer);
    editTimer = window.setTimeout(function () { editing = false; }, 10000);
  });
  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail && event.detail.elt;
    if (editing && elt && elt.id === "account-form") event.preventDefault();
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "account") editing = false;
  });
  document.addEventListener("htmx:sendError", function () { editing = false; });
  document.addEventListener("htmx:responseError", function () { editing = false; });

  // A redraw (or the back button) replaces the chart nodes, and plotly.js keeps a resize
  // listener, and with it the old SVG, for each one it drew: let go of the replaced ones once
  // the swap has happened (bad input swaps nothing and keeps them on show).
  var replacedCharts = [];
  function noteCharts() {
    if (typeof window.Plotly === "undefined") return;
    replacedCharts = Array.prototype.slice.call(document.querySelectorAll("[data-figure]"));
  }
  function purgeReplacedCharts() {
    replacedCharts.forEach(function (node) {
      if (!node.isConnected) window.Plotly.purge(node);
    });
    replacedCharts = [];
  }
  function swapsAccount(event) {
    var target = event.detail && event.detail.target;
    return target && (target.id === "account-results" || target.id === "account");
  }
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (swapsAccount(event)) noteCharts();
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (swapsAccount(event)) purgeReplacedCharts();
  });

  // The page keeps no copy of itself for the back button (account.html): htmx asks the server
  // for the address's account and swaps in the form and results, then the map is drawn from
  // their data. If that request fails, the page on show no longer matches the address: load
  // it whole.
  document.addEventListener("htmx:historyCacheMiss", function (event) {
    noteCharts();
    var xhr = event.detail && event.detail.xhr;
    if (xhr) xhr.addEventListener("error", reloadPage);
  });
  document.addEventListener("htmx:historyRestore", function () {
    purgeReplacedCharts();
    drawCharts(document);
  });
  function reloadPage() { window.location.reload(); }
  document.addEventListener("htmx:historyCacheMissLoadError", reloadPage);

  // A page a reading posted (account.html marks it) has an address the server cannot answer
  // again with a GET: the back button, coming back to it, would ask for it. It takes the
  // address its own form would push, which shows the same account (the address read stays out
  // of it, as it stays out of the form).
  function addressForPostedPage() {
    var account = document.getElementById("account");
    var form = document.getElementById("account-form");
    if (!account || !form || !account.hasAttribute("data-posted")) return;
    var query = new URLSearchParams(new FormData(form)).toString();
    window.history.replaceState(window.history.state, "", form.getAttribute("action") + "?" + query);
  }
  addressForPostedPage();

  // The collateral-assets input only where the platform counts several assets (or on custom
  // rules), as on the calculator page; kept shown while it holds a value.
  document.addEventListener("change", function (event) {
    if (!event.target || event.target.id !== "id_platform") return;
    var block = document.getElementById("collateral-assets");
    if (!block) return;
    var input = block.querySelector("input");
    var offered = (block.getAttribute("data-platforms") || "").split(" ");
    block.hidden = !(!event.target.value || offered.indexOf(event.target.value) !== -1 ||
      (input && input.value.trim() !== ""));
  });
  window.addEventListener("load", function () { drawCharts(document); });
})();
