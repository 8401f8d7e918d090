// The sync page: follow a load or sync live, polling its JSON status until it ends.
(function () {
  "use strict";
  const ENDED = ["succeeded", "failed", "skipped"];
  const root = document.querySelector("[data-sync-status]");
  if (!root) return;
  const bar = root.querySelector("[data-sync-bar]");
  const field = (name) => root.querySelector(`[data-sync-field="${name}"]`);

  function percent(state) {
    if (state.status === "succeeded") return 100;
    const p = state.progress || {};
    if (!p.total) return state.status === "running" ? 5 : 0;
    return Math.max(1, Math.min(99, Math.round((100 * (p.done || 0)) / p.total)));
  }

  function show(state) {
    const p = state.progress || {};
    const set = (name, text) => { const el = field(name); if (el) el.textContent = text; };
    set("status", state.status);
    set("phase", p.phase || "");
    root.querySelector("[data-sync-phase]").hidden = !p.phase;
    set("done", String(p.done || 0));
    set("total", String(p.total || 0));
    root.querySelector("[data-sync-of]").hidden = !p.total;
    if (p.pages !== undefined) {
      set("pages", String(p.pages));
      root.querySelector("[data-sync-pages]").hidden = false;
    }
    if (state.duration !== null && state.duration !== undefined) set("duration", `${state.duration.toFixed(1)} s`);
    const error = field("error");
    if (error) { error.textContent = state.error || ""; error.hidden = !state.error; }
    const value = percent(state);
    bar.value = value;
    bar.textContent = `${value}%`;
    bar.dataset.status = state.status;
    const counts = root.querySelector("[data-sync-counts] tbody");
    if (counts && state.counts) {
      counts.replaceChildren(...Object.entries(state.counts).map(([key, n]) => {
        const row = document.createElement("tr");
        const th = document.createElement("th"); th.textContent = key;
        const td = document.createElement("td"); td.className = "num"; td.textContent = String(n);
        row.append(th, td);
        return row;
      }));
    }
  }

  async function poll() {
    try {
      const response = await fetch(root.dataset.syncStatus, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const state = await response.json();
        show(state);
        if (ENDED.includes(state.status)) return;
      }
    } catch (e) { /* a dropped request: try again */ }
    setTimeout(poll, 1000);
  }

  const initial = JSON.parse(document.getElementById("sync-state").textContent);
  show(initial);
  if (!ENDED.includes(initial.status)) setTimeout(poll, 500);
})();
