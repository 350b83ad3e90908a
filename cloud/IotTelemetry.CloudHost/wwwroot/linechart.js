// A small line chart on a canvas: one sensor's points with its alert periods shaded. No dependencies.
"use strict";
window.LineChart = {
  draw(canvas, points, periods, unit) {
    const ratio = window.devicePixelRatio || 1;
    const w = canvas.clientWidth, h = canvas.clientHeight;
    canvas.width = w * ratio; canvas.height = h * ratio;
    const g = canvas.getContext("2d");
    g.scale(ratio, ratio);
    g.clearRect(0, 0, w, h);
    g.font = "11px system-ui, sans-serif";
    if (points.length === 0) { g.fillStyle = "#8a99a8"; g.fillText("no recent values", 10, h / 2); return; }
    const left = 48, right = 8, top = 8, bottom = 18;
    let t0 = points[0][0], t1 = points[points.length - 1][0];
    if (t1 === t0) t1 = t0 + 1;
    let lo = Infinity, hi = -Infinity;
    // Rollup points are [t, mean, min, max, count]: the band between min and max is drawn under the mean.
    const band = points[0].length >= 4;
    for (const p of points) {
      const a = band ? p[2] : p[1], b = band ? p[3] : p[1];
      if (a < lo) lo = a; if (b > hi) hi = b;
    }
    if (hi === lo) { hi += 1; lo -= 1; }
    const pad = (hi - lo) * 0.08; hi += pad; lo -= pad;
    const x = t => left + (t - t0) / (t1 - t0) * (w - left - right);
    const y = v => top + (hi - v) / (hi - lo) * (h - top - bottom);
    for (const a of periods) {
      const s = Math.max(a.start, t0), e = Math.min(a.end ?? t1, t1);
      if (e < t0 || s > t1) continue;
      g.fillStyle = a.severity === "Critical" ? "rgba(229,72,77,.25)" : "rgba(245,165,36,.22)";
      g.fillRect(x(s), top, Math.max(2, x(e) - x(s)), h - top - bottom);
    }
    g.strokeStyle = "#2a3642"; g.fillStyle = "#8a99a8"; g.lineWidth = 1;
    for (let i = 0; i <= 3; i++) {
      const v = lo + (hi - lo) * i / 3, yy = y(v);
      g.beginPath(); g.moveTo(left, yy); g.lineTo(w - right, yy); g.stroke();
      g.fillText(v.toPrecision(4), 2, yy + 4);
    }
    const long = t1 - t0 > 86400000;
    const label = t => long ? new Date(t).toLocaleDateString() : new Date(t).toLocaleTimeString();
    g.fillText(label(t0), left, h - 4);
    const endLabel = label(t1);
    g.fillText(endLabel, w - right - g.measureText(endLabel).width, h - 4);
    if (band) {
      g.fillStyle = "rgba(62,159,255,.18)"; g.beginPath();
      points.forEach((p, i) => i === 0 ? g.moveTo(x(p[0]), y(p[3])) : g.lineTo(x(p[0]), y(p[3])));
      for (let i = points.length - 1; i >= 0; i--) g.lineTo(x(points[i][0]), y(points[i][2]));
      g.closePath(); g.fill();
    }
    g.strokeStyle = "#3e9fff"; g.lineWidth = 1.5; g.beginPath();
    points.forEach((p, i) => i === 0 ? g.moveTo(x(p[0]), y(p[1])) : g.lineTo(x(p[0]), y(p[1])));
    g.stroke();
    if (unit) { g.fillStyle = "#8a99a8"; g.fillText(unit, w - right - g.measureText(unit).width, top + 10); }
  }
};
