// The account page: draws the liquidation map from its JSON (no inline scripts) on load and
// after each htmx swap, and after "Add position" or "Remove" moves the focus to the row the
// server names (the status line announces the change to screen readers).
(function () {
  "use strict";

  var PLOT_CONFIG = { displayModeBar: false, responsive: true };
  // The chart nodes drawn: a morph keeps the map's node (keepDrawing lets it be drawn again),
  // the back button brings new ones. The back button's swap is followed by
  // both htmx:afterSettle (on #account) and htmx:historyRestore, and draws the map once.
  var drawn = typeof window.WeakSet === "function" ? new window.WeakSet() : null;
  var answerDrawn = 0;  // which answer is being drawn: a newer one drops an older's drawing

  // The new answer is painted first, and the map is drawn in the task right after that frame
  // (its layout is done, so reading the map's box costs nothing) if it is on screen. Off screen
  // (on a phone it sits far below the form where the visitor types), it is drawn once it comes
  // on screen, or once the answer has stood for a moment and the browser is idle: while the
  // visitor types, each new answer drops the drawing of the one before, so the map's drawing
  // (~70 ms of a phone's CPU) does not delay the next keystroke.
  var SETTLED_MS = 300;
  var mapWatcher = null;
  function drawCharts(root) {
    answerDrawn += 1;
    var answer = answerDrawn;
    afterNextFrame(function () {
      if (answer !== answerDrawn) return;
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
      (root || document).querySelectorAll("[data-figure]").forEach(function (node) {
        var figure = figures[node.getAttribute("data-figure")];
        if (!figure) return;
        if (onScreen(node)) {
          draw(node, figure);
          return;
        }
        var later = function () { if (answer === answerDrawn) draw(node, figure); };
        watchUntilShown(node, later);
        window.setTimeout(function () { whenIdle(later); }, SETTLED_MS);
      });
    });
  }

  // plotly.js (a partial bundle, ~330 KB compressed) is fetched only once the map is near the
  // screen, after the page has loaded, as on the calculator (calculator.js): the answer never
  // waits for it, and on a phone, where the map sits below the form, a visitor who does not
  // scroll to it never pays for it. The script tag that loads this file names it.
  var PLOTLY_SRC = document.currentScript && document.currentScript.getAttribute("data-plotly-src");
  var plotlyRequested = false;
  var plotlyWatcher = null;
  function loadPlotlyNear(nodes) {
    if (plotlyRequested || !PLOTLY_SRC) return;
    if (plotlyWatcher) plotlyWatcher.disconnect();
    plotlyWatcher = null;
    if (typeof window.IntersectionObserver !== "function") {
      loadPlotly();
      return;
    }
    plotlyWatcher = new window.IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) loadPlotly();
    }, { rootMargin: "50% 0px" });
    nodes.forEach(function (node) { plotlyWatcher.observe(node); });
  }

  function loadPlotly() {
    if (plotlyRequested) return;
    plotlyRequested = true;
    if (plotlyWatcher) plotlyWatcher.disconnect();
    var script = document.createElement("script");
    script.src = PLOTLY_SRC;
    script.onload = function () { drawCharts(document); };
    document.head.appendChild(script);
  }

  function watchUntilShown(node, callback) {
    if (mapWatcher) mapWatcher.disconnect();
    mapWatcher = null;
    if (typeof window.IntersectionObserver !== "function") return;
    var watcher = new window.IntersectionObserver(function (entries) {
      if (!entries.some(function (entry) { return entry.isIntersecting; })) return;
      watcher.disconnect();
      callback();
    });
    watcher.observe(node);
    mapWatcher = watcher;
  }

  function draw(node, figure) {
    if (!node.isConnected || (drawn && drawn.has(node))) return;
    window.Plotly.react(node, figure.data, figure.layout, PLOT_CONFIG);
    if (drawn) drawn.add(node);
  }

  function onScreen(node) {
    var box = node.getBoundingClientRect();
    return box.bottom > 0 && box.top < window.innerHeight;
  }

  // A task queued now could run before the browser paints; one queued from the frame's own
  // callback runs after it.
  function afterNextFrame(callback) {
    window.requestAnimationFrame(function () { window.setTimeout(callback, 0); });
  }

  function whenIdle(callback) {
    if (typeof window.requestIdleCallback === "function") {
      window.requestIdleCallback(callback, { timeout: 1000 });
    } else {
      afterNextFrame(callback);
    }
  }

  function focusEditedRow() {
    var status = document.getElementById("account-status");
    if (!status || !status.hasAttribute("data-focus-row")) return;
    var row = document.getElementById("position-" + status.getAttribute("data-focus-row"));
    var target = row ? row.querySelector("input, select") : document.getElementById("add-position");
    if (target) target.focus();
    status.removeAttribute("data-focus-row");
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.target;
    if (!target || (target.id !== "account-results" && target.id !== "account")) return;
    if (target.id === "account") focusEditedRow();
    drawCharts(target);
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

  // A redraw morphs the results (and "Add position" or "Remove" the whole form and results)
  // into the new answer: idiomorph, htmx's morph extension, on the form (account.html). What
  // did not change stays as it was, and the browser styles and lays out only what did; htmx
  // no longer walks the removed nodes with two events apiece (the map's drawing alone is some
  // 240 SVG nodes). The map's node is kept with its drawing, the new answer's words and data
  // attributes copied onto it: the new answer is painted beside the earlier drawing rather
  // than an empty box, and Plotly.react then redraws it in its node (#23).
  // Bad input swaps nothing (HX-Reswap: none) and keeps it on show.
  function keepDrawing(old, fresh) {
    if (!old.classList || !old.classList.contains("js-plotly-plot")) return true;
    Array.prototype.slice.call(old.attributes).forEach(function (attribute) {
      if (attribute.name.indexOf("data-") === 0 && !fresh.hasAttribute(attribute.name)) {
        old.removeAttribute(attribute.name);
      }
    });
    Array.prototype.forEach.call(fresh.attributes, function (attribute) {
      if (attribute.name !== "class") old.setAttribute(attribute.name, attribute.value);
    });
    if (drawn) drawn.delete(old);  // to be drawn again with the new answer
    return false;  // its children are plotly.js's drawing, not the server's
  }
  if (typeof window.Idiomorph !== "undefined") {
    window.Idiomorph.defaults.callbacks.beforeNodeMorphed = keepDrawing;
  }
  function swapsAccount(event) {
    var target = event.detail && event.detail.target;
    return target && (target.id === "account-results" || target.id === "account");
  }
  function swapped(event) {
    var xhr = event.detail && event.detail.xhr;
    return !(xhr && xhr.getResponseHeader("HX-Reswap") === "none");
  }
  // plotly.js keeps a resize listener, and with it the SVG, for each node it drew: let go of
  // a drawn node the swap removed (when the new answer has no map).
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (swapsAccount(event)) noteCharts();
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.target;
    if (!target || (target.id !== "account-results" && target.id !== "account")) return;
    purgeReplacedCharts();
    if (target.id !== "account-results" || !swapped(event)) return;
    reopenTables(target);
    // An answer for valid input: no field has an error left (account.html sends none for them).
    clearErrors();
  });

  // Bad input leaves the last good answer on screen (the server answers HX-Reswap: none): say
  // it is out of date until an answer for valid input replaces it (as on the calculator).
  document.addEventListener("htmx:afterRequest", function (event) {
    var results = document.getElementById("account-results");
    var xhr = event.detail && event.detail.xhr;
    if (!results || !xhr || event.detail.target !== results) return;
    var stale = event.detail.successful && xhr.getResponseHeader("HX-Reswap") === "none";
    results.classList.toggle("is-stale", stale);
    if (stale && !results.querySelector(".stale-note")) {
      var note = document.createElement("p");
      note.className = "stale-note notice";
      note.textContent = results.getAttribute("data-stale-note");
      results.insertBefore(note, results.firstChild);
    }
  });

  function clearErrors() {
    var form = document.getElementById("account-form");
    if (!form) return;
    form.querySelectorAll(".form-errors, .error").forEach(function (node) {
      if (node.firstChild) node.textContent = "";
    });
  }

  // A redraw's data table arrives closed and empty: its box fetches it when it is opened
  // (most visitors never open it, and every redraw would pay for it).
  document.addEventListener("toggle", function (event) {
    var node = event.target;
    if (!node.open || !node.hasAttribute || !node.hasAttribute("data-lazy-url")) return;
    if (typeof window.htmx === "undefined" || !node.closest("#account-results")) return;
    var body = node.querySelector("[data-lazy-body]");
    body.setAttribute("aria-busy", "true");
    window.htmx.ajax("GET", node.getAttribute("data-lazy-url"),
      { source: node, target: body, swap: "innerHTML" }).finally(
      function () { body.removeAttribute("aria-busy"); });
  }, true);  // toggle does not bubble
  // Never leave an earlier account's numbers on show as if they were this one's.
  function lazyFailed(event) {
    var target = event.detail && event.detail.target;
    var results = document.getElementById("account-results");
    if (target && results && target.hasAttribute("data-lazy-body") && results.contains(target)) {
      target.textContent = results.getAttribute("data-lazy-failed");  // in the page's language
    }
  }
  document.addEventListener("htmx:responseError", lazyFailed);
  document.addEventListener("htmx:sendError", lazyFailed);
  // A redraw replaces the results, and with them a data table the visitor had opened: note it
  // and open it again at once, showing the earlier numbers until the new ones arrive.
  var openTables = [];
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "account-results") return;
    openTables = Array.prototype.map.call(
      target.querySelectorAll("details[id][open]"), function (node) {
        var body = node.querySelector("[data-lazy-body]");
        return { id: node.id, shown: body ? body.innerHTML : null };
      });
  });
  function reopenTables(results) {
    openTables.forEach(function (open) {
      var node = document.getElementById(open.id);
      if (!node || !results.contains(node)) return;
      var body = node.querySelector("[data-lazy-body]");
      if (body && open.shown !== null && node.hasAttribute("data-lazy-url")) {
        body.innerHTML = open.shown;
      }
      node.open = true;
    });
    openTables = [];
  }

  // The back button swaps the form and results without htmx:beforeSwap (nor morphing): let go
  // of the charts it replaced once it has happened.
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
