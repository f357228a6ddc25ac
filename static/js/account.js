// The account page: draws the liquidation map from its JSON (no inline scripts) on load and
// after each htmx swap, and after "Add position" or "Remove" moves the focus to the row the
// server names (the status line announces the change to screen readers).
(function () {
  "use strict";

  var PLOT_CONFIG = { displayModeBar: false, responsive: true };

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
      if (figure) window.Plotly.react(node, figure.data, figure.layout, PLOT_CONFIG);
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

  // The charts are about to be replaced: purged, they stay out of htmx's copy of the page.
  document.addEventListener("htmx:beforeHistorySave", function () {
    if (typeof window.Plotly === "undefined") return;
    document.querySelectorAll("#account-results [data-figure]").forEach(function (node) {
      window.Plotly.purge(node);
    });
  });
  document.addEventListener("htmx:historyRestore", function () { drawCharts(document); });

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
