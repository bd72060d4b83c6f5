//! Self-contained reports of a scenario: one HTML file with inline CSS and inline SVG charts, or
//! GitHub-flavoured Markdown.
//!
//! A report is rendered from [`ReportData`], which holds only views of `stackmatrix-api`: the
//! ranking with the explanation of the winner, the recommendation, the practice cases, the audit
//! of the scenario, the winner's maturity matrix, the chains ranked by every decision method
//! (`compare`) and the robustness of the ranking (`robustness`: SMAA-2 and the weight stability
//! of the leader). Rendering computes nothing; every figure in a report is a figure of a view,
//! written to 4 decimals (percentages to 1). [`collect`] asks the api for the views; a front end
//! may fill [`ReportData`] itself from views it already has.
//!
//! ```
//! use stackmatrix_api::request::{RecommendRequest, ScenarioRequest};
//! use stackmatrix_model::Lang;
//!
//! let kb = stackmatrix_model::builtin().unwrap();
//! let req = RecommendRequest { scenario: ScenarioRequest::scenario("edge"), ..Default::default() };
//! let data = stackmatrix_report::collect(&kb, Lang::En, &req, "stackmatrix 0.1.0").unwrap();
//! let html = stackmatrix_report::render_html(&data);
//! assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg"));
//! let md = stackmatrix_report::render_markdown(&data);
//! assert!(md.starts_with("# ") && md.contains("| 2 | `wasmedge` | WasmEdge | 8.6667 |"));
//! // The robustness analysis runs with 20,000 samples and seed 1: the same report every time.
//! assert!(md.contains("## Robustness\n\nK3s is first in"));
//! ```
//!
//! The HTML loads nothing: no script, no style sheet, no font and no image comes from anywhere
//! but the file itself, so it can be mailed, archived and printed as it is.

#![deny(missing_docs)]

mod doc;
mod fleet;
mod html;
mod markdown;
mod planning;
mod planning_doc;
mod svg;
mod words;

pub use crate::fleet::{render_fleet_html, render_fleet_markdown};
pub use crate::html::{escape_html, render_html};
pub use crate::markdown::{escape_markdown, render_markdown};
pub use crate::planning::{
    collect_planning, main_scene, MigrationPart, MinCostPart, Part, PlanningData, PlanningOptions,
    ADAPT_FROM_SCENE, DEFAULT_COST_MARGIN,
};

use stackmatrix_api::request::{
    CompareRequest, RankRequest, RecommendRequest, RobustnessRequest, ShowRequest,
};
use stackmatrix_api::views::{
    AxisView, CaseReportView, CompareView, RankView, RecommendView, RobustnessView,
    ScenarioAuditView, ScenarioListView, ShowView, TechView,
};
use stackmatrix_api::ApiResult;
use stackmatrix_model::{KnowledgeBase, Lang};

/// Everything a report shows, as views of `stackmatrix-api`.
#[derive(Debug)]
pub struct ReportData {
    /// The chains ranked in the scenario, with the seed's claims beside them and the explanation
    /// of the winner (`rank.explanation`) against the best alternative.
    pub rank: RankView,
    /// The recommended stack under the request's constraints, with its member gains, binding
    /// constraints, next best stacks, the seed's stack scored beside it and, for a scenario that
    /// spans environments, the per-environment plan.
    pub recommend: RecommendView,
    /// The practice cases of the scenario, checked against the model; every case for a vector.
    pub cases: Vec<CaseReportView>,
    /// The audit of the scenario's documented claims, `None` for a vector or a scenario without
    /// claims.
    pub audit: Option<ScenarioAuditView>,
    /// The scenario as listed (features, required capabilities), `None` for a vector.
    pub scenario: Option<ScenarioListView>,
    /// The winner's maturity matrix (12 concepts × 6 scenes) in the scenario's time slice.
    pub matrix: Option<ShowView>,
    /// Every technology, for names, kinds and roles of stack members.
    pub techs: Vec<TechView>,
    /// The 12 concepts, for their names.
    pub concepts: Vec<AxisView>,
    /// The 6 scenes, for their names.
    pub scenes: Vec<AxisView>,
    /// The scenario's chains ranked by every decision method side by side, with the rank
    /// correlations between each pair of methods (`compare` with its default list); the section
    /// is left out when `None`.
    pub methods: Option<CompareView>,
    /// How robust the ranking is: SMAA-2 rank acceptability, central weights and confidence
    /// factors, and how far each concept weight can move before the leader loses first place
    /// (`robustness`); the section is left out when `None`.
    pub robustness: Option<RobustnessView>,
    /// The planning sections: risk, cost, dependencies, migration, scene adaptation and Θ
    /// ([`collect_planning`]); left out when `None`.
    pub planning: Option<PlanningData>,
    /// What wrote the report, such as `stackmatrix 0.1.0`.
    pub generated_by: String,
    /// The language of labels and names.
    pub lang: Lang,
}

/// The samples of the report's robustness analysis: fewer than `stackmatrix robustness`
/// takes by default, enough for one decimal of a percentage (a standard error of at most 0.35
/// percentage points).
pub const DEFAULT_ROBUSTNESS_SAMPLES: u64 = 20_000;
/// The seed of the report's robustness analysis: a report is the same every time.
pub const DEFAULT_ROBUSTNESS_SEED: u64 = 1;

/// What a report computes besides the views every report has.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportOptions {
    /// The robustness analysis's samples and seed; `None` leaves the section out.
    pub robustness: Option<RobustnessOptions>,
    /// Rank the chains by every decision method (the methods section).
    pub methods: bool,
    /// The planning sections (risk, cost, dependencies, migration, adaptation, Θ) and what they
    /// are asked for; `None` leaves them out.
    pub planning: Option<PlanningOptions>,
}

/// The Monte Carlo settings of the report's robustness analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RobustnessOptions {
    /// Samples of each pass [default: [`DEFAULT_ROBUSTNESS_SAMPLES`]].
    pub samples: u64,
    /// The seed [default: [`DEFAULT_ROBUSTNESS_SEED`]].
    pub seed: u64,
}

impl Default for RobustnessOptions {
    fn default() -> Self {
        RobustnessOptions {
            samples: DEFAULT_ROBUSTNESS_SAMPLES,
            seed: DEFAULT_ROBUSTNESS_SEED,
        }
    }
}

impl Default for ReportOptions {
    /// Every section: the methods compared, robustness with 20,000 samples and seed 1, and the
    /// planning sections with their defaults.
    fn default() -> Self {
        ReportOptions {
            robustness: Some(RobustnessOptions::default()),
            methods: true,
            planning: Some(PlanningOptions::default()),
        }
    }
}

/// A rendered report made safe for a person's screen: names, notes and file names the renderers
/// quote are escaped where they are written (`escape_html`, `escape_markdown`); this backstop
/// writes any control character left but the line feed as a visible escape, `\u001b`
/// ([`stackmatrix_model::untrusted::escaped_lines`]), so none reaches a browser, an editor or a
/// terminal raw.
pub(crate) fn finish(report: String) -> String {
    match stackmatrix_model::untrusted::escaped_lines(&report) {
        std::borrow::Cow::Borrowed(_) => report,
        std::borrow::Cow::Owned(safe) => safe,
    }
}

/// Asks the api for every view of a report: the ranking of the chains with the explanation of
/// the winner, the recommendation under `req`'s constraints, the scenario's practice cases (every
/// case for a vector), the scenario's audit line, the winner's maturity matrix in the
/// scenario's time slice, the chains ranked by every decision method, and the robustness of the
/// ranking with [`DEFAULT_ROBUSTNESS_SAMPLES`] samples and seed [`DEFAULT_ROBUSTNESS_SEED`].
/// Fails as `rank` and `recommend` fail on the same request.
pub fn collect(
    kb: &KnowledgeBase,
    lang: Lang,
    req: &RecommendRequest,
    generated_by: &str,
) -> ApiResult<ReportData> {
    collect_with(kb, lang, req, generated_by, &ReportOptions::default())
}

/// [`collect`] with the robustness analysis and the methods section as `options` ask.
pub fn collect_with(
    kb: &KnowledgeBase,
    lang: Lang,
    req: &RecommendRequest,
    generated_by: &str,
    options: &ReportOptions,
) -> ApiResult<ReportData> {
    let rank = stackmatrix_api::rank(
        kb,
        lang,
        &RankRequest {
            scenario: req.scenario.clone(),
            explain: true,
            stacks: None,
        },
    )?;
    let recommend = stackmatrix_api::recommend(kb, lang, req)?;
    let id = rank.scenario.id.clone();
    let cases = stackmatrix_api::validate_cases(kb, lang, None)?
        .into_iter()
        .filter(|c| id.as_ref().is_none_or(|id| c.scenario == *id))
        .collect();
    let audit = match &id {
        Some(id) => stackmatrix_api::audit(kb, lang)?
            .scenarios
            .into_iter()
            .find(|s| s.scenario == *id),
        None => None,
    };
    let scenario = id.as_ref().and_then(|id| {
        stackmatrix_api::list_scenarios(kb, lang)
            .into_iter()
            .find(|s| s.id == *id)
    });
    let matrix = match rank.ranking.first() {
        Some(top) => Some(stackmatrix_api::show_tech(
            kb,
            lang,
            &ShowRequest {
                tech: top.id.clone(),
                time: Some(rank.scenario.time.to_string()),
            },
        )?),
        None => None,
    };
    let methods = if options.methods {
        Some(stackmatrix_api::compare(
            kb,
            lang,
            &CompareRequest {
                scenario: req.scenario.clone(),
                ..CompareRequest::default()
            },
        )?)
    } else {
        None
    };
    let robustness = match options.robustness {
        Some(o) => Some(stackmatrix_api::robustness(
            kb,
            lang,
            &RobustnessRequest {
                scenario: req.scenario.clone(),
                samples: o.samples,
                seed: o.seed,
                ..RobustnessRequest::default()
            },
        )?),
        None => None,
    };
    let planning = match &options.planning {
        Some(o) => Some(collect_planning(kb, lang, req, &rank, &recommend, o)?),
        None => None,
    };
    Ok(ReportData {
        rank,
        recommend,
        cases,
        audit,
        scenario,
        matrix,
        techs: stackmatrix_api::list_techs(kb, lang),
        concepts: stackmatrix_api::list_concepts(kb, lang),
        scenes: stackmatrix_api::list_scenes(kb, lang),
        methods,
        robustness,
        planning,
        generated_by: generated_by.to_string(),
        lang,
    })
}

impl ReportData {
    /// A technology's name in the report's language, its id when the knowledge base does not
    /// hold it.
    pub fn tech_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.techs
            .iter()
            .find(|t| t.id == id)
            .map_or(id, |t| t.name.as_str())
    }

    /// The title of the scenario: its name and id, or the scene vector.
    pub(crate) fn scenario_title(&self) -> String {
        let s = &self.rank.scenario;
        match (&s.id, &s.name) {
            (Some(id), Some(name)) => format!("{name} ({id})"),
            (Some(id), None) => id.clone(),
            _ => words::words(self.lang).vector_scenario.to_string(),
        }
    }

    /// A concept's name by key.
    pub(crate) fn concept_name(&self, key: &str) -> String {
        self.concepts
            .iter()
            .find(|c| c.key == key)
            .map_or_else(|| key.to_string(), |c| c.name.clone())
    }

    /// A concept's symbol by key (`Θ` for `Theta`).
    pub(crate) fn concept_symbol(&self, key: &str) -> String {
        self.concepts
            .iter()
            .find(|c| c.key == key)
            .map_or_else(|| key.to_string(), |c| c.symbol.to_string())
    }

    /// A scene's name by key.
    pub(crate) fn scene_name(&self, key: &str) -> String {
        self.scenes
            .iter()
            .find(|c| c.key == key)
            .map_or_else(|| key.to_string(), |c| c.name.clone())
    }
}
