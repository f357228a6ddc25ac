// The hover read-out of the line charts the page draws as SVG (calculator/_lines.html): under
// the pointer, or where a finger taps, a rule at the nearest point and each line's value there,
// written as the page's language writes a dollar amount. The numbers and the marks come in the
// plot's data-readout (calculator.charts.line_plot); the read-out's rows are in the page.
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
    var whole = digits[0].replace(/\B(?=(\d{3})+(?!\d))/g, "\u0000").split("\u0000").join(marks.group);
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

  function show(plot, clientX) {
    var data = readoutOf(plot);
    var box = plot.getBoundingClientRect();
    if (!data || !data.x.length || box.width <= 0) return;
    var low = data.range[0];
    var span = data.range[1] - low;
    var wanted = low + Math.min(Math.max((clientX - box.left) / box.width, 0), 1) * span;
    var best = 0;
    data.x.forEach(function (x, index) {
      if (Math.abs(x - wanted) < Math.abs(data.x[best] - wanted)) best = index;
    });
    var at = ((data.x[best] - low) / span) * 100 + "%";
    var rule = plot.querySelector(".lines-rule");
    var readout = plot.parentNode.querySelector(".lines-readout");
    if (!rule || !readout) return;
    readout.style.top = plot.offsetTop + 6 + "px";  // under the y axis's title, however it wraps
    if (shown && shown !== plot) hide();
    rule.setAttribute("x1", at);
    rule.setAttribute("x2", at);
    rule.setAttribute("visibility", "visible");
    readout.querySelector("[data-x]").textContent = Math.round(data.x[best] * 100) / 100 + data.suffix;
    readout.querySelectorAll("[data-y]").forEach(function (node, line) {
      node.textContent = money((data.y[line] || [])[best], data);
    });
    // on the side away from the pointer, so the lines under it stay in sight
    readout.classList.toggle("at-right", (data.x[best] - low) / span < 0.5);
    readout.hidden = false;
    shown = plot;
  }

  function follow(event) {
    var plot = event.target && event.target.closest ? event.target.closest(".lines-plot") : null;
    if (plot) {
      show(plot, event.clientX);
    } else if (event.type === "pointerdown" || event.pointerType === "mouse") {
      hide();
    }
  }
  document.addEventListener("pointermove", follow, { passive: true });
  document.addEventListener("pointerdown", follow, { passive: true });
})();
