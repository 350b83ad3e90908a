// The alert page: alerts pushed by Server-Sent Events, acknowledgement, health and per-asset charts.
"use strict";
const $ = id => document.getElementById(id);
const fmtTime = ms => new Date(ms).toLocaleString([], { month: "short", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
const fmtNum = v => (typeof v === "number" ? Number(v.toPrecision(5)).toString() : String(v));
const esc = s => String(s ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c]));
let known = new Set(), first = true, ackTarget = null, currentAsset = null, lastState = null;

function cell(text, cls) { const td = document.createElement("td"); if (cls) td.className = cls; td.textContent = text; return td; }
function sevCell(sev) { const td = document.createElement("td"); td.innerHTML = `<span class="sev ${esc(sev)}">${esc(sev)}</span>`; return td; }
function ackText(ack) { return ack ? `${ack.by}: ${ack.comment}` : ""; }

function render(state) {
  lastState = state;
  const body = $("open-alerts").querySelector("tbody");
  body.replaceChildren();
  const now = new Set();
  for (const { alert: a, ack } of state.open) {
    now.add(a.alertId);
    const tr = document.createElement("tr");
    tr.dataset.alertId = a.alertId;
    if (!first && !known.has(a.alertId)) tr.className = "new";
    tr.append(sevCell(a.severity), cell(a.asset), cell(a.sensor), cell(a.rule), cell(fmtTime(a.startedMicros / 1000)),
      cell(fmtNum(a.peak)), cell(a.message), cell(ackText(ack), "acked"));
    const td = document.createElement("td");
    if (!ack) {
      const b = document.createElement("button");
      b.textContent = "Acknowledge"; b.className = "ack";
      b.onclick = () => openAck(a);
      td.append(b);
    }
    tr.append(td);
    body.append(tr);
  }
  known = now; first = false;
  $("no-open").hidden = state.open.length > 0;
  $("h-open").textContent = state.open.length;
  const hist = $("history").querySelector("tbody");
  hist.replaceChildren();
  for (const { alert: a, ack } of state.history.slice(0, 50)) {
    const tr = document.createElement("tr");
    tr.dataset.alertId = a.alertId;
    tr.append(sevCell(a.severity), cell(a.asset), cell(a.sensor), cell(a.rule), cell(fmtTime(a.startedMicros / 1000)),
      cell(fmtTime((a.clearedMicros ?? a.eventMicros) / 1000)), cell(fmtNum(a.peak)), cell(ackText(ack), "acked"));
    hist.append(tr);
  }
}

function connect() {
  const source = new EventSource("/api/alerts/stream");
  source.addEventListener("alerts", e => render(JSON.parse(e.data)));
  source.onopen = () => { $("connection").textContent = "live"; $("connection").className = "pill online"; };
  source.onerror = () => {
    $("connection").textContent = "reconnecting"; $("connection").className = "pill offline";
    if (source.readyState === EventSource.CLOSED) { source.close(); setTimeout(connect, 2000); }
  };
}

function openAck(a) {
  ackTarget = a;
  $("ack-what").textContent = `${a.asset} / ${a.sensor} - ${a.message}`;
  $("ack-comment").value = "";
  $("ack-dialog").showModal();
}
$("ack-cancel").onclick = () => $("ack-dialog").close();
$("ack-form").addEventListener("submit", async e => {
  e.preventDefault();
  const response = await fetch("/api/alerts/ack", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ alertId: ackTarget.alertId, comment: $("ack-comment").value }) });
  if (response.status === 401) { location.href = "/login"; return; }
  $("ack-dialog").close();
});

async function health() {
  try {
    const response = await fetch("/api/health");
    if (response.status === 401) { location.href = "/login"; return; }
    const h = await response.json();
    $("h-rate").textContent = fmtNum(h.readingsPerSecond);
    $("h-lag").innerHTML = h.lag.map(l => `${esc(l.service)}: <b>${l.records < 0 ? "?" : l.records}</b>`).join("<br>") || "-";
    $("h-dead").textContent = h.deadLetters;
    $("h-dead").parentElement.classList.toggle("bad", h.deadLetters > 0);
    $("h-hooks").innerHTML = `sent <b>${h.webhooksDelivered}</b>, failed <b>${h.webhookFailures}</b>, failing now <b>${h.webhooksFailingNow}</b>`;
    $("h-hooks").parentElement.classList.toggle("bad", h.webhookFailures > 0);
  } catch { /* the next poll tries again */ }
}

async function assets() {
  const response = await fetch("/api/assets");
  if (!response.ok) return;
  const list = await response.json();
  const box = $("assets");
  box.replaceChildren();
  for (const a of list) {
    const b = document.createElement("button");
    b.textContent = `${a.site} / ${a.asset}`;
    b.className = currentAsset && currentAsset.site === a.site && currentAsset.asset === a.asset ? "active" : "";
    b.onclick = () => { currentAsset = a; charts(); assets(); };
    box.append(b);
  }
  if (!currentAsset && list.length > 0) { currentAsset = list[0]; charts(); }
}

async function charts() {
  if (!currentAsset) return;
  // A long range is read from the rollups (1-minute or 1-hour tier, chosen by the host): mean with a min-max band.
  const range = $("range").value;
  const query = range ? `?range=${encodeURIComponent(range)}` : "";
  const response = await fetch(`/api/assets/${encodeURIComponent(currentAsset.site)}/${encodeURIComponent(currentAsset.asset)}${query}`);
  if (!response.ok) return;
  const data = await response.json();
  $("asset-view").hidden = false;
  $("asset-title").textContent = data.source === "memory"
    ? `${data.site} / ${data.asset} (recent values from ${data.source})`
    : `${data.site} / ${data.asset} (${range} from ${data.source}, ${fmtInterval(data.intervalSeconds)} intervals)`;
  const box = $("charts");
  for (const s of data.sensors) {
    let div = box.querySelector(`[data-sensor="${CSS.escape(s.sensor)}"]`);
    if (!div) {
      div = document.createElement("div");
      div.className = "chart"; div.dataset.sensor = s.sensor;
      div.innerHTML = `<div class="title">${esc(s.sensor)}</div><canvas></canvas>`;
      box.append(div);
    }
    LineChart.draw(div.querySelector("canvas"), s.points, data.alerts.filter(a => a.sensor === s.sensor || a.sensor.split("+").includes(s.sensor)), s.unit);
  }
  for (const div of [...box.children]) if (!data.sensors.some(s => s.sensor === div.dataset.sensor)) div.remove();
}

function fmtInterval(seconds) {
  return seconds % 3600 === 0 ? `${seconds / 3600} h` : `${seconds / 60} min`;
}

$("range").onchange = () => charts();

fetch("/api/me").then(r => r.ok ? r.json() : null).then(me => { if (me) $("me").textContent = me.name; });
connect();
health(); setInterval(health, 2000);
assets(); setInterval(assets, 10000);
setInterval(charts, 3000);
