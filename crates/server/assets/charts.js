// DOM and SVG helpers and the two charts (heatmap, radar), drawn as inline SVG. They draw the
// numbers they are given; nothing here computes a score.

const SVG_NS = "http://www.w3.org/2000/svg";

// An HTML element: `h("td", {class: "x"}, "text", child, ...)`. Text is set as text, never as
// HTML, so names from the knowledge base cannot inject markup, and passes `shown`, so their
// control characters show as escapes.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

// An SVG element, as `h` does for HTML.
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

// Text from the knowledge base or a request as a person may safely read it: every control
// character but the line feed (C0, DEL, C1), the bidi marks, embeddings, overrides and isolates,
// the line and paragraph separators and the BOM become visible escapes such as `\u001b`, the
// set and the form of the command line's sanitiser (stackmatrix_model::untrusted). A U+202E
// in a name would otherwise turn the text after it around.
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/g;
export function shown(text) {
  return String(text).replace(UNSAFE, (c) => {
    const special = { "\t": "\\t", "\r": "\\r" }[c];
    return special ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

// Attributes a person reads; the others (values, ids, data-*) are data and stay exact.
const READ_ATTRS = new Set(["title", "aria-label", "alt", "placeholder"]);

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    // Styles through the CSSOM: the server's Content-Security-Policy refuses style attributes.
    else if (k === "css") for (const [p, x] of Object.entries(v)) el.style.setProperty(p, x);
    else if (READ_ATTRS.has(k)) el.setAttribute(k, shown(v));
    else el.setAttribute(k, v === true ? "" : String(v));
  }
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(shown(c)));
  }
}

// A number with `digits` decimals, or an em dash for null.
export function fmt(x, digits = 4) {
  return x === null || x === undefined || Number.isNaN(x) ? "—" : Number(x).toFixed(digits);
}

// A signed number with `digits` decimals.
export function signed(x, digits = 4) {
  if (x === null || x === undefined) return "—";
  const v = Number(x);
  const text = Math.abs(v).toFixed(digits);
  return (v < -0.5 * 10 ** -digits ? "−" : "+") + text;
}

// YlGnBu, a sequential scale that stays readable for colour-blind readers and in greyscale.
const STOPS = [
  [0.0, [255, 255, 217]],
  [0.25, [199, 233, 180]],
  [0.5, [65, 182, 196]],
  [0.75, [34, 94, 168]],
  [1.0, [8, 29, 88]],
];

// The fill colour of a value in [0, 1].
export function colour(v) {
  const x = Math.min(1, Math.max(0, v));
  for (let i = 1; i < STOPS.length; i++) {
    const [x1, c1] = STOPS[i];
    const [x0, c0] = STOPS[i - 1];
    if (x <= x1) {
      const f = (x - x0) / (x1 - x0);
      const c = c0.map((a, k) => Math.round(a + (c1[k] - a) * f));
      return `rgb(${c[0]},${c[1]},${c[2]})`;
    }
  }
  return "rgb(8,29,88)";
}

// Dark or light text, whichever contrasts more with the fill of `v`.
function ink(v) {
  const c = colour(v).match(/\d+/g).map(Number);
  const lum = c.map((u) => u / 255).map((u) => (u <= 0.03928 ? u / 12.92 : ((u + 0.055) / 1.055) ** 2.4));
  const l = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2];
  // Contrast against #111827 (l≈0.011) and white (l=1): pick the larger ratio.
  return (l + 0.05) / 0.061 >= 1.05 / (l + 0.05) ? "#111827" : "#ffffff";
}

// A heatmap: `rows` is [{label, short, title, values: [..] | null}], `columns` [{label, title}].
// `compact` (for narrow screens) labels rows by `short` alone so that the cells keep a readable size.
// `gradientId` names the legend's gradient, unique per heatmap on the page.
export function heatmap({ rows, columns, caption, notCovered, legendLabel, compact = false, gradientId = "heat-scale" }) {
  const left = compact ? 34 : 172;
  const top = 64;
  const cw = compact ? 52 : 62;
  const ch = compact ? 30 : 28;
  const width = left + columns.length * cw + 40;
  const height = top + rows.length * ch + 58;
  const svg = s("svg", {
    viewBox: `0 0 ${width} ${height}`,
    class: "heatmap",
    role: "img",
    "aria-label": caption,
    preserveAspectRatio: "xMinYMin meet",
  });
  svg.append(s("title", {}, caption));
  columns.forEach((c, j) => {
    const x = left + j * cw + cw / 2;
    // Slanted so that long scene keys do not run into each other.
    svg.append(
      s(
        "text",
        { x: x - 8, y: top - 8, class: "col-label", transform: `rotate(-30 ${x - 8} ${top - 8})` },
        s("title", {}, c.title),
        c.label,
      ),
    );
  });
  rows.forEach((r, i) => {
    const y = top + i * ch;
    svg.append(
      s(
        "text",
        { x: left - 10, y: y + ch / 2 + 4, class: "row-label", "text-anchor": "end" },
        s("title", {}, r.title),
        compact ? r.short : r.label,
      ),
    );
    columns.forEach((c, j) => {
      const x = left + j * cw;
      const v = r.values ? r.values[j] : null;
      if (v === null || v === undefined) {
        svg.append(
          s(
            "rect",
            { x: x + 1, y: y + 1, width: cw - 2, height: ch - 2, class: "cell-empty" },
            s("title", {}, `${r.title} · ${c.title}: ${notCovered}`),
          ),
          s("text", { x: x + cw / 2, y: y + ch / 2 + 4, "text-anchor": "middle", class: "cell-text muted" }, "—"),
        );
        return;
      }
      svg.append(
        s(
          "rect",
          { x: x + 1, y: y + 1, width: cw - 2, height: ch - 2, rx: 3, fill: colour(v) },
          s("title", {}, `${r.title} · ${c.title}: ${fmt(v, 3)}`),
        ),
        s(
          "text",
          { x: x + cw / 2, y: y + ch / 2 + 4, "text-anchor": "middle", class: "cell-text", fill: ink(v) },
          fmt(v, 2),
        ),
      );
    });
  });
  // Legend: the colour scale from 0 to 1.
  const ly = top + rows.length * ch + 22;
  const lw = Math.min(260, columns.length * cw - (compact ? 40 : 0));
  const defs = s("defs");
  const grad = s("linearGradient", { id: gradientId, x1: "0", x2: "1", y1: "0", y2: "0" });
  STOPS.forEach(([x]) => grad.append(s("stop", { offset: `${x * 100}%`, "stop-color": colour(x) })));
  defs.append(grad);
  svg.append(defs);
  if (!compact)
    svg.append(s("text", { x: left - 10, y: ly + 11, class: "legend-label", "text-anchor": "end" }, legendLabel));
  svg.append(
    s("rect", {
      x: left,
      y: ly,
      width: lw,
      height: 14,
      rx: 2,
      fill: `url(#${gradientId})`,
      stroke: "#9ca3af",
      "stroke-width": 0.5,
    }),
  );
  [0, 0.25, 0.5, 0.75, 1].forEach((x) => {
    svg.append(
      s("line", { x1: left + x * lw, x2: left + x * lw, y1: ly + 14, y2: ly + 19, stroke: "#4b5563" }),
      s("text", { x: left + x * lw, y: ly + 31, class: "legend-tick", "text-anchor": "middle" }, x.toFixed(2)),
    );
  });
  return svg;
}

// A radar chart of two series over the same axes: `axes` [{label, title}], `series`
// [{name, values: [..], class}] with values in [0, 1].
export function radar({ axes, series, caption }) {
  const size = 360;
  const c = size / 2;
  const r = 128;
  const n = axes.length;
  const angle = (i) => -Math.PI / 2 + (2 * Math.PI * i) / n;
  const point = (i, v) => [c + r * v * Math.cos(angle(i)), c + r * v * Math.sin(angle(i))];
  const svg = s("svg", { viewBox: `0 0 ${size} ${size}`, class: "radar", role: "img", "aria-label": caption });
  svg.append(s("title", {}, caption));
  for (const ring of [0.25, 0.5, 0.75, 1]) {
    const pts = axes
      .map((_, i) =>
        point(i, ring)
          .map((u) => u.toFixed(1))
          .join(","),
      )
      .join(" ");
    svg.append(s("polygon", { points: pts, class: "radar-ring" }));
    svg.append(s("text", { x: c + 3, y: c - r * ring - 2, class: "radar-tick" }, ring.toFixed(2)));
  }
  axes.forEach((a, i) => {
    const [x, y] = point(i, 1);
    svg.append(s("line", { x1: c, y1: c, x2: x, y2: y, class: "radar-axis" }));
    const [lx, ly] = point(i, 1.15);
    const anchor = Math.abs(lx - c) < 8 ? "middle" : lx > c ? "start" : "end";
    svg.append(
      s("text", { x: lx, y: ly + 4, "text-anchor": anchor, class: "radar-label" }, s("title", {}, a.title), a.label),
    );
  });
  for (const ser of series) {
    if (!ser.values || ser.values.some((v) => v === null || v === undefined)) continue;
    const pts = ser.values
      .map((v, i) =>
        point(i, v)
          .map((u) => u.toFixed(1))
          .join(","),
      )
      .join(" ");
    const g = s("g", { class: ser.class });
    g.append(s("polygon", { points: pts }, s("title", {}, ser.name)));
    ser.values.forEach((v, i) => {
      const [x, y] = point(i, v);
      g.append(
        s(
          "circle",
          { cx: x.toFixed(1), cy: y.toFixed(1), r: 3 },
          s("title", {}, `${ser.name} · ${axes[i].title}: ${fmt(v, 3)}`),
        ),
      );
    });
    svg.append(g);
  }
  return svg;
}
