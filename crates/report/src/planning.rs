//! The views of the report's planning sections: risk, cost, dependencies, migration, scene
//! adaptation and Θ. [`collect_planning`] asks the api for them, from the ranking and the
//! recommendation the report already holds; the document is built in `planning_doc.rs`.

use stackmatrix_api::request::RecommendRequest;
use stackmatrix_api::views::{MigrateView, RankView, RecommendView};
use stackmatrix_api::{
    AdaptRequest, AdaptView, ApiError, ApiResult, CalibrateRequest, CalibrateView, CostRequest,
    CostView, DepsAnswer, DepsCoverageView, DepsRequest, MigrateRequest, RiskRequest, RiskView,
    TransitionComparisonView,
};
use stackmatrix_model::{KnowledgeBase, Lang, Scene};

/// How far below the recommended score the cheapest-stack threshold sits when the report is not
/// given `--min-score`: the cheapest stack within half a point of the best.
pub const DEFAULT_COST_MARGIN: f64 = 0.5;

/// The scene a workload is adapted from in the adaptation section.
pub const ADAPT_FROM_SCENE: Scene = Scene::Dev;

/// What the planning sections are asked for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanningOptions {
    /// `report --from CHAIN`: the migration section shows the cheapest path from this chain to
    /// the top chain; without it, the published and the derived transition tables compared.
    pub from: Option<String>,
    /// `report --min-score X`: the threshold of the cheapest stack; without it, the recommended
    /// score minus [`DEFAULT_COST_MARGIN`].
    pub min_score: Option<f64>,
}

/// The migration section: a path, or the two transition tables compared.
#[derive(Debug)]
pub enum MigrationPart {
    /// The cheapest path from `--from` to the top chain, and the next cheapest.
    Path(Box<MigrateView>),
    /// The published and the derived chain-transition tables with their rank correlations.
    Compare(Box<TransitionComparisonView>),
}

/// The cheapest stack that reaches a score (`recommend` with `min_cost`).
#[derive(Debug)]
pub struct MinCostPart {
    /// The threshold asked for.
    pub min_score: f64,
    /// True when the threshold is the recommended score minus [`DEFAULT_COST_MARGIN`].
    pub from_margin: bool,
    /// The answer, or why the search could not run for this scenario.
    pub answer: Result<RecommendView, String>,
}

/// A part of a section: `None` when it does not apply (no recommended stack, no top chain),
/// `Some(Err(why))` when the api could not answer it for this scenario (the section says why).
pub type Part<T> = Option<Result<T, String>>;

/// Every view of the planning sections.
#[derive(Debug)]
pub struct PlanningData {
    /// The chains ranked by their scenario-aware risk (`risk` with the scenario).
    pub risk: RiskView,
    /// The recommended stack's risk, scenario-aware and whole.
    pub risk_stack: Part<RiskView>,
    /// The recommended stack's cost model, attribute score and footprint.
    pub cost: Part<CostView>,
    /// The cheapest stack that reaches the threshold.
    pub min_cost: Option<MinCostPart>,
    /// The coverage of the recommended stack: does it cover the dependencies of the concepts
    /// the scenario weighs.
    pub deps: Part<DepsCoverageView>,
    /// The migration section.
    pub migration: Option<MigrationPart>,
    /// The top chain adapted from [`ADAPT_FROM_SCENE`] to the scenario's main scene (every
    /// other scene ranked when the main scene is dev).
    pub adaptation: Option<AdaptView>,
    /// True when the scores use a learned Θ (`tables/theta.toml` not all ones).
    pub theta_learned: bool,
    /// Θ as scored, concept order, when learned.
    pub theta: Option<[f64; 12]>,
    /// The calibration of the concept weights to the seed's documented scores.
    pub calibration: CalibrateView,
}

/// The scene a scenario weighs most (the first among ties, in scene order).
pub fn main_scene(vector: &[f64; 6]) -> Scene {
    let mut best = 0;
    for (j, v) in vector.iter().enumerate() {
        if *v > vector[best] {
            best = j;
        }
    }
    Scene::ALL[best]
}

/// Asks the api for the planning sections' views. Fails on a bad `--from` (not a chain of the
/// transition table) or a bad `--min-score`, as `migrate` and `recommend --min-cost` fail.
pub fn collect_planning(
    kb: &KnowledgeBase,
    lang: Lang,
    req: &RecommendRequest,
    rank: &RankView,
    recommend: &RecommendView,
    options: &PlanningOptions,
) -> ApiResult<PlanningData> {
    let scenario = req.scenario.clone();
    let members = recommend.stack.as_ref().map(|s| s.members.clone());
    let risk = stackmatrix_api::risk(
        kb,
        lang,
        &RiskRequest {
            scenario: scenario.clone(),
            ..RiskRequest::default()
        },
    )?;
    // The recommended stack's risk, cost and coverage: a stack the api cannot assess (a plan
    // of many environments, say) leaves its part with the reason instead of failing the report.
    let for_stack = |m: &Vec<String>| -> (
        Result<RiskView, String>,
        Result<CostView, String>,
        Result<DepsCoverageView, String>,
    ) {
        let risk = stackmatrix_api::risk(
            kb,
            lang,
            &RiskRequest {
                scenario: scenario.clone(),
                stack: Some(m.clone()),
                ..RiskRequest::default()
            },
        )
        .map_err(|e| e.to_string());
        let cost = stackmatrix_api::cost(
            kb,
            lang,
            &CostRequest {
                scenario: scenario.clone(),
                stack: Some(m.clone()),
                ..CostRequest::default()
            },
        )
        .map_err(|e| e.to_string());
        let deps = stackmatrix_api::deps(
            kb,
            lang,
            &DepsRequest {
                scenario: scenario.clone(),
                stack: Some(m.clone()),
                ..DepsRequest::default()
            },
        )
        .map_err(|e| e.to_string())
        .and_then(|a| match a {
            DepsAnswer::Coverage(c) => Ok(*c),
            _ => Err("deps answered no coverage check".to_string()),
        });
        (risk, cost, deps)
    };
    let (risk_stack, cost, deps) = match members.as_ref().map(for_stack) {
        Some((r, c, d)) => (Some(r), Some(c), Some(d)),
        None => (None, None, None),
    };
    let min_cost = min_cost_part(kb, lang, req, recommend, options.min_score)?;
    let top = rank.ranking.first().map(|e| e.id.clone());
    let migration = match (&options.from, &top) {
        (Some(from), Some(top)) => Some(MigrationPart::Path(Box::new(
            stackmatrix_api::migrate(kb, lang, &MigrateRequest::chains(from.trim(), top.clone()))
                .map_err(|e| match e {
                    // The top chain may be missing from the transition table (an overlay's chain).
                    ApiError::NotFound { id, .. } if id == *top => ApiError::bad_input(
                        "from",
                        format!("the top chain '{top}' is not in the chain-transition table, so no path leads to it; leave out --from"),
                    ),
                    other => other,
                })?,
        ))),
        (Some(_), None) => None,
        (None, _) => Some(MigrationPart::Compare(Box::new(
            stackmatrix_api::migrate_compare(
                kb,
                lang,
                &MigrateRequest {
                    compare: true,
                    ..MigrateRequest::default()
                },
            )?,
        ))),
    };
    let adaptation = match &top {
        Some(top) => {
            let to = main_scene(&rank.scenario.vector);
            Some(stackmatrix_api::adapt(
                kb,
                lang,
                &AdaptRequest {
                    tech: Some(top.clone()),
                    from_scene: Some(ADAPT_FROM_SCENE.key().to_string()),
                    to_scene: (to != ADAPT_FROM_SCENE).then(|| to.key().to_string()),
                    scenario: rank.scenario.id.clone(),
                    ..AdaptRequest::default()
                },
            )?)
        }
        None => None,
    };
    let calibration = stackmatrix_api::calibrate(kb, lang, &CalibrateRequest {})?;
    Ok(PlanningData {
        risk,
        risk_stack,
        cost,
        min_cost,
        deps,
        migration,
        adaptation,
        theta_learned: rank.scenario.theta.is_some(),
        theta: rank.scenario.theta,
        calibration,
    })
}

/// The cheapest stack reaching `--min-score`, or the recommended score minus the margin. A
/// threshold the user gave fails the report when the api refuses it; the default one records
/// why the search could not run.
fn min_cost_part(
    kb: &KnowledgeBase,
    lang: Lang,
    req: &RecommendRequest,
    recommend: &RecommendView,
    min_score: Option<f64>,
) -> ApiResult<Option<MinCostPart>> {
    let (x, from_margin) = match (min_score, &recommend.stack) {
        (Some(x), _) => (x, false),
        (None, Some(s)) => ((s.score - DEFAULT_COST_MARGIN).max(0.0), true),
        (None, None) => return Ok(None),
    };
    let answer = stackmatrix_api::recommend(
        kb,
        lang,
        &RecommendRequest {
            min_cost: true,
            min_score: Some(x),
            ..req.clone()
        },
    );
    let answer = match answer {
        Ok(v) => Ok(v),
        Err(e) if from_margin => Err(e.to_string()),
        Err(e) => return Err(e),
    };
    Ok(Some(MinCostPart {
        min_score: x,
        from_margin,
        answer,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_main_scene_is_the_largest_weight_first_among_ties() {
        assert_eq!(main_scene(&[0.0, 0.0, 0.0, 1.0, 0.0, 0.0]), Scene::Edge);
        assert_eq!(main_scene(&[0.0, 0.0, 0.75, 0.25, 0.0, 0.0]), Scene::Prod);
        assert_eq!(main_scene(&[0.0, 0.5, 0.0, 0.0, 0.5, 0.0]), Scene::Ci);
        assert_eq!(main_scene(&[1.0 / 6.0; 6]), Scene::Dev);
    }

    #[test]
    fn a_given_threshold_is_kept_and_the_default_is_the_margin_below_the_best() {
        let kb = stackmatrix_model::builtin().unwrap();
        let req = RecommendRequest {
            scenario: stackmatrix_api::request::ScenarioRequest::scenario("edge"),
            ..RecommendRequest::default()
        };
        let rec = stackmatrix_api::recommend(&kb, Lang::En, &req).unwrap();
        let best = rec.stack.as_ref().unwrap().score;
        let part = min_cost_part(&kb, Lang::En, &req, &rec, None)
            .unwrap()
            .unwrap();
        assert!(part.from_margin);
        assert!((part.min_score - (best - DEFAULT_COST_MARGIN)).abs() < 1e-12);
        let part = min_cost_part(&kb, Lang::En, &req, &rec, Some(7.0))
            .unwrap()
            .unwrap();
        assert!(!part.from_margin && part.min_score == 7.0);
        assert!(part.answer.unwrap().min_cost.unwrap().reached);
    }
}
