// The planning panels of the page: migration tables compared, scene adaptation, risk, cost,
// dependencies, operations and Θ (calibration and learning). As everywhere on the page, every
// figure is the API's (/v1/migrate, /v1/adapt, /v1/risk, /v1/cost, /v1/recommend with
// min_cost, /v1/deps, /v1/ops, /v1/calibrate, /v1/learn); the page only lays them out.

import { call, aborted } from "./api.js";
import { h, fmt, signed, heatmap } from "./charts.js";

const SCENES = ["dev", "ci", "prod", "edge", "serverless", "multitenant"];
const CONCEPTS = ["I", "C", "Q", "R", "M", "V", "L", "S", "B", "P", "T", "Theta"];
const SOURCES = ["published", "derived"];
const DEFAULT_OPS = ["build-image", "deploy-container"];
// An example of feedback rows for the learn form (docs/learning.md has the format).
const EXAMPLE_ROWS = [
  { tech: "k3s", scenario: "edge", concept: "T", observed: 0.5 },
  { tech: "k8s", scenario: "edge", concept: "I", observed: 0.8 },
  { tech: "wasmedge", scenario: "serverless", concept: "Theta", observed: 0.6 },
]
  .map((r) => JSON.stringify(r))
  .join("\n");

// The page's shared helpers and state, given by app.js.
let ctx = null;
const $ = (id) => document.getElementById(id);
const L = (key, vars) => ctx.L(key, vars);

// The planning part of the page state, with its defaults.
export function planningDefaults() {
  return {
    source: "published", // the migration panel's difficulty table
    adaptSubject: "stack", // "stack": the recommended stack; else a chain id
    adaptFrom: "dev",
    adaptTo: null, // null: the scenario's main scene; "*": every other scene ranked
    riskTheta: null, // null: Θ of the knowledge base
    minScore: null, // null: the recommended score minus 0.5
    ops: [...DEFAULT_OPS],
  };
}

export function readPlanningUrl(q, state) {
  if (SOURCES.includes(q.get("source"))) state.source = q.get("source");
  if (q.get("adapt")) state.adaptSubject = q.get("adapt");
  if (SCENES.includes(q.get("afrom"))) state.adaptFrom = q.get("afrom");
  if (SCENES.includes(q.get("ato")) || q.get("ato") === "*") state.adaptTo = q.get("ato");
  const theta = Number(q.get("theta"));
  if (q.get("theta") && theta >= 0 && theta <= 1) state.riskTheta = theta;
  const min = Number(q.get("minscore"));
  if (q.get("minscore") && min >= 0 && min <= 10) state.minScore = min;
  if (q.has("ops")) state.ops = q.get("ops").split(",").filter((x) => /^[\w-]{1,64}$/.test(x)).slice(0, 16);
}

export function writePlanningUrl(q, state) {
  if (state.source !== "published") q.set("source", state.source);
  if (state.adaptSubject !== "stack") q.set("adapt", state.adaptSubject);
  if (state.adaptFrom !== "dev") q.set("afrom", state.adaptFrom);
  if (state.adaptTo) q.set("ato", state.adaptTo);
  if (state.riskTheta !== null) q.set("theta", String(state.riskTheta));
  if (state.minScore !== null) q.set("minscore", String(state.minScore));
  if (!ctx.sameList(state.ops, DEFAULT_OPS)) q.set("ops", state.ops.join(","));
}

// ---------------------------------------------------------------------------------------------
// Controls.

export function initPlanning(context) {
  ctx = context;
  const { state } = ctx;
  $("mig-source-group").addEventListener("change", (e) => {
    if (e.target.name !== "mig-source") return;
    state.source = e.target.value;
    ctx.writeUrl();
    ctx.updateMigration();
  });
  for (const [id, key] of [
    ["adapt-subject", "adaptSubject"],
    ["adapt-from", "adaptFrom"],
    ["adapt-to", "adaptTo"],
  ]) {
    $(id).addEventListener("change", (e) => {
      state[key] = e.target.value;
      ctx.writeUrl();
      updateAdapt();
    });
  }
  $("risk-theta").addEventListener("input", (e) => {
    const text = e.target.value.trim();
    const v = Number(text);
    if (text !== "" && !(v >= 0 && v <= 1)) {
      e.target.setAttribute("aria-invalid", "true");
      return;
    }
    e.target.removeAttribute("aria-invalid");
    state.riskTheta = text === "" ? null : v;
    ctx.writeUrl();
    ctx.schedule(updateRisk);
  });
  $("min-score").addEventListener("input", (e) => {
    const text = e.target.value.trim();
    const v = Number(text);
    if (text === "" || !(v >= 0 && v <= 10)) {
      e.target.setAttribute("aria-invalid", "true");
      return;
    }
    e.target.removeAttribute("aria-invalid");
    state.minScore = v;
    ctx.writeUrl();
    ctx.schedule(updateMinCost);
  });
  $("ops-add").addEventListener("click", () => {
    const id = $("ops-pick").value;
    if (!id) return;
    state.ops = [...state.ops, id];
    ctx.writeUrl();
    showOpsChain();
    updateOps();
  });
  $("ops-clear").addEventListener("click", () => {
    state.ops = [];
    ctx.writeUrl();
    showOpsChain();
    updateOps();
  });
  $("ops-chain").addEventListener("click", (e) => {
    const b = e.target.closest("[data-remove]");
    if (!b) return;
    const i = Number(b.dataset.remove);
    state.ops = state.ops.filter((_, k) => k !== i);
    ctx.writeUrl();
    showOpsChain();
    updateOps();
  });
  $("learn-rows").value = EXAMPLE_ROWS;
  $("learn-form").addEventListener("submit", (e) => {
    e.preventDefault();
    runLearn();
  });
}

// The controls that list techs, scenes and operations, in the current language.
export function buildPlanningControls() {
  const { state, meta } = ctx;
  for (const r of document.querySelectorAll('input[name="mig-source"]')) r.checked = r.value === state.source;
  const chains = meta.techs.filter((x) => x.kind === "chain");
  $("adapt-subject").replaceChildren(
    h("option", { value: "stack" }, L("recommended_stack")),
    ...chains.map((x) => h("option", { value: x.id }, x.name)),
  );
  if (state.adaptSubject !== "stack" && !chains.some((x) => x.id === state.adaptSubject)) state.adaptSubject = "stack";
  $("adapt-subject").value = state.adaptSubject;
  const sceneOptions = () => SCENES.map((k) => h("option", { value: k }, ctx.sceneName(k)));
  $("adapt-from").replaceChildren(...sceneOptions());
  $("adapt-from").value = state.adaptFrom;
  $("adapt-to").replaceChildren(
    h("option", { value: "" }, L("main_scene")),
    ...sceneOptions(),
    h("option", { value: "*" }, L("every_other_scene")),
  );
  $("adapt-to").value = state.adaptTo ?? "";
  $("risk-theta").value = state.riskTheta === null ? "" : String(state.riskTheta);
  $("risk-theta").placeholder = L("kb_theta");
  if (state.minScore !== null) $("min-score").value = String(state.minScore);
  $("ops-chain").setAttribute("aria-label", L("ops_chain"));
}

// ---------------------------------------------------------------------------------------------
// Small pieces.

const conceptLabel = (key) => ctx.concept(key).symbol;

// The child boxes of a panel, made once: `slots("cost", ["cost-stack", "cost-min"])`.
function slots(parent, ids) {
  if (!ids.every((id) => $(id))) ctx.fill($(parent), ...ids.map((id, i) => h("div", { id, class: i ? "sub" : "" })));
  return ids.map((id) => $(id));
}

function busy(id, on) {
  $(id).setAttribute("aria-busy", on ? "true" : "false");
}

// A bar in [0, 1] with its value: the page's usual track.
function bar(value, cls = "") {
  return h(
    "span",
    { class: "weight-track", "aria-hidden": "true" },
    h("span", { class: `bar ${cls}`, css: { width: `${Math.max(0, Math.min(1, value)) * 100}%` } }),
  );
}

function facts(pairs) {
  return h(
    "dl",
    { class: "facts" },
    ...pairs.filter(Boolean).map(([dt, dd, attrs = {}]) => [h("dt", {}, dt), h("dd", attrs, dd)]),
  );
}

// The scenario's main scene: the largest entry of its vector (the first among ties).
function mainScene() {
  const v = ctx.state.vector;
  let best = 0;
  v.forEach((x, j) => {
    if (x > v[best]) best = j;
  });
  return SCENES[best];
}

const recommendedMembers = () => ctx.answers.recommend?.stack?.members ?? null;
const selectedTech = () => ctx.state.tech ?? ctx.answers.rank?.ranking[0]?.id ?? null;

// ---------------------------------------------------------------------------------------------
// Updates: which panel follows what.

// After a new ranking (scenario, weights or time changed).
export async function onRank() {
  showThetaStatus();
  await Promise.all([updateRisk(), updateOps()]);
}

// After a new recommendation (also when only the constraints changed).
export async function onRecommend() {
  await Promise.all([updateRiskStack(), updateCost(), updateMinCost(), updateDeps(), updateAdapt()]);
}

// After another chain is selected.
export async function onSelect() {
  await updateOps();
}

// Once per language: what does not depend on the scenario.
export async function onLanguage() {
  ctx.fill($("learn")); // a result of the other language's labels; run it again to see it here
  await Promise.all([updateMigrationCompare(), updateOpsList(), updateCalibrate(), updateDepsRelation()]);
}

// ---------------------------------------------------------------------------------------------
// Migration: the published and the derived tables side by side (/v1/migrate?compare=true).

async function updateMigrationCompare() {
  busy("mig-compare", true);
  const v = await ctx.guarded("migrate-compare", () =>
    call("migrate-compare", "/v1/migrate", { lang: ctx.state.lang, query: { compare: true } }),
  );
  busy("mig-compare", false);
  if (!v) return;
  const columns = v.chains.map((n) => ({ label: n.id, title: n.name }));
  const rows = (m) =>
    v.chains.map((n, i) => ({
      label: n.id,
      short: n.id.slice(0, 3),
      title: n.name,
      values: m[i],
    }));
  const map = (key, m) =>
    h(
      "div",
      { class: "sub", "data-table": key },
      h("h3", {}, L(`table_${key}`)),
      heatmap({
        rows: rows(m),
        columns,
        caption: L(`table_${key}`),
        notCovered: L("not_covered"),
        legendLabel: L("legend"),
        gradientId: `mig-scale-${key}`,
      }),
    );
  ctx.fill(
    $("mig-compare"),
    h("h3", {}, L("tables_compared")),
    h(
      "p",
      { class: "correlations" },
      `${L("kendall_b")}: `,
      h("strong", { class: "mono", id: "mig-kendall" }, fmt(v.kendall_tau_b, 4)),
      ` · ${L("spearman")}: `,
      h("strong", { class: "mono", id: "mig-spearman" }, fmt(v.spearman, 4)),
      ` · ${L("pairs_compared", { n: v.pairs })}`,
    ),
    h("div", { class: "grid-2" }, map("published", v.published), map("derived", v.derived)),
    h("p", { class: "footnote mono" }, v.rule),
  );
}

// ---------------------------------------------------------------------------------------------
// Scene adaptation (/v1/adapt).

let adaptTicket = 0;
async function updateAdapt() {
  const { state } = ctx;
  const ticket = ++adaptTicket;
  const body = { from_scene: state.adaptFrom };
  if (state.adaptSubject === "stack") {
    const members = recommendedMembers();
    if (!members) {
      ctx.fill($("adapt"), h("p", { class: "placeholder" }, L("no_stack")));
      busy("adapt", false);
      return;
    }
    body.stack = members;
  } else {
    body.tech = state.adaptSubject;
  }
  let to = state.adaptTo || mainScene();
  if (to === state.adaptFrom && !state.adaptTo) to = "*";
  if (to !== "*") body.to_scene = to;
  if (state.scenario) body.scenario = state.scenario;
  busy("adapt", true);
  const v = await ctx.guarded("adapt", () => call("adapt", "/v1/adapt", { lang: state.lang, body }));
  if (ticket !== adaptTicket) return;
  busy("adapt", false);
  if (!v) return;
  const head = h(
    "p",
    { class: "adapt-meta" },
    h("strong", {}, v.subject.name),
    ` · ${v.from_scene.name} → ${v.to_scene ? v.to_scene.name : L("every_other_scene")}`,
    v.service_mesh ? ` · ${L("mesh_row")}` : "",
  );
  if (!v.to_scene) {
    ctx.fill(
      $("adapt"),
      head,
      ctx.table(
        [L("rank"), L("to_scene"), L("overall"), L("weakest")],
        v.targets.map((t) =>
          h(
            "tr",
            { "data-scene": t.scene.key },
            h("td", { class: "num mono" }, String(t.rank)),
            h("th", { scope: "row" }, t.scene.name),
            h("td", { class: "num mono overall" }, fmt(t.overall, 4)),
            h("td", {}, `${t.weakest.symbol} ${t.weakest.name} ${fmt(t.weakest.adaptation, 2)}`),
          ),
        ),
        "adapt-targets",
      ),
    );
    return;
  }
  ctx.fill(
    $("adapt"),
    head,
    facts([
      [L("overall"), fmt(v.overall, 4), { class: "mono", id: "adapt-overall" }],
      [L("weakest"), `${v.weakest.symbol} ${v.weakest.name} (${fmt(v.weakest.adaptation, 4)})`],
      [L("formula"), `${v.alpha} · min(${L("maturity")}) + ${v.beta} · min(${L("compatibility")})`],
    ]),
    h(
      "ul",
      { class: "weight-bars concept-bars", "aria-label": L("adaptation") },
      ...v.concepts.map((c) =>
        h(
          "li",
          {
            "data-concept": c.key,
            title: `${c.name}: ${L("maturity")} ${fmt(c.maturity[0], 2)} → ${fmt(c.maturity[1], 2)}, ${L("compatibility")} ${fmt(c.compatibility[0], 2)} → ${fmt(c.compatibility[1], 2)}`,
          },
          h("span", { class: "sym" }, c.symbol),
          bar(c.adaptation),
          h("span", { class: "mono value" }, fmt(c.adaptation, 3)),
        ),
      ),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Risk (/v1/risk): the chains ranked in the scenario, and the recommended stack.

function riskBody(extra = {}) {
  const body = { ...ctx.scenarioBody(), ...extra };
  if (ctx.state.riskTheta !== null) body.theta = ctx.state.riskTheta;
  return body;
}

const at = (a) => `${conceptLabel(a.concept)}${a.scene ? ` · ${ctx.sceneName(a.scene)}` : ""}`;

let riskTicket = 0;
async function updateRisk() {
  const ticket = ++riskTicket;
  busy("risk", true);
  const v = await ctx.guarded("risk", () => call("risk", "/v1/risk", { lang: ctx.state.lang, body: riskBody() }));
  if (ticket !== riskTicket) return;
  busy("risk", false);
  if (!v) return;
  const rows = v.ranking.map((e) =>
    h(
      "tr",
      { "data-alternative": e.id },
      h("td", {}, h("span", { class: `rank-badge${e.tied ? " tied" : ""}` }, `${e.tied ? "=" : ""}${e.rank}`)),
      h("th", { scope: "row" }, e.name),
      h("td", { class: "num mono risk-value" }, fmt(e.risk, 4)),
      h("td", { class: "num mono", title: at(e.components.static_min_at) }, fmt(e.components.static_drop, 3)),
      h("td", { class: "num mono", title: at(e.components.jitter_at) }, fmt(e.components.dynamic_jitter, 3)),
      h("td", { class: "num mono", title: at(e.components.theta_min_at) }, fmt(e.components.ai_uncertainty, 3)),
      h("td", { class: "num mono" }, fmt(e.whole_risk, 4)),
      h("td", { class: "num mono" }, e.score === null ? "—" : fmt(e.score, 4)),
    ),
  );
  const [box] = slots("risk", ["risk-ranking", "risk-stack"]);
  ctx.fill(
    box,
    h(
      "p",
      { class: "footnote" },
      L("risk_lambda", {
        a: v.lambda.static_drop,
        b: v.lambda.dynamic_jitter,
        c: v.lambda.ai_uncertainty,
      }),
      v.theta_given ? ` · ${L("theta_given")}` : "",
    ),
    ctx.table(
      [
        L("rank"),
        L("alternative"),
        L("risk_scenario"),
        L("static_drop"),
        L("dynamic_jitter"),
        L("ai_uncertainty"),
        L("risk_whole"),
        L("score"),
      ],
      rows,
      "risk-table",
    ),
    v.notes.length ? h("ul", { class: "footnote" }, ...v.notes.map((n) => h("li", {}, n))) : null,
  );
  await updateRiskStack();
}

let riskStackTicket = 0;
async function updateRiskStack() {
  const members = recommendedMembers();
  const [, box] = slots("risk", ["risk-ranking", "risk-stack"]);
  if (!members) {
    ctx.fill(box, h("p", { class: "placeholder" }, L("no_stack")));
    return;
  }
  const ticket = ++riskStackTicket;
  const v = await ctx.guarded("risk-stack", () =>
    call("risk-stack", "/v1/risk", { lang: ctx.state.lang, body: riskBody({ stack: members }) }),
  );
  if (ticket !== riskStackTicket || !v?.subject) return;
  const s = v.subject;
  const line = (label, key, digits) =>
    h(
      "tr",
      {},
      h("th", { scope: "row" }, label),
      h("td", { class: "num mono" }, s.scenario_aware ? fmt(s.scenario_aware[key], digits) : "—"),
      h("td", { class: "num mono" }, fmt(s.whole[key], digits)),
    );
  ctx.fill(
    box,
    h("h3", {}, L("risk_of", { name: s.name })),
    ctx.table(
      [L("component"), L("risk_scenario"), L("risk_whole")],
      [
        line(L("static_drop"), "static_drop", 4),
        line(L("dynamic_jitter"), "dynamic_jitter", 4),
        line(L("ai_uncertainty"), "ai_uncertainty", 4),
        line(L("linear"), "linear", 4),
        h(
          "tr",
          { class: "strong" },
          h("th", { scope: "row" }, L("risk")),
          h(
            "td",
            { class: "num mono", id: "risk-stack-value" },
            s.scenario_aware ? fmt(s.scenario_aware.risk, 4) : "—",
          ),
          h("td", { class: "num mono" }, fmt(s.whole.risk, 4)),
        ),
      ],
      "risk-components",
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Cost (/v1/cost) and the cheapest stack reaching a score (/v1/recommend with min_cost).

let costTicket = 0;
async function updateCost() {
  const members = recommendedMembers();
  if (!members) {
    ctx.fill(slots("cost", ["cost-stack", "cost-min"])[0], h("p", { class: "placeholder" }, L("no_stack")));
    ctx.fill($("cost-min"));
    busy("cost", false);
    return;
  }
  const ticket = ++costTicket;
  busy("cost", true);
  const v = await ctx.guarded("cost", () =>
    call("cost", "/v1/cost", { lang: ctx.state.lang, body: { ...ctx.scenarioBody(), stack: members } }),
  );
  if (ticket !== costTicket) return;
  busy("cost", false);
  if (!v) return;
  const [box] = slots("cost", ["cost-stack", "cost-min"]);
  const a = v.attribute;
  const terms = ["maturity", "latency", "memory", "compatibility"];
  ctx.fill(
    box,
    h(
      "div",
      { class: "stack-summary" },
      h("div", { class: "stack-main" }, h("div", { class: "label" }, L("members")), ctx.chips(v.members)),
      h(
        "div",
        { class: "stack-score" },
        h("div", { class: "label" }, L("cost_model")),
        h("div", { class: "big mono", id: "cost-value" }, `${ctx.short(v.cost_mb)}`),
        h("div", { class: "small muted" }, "MB"),
      ),
      h(
        "div",
        { class: "stack-mem" },
        h("div", { class: "label" }, L("footprint")),
        h(
          "div",
          {},
          `${ctx.short(v.footprint.memory_mb)} MB`,
          v.footprint.memory_unknown.length ? ` (${L("memory_unknown")} ${v.footprint.memory_unknown.join(", ")})` : "",
        ),
      ),
    ),
    h(
      "div",
      { class: "split" },
      h(
        "div",
        { class: "sub" },
        h("h3", {}, L("weightings")),
        ctx.table(
          [L("weighting"), L("cost_model")],
          v.weightings.map((x) =>
            h(
              "tr",
              { class: x.headline ? "strong" : "" },
              h("th", { scope: "row" }, L(`weighting.${x.weighting}`)),
              h("td", { class: "num mono" }, `${ctx.short(x.cost_mb)} MB`),
            ),
          ),
          "cost-weightings",
        ),
      ),
      h(
        "div",
        { class: "sub" },
        h("h3", {}, `${L("attribute_score")}: `, h("span", { class: "mono" }, fmt(a.score, 4))),
        h(
          "ul",
          { class: "weight-bars term-bars" },
          ...terms.map((k) =>
            h(
              "li",
              { title: `${L(`term.${k}`)} · ${L("weight")} ${a.weights[k]}` },
              h("span", { class: "name small" }, L(`term.${k}`)),
              bar(a.terms[k]),
              h("span", { class: "mono value" }, fmt(a.terms[k], 3)),
            ),
          ),
        ),
      ),
    ),
    v.notes.length ? h("ul", { class: "footnote" }, ...v.notes.map((n) => h("li", {}, n))) : null,
  );
}

// The threshold of the cheapest-stack search: as set, or the recommended score minus 0.5.
function minScore() {
  const { state, answers } = ctx;
  if (state.minScore !== null) return state.minScore;
  const s = answers.recommend?.stack?.score;
  return s === undefined ? null : Math.max(0, Math.floor((s - 0.5) * 10) / 10);
}

let minTicket = 0;
async function updateMinCost() {
  const x = minScore();
  if (x === null) return;
  if (document.activeElement !== $("min-score")) $("min-score").value = String(x);
  const [, box] = slots("cost", ["cost-stack", "cost-min"]);
  const ticket = ++minTicket;
  const body = { ...ctx.recommendBody(), min_cost: true, min_score: x };
  let r;
  try {
    r = await call("min-cost", "/v1/recommend", { lang: ctx.state.lang, body });
    ctx.clearError("min-cost");
  } catch (e) {
    if (aborted(e) || ticket !== minTicket) return;
    // A scenario the search does not apply to (one that spans environments) is said here.
    if (e.kind === "bad_input" && e.field === "min_cost") {
      ctx.clearError("min-cost");
      ctx.fill(box, h("h3", {}, L("cheapest", { x: ctx.short(x) })), h("p", { class: "warning" }, e.message));
      return;
    }
    ctx.showError("min-cost", e);
    return;
  }
  if (ticket !== minTicket) return;
  const m = r.min_cost;
  ctx.fill(
    box,
    h("h3", {}, L("cheapest", { x: ctx.short(m.min_score) })),
    m.reached && r.stack
      ? h(
          "p",
          { class: "cheapest" },
          ctx.chips(r.stack.members),
          " · ",
          h("strong", { class: "mono", id: "min-cost-value" }, `${ctx.short(m.cost_mb)} MB`),
          ` · ${L("score")} `,
          h("span", { class: "mono" }, fmt(r.stack.score, 4)),
        )
      : h("p", { class: "warning" }, L("none_reaches")),
    h("p", { class: "footnote" }, m.message),
  );
}

// ---------------------------------------------------------------------------------------------
// Dependencies (/v1/deps): the recommended stack's coverage, and the relation's critical chains.

let depsTicket = 0;
async function updateDeps() {
  const members = recommendedMembers();
  const [box] = slots("deps", ["deps-coverage", "deps-relation"]);
  if (!members) {
    ctx.fill(box, h("p", { class: "placeholder" }, L("no_stack")));
    busy("deps", false);
    return;
  }
  const ticket = ++depsTicket;
  busy("deps", true);
  const v = await ctx.guarded("deps", () =>
    call("deps", "/v1/deps", { lang: ctx.state.lang, body: { ...ctx.scenarioBody(), stack: members } }),
  );
  if (ticket !== depsTicket) return;
  busy("deps", false);
  if (!v) return;
  const uncovered = new Map(v.uncovered.map((u) => [u.concept, u]));
  const required = new Set(v.required);
  const weighed = new Set(v.weighed);
  ctx.fill(
    box,
    h(
      "p",
      { class: "verdict" },
      h(
        "span",
        { class: `badge ${v.covered ? "ok" : "bad"}`, id: "deps-covered", "data-covered": String(v.covered) },
        v.covered ? L("covered") : L("not_covered_deps"),
      ),
      " ",
      v.summary,
    ),
    h(
      "ul",
      { class: "weight-bars concept-bars", "aria-label": L("fit") },
      ...CONCEPTS.map((k) => {
        const u = uncovered.get(k);
        const role = weighed.has(k) ? L("weighed") : required.has(k) ? L("required_dep") : L("not_required");
        return h(
          "li",
          {
            "data-concept": k,
            class: u ? "uncovered" : "",
            title: u
              ? `${u.name}: ${u.needed_by.map((n) => n.chain.map(conceptLabel).join(" → ")).join("; ")}`
              : `${ctx.concept(k).name}: ${role}`,
          },
          h("span", { class: "sym" }, conceptLabel(k)),
          bar(v.fit[k], u ? "bad" : required.has(k) ? "" : "muted"),
          h("span", { class: "mono value" }, fmt(v.fit[k], 2)),
        );
      }),
    ),
    h("p", { class: "footnote" }, L("min_fit", { x: v.min_fit }), ` · ${L("direction")}: ${v.direction}`),
    v.stack_problems.length
      ? h("ul", { class: "problems" }, ...v.stack_problems.map((p) => h("li", {}, p)))
      : null,
  );
}

async function updateDepsRelation() {
  const v = await ctx.guarded("deps-relation", () => call("deps-relation", "/v1/deps", { lang: ctx.state.lang }));
  if (!v) return;
  const [, box] = slots("deps", ["deps-coverage", "deps-relation"]);
  ctx.fill(
    box,
    h("h3", {}, L("critical_chains", { n: v.critical.depth })),
    h(
      "ol",
      { class: "critical-chains" },
      ...v.critical.chains.map((chain) =>
        h(
          "li",
          { class: "mono" },
          chain.map((k) => h("span", { class: "tag", title: ctx.concept(k).name }, conceptLabel(k))).flatMap((x, i) =>
            i ? [" → ", x] : [x],
          ),
        ),
      ),
    ),
    h("p", { class: "footnote" }, v.summary),
  );
}

// ---------------------------------------------------------------------------------------------
// Operations (/v1/ops): the list, and a chain applied to the selected chain's fit.

let operations = [];

async function updateOpsList() {
  const v = await ctx.guarded("ops-list", () => call("ops-list", "/v1/ops", { lang: ctx.state.lang }));
  if (!v) return;
  operations = v.operations;
  $("ops-pick").replaceChildren(...operations.map((o) => h("option", { value: o.id }, `${o.name} (${o.id})`)));
  const known = new Set(operations.map((o) => o.id));
  const kept = ctx.state.ops.filter((id) => known.has(id));
  if (kept.length !== ctx.state.ops.length) {
    ctx.state.ops = kept;
    ctx.writeUrl();
  }
  showOpsChain();
}

function showOpsChain() {
  const name = (id) => operations.find((o) => o.id === id)?.name ?? id;
  ctx.fill(
    $("ops-chain"),
    ...ctx.state.ops.map((id, i) =>
      h(
        "li",
        { class: "op", "data-op": id },
        h("span", {}, name(id)),
        h(
          "button",
          { type: "button", class: "ghost small remove", "data-remove": String(i), "aria-label": `${L("remove")} ${name(id)}` },
          "×",
        ),
      ),
    ),
  );
}

let opsTicket = 0;
async function updateOps() {
  const tech = selectedTech();
  if (!tech) return;
  const ticket = ++opsTicket;
  if (!ctx.state.ops.length) {
    busy("ops", false);
    ctx.fill($("ops"), h("p", { class: "placeholder" }, L("ops_empty")));
    return;
  }
  busy("ops", true);
  const body = { ...ctx.scenarioBody(), tech, apply: ctx.state.ops };
  const v = await ctx.guarded("ops", () => call("ops", "/v1/ops", { lang: ctx.state.lang, body }));
  if (ticket !== opsTicket) return;
  busy("ops", false);
  if (!v) return;
  const rows = CONCEPTS.map((k) =>
    h(
      "tr",
      { "data-concept": k, class: v.exercised.includes(k) ? "" : "muted" },
      h("th", { scope: "row", title: ctx.concept(k).name }, conceptLabel(k)),
      h("td", { class: "num mono" }, fmt(v.input.vector[k], 3)),
      h("td", { class: "num mono" }, fmt(v.combined[k], 3)),
      h("td", { class: "num mono result" }, fmt(v.result[k], 4)),
      h("td", { class: "bar-cell" }, bar(v.result[k])),
    ),
  );
  ctx.fill(
    $("ops"),
    h(
      "p",
      { class: "ops-meta" },
      `${L("ops_input", { name: ctx.techName(tech) })} · ${L("readiness")}: `,
      h("strong", { class: "mono", id: "ops-readiness" }, v.readiness === null ? "—" : fmt(v.readiness, 4)),
    ),
    ctx.table([L("concept"), L("input"), L("combined"), L("result"), ""], rows, "ops-table"),
    h("p", { class: "footnote" }, v.summary),
    h("p", { class: "footnote mono" }, v.semantics),
  );
}

// ---------------------------------------------------------------------------------------------
// Θ: is the ranking's Θ learned; calibration (/v1/calibrate); learning (POST /v1/learn).

function showThetaStatus() {
  const s = ctx.answers.rank?.scenario;
  if (!s) return;
  ctx.fill(
    $("theta-status"),
    h(
      "p",
      { class: "theta-status" },
      h("span", { class: `badge ${s.theta ? "warn" : "ok"}`, id: "theta-learned" }, s.theta ? L("theta_learned") : L("theta_default")),
      " ",
      s.theta_note ?? L("theta_default_note"),
    ),
  );
}

async function updateCalibrate() {
  busy("calibrate", true);
  const v = await ctx.guarded("calibrate", () => call("calibrate", "/v1/calibrate", { lang: ctx.state.lang }));
  busy("calibrate", false);
  if (!v) return;
  const scen = (id) => ctx.meta.scenarios.find((s) => s.id === id)?.name ?? id;
  ctx.fill(
    $("calibrate"),
    h("h3", {}, L("calibration")),
    facts([
      [L("rms_default"), fmt(v.rms_default, 4), { class: "mono", id: "rms-default" }],
      [L("rms_calibrated"), fmt(v.rms_calibrated, 4), { class: "mono", id: "rms-calibrated" }],
      [L("kkt"), v.kkt_verified ? L("yes") : L("no")],
    ]),
    h(
      "details",
      { class: "more-pairs" },
      h("summary", {}, L("residuals", { n: v.figures.length })),
      ctx.table(
        [L("scenario"), L("alternative"), L("claimed"), L("model"), L("residual"), L("calibrated"), L("residual")],
        v.figures.map((f) =>
          h(
            "tr",
            {},
            h("td", {}, scen(f.scenario)),
            h("th", { scope: "row" }, f.label),
            h("td", { class: "num mono" }, ctx.short(f.claimed)),
            h("td", { class: "num mono" }, fmt(f.computed_default, 4)),
            h("td", { class: "num mono" }, signed(f.residual_default, 4)),
            h("td", { class: "num mono" }, fmt(f.computed_calibrated, 4)),
            h("td", { class: "num mono" }, signed(f.residual_calibrated, 4)),
          ),
        ),
        "calibrate-table",
      ),
      h(
        "p",
        { class: "footnote" },
        `${L("calibrated_weights")}: `,
        v.weights.map((w) => `${conceptLabel(w.concept)} ${fmt(w.weight, 3)}`).join(", "),
      ),
    ),
    h("p", { class: "footnote" }, v.note),
  );
}

// Feedback rows from the text area: one JSON object per line (blank lines skipped), or a JSON
// array. A line that is not JSON is said with its number; the API checks the rows themselves.
function feedbackRows(text) {
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) return JSON.parse(trimmed);
  const rows = [];
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    try {
      rows.push(JSON.parse(line));
    } catch {
      throw new Error(L("bad_row", { n: i + 1 }));
    }
  });
  return rows;
}

let learnTicket = 0;
async function runLearn() {
  const box = $("learn");
  let rows;
  try {
    rows = feedbackRows($("learn-rows").value);
    $("learn-rows").removeAttribute("aria-invalid");
  } catch (e) {
    $("learn-rows").setAttribute("aria-invalid", "true");
    ctx.fill(box, h("p", { class: "warning" }, e.message));
    return;
  }
  const ticket = ++learnTicket;
  busy("learn", true);
  $("learn-run").disabled = true;
  const body = { rows, loss: $("learn-loss").value, optimizer: $("learn-optimizer").value };
  const v = await ctx.guarded("learn", () => call("learn", "/v1/learn", { lang: ctx.state.lang, body }));
  if (ticket !== learnTicket) return;
  $("learn-run").disabled = false;
  busy("learn", false);
  if (!v) return;
  ctx.fill(
    box,
    h(
      "p",
      { class: "learn-meta" },
      L("learn_result", { epochs: v.epochs, stop: v.stop, rows: v.rows_used }),
      " · ",
      h("span", { class: "mono" }, `${fmt(v.initial_loss, 6)} → `),
      h("strong", { class: "mono", id: "learn-loss-final" }, fmt(v.final_loss, 6)),
    ),
    ctx.table(
      [L("concept"), L("initial"), L("learned"), L("change")],
      v.concepts.map((c) =>
        h(
          "tr",
          { "data-concept": c.concept, class: c.informed ? "" : "muted" },
          h("th", { scope: "row", title: c.name }, conceptLabel(c.concept)),
          h("td", { class: "num mono" }, fmt(c.initial, 4)),
          h("td", { class: "num mono learned" }, fmt(c.learned, 4)),
          h("td", { class: "num mono" }, signed(c.change, 4)),
        ),
      ),
      "learn-table",
    ),
    v.notes.length ? h("ul", { class: "footnote" }, ...v.notes.map((n) => h("li", {}, n))) : null,
    h("p", { class: "footnote" }, L("learn_nothing_written")),
  );
}
