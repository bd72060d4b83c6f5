//! The report as a document: headings, paragraphs, tables, cards and chart slots, built once
//! from [`ReportData`] and written out by the HTML and the Markdown renderers alike, so both
//! formats hold the same tables. Nothing here computes: every figure is a view's, formatted.

use crate::words::{fill, verdict, words, Words};
use crate::ReportData;
use stackmatrix_api::numbers::{fixed, short};
use stackmatrix_api::views::{
    CaseReportView, ClaimLineView, CompareView, ConceptValues, ExplainView, RecommendView,
    RobustnessView, StackView,
};
use stackmatrix_model::Concept;

/// How a badge reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    Good,
    Warn,
    Bad,
    Neutral,
}

/// A piece of text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Inline {
    Text(String),
    Code(String),
    Strong(String),
    Badge(Tone, String),
}

/// A table cell.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cell {
    pub parts: Vec<Inline>,
}

/// A column heading; numeric columns are right-aligned.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Col {
    pub title: String,
    pub num: bool,
}

/// A table row; a strong row is highlighted.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    pub cells: Vec<Cell>,
    pub strong: bool,
}

/// A table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    pub cols: Vec<Col>,
    pub rows: Vec<Row>,
}

/// A figure at a glance.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Card {
    pub label: String,
    pub value: Vec<Inline>,
    pub detail: Vec<Inline>,
}

/// The charts of the HTML report; Markdown leaves them out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Chart {
    /// The ranking as bars, with the seed's claimed scores as markers.
    Ranking,
    /// Per-concept fit of the winner against the best alternative.
    Radar,
    /// The winner's 12 × 6 maturity matrix.
    Matrix,
    /// Per-concept fit of the recommended stack and the next best (or of each environment).
    Stacks,
    /// Rank acceptability as stacked bars, one per chain.
    Acceptability,
}

/// One block of the document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    /// A top-level section: its anchor and heading.
    Section(&'static str, String),
    /// A heading within a section.
    Heading(String),
    Para(Vec<Inline>),
    /// A muted remark.
    Note(Vec<Inline>),
    List(Vec<Vec<Inline>>),
    Table(Table),
    Cards(Vec<Card>),
    Charts(Vec<Chart>),
    /// The provenance line.
    Provenance(String),
}

/// The whole document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Doc {
    pub title: String,
    pub meta: Vec<Vec<Inline>>,
    pub blocks: Vec<Block>,
    pub footer: Vec<Inline>,
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

fn cell(parts: Vec<Inline>) -> Cell {
    Cell { parts }
}

fn t(s: impl Into<String>) -> Cell {
    cell(vec![text(s)])
}

fn c(s: impl Into<String>) -> Cell {
    cell(vec![code(s)])
}

fn col(title: impl Into<String>, num: bool) -> Col {
    Col {
        title: title.into(),
        num,
    }
}

/// A score or fit to 4 decimals.
pub(crate) fn f4(x: f64) -> String {
    fixed(x, 4)
}

fn opt4(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_string(), f4)
}

/// A count with its thousands separated by commas (`20,000`).
pub(crate) fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
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

fn tone_of(verdict: &str) -> Tone {
    match verdict {
        "agrees" | "supported" => Tone::Good,
        "model lower" | "model higher" => Tone::Warn,
        "contradicted" => Tone::Bad,
        _ => Tone::Neutral,
    }
}

/// `k3s + wasmedge` as code pieces.
fn ids(members: &[String]) -> Vec<Inline> {
    let mut out = Vec::new();
    for (i, m) in members.iter().enumerate() {
        if i > 0 {
            out.push(text(" + "));
        }
        out.push(code(m.clone()));
    }
    if out.is_empty() {
        out.push(text("–"));
    }
    out
}

/// A seed claim as the ranking's claim column writes it: `9.2 (#1)`.
pub(crate) fn claim_text(c: &ClaimLineView) -> String {
    match (c.claimed_score, c.claimed_rank) {
        (Some(s), Some(r)) => format!("{} (#{r})", short(s)),
        (Some(s), None) => short(s),
        (None, Some(r)) => format!("#{r}"),
        (None, None) => "–".into(),
    }
}

/// The document of a report.
pub(crate) fn build(d: &ReportData) -> Doc {
    let w = words(d.lang);
    let mut b = Builder {
        d,
        w,
        blocks: Vec::new(),
    };
    b.blocks.push(Block::Provenance(w.provenance.to_string()));
    b.summary();
    b.ranking();
    if let Some(x) = &d.rank.explanation {
        b.explanation(x);
    }
    b.recommendation(&d.recommend);
    b.cases();
    b.audit();
    if let Some(c) = &d.methods {
        b.methods(c);
    }
    if let Some(r) = &d.robustness {
        b.robustness(r);
    }
    b.blocks.extend(crate::planning_doc::blocks(d));
    Doc {
        title: format!(
            "{}{}{}",
            w.title,
            if d.lang == stackmatrix_model::Lang::Zh {
                "："
            } else {
                ": "
            },
            d.scenario_title()
        ),
        meta: meta(d, w),
        blocks: b.blocks,
        footer: vec![
            text(format!("{}: ", w.generated_by)),
            code(d.generated_by.clone()),
            text(format!(" · {}", w.provenance)),
        ],
    }
}

/// The lines under the title: the scene vector, time slice and weights; features and required
/// capabilities of a knowledge-base scenario.
fn meta(d: &ReportData, w: &Words) -> Vec<Vec<Inline>> {
    let s = &d.rank.scenario;
    let vector: Vec<String> = d
        .scenes
        .iter()
        .filter(|sc| s.vector.get(sc.index).is_some_and(|v| *v > 0.0))
        .map(|sc| format!("{} {}", sc.key, short(s.vector[sc.index])))
        .collect();
    let mut line = format!(
        "{}: {} · {} {} · ",
        w.scene_vector,
        vector.join(", "),
        w.time_slice,
        s.time
    );
    if s.weights.iter().all(|x| *x == s.weights[0]) {
        line.push_str(w.weights_equal);
    } else {
        let parts: Vec<String> = d
            .concepts
            .iter()
            .map(|c| format!("{}={}", c.symbol, short(s.weights[c.index])))
            .collect();
        line.push_str(&format!("{} {}", w.weights, parts.join(" ")));
    }
    if s.normalised {
        line.push_str(&format!(
            " ({})",
            fill(w.normalised, &[("sum", &short(s.input_sum))])
        ));
    }
    let mut out = vec![vec![text(line)]];
    if let Some(l) = &d.scenario {
        if !l.features.is_empty() {
            out.push(vec![text(format!(
                "{}: {}",
                w.features,
                l.features.join("; ")
            ))]);
        }
        if !l.required_capabilities.is_empty() {
            let mut parts = vec![text(format!("{}: ", w.required_caps))];
            for (i, cap) in l.required_capabilities.iter().enumerate() {
                if i > 0 {
                    parts.push(text(", "));
                }
                parts.push(code(cap.clone()));
            }
            out.push(parts);
        }
    }
    out
}

struct Builder<'a> {
    d: &'a ReportData,
    w: &'static Words,
    blocks: Vec<Block>,
}

impl Builder<'_> {
    fn push(&mut self, b: Block) {
        self.blocks.push(b);
    }

    fn names(&self, members: &[String]) -> String {
        members
            .iter()
            .map(|m| self.d.tech_name(m))
            .collect::<Vec<_>>()
            .join(" + ")
    }

    fn summary(&mut self) {
        let (d, w) = (self.d, self.w);
        self.push(Block::Section("summary", w.summary.to_string()));
        let mut cards = Vec::new();
        if let Some(top) = d.rank.ranking.first() {
            cards.push(Card {
                label: w.top_chain.to_string(),
                value: vec![strong(top.name.clone()), text(" "), code(top.id.clone())],
                detail: vec![text(fill(
                    w.rank_of,
                    &[
                        (
                            "rank",
                            &format!("{}{}", if top.tied { "=" } else { "" }, top.rank),
                        ),
                        ("of", &d.rank.ranking.len().to_string()),
                        ("score", &f4(top.score)),
                    ],
                ))],
            });
        }
        let label = if d.recommend.environments.is_some() {
            w.plan
        } else {
            w.recommended_stack
        };
        cards.push(match &d.recommend.stack {
            // A plan of many members is told by its size; the plan's table names them.
            Some(s) if s.members.len() > 4 => Card {
                label: label.to_string(),
                value: vec![strong(fill(
                    w.n_members,
                    &[("n", &s.members.len().to_string())],
                ))],
                detail: vec![text(format!("{} {}", w.score, f4(s.score)))],
            },
            Some(s) => Card {
                label: label.to_string(),
                value: vec![strong(self.names(&s.members))],
                detail: vec![text(format!("{} {}", w.score, f4(s.score)))],
            },
            None => Card {
                label: label.to_string(),
                value: vec![text(w.none_feasible)],
                detail: Vec::new(),
            },
        });
        if let Some(c) = &d.recommend.claims {
            let labels: Vec<&str> = c.members.iter().map(|m| m.label.as_str()).collect();
            let detail = match (c.score, c.problems.is_empty()) {
                (Some(s), true) => format!("{} {}", w.score, f4(s)),
                _ => w.not_a_stack.to_string(),
            };
            cards.push(Card {
                label: w.seed_stack.to_string(),
                value: vec![strong(labels.join(" + "))],
                detail: vec![text(detail)],
            });
        }
        if let Some(a) = &d.audit {
            let value = match a.top1_agrees {
                Some(true) => w.agrees,
                Some(false) => w.differs,
                None => w.not_comparable,
            };
            let detail = a
                .kendall_tau
                .map(|k| format!("{} {} ({} {})", w.kendall, f4(k), a.compared, w.compared))
                .unwrap_or_default();
            cards.push(Card {
                label: w.audit_top1.to_string(),
                value: vec![strong(value)],
                detail: vec![text(detail)],
            });
        }
        self.push(Block::Cards(cards));
    }

    fn ranking(&mut self) {
        let (d, w) = (self.d, self.w);
        self.push(Block::Section("ranking", w.ranking.to_string()));
        self.push(Block::Para(vec![text(w.ranking_intro)]));
        self.push(Block::Charts(vec![Chart::Ranking]));
        let claims = d.rank.claims.as_ref().filter(|c| !c.ranking.is_empty());
        let mut cols = vec![
            col(w.rank, true),
            col(w.id, false),
            col(w.technology, false),
            col(w.score, true),
        ];
        if claims.is_some() {
            cols.push(col(w.seed_claims, true));
            cols.push(col(w.difference, true));
        }
        let mut rows = Vec::new();
        for e in &d.rank.ranking {
            let rank = if e.tied {
                format!("={}", e.rank)
            } else {
                e.rank.to_string()
            };
            let mut cells = vec![t(rank), c(e.id.clone()), t(e.name.clone()), t(f4(e.score))];
            if let Some(claims) = claims {
                let line = claims
                    .ranking
                    .iter()
                    .find(|l| l.tech.as_deref() == Some(e.id.as_str()));
                cells.push(t(line.map_or_else(|| "–".into(), claim_text)));
                cells.push(t(line
                    .and_then(|l| l.difference)
                    .map_or_else(|| "–".into(), signed4)));
            }
            rows.push(Row {
                cells,
                strong: e.rank == 1,
            });
        }
        self.push(Block::Table(Table { cols, rows }));
        if d.rank.ranking.iter().any(|e| e.tied) {
            self.push(Block::Note(vec![text(w.tie_note)]));
        }
        if let Some(claims) = &d.rank.claims {
            let missing: Vec<Vec<Inline>> = claims
                .ranking
                .iter()
                .filter(|l| l.computed_rank.is_none())
                .map(|l| {
                    vec![
                        strong(l.label.clone()),
                        text(format!(": {} — {}", claim_text(l), w.not_in_kb)),
                    ]
                })
                .collect();
            if !missing.is_empty() {
                self.push(Block::Para(vec![text(format!("{}:", w.not_ranked_claims))]));
                self.push(Block::List(missing));
            }
            self.push(Block::Note(vec![text(format!(
                "{}: {}",
                w.claims_source, claims.source
            ))]));
        }
    }

    fn explanation(&mut self, x: &ExplainView) {
        let w = self.w;
        let title = fill(
            if x.tech.tied { w.why_tied } else { w.why },
            &[("name", &x.tech.name)],
        );
        self.push(Block::Section("explanation", title));
        let mut para = vec![
            strong(x.tech.name.clone()),
            text(" "),
            code(x.tech.id.clone()),
            text(format!(
                ": {}. ",
                fill(
                    w.rank_of,
                    &[
                        (
                            "rank",
                            &format!("{}{}", if x.tech.tied { "=" } else { "" }, x.tech.rank)
                        ),
                        ("of", &x.of.to_string()),
                        ("score", &f4(x.tech.score)),
                    ],
                )
            )),
        ];
        match &x.alternative {
            Some(a) => {
                para.push(text(format!("{}: ", w.best_alternative)));
                para.push(strong(a.name.clone()));
                para.push(text(" "));
                para.push(code(a.id.clone()));
                para.push(text(format!(
                    ", {}.",
                    fill(
                        w.rank_of,
                        &[
                            (
                                "rank",
                                &format!("{}{}", if a.tied { "=" } else { "" }, a.rank)
                            ),
                            ("of", &x.of.to_string()),
                            ("score", &f4(a.score)),
                        ],
                    )
                )));
            }
            None => para.push(text(format!(
                "{}: {}.",
                w.best_alternative, w.no_alternative
            ))),
        }
        self.push(Block::Para(para));
        let mut charts = Vec::new();
        if x.alternative.is_some() {
            charts.push(Chart::Radar);
        }
        if self.d.matrix.is_some() {
            charts.push(Chart::Matrix);
        }
        if !charts.is_empty() {
            self.push(Block::Charts(charts));
        }
        let mut cols = vec![
            col(w.concept, false),
            col(w.name, false),
            col(w.fit, true),
            col(w.weight, true),
            col(w.contribution, true),
        ];
        if let Some(a) = &x.alternative {
            cols.push(col(fill(w.alternative_fit, &[("name", &a.name)]), true));
            cols.push(col(w.delta, true));
        }
        let rows = x
            .concepts
            .iter()
            .map(|cs| {
                let mut cells = vec![
                    t(self.d.concept_symbol(cs.concept)),
                    t(cs.name.clone()),
                    t(f4(cs.fit)),
                    t(short(cs.weight)),
                    t(f4(cs.contribution)),
                ];
                if x.alternative.is_some() {
                    cells.push(t(opt4(cs.alternative_fit)));
                    cells.push(t(cs.score_delta.map_or_else(|| "–".into(), signed4)));
                }
                Row {
                    cells,
                    strong: false,
                }
            })
            .collect();
        self.push(Block::Table(Table { cols, rows }));
        if x.alternative.is_some() {
            let list = |keys: &[&str]| -> String {
                if keys.is_empty() {
                    return w.none.to_string();
                }
                keys.iter()
                    .map(|k| format!("{} {}", self.d.concept_symbol(k), self.d.concept_name(k)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            self.push(Block::List(vec![
                vec![strong(w.leads_in), text(format!(": {}", list(&x.leads)))],
                vec![strong(w.trails_in), text(format!(": {}", list(&x.trails)))],
            ]));
        }
    }

    fn constraints_line(&self, v: &RecommendView) -> Vec<Inline> {
        let cs = &v.constraints;
        let mut parts = vec![format!("max-size {}", cs.max_size)];
        if let Some(b) = cs.budget_mb {
            parts.push(format!("budget-mb {}", short(b)));
        }
        for r in &cs.require {
            parts.push(format!("require {r}"));
        }
        for i in &cs.include {
            parts.push(format!("include {i}"));
        }
        for e in &cs.exclude {
            parts.push(format!("exclude {e}"));
        }
        vec![
            strong(format!("{}: ", self.w.constraints)),
            text(parts.join(" · ")),
        ]
    }

    fn memory_text(&self, s: &StackView) -> String {
        let mut m = format!("{} MB", short(s.memory_mb));
        if !s.memory_unknown.is_empty() {
            m.push_str(&format!(
                " ({} {})",
                self.w.memory_unknown,
                s.memory_unknown.join(", ")
            ));
        }
        m
    }

    fn recommendation(&mut self, v: &RecommendView) {
        let (d, w) = (self.d, self.w);
        self.push(Block::Section("stack", w.stack_section.to_string()));
        self.push(Block::Para(self.constraints_line(v)));
        if let Some(envs) = &v.environments {
            self.push(Block::Heading(w.environments.to_string()));
            self.push(Block::Para(vec![text(w.environments_intro)]));
            let rows = envs
                .iter()
                .map(|e| Row {
                    cells: vec![
                        cell(vec![
                            code(e.scene),
                            text(format!(" {}", d.scene_name(e.scene))),
                        ]),
                        t(short(e.weight)),
                        match &e.stack {
                            Some(s) => cell(ids(&s.members)),
                            None => t(w.none_feasible),
                        },
                        t(e.stack.as_ref().map_or_else(|| "–".into(), |s| f4(s.score))),
                        t(opt4(e.score_with_shared)),
                    ],
                    strong: false,
                })
                .collect();
            self.push(Block::Table(Table {
                cols: vec![
                    col(w.scene, false),
                    col(w.weight, true),
                    col(w.sub_stack, false),
                    col(w.score, true),
                    col(w.with_shared, true),
                ],
                rows,
            }));
            let mut shared = vec![strong(format!("{}: ", w.shared_layers))];
            match &v.shared {
                Some(s) => {
                    shared.extend(ids(&s.members));
                    shared.push(text(format!(
                        " ({})",
                        fill(
                            w.shared_brings,
                            &[
                                ("caps", &s.required.join(", ")),
                                ("compared", &s.compared.to_string())
                            ]
                        )
                    )));
                }
                None => shared.push(text(w.shared_none)),
            }
            self.push(Block::Para(shared));
            if let Some(s) = &v.stack {
                self.push(Block::Para(vec![strong(fill(
                    w.whole_plan,
                    &[
                        ("members", &s.members.len().to_string()),
                        ("score", &f4(s.score)),
                    ],
                ))]));
            }
            self.push(Block::Charts(vec![Chart::Stacks]));
        } else {
            match &v.stack {
                Some(s) => {
                    let rows = s
                        .members
                        .iter()
                        .map(|m| {
                            let tech = d.techs.iter().find(|t| t.id == *m);
                            Row {
                                cells: vec![
                                    c(m.clone()),
                                    t(d.tech_name(m)),
                                    t(tech.map_or("–", |t| t.kind)),
                                    t(tech.map_or_else(String::new, |t| t.roles.join(", "))),
                                ],
                                strong: false,
                            }
                        })
                        .collect();
                    self.push(Block::Table(Table {
                        cols: vec![
                            col(w.member, false),
                            col(w.name, false),
                            col(w.kind, false),
                            col(w.roles, false),
                        ],
                        rows,
                    }));
                    self.push(Block::Para(vec![
                        strong(format!("{} {}", w.score, f4(s.score))),
                        text(format!(" · {}: {}", w.memory, self.memory_text(s))),
                    ]));
                }
                None => self.push(Block::Para(vec![strong(w.none_feasible)])),
            }
            if let Some(sv) = &v.search {
                self.push(Block::Note(vec![text(fill(
                    w.proven_optimal,
                    &[
                        ("candidates", &sv.candidates.to_string()),
                        ("nodes", &sv.nodes.to_string()),
                        ("pruned", &sv.pruned.to_string()),
                        ("feasible", &sv.feasible.to_string()),
                    ],
                ))]));
            }
            if v.stack.is_some() {
                self.push(Block::Charts(vec![Chart::Stacks]));
            }
            self.gains(v);
            self.constraint_effects(v);
            self.alternatives(v);
        }
        self.seed_stack(v);
        if !v.notes.is_empty() {
            self.push(Block::Heading(w.notes.to_string()));
            self.push(Block::List(
                v.notes.iter().map(|n| vec![text(n.clone())]).collect(),
            ));
        }
    }

    fn gains(&mut self, v: &RecommendView) {
        let w = self.w;
        if v.gains.is_empty() {
            return;
        }
        self.push(Block::Heading(w.gains.to_string()));
        self.push(Block::Note(vec![text(w.gains_intro)]));
        let mut cols = vec![col(w.member, false), col(w.total, true)];
        cols.extend(Concept::ALL.iter().map(|c| col(c.symbol(), true)));
        cols.push(col(w.needed_for, false));
        let rows = v
            .gains
            .iter()
            .map(|g| {
                let mut cells = vec![c(g.id.clone()), t(opt4(g.total))];
                for k in Concept::ALL {
                    cells.push(t(match &g.per_concept {
                        Some(ConceptValues(p)) if p[k.index()].abs() >= 5e-5 => f4(p[k.index()]),
                        Some(_) => "·".into(),
                        None => "–".into(),
                    }));
                }
                cells.push(t(g.needed_for.join("; ")));
                Row {
                    cells,
                    strong: false,
                }
            })
            .collect();
        self.push(Block::Table(Table { cols, rows }));
    }

    fn constraint_effects(&mut self, v: &RecommendView) {
        let w = self.w;
        if v.constraint_effects.is_empty() {
            return;
        }
        self.push(Block::Heading(w.constraints.to_string()));
        let rows = v
            .constraint_effects
            .iter()
            .map(|e| {
                let badge = if e.binds {
                    Inline::Badge(Tone::Warn, w.binds.into())
                } else {
                    Inline::Badge(Tone::Good, w.does_not_bind.into())
                };
                let relaxed = match (&e.relaxed_best, e.binds) {
                    (Some(r), true) => {
                        let mut parts = ids(&r.members);
                        parts.push(text(format!(" {}", f4(r.score))));
                        cell(parts)
                    }
                    _ => t("–"),
                };
                Row {
                    cells: vec![c(e.constraint.clone()), cell(vec![badge]), relaxed],
                    strong: false,
                }
            })
            .collect();
        self.push(Block::Table(Table {
            cols: vec![
                col(w.constraint, false),
                col(w.verdict, false),
                col(w.relaxed_best, false),
            ],
            rows,
        }));
    }

    fn alternatives(&mut self, v: &RecommendView) {
        let w = self.w;
        if v.alternatives.is_empty() {
            return;
        }
        self.push(Block::Heading(w.alternatives.to_string()));
        let rows = v
            .alternatives
            .iter()
            .enumerate()
            .map(|(i, s)| Row {
                cells: vec![
                    t((i + 2).to_string()),
                    cell(ids(&s.members)),
                    t(f4(s.score)),
                    t(s.members.len().to_string()),
                    t(self.memory_text(s)),
                ],
                strong: false,
            })
            .collect();
        self.push(Block::Table(Table {
            cols: vec![
                col("#", true),
                col(w.stack, false),
                col(w.score, true),
                col(w.members, true),
                col(w.memory, false),
            ],
            rows,
        }));
    }

    fn seed_stack(&mut self, v: &RecommendView) {
        let w = self.w;
        let Some(cl) = &v.claims else {
            return;
        };
        self.push(Block::Heading(w.seed_stack_section.to_string()));
        let rows = cl
            .members
            .iter()
            .map(|m| Row {
                cells: vec![
                    t(m.label.clone()),
                    match &m.tech {
                        Some(id) => c(id.clone()),
                        None => cell(vec![Inline::Badge(Tone::Neutral, w.not_in_kb.into())]),
                    },
                ],
                strong: false,
            })
            .collect();
        self.push(Block::Table(Table {
            cols: vec![col(w.member, false), col(w.id, false)],
            rows,
        }));
        let mut para = Vec::new();
        match (cl.score, cl.problems.is_empty()) {
            (Some(s), true) => {
                para.push(strong(fill(w.seed_scores, &[("score", &f4(s))])));
                match cl.difference {
                    // Equal to the 4 decimals shown: "0.0000 higher" would read oddly.
                    Some(diff) if f4(diff.abs()) == f4(0.0) => {
                        para.push(text(format!("; {}", w.seed_same_score)));
                    }
                    Some(diff) => para.push(text(format!(
                        "; {}",
                        fill(w.seed_higher, &[("diff", &f4(diff))])
                    ))),
                    None => {}
                }
                if cl.same_as_recommended {
                    para.push(text(format!(" ({})", w.same_members)));
                }
                para.push(text("."));
            }
            _ => {
                para.push(Inline::Badge(Tone::Bad, w.not_a_stack.into()));
                para.push(text(format!(": {}", cl.problems.join("; "))));
            }
        }
        self.push(Block::Para(para));
        self.push(Block::Note(vec![text(format!(
            "{}: {}",
            w.claims_source, cl.source
        ))]));
    }

    fn cases(&mut self) {
        let (d, w) = (self.d, self.w);
        self.push(Block::Section("cases", w.cases.to_string()));
        if d.rank.scenario.id.is_none() {
            self.push(Block::Note(vec![text(w.cases_all)]));
        }
        if d.cases.is_empty() {
            self.push(Block::Para(vec![text(w.cases_none)]));
        }
        for case in &d.cases {
            self.case(case);
        }
    }

    fn case(&mut self, r: &CaseReportView) {
        let (d, w) = (self.d, self.w);
        self.push(Block::Heading(format!("{} ({})", r.name, r.case)));
        let mut para = vec![strong(format!("{}: ", w.members))];
        para.extend(ids(&r.members));
        para.push(text(format!(" · {} {}", w.score, opt4(r.score))));
        if d.rank.scenario.id.is_none() {
            para.push(text(format!(" · {} ", w.case_scenario)));
            para.push(code(r.scenario.clone()));
        }
        if !r.not_in_knowledge_base.is_empty() {
            para.push(text(format!(
                " · {}: {}",
                w.not_in_kb,
                r.not_in_knowledge_base.join(", ")
            )));
        }
        self.push(Block::Para(para));
        if !r.problems.is_empty() {
            self.push(Block::Para(vec![strong(format!("{}:", w.problems))]));
            self.push(Block::List(
                r.problems.iter().map(|p| vec![text(p.clone())]).collect(),
            ));
        }
        if !r.environments.is_empty() {
            let rows = r
                .environments
                .iter()
                .map(|e| Row {
                    cells: vec![
                        cell(vec![
                            code(e.scene),
                            text(format!(" {}", d.scene_name(e.scene))),
                        ]),
                        cell(ids(&e.members)),
                        t(opt4(e.score)),
                        t(e.problems.join("; ")),
                    ],
                    strong: false,
                })
                .collect();
            self.push(Block::Table(Table {
                cols: vec![
                    col(w.scene, false),
                    col(w.members, false),
                    col(w.score, true),
                    col(w.problems, false),
                ],
                rows,
            }));
        }
        if !r.uncovered_scenes.is_empty() {
            let mut parts = vec![text(format!("{}: ", w.uncovered))];
            for (i, s) in r.uncovered_scenes.iter().enumerate() {
                if i > 0 {
                    parts.push(text(", "));
                }
                parts.push(code(*s));
            }
            self.push(Block::Note(parts));
        }
        if !r.maturity.is_empty() {
            let rows = r
                .maturity
                .iter()
                .map(|m| Row {
                    cells: vec![
                        t(format!(
                            "{} {}",
                            d.concept_symbol(m.concept),
                            d.concept_name(m.concept)
                        )),
                        t(f4(m.claimed)),
                        t(opt4(m.model)),
                        cell(vec![Inline::Badge(
                            tone_of(m.verdict),
                            verdict(d.lang, m.verdict).to_string(),
                        )]),
                        t(m.note.clone()),
                    ],
                    strong: false,
                })
                .collect();
            self.push(Block::Table(Table {
                cols: vec![
                    col(w.maturity_claims, false),
                    col(w.claimed, true),
                    col(w.model, true),
                    col(w.verdict, false),
                    col(w.note, false),
                ],
                rows,
            }));
        }
        if !r.indicators.is_empty() {
            let rows = r
                .indicators
                .iter()
                .map(|i| Row {
                    cells: vec![
                        t(i.name.clone()),
                        t(i.claim.clone()),
                        t(i.figure
                            .map_or_else(|| "–".into(), |f| format!("{} {}", short(f), i.unit))),
                        cell(vec![Inline::Badge(
                            tone_of(i.verdict),
                            verdict(d.lang, i.verdict).to_string(),
                        )]),
                        t(i.reason.clone()),
                    ],
                    strong: false,
                })
                .collect();
            self.push(Block::Table(Table {
                cols: vec![
                    col(w.indicator_claims, false),
                    col(w.claim, false),
                    col(w.figure, true),
                    col(w.verdict, false),
                    col(w.reason, false),
                ],
                rows,
            }));
        }
    }

    fn audit(&mut self) {
        let w = self.w;
        let Some(a) = &self.d.audit else {
            return;
        };
        self.push(Block::Section("audit", w.audit.to_string()));
        self.push(Block::Para(vec![text(a.summary.clone())]));
        let yes_no = |b: bool| if b { w.yes } else { w.no };
        let mut rows = vec![
            (
                w.top1.to_string(),
                vec![text(a.top1_agrees.map_or(w.not_comparable, yes_no))],
            ),
            (
                w.kendall.to_string(),
                vec![text(match a.kendall_tau {
                    Some(k) => format!("{} ({} {})", f4(k), a.compared, w.compared),
                    None => "–".into(),
                })],
            ),
            (
                w.largest_gap.to_string(),
                vec![text(a.largest_gap.as_ref().map_or_else(
                    || "–".into(),
                    |g| format!("{} {}", g.label, signed4(g.difference)),
                ))],
            ),
        ];
        if let Some(s) = &a.stack {
            let mut documented = vec![text(s.claimed_labels.join(" + "))];
            match (s.claimed_score, s.claimed_problems.is_empty()) {
                (Some(x), true) => documented.push(text(format!(" · {} {}", w.score, f4(x)))),
                _ => documented.push(text(format!(
                    " · {}: {}",
                    w.not_a_stack,
                    s.claimed_problems.join("; ")
                ))),
            }
            rows.push((w.documented_stack.to_string(), documented));
            let mut rec = ids(&s.recommended_members);
            rec.push(text(format!(
                " · {} {}",
                w.score,
                opt4(s.recommended_score)
            )));
            rows.push((w.recommended_stack.to_string(), rec));
            rows.push((w.overlap.to_string(), vec![text(f4(s.jaccard))]));
        }
        self.push(Block::Table(Table {
            cols: vec![col(w.item, false), col(w.value, false)],
            rows: rows
                .into_iter()
                .map(|(k, v)| Row {
                    cells: vec![t(k), cell(v)],
                    strong: false,
                })
                .collect(),
        }));
        self.push(Block::Note(vec![text(format!(
            "{}: {}",
            w.claims_source, a.source
        ))]));
    }

    fn methods(&mut self, c: &CompareView) {
        let w = self.w;
        self.push(Block::Section("methods", w.methods.to_string()));
        self.push(Block::Para(vec![text(w.methods_intro)]));
        let name = |spec: &str| {
            c.methods
                .iter()
                .find(|m| m.method == spec)
                .map_or_else(|| spec.to_string(), |m| m.name.to_uppercase())
        };
        self.push(Block::Heading(w.ranks_by_method.to_string()));
        let mut cols = vec![col(w.id, false), col(w.technology, false)];
        cols.extend(c.methods.iter().map(|m| col(m.name.to_uppercase(), true)));
        let rows = c
            .alternatives
            .iter()
            .map(|a| {
                let mut cells = vec![cell(vec![code(a.id.clone())]), t(a.name.clone())];
                cells.extend(a.ranks.iter().map(|r| t(r.to_string())));
                Row {
                    cells,
                    strong: false,
                }
            })
            .collect();
        self.push(Block::Table(Table { cols, rows }));
        let mut used = vec![text(format!("{}: ", w.methods_used))];
        for (i, m) in c.methods.iter().enumerate() {
            if i > 0 {
                used.push(text(", "));
            }
            used.push(code(m.method.clone()));
            if !m.higher_is_better {
                used.push(text(format!(" ({})", w.lower_is_better)));
            }
        }
        used.push(text("."));
        self.push(Block::Note(used));
        if !c.pairs.is_empty() {
            self.push(Block::Heading(w.agreement.to_string()));
            self.push(Block::Note(vec![text(w.agreement_intro)]));
            let rows = c
                .pairs
                .iter()
                .map(|p| Row {
                    cells: vec![
                        t(name(&p.first)),
                        t(name(&p.second)),
                        t(opt4(p.spearman)),
                        t(opt4(p.kendall_tau)),
                        t(opt4(p.rank_similarity)),
                        t(opt4(p.rank_similarity_reversed)),
                    ],
                    strong: false,
                })
                .collect();
            self.push(Block::Table(Table {
                cols: vec![
                    col(w.method, false),
                    col(w.compared_with, false),
                    col(w.spearman, true),
                    col(w.kendall_tau, true),
                    col(w.ws, true),
                    col(w.ws_reversed, true),
                ],
                rows,
            }));
        }
        if !c.refused.is_empty() {
            self.push(Block::Para(vec![text(format!("{}:", w.refused))]));
            self.push(Block::List(
                c.refused
                    .iter()
                    .map(|r| vec![code(r.method.clone()), text(format!(": {}", r.reason))])
                    .collect(),
            ));
        }
        if !c.left_out.is_empty() {
            self.push(Block::Para(vec![text(format!("{}:", w.left_out))]));
            self.push(Block::List(
                c.left_out
                    .iter()
                    .map(|l| vec![code(l.id.clone()), text(format!(": {}", l.reason))])
                    .collect(),
            ));
        }
    }

    fn robustness(&mut self, r: &RobustnessView) {
        let (d, w) = (self.d, self.w);
        self.push(Block::Section("robustness", w.robustness.to_string()));
        self.push(Block::Para(vec![text(r.summary.text.clone())]));
        let weights = match (r.weights_model.model, r.weights_model.concentration) {
            ("around", Some(k)) => fill(w.weights_around, &[("k", &short(k))]),
            ("fixed", _) => w.weights_fixed.to_string(),
            _ => w.weights_uniform.to_string(),
        };
        self.push(Block::Note(vec![text(fill(
            w.smaa_setup,
            &[
                ("samples", &grouped(r.samples)),
                ("seed", &r.seed.to_string()),
                ("published", &short(r.spread.published)),
                ("estimated", &short(r.spread.estimated)),
                ("measured", &short(r.spread.measured)),
                ("weights", &weights),
            ],
        ))]));
        self.push(Block::Charts(vec![Chart::Acceptability]));

        self.push(Block::Heading(w.acceptability.to_string()));
        let ranks = r
            .alternatives
            .first()
            .map_or(0, |a| a.acceptability_percent.len());
        let mut cols = vec![
            col(w.rank, true),
            col(w.id, false),
            col(w.technology, false),
            col(w.score, true),
        ];
        cols.extend((1..=ranks).map(|k| col(fill(w.rank_n, &[("n", &k.to_string())]), true)));
        cols.push(col(w.expected_rank, true));
        cols.push(col(w.confidence, true));
        let rows = r
            .alternatives
            .iter()
            .map(|a| {
                let mut cells = vec![
                    t(a.rank.to_string()),
                    c(a.id.clone()),
                    t(a.name.clone()),
                    t(f4(a.score)),
                ];
                cells.extend(a.acceptability_percent.iter().map(|p| t(fixed(*p, 1))));
                cells.push(t(fixed(a.expected_rank, 2)));
                cells.push(t(a
                    .confidence_percent
                    .map_or_else(|| "–".into(), |p| fixed(p, 1))));
                Row {
                    cells,
                    strong: a.id == r.summary.most_likely_first.id,
                }
            })
            .collect();
        self.push(Block::Table(Table { cols, rows }));
        self.push(Block::Note(vec![text(w.acceptability_note)]));

        let central: Vec<_> = r
            .alternatives
            .iter()
            .filter_map(|a| a.central_weights.as_ref().map(|cw| (a, cw)))
            .collect();
        if !central.is_empty() {
            self.push(Block::Heading(w.central_weights.to_string()));
            self.push(Block::Note(vec![text(w.central_note)]));
            let mut cols = vec![col(w.id, false)];
            cols.extend(Concept::ALL.iter().map(|k| col(k.symbol(), true)));
            let rows = central
                .iter()
                .map(|(a, ConceptValues(v))| {
                    let mut cells = vec![c(a.id.clone())];
                    cells.extend(Concept::ALL.iter().map(|k| t(f4(v[k.index()]))));
                    Row {
                        cells,
                        strong: false,
                    }
                })
                .collect();
            self.push(Block::Table(Table { cols, rows }));
        }

        let leader = r
            .alternatives
            .iter()
            .find(|a| a.id == r.stability.leader)
            .map_or(r.stability.leader.as_str(), |a| a.name.as_str());
        let name_of = |id: &Option<String>| match id {
            Some(id) => r
                .alternatives
                .iter()
                .find(|a| a.id == *id)
                .map_or_else(|| d.tech_name(id).to_string(), |a| a.name.clone()),
            None => "–".into(),
        };
        self.push(Block::Heading(fill(w.stability, &[("name", leader)])));
        self.push(Block::Note(vec![text(fill(
            w.stability_note,
            &[("name", leader)],
        ))]));
        let rows = r
            .stability
            .intervals
            .iter()
            .map(|iv| Row {
                cells: vec![
                    t(format!(
                        "{} {}",
                        d.concept_symbol(iv.concept),
                        d.concept_name(iv.concept)
                    )),
                    t(f4(iv.weight)),
                    t(f4(iv.share)),
                    t(f4(iv.lo)),
                    t(iv.hi.map_or_else(|| w.no_limit.to_string(), f4)),
                    t(name_of(&iv.below)),
                    t(name_of(&iv.above)),
                ],
                strong: false,
            })
            .collect();
        self.push(Block::Table(Table {
            cols: vec![
                col(w.concept, false),
                col(w.weight, true),
                col(w.share, true),
                col(w.lowest, true),
                col(w.highest, true),
                col(w.first_below, false),
                col(w.first_above, false),
            ],
            rows,
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::grouped;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(20_000), "20,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }
}
