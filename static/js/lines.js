// The hover read-out of the line charts the page draws as SVG (calculator/_lines.html): at the
// point nearest the pointer, a finger's tap or the arrow keys, a rule and each line's value
// there, written as the page's language writes a dollar amount. The numbers and the marks come
// in the plot's data-readout (calculator.charts.line_plot); the read-out's rows are in the page.
(function () {
  "use strict";

  var shown = null;  // the plot whose read-out is on show

  function readoutOf(plot) {
    var text = plot.getAttribute("data-readout");
    if (plot.uwReadoutText !== text) {  // a redraw morphed in new numbers
      plot.uwReadoutText = text;
      try {
        plot.uwReadout = JSON.parse(text);
      } catch (err) {
        plot.uwReadout = null;
      }
    }
    return plot.uwReadout;
  }

  // As calculator.formatting.chart_money writes it: "−$2,000.00", "−2 000,00 $".
  function money(value, marks) {
    if (typeof value !== "number" || !isFinite(value)) return "—";
    var digits = Math.abs(value).toFixed(2).split(".");
    var whole = digits[0].replace(/\B(?=(\d{3})+(?!\d))/g, function () { return marks.group; });
    var sign = value < 0 && (digits[0] !== "0" || digits[1] !== "00") ? "\u2212" : "";
    return sign + marks.prefix + whole + marks.decimal + digits[1] + marks.after;
  }

  function hide() {
    if (!shown) return;
    var readout = shown.parentNode.querySelector(".lines-readout");
    var rule = shown.querySelector(".lines-rule");
    if (readout) readout.hidden = true;
    if (rule) rule.setAttribute("visibility", "hidden");
    shown = null;
  }

  // The point nearest the pointer, as an index into the readout's x values.
  function nearest(plot, data, clientX) {
    var box = plot.getBoundingClientRect();
    var low = data.range[0];
    var wanted = low + Math.min(Math.max((clientX - box.left) / box.width, 0), 1) * (data.range[1] - low);
    var best = 0;
    data.x.forEach(function (x, index) {
      if (Math.abs(x - wanted) < Math.abs(data.x[best] - wanted)) best = index;
    });
    return best;
  }

  function show(plot, index) {
    var data = readoutOf(plot);
    var rule = plot.querySelector(".lines-rule");
    var readout = plot.parentNode.querySelector(".lines-readout");
    if (!data || !data.x.length || !rule || !readout) return;
    index = Math.min(Math.max(index, 0), data.x.length - 1);
    var low = data.range[0];
    var share = (data.x[index] - low) / (data.range[1] - low);
    if (shown && shown !== plot) hide();
    rule.setAttribute("x1", share * 100 + "%");
    rule.setAttribute("x2", share * 100 + "%");
    rule.setAttribute("visibility", "visible");
    readout.style.top = plot.offsetTop + 6 + "px";  // under the y axis's title, however it wraps
    readout.querySelector("[data-x]").textContent = Math.round(data.x[index] * 100) / 100 + data.suffix;
    readout.querySelectorAll("[data-y]").forEach(function (node, line) {
      node.textContent = money((data.y[line] || [])[index], data);
    });
    // on the side away from the pointer, so the lines under it stay in sight
    readout.classList.toggle("at-right", share < 0.5);
    readout.hidden = false;
    plot.uwIndex = index;
    shown = plot;
  }

  function follow(event) {
    var plot = event.target && event.target.closest ? event.target.closest(".lines-plot") : null;
    if (plot) {
      var data = readoutOf(plot);
      if (data && data.x.length) show(plot, nearest(plot, data, event.clientX));
    } else if (event.type === "pointerdown" || event.pointerType === "mouse") {
      hide();
    }
  }
  document.addEventListener("pointermove", follow, { passive: true });
  document.addEventListener("pointerdown", follow, { passive: true });
  // From the keyboard: the plot takes the focus; the arrows step from point to point, Home and
  // End go to the first and the last, Escape puts the read-out away.
  var STEPS = { ArrowLeft: -1, ArrowRight: 1, ArrowDown: -1, ArrowUp: 1 };
  document.addEventListener("keydown", function (event) {
    var plot = event.target;
    if (!plot || !plot.classList || !plot.classList.contains("lines-plot")) return;
    var data = readoutOf(plot);
    if (!data || !data.x.length) return;
    var at = shown === plot ? plot.uwIndex : -1;
    var last = data.x.length - 1;
    if (event.key === "Escape") {
      hide();
      return;
    }
    var index;
    if (event.key === "Home") {
      index = 0;
    } else if (event.key === "End") {
      index = last;
    } else if (Object.prototype.hasOwnProperty.call(STEPS, event.key)) {
      index = at < 0 ? 0 : at + STEPS[event.key];  // the first press shows the first point
    } else {
      return;
    }
    event.preventDefault();  // not the page's scroll
    show(plot, index);
  });
  document.addEventListener("focusout", function (event) {
    if (shown && event.target === shown) hide();
  });
})();
