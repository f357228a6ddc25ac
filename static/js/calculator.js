// Draws the calculator's Plotly figures, on load and after every htmx swap, and wires the
// small conveniences (gap read-out, copy link). No inline scripts: the figures arrive as JSON
// in <script type="application/json" id="figures-data">, written by calculator.results.figures_json.
(function () {
  "use strict";

  var PLOT_CONFIG = { displayModeBar: false, responsive: true };
  // plotly.js (a partial bundle, ~330 KB compressed) is fetched only once a chart is near the
  // screen, after the page has loaded: the answer never waits for it, and on a phone, where the
  // charts sit below the form, a visitor who does not scroll to them never pays for it. The
  // script tag that loads this file names it (data-plotly-src).
  var PLOTLY_SRC = document.currentScript && document.currentScript.getAttribute("data-plotly-src");
  var plotlyRequested = false;
  var chartWatcher = null;

  function loadPlotly() {
    if (plotlyRequested || !PLOTLY_SRC) return;
    plotlyRequested = true;
    if (chartWatcher) chartWatcher.disconnect();
    var script = document.createElement("script");
    script.src = PLOTLY_SRC;
    script.onload = function () { drawCharts(document); };
    document.head.appendChild(script);
  }

  function loadPlotlyNear(nodes) {
    if (plotlyRequested) return;
    if (typeof window.IntersectionObserver !== "function") { loadPlotly(); return; }
    if (chartWatcher) chartWatcher.disconnect();
    chartWatcher = new window.IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) loadPlotly();
    }, { rootMargin: "50% 0px" });
    nodes.forEach(function (node) { chartWatcher.observe(node); });
  }

  // After a redraw the new answer is painted first: the charts of the answer before stay on
  // show in their places (the results are morphed: see keepDrawing), and none is drawn before
  // that frame. In the task right after it, the chart most in view is drawn alone (or, with
  // none on screen, those within two screens), the other charts on screen after the
  // next frame, and those within two screens when the browser is idle, as many per
  // task as fit in TASK_BUDGET; the others only once the visitor scrolls near them. (An
  // IntersectionObserver's first report, tried first, came some 25 ms after that frame on a
  // phone-speed CPU.) On a phone the charts sit below the form: while the visitor
  // types there, a redraw spends nothing on three charts out of sight; at a chart, the visitor
  // sees the new answer a chart's drawing (50-90 ms of a phone's CPU) sooner, and that chart
  // before any other (#23).
  // Two screens: on a desktop at the top of the page, the three charts (the last begins 1.5
  // screens below the fold); on a phone, where they begin some 6 screens down, none.
  var NEAR = "200% 0px";
  var NEAR_SCREENS = 2;  // the same reach, in screens
  var chartsWaiting = null;  // watches the charts of the answer on show not drawn yet
  var queue = [];  // charts to draw, those on screen first, most shown first
  var queueBusy = false;
  var answerDrawn = 0;  // which answer the queue draws: a newer one drops the older's queue
  function drawCharts(root) {
    var dataNode = document.getElementById("figures-data");
    if (!dataNode) return;
    if (typeof window.Plotly === "undefined") {
      loadPlotlyNear((root || document).querySelectorAll("[data-figure]"));
      return;
    }
    var figures;
    try {
      figures = JSON.parse(dataNode.textContent);
    } catch (err) {
      return;
    }
    if (chartsWaiting) chartsWaiting.disconnect();
    chartsWaiting = null;
    queue = [];
    queueBusy = false;
    answerDrawn += 1;
    var charts = [];
    (root || document).querySelectorAll("[data-figure]").forEach(function (node) {
      var figure = figures[node.getAttribute("data-figure")];
      if (figure) {
        charts.push({ node: node, figure: figure });
      } else if (node.classList.contains("js-plotly-plot")) {
        window.Plotly.purge(node);  // an earlier answer's drawing, kept in place: never leave it
      }
    });
    if (!charts.length) return;
    var answer = answerDrawn;
    // In the task right after the frame that shows the answer (its layout is done, so reading
    // the boxes costs nothing): the chart most in view now, the others on screen after it.
    afterNextFrame(function () {
      if (answer !== answerDrawn) return;
      var away = [];
      var reach = window.innerHeight * NEAR_SCREENS;
      charts.forEach(function (chart) {
        var box = chart.node.getBoundingClientRect();
        var shown = Math.min(box.bottom, window.innerHeight) - Math.max(box.top, 0);
        chart.onScreen = shown > 0;
        // the chart most in view: the largest share of it on screen, then the most pixels
        chart.shown = chart.onScreen ? shown / Math.max(box.height, 1) + shown / 1e6 : 0;
        // near already (the observer would say so only after another frame): queued, after
        // those on screen
        var near = box.bottom > -reach && box.top < window.innerHeight + reach;
        (near ? queue : away).push(chart);
      });
      queue.sort(function (a, b) { return b.shown - a.shown; });
      watchCharts(away);
      if (queue.length && queue[0].onScreen) {
        var first = queue.shift();  // alone: the chart in view a frame sooner
        draw(first.node, first.figure);
      } else {
        drawSome();  // none on screen: those near, now
      }
      drawQueued();
    });
  }

  // Charts further off join the queue once the visitor scrolls them within two screens.
  function watchCharts(charts) {
    if (!charts.length) return;
    if (typeof window.IntersectionObserver !== "function") {
      charts.forEach(function (chart) { queue.push(chart); });
      return;
    }
    var observer = new window.IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        observer.unobserve(entry.target);
        charts.forEach(function (chart) {
          if (chart.node === entry.target) queue.push(chart);
        });
      });
      if (!queueBusy) drawQueued();
    }, { rootMargin: NEAR });
    charts.forEach(function (chart) { observer.observe(chart.node); });
    chartsWaiting = observer;
  }

  // The others a task at a time: those on screen after the next frame, those off screen when
  // idle. A task draws one chart, and the next too while it has run less than TASK_BUDGET: a
  // desktop draws a chart in ~10 ms, and two in one task show a frame sooner; a phone, at
  // 35-60 ms a chart, still draws one per task and lets the page answer the visitor between.
  var TASK_BUDGET = 33;
  function drawQueued() {
    if (!queue.length) { queueBusy = false; return; }
    queueBusy = true;
    var answer = answerDrawn;
    var wait = queue[0].onScreen ? afterNextFrame : whenIdle;
    wait(function () {
      if (answer !== answerDrawn) return;
      drawSome();
      drawQueued();
    });
  }
  function drawSome() {
    var started = window.performance.now();
    while (queue.length) {
      var chart = queue.shift();
      draw(chart.node, chart.figure);
      if (window.performance.now() - started >= TASK_BUDGET) return;
    }
  }

  // A task queued now could run before the browser paints; one queued from the frame's own
  // callback runs after it.
  function afterNextFrame(callback) {
    window.requestAnimationFrame(function () { window.setTimeout(callback, 0); });
  }

  function whenIdle(callback) {
    if (typeof window.requestIdleCallback === "function") {
      window.requestIdleCallback(callback, { timeout: 200 });
    } else {
      afterNextFrame(callback);
    }
  }

  function draw(node, figure) {
    if (!node.isConnected) return;  // already replaced by a newer answer
    window.Plotly.react(node, figure.data, figure.layout, PLOT_CONFIG);
  }

  function showGap() {
    var slider = document.getElementById("id_gap");
    var output = document.getElementById("gap-output");
    if (!slider || !output) return;
    var value = parseFloat(slider.value);
    output.textContent = isFinite(value) ? (Math.round(value * 1000) / 10) + "%" : "";
  }

  // The scenario on show, from the form as the next redraw would send it: on a first visit
  // the address bar holds only "/".
  function scenarioUrl() {
    var form = document.getElementById("calc-form");
    if (!form) return window.location.href;
    var query = new URLSearchParams();
    new FormData(form).forEach(function (value, key) { if (value !== "") query.append(key, value); });
    return new URL(form.getAttribute("action") + "?" + query.toString(), window.location.href).href;
  }

  function copyLink(button) {
    var status = button.parentNode.querySelector(".copy-status");
    var url = scenarioUrl();
    function done(message) { if (status) status.textContent = message; }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(
        function () { done(button.getAttribute("data-copied")); },
        function () { done(button.getAttribute("data-copy-this") + " " + url); }
      );
    } else {
      done(button.getAttribute("data-copy-this") + " " + url);
    }
  }

  // A guaranteed stop only where the platform offers one on this contract: each platform
  // option lists those contracts (calculator/page_form.py). Runs before the form's delayed
  // request, so a stop the new platform cannot guarantee is never sent as guaranteed.
  function followStopOffer() {
    var block = document.getElementById("guaranteed-stop");
    var platform = document.getElementById("id_platform");
    var contract = document.getElementById("id_contract");
    if (!block || !platform || !contract) return;
    var box = block.querySelector("input");
    var help = block.querySelector(".help");
    var option = platform.options[platform.selectedIndex];
    var text;
    var offered = true;
    if (!option || !option.value) {
      text = block.getAttribute("data-custom-help");
    } else {
      var contracts = (option.getAttribute("data-guaranteed-stop") || "").split(" ");
      offered = contracts.indexOf(contract.value) !== -1;
      text = offered
        ? option.getAttribute("data-guaranteed-stop-note") || block.getAttribute("data-offered-help")
        : block.getAttribute("data-no-stop").replace("{platform}", option.textContent.trim());
    }
    if (!offered) box.checked = false;
    box.disabled = !offered;
    if (help) help.textContent = text;
  }

  // The collateral-assets input only where the chosen platform counts several assets (or on
  // custom rules): its block lists those platforms (collateral/lookup.py). Kept shown while it
  // holds a value, so nothing typed is sent unseen.
  function followCollateral() {
    var block = document.getElementById("collateral-assets");
    var platform = document.getElementById("id_platform");
    if (!block || !platform) return;
    var offered = (block.getAttribute("data-platforms") || "").split(" ");
    var input = block.querySelector("input");
    var show = !platform.value || offered.indexOf(platform.value) !== -1 ||
      (input && input.value.trim() !== "");
    block.hidden = !show;
  }

  // Amounts in the margin currency keep their value when the contract changes it: $1,000 of
  // margin on a linear contract is 0.02 coin on an inverse one at $50,000, not 1,000 coin (a
  // $50 million deposit). Quantity is base units for linear, USD face value for inverse.
  var MARGIN_FIELDS = ["id_margin", "id_wallet_balance", "id_other_maintenance_margin",
    "id_other_unrealized_pnl", "id_other_position_value"];
  var lastContract = null;
  function trimmed(number, places) {
    return number.toFixed(places).replace(/\.?0+$/, "");
  }
  function convertAmounts(contract) {
    var wasCoin = lastContract === "inverse";
    var isCoin = contract.value === "inverse";
    lastContract = contract.value;
    if (wasCoin === isCoin) return;
    var entry = parseFloat((document.getElementById("id_entry_price") || {}).value);
    if (!(entry > 0)) return;
    function convert(id, toCoin, places) {
      var field = document.getElementById(id);
      if (!field || field.value.trim() === "") return;
      var value = parseFloat(field.value);
      if (!isFinite(value)) return;
      field.value = trimmed(toCoin ? value / entry : value * entry, places);
    }
    MARGIN_FIELDS.forEach(function (id) { convert(id, isCoin, isCoin ? 8 : 2); });
    convert("id_quantity", !isCoin, isCoin ? 2 : 8);  // base units <-> USD face value
  }

  // Isolated margin asks for the deposit, cross margin for the wallet that backs the position:
  // carry the amount across instead of answering a switch with two error messages.
  function moveDeposit(mode) {
    var margin = document.getElementById("id_margin");
    var wallet = document.getElementById("id_wallet_balance");
    if (!margin || !wallet) return;
    var from = mode === "cross" ? margin : wallet;
    var to = mode === "cross" ? wallet : margin;
    if (from.value.trim() !== "" && to.value.trim() === "") {
      to.value = from.value;
      from.value = "";
    }
  }

  // The platform chosen above is not also a platform to compare with: its box is disabled
  // (and so not sent) while it is chosen, and keeps its tick for when it no longer is. The
  // server compares at most data-max-compared platforms: once that many are ticked, the other
  // boxes wait until one is unticked.
  function followComparable() {
    var platform = document.getElementById("id_platform");
    var list = document.querySelector("#calc-form .compare-list");
    if (!platform || !list) return;
    var boxes = list.querySelectorAll('input[name="compare"]');
    var most = parseInt(list.getAttribute("data-max-compared"), 10);
    var ticked = 0;
    boxes.forEach(function (box) { if (box.checked && box.value !== platform.value) ticked += 1; });
    boxes.forEach(function (box) {
      box.disabled = box.value === platform.value || (ticked >= most && !box.checked);
    });
  }

  // A collateralised loan is long its collateral: choosing one sets the side, rather than
  // answering the switch with "A collateralised loan is long its collateral".
  function longForLoan(contract) {
    var long = document.querySelector('#calc-form input[name="side"][value="long"]');
    if (contract.value === "loan" && long) long.checked = true;
  }

  document.addEventListener("change", function (event) {
    var id = event.target && event.target.id;
    if (id === "id_platform" || event.target.name === "compare") followComparable();
    if (id === "id_contract") longForLoan(event.target);
    if (event.target && event.target.name === "margin_mode") moveDeposit(event.target.value);
    if (id === "id_contract") convertAmounts(event.target);
    if (id === "id_platform" || id === "id_contract") followStopOffer();
    if (id === "id_platform") followCollateral();
  });
  document.addEventListener("focusin", function (event) {
    if (event.target && event.target.id === "id_contract") lastContract = event.target.value;
  });

  // A message for a field in a closed section (the loan's collateral, say) would go unseen,
  // and the results would just stop changing: open the section that holds it.
  function revealErrors() {
    document.querySelectorAll("#calc-form details:not([open])").forEach(function (node) {
      var shown = Array.prototype.some.call(node.querySelectorAll(".error"), function (error) {
        return error.textContent.trim() !== "";
      });
      if (shown) node.open = true;
    });
  }
  // Invalid input leaves the last good answer on screen (the server answers HX-Reswap: none):
  // say it is out of date until an answer for valid input replaces it.
  document.addEventListener("htmx:afterRequest", function (event) {
    var results = document.getElementById("results");
    var xhr = event.detail && event.detail.xhr;
    if (!results || !xhr || event.detail.target !== results) return;
    var stale = event.detail.successful && xhr.getResponseHeader("HX-Reswap") === "none";
    results.classList.toggle("is-stale", stale);
    var bar = document.getElementById("answer-bar");
    if (bar) bar.classList.toggle("is-stale", stale);
    if (stale && !results.querySelector(".stale-note")) {
      var note = document.createElement("p");
      note.className = "stale-note notice";
      note.textContent = results.getAttribute("data-stale-note");
      results.insertBefore(note, results.firstChild);
    }
  });
  document.addEventListener("htmx:afterRequest", revealErrors);
  // An answer for valid input: no field has an error left (home.html sends none for them).
  // htmx sends afterSwap to the target even when the server said not to swap (invalid input).
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.target || event.target.id !== "results") return;
    var xhr = event.detail && event.detail.xhr;
    if (xhr && xhr.getResponseHeader("HX-Reswap") === "none") return;
    document.querySelectorAll("#calc-form .error").forEach(function (node) {
      if (node.firstChild) node.textContent = "";
    });
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-url]");
    if (button) copyLink(button);
  });
  document.addEventListener("input", function (event) {
    if (event.target && event.target.id === "id_gap") showGap();
  });
  // Shareable URLs: leave empty fields out of the request (and so out of the address bar).
  // A field fires "input" as the visitor types and "change" when they leave it: the form asks
  // on both (selects and sliders need the quicker "change"), so the second would ask again for
  // the scenario just drawn. Skip a request for the same scenario as the last one.
  var lastScenario = null;
  document.addEventListener("htmx:configRequest", function (event) {
    var data = event.detail.formData;
    if (!data || typeof data.delete !== "function") return;
    var empty = [];
    data.forEach(function (value, key) { if (value === "") empty.push(key); });
    empty.forEach(function (key) { data.delete(key); });
    if (!event.detail.elt || event.detail.elt.id !== "calc-form") return;
    var parts = [];
    data.forEach(function (value, key) { parts.push(key + "=" + value); });
    var scenario = parts.join("&");
    if (scenario === lastScenario) {
      event.preventDefault();
    } else {
      lastScenario = scenario;
    }
  });
  // After the back button (an earlier scenario on show) or a failed request (nothing drawn),
  // the next request is worth sending whatever it asks.
  function forgetScenario() { lastScenario = null; }
  document.addEventListener("htmx:historyRestore", forgetScenario);
  window.addEventListener("popstate", forgetScenario);
  document.addEventListener("htmx:responseError", forgetScenario);
  document.addEventListener("htmx:sendError", forgetScenario);
  // A box that arrives empty with a redraw ("Show the maths", each chart's data table) fetches
  // its content when it is opened: most visitors never open them, and every keystroke would
  // pay for them.
  document.addEventListener("toggle", function (event) {
    var node = event.target;
    if (!node.open || !node.hasAttribute || !node.hasAttribute("data-lazy-url")) return;
    if (typeof window.htmx === "undefined") return;
    var body = node.querySelector("[data-lazy-body]");
    body.setAttribute("aria-busy", "true");
    window.htmx.ajax("GET", node.getAttribute("data-lazy-url"),
      { source: node, target: body, swap: "innerHTML" }).finally(
      function () { body.removeAttribute("aria-busy"); });
  }, true);  // toggle does not bubble
  // Never leave an earlier scenario's steps or numbers on show as if they were this one's.
  function lazyFailed(event) {
    var target = event.detail && event.detail.target;
    if (target && target.hasAttribute("data-lazy-body")) {
      // the words are the page's, in its language (#results carries them)
      target.textContent = document.getElementById("results").getAttribute("data-lazy-failed");
    }
  }
  document.addEventListener("htmx:responseError", lazyFailed);
  document.addEventListener("htmx:sendError", lazyFailed);
  // A redraw replaces the results, and with them any <details> the visitor had opened (a
  // chart's data table, the maths): note which were open and open them again at once. A lazy
  // box keeps showing what it showed until its new content arrives.
  var openDetails = [];
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "results") return;
    openDetails = Array.prototype.map.call(
      target.querySelectorAll("details[id][open]"), function (node) {
        var body = node.querySelector("[data-lazy-body]");
        return { id: node.id, shown: body ? body.innerHTML : null };
      });
  });
  // htmx sends afterSwap and afterSettle to each element a response swapped (the results and
  // every out-of-band slot), all with the request's target in event.detail: the element itself
  // is event.target.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.target;
    if (!target || target.id !== "results") return;
    openDetails.forEach(function (open) {
      var node = document.getElementById(open.id);
      if (!node || !target.contains(node)) return;
      var body = node.querySelector("[data-lazy-body]");
      if (body && open.shown !== null) body.innerHTML = open.shown;
      node.open = true;
    });
    openDetails = [];
  });
  // A redraw morphs the results into the new answer (idiomorph, htmx's morph extension, on
  // the form): what did not change stays as it was, and the browser styles and lays out only
  // what did. Replacing the results made htmx fire two events on each removed node (the three
  // drawings alone are some 400 SVG nodes) and the browser style and lay out the whole results
  // and every drawing kept again: most of a redraw's cost on a phone (#23). Each chart's node
  // is kept with its drawing, the new answer's words and figure key copied onto it: the new
  // answer is painted beside the earlier drawings, never empty boxes, and Plotly.react then
  // redraws each in its node.
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
  // the nodes a swap removed (a chart the new answer does not have, or every chart when the
  // back button swaps the page's form and results in).
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
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.id === "results") noteCharts();
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target && event.target.id === "results") purgeReplacedCharts();
  });
  document.addEventListener("htmx:historyCacheMiss", noteCharts);
  document.addEventListener("htmx:historyRestore", purgeReplacedCharts);
  // Draw once, when the results settle, not again for the answer bar and the error slots
  // (reading event.detail.target, every redraw drew the three charts three times).
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "results") drawCharts(event.target);
  });
  // On load, and when the back button brings back an earlier scenario: draw from its data, and
  // start from the contract on show.
  function settleRestoredPage() {
    showGap();
    followComparable();
    drawCharts(document);
    var contract = document.getElementById("id_contract");
    if (contract) lastContract = contract.value;
  }
  document.addEventListener("htmx:historyRestore", function () {
    followStopOffer();
    followCollateral();
    followComparable();
    settleRestoredPage();
  });

  // The calculator keeps no copy of the page (home.html): the back button asks the server for
  // the address's scenario. If that fails, the page on show no longer matches the address: load
  // it whole.
  function reloadPage() { window.location.reload(); }
  document.addEventListener("htmx:historyCacheMissLoadError", reloadPage);
  document.addEventListener("htmx:historyCacheMiss", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (xhr) xhr.addEventListener("error", reloadPage);
  });

  window.addEventListener("load", settleRestoredPage);
})();
