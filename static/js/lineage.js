// Lineage graphs: draws the laid-out graph the server sends (lineage/explore.py), with pan,
// zoom, expand / hide of a node's parents and children, path highlighting, colouring and
// export. Every change of state goes into the URL and the graph is fetched again.
// Plain JavaScript, no dependencies.
"use strict";

(function () {
  // Parameters of the page's URL that describe the graph (lineage/explore.py View).
  var PARAMS = ["select", "exclude", "up", "down", "expand", "hide", "tests", "sources", "collapse", "path", "color"];

  document.querySelectorAll("[data-lineage]").forEach(function (root) { setup(root); });

  function list(value) { return value ? value.split(",").filter(Boolean) : []; }

  function setup(root) {
    var dataScript = root.querySelector("script[type='application/json']");
    var graph = JSON.parse(dataScript.textContent);
    var svg = root.querySelector("svg.lineage-svg");
    var frame = root.querySelector(".lineage-frame");
    var message = root.querySelector("[data-message]");
    var pathInfo = root.querySelector("[data-path-info]");
    var focus = root.getAttribute("data-focus") || "";
    var jsonUrl = root.getAttribute("data-json-url");
    var nodeUrl = root.getAttribute("data-node-url");
    var view = { x: 0, y: 0, k: 1 };
    var viewport = null;
    var pathStart = null;

    function params() { return new URL(window.location.href).searchParams; }

    function setParams(changes) {
      var url = new URL(window.location.href);
      Object.keys(changes).forEach(function (key) {
        var value = changes[key];
        if (value === null || value === "" || value === undefined) url.searchParams.delete(key);
        else url.searchParams.set(key, value);
      });
      window.history.replaceState(null, "", url);
      return url.searchParams;
    }

    function reload() {
      var current = params();
      var query = new URLSearchParams();
      PARAMS.forEach(function (key) { if (current.get(key)) query.set(key, current.get(key)); });
      if (focus) query.set("focus", focus);
      root.classList.add("loading");
      return fetch(jsonUrl + "?" + query.toString(), { headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) { graph = data; draw(true); })
        .catch(function () { showMessage("The graph could not be loaded; try again."); })
        .then(function () { root.classList.remove("loading"); });
    }

    function showMessage(text) {
      message.textContent = text;
      message.hidden = !text;
    }

    function nodeLink(id) { return nodeUrl.replace("UNIQUE_ID", encodeURI(id)); }

    function toggleItem(key, item, on) {
      var items = list(params().get(key)).filter(function (x) { return x !== item; });
      if (on) items.push(item);
      return items.join(",");
    }

    function expand(id, side) {
      var item = side === "up" ? "+" + id : id + "+";
      setParams({ expand: toggleItem("expand", item, true), hide: toggleItem("hide", item, false) });
      reload();
    }

    function hide(id, side) {
      var item = side === "up" ? "+" + id : id + "+";
      setParams({ hide: toggleItem("hide", item, true), expand: toggleItem("expand", item, false) });
      reload();
    }

    // ---- drawing
    function curve(points) {
      var d = "M" + points[0][0] + "," + points[0][1];
      for (var i = 1; i < points.length; i++) {
        var a = points[i - 1], b = points[i];
        var mid = (a[0] + b[0]) / 2;
        d += " C" + mid + "," + a[1] + " " + mid + "," + b[1] + " " + b[0] + "," + b[1];
      }
      return d;
    }

    function esc(text) {
      return String(text).replace(/[&<>"']/g, function (c) {
        return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
      });
    }

    // The graph is written as one string of SVG markup: for 2,000 nodes that is several times
    // faster than creating each element, and one listener on the SVG serves every node.
    function draw(keepView) {
      root.setAttribute("data-color", graph.color || "type");
      svg.innerHTML = "";
      viewport = null;
      if (graph.error) { showMessage(graph.error); return; }
      if (graph.tooBig) {
        showMessage("This selection has " + graph.total + " resources; a graph shows up to " +
          graph.maxNodes + ". Narrow the selection (a depth such as 2+model, an intersection, an exclude).");
        return;
      }
      if (!graph.nodes.length) { showMessage("Nothing to show."); return; }
      showMessage("");
      var w = graph.nodeWidth, h = graph.nodeHeight;
      var hasParents = {}, hasChildren = {};
      var out = ['<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" ' +
        'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead"/>' +
        '</marker></defs><g class="viewport"><g class="edges">'];
      graph.edges.forEach(function (edge) {
        hasChildren[edge.source] = true;
        hasParents[edge.target] = true;
        out.push('<path class="edge' + (edge.onPath ? " on-path" : "") + '" d="' + curve(edge.points) +
          '" marker-end="url(#arrow)" data-source="' + esc(edge.source) + '" data-target="' + esc(edge.target) + '"/>');
      });
      out.push('</g><g class="nodes">');
      graph.nodes.forEach(function (node) { out.push(nodeMarkup(node, w, h, hasParents, hasChildren)); });
      out.push("</g></g>");
      svg.innerHTML = out.join("");
      viewport = svg.querySelector(".viewport");
      if (!keepView) fit(); else apply();
      legend();
    }

    function nodeMarkup(node, w, h, hasParents, hasChildren) {
      var classes = ["node", "t-" + node.resource_type];
      if (node.layer) classes.push("l-" + node.layer);
      if (node.health) classes.push("h-" + node.health);
      classes.push("s-" + (node.status ? node.status.replace(/\s+/g, "-") : "none"));
      if (node.focus) classes.push("focus");
      if (node.matched === false) classes.push("context");
      if (node.placeholder) classes.push("placeholder");
      if (node.on_path) classes.push("on-path");
      if (node.members) classes.push("collapsed");
      var title = node.members
        ? node.resource_type + " " + node.id.split(":").slice(1).join(":") + ": " + node.members + " resources (click to expand)"
        : node.id + (node.status ? " — last run: " + node.status : "");
      var text = node.label + (node.members ? " (" + node.members + ")" : "");
      var kind = short(node.resource_type) +
        (node.members ? "" : node.materialized && node.resource_type === "model" ? " · " + node.materialized : "") +
        (graph.color === "status" && node.status ? " · " + node.status : "") +
        (graph.color === "health" && node.health ? " · " + node.health : "");
      var parts = ['<g class="' + classes.join(" ") + '" transform="translate(' + node.x + "," + node.y +
        ')" tabindex="0" role="link" data-id="' + esc(node.id) + '"><title>' + esc(title) + "</title>" +
        '<rect class="box" width="' + w + '" height="' + h + '" rx="6" ry="6"/>' +
        '<rect class="stripe" width="5" height="' + h + '" rx="2"/>' +
        '<text class="label" x="12" y="17">' + esc(text.length > 26 ? text.slice(0, 25) + "…" : text) + "</text>" +
        '<text class="kind" x="12" y="32">' + esc(kind) + "</text>"];
      // Handles: expand (+N) or hide (−) a node's parents and children.
      if (!node.members) {
        parts.push(handleMarkup(node, "up", -10, h / 2, hasParents[node.id]));
        parts.push(handleMarkup(node, "down", w + 10, h / 2, hasChildren[node.id]));
      }
      parts.push("</g>");
      return parts.join("");
    }

    function short(type) {
      return { semantic_model: "semantic", saved_query: "saved query", unit_test: "unit test" }[type] || type;
    }

    function handleMarkup(node, side, x, y, shownNeighbours) {
      var hidden = side === "up" ? node.hidden_parents : node.hidden_children;
      if (!hidden && (!shownNeighbours || node.focus)) return "";
      var noun = side === "up" ? "parent" : "child";
      var title = hidden
        ? "Show " + hidden + " more " + noun + (hidden > 1 ? (side === "up" ? "s" : "ren") : "")
        : "Hide the " + (side === "up" ? "parents" : "children");
      var label = hidden ? (hidden > 9 ? "+" : "+" + hidden) : "−";
      return '<g class="handle ' + side + " " + (hidden ? "more" : "less") + '" data-side="' + side +
        '" transform="translate(' + x + "," + y + ')"><title>' + esc(title) + '</title><circle r="9"/>' +
        '<text y="4" text-anchor="middle">' + label + "</text></g>";
    }

    function nodeOf(target) {
      var g = target.closest && target.closest(".node");
      if (!g) return null;
      var id = g.getAttribute("data-id");
      for (var i = 0; i < graph.nodes.length; i++) if (graph.nodes[i].id === id) return graph.nodes[i];
      return null;
    }

    svg.addEventListener("click", function (event) {
      var node = nodeOf(event.target);
      if (!node) return;
      var handle = event.target.closest(".handle");
      if (handle) {
        var side = handle.getAttribute("data-side");
        if (handle.classList.contains("more")) expand(node.id, side); else hide(node.id, side);
        return;
      }
      if (node.members) { uncollapse(node.id); return; }
      if (event.shiftKey) { pickPath(node.id); return; }
      window.location.href = nodeLink(node.id);
    });
    svg.addEventListener("keydown", function (event) {
      var node = nodeOf(event.target);
      if (node && event.key === "Enter") window.location.href = nodeLink(node.id);
    });

    function uncollapse(id) {
      setParams({ collapse: toggleItem("collapse", id, false) });
      var input = root.querySelector("[data-param='collapse']");
      if (input) input.value = params().get("collapse") || "";
      reload();
    }

    function pickPath(id) {
      if (!pathStart || pathStart === id) {
        pathStart = id;
        pathInfo.textContent = "From " + id + ": shift-click another node.";
        svg.querySelectorAll(".node").forEach(function (n) { n.classList.toggle("picked", n.getAttribute("data-id") === id); });
        return;
      }
      setParams({ path: pathStart + "," + id });
      pathInfo.textContent = "Paths between " + pathStart + " and " + id + ".";
      pathStart = null;
      reload();
    }

    function legend() {
      var box = root.querySelector("[data-legend]");
      var counts = {};
      var key = { layer: "layer", status: "status", health: "health" }[graph.color] || "resource_type";
      graph.nodes.forEach(function (n) { var v = n[key] || "none"; counts[v] = (counts[v] || 0) + 1; });
      box.textContent = "";
      Object.keys(counts).sort().forEach(function (value) {
        var item = document.createElement("span");
        var prefix = { resource_type: "t-", layer: "l-", status: "s-", health: "h-" }[key];
        item.className = "legend-item " + prefix + value.replace(/\s+/g, "-");
        item.textContent = value + " " + counts[value];
        box.appendChild(item);
      });
    }

    // ---- pan and zoom
    function apply() {
      if (viewport) viewport.setAttribute("transform", "translate(" + view.x + "," + view.y + ") scale(" + view.k + ")");
      // Zoomed far out, labels are too small to read: not drawing them keeps panning smooth.
      svg.classList.toggle("far", view.k < 0.45);
    }

    function fit() {
      var box = frame.getBoundingClientRect();
      var width = Math.max(box.width, 200), height = Math.max(box.height, 200);
      var k = Math.min(width / (graph.width + 60), height / (graph.height + 60), 1);
      view.k = Math.max(k, 0.05);
      view.x = (width - graph.width * view.k) / 2;
      view.y = (height - graph.height * view.k) / 2;
      if (focus) {
        // center on the focus node when the graph is wider than the frame
        var node = graph.nodes.filter(function (n) { return n.focus; })[0];
        if (node && view.k < 0.6) {
          view.k = 0.8;
          view.x = width / 2 - (node.x + graph.nodeWidth / 2) * view.k;
          view.y = height / 2 - (node.y + graph.nodeHeight / 2) * view.k;
        }
      }
      apply();
    }

    frame.addEventListener("wheel", function (event) {
      event.preventDefault();
      var box = frame.getBoundingClientRect();
      var px = event.clientX - box.left, py = event.clientY - box.top;
      var factor = Math.exp(-event.deltaY * 0.0015);
      var k = Math.min(4, Math.max(0.05, view.k * factor));
      view.x = px - (px - view.x) * (k / view.k);
      view.y = py - (py - view.y) * (k / view.k);
      view.k = k;
      apply();
    }, { passive: false });

    var drag = null;
    frame.addEventListener("pointerdown", function (event) {
      if (event.target.closest(".node")) return;
      drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y };
      frame.setPointerCapture(event.pointerId);
      frame.classList.add("dragging");
    });
    frame.addEventListener("pointermove", function (event) {
      if (!drag) return;
      view.x = drag.vx + event.clientX - drag.x;
      view.y = drag.vy + event.clientY - drag.y;
      apply();
    });
    frame.addEventListener("pointerup", function () { drag = null; frame.classList.remove("dragging"); });
    frame.addEventListener("keydown", function (event) {
      var step = 60;
      if (event.key === "ArrowLeft") view.x += step;
      else if (event.key === "ArrowRight") view.x -= step;
      else if (event.key === "ArrowUp") view.y += step;
      else if (event.key === "ArrowDown") view.y -= step;
      else if (event.key === "+" || event.key === "=") view.k = Math.min(4, view.k * 1.2);
      else if (event.key === "-") view.k = Math.max(0.05, view.k / 1.2);
      else return;
      event.preventDefault();
      apply();
    });

    // ---- toolbar
    root.querySelectorAll("[data-param]").forEach(function (input) {
      var name = input.getAttribute("data-param");
      var change = function () {
        var value;
        if (input.type === "checkbox") {
          value = name === "sources" ? (input.checked ? null : "0") : (input.checked ? "1" : null);
        } else {
          value = input.value.trim();
          if (name === "color" && value === "type") value = null;
          if ((name === "up" || name === "down") && value === "1") value = null;
        }
        var change = {};
        change[name] = value;
        setParams(change);
        if (name === "color") { graph.color = input.value; root.setAttribute("data-color", input.value); legend(); return; }
        reload();
      };
      input.addEventListener(input.type === "text" || input.type === "number" ? "change" : "input", change);
    });
    root.querySelector("[data-action='fit']").addEventListener("click", fit);
    root.querySelector("[data-action='reset']").addEventListener("click", function () {
      var reset = {};
      PARAMS.forEach(function (key) { if (key !== "select" && key !== "exclude") reset[key] = null; });
      setParams(reset);
      root.querySelectorAll("[data-param]").forEach(function (input) {
        var name = input.getAttribute("data-param");
        if (input.type === "checkbox") input.checked = name === "sources";
        else if (name === "color") input.value = "type";
        else if (name === "up" || name === "down") input.value = "1";
        else input.value = "";
      });
      pathStart = null;
      pathInfo.textContent = "Shift-click two nodes to highlight the paths between them.";
      reload().then(fit);
    });
    root.querySelector("[data-action='svg']").addEventListener("click", function () {
      download(new Blob([standalone()], { type: "image/svg+xml" }), "lineage.svg");
    });
    root.querySelector("[data-action='png']").addEventListener("click", function () {
      var image = new Image();
      var scale = 2;
      image.onload = function () {
        var canvas = document.createElement("canvas");
        canvas.width = Math.ceil((graph.width + 40) * scale);
        canvas.height = Math.ceil((graph.height + 40) * scale);
        var context = canvas.getContext("2d");
        context.fillStyle = "#ffffff";
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) { download(blob, "lineage.png"); }, "image/png");
      };
      image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(standalone());
    });

    // An SVG file of the whole graph, with the page's colours written into it.
    function standalone() {
      var copy = svg.cloneNode(true);
      copy.setAttribute("width", graph.width + 40);
      copy.setAttribute("height", graph.height + 40);
      copy.setAttribute("viewBox", "-20 -20 " + (graph.width + 40) + " " + (graph.height + 40));
      copy.querySelector(".viewport").removeAttribute("transform");
      var live = svg.querySelectorAll("*");
      var copied = copy.querySelectorAll("*");
      var props = ["fill", "stroke", "stroke-width", "stroke-dasharray", "opacity", "font-family", "font-size", "font-weight"];
      for (var i = 0; i < live.length; i++) {
        var style = window.getComputedStyle(live[i]);
        var inline = props.map(function (p) { return p + ":" + style.getPropertyValue(p); }).join(";");
        copied[i].setAttribute("style", inline);
      }
      copy.querySelectorAll(".handle").forEach(function (h) { h.parentNode.removeChild(h); });
      return new XMLSerializer().serializeToString(copy);
    }

    function download(blob, name) {
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = name;
      document.body.appendChild(link);
      link.click();
      setTimeout(function () { URL.revokeObjectURL(link.href); document.body.removeChild(link); }, 1000);
    }

    var current = params();
    if (current.get("path")) pathInfo.textContent = "Paths between " + list(current.get("path")).join(" and ") + ".";
    draw(false);
    window.addEventListener("resize", function () { if (!drag) fit(); });
  }
})();
