// sitrep desk: map, timeline, table, event panel and comment queue over /api/v1.
//
// Everything shown comes from untrusted pages. The DOM is built with createElement and
// text nodes only: no HTML parsing of data, no HTML strings handed to Leaflet (icons and tooltips get
// elements). Links are made only for http(s) URLs. See docs/decisions/0008-desk.md.
"use strict";

(function () {
  const API = "/api/v1";
  const PAGE = 500; // the API's largest page
  const MAX_EVENTS = 20000; // the desk loads at most this many events for one filter set
  const MAX_ROWS = 2000; // table rows drawn at once
  const DAY_MS = 86400000;

  // ACLED's six event types; other types get a grey.
  const TYPE_COLOURS = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Protests": "#2ca02c",
    "Riots": "#e377c2",
    "Strategic developments": "#1f77b4",
  };
  const OTHER_COLOUR = "#7f7f7f";

  const COLUMNS = [
    { key: "event_date", label: "date" },
    { key: "event_type", label: "type" },
    { key: "sub_event_type", label: "sub-type" },
    { key: "actor1", label: "actor 1" },
    { key: "actor2", label: "actor 2" },
    { key: "location", label: "location" },
    { key: "admin1", label: "admin1" },
    { key: "country", label: "country" },
    { key: "fatalities", label: "deaths", numeric: true },
    { key: "confidence", label: "conf.", numeric: true },
    { key: "modality", label: "modality" },
  ];

  const state = {
    info: null,
    events: [], // as loaded for the server-side filters
    hiddenTypes: new Set(),
    brush: null, // [firstDay, lastDay] as "YYYY-MM-DD", inclusive
    sort: { key: "event_date", dir: -1 },
    selected: null,
    visible: [],
    commentsCursor: null,
    loadSeq: 0,
  };

  // -- DOM helpers: text only ---------------------------------------------------------------

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [name, value] of Object.entries(props)) {
        if (value === null || value === undefined || value === false) continue;
        if (name === "className") node.className = value;
        else if (name === "dataset") Object.assign(node.dataset, value);
        else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
        else if (name === "text") node.textContent = String(value);
        else node.setAttribute(name, String(value));
      }
    }
    for (const child of children) append(node, child);
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) child.forEach((c) => append(node, c));
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function svg(tag, attrs) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
    return node;
  }

  // A link only for http(s); anything else (javascript:, data:, relative) is shown as text.
  function safeLink(url, label) {
    if (typeof url !== "string") return null;
    let parsed;
    try {
      parsed = new URL(url);
    } catch (_) {
      return el("span", { className: "url", text: url });
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      return el("span", { className: "url", text: url });
    }
    return el("a", { href: parsed.href, target: "_blank", rel: "noopener noreferrer nofollow", text: label || url });
  }

  function escapeHTML(text) {
    const entities = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
    return String(text).replace(/[&<>"']/g, (c) => entities[c]);
  }

  function byId(id) {
    return document.getElementById(id);
  }

  function setStatus(text) {
    byId("status").textContent = text;
  }

  function colour(type) {
    return TYPE_COLOURS[type] || OTHER_COLOUR;
  }

  function show(value) {
    return value === null || value === undefined || value === "" ? "–" : String(value);
  }

  // -- API ----------------------------------------------------------------------------------

  async function getJSON(path, params) {
    const url = new URL(API + path, window.location.origin);
    for (const [name, value] of Object.entries(params || {})) {
      if (value === null || value === undefined || value === "") continue;
      if (Array.isArray(value)) value.forEach((v) => url.searchParams.append(name, v));
      else url.searchParams.set(name, value);
    }
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.detail || response.status + " " + response.statusText);
    return body;
  }

  // Writes carry the server's serve.token; it is kept for this tab only (sessionStorage).
  function writeToken() {
    return window.sessionStorage.getItem("sitrep.token") || "";
  }

  async function postJSON(path, payload) {
    const headers = { "Content-Type": "application/json", Accept: "application/json" };
    const token = writeToken();
    if (token) headers.Authorization = "Bearer " + token;
    const response = await fetch(API + path, {
      method: "POST",
      headers,
      body: JSON.stringify(payload),
    });
    const body = await response.json().catch(() => ({}));
    return { ok: response.ok, status: response.status, body };
  }

  // -- events: loading and client-side filtering --------------------------------------------

  function serverFilters() {
    const confidence = parseFloat(byId("f-confidence").value);
    return {
      q: byId("f-q").value.trim(),
      country: byId("f-country").value,
      modality: byId("f-modality").value,
      min_confidence: confidence > 0 ? String(confidence) : "",
    };
  }

  async function loadEvents() {
    const seq = ++state.loadSeq;
    setStatus("Loading events…");
    const params = Object.assign(serverFilters(), { limit: PAGE });
    const events = [];
    let cursor = null;
    let total = 0;
    do {
      const page = await getJSON("/events", Object.assign({}, params, { cursor }));
      if (seq !== state.loadSeq) return; // a newer load started
      events.push(...page.items);
      total = page.total;
      cursor = page.next_cursor;
    } while (cursor && events.length < MAX_EVENTS);
    state.events = events;
    fillCountries(events);
    const cut = total > events.length ? ` (first ${events.length} of ${total})` : "";
    setStatus(`${events.length} events loaded${cut}`);
    refresh();
  }

  function fillCountries(events) {
    const select = byId("f-country");
    if (select.options.length > 1) return; // filled on the first, unfiltered load
    const names = [...new Set(events.map((e) => e.country).filter(Boolean))].sort();
    names.forEach((name) => select.appendChild(el("option", { value: name, text: name })));
  }

  function typeVisible(event) {
    return !state.hiddenTypes.has(event.event_type);
  }

  function inBrush(event) {
    if (!state.brush) return true;
    return event.event_date !== null && event.event_date >= state.brush[0] && event.event_date <= state.brush[1];
  }

  function refresh() {
    state.visible = state.events.filter((e) => typeVisible(e) && inBrush(e));
    drawLegend();
    drawMap();
    drawTimeline();
    drawTable();
    if (state.selected && !state.visible.some((e) => e.event_id === state.selected)) {
      state.selected = null;
      clear(byId("panel"));
      byId("panel").appendChild(el("p", { className: "muted", text: "Select an event on the map or in the table to read its sources." }));
    }
  }

  // -- legend (type filter) -----------------------------------------------------------------

  function drawLegend() {
    const legend = byId("legend");
    clear(legend);
    const counts = new Map();
    state.events.forEach((e) => counts.set(e.event_type, (counts.get(e.event_type) || 0) + 1));
    [...counts.keys()].sort().forEach((type) => {
      const swatch = el("span", { className: "swatch" });
      swatch.style.background = colour(type);
      const button = el(
        "button",
        {
          type: "button",
          className: "chip",
          "aria-pressed": state.hiddenTypes.has(type) ? "false" : "true",
          dataset: { type },
          onclick: () => {
            if (state.hiddenTypes.has(type)) state.hiddenTypes.delete(type);
            else state.hiddenTypes.add(type);
            refresh();
          },
        },
        swatch,
        `${type} (${counts.get(type)})`
      );
      legend.appendChild(button);
    });
  }

  // -- map ----------------------------------------------------------------------------------

  let map = null;
  let cluster = null;
  let fitted = false;

  function initMap() {
    map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 14, zoomControl: true });
    map.setView([20, 20], 2);
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Made with Natural Earth");
    const tiles = state.info && state.info.tiles_url;
    if (tiles) {
      // Leaflet writes attributions as HTML: hand it the escaped text.
      L.tileLayer(tiles, { attribution: escapeHTML(state.info.tiles_attribution || ""), maxZoom: 18 }).addTo(map);
    }
    fetch("/static/vendor/world-atlas/countries-50m.json")
      .then((r) => r.json())
      .then((topo) => {
        const land = topojson.feature(topo, topo.objects.countries);
        // Antarctica's ring runs along the projection's edge and draws a line across the map.
        land.features = land.features.filter((f) => f.id !== "010");
        L.geoJSON(land, {
          interactive: false,
          style: { color: "#8a96a3", weight: 0.6, fillColor: tiles ? "transparent" : "#eef0eb", fillOpacity: tiles ? 0 : 1 },
        }).addTo(map).bringToBack();
      })
      .catch(() => setStatus("Country outlines could not be loaded."));
    cluster = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 40,
      iconCreateFunction: (c) => {
        const n = c.getChildCount();
        const size = n < 10 ? 30 : n < 100 ? 38 : 46;
        return L.divIcon({
          html: el("span", { text: n }),
          className: "ev-cluster",
          iconSize: [size, size],
        });
      },
    });
    map.addLayer(cluster);
  }

  function markerSize(fatalities) {
    if (fatalities === null || fatalities === undefined || fatalities <= 0) return 12;
    return Math.min(34, 12 + 5 * Math.log2(1 + fatalities));
  }

  function drawMap() {
    cluster.clearLayers();
    const markers = [];
    for (const event of state.visible) {
      if (event.latitude === null || event.longitude === null) continue;
      const size = Math.round(markerSize(event.fatalities));
      const dot = el("span", { className: "dot" });
      dot.style.background = colour(event.event_type);
      const icon = L.divIcon({ html: dot, className: "ev-marker", iconSize: [size, size] });
      const marker = L.marker([event.latitude, event.longitude], {
        icon,
        title: `${event.sub_event_type} — ${event.location || ""}`,
        alt: event.sub_event_type,
        keyboard: true,
      });
      marker.eventId = event.event_id;
      marker.bindTooltip(
        el("span", null, el("strong", { text: event.sub_event_type }), el("br"), `${show(event.event_date)} · ${show(event.location)}`),
        { direction: "top" }
      );
      marker.on("click", () => selectEvent(event.event_id));
      markers.push(marker);
    }
    cluster.addLayers(markers);
    const box = byId("map");
    box.dataset.points = String(markers.length);
    if (markers.length && !fitted) {
      map.fitBounds(cluster.getBounds(), { padding: [30, 30], maxZoom: 8 });
      fitted = true;
    }
  }

  // -- timeline (histogram by day, brushable) -----------------------------------------------

  function dayNumber(iso) {
    return Math.round(Date.parse(iso + "T00:00:00Z") / DAY_MS);
  }

  function isoDay(n) {
    return new Date(n * DAY_MS).toISOString().slice(0, 10);
  }

  function drawTimeline() {
    const chart = byId("timeline");
    clear(chart);
    // The histogram shows every day of the type-filtered events; the brush marks a range.
    const dated = state.events.filter((e) => typeVisible(e) && e.event_date !== null);
    const undated = state.events.filter((e) => typeVisible(e) && e.event_date === null).length;
    const inRange = dated.filter(inBrush).length;
    chart.dataset.total = String(inRange);
    const summary = byId("timeline-summary");
    summary.textContent = `— ${inRange} dated event${inRange === 1 ? "" : "s"} shown` + (undated ? `, ${undated} undated (table only, when no days are selected)` : "");
    const width = chart.clientWidth || 600;
    const height = 90;
    const axis = 16;
    chart.setAttribute("viewBox", `0 0 ${width} ${height}`);
    if (!dated.length) {
      const t = svg("text", { x: 8, y: 40, class: "empty" });
      t.textContent = "No dated events.";
      chart.appendChild(t);
      return;
    }
    const counts = new Map();
    dated.forEach((e) => counts.set(e.event_date, (counts.get(e.event_date) || 0) + 1));
    let first = Math.min(...[...counts.keys()].map(dayNumber));
    let last = Math.max(...[...counts.keys()].map(dayNumber));
    first -= 1;
    last += 1;
    const days = last - first + 1;
    const step = width / days;
    const peak = Math.max(...counts.values());
    const x = (n) => (n - first) * step;
    const dayAt = (px) => Math.max(first, Math.min(last, first + Math.floor(px / step)));
    for (let n = first; n <= last; n++) {
      const iso = isoDay(n);
      const count = counts.get(iso) || 0;
      if (!count) continue;
      const barHeight = ((height - axis - 4) * count) / peak;
      const selected = !state.brush || (iso >= state.brush[0] && iso <= state.brush[1]);
      const bar = svg("rect", {
        x: x(n) + Math.min(1, step * 0.1),
        y: height - axis - barHeight,
        width: Math.max(1, step - Math.min(2, step * 0.2)),
        height: barHeight,
        class: selected ? "bar" : "bar off",
        "data-day": iso,
        "data-count": count,
      });
      const tip = svg("title");
      tip.textContent = `${iso}: ${count}`;
      bar.appendChild(tip);
      chart.appendChild(bar);
    }
    // Axis labels: first and last day, and the middle when there is room.
    const labels = [first + 1, last - 1];
    if (days > 10) labels.splice(1, 0, Math.round((first + last) / 2));
    labels.forEach((n, i) => {
      const t = svg("text", { x: x(n) + step / 2, y: height - 3, class: "tick", "text-anchor": i === 0 ? "start" : i === labels.length - 1 ? "end" : "middle" });
      t.textContent = isoDay(n);
      chart.appendChild(t);
    });
    if (state.brush) {
      const b0 = dayNumber(state.brush[0]);
      const b1 = dayNumber(state.brush[1]);
      chart.appendChild(svg("rect", { x: x(b0), y: 0, width: (b1 - b0 + 1) * step, height: height - axis, class: "brush" }));
    }
    // Dragging selects days; a click on one bar selects that day.
    chart.onpointerdown = (down) => {
      const origin = chart.getBoundingClientRect();
      const scale = width / origin.width;
      const start = dayAt((down.clientX - origin.left) * scale);
      const onUp = (up) => {
        window.removeEventListener("pointerup", onUp);
        const end = dayAt((up.clientX - origin.left) * scale);
        setBrush(isoDay(Math.min(start, end)), isoDay(Math.max(start, end)));
      };
      window.addEventListener("pointerup", onUp);
    };
    chart.ondblclick = () => setBrush(null, null);
  }

  function setBrush(since, until) {
    state.brush = since && until ? [since, until] : null;
    byId("f-since").value = since || "";
    byId("f-until").value = until || "";
    refresh();
  }

  function brushFromInputs() {
    const since = byId("f-since").value;
    const until = byId("f-until").value;
    if (!since && !until) state.brush = null;
    else state.brush = [since || "0000-01-01", until || "9999-12-31"];
    refresh();
  }

  // -- table --------------------------------------------------------------------------------

  function compare(a, b, key, dir) {
    const x = a[key];
    const y = b[key];
    // Missing values sort last whichever the direction.
    if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
    if (y === null || y === undefined) return -1;
    if (x < y) return -dir;
    if (x > y) return dir;
    return 0;
  }

  function drawTable() {
    const table = byId("events-table");
    const head = table.tHead.rows[0];
    clear(head);
    COLUMNS.forEach((column) => {
      const sorted = state.sort.key === column.key;
      const th = el(
        "th",
        { scope: "col", "aria-sort": sorted ? (state.sort.dir > 0 ? "ascending" : "descending") : "none", className: column.numeric ? "num" : null },
        el("button", {
          type: "button",
          text: column.label + (sorted ? (state.sort.dir > 0 ? " ▲" : " ▼") : ""),
          onclick: () => {
            state.sort = { key: column.key, dir: sorted ? -state.sort.dir : column.numeric || column.key === "event_date" ? -1 : 1 };
            drawTable();
          },
        })
      );
      head.appendChild(th);
    });
    const rows = [...state.visible].sort(
      (a, b) => compare(a, b, state.sort.key, state.sort.dir) || compare(a, b, "event_id", 1)
    );
    const body = table.tBodies[0];
    clear(body);
    rows.slice(0, MAX_ROWS).forEach((event) => {
      const tr = el("tr", {
        tabindex: "0",
        dataset: { eventId: event.event_id },
        className: event.event_id === state.selected ? "selected" : null,
        onclick: () => selectEvent(event.event_id),
        onkeydown: (e) => {
          if (e.key === "Enter") selectEvent(event.event_id);
        },
      });
      COLUMNS.forEach((column) => {
        let value = event[column.key];
        if (column.key === "confidence" && value !== null) value = value.toFixed(2);
        const td = el("td", { className: column.numeric ? "num" : null, text: show(value) });
        if (column.key === "event_type") {
          const swatch = el("span", { className: "swatch" });
          swatch.style.background = colour(event.event_type);
          td.prepend(swatch);
        }
        if (column.key === "event_date" && event.year_from_reference) {
          td.appendChild(el("abbr", { title: "year taken from the publication date", text: "*" }));
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.dataset.rows = String(rows.length);
    const shown = Math.min(rows.length, MAX_ROWS);
    byId("table-summary").textContent =
      rows.length > MAX_ROWS ? `Showing ${shown} of ${rows.length} events; narrow the filters to see the rest.` : `${rows.length} events`;
  }

  // -- event panel --------------------------------------------------------------------------

  async function selectEvent(eventId) {
    state.selected = eventId;
    document.querySelectorAll("#events-table tbody tr").forEach((tr) => {
      tr.classList.toggle("selected", tr.dataset.eventId === eventId);
    });
    const panel = byId("panel");
    let event;
    try {
      event = await getJSON("/events/" + encodeURIComponent(eventId));
    } catch (error) {
      clear(panel);
      panel.appendChild(el("p", { className: "error", text: String(error.message || error) }));
      return;
    }
    if (state.selected !== eventId) return;
    drawPanel(event);
  }

  function field(label, value) {
    return [el("dt", { text: label }), el("dd", { text: show(value) })];
  }

  function drawPanel(e) {
    const panel = byId("panel");
    clear(panel);
    panel.dataset.eventId = e.event_id;
    const swatch = el("span", { className: "swatch" });
    swatch.style.background = colour(e.event_type);
    panel.appendChild(el("h2", null, swatch, e.sub_event_type));
    const date = e.event_date ? e.event_date + (e.year_from_reference ? ` (year from the publication date ${show(e.date_resolved_from)})` : "") : null;
    const place = [e.location, e.admin2, e.admin1, e.country].filter(Boolean).join(", ");
    const coords = e.latitude !== null && e.longitude !== null ? `${e.latitude.toFixed(4)}, ${e.longitude.toFixed(4)} (precision ${show(e.geo_precision)}, ${show(e.geo_reason)})` : null;
    panel.appendChild(
      el(
        "dl",
        { className: "facts" },
        field("type", e.event_type),
        field("date", date),
        field("where", place || null),
        field("coordinates", coords),
        field("actor 1", e.actor1 && e.assoc_actor_1 ? `${e.actor1} (with ${e.assoc_actor_1})` : e.actor1),
        field("actor 2", e.actor2 && e.assoc_actor_2 ? `${e.actor2} (with ${e.assoc_actor_2})` : e.actor2),
        field("fatalities", e.fatalities),
        field("modality", e.modality),
        field("confidence", e.confidence.toFixed(2)),
        field("PLOVER / CAMEO", [e.plover_type, e.cameo_code].filter(Boolean).join(" / ") || null),
        field("event id", e.event_id)
      )
    );
    panel.appendChild(el("h3", { text: `Sources (${e.sources.length})` }));
    const list = el("ol", { className: "sources" });
    e.sources.forEach((s) => {
      const sentence = el("blockquote", { className: "sentence" });
      (s.parts || [{ text: s.sentence, kind: null }]).forEach((part) => {
        if (part.kind) sentence.appendChild(el("mark", { className: "hl-" + part.kind, title: part.kind, text: part.text }));
        else sentence.appendChild(document.createTextNode(part.text));
      });
      const chain = s.attribution && s.attribution.length ? "according to " + s.attribution.join(" › ") : null;
      list.appendChild(
        el(
          "li",
          null,
          sentence,
          el(
            "p",
            { className: "cite muted" },
            s.url ? safeLink(s.url) : `document ${s.document_id}`,
            s.published ? ` · published ${s.published}` : "",
            chain ? ` · ${chain}` : "",
            ` · characters ${s.start}–${s.end}`
          )
        )
      );
    });
    panel.appendChild(list);
    panel.appendChild(
      el(
        "p",
        { className: "key muted" },
        "Marked: ",
        ["actor", "location", "date", "fatalities", "attribution"].map((k) => [el("mark", { className: "hl-" + k, text: k }), " "])
      )
    );
  }

  // -- comment queue ------------------------------------------------------------------------

  function codePointParts(text, spans) {
    // Screening offsets count code points (Python); JavaScript strings count UTF-16 units.
    const chars = Array.from(text);
    const parts = [];
    let at = 0;
    [...spans].sort((a, b) => a.start - b.start).forEach((span) => {
      if (span.start < at || span.end > chars.length) return;
      if (span.start > at) parts.push({ text: chars.slice(at, span.start).join(""), label: null });
      parts.push({ text: chars.slice(span.start, span.end).join(""), label: span.label });
      at = span.end;
    });
    if (at < chars.length) parts.push({ text: chars.slice(at).join(""), label: null });
    return parts;
  }

  const headlines = new Map();

  async function loadComments(more) {
    const list = byId("comments");
    if (!more) {
      clear(list);
      state.commentsCursor = null;
    }
    if (!headlines.size) {
      try {
        let cursor = null;
        do {
          const page = await getJSON("/documents", { limit: PAGE, cursor });
          page.items.forEach((d) => headlines.set(d.id, d));
          cursor = page.next_cursor;
        } while (cursor);
      } catch (_) {
        /* headlines are a nicety */
      }
    }
    const notice = byId("c-notice");
    const writes = Boolean(state.info && state.info.writes);
    notice.hidden = writes;
    notice.textContent = writes ? "" : "This server accepts no writes (serve.token is not set): decisions cannot be recorded.";
    let page;
    try {
      page = await getJSON("/comments", {
        status: byId("c-status").value,
        screening: byId("c-screening").value,
        undecided: byId("c-undecided").checked ? "true" : "",
        limit: 100,
        cursor: state.commentsCursor,
      });
    } catch (error) {
      byId("c-summary").textContent = String(error.message || error);
      return;
    }
    byId("c-summary").textContent = `${page.total} comments, worst first`;
    page.items.forEach((c) => list.appendChild(commentItem(c)));
    state.commentsCursor = page.next_cursor;
    byId("c-more").hidden = !page.next_cursor;
  }

  function formatScores(scores) {
    return Object.entries(scores)
      .sort((a, b) => b[1] - a[1])
      .map(([label, score]) => `${label} ${Number(score).toFixed(2)}`)
      .join(" · ");
  }

  function commentItem(c, message) {
    const doc = headlines.get(c.document_id);
    const text = el("p", { className: "comment-text" });
    const spans = c.screening ? c.screening.spans : [];
    codePointParts(c.text, spans).forEach((part) => {
      if (part.label) text.appendChild(el("mark", { className: "hl-abuse", title: part.label, dataset: { label: part.label }, text: part.text }));
      else text.appendChild(document.createTextNode(part.text));
    });
    // The effective decision: the moderator's, else the screening's.
    const status = el("span", { className: "badge status " + (c.status ? "q-" + c.status : "q-none"), text: c.status || "no decision" });
    const machine = c.screening
      ? el("span", { className: "machine" }, "screening: ", el("span", { className: "badge q-" + c.screening.decision, text: c.screening.decision }), " ", el("span", { className: "muted scores", text: formatScores(c.screening.scores) }))
      : el("span", { className: "machine muted", text: "not screened" });
    const moderated = c.decision
      ? el("span", { className: "moderated" }, "moderator: ", el("span", { className: "badge q-" + c.decision.decision, text: c.decision.decision }), el("span", { className: "muted", text: ` by ${c.decision.moderator || "(unnamed)"} · ${c.decision.decided_at}` + (c.decision.note ? ` · ${c.decision.note}` : "") }))
      : null;
    const result = el("span", { className: "muted decision-result", text: message || "" });
    const writes = Boolean(state.info && state.info.writes);
    const item = el("li", { className: "comment", dataset: { documentId: c.document_id, position: String(c.position), status: c.status || "" } });
    const buttons = ["ok", "review", "remove"].map((decision) =>
      el("button", {
        type: "button",
        className: "decide d-" + decision,
        text: decision,
        title: writes ? null : "the server accepts no writes",
        disabled: writes ? null : "disabled",
        onclick: () => decide(c, decision, item, result),
      })
    );
    append(item, [
      el(
        "header",
        null,
        status,
        " ",
        el("strong", { className: "author", text: c.author || "(no author)" }),
        " on ",
        el("span", { className: "doc", text: doc && doc.headline ? doc.headline : c.document_id }),
        c.timestamp ? el("span", { className: "muted", text: " · " + c.timestamp }) : null
      ),
      text,
      el("p", { className: "verdicts" }, machine, moderated ? " " : null, moderated),
      el("footer", null, "decide: ", buttons, " ", result),
    ]);
    return item;
  }

  async function decide(c, decision, item, result) {
    const moderator = byId("c-moderator").value.trim();
    if (!moderator) {
      result.textContent = "Enter your name as moderator first.";
      return;
    }
    if (!writeToken()) {
      result.textContent = "Enter the server's token (serve.token) first.";
      return;
    }
    window.localStorage.setItem("sitrep.moderator", moderator);
    const reply = await postJSON(`/comments/${encodeURIComponent(c.document_id)}/${c.position}/decision`, { decision, moderator });
    if (!reply.ok) {
      result.textContent = "Not saved: " + String(reply.body.detail || reply.status);
      return;
    }
    const saved = reply.body.decision;
    item.replaceWith(commentItem({ ...c, decision: saved, status: saved.decision }, `saved: ${saved.decision}`));
  }

  // -- documents ----------------------------------------------------------------------------

  async function loadDocuments() {
    const body = byId("documents-table").tBodies[0];
    clear(body);
    let cursor = null;
    do {
      const page = await getJSON("/documents", { limit: PAGE, cursor });
      page.items.forEach((d) => {
        headlines.set(d.id, d);
        body.appendChild(
          el(
            "tr",
            null,
            el("td", { text: show(d.published) }),
            el("td", { text: show(d.headline) }),
            el("td", null, d.url ? safeLink(d.url) : el("span", { className: "muted", text: d.origin })),
            el("td", { text: show(d.language) }),
            el("td", { text: d.status + (d.status_reason ? ` (${d.status_reason})` : "") }),
            el("td", { className: "num", text: d.n_comments }),
            el("td", { className: "num", text: d.n_events })
          )
        );
      });
      cursor = page.next_cursor;
    } while (cursor);
  }

  async function submitPage(event) {
    event.preventDefault();
    const out = byId("p-result");
    out.textContent = "Processing… (the first page loads the language model)";
    const payload = { text: byId("p-text").value };
    if (byId("p-url").value) payload.url = byId("p-url").value;
    if (byId("p-published").value) payload.published = byId("p-published").value;
    const reply = await postJSON("/pages", payload);
    if (!reply.ok) {
      out.textContent = "Not processed: " + String(reply.body.detail || reply.status);
      return;
    }
    out.textContent = `Stored document ${reply.body.document_id} (${reply.body.status}): ${reply.body.events.length} events.`;
    headlines.clear();
    await Promise.all([loadDocuments(), loadEvents()]);
  }

  // -- tabs and wiring ----------------------------------------------------------------------

  function showTab(name) {
    ["events", "comments", "documents"].forEach((tab) => {
      byId("tab-" + tab).setAttribute("aria-selected", String(tab === name));
      byId("view-" + tab).hidden = tab !== name;
    });
    if (name === "events" && map) map.invalidateSize();
    if (name === "comments") loadComments(false);
    if (name === "documents") loadDocuments().catch((e) => setStatus(String(e.message || e)));
  }

  function debounce(fn, ms) {
    let timer = null;
    return () => {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  async function start() {
    try {
      state.info = await getJSON("/info");
    } catch (error) {
      setStatus("The desk's API does not answer: " + String(error.message || error));
      return;
    }
    initMap();
    byId("tab-events").addEventListener("click", () => showTab("events"));
    byId("tab-comments").addEventListener("click", () => showTab("comments"));
    byId("tab-documents").addEventListener("click", () => showTab("documents"));
    const reload = debounce(() => loadEvents().catch((e) => setStatus(String(e.message || e))), 300);
    byId("f-q").addEventListener("input", reload);
    byId("f-country").addEventListener("change", reload);
    byId("f-modality").addEventListener("change", reload);
    byId("f-confidence").addEventListener("change", reload);
    byId("f-since").addEventListener("change", brushFromInputs);
    byId("f-until").addEventListener("change", brushFromInputs);
    byId("filters").addEventListener("submit", (e) => e.preventDefault());
    byId("f-reset").addEventListener("click", () => {
      byId("filters").reset();
      state.hiddenTypes.clear();
      state.brush = null;
      reload();
    });
    byId("c-status").addEventListener("change", () => loadComments(false));
    byId("c-screening").addEventListener("change", () => loadComments(false));
    byId("c-undecided").addEventListener("change", () => loadComments(false));
    byId("c-more").addEventListener("click", () => loadComments(true));
    byId("c-moderator").value = window.localStorage.getItem("sitrep.moderator") || "";
    document.querySelectorAll("input.token").forEach((input) => {
      input.value = writeToken();
      input.addEventListener("change", () => {
        window.sessionStorage.setItem("sitrep.token", input.value.trim());
        document.querySelectorAll("input.token").forEach((other) => {
          other.value = input.value.trim();
        });
      });
    });
    byId("submit-page").addEventListener("submit", submitPage);
    window.addEventListener("resize", debounce(drawTimeline, 200));
    try {
      await loadEvents();
    } catch (error) {
      setStatus("Events could not be loaded: " + String(error.message || error));
    }
    document.body.dataset.ready = "true";
  }

  document.addEventListener("DOMContentLoaded", start);
})();
