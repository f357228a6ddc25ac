// Draws the calculator's Plotly figures, on load and after every htmx swap, and wires the
// small conveniences (gap read-out, copy link). No inline scripts: the figures arrive as JSON
// in <script type="application/json" id="figures-data">, rendered by json_script.
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
      if (figure) {
        window.Plotly.react(node, figure.data, figure.layout, PLOT_CONFIG);
      }
    });
  }

  function showGap() {
    var slider = document.getElementById("id_gap");
    var output = document.getElementById("gap-output");
    if (!slider || !output) return;
    var value = parseFloat(slider.value);
    output.textContent = isFinite(value) ? (Math.round(value * 1000) / 10) + "%" : "";
  }

  function copyLink(button) {
    var status = button.parentNode.querySelector(".copy-status");
    var url = window.location.href;
    function done(message) { if (status) status.textContent = message; }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(
        function () { done("Link copied."); },
        function () { done("Copy this address: " + url); }
      );
    } else {
      done("Copy this address: " + url);
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-url]");
    if (button) copyLink(button);
  });
  document.addEventListener("input", function (event) {
    if (event.target && event.target.id === "id_gap") showGap();
  });
  // Shareable URLs: leave empty fields out of the request (and so out of the address bar).
  document.addEventListener("htmx:configRequest", function (event) {
    var data = event.detail.formData;
    if (!data || typeof data.delete !== "function") return;
    var empty = [];
    data.forEach(function (value, key) { if (value === "") empty.push(key); });
    empty.forEach(function (key) { data.delete(key); });
  });
  // A redraw replaces the results, and with them any <details> the visitor had opened (a
  // chart's data table, the maths): note which were open and open them again at once.
  var openDetails = [];
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "results") return;
    openDetails = Array.prototype.map.call(
      target.querySelectorAll("details[id][open]"), function (node) { return node.id; });
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "results") return;
    openDetails.forEach(function (id) {
      var node = document.getElementById(id);
      if (node && target.contains(node)) node.open = true;
    });
    openDetails = [];
  });
  // One response settles many out-of-band error slots: draw once, after the results settle.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.id === "results") drawCharts(target);
  });
  // History restores (back button) bring back the old HTML: redraw from its data.
  document.addEventListener("htmx:historyRestore", function () { showGap(); drawCharts(document); });
  window.addEventListener("load", function () { showGap(); drawCharts(document); });
})();
