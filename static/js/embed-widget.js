// Inside the embed iframe: draws the chart (from json_script "figures-data") on load and after
// each htmx swap, keeps the gap read-out current, and tells the host page how tall the widget is.
//
// The only message it sends is {type: "underwater:resize", id, height}: a name, the id the
// loader gave this iframe, and a number. It carries nothing else, so it may go to any parent
// ("*"); the loader checks origin, source, shape and range before it uses it. The widget listens
// to no messages at all.
(function () {
  "use strict";

  var PLOT_CONFIG = { displayModeBar: false, responsive: true };
  var CHART_HEIGHT = 260;
  var body = document.body;
  var root = document.querySelector(".uw");
  var widgetId = body.getAttribute("data-widget-id") || "";
  var embedded = window.parent !== window;
  var lastHeight = 0;
  // plotly.js (a partial bundle, ~330 KB compressed) is fetched after the widget has loaded, so
  // the answer never waits for it; the script tag that loads this file names it.
  var PLOTLY_SRC = document.currentScript && document.currentScript.getAttribute("data-plotly-src");
  var plotlyRequested = false;

  function loadPlotly() {
    if (plotlyRequested || !PLOTLY_SRC) return;
    plotlyRequested = true;
    var script = document.createElement("script");
    script.src = PLOTLY_SRC;
    script.onload = draw;
    document.head.appendChild(script);
  }

  // The chart module draws for a light page. In the dark theme the same figure is recoloured:
  // each of its fixed colours is swapped for a lighter one that reads on the dark background.
  var DARK_COLOURS = [
    ["#0f1b2a", "#e8eef6"], // ink
    ["#e3e8ef", "#2c3d52"], // grid
    ["#9aa8b8", "#5b6f86"], // zero line
    ["#ffffff", "#0f1b2a"], // plot background
    ["rgba(255,255,255,0.85)", "rgba(15,27,42,0.85)"], // label boxes
    ["rgba(161,17,31,0.18)", "rgba(255,141,152,0.45)"], // the area below zero, and its key
    ["#0a6fb0", "#6cc0ff"], // accent
    ["#a1111f", "#ff8d98"], // danger
    ["#1d6b3a", "#7fdc9f"], // safe
    ["#8a5300", "#f3c06b"], // liquidation
    ["#3d4b5c", "#a9b7c7"], // entry
    ["#5b3b8c", "#c3a6f0"]
  ];

  function themed(figure) {
    var text = JSON.stringify(figure);
    if (body.classList.contains("theme-dark")) {
      DARK_COLOURS.forEach(function (pair) {
        text = text.split(pair[0]).join(pair[1]);
      });
    }
    var copy = JSON.parse(text);
    var layout = copy.layout || {};
    // Compact: a shorter plot and a tighter margin.
    if (!layout.height || layout.height > CHART_HEIGHT) layout.height = CHART_HEIGHT;
    layout.margin = { l: 58, r: 10, t: 26, b: 40 };
    layout.font = layout.font || {};
    layout.font.size = 12;
    // The site writes legends into its pages (calculator/charts.py, in_page_legend); the
    // widget keeps plotly.js's own, below its short plot.
    if (layout.legend) {
      layout.legend.y = -0.3;
      delete layout.showlegend;
    }
    copy.layout = layout;
    return copy;
  }

  function draw() {
    var dataNode = document.getElementById("figures-data");
    if (!dataNode) return;
    if (typeof window.Plotly === "undefined") {
      loadPlotly();
      return;
    }
    var figures;
    try {
      figures = JSON.parse(dataNode.textContent);
    } catch (err) {
      return;
    }
    document.querySelectorAll("[data-figure]").forEach(function (node) {
      var figure = figures[node.getAttribute("data-figure")];
      if (!figure) return;
      var wait = node.querySelector(".uw-chart-wait");
      if (wait) wait.remove();
      node.classList.add("is-drawn");
      var view = themed(figure);
      window.Plotly.react(node, view.data, view.layout, PLOT_CONFIG);
    });
    reportHeight();
  }

  function reportHeight() {
    if (!embedded || !root) return;
    var height = Math.ceil(root.getBoundingClientRect().height);
    if (!isFinite(height) || height <= 0 || height === lastHeight) return;
    lastHeight = height;
    window.parent.postMessage({ type: "underwater:resize", id: widgetId, height: height }, "*");
  }

  function showGap() {
    var slider = document.getElementById("uw-gap");
    var output = document.getElementById("uw-gap-output");
    if (!slider || !output) return;
    var value = parseFloat(slider.value);
    output.textContent = isFinite(value) ? Math.round(value * 1000) / 10 + "%" : "";
  }

  document.addEventListener("input", function (event) {
    if (event.target && event.target.id === "uw-gap") showGap();
  });
  // Typing fires "input", leaving the field "change": skip the second request when it asks for
  // the scenario on show (unless the last request failed).
  var lastScenario = null;
  document.addEventListener("htmx:configRequest", function (event) {
    var data = event.detail.formData;
    if (!data || !event.detail.elt || !event.detail.elt.classList.contains("uw-form")) return;
    var parts = [];
    data.forEach(function (value, key) { parts.push(key + "=" + value); });
    var scenario = parts.join("&");
    if (scenario === lastScenario) event.preventDefault();
    else lastScenario = scenario;
  });
  function forgetScenario() { lastScenario = null; }
  document.addEventListener("htmx:responseError", forgetScenario);
  document.addEventListener("htmx:sendError", forgetScenario);
  // As on the calculator page (#23): the new answer is painted first, with the chart drawn for
  // the answer before kept in its place (not "Loading the chart…"), and the chart is drawn
  // again in the task after that frame, so the answer does not wait for plotly.js.
  // The results are morphed into the new answer (idiomorph, htmx's morph extension, on the
  // form): what did not change stays as it was, and htmx no longer walks the removed nodes
  // with two events apiece (the drawing alone is some 150 SVG nodes). The chart's node is kept
  // with its drawing, the new answer's words and figure key copied onto it.
  function keepDrawing(old, fresh) {
    if (!old.classList || !old.classList.contains("js-plotly-plot")) return true;
    Array.prototype.forEach.call(fresh.attributes, function (attribute) {
      if (attribute.name !== "class") old.setAttribute(attribute.name, attribute.value);
    });
    return false;  // its children are plotly.js's drawing, not the server's
  }
  if (typeof window.Idiomorph !== "undefined") {
    window.Idiomorph.defaults.callbacks.beforeNodeMorphed = keepDrawing;
  }
  // plotly.js keeps a resize listener, and with it the SVG, for each node it drew: let go of
  // the node a swap removed (an answer with no chart).
  var replacedCharts = [];
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "uw-results" || typeof window.Plotly === "undefined") return;
    replacedCharts = Array.prototype.slice.call(target.querySelectorAll(".js-plotly-plot"));
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.target || event.target.id !== "uw-results") return;
    replacedCharts.forEach(function (old) {
      if (!old.isConnected) window.Plotly.purge(old);
    });
    replacedCharts = [];
  });
  // Once per response, when the results settle: htmx sends afterSettle to every element a
  // response swapped out of band as well (the main page drew its charts three times so).
  var answers = 0;
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.target || event.target.id !== "uw-results") return;
    var answer = (answers += 1);
    window.requestAnimationFrame(function () {
      window.setTimeout(function () { if (answer === answers) draw(); }, 0);
    });
  });
  if (typeof window.ResizeObserver === "function" && root) {
    new window.ResizeObserver(reportHeight).observe(root);
  } else {
    window.addEventListener("resize", reportHeight);
    document.addEventListener("toggle", reportHeight, true);
  }
  window.addEventListener("load", draw);
  showGap();
  reportHeight();
})();
