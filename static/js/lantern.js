// Lantern's small page behaviours. Plain JavaScript, no dependencies, no build step.
// Pages work without it; it adds search suggestions, copy buttons, table filters and the
// environment switcher.
"use strict";

(function () {
  // --- Environment switcher: go to the chosen environment's overview.
  document.querySelectorAll("select[data-env-switch]").forEach(function (select) {
    select.addEventListener("change", function () { window.location.href = select.value; });
  });

  // --- Copy buttons: data-copy="#selector" copies that element's text.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var target = document.querySelector(button.getAttribute("data-copy"));
      if (!target) return;
      var text = target.innerText;
      var done = function () {
        button.classList.add("done");
        setTimeout(function () { button.classList.remove("done"); }, 1500);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
      } else {
        fallbackCopy(text);
        done();
      }
    });
  });

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
    document.body.removeChild(area);
  }

  // --- Table filters: data-filter-table="#table" hides rows that do not contain the text.
  document.querySelectorAll("input[data-filter-table]").forEach(function (input) {
    var table = document.querySelector(input.getAttribute("data-filter-table"));
    if (!table) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      rows.forEach(function (row, i) { row.hidden = needle !== "" && texts[i].indexOf(needle) === -1; });
    });
  });

  // --- Tree pages: remember opened folders in the URL (?open=a,b) so a view can be shared.
  var tree = document.querySelector("[data-tree]");
  if (tree) {
    tree.addEventListener("toggle", function () {
      var url = new URL(window.location.href);
      var paths = Array.prototype.map.call(tree.querySelectorAll("details[open]"), function (d) {
        return d.getAttribute("data-path");
      }).filter(function (path) {
        // Only the deepest open folders: their ancestors open with them.
        return path && !tree.querySelector('details[open][data-path^="' + CSS.escape(path + "/") + '"]');
      });
      if (paths.length) url.searchParams.set("open", paths.join(",")); else url.searchParams.delete("open");
      window.history.replaceState(null, "", url);
    }, true);
  }

  // --- Search suggestions as you type, with the keyboard: up, down, enter, escape.
  var input = document.getElementById("global-search");
  var list = document.getElementById("suggestions");
  if (!input || !list) return;
  var url = input.getAttribute("data-suggest-url");
  var timer = null, active = -1, items = [], controller = null, lastQuery = "";

  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (event.key === "/" && tag !== "input" && tag !== "textarea" && tag !== "select") {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    active = -1;
  }

  function select(index) {
    var options = list.querySelectorAll("li");
    options.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
    active = index;
  }

  function render(query, results) {
    list.textContent = "";
    items = results;
    results.forEach(function (item, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = "suggestion-" + i;
      var a = document.createElement("a");
      a.href = item.url;
      var name = document.createElement("span");
      name.className = "name";
      name.textContent = item.kind === "column" ? item.name + "." + item.column : item.name;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = item.kind === "column" ? "column" : item.type;
      a.appendChild(name);
      a.appendChild(kind);
      li.appendChild(a);
      list.appendChild(li);
    });
    var all = document.createElement("li");
    all.className = "all";
    all.setAttribute("role", "option");
    var link = document.createElement("a");
    link.href = input.form.action + "?q=" + encodeURIComponent(query);
    link.textContent = "Search for “" + query + "”";
    all.appendChild(link);
    list.appendChild(all);
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
  }

  function fetchSuggestions() {
    var query = input.value.trim();
    if (query === lastQuery) return;
    lastQuery = query;
    if (!query) { close(); return; }
    if (controller) controller.abort();
    controller = new AbortController();
    fetch(url + "?q=" + encodeURIComponent(query), { signal: controller.signal, headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { if (input.value.trim() === query) render(query, data.results || []); })
      .catch(function () { /* aborted or offline: keep what is shown */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 120);
  });
  input.addEventListener("keydown", function (event) {
    var options = list.querySelectorAll("li");
    if (list.hidden || !options.length) return;
    if (event.key === "ArrowDown") { event.preventDefault(); select((active + 1) % options.length); }
    else if (event.key === "ArrowUp") { event.preventDefault(); select((active - 1 + options.length) % options.length); }
    else if (event.key === "Escape") { close(); }
    else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = options[active].querySelector("a").href;
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 200); });
  input.addEventListener("focus", function () { if (list.children.length && input.value.trim()) { list.hidden = false; } });
})();
