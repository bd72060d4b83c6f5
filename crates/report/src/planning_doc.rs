//! The planning sections of the report as document blocks: risk, cost, dependencies, migration,
//! scene adaptation and Θ, in English and Chinese. As in `doc.rs`, nothing here computes: every
//! figure is a view's, formatted (scores, risks and fits to 4 decimals, memory as the view
//! gives it).

use crate::doc::{Block, Card, Cell, Col, Inline, Row, Table, Tone};
use crate::planning::{MigrationPart, PlanningData, DEFAULT_COST_MARGIN};
use crate::words::fill;
use crate::ReportData;
use stackmatrix_api::numbers::{fixed, short};
use stackmatrix_api::views::{ConceptValues, MigrateView, MigrationPathView};
use stackmatrix_api::{
    AdaptView, CostView, DepsCoverageView, RiskComponentsView, RiskView, TransitionComparisonView,
};
use stackmatrix_model::{Concept, Lang};

/// The words of the planning sections in one language.
pub(crate) struct PlanWords {
    pub risk: &'static str,
    pub risk_intro: &'static str,
    pub rank: &'static str,
    pub id: &'static str,
    pub chain: &'static str,
    pub risk_scenario: &'static str,
    pub risk_whole: &'static str,
    pub static_drop: &'static str,
    pub dynamic_jitter: &'static str,
    pub ai_uncertainty: &'static str,
    pub weighted_sum: &'static str,
    pub risk_word: &'static str,
    pub score: &'static str,
    pub component: &'static str,
    pub stack_risk: &'static str,
    pub at: &'static str,
    pub unavailable: &'static str,

    pub cost: &'static str,
    pub cost_intro: &'static str,
    pub cost_model: &'static str,
    pub footprint: &'static str,
    pub memory_unknown: &'static str,
    pub attribute_score: &'static str,
    pub weighting: &'static str,
    pub cost_mb: &'static str,
    pub headline: &'static str,
    pub weighting_reference: &'static str,
    pub weighting_scenario: &'static str,
    pub weighting_technology: &'static str,
    pub term: &'static str,
    pub weight: &'static str,
    pub value: &'static str,
    pub term_maturity: &'static str,
    pub term_latency: &'static str,
    pub term_memory: &'static str,
    pub term_compatibility: &'static str,
    pub cheapest: &'static str,
    pub cheapest_margin: &'static str,
    pub cheapest_found: &'static str,
    pub cheapest_none: &'static str,
    pub best_reachable: &'static str,
    pub unknown_used: &'static str,
    pub unknown_excluded: &'static str,
    pub score_word: &'static str,

    pub deps: &'static str,
    pub deps_intro: &'static str,
    pub covered: &'static str,
    pub covered_col: &'static str,
    pub not_covered: &'static str,
    pub concept: &'static str,
    pub name: &'static str,
    pub role: &'static str,
    pub weighed: &'static str,
    pub dependency: &'static str,
    pub fit: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub needed_by: &'static str,

    pub migration: &'static str,
    pub path_intro: &'static str,
    pub path: &'static str,
    pub total: &'static str,
    pub cheapest_path: &'static str,
    pub alternative: &'static str,
    pub same_chain: &'static str,
    pub compare_intro: &'static str,
    pub published: &'static str,
    pub derived: &'static str,
    pub from_to: &'static str,
    pub rule: &'static str,
    pub give_from: &'static str,
    pub give_from_after: &'static str,

    pub adaptation: &'static str,
    pub adapt_intro: &'static str,
    pub adapt_targets_intro: &'static str,
    pub maturity: &'static str,
    pub compatibility: &'static str,
    pub adaptation_col: &'static str,
    pub overall: &'static str,
    pub weakest: &'static str,
    pub scene: &'static str,

    pub theta: &'static str,
    pub theta_default: &'static str,
    pub theta_learned: &'static str,
    pub calibration: &'static str,
    pub calibration_intro: &'static str,
    pub kkt_yes: &'static str,
    pub kkt_no: &'static str,
    pub claimed: &'static str,
    pub computed: &'static str,
    pub residual: &'static str,
    pub calibrated: &'static str,
    pub calibrated_weights: &'static str,
    pub skipped: &'static str,
    pub figures_all: &'static str,
    pub figures_scenario: &'static str,
}

const EN: PlanWords = PlanWords {
    risk: "Risk",
    risk_intro: "Risk = sigmoid({a} · StaticDrop + {b} · DynamicJitter + {c} · AIUncertainty) (docs/risk.md). The scenario-aware risk looks only at the scenes and concepts the scenario weighs; the whole-matrix risk is the reference's. The chains from the lowest scenario-aware risk:",
    rank: "Rank",
    id: "Id",
    chain: "Chain",
    risk_scenario: "Risk in the scenario",
    risk_whole: "Whole-matrix risk",
    static_drop: "StaticDrop",
    dynamic_jitter: "DynamicJitter",
    ai_uncertainty: "AIUncertainty",
    weighted_sum: "Weighted sum (before sigmoid)",
    risk_word: "Risk",
    score: "Score",
    component: "Component",
    stack_risk: "The recommended stack",
    at: "at",
    unavailable: "Not available for this scenario",

    cost: "Cost",
    cost_intro: "The recommended stack's memory cost model Σ W ⊙ Acost (MB, headline weighting marked), its normalised attribute score and its footprint per node (docs/cost.md).",
    cost_model: "Cost model",
    footprint: "Footprint per node",
    memory_unknown: "unknown for",
    attribute_score: "Attribute score",
    weighting: "Weighting",
    cost_mb: "Cost (MB)",
    headline: "headline",
    weighting_reference: "reference (W all 1)",
    weighting_scenario: "the scenario's scenes",
    weighting_technology: "the technology's own memory",
    term: "Term",
    weight: "Weight",
    value: "Value",
    term_maturity: "maturity",
    term_latency: "latency",
    term_memory: "memory",
    term_compatibility: "compatibility",
    cheapest: "The cheapest stack with a score of at least {x}",
    cheapest_margin: "the recommended score {score} minus {margin}",
    cheapest_found: "proven optimal by exact search: the cheapest in memory per node among the stacks that reach the score.",
    cheapest_none: "No stack reaches this score under the same constraints.",
    best_reachable: "The best reachable",
    unknown_used: "it needs a member of unknown memory, counted as 0 MB",
    unknown_excluded: "Left out for unknown memory",
    score_word: "score",

    deps: "Dependencies",
    deps_intro: "Does the recommended stack cover the dependencies of the concepts the scenario weighs? The dependency relation is closed transitively ({direction}); a concept is covered when the stack's fit in the scenario is at least {min_fit}.",
    covered: "covered",
    covered_col: "Covered",
    not_covered: "not covered",
    concept: "Concept",
    name: "Name",
    role: "Why it is needed",
    weighed: "weighed by the scenario",
    dependency: "a dependency of a weighed concept",
    fit: "Fit",
    yes: "yes",
    no: "no",
    needed_by: "needed through",

    migration: "Migration",
    path_intro: "The cheapest migration from {from} to the top chain {to} over the published chain-transition difficulties (Dijkstra, then the next cheapest loop-free paths by Yen's algorithm); the direct move costs {direct}.",
    path: "Path",
    total: "Total difficulty",
    cheapest_path: "cheapest",
    alternative: "alternative",
    same_chain: "{from} is already the top chain: no migration is needed.",
    compare_intro: "The published chain-transition difficulties beside the ones derived from the maturity matrices (docs/migration.md): Kendall's τ-b {tau} and Spearman's ρ {rho} over the {pairs} off-diagonal entries.",
    published: "Published",
    derived: "Derived",
    from_to: "from \\ to",
    rule: "Rule",
    give_from: "Give ",
    give_from_after: " for the cheapest path from CHAIN to the top chain.",

    adaptation: "Scene adaptation",
    adapt_intro: "The top chain {name} moved from {from} to the scenario's main scene {to}: per concept {alpha} · min(maturity) + {beta} · min(compatibility) over the two scenes (docs/adaptation.md). Overall {overall}; the weakest concept is {weakest}.",
    adapt_targets_intro: "The scenario's main scene is {from} itself, so every other scene is ranked by how well the top chain {name} adapts to it from {from}:",
    maturity: "Maturity",
    compatibility: "Compatibility",
    adaptation_col: "Adaptation",
    overall: "Overall",
    weakest: "Weakest concept",
    scene: "Scene",

    theta: "Θ and calibration",
    theta_default: "The scores use Θ = 1 for every concept: no learned Θ is in the knowledge base, so every score is the seed's formula unchanged.",
    theta_learned: "The scores use a learned Θ from tables/theta.toml (score = 10 · Σ w_c θ_c f_c / Σ w_c): {theta}.",
    calibration: "Calibration",
    calibration_intro: "Non-negative concept weights (summing to 12) fitted to the seed's documented scores, reported and never applied: the RMS residual over {n} documented scores is {default} with the model's weights and {calibrated} with the calibrated ones ({kkt}).",
    kkt_yes: "optimality verified",
    kkt_no: "optimality not verified",
    claimed: "Claimed",
    computed: "Computed",
    residual: "Residual",
    calibrated: "Calibrated",
    calibrated_weights: "Calibrated weights",
    skipped: "Not calibrated",
    figures_all: "Every documented score:",
    figures_scenario: "The documented scores of this scenario:",
};

const ZH: PlanWords = PlanWords {
    risk: "风险",
    risk_intro: "风险 = sigmoid({a} · StaticDrop + {b} · DynamicJitter + {c} · AIUncertainty)（docs/risk.md）。场景内风险只看场景所加权的场景与概念；整个矩阵的风险即参考公式。各技术链按场景内风险从低到高：",
    rank: "排名",
    id: "标识",
    chain: "技术链",
    risk_scenario: "场景内风险",
    risk_whole: "整个矩阵的风险",
    static_drop: "StaticDrop（静态落差）",
    dynamic_jitter: "DynamicJitter（动态抖动）",
    ai_uncertainty: "AIUncertainty（AI 不确定性）",
    weighted_sum: "加权和（sigmoid 之前）",
    risk_word: "风险",
    score: "得分",
    component: "分量",
    stack_risk: "推荐技术栈",
    at: "位于",
    unavailable: "此场景下不可用",

    cost: "成本",
    cost_intro: "推荐技术栈的内存成本模型 Σ W ⊙ Acost（MB，标出主加权方式）、归一化属性得分与每节点资源占用（docs/cost.md）。",
    cost_model: "成本模型",
    footprint: "每节点资源占用",
    memory_unknown: "未知：",
    attribute_score: "属性得分",
    weighting: "加权方式",
    cost_mb: "成本（MB）",
    headline: "主值",
    weighting_reference: "参考（W 全为 1）",
    weighting_scenario: "按场景向量",
    weighting_technology: "按技术自身内存",
    term: "项",
    weight: "权重",
    value: "值",
    term_maturity: "成熟度",
    term_latency: "延迟",
    term_memory: "内存",
    term_compatibility: "兼容性",
    cheapest: "得分至少为 {x} 的最便宜技术栈",
    cheapest_margin: "推荐得分 {score} 减去 {margin}",
    cheapest_found: "由精确搜索证明最优：在达到该得分的技术栈中每节点内存最少。",
    cheapest_none: "在相同约束下没有技术栈达到该得分。",
    best_reachable: "可达到的最佳",
    unknown_used: "它需要一个内存未知的成员，按 0 MB 计",
    unknown_excluded: "因内存未知而未纳入",
    score_word: "得分",

    deps: "依赖",
    deps_intro: "推荐技术栈是否覆盖场景所加权概念的依赖？依赖关系取传递闭包（{direction}）；技术栈在该场景中的契合度至少为 {min_fit} 时视为覆盖。",
    covered: "已覆盖",
    covered_col: "是否覆盖",
    not_covered: "未覆盖",
    concept: "概念",
    name: "名称",
    role: "需要的原因",
    weighed: "场景加权的概念",
    dependency: "加权概念的依赖",
    fit: "契合度",
    yes: "是",
    no: "否",
    needed_by: "经由",

    migration: "迁移",
    path_intro: "在已发布的技术链迁移难度上，从 {from} 迁移到排名第一的 {to} 的最低代价路径（Dijkstra，其后按 Yen 算法给出次优的无环路径）；直接迁移的难度为 {direct}。",
    path: "路径",
    total: "总难度",
    cheapest_path: "最低代价",
    alternative: "备选",
    same_chain: "{from} 已是排名第一的技术链：无需迁移。",
    compare_intro: "已发布的技术链迁移难度与由成熟度矩阵推导的难度并列（docs/migration.md）：在 {pairs} 个非对角元素上 Kendall τ-b 为 {tau}，Spearman ρ 为 {rho}。",
    published: "已发布",
    derived: "推导",
    from_to: "从 \\ 到",
    rule: "规则",
    give_from: "使用 ",
    give_from_after: " 可得到从 CHAIN 到排名第一的技术链的最低代价路径。",

    adaptation: "场景适配",
    adapt_intro: "排名第一的 {name} 从 {from} 迁移到场景的主场景 {to}：每个概念取两个场景上的 {alpha} · min(成熟度) + {beta} · min(兼容性)（docs/adaptation.md）。总体 {overall}；最弱的概念是 {weakest}。",
    adapt_targets_intro: "场景的主场景就是 {from}，因此按排名第一的 {name} 从 {from} 适配到其余各场景的程度排名：",
    maturity: "成熟度",
    compatibility: "兼容性",
    adaptation_col: "适配度",
    overall: "总体",
    weakest: "最弱概念",
    scene: "场景",

    theta: "Θ 与校准",
    theta_default: "得分对所有概念使用 Θ = 1：知识库中没有学得的 Θ，因此所有得分即种子公式的原值。",
    theta_learned: "得分使用 tables/theta.toml 中学得的 Θ（得分 = 10 · Σ w_c θ_c f_c / Σ w_c）：{theta}。",
    calibration: "校准",
    calibration_intro: "拟合种子文档得分的非负概念权重（总和为 12），只报告、不应用：在 {n} 个文档得分上，模型权重的均方根残差为 {default}，校准权重为 {calibrated}（{kkt}）。",
    kkt_yes: "已验证最优性",
    kkt_no: "未验证最优性",
    claimed: "声称",
    computed: "计算",
    residual: "残差",
    calibrated: "校准后",
    calibrated_weights: "校准后的权重",
    skipped: "未校准",
    figures_all: "所有文档得分：",
    figures_scenario: "本场景的文档得分：",
};

fn plan_words(lang: Lang) -> &'static PlanWords {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

fn text(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}

fn code(s: impl Into<String>) -> Inline {
    Inline::Code(s.into())
}

fn strong(s: impl Into<String>) -> Inline {
    Inline::Strong(s.into())
}

fn t(s: impl Into<String>) -> Cell {
    Cell {
        parts: vec![text(s)],
    }
}

fn c(s: impl Into<String>) -> Cell {
    Cell {
        parts: vec![code(s)],
    }
}

fn col(title: &str, num: bool) -> Col {
    Col {
        title: title.to_string(),
        num,
    }
}

fn row(cells: Vec<Cell>) -> Row {
    Row {
        cells,
        strong: false,
    }
}

fn table(cols: Vec<Col>, rows: Vec<Row>) -> Block {
    Block::Table(Table { cols, rows })
}

fn f4(x: f64) -> String {
    fixed(x, 4)
}

/// Memory in MB to at most 2 decimals, trailing zeros dropped (`275`, `301.3`, `2353.48`).
fn mb(x: f64) -> String {
    trimmed(x, 2)
}

/// `x` to at most `digits` decimals, trailing zeros dropped: a sum of tenths (`0.6`) reads as
/// written, not as `0.6000000000000001`.
fn trimmed(x: f64, digits: usize) -> String {
    let s = fixed(x, digits);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// A signed difference to 4 decimals (`+0.1667`, `-0.4500`).
fn signed4(x: f64) -> String {
    let s = f4(x);
    if s.starts_with('-') || s.chars().all(|c| c == '0' || c == '.') {
        s
    } else {
        format!("+{s}")
    }
}

fn concept_value(v: &ConceptValues, key: &str) -> f64 {
    Concept::from_key(key).map_or(f64::NAN, |c| v.0[c.index()])
}

/// The planning sections, in order; none when the report was collected without them.
pub(crate) fn blocks(d: &ReportData) -> Vec<Block> {
    let Some(p) = &d.planning else {
        return Vec::new();
    };
    let mut b = Plan {
        d,
        p,
        w: plan_words(d.lang),
        out: Vec::new(),
    };
    b.risk();
    b.cost();
    b.deps();
    b.migration();
    b.adaptation();
    b.theta();
    b.out
}

struct Plan<'a> {
    d: &'a ReportData,
    p: &'a PlanningData,
    w: &'static PlanWords,
    out: Vec<Block>,
}

impl Plan<'_> {
    fn push(&mut self, b: Block) {
        self.out.push(b);
    }

    fn names(&self, members: &[String]) -> String {
        members
            .iter()
            .map(|m| self.d.tech_name(m))
            .collect::<Vec<_>>()
            .join(" + ")
    }

    fn unavailable(&mut self, why: &str) {
        self.push(Block::Note(vec![text(format!(
            "{}: {why}",
            self.w.unavailable
        ))]));
    }

    fn notes(&mut self, notes: &[String]) {
        for n in notes {
            self.push(Block::Note(vec![text(n.clone())]));
        }
    }

    fn risk(&mut self) {
        let (w, r): (&PlanWords, &RiskView) = (self.w, &self.p.risk);
        self.push(Block::Section("risk", w.risk.to_string()));
        self.push(Block::Para(vec![text(fill(
            w.risk_intro,
            &[
                ("a", &short(r.lambda.static_drop)),
                ("b", &short(r.lambda.dynamic_jitter)),
                ("c", &short(r.lambda.ai_uncertainty)),
            ],
        ))]));
        let rows = r
            .ranking
            .iter()
            .map(|e| {
                row(vec![
                    t(format!("{}{}", if e.tied { "=" } else { "" }, e.rank)),
                    c(e.id.clone()),
                    t(e.name.clone()),
                    t(f4(e.risk)),
                    t(f4(e.components.static_drop)),
                    t(f4(e.components.dynamic_jitter)),
                    t(f4(e.components.ai_uncertainty)),
                    t(f4(e.whole_risk)),
                    t(e.score.map_or_else(|| "–".to_string(), f4)),
                ])
            })
            .collect();
        self.push(table(
            vec![
                col(w.rank, true),
                col(w.id, false),
                col(w.chain, false),
                col(w.risk_scenario, true),
                col(w.static_drop, true),
                col(w.dynamic_jitter, true),
                col(w.ai_uncertainty, true),
                col(w.risk_whole, true),
                col(w.score, true),
            ],
            rows,
        ));
        let notes = r.notes.clone();
        self.notes(&notes);
        match &self.p.risk_stack {
            None => {}
            Some(Err(why)) => {
                self.push(Block::Heading(w.stack_risk.to_string()));
                self.unavailable(why);
            }
            Some(Ok(v)) => {
                let Some(s) = &v.subject else { return };
                self.push(Block::Heading(format!("{}: {}", w.stack_risk, s.name)));
                let aware = s.scenario_aware.as_ref();
                let line = |label: &str, get: &dyn Fn(&RiskComponentsView) -> String| {
                    row(vec![
                        t(label),
                        t(aware.map_or_else(|| "–".to_string(), get)),
                        t(get(&s.whole)),
                    ])
                };
                let at = |a: &stackmatrix_api::RiskAtView| match a.scene {
                    Some(scene) => format!(
                        " ({} {} · {})",
                        w.at,
                        self.d.concept_symbol(a.concept),
                        scene
                    ),
                    None => format!(" ({} {})", w.at, self.d.concept_symbol(a.concept)),
                };
                let mut rows = vec![
                    line(w.static_drop, &|x| {
                        format!("{}{}", f4(x.static_drop), at(&x.static_min_at))
                    }),
                    line(w.dynamic_jitter, &|x| {
                        format!("{}{}", f4(x.dynamic_jitter), at(&x.jitter_at))
                    }),
                    line(w.ai_uncertainty, &|x| {
                        format!("{}{}", f4(x.ai_uncertainty), at(&x.theta_min_at))
                    }),
                    line(w.weighted_sum, &|x| f4(x.linear)),
                    line(w.risk_word, &|x| f4(x.risk)),
                ];
                rows.last_mut().unwrap().strong = true;
                self.push(table(
                    vec![
                        col(w.component, false),
                        col(w.risk_scenario, true),
                        col(w.risk_whole, true),
                    ],
                    rows,
                ));
            }
        }
    }

    fn cost(&mut self) {
        let w = self.w;
        if self.p.cost.is_none() && self.p.min_cost.is_none() {
            return;
        }
        self.push(Block::Section("cost", w.cost.to_string()));
        match &self.p.cost {
            None => {}
            Some(Err(why)) => self.unavailable(why),
            Some(Ok(v)) => self.cost_of(v),
        }
        let Some(m) = &self.p.min_cost else { return };
        let x = if m.from_margin {
            f4(m.min_score)
        } else {
            short(m.min_score)
        };
        self.push(Block::Heading(fill(w.cheapest, &[("x", &x)])));
        if m.from_margin {
            if let Some(s) = &self.d.recommend.stack {
                self.push(Block::Note(vec![text(format!(
                    "{x} = {}",
                    fill(
                        w.cheapest_margin,
                        &[
                            ("score", &f4(s.score)),
                            ("margin", &short(DEFAULT_COST_MARGIN))
                        ]
                    )
                ))]));
            }
        }
        match &m.answer {
            Err(why) => self.unavailable(why),
            Ok(r) => {
                let mc = r.min_cost.as_ref();
                match (&r.stack, mc.is_some_and(|m| m.reached)) {
                    (Some(s), true) => {
                        let mut parts = Vec::new();
                        for (i, id) in s.members.iter().enumerate() {
                            if i > 0 {
                                parts.push(text(" + "));
                            }
                            parts.push(code(id.clone()));
                        }
                        parts.push(text(": "));
                        parts.push(strong(format!(
                            "{} MB",
                            mb(mc.and_then(|m| m.cost_mb).unwrap_or(s.memory_mb))
                        )));
                        parts.push(text(format!(
                            ", {} {}; {}",
                            w.score_word,
                            f4(s.score),
                            w.cheapest_found
                        )));
                        if mc.is_some_and(|m| m.unknown_memory_used) {
                            parts.push(text(format!(" ({})", w.unknown_used)));
                        }
                        self.push(Block::Para(parts));
                    }
                    _ => {
                        let mut parts = vec![text(w.cheapest_none.to_string())];
                        if let Some(b) = mc.and_then(|m| m.best_reachable.as_ref()) {
                            parts.push(text(format!(" {}: ", w.best_reachable)));
                            parts.push(code(b.id.clone()));
                            parts.push(text(format!(", {} {}", w.score_word, f4(b.score))));
                        }
                        self.push(Block::Para(parts));
                    }
                }
                if let Some(m) = mc.filter(|m| !m.unknown_memory_excluded.is_empty()) {
                    self.push(Block::Note(vec![text(format!(
                        "{}: {}",
                        w.unknown_excluded,
                        m.unknown_memory_excluded.join(", ")
                    ))]));
                }
            }
        }
    }

    fn cost_of(&mut self, v: &CostView) {
        let w = self.w;
        self.push(Block::Para(vec![text(w.cost_intro)]));
        let mut footprint = vec![strong(format!("{} MB", mb(v.footprint.memory_mb)))];
        if !v.footprint.memory_unknown.is_empty() {
            footprint.push(text(format!(
                " ({} {})",
                w.memory_unknown,
                v.footprint.memory_unknown.join(", ")
            )));
        }
        self.push(Block::Cards(vec![
            Card {
                label: w.cost_model.to_string(),
                value: vec![strong(format!("{} MB", mb(v.cost_mb)))],
                detail: vec![text(self.names(&v.members))],
            },
            Card {
                label: w.footprint.to_string(),
                value: footprint,
                detail: Vec::new(),
            },
            Card {
                label: w.attribute_score.to_string(),
                value: vec![strong(f4(v.attribute.score))],
                detail: Vec::new(),
            },
        ]));
        let rows = v
            .weightings
            .iter()
            .map(|x| {
                let name = match x.weighting {
                    "reference" => w.weighting_reference,
                    "scenario" => w.weighting_scenario,
                    "technology" => w.weighting_technology,
                    other => other,
                };
                let mut cells = vec![t(name), t(mb(x.cost_mb))];
                if x.headline {
                    cells[0].parts.push(text(" "));
                    cells[0]
                        .parts
                        .push(Inline::Badge(Tone::Neutral, w.headline.to_string()));
                }
                Row {
                    cells,
                    strong: x.headline,
                }
            })
            .collect();
        self.push(table(
            vec![col(w.weighting, false), col(w.cost_mb, true)],
            rows,
        ));
        let a = &v.attribute;
        let terms = [
            (w.term_maturity, a.weights.maturity, a.terms.maturity),
            (w.term_latency, a.weights.latency, a.terms.latency),
            (w.term_memory, a.weights.memory, a.terms.memory),
            (
                w.term_compatibility,
                a.weights.compatibility,
                a.terms.compatibility,
            ),
        ];
        let mut rows: Vec<Row> = terms
            .iter()
            .map(|(name, weight, value)| row(vec![t(*name), t(short(*weight)), t(f4(*value))]))
            .collect();
        rows.push(Row {
            cells: vec![t(w.attribute_score), t("1"), t(f4(a.score))],
            strong: true,
        });
        self.push(table(
            vec![col(w.term, false), col(w.weight, true), col(w.value, true)],
            rows,
        ));
        self.notes(&v.notes);
    }

    fn deps(&mut self) {
        let w = self.w;
        let Some(part) = &self.p.deps else { return };
        self.push(Block::Section("dependencies", w.deps.to_string()));
        let v: &DepsCoverageView = match part {
            Err(why) => {
                self.unavailable(why);
                return;
            }
            Ok(v) => v,
        };
        self.push(Block::Para(vec![text(fill(
            w.deps_intro,
            &[("direction", v.direction), ("min_fit", &short(v.min_fit))],
        ))]));
        let (tone, word) = if v.covered {
            (Tone::Good, w.covered)
        } else {
            (Tone::Bad, w.not_covered)
        };
        self.push(Block::Para(vec![
            Inline::Badge(tone, word.to_string()),
            text(" "),
            text(v.summary.clone()),
        ]));
        let rows = v
            .required
            .iter()
            .map(|key| {
                let covered = !v.uncovered.iter().any(|u| u.concept == *key);
                let role = if v.weighed.contains(key) {
                    w.weighed
                } else {
                    w.dependency
                };
                let mut r = row(vec![
                    t(self.d.concept_symbol(key)),
                    t(self.d.concept_name(key)),
                    t(role),
                    t(f4(concept_value(&v.fit, key))),
                    Cell {
                        parts: vec![if covered {
                            Inline::Badge(Tone::Good, w.yes.to_string())
                        } else {
                            Inline::Badge(Tone::Bad, w.no.to_string())
                        }],
                    },
                ]);
                r.strong = !covered;
                r
            })
            .collect();
        self.push(table(
            vec![
                col(w.concept, false),
                col(w.name, false),
                col(w.role, false),
                col(w.fit, true),
                col(w.covered_col, false),
            ],
            rows,
        ));
        let items: Vec<Vec<Inline>> = v
            .uncovered
            .iter()
            .map(|u| {
                let chains: Vec<String> = u
                    .needed_by
                    .iter()
                    .map(|n| {
                        n.chain
                            .iter()
                            .map(|k| self.d.concept_symbol(k))
                            .collect::<Vec<_>>()
                            .join(" → ")
                    })
                    .collect();
                vec![
                    strong(format!("{} {}", self.d.concept_symbol(u.concept), u.name)),
                    text(format!(
                        " ({} {}) {} {}",
                        w.fit,
                        f4(u.fit),
                        w.needed_by,
                        chains.join("; ")
                    )),
                ]
            })
            .collect();
        if !items.is_empty() {
            self.push(Block::List(items));
        }
        for p in &v.stack_problems {
            self.push(Block::Note(vec![text(p.clone())]));
        }
    }

    fn migration(&mut self) {
        let w = self.w;
        let Some(m) = &self.p.migration else { return };
        self.push(Block::Section("migration", w.migration.to_string()));
        match m {
            MigrationPart::Path(v) => self.migration_path(v),
            MigrationPart::Compare(v) => self.migration_compare(v),
        }
    }

    fn migration_path(&mut self, v: &MigrateView) {
        let w = self.w;
        if v.from.id == v.to.id {
            self.push(Block::Para(vec![text(fill(
                w.same_chain,
                &[("from", &v.from.name)],
            ))]));
            return;
        }
        self.push(Block::Para(vec![text(fill(
            w.path_intro,
            &[
                ("from", &v.from.name),
                ("to", &v.to.name),
                (
                    "direct",
                    &v.direct.map_or_else(|| "–".to_string(), |d| trimmed(d, 4)),
                ),
            ],
        ))]));
        let path_cell = |p: &MigrationPathView| {
            let mut parts = Vec::new();
            for (i, n) in p.nodes.iter().enumerate() {
                if i > 0 {
                    let d = p.steps.get(i - 1).map_or(f64::NAN, |s| s.difficulty);
                    parts.push(text(format!(" →({}) ", trimmed(d, 4))));
                }
                parts.push(code(n.id.clone()));
            }
            Cell { parts }
        };
        let mut rows = Vec::new();
        if let Some(p) = &v.path {
            rows.push(Row {
                cells: vec![t(w.cheapest_path), path_cell(p), t(trimmed(p.total, 4))],
                strong: true,
            });
        }
        for p in &v.alternatives {
            rows.push(row(vec![
                t(w.alternative),
                path_cell(p),
                t(trimmed(p.total, 4)),
            ]));
        }
        self.push(table(
            vec![col("", false), col(w.path, false), col(w.total, true)],
            rows,
        ));
    }

    fn migration_compare(&mut self, v: &TransitionComparisonView) {
        let w = self.w;
        let opt = |x: Option<f64>| x.map_or_else(|| "–".to_string(), f4);
        self.push(Block::Para(vec![text(fill(
            w.compare_intro,
            &[
                ("tau", &opt(v.kendall_tau_b)),
                ("rho", &opt(v.spearman)),
                ("pairs", &v.pairs.to_string()),
            ],
        ))]));
        for (title, m, digits) in [(w.published, &v.published, 1), (w.derived, &v.derived, 4)] {
            self.push(Block::Heading(title.to_string()));
            let mut cols = vec![col(w.from_to, false)];
            cols.extend(v.chains.iter().map(|n| col(&n.id, true)));
            let rows = v
                .chains
                .iter()
                .zip(m.iter())
                .map(|(n, r)| {
                    let mut cells = vec![c(n.id.clone())];
                    cells.extend(r.iter().map(|x| t(fixed(*x, digits))));
                    row(cells)
                })
                .collect();
            self.push(table(cols, rows));
        }
        self.push(Block::Note(vec![
            text(format!("{}: ", w.rule)),
            code(v.rule.to_string()),
        ]));
        self.push(Block::Note(vec![
            text(w.give_from),
            code("stackmatrix report --from CHAIN"),
            text(w.give_from_after),
        ]));
    }

    fn adaptation(&mut self) {
        let w = self.w;
        let Some(v) = &self.p.adaptation else { return };
        self.push(Block::Section("adaptation", w.adaptation.to_string()));
        self.adaptation_of(v);
    }

    fn adaptation_of(&mut self, v: &AdaptView) {
        let w = self.w;
        let Some(to) = &v.to_scene else {
            self.push(Block::Para(vec![text(fill(
                w.adapt_targets_intro,
                &[("name", &v.subject.name), ("from", &v.from_scene.name)],
            ))]));
            let rows = v
                .targets
                .iter()
                .map(|x| {
                    row(vec![
                        t(x.rank.to_string()),
                        t(x.scene.name.clone()),
                        t(f4(x.overall)),
                        t(format!(
                            "{} {} ({})",
                            x.weakest.symbol,
                            x.weakest.name,
                            f4(x.weakest.adaptation)
                        )),
                    ])
                })
                .collect();
            self.push(table(
                vec![
                    col(w.rank, true),
                    col(w.scene, false),
                    col(w.overall, true),
                    col(w.weakest, false),
                ],
                rows,
            ));
            return;
        };
        let weakest = v.weakest.as_ref().map_or_else(
            || "–".to_string(),
            |x| format!("{} {} ({})", x.symbol, x.name, f4(x.adaptation)),
        );
        self.push(Block::Para(vec![text(fill(
            w.adapt_intro,
            &[
                ("name", &v.subject.name),
                ("from", &v.from_scene.name),
                ("to", &to.name),
                ("alpha", &short(v.alpha)),
                ("beta", &short(v.beta)),
                ("overall", &v.overall.map_or_else(|| "–".to_string(), f4)),
                ("weakest", &weakest),
            ],
        ))]));
        let rows = v
            .concepts
            .iter()
            .map(|x| {
                let mut r = row(vec![
                    t(x.symbol),
                    t(x.name.clone()),
                    t(format!(
                        "{} → {}",
                        fixed(x.maturity[0], 2),
                        fixed(x.maturity[1], 2)
                    )),
                    t(format!(
                        "{} → {}",
                        fixed(x.compatibility[0], 2),
                        fixed(x.compatibility[1], 2)
                    )),
                    t(f4(x.adaptation)),
                ]);
                r.strong = v.weakest.as_ref().is_some_and(|k| k.key == x.key);
                r
            })
            .collect();
        self.push(table(
            vec![
                col(w.concept, false),
                col(w.name, false),
                col(w.maturity, true),
                col(w.compatibility, true),
                col(w.adaptation_col, true),
            ],
            rows,
        ));
    }

    fn theta(&mut self) {
        let (w, p) = (self.w, self.p);
        self.push(Block::Section("theta", w.theta.to_string()));
        match (p.theta_learned, &p.theta) {
            (true, Some(theta)) => {
                let values: Vec<String> = Concept::ALL
                    .iter()
                    .map(|c| format!("{}={}", c.symbol(), trimmed(theta[c.index()], 4)))
                    .collect();
                self.push(Block::Para(vec![text(fill(
                    w.theta_learned,
                    &[("theta", &values.join(" "))],
                ))]));
            }
            _ => self.push(Block::Para(vec![text(w.theta_default)])),
        }
        let cal = &p.calibration;
        self.push(Block::Heading(w.calibration.to_string()));
        self.push(Block::Para(vec![text(fill(
            w.calibration_intro,
            &[
                ("n", &cal.figures.len().to_string()),
                ("default", &f4(cal.rms_default)),
                ("calibrated", &f4(cal.rms_calibrated)),
                (
                    "kkt",
                    if cal.kkt_verified {
                        w.kkt_yes
                    } else {
                        w.kkt_no
                    },
                ),
            ],
        ))]));
        let id = self.d.rank.scenario.id.clone();
        let mine: Vec<_> = cal
            .figures
            .iter()
            .filter(|f| id.as_ref().is_none_or(|id| f.scenario == *id))
            .collect();
        if !mine.is_empty() {
            self.push(Block::Para(vec![text(if id.is_some() {
                w.figures_scenario
            } else {
                w.figures_all
            })]));
            let mut cols = Vec::new();
            if id.is_none() {
                cols.push(col(w.id, false));
            }
            cols.extend([
                col(w.chain, false),
                col(w.claimed, true),
                col(w.computed, true),
                col(w.residual, true),
                col(w.calibrated, true),
                col(w.residual, true),
            ]);
            let rows = mine
                .iter()
                .map(|f| {
                    let mut cells = Vec::new();
                    if id.is_none() {
                        cells.push(c(f.scenario.clone()));
                    }
                    cells.extend([
                        t(f.label.clone()),
                        t(short(f.claimed)),
                        t(f4(f.computed_default)),
                        t(signed4(f.residual_default)),
                        t(f4(f.computed_calibrated)),
                        t(signed4(f.residual_calibrated)),
                    ]);
                    row(cells)
                })
                .collect();
            self.push(table(cols, rows));
        }
        let weights: Vec<String> = cal
            .weights
            .iter()
            .map(|x| {
                format!(
                    "{}={}",
                    self.d.concept_symbol(x.concept),
                    fixed(x.weight, 4)
                )
            })
            .collect();
        self.push(Block::Note(vec![text(format!(
            "{}: {}",
            w.calibrated_weights,
            weights.join(" ")
        ))]));
        let skipped: Vec<String> = cal
            .skipped
            .iter()
            .filter(|s| id.as_ref().is_none_or(|id| s.scenario == *id))
            .map(|s| format!("{} ({})", s.label, s.reason))
            .collect();
        if !skipped.is_empty() {
            self.push(Block::Note(vec![text(format!(
                "{}: {}",
                w.skipped,
                skipped.join("; ")
            ))]));
        }
        self.push(Block::Note(vec![text(cal.note.clone())]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_trimmed_after_rounding() {
        assert_eq!(trimmed(0.1 + 0.2, 4), "0.3");
        assert_eq!(trimmed(0.6000000000000001, 4), "0.6");
        assert_eq!(trimmed(10.0, 4), "10");
        assert_eq!(trimmed(0.0, 4), "0");
        assert_eq!(trimmed(-0.00001, 4), "0");
        assert_eq!(mb(2353.4800000000005), "2353.48");
        assert_eq!(mb(301.3), "301.3");
        assert_eq!(mb(275.0), "275");
    }

    #[test]
    fn both_languages_fill_the_same_holes() {
        let holes = |w: &PlanWords| {
            let mut out = Vec::new();
            for phrase in [
                w.risk_intro,
                w.cheapest,
                w.cheapest_margin,
                w.deps_intro,
                w.path_intro,
                w.same_chain,
                w.compare_intro,
                w.adapt_intro,
                w.adapt_targets_intro,
                w.theta_learned,
                w.calibration_intro,
            ] {
                let mut names: Vec<&str> = phrase
                    .split('{')
                    .skip(1)
                    .filter_map(|s| s.split_once('}').map(|(n, _)| n))
                    .collect();
                names.sort_unstable();
                out.push(names);
            }
            out
        };
        assert_eq!(holes(&EN), holes(&ZH));
    }
}
