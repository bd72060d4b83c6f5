// The stackmatrix page: controls in, the API's answers out. Every score, fit, rank, stack and
// verdict shown here comes from the JSON API (/v1/); the page computes none of them. The only
// arithmetic is presentation: the live share of each slider, bar widths and colours.

import { call, aborted } from "./api.js";
import { h, fmt, signed, heatmap, radar, colour, shown } from "./charts.js";
import { t, LANGS } from "./i18n.js";
import * as planning from "./planning.js";
// The multi-criteria methods the API ranks by (docs/decision-methods.md), in its order: the
// server writes methods.js from the engine's list, so the page offers what the engine knows.
import { METHODS } from "./methods.js";

const SCENES = ["dev", "ci", "prod", "edge", "serverless", "multitenant"];
const CONCEPTS = ["I", "C", "Q", "R", "M", "V", "L", "S", "B", "P", "T", "Theta"];
const TIMES = ["static", "dynamic", "blend"];
const DEBOUNCE_MS = 150;
const MAX_SIZE = { min: 1, max: 8, default: 4 };
const SAMPLES = [10000, 50000, 100000];

// ---------------------------------------------------------------------------------------------
// State: everything a shared link restores.

const state = {
  lang: "en",
  scenario: "edge", // null: a custom vector
  vector: [0, 0, 0, 1, 0, 0], // the sliders as set (not normalised)
  weights: Array(12).fill(1),
  time: "static",
  tech: null, // the selected chain; null: the top-ranked one
  max: MAX_SIZE.default,
  gpu: false,
  heat: "tech", // the heatmap shows the selected chain or the recommended stack
  from: "docker",
  to: "multitenant",
  method: "topsis", // the Methods panel's method, shown beside WSM
  robust: false, // the robustness analysis is shown (and run again as the scenario changes)
  samples: SAMPLES[0],
  seed: 1,
  // The planning panels' state (planning.js): migration source, adaptation, risk Θ, cost
  // threshold, chain of operations.
  ...planning.planningDefaults(),
};

// What the API said, per language: lists, and the latest answers.
const meta = { scenarios: [], techs: [], concepts: [], scenes: [] };
const answers = { rank: null, explain: null, recommend: null, compare: null };
const errors = new Map();
const $ = (id) => document.getElementById(id);
// Replaces an element's children, leaving out the empty ones (null, false, undefined).
const fill = (el, ...children) =>
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
const L = (key, vars) => t(state.lang, key, vars);

function numbers(text, n) {
  if (!text) return null;
  const v = text.split(",").map(Number);
  return v.length === n && v.every(Number.isFinite) ? v : null;
}

function readUrl() {
  const q = new URLSearchParams(location.search);
  if (LANGS.includes(q.get("lang"))) state.lang = q.get("lang");
  const vector = numbers(q.get("vector"), 6);
  if (vector) {
    state.scenario = null;
    state.vector = vector;
  } else if (q.get("scenario")) {
    state.scenario = q.get("scenario");
  }
  const weights = numbers(q.get("weights"), 12);
  state.urlWeights = weights;
  if (TIMES.includes(q.get("time"))) state.urlTime = q.get("time");
  if (q.get("tech")) state.tech = q.get("tech");
  const max = parseInt(q.get("max"), 10);
  if (max >= MAX_SIZE.min && max <= MAX_SIZE.max) state.max = max;
  state.gpu = q.get("gpu") === "1";
  if (q.get("heat") === "stack") state.heat = "stack";
  if (q.get("from")) state.from = q.get("from");
  if (q.get("to")) state.to = q.get("to");
  if (METHODS.includes(q.get("method"))) state.method = q.get("method");
  const samples = parseInt(q.get("samples"), 10);
  if (SAMPLES.includes(samples)) state.samples = samples;
  if (/^\d{1,15}$/.test(q.get("seed") ?? "")) state.seed = parseInt(q.get("seed"), 10);
  state.robust = q.get("robust") === "1";
  planning.readPlanningUrl(q, state);
}

// A number as short as it reads: 0.25, 1, 0.333.
const short = (x) => String(Math.round(x * 1000) / 1000);

function writeUrl() {
  const q = new URLSearchParams();
  q.set("lang", state.lang);
  if (state.scenario) q.set("scenario", state.scenario);
  else q.set("vector", state.vector.map(short).join(","));
  if (!sameList(state.weights, defaultWeights())) q.set("weights", state.weights.map(short).join(","));
  q.set("time", state.time);
  if (state.tech) q.set("tech", state.tech);
  q.set("max", String(state.max));
  q.set("gpu", state.gpu ? "1" : "0");
  if (state.heat !== "tech") q.set("heat", state.heat);
  q.set("from", state.from);
  q.set("to", state.to);
  q.set("method", state.method);
  if (state.robust) q.set("robust", "1");
  q.set("samples", String(state.samples));
  q.set("seed", String(state.seed));
  planning.writePlanningUrl(q, state);
  const url = `${location.pathname}?${q}`;
  if (url !== `${location.pathname}${location.search}`) history.replaceState(null, "", url);
}

const sameList = (a, b) => a.length === b.length && a.every((x, i) => Math.abs(x - b[i]) < 1e-12);
const scenarioById = (id) => meta.scenarios.find((s) => s.id === id);
const techById = (id) => meta.techs.find((x) => x.id === id);
const techName = (id) => techById(id)?.name ?? id;
const sceneName = (key) => meta.scenes.find((s) => s.key === key)?.name ?? key;
const concept = (key) => meta.concepts.find((c) => c.key === key) ?? { key, symbol: key, name: key };
const defaultWeights = () => scenarioById(state.scenario)?.weights ?? Array(12).fill(1);

// ---------------------------------------------------------------------------------------------
// Errors: one banner listing what each part of the page could not get.

function showError(channel, e) {
  if (aborted(e)) return;
  const where = e.field ? ` (${e.field})` : "";
  const kind = ["bad_input", "not_found", "failure", "network"].includes(e.kind) ? L(e.kind) : L("error");
  errors.set(channel, `${kind}${where}: ${e.message}`);
  renderErrors();
}

function clearError(channel) {
  if (errors.delete(channel)) renderErrors();
}

function renderErrors() {
  const banner = $("error-banner");
  const unique = [...new Set(errors.values())];
  fill($("error-list"), ...unique.map((m) => h("li", {}, m)));
  banner.hidden = unique.length === 0;
}

// Runs `fn` for `channel`, reporting its error or clearing the last one.
async function guarded(channel, fn) {
  try {
    const out = await fn();
    clearError(channel);
    return out;
  } catch (e) {
    if (!aborted(e)) {
      console.warn(channel, e);
      showError(channel, e);
    }
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Labels.

function applyLabels() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  document.title = L("title");
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = L(el.dataset.i18n);
  $("lang-group").setAttribute("aria-label", L("language"));
  for (const b of document.querySelectorAll("[data-lang]"))
    b.setAttribute("aria-pressed", String(b.dataset.lang === state.lang));
}

// ---------------------------------------------------------------------------------------------
// Controls.

function buildControls() {
  // Scenario picker.
  const sel = $("scenario");
  sel.replaceChildren(
    ...meta.scenarios.map((s) => h("option", { value: s.id }, s.name)),
    h("option", { value: "" }, L("custom")),
  );
  sel.value = state.scenario ?? "";

  // Scene sliders.
  fill(
    $("sliders"),
    ...SCENES.map((key, j) => {
      const id = `scene-${key}`;
      return h(
        "div",
        { class: "slider-row" },
        h("label", { for: id }, h("span", { class: "name" }, sceneName(key)), " ", h("span", { class: "key" }, key)),
        h("input", {
          type: "range",
          id,
          name: key,
          min: 0,
          max: 1,
          step: 0.01,
          value: state.vector[j],
          "data-scene": key,
          "aria-describedby": `share-${key}`,
        }),
        h("output", { id: `value-${key}`, for: id, class: "mono value" }, state.vector[j].toFixed(2)),
        h("span", { id: `share-${key}`, class: "mono share" }),
      );
    }),
  );

  // Concept weights.
  fill(
    $("weights"),
    ...CONCEPTS.map((key, i) => {
      const c = concept(key);
      const id = `weight-${key}`;
      return h(
        "div",
        { class: "weight-field" },
        h(
          "label",
          { for: id, title: c.name },
          h("span", { class: "sym" }, c.symbol),
          " ",
          h("span", { class: "name" }, c.name),
        ),
        h("input", {
          type: "number",
          id,
          min: 0,
          max: 10,
          step: 0.5,
          value: short(state.weights[i]),
          "data-concept": key,
          inputmode: "decimal",
        }),
      );
    }),
  );

  // The Methods panel's method; the robustness analysis's samples and seed.
  $("method").replaceChildren(...METHODS.map((m) => h("option", { value: m }, L(`method.${m}`))));
  $("method").value = state.method;
  $("samples").replaceChildren(
    ...SAMPLES.map((n) => h("option", { value: n }, n.toLocaleString(state.lang === "zh" ? "zh-CN" : "en"))),
  );
  $("samples").value = String(state.samples);
  $("seed").value = String(state.seed);
  showRobustnessOpen();

  // Time slice, max size, GPU, heatmap source.
  for (const r of document.querySelectorAll('input[name="time"]')) r.checked = r.value === state.time;
  $("max-size").value = String(state.max);
  $("heat-source").value = state.heat;

  // Migration: chains only.
  const chains = meta.techs.filter((x) => x.kind === "chain");
  for (const [id, key] of [
    ["mig-from", "from"],
    ["mig-to", "to"],
  ]) {
    $(id).replaceChildren(...chains.map((x) => h("option", { value: x.id }, x.name)));
    if (!chains.some((x) => x.id === state[key]) && chains.length)
      state[key] = chains[key === "from" ? 0 : chains.length - 1].id;
    $(id).value = state[key];
  }
  planning.buildPlanningControls();
  syncControls();
}

// Shows the state in the controls that do not own it (after a scenario is picked, say).
function syncControls() {
  $("scenario").value = state.scenario ?? "";
  SCENES.forEach((key, j) => {
    const input = $(`scene-${key}`);
    if (input && Number(input.value) !== state.vector[j]) input.value = state.vector[j];
  });
  CONCEPTS.forEach((key, i) => {
    const input = $(`weight-${key}`);
    if (input && document.activeElement !== input) {
      input.value = short(state.weights[i]);
      input.removeAttribute("aria-invalid");
    }
  });
  for (const r of document.querySelectorAll('input[name="time"]')) r.checked = r.value === state.time;
  showVector();
  showScenarioInfo();
  showGpu();
}

// The slider values and each one's share of their sum: presentation of the input, live as the
// thumb moves. The scores use the API's own normalisation.
function showVector() {
  const sum = state.vector.reduce((a, b) => a + b, 0);
  SCENES.forEach((key, j) => {
    const v = state.vector[j];
    $(`value-${key}`).textContent = v.toFixed(2);
    $(`share-${key}`).textContent = sum > 0 ? `${Math.round((100 * v) / sum)}%` : "—";
  });
  $("normalised").textContent =
    sum > 0 ? `[${state.vector.map((v) => (v / sum).toFixed(3).replace(/\.?0+$/, "") || "0").join(", ")}]` : "[ — ]";
  $("sum-warning").hidden = sum > 0;
}

function showScenarioInfo() {
  const s = scenarioById(state.scenario);
  const box = $("scenario-info");
  if (!s) {
    fill(box);
    return;
  }
  fill(
    box,
    s.required_capabilities.length
      ? h(
          "p",
          { class: "requires" },
          `${L("requires")}: `,
          ...s.required_capabilities.map((c) => h("span", { class: "tag" }, c)),
        )
      : null,
    h("ul", { class: "features" }, ...s.features.map((f) => h("li", {}, f))),
  );
}

function scenarioRequiresGpu() {
  return scenarioById(state.scenario)?.required_capabilities.includes("gpu") ?? false;
}

function showGpu() {
  const forced = scenarioRequiresGpu();
  const box = $("gpu");
  box.checked = forced || state.gpu;
  box.disabled = forced;
  $("gpu-note").hidden = !forced;
  $("gpu-note").textContent = forced ? `(${L("gpu_from_scenario")})` : "";
}

function pickScenario(id) {
  const s = scenarioById(id);
  state.tech = null;
  if (!s) {
    state.scenario = null;
  } else {
    state.scenario = s.id;
    state.vector = [...s.vector];
    state.weights = [...s.weights];
    state.time = s.time ?? "static";
  }
  syncControls();
  schedule(update);
}

function wireControls() {
  $("scenario").addEventListener("change", (e) => pickScenario(e.target.value));
  $("sliders").addEventListener("input", (e) => {
    const key = e.target.dataset.scene;
    if (!key) return;
    state.vector[SCENES.indexOf(key)] = Number(e.target.value);
    if (state.scenario) {
      // A moved slider is no longer the scenario's vector: the weights and time stay as set.
      state.scenario = null;
      $("scenario").value = "";
      showScenarioInfo();
      showGpu();
    }
    showVector();
    schedule(update);
  });
  $("weights").addEventListener("input", (e) => {
    const key = e.target.dataset.concept;
    if (!key) return;
    const v = e.target.value === "" ? NaN : Number(e.target.value);
    if (!Number.isFinite(v)) {
      e.target.setAttribute("aria-invalid", "true");
      return;
    }
    e.target.removeAttribute("aria-invalid");
    state.weights[CONCEPTS.indexOf(key)] = v;
    schedule(update);
  });
  $("reset-weights").addEventListener("click", () => {
    state.weights = [...defaultWeights()];
    syncControls();
    schedule(update);
  });
  $("time-group").addEventListener("change", (e) => {
    if (e.target.name !== "time") return;
    state.time = e.target.value;
    schedule(update);
  });
  $("max-size").addEventListener("input", (e) => {
    const v = parseInt(e.target.value, 10);
    if (!(v >= MAX_SIZE.min && v <= MAX_SIZE.max)) {
      e.target.setAttribute("aria-invalid", "true");
      return;
    }
    e.target.removeAttribute("aria-invalid");
    state.max = v;
    schedule(updateRecommend);
  });
  $("gpu").addEventListener("change", (e) => {
    state.gpu = e.target.checked;
    schedule(updateRecommend);
  });
  $("heat-source").addEventListener("change", (e) => {
    state.heat = e.target.value;
    writeUrl();
    updateHeatmap();
  });
  for (const [id, key] of [
    ["mig-from", "from"],
    ["mig-to", "to"],
  ]) {
    $(id).addEventListener("change", (e) => {
      state[key] = e.target.value;
      writeUrl();
      updateMigration();
    });
  }
  $("method").addEventListener("change", (e) => {
    state.method = e.target.value;
    writeUrl();
    updateMethods();
  });
  $("robustness-toggle").addEventListener("click", () => {
    const open = $("robustness-body").hidden;
    $("robustness-body").hidden = !open;
    if (!open) state.robust = false;
    showRobustnessOpen();
    writeUrl();
  });
  $("samples").addEventListener("change", (e) => {
    state.samples = Number(e.target.value);
    writeUrl();
  });
  $("seed").addEventListener("input", (e) => {
    const v = e.target.value.trim();
    if (!/^\d{1,15}$/.test(v)) {
      e.target.setAttribute("aria-invalid", "true");
      return;
    }
    e.target.removeAttribute("aria-invalid");
    state.seed = parseInt(v, 10);
    writeUrl();
  });
  $("robustness-form").addEventListener("submit", (e) => {
    e.preventDefault();
    if ($("seed").getAttribute("aria-invalid") === "true") return;
    state.robust = true;
    writeUrl();
    updateRobustness();
  });
  $("ranking").addEventListener("click", (e) => {
    const row = e.target.closest("[data-tech]");
    if (!row) return;
    state.tech = row.dataset.tech;
    for (const b of $("ranking").querySelectorAll("[data-tech]")) b.setAttribute("aria-pressed", String(b === row));
    writeUrl();
    updateSelected();
  });
  for (const b of document.querySelectorAll("[data-lang]")) {
    b.addEventListener("click", () => switchLang(b.dataset.lang));
  }
  $("error-dismiss").addEventListener("click", () => {
    errors.clear();
    renderErrors();
  });
  $("copy-link").addEventListener("click", async () => {
    writeUrl();
    try {
      await navigator.clipboard.writeText(location.href);
      toast(L("copied"));
    } catch {
      window.prompt(L("copy_link"), location.href);
    }
  });
}

function toast(text) {
  const el = $("toast");
  el.textContent = text;
  el.classList.add("show");
  setTimeout(() => el.classList.remove("show"), 1800);
}

let timer = null;
let pending = new Set();
function schedule(fn) {
  pending.add(fn);
  clearTimeout(timer);
  timer = setTimeout(() => {
    const fns = pending.has(update) ? [update] : [...pending];
    pending = new Set();
    fns.forEach((f) => f());
  }, DEBOUNCE_MS);
}

// ---------------------------------------------------------------------------------------------
// Requests.

// The scenario part of every request: a scenario id or the vector, and the weights and time.
function scenarioBody() {
  const body = state.scenario ? { scenario: state.scenario } : { vector: [...state.vector] };
  body.weights = [...state.weights];
  body.time = state.time;
  return body;
}

function recommendBody() {
  return { ...scenarioBody(), max_size: state.max, require: state.gpu && !scenarioRequiresGpu() ? ["gpu"] : [] };
}

async function loadMeta() {
  const lang = state.lang;
  const [scenarios, techs, concepts, scenes] = await Promise.all([
    guarded("scenarios", () => call("scenarios", "/v1/scenarios", { lang })),
    guarded("techs", () => call("techs", "/v1/techs", { lang })),
    guarded("concepts", () => call("concepts", "/v1/concepts", { lang })),
    guarded("scenes", () => call("scenes", "/v1/scenes", { lang })),
  ]);
  if (scenarios) meta.scenarios = scenarios;
  if (techs) meta.techs = techs;
  if (concepts) meta.concepts = concepts;
  if (scenes) meta.scenes = scenes;
}

// Everything that depends on the scenario, the weights and the time.
async function update() {
  writeUrl();
  $("ranking").setAttribute("aria-busy", "true");
  await Promise.all([updateRanking(), updateRecommend(), updateMethods(), updateRobustness()]);
}

async function updateRanking() {
  const rank = await guarded("rank", () => call("rank", "/v1/rank", { lang: state.lang, body: scenarioBody() }));
  $("ranking").setAttribute("aria-busy", "false");
  if (!rank) return;
  answers.rank = rank;
  if (state.tech && !rank.ranking.some((e) => e.id === state.tech)) state.tech = null;
  renderRanking(rank);
  await Promise.all([updateSelected(), planning.onRank()]);
}

// The radar and, when it shows the selected chain, the heatmap.
async function updateSelected() {
  const tech = state.tech ?? answers.rank?.ranking[0]?.id;
  if (!tech) return;
  const explainTask = guarded("explain", () =>
    call("explain", "/v1/explain", { lang: state.lang, body: { ...scenarioBody(), tech } }),
  ).then((x) => {
    if (!x) return;
    answers.explain = x;
    renderRadar(x);
  });
  await Promise.all([explainTask, state.heat === "tech" ? updateHeatmap() : null, planning.onSelect()]);
}

async function updateRecommend() {
  writeUrl();
  const rec = await guarded("recommend", () =>
    call("recommend", "/v1/recommend", { lang: state.lang, body: recommendBody() }),
  );
  if (!rec) return;
  answers.recommend = rec;
  renderRecommend(rec);
  await Promise.all([state.heat === "stack" ? updateHeatmap() : null, planning.onRecommend()]);
}

async function updateHeatmap() {
  const scenes = SCENES.map((key) => ({ label: key, title: sceneName(key) }));
  if (state.heat === "tech") {
    const tech = state.tech ?? answers.rank?.ranking[0]?.id;
    if (!tech) return;
    const show = await guarded("matrix", () =>
      call("matrix", `/v1/techs/${encodeURIComponent(tech)}`, { lang: state.lang, query: { time: state.time } }),
    );
    if (!show) return;
    const rows = show.rows.map((r) => ({
      label: rowLabel(r.concept),
      short: concept(r.concept).symbol,
      title: r.name,
      values: r.values,
    }));
    drawHeatmap(show.name, rows, scenes);
    return;
  }
  // The recommended stack's matrix: column j is the stack's fit in the basis scene j, which the
  // API answers for a named stack (rank with `stacks` and a one-scene vector).
  const stack = answers.recommend?.stack;
  if (!stack) {
    $("heatmap-subject").textContent = "";
    fill($("heatmap"), h("p", { class: "placeholder" }, L("no_stack")));
    return;
  }
  const columns = await Promise.all(
    SCENES.map((_, j) =>
      guarded("matrix", () =>
        call(`matrix-${j}`, "/v1/rank", {
          lang: state.lang,
          body: { vector: SCENES.map((_, k) => (k === j ? 1 : 0)), time: state.time, stacks: [stack.members] },
        }),
      ),
    ),
  );
  if (columns.some((c) => !c)) return;
  const problems = columns.flatMap((c) => c.infeasible ?? []).flatMap((x) => x.problems);
  const name = stack.members.map((id) => shortName(techName(id))).join(" + ");
  if (columns.some((c) => !c.ranking.length)) {
    $("heatmap-subject").textContent = shown(name);
    fill(
      $("heatmap"),
      h("p", { class: "placeholder" }, `${L("stack_matrix_unavailable")}:`),
      h("ul", { class: "problems" }, ...[...new Set(problems)].map((p) => h("li", {}, p))),
    );
    return;
  }
  const rows = CONCEPTS.map((key) => ({
    label: rowLabel(key),
    short: concept(key).symbol,
    title: concept(key).name,
    values: columns.map((c) => c.ranking[0].fit[key]),
  }));
  drawHeatmap(name, rows, scenes);
}

function rowLabel(key) {
  const c = concept(key);
  const name = c.name.length > 16 ? `${c.name.slice(0, 15)}…` : c.name;
  return `${c.symbol}  ${name}`;
}

// The last heatmap drawn, to draw again when the width crosses the compact threshold.
let lastHeatmap = null;
const COMPACT_WIDTH = 480;

function drawHeatmap(name, rows, columns) {
  $("heatmap-subject").textContent = shown(`${name} · ${L(`time_${state.time}`)}.`);
  const compact = $("heatmap").clientWidth < COMPACT_WIDTH;
  lastHeatmap = { name, rows, columns, compact };
  fill(
    $("heatmap"),
    heatmap({
      rows,
      columns,
      compact,
      caption: `${L("matrix")}: ${name}`,
      notCovered: L("not_covered"),
      legendLabel: L("legend"),
    }),
  );
}

window.addEventListener("resize", () => {
  if (lastHeatmap && $("heatmap").clientWidth < COMPACT_WIDTH !== lastHeatmap.compact) {
    drawHeatmap(lastHeatmap.name, lastHeatmap.rows, lastHeatmap.columns);
  }
});

// ---------------------------------------------------------------------------------------------
// Decision methods: the scenario's matrix ranked by the chosen method beside WSM, and every
// method compared (/v1/rank with a method, /v1/compare).

// A ranking by `method`; a method that cannot rank this matrix is said in the panel, not the
// error banner.
async function methodRank(channel, method) {
  try {
    const view = await call(channel, "/v1/rank", { lang: state.lang, body: { ...scenarioBody(), method } });
    clearError(channel);
    return { view };
  } catch (e) {
    if (aborted(e)) return { aborted: true };
    if (e.kind === "bad_input" && e.field === "method") {
      clearError(channel);
      return { refused: e.message };
    }
    console.warn(channel, e);
    showError(channel, e);
    return {};
  }
}

let methodsTicket = 0;
async function updateMethods() {
  const ticket = ++methodsTicket;
  $("methods").setAttribute("aria-busy", "true");
  const [chosen, wsm, compare] = await Promise.all([
    methodRank("method-rank", state.method),
    state.method === "wsm" ? { view: null } : methodRank("method-wsm", "wsm"),
    guarded("compare", () => call("compare", "/v1/compare", { lang: state.lang, body: scenarioBody() })),
  ]);
  if (ticket !== methodsTicket) return;
  $("methods").setAttribute("aria-busy", "false");
  if (compare) {
    answers.compare = compare;
    markRefused(compare);
    renderCompare(compare);
  }
  if (chosen.aborted || wsm.aborted) return;
  if (chosen.refused) {
    fill($("methods"), h("p", { class: "warning" }, `${L("method_refused")}: ${chosen.refused}`));
    return;
  }
  if (chosen.view) renderMethods(chosen.view, wsm.view);
}

// The methods the API could not rank this scenario with, marked in the list.
function markRefused(compare) {
  const refused = new Set(compare.refused.map((r) => r.method.split(":")[0]));
  for (const o of $("method").options) {
    o.textContent = refused.has(o.value) ? `${L(`method.${o.value}`)} (${L("refused_option")})` : L(`method.${o.value}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Robustness: SMAA-2 and the weight stability of the leader (/v1/robustness), run on demand.

function showRobustnessOpen() {
  const open = !$("robustness-body").hidden;
  $("robustness-toggle").setAttribute("aria-expanded", String(open));
  $("robustness-toggle").textContent = L(open ? "robustness_close" : "robustness_open");
}

let robustnessTicket = 0;
async function updateRobustness() {
  if (!state.robust) return;
  const ticket = ++robustnessTicket;
  const box = $("robustness");
  $("robustness-body").hidden = false;
  showRobustnessOpen();
  box.setAttribute("aria-busy", "true");
  $("run-robustness").disabled = true;
  const samples = state.samples.toLocaleString(state.lang === "zh" ? "zh-CN" : "en");
  let status = box.querySelector(".run-status");
  if (!status) {
    status = h("p", { class: "run-status placeholder", role: "status" });
    box.prepend(status);
  }
  status.textContent = L("running", { samples });
  box.classList.add("stale");
  const body = { ...scenarioBody(), samples: state.samples, seed: state.seed };
  const r = await guarded("robustness", () => call("robustness", "/v1/robustness", { lang: state.lang, body }));
  if (ticket !== robustnessTicket) return;
  $("run-robustness").disabled = false;
  box.classList.remove("stale");
  box.setAttribute("aria-busy", "false");
  if (!r) {
    box.querySelector(".run-status")?.remove();
    return;
  }
  renderRobustness(r);
}

async function updateMigration() {
  const box = $("migration");
  if (state.from === state.to) {
    clearError("migrate");
    fill(box, h("p", { class: "placeholder" }, L("same_chain")));
    return;
  }
  const m = await guarded("migrate", () =>
    call("migrate", "/v1/migrate", {
      lang: state.lang,
      query: { from: state.from, to: state.to, alternatives: 3, source: state.source },
    }),
  );
  if (m) renderMigration(m);
}

async function updateCasesAndAudit() {
  const lang = state.lang;
  await Promise.all([
    guarded("cases", () => call("cases", "/v1/cases/validate", { lang })).then((x) => x && renderCases(x)),
    guarded("audit", () => call("audit", "/v1/audit", { lang })).then((x) => x && renderAudit(x)),
  ]);
}

async function switchLang(lang) {
  if (lang === state.lang || !LANGS.includes(lang)) return;
  state.lang = lang;
  applyLabels();
  writeUrl();
  await loadMeta();
  buildControls();
  await Promise.all([update(), updateMigration(), updateCasesAndAudit(), planning.onLanguage()]);
}

// ---------------------------------------------------------------------------------------------
// Rendering.

const rankLabel = (e) => `${e.tied ? "=" : ""}${e.rank}`;

function renderRanking(rank) {
  const claims = new Map((rank.claims?.ranking ?? []).filter((c) => c.tech).map((c) => [c.tech, c]));
  const selected = state.tech ?? rank.ranking[0]?.id;
  const list = h(
    "ol",
    { class: "rank-list" },
    ...rank.ranking.map((e) => {
      const claim = claims.get(e.id);
      return h(
        "li",
        {},
        h(
          "button",
          { type: "button", class: "rank-row", "data-tech": e.id, "aria-pressed": String(e.id === selected) },
          h(
            "span",
            { class: `rank-badge${e.tied ? " tied" : ""}`, "aria-label": `${L("rank")} ${rankLabel(e)}` },
            rankLabel(e),
          ),
          h(
            "span",
            { class: "rank-name" },
            h("span", { class: "tech-name" }, e.name),
            h("span", { class: "tech-id" }, e.id),
          ),
          h(
            "span",
            { class: "bar-track", "aria-hidden": "true" },
            h("span", { class: "bar", css: { width: `${(e.score * 10).toFixed(2)}%` } }),
          ),
          h("span", { class: "rank-score mono" }, fmt(e.score, 4)),
          h(
            "span",
            { class: "rank-claim mono", title: L("seed_claims") },
            claim && claim.claimed_score !== null ? `${fmt(claim.claimed_score, 1)} (#${claim.claimed_rank})` : "",
          ),
        ),
      );
    }),
  );
  const s = rank.scenario;
  const what = s.name ?? L("custom");
  $("ranking-scenario").textContent = shown(`${what} · ${L(`time_${s.time}`)}`);
  const head = h(
    "div",
    { class: "rank-head", "aria-hidden": "true" },
    h("span", {}, L("rank")),
    h("span", {}, ""),
    h("span", {}, ""),
    h("span", { class: "right" }, L("score")),
    h("span", { class: "right" }, claims.size ? L("seed_claims") : ""),
  );
  fill($("ranking"), head, list);
  $("ranking").classList.toggle("with-claims", claims.size > 0);
  $("claims-source").textContent = rank.claims ? shown(`${L("seed_claims")}: ${rank.claims.source}`) : "";
  // The vector as the API used it.
  $("normalised").textContent = `[${s.vector.map((v) => short(v)).join(", ")}]`;
}

function renderRadar(x) {
  const axes = x.concepts.map((c) => ({ label: concept(c.concept).symbol, title: c.name }));
  const alt = x.alternative;
  const series = [
    { name: x.tech.name, values: x.concepts.map((c) => c.fit), class: "series-a" },
    alt ? { name: alt.name, values: x.concepts.map((c) => c.alternative_fit), class: "series-b" } : null,
  ].filter(Boolean);
  const caption = alt ? `${x.tech.name} ${L("vs")} ${alt.name}` : x.tech.name;
  const legend = h(
    "ul",
    { class: "legend" },
    h(
      "li",
      {},
      h("span", { class: "swatch a" }),
      `${x.tech.name} · ${fmt(x.tech.score, 4)} (${rankLabel(x.tech)}/${x.of})`,
    ),
    alt
      ? h("li", {}, h("span", { class: "swatch b" }), `${alt.name} · ${fmt(alt.score, 4)} (${rankLabel(alt)}/${x.of})`)
      : null,
  );
  fill($("radar"), radar({ axes, series, caption }), legend);
  const byKey = new Map(x.concepts.map((c) => [c.concept, c]));
  const list = (keys) =>
    keys.length
      ? keys.map((k) =>
          h(
            "span",
            { class: "tag", title: byKey.get(k)?.name },
            `${concept(k).symbol} ${byKey.get(k)?.name ?? ""} ${signed(byKey.get(k)?.score_delta, 4)}`,
          ),
        )
      : [h("span", { class: "muted" }, L("none"))];
  fill(
    $("radar-notes"),
    alt ? h("p", {}, h("strong", {}, `${L("leads")}: `), ...list(x.leads)) : null,
    alt ? h("p", {}, h("strong", {}, `${L("trails")}: `), ...list(x.trails)) : null,
  );
}

// A name without its parenthesised gloss ("OPA-Wasm (Rego policies ...)" reads "OPA-Wasm"); the
// full name stays in the tooltip.
function shortName(name) {
  const cut = name.search(/\s*[(（]/);
  return cut > 0 ? name.slice(0, cut) : name;
}

function chips(ids) {
  return h(
    "span",
    { class: "chips" },
    ...ids.map((id) => {
      const tech = techById(id);
      const name = techName(id);
      return h(
        "span",
        { class: `chip ${tech?.kind ?? ""}`, title: tech ? `${name} · ${tech.id} · ${tech.roles.join(", ")}` : id },
        shortName(name),
      );
    }),
  );
}

function table(head, rows, cls = "") {
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: cls },
      h("thead", {}, h("tr", {}, ...head.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, ...rows),
    ),
  );
}

function memoryText(stack) {
  const mem = `${short(stack.memory_mb)} MB`;
  const unknown = stack.memory_unknown.map((id) => shortName(techName(id)));
  return unknown.length ? `${mem} (${L("memory_unknown")} ${unknown.join(", ")})` : mem;
}

function renderRecommend(r) {
  const out = [];
  const st = r.stack;
  if (!st) {
    out.push(h("p", { class: "placeholder" }, L("no_stack")));
  } else {
    out.push(
      h(
        "div",
        { class: "stack-summary" },
        h("div", { class: "stack-main" }, h("div", { class: "label" }, L("members")), chips(st.members)),
        h(
          "div",
          { class: "stack-score" },
          h("div", { class: "label" }, L("score")),
          h("div", { class: "big mono" }, fmt(st.score, 4)),
        ),
        h("div", { class: "stack-mem" }, h("div", { class: "label" }, L("memory")), h("div", {}, memoryText(st))),
      ),
    );
    if (r.search) out.push(h("p", { class: "footnote" }, L("search", r.search)));
  }

  const side = [];
  if (r.gains.length) {
    side.push(
      h(
        "div",
        { class: "sub" },
        h("h3", {}, L("gains")),
        table(
          [L("member"), L("score_lost"), L("top_concepts"), L("needed_for")],
          r.gains.map((g) => {
            const top = g.per_concept
              ? Object.entries(g.per_concept)
                  .filter(([, v]) => v > 1e-9)
                  .sort((a, b) => b[1] - a[1])
                  .slice(0, 3)
                  .map(([k, v]) => `${concept(k).symbol} ${signed(v, 3)}`)
                  .join(", ")
              : "";
            return h(
              "tr",
              {},
              h("th", { scope: "row", title: techName(g.id) }, shortName(techName(g.id))),
              h("td", { class: "num mono" }, g.total === null ? "—" : fmt(g.total, 4)),
              h("td", { class: "concepts" }, top || "—"),
              h("td", { class: "small" }, g.needed_for.join("; ") || "—"),
            );
          }),
        ),
      ),
    );
  }
  if (r.claims) {
    const c = r.claims;
    side.push(
      h(
        "div",
        { class: "sub seed" },
        h("h3", {}, L("seed_stack")),
        h(
          "p",
          { class: "chips" },
          ...c.members.map((m) =>
            h("span", { class: `chip ${m.tech ? (techById(m.tech)?.kind ?? "") : "unknown"}` }, m.label),
          ),
        ),
        h(
          "dl",
          { class: "facts" },
          h("dt", {}, L("seed_score")),
          h("dd", { class: "mono" }, fmt(c.score, 4)),
          h("dt", {}, L("difference")),
          h("dd", { class: "mono" }, c.difference === null ? "—" : signed(c.difference, 4)),
          c.same_as_recommended ? [h("dt", {}, "="), h("dd", {}, L("same_as_recommended"))] : null,
          c.not_in_knowledge_base.length
            ? [h("dt", {}, L("not_in_kb")), h("dd", {}, c.not_in_knowledge_base.join(", "))]
            : null,
          c.problems.length
            ? [
                h("dt", {}, L("problems")),
                h("dd", {}, h("ul", { class: "problems" }, ...c.problems.map((p) => h("li", {}, p)))),
              ]
            : null,
        ),
        h("p", { class: "footnote" }, c.source),
      ),
    );
  }
  if (side.length) out.push(h("div", { class: side.length > 1 ? "split" : "" }, ...side));

  if (r.environments) {
    out.push(
      h(
        "div",
        { class: "sub" },
        h("h3", {}, L("environments")),
        table(
          [L("scene"), L("weight"), L("stack"), L("score_with_shared")],
          r.environments.map((e) =>
            h(
              "tr",
              {},
              h("th", { scope: "row" }, sceneName(e.scene), " ", h("span", { class: "key" }, e.scene)),
              h("td", { class: "num mono" }, short(e.weight)),
              h("td", {}, e.stack ? chips(e.stack.members) : L("no_stack")),
              h("td", { class: "num mono" }, fmt(e.score_with_shared, 4)),
            ),
          ),
        ),
        r.shared
          ? h(
              "p",
              {},
              h("strong", {}, `${L("shared")}: `),
              chips(r.shared.members),
              ` ${L("shared_required")} `,
              ...r.shared.required.map((c) => h("span", { class: "tag" }, c)),
            )
          : null,
      ),
    );
  }

  if (r.constraint_effects.length) {
    out.push(
      h(
        "div",
        { class: "sub" },
        h("h3", {}, L("constraints")),
        table(
          [L("constraint"), L("binds"), L("relaxed_best")],
          r.constraint_effects.map((c) =>
            h(
              "tr",
              {},
              h("th", { scope: "row", class: "mono nowrap" }, c.constraint),
              h(
                "td",
                {},
                h("span", { class: `badge ${c.binds ? "warn" : "ok"}` }, c.binds ? L("binds_yes") : L("binds_no")),
              ),
              h(
                "td",
                {},
                c.relaxed_best
                  ? [chips(c.relaxed_best.members), " ", h("span", { class: "mono" }, fmt(c.relaxed_best.score, 4))]
                  : "—",
              ),
            ),
          ),
        ),
      ),
    );
  }

  if (r.alternatives.length) {
    out.push(
      h(
        "div",
        { class: "sub" },
        h("h3", {}, L("alternatives")),
        table(
          [L("stack"), L("score"), L("memory")],
          r.alternatives.map((a) =>
            h(
              "tr",
              {},
              h("td", {}, chips(a.members)),
              h("td", { class: "num mono" }, fmt(a.score, 4)),
              h("td", { class: "small" }, memoryText(a)),
            ),
          ),
        ),
      ),
    );
  }
  if (r.notes.length)
    out.push(h("div", { class: "sub" }, h("h3", {}, L("notes")), h("ul", {}, ...r.notes.map((n) => h("li", {}, n)))));
  fill($("recommend"), ...out);
}

// The ranking under the chosen method, beside the same matrix ranked by WSM.
function renderMethods(v, wsm) {
  const name = (spec) => spec.split(":")[0].toUpperCase();
  const byId = new Map((wsm?.ranking ?? []).map((e) => [e.id, e]));
  const head = [L("rank_under", { method: name(v.method) }), L("alternative"), L("preference")];
  if (wsm) head.push(L("rank_under", { method: "WSM" }), `WSM · ${L("preference")}`);
  const rows = v.ranking.map((e) => {
    const w = byId.get(e.id);
    const differs = w && w.rank !== e.rank;
    return h(
      "tr",
      { "data-alternative": e.id },
      h("td", {}, h("span", { class: `rank-badge${e.tied ? " tied" : ""}` }, rankLabel(e))),
      h("th", { scope: "row" }, h("span", { class: "tech-name" }, e.name), " ", h("span", { class: "key" }, e.id)),
      h("td", { class: "num mono" }, fmt(e.score, 4)),
      wsm
        ? [
            h(
              "td",
              {},
              w
                ? h(
                    "span",
                    {
                      class: `rank-badge${w.tied ? " tied" : ""}${differs ? " differs" : ""}`,
                      title: differs ? L("rank_differs") : null,
                    },
                    rankLabel(w),
                  )
                : "—",
            ),
            h("td", { class: "num mono" }, w ? fmt(w.score, 4) : "—"),
          ]
        : null,
    );
  });
  fill(
    $("methods"),
    h(
      "p",
      { class: "method-meta" },
      h("strong", { class: "method-name" }, v.method),
      ` · ${L(v.higher_is_better ? "higher_better" : "lower_better")}`,
      wsm ? ` · ${L("beside_wsm")}: ${wsm.method}` : "",
    ),
    table(head, rows, "methods-table"),
    v.left_out.length
      ? h("p", { class: "footnote" }, `${L("left_out")}: ${v.left_out.map((l) => `${l.id} (${l.reason})`).join("; ")}`)
      : null,
  );
}

// Every method's ranks side by side, and the rank correlations: first the pairs with the chosen
// method (read from its side), then the others.
function renderCompare(c) {
  const spec = new Map(c.methods.map((m) => [m.method, m.name]));
  const chosen = state.method;
  const ranks = table(
    [L("alternative"), ...c.methods.map((m) => m.name.toUpperCase())],
    c.alternatives.map((a) =>
      h(
        "tr",
        {},
        h("th", { scope: "row" }, a.name),
        ...a.ranks.map((r, i) =>
          h("td", { class: `num mono${c.methods[i].name === chosen ? " chosen" : ""}`, title: c.methods[i].method }, String(r)),
        ),
      ),
    ),
    "compare-table",
  );
  const row = (first, second, p, swap) =>
    h(
      "tr",
      {},
      h("th", { scope: "row", title: first }, (spec.get(first) ?? first).toUpperCase()),
      h("td", { title: second }, (spec.get(second) ?? second).toUpperCase()),
      h("td", { class: "num mono" }, fmt(p.spearman, 3)),
      h("td", { class: "num mono" }, fmt(p.kendall_tau, 3)),
      h("td", { class: "num mono" }, fmt(swap ? p.rank_similarity_reversed : p.rank_similarity, 3)),
      h("td", { class: "num mono" }, fmt(swap ? p.rank_similarity : p.rank_similarity_reversed, 3)),
    );
  const mine = [];
  const others = [];
  for (const p of c.pairs) {
    if (spec.get(p.first) === chosen) mine.push(row(p.first, p.second, p, false));
    else if (spec.get(p.second) === chosen) mine.push(row(p.second, p.first, p, true));
    else others.push(row(p.first, p.second, p, false));
  }
  const head = [L("pair_first"), L("pair_second"), L("spearman"), L("kendall"), L("ws"), L("ws_rev")];
  fill(
    $("compare"),
    h("div", { class: "sub" }, h("h3", {}, L("ranks_by_method")), ranks),
    h(
      "div",
      { class: "sub" },
      h("h3", {}, L("agreement")),
      h("p", { class: "hint" }, L("agreement_hint")),
      mine.length ? table(head, mine, "pairs-table") : null,
      others.length
        ? h("details", { class: "more-pairs" }, h("summary", {}, L("all_pairs")), table(head, others, "pairs-table"))
        : null,
    ),
    c.refused.length
      ? h(
          "p",
          { class: "footnote" },
          `${L("refused_methods")}: ${c.refused.map((r) => `${r.method} (${r.reason})`).join("; ")}`,
        )
      : null,
  );
}

function renderRobustness(r) {
  const n = r.alternatives[0]?.acceptability_percent.length ?? 0;
  const ranks = Array.from({ length: n }, (_, i) => i + 1);
  // Rank 1 darkest; the colours only tell the ranks apart.
  const shade = (k) => colour(n > 1 ? 1 - (0.78 * (k - 1)) / (n - 1) : 1);
  const locale = state.lang === "zh" ? "zh-CN" : "en";
  const altName = (id) => r.alternatives.find((a) => a.id === id)?.name ?? techName(id);
  const rows = r.alternatives.map((a) =>
    h(
      "tr",
      { "data-alternative": a.id },
      h("th", { scope: "row" }, a.name),
      h(
        "td",
        { class: "stack-cell-bar" },
        h(
          "span",
          { class: "stacked", "aria-hidden": "true" },
          ...a.acceptability_percent.map((p, i) =>
            h("span", {
              class: "seg",
              title: `${L("rank_n", { n: i + 1 })}: ${fmt(p, 1)}%`,
              css: { width: `${p}%`, background: shade(i + 1) },
            }),
          ),
        ),
      ),
      ...a.acceptability_percent.map((p, i) =>
        h("td", { class: "num mono accept", title: `± ${fmt(a.standard_error_percent[i], 2)}` }, fmt(p, 1)),
      ),
      h("td", { class: "num mono" }, fmt(a.expected_rank, 2)),
      h("td", { class: "num mono" }, a.confidence_percent === null ? "—" : `${fmt(a.confidence_percent, 1)}%`),
    ),
  );
  const legend = h(
    "ul",
    { class: "legend rank-legend" },
    ...ranks.map((k) => h("li", {}, h("span", { class: "swatch", css: { background: shade(k) } }), L("rank_n", { n: k }))),
  );
  const acceptability = h(
    "div",
    { class: "sub" },
    h("h3", {}, L("acceptability")),
    h("p", { class: "hint" }, L("acceptability_hint")),
    table(
      [
        L("alternative"),
        L("distribution", { n }),
        ...ranks.map((k) => L("rank_n", { n: k })),
        L("expected_rank"),
        L("confidence"),
      ],
      rows,
      "acceptability-table",
    ),
    legend,
    h("p", { class: "footnote" }, `${L("confidence")}: ${L("confidence_hint")}`),
  );

  // The central weights of the alternative most likely first.
  const first = r.summary.most_likely_first;
  const central = r.alternatives.find((a) => a.id === first.id)?.central_weights;
  const biggest = central ? Math.max(...Object.values(central)) : 1;
  const centralBox = central
    ? h(
        "div",
        { class: "sub" },
        h("h3", {}, L("central_weights", { name: first.name })),
        h("p", { class: "hint" }, L("central_hint")),
        h(
          "ul",
          { class: "weight-bars" },
          ...CONCEPTS.map((key) =>
            h(
              "li",
              { title: concept(key).name },
              h("span", { class: "sym" }, concept(key).symbol),
              h(
                "span",
                { class: "weight-track", "aria-hidden": "true" },
                h("span", { class: "bar", css: { width: `${(100 * central[key]) / biggest}%` } }),
              ),
              h("span", { class: "mono value" }, fmt(central[key], 3)),
            ),
          ),
        ),
      )
    : null;

  // How far each concept weight can move before the deterministic leader loses first place.
  const leader = altName(r.stability.leader);
  const stability = h(
    "div",
    { class: "sub" },
    h("h3", {}, L("stability", { name: leader })),
    h("p", { class: "hint" }, L("stability_hint", { name: leader })),
    h(
      "ul",
      { class: "intervals" },
      ...r.stability.intervals.map((iv) => {
        const c = concept(iv.concept);
        const range = `${short(iv.lo)} – ${iv.hi === null ? L("no_limit") : short(iv.hi)}`;
        const takers = [
          iv.below ? L("takes_first_below", { name: altName(iv.below), at: short(iv.lo) }) : null,
          iv.above ? L("takes_first_above", { name: altName(iv.above), at: short(iv.hi) }) : null,
        ].filter(Boolean);
        return h(
          "li",
          { class: "interval", title: iv.text, "data-concept": iv.concept },
          h("span", { class: "label" }, h("span", { class: "sym" }, c.symbol), " ", h("span", { class: "name" }, c.name)),
          h(
            "span",
            { class: "interval-track", "aria-hidden": "true" },
            h("span", { class: "band", css: { "--lo": String(iv.lo_share), "--hi": String(iv.hi_share) } }),
            h("span", { class: "now", css: { "--at": String(iv.share) } }),
          ),
          h(
            "span",
            { class: "interval-text" },
            h("span", { class: "mono" }, range),
            h("span", { class: "muted" }, ` (${L("now")} ${short(iv.weight)})`),
            h("span", { class: "takers small" }, takers.length ? takers.join(" · ") : L("stays_first", { name: leader })),
          ),
          h("span", { class: "visually-hidden" }, iv.text),
        );
      }),
    ),
  );

  fill(
    $("robustness"),
    h("p", { class: "verdict" }, r.summary.text),
    h(
      "p",
      { class: "footnote robustness-meta" },
      L("robustness_meta", {
        samples: r.samples.toLocaleString(locale),
        seed: r.seed,
        model: L(`model.${r.weights_model.model}`),
      }),
    ),
    acceptability,
    h("div", { class: "split robustness-split" }, stability, centralBox),
  );
}

// A migration path's nodes as ids and names, whichever form the API gives them in.
function pathNodes(p) {
  return (p.nodes ?? []).map((n) =>
    typeof n === "string" ? { id: n, name: techName(n) } : { id: n.id, name: n.name ?? techName(n.id) },
  );
}

// `digits`: 2 for the published table (tenths), 3 for the derived one (small differences).
function drawPath(p, main, digits = 2) {
  const nodes = pathNodes(p);
  const items = [];
  nodes.forEach((n, i) => {
    if (i > 0) {
      // A step is {from, to, difficulty}.
      const step = p.steps[i - 1];
      const d = typeof step === "number" ? step : step.difficulty;
      items.push(
        h(
          "li",
          { class: "step", "aria-label": `${L("difficulty")} ${fmt(d, digits)}` },
          h("span", { class: "step-value mono" }, fmt(d, digits)),
          h(
            "span",
            { class: "arrow", "aria-hidden": "true" },
            h("span", { class: "difficulty", css: { "--d": String(Math.min(1, Math.max(0, d))) } }),
          ),
        ),
      );
    }
    items.push(h("li", { class: "node" }, n.name));
  });
  return h(
    "div",
    { class: `path${main ? " main" : ""}` },
    h("ol", { class: "path-steps" }, ...items),
    h("p", { class: "path-total" }, `${L("total")}: `, h("strong", { class: "mono" }, fmt(p.total, digits))),
  );
}

function renderMigration(m) {
  // The cheapest path is `path` (or the first of `paths`); the rest are alternatives.
  const paths = m.paths ?? [m.path, ...(m.alternatives ?? [])].filter(Boolean);
  if (!paths.length) {
    fill($("migration"), h("p", { class: "placeholder" }, "—"));
    return;
  }
  const [best, ...rest] = paths;
  const digits = m.source === "derived" ? 3 : 2;
  fill(
    $("migration"),
    h(
      "p",
      { class: "footnote migration-source", "data-source": m.source ?? "published" },
      `${L("mig_source")}: ${L(`source_${m.source ?? "published"}`)}`,
      m.direct !== null && m.direct !== undefined ? ` · ${L("direct")}: ${fmt(m.direct, digits)}` : "",
    ),
    drawPath(best, true, digits),
    rest.length
      ? h(
          "div",
          { class: "sub" },
          h("h3", {}, L("alternative_paths")),
          ...rest.map((p) => drawPath(p, false, digits)),
        )
      : null,
  );
}

const VERDICT_CLASS = {
  agrees: "ok",
  supported: "ok",
  "model lower": "warn",
  "model higher": "warn",
  contradicted: "bad",
  "no data": "none",
};

function verdict(v) {
  return h("span", { class: `badge ${VERDICT_CLASS[v] ?? "none"}` }, L(`verdict.${v}`));
}

function renderCases(reports) {
  fill(
    $("cases"),
    ...reports.map((r, i) => {
      const rows = [
        ...r.maturity.map((m) =>
          h(
            "tr",
            {},
            h("td", {}, L("maturity")),
            h("th", { scope: "row" }, `${concept(m.concept).symbol} ${concept(m.concept).name}`),
            h("td", { class: "num mono" }, fmt(m.claimed, 2)),
            h("td", { class: "num mono" }, fmt(m.model, 2)),
            h("td", {}, verdict(m.verdict)),
            h("td", { class: "small" }, m.note),
          ),
        ),
        ...r.indicators.map((x) =>
          h(
            "tr",
            {},
            h("td", {}, L("indicator")),
            h("th", { scope: "row" }, x.name, h("span", { class: "claim-text", lang: "zh-CN" }, x.claim)),
            h("td", { class: "num mono" }, `${x.comparator} ${short(x.value)} ${x.unit}`),
            h("td", { class: "num mono" }, x.figure === null ? "—" : `${short(x.figure)}`),
            h("td", {}, verdict(x.verdict)),
            h("td", { class: "small" }, x.reason),
          ),
        ),
      ];
      const scen = scenarioById(r.scenario)?.name ?? r.scenario;
      return h(
        "details",
        { class: "case", open: i === 0 },
        h(
          "summary",
          {},
          h("span", { class: "case-name" }, r.name),
          h(
            "span",
            { class: "case-meta" },
            `${L("case_scenario")}: ${scen} · ${L("case_score")}: `,
            h("span", { class: "mono" }, fmt(r.score, 4)),
          ),
          h("span", { class: "case-badges" }, ...summaryBadges(r)),
        ),
        h(
          "div",
          { class: "case-body" },
          h(
            "p",
            {},
            chips(r.members),
            r.not_in_knowledge_base.length ? ` ${L("not_in_kb")}: ${r.not_in_knowledge_base.join(", ")}` : "",
          ),
          r.problems.length ? h("ul", { class: "problems" }, ...r.problems.map((p) => h("li", {}, p))) : null,
          r.environments.length ? caseEnvironments(r) : null,
          rows.length
            ? table([L("type"), L("claim"), L("claimed"), L("model"), L("verdict"), L("reason")], rows, "cases-table")
            : null,
        ),
      );
    }),
  );
}

// Where a case that spans environments deploys what, and how each part scores there.
function caseEnvironments(r) {
  return h(
    "div",
    { class: "sub" },
    h("h3", {}, L("environments")),
    table(
      [L("scene"), L("stack"), L("score"), L("problems")],
      r.environments.map((e) =>
        h(
          "tr",
          {},
          h("th", { scope: "row" }, sceneName(e.scene), " ", h("span", { class: "key" }, e.scene)),
          h("td", {}, chips(e.members)),
          h("td", { class: "num mono" }, fmt(e.score, 4)),
          h(
            "td",
            { class: "small" },
            e.problems.length ? h("ul", { class: "problems" }, ...e.problems.map((p) => h("li", {}, p))) : "—",
          ),
        ),
      ),
    ),
    r.uncovered_scenes.length
      ? h("p", { class: "footnote" }, `${L("uncovered")}: ${r.uncovered_scenes.map(sceneName).join(", ")}`)
      : null,
  );
}

// Counts of the verdicts a case report lists, as badges (counting what the API returned).
function summaryBadges(r) {
  const counts = new Map();
  for (const v of [...r.maturity.map((m) => m.verdict), ...r.indicators.map((x) => x.verdict)])
    counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([v, n]) =>
    h("span", { class: `badge ${VERDICT_CLASS[v] ?? "none"}` }, `${n} ${L(`verdict.${v}`)}`),
  );
}

function stackCell(members, score, problems) {
  return h(
    "div",
    { class: "stack-cell" },
    h("span", { class: "mono score" }, fmt(score, 4)),
    chips(members),
    problems.length ? h("span", { class: "small muted" }, problems.join("; ")) : null,
  );
}

function renderAudit(a) {
  const rows = a.scenarios.map((s) => {
    const st = s.stack;
    return h(
      "tr",
      { title: s.summary },
      h("th", { scope: "row" }, scenarioById(s.scenario)?.name ?? s.scenario),
      h(
        "td",
        {},
        s.top1_agrees === null
          ? "—"
          : h("span", { class: `badge ${s.top1_agrees ? "ok" : "bad"}` }, s.top1_agrees ? L("yes") : L("no")),
      ),
      h("td", { class: "num mono" }, s.kendall_tau === null ? "—" : `${fmt(s.kendall_tau, 3)} (${s.compared})`),
      h(
        "td",
        { class: "small" },
        s.largest_gap
          ? [`${s.largest_gap.label} `, h("span", { class: "mono" }, signed(s.largest_gap.difference, 2))]
          : "—",
      ),
      h("td", {}, st ? stackCell(st.claimed_members, st.claimed_score, st.claimed_problems) : "—"),
      h("td", {}, st ? stackCell(st.recommended_members, st.recommended_score, []) : "—"),
      h("td", { class: "num mono" }, st ? fmt(st.jaccard, 2) : "—"),
    );
  });
  fill(
    $("audit"),
    h("p", { class: "audit-summary" }, a.summary),
    table(
      [
        L("scenario"),
        L("top1"),
        L("kendall"),
        L("largest_gap"),
        L("documented_stack"),
        L("recommended_stack"),
        L("jaccard"),
      ],
      rows,
      "audit-table",
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Start.

async function start() {
  readUrl();
  applyLabels();
  wireControls();
  planning.initPlanning({
    state,
    meta,
    answers,
    L,
    guarded,
    clearError,
    showError,
    fill,
    table,
    chips,
    concept,
    sceneName,
    techName,
    shortName,
    short,
    sameList,
    writeUrl,
    schedule,
    scenarioBody,
    recommendBody,
    updateMigration,
  });
  await loadMeta();
  const s = scenarioById(state.scenario);
  if (state.scenario && !s) state.scenario = null; // an unknown id in a link: keep the vector
  if (s) state.vector = [...s.vector];
  state.weights = state.urlWeights ?? [...defaultWeights()];
  state.time = state.urlTime ?? s?.time ?? "static";
  delete state.urlWeights;
  delete state.urlTime;
  buildControls();
  await Promise.all([update(), updateMigration(), updateCasesAndAudit(), planning.onLanguage()]);
  document.body.dataset.ready = "true";
}

start();
