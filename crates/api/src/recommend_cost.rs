//! `recommend` with `min_cost`: the cheapest stack whose score reaches `min_score`, proven
//! optimal, or the best score reachable when none does.

use crate::error::{ApiError, ApiResult};
use crate::numbers::short;
use crate::recommend::{constraints_view, search_error};
use crate::request::RecommendRequest;
use crate::views::{RecommendView, ScenarioView, SearchView, StackView};
use serde::Serialize;
use stackmatrix_engine::{recommend_min_cost as engine_min_cost, Constraints, PreparedScenario};
use stackmatrix_model::{KnowledgeBase, Lang, Scenario, Technology};

/// The cost-constrained part of a recommendation.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct MinCostView {
    /// The score the stack had to reach (within 1e-9).
    pub min_score: f64,
    /// True when a stack reaches it (it is then `stack` of the recommendation).
    pub reached: bool,
    /// The answer's memory per node, MB (its cost), `null` when none reaches the threshold.
    pub cost_mb: Option<f64>,
    /// When no stack reaches the threshold: the best stack under the same constraints and
    /// candidates, whose score is the best reachable, with its memory; `null` otherwise (or when
    /// no stack is feasible at all).
    pub best_reachable: Option<StackView>,
    /// True when members of unknown memory were admitted (`allow_unknown_memory`).
    pub allow_unknown_memory: bool,
    /// Candidates of unknown memory that no answer uses: left out, or (with
    /// `allow_unknown_memory`) ranked after the fully priced answer.
    pub unknown_memory_excluded: Vec<String>,
    /// True when the answer needs a member of unknown memory: no fully priced stack reaches the
    /// threshold, so its cost counts that member as 0 MB.
    pub unknown_memory_used: bool,
    /// The outcome in words.
    pub message: String,
}

/// The threshold of a cost-constrained request, `None` for an ordinary one; bad combinations
/// are refused by field.
pub(crate) fn min_cost_threshold(
    req: &RecommendRequest,
    source: Option<&Scenario>,
) -> ApiResult<Option<f64>> {
    if !req.min_cost {
        if req.min_score.is_some() {
            return Err(ApiError::bad_input(
                "min_score",
                "min_score is taken only with min_cost (the cheapest stack that reaches it); add min_cost",
            ));
        }
        if req.allow_unknown_memory {
            return Err(ApiError::bad_input(
                "allow_unknown_memory",
                "allow_unknown_memory is taken only with min_cost; add min_cost and min_score",
            ));
        }
        return Ok(None);
    }
    let Some(x) = req.min_score else {
        return Err(ApiError::bad_input(
            "min_score",
            "min_cost needs min_score: the score, 0 to 10, the cheapest stack must reach",
        ));
    };
    if !x.is_finite() || !(0.0..=10.0).contains(&x) {
        return Err(ApiError::bad_input(
            "min_score",
            format!("{x} is not a score; expected a number from 0 to 10"),
        ));
    }
    if req.per_environment || source.is_some_and(|s| s.spans_environments) {
        return Err(ApiError::bad_input(
            "min_cost",
            "min_cost answers one stack for one environment; this request spans environments (per_environment, or a scenario such as hybrid); use a scene vector or a single-environment scenario",
        ));
    }
    Ok(Some(x))
}

/// The cost-constrained recommendation as a [`RecommendView`] with `min_cost`.
pub(crate) fn recommend_min_cost(
    kb: &KnowledgeBase,
    lang: Lang,
    scenario: &PreparedScenario,
    constraints: &Constraints,
    min_score: f64,
    req: &RecommendRequest,
) -> ApiResult<RecommendView> {
    let techs: Vec<&Technology> = kb.technologies.iter().collect();
    let result = engine_min_cost(
        &techs,
        scenario,
        &kb.tables.parameters,
        constraints,
        min_score,
        req.allow_unknown_memory,
    )
    .map_err(|e| search_error(kb, e))?;
    let mut notes = Vec::new();
    if !result.unknown_memory_excluded.is_empty() {
        notes.push(if req.allow_unknown_memory {
            format!(
                "a fully priced stack reaches the threshold, so stacks with a member of unknown memory ({}) rank after it",
                result.unknown_memory_excluded.join(", ")
            )
        } else {
            format!(
                "left out for unknown memory (add allow_unknown_memory to admit them, ranked after every fully priced stack): {}",
                result.unknown_memory_excluded.join(", ")
            )
        });
    }
    let message = match (&result.stack, &result.best_reachable) {
        (Some(s), _) => {
            let mut m = format!(
                "the cheapest stack whose score reaches {} is {} at {} MB/node (score {:.4})",
                short(min_score),
                s.id(),
                short(s.memory_mb),
                s.score
            );
            if result.unknown_memory_used {
                m.push_str(&format!(
                    "; no fully priced stack reaches it, and the memory of {} is unknown (counted 0)",
                    s.memory_unknown.join(", ")
                ));
            }
            m
        }
        (None, Some(b)) => format!(
            "no stack reaches {} under these constraints; the best reachable score is {:.4} ({} at {} MB/node)",
            short(min_score),
            b.score,
            b.id(),
            short(b.memory_mb)
        ),
        (None, None) if !result.unknown_memory_excluded.is_empty() => format!(
            "no stack reaches {}: no stack of members with a known memory meets the constraints at all (allow_unknown_memory admits the others)",
            short(min_score)
        ),
        (None, None) => format!(
            "no stack reaches {}: no stack meets the constraints at all",
            short(min_score)
        ),
    };
    notes.push(message.clone());
    Ok(RecommendView {
        scenario: ScenarioView::new(scenario, lang),
        constraints: constraints_view(constraints),
        stack: result.stack.as_ref().map(StackView::new),
        search: Some(SearchView::new(&result.stats)),
        alternatives: Vec::new(),
        gains: Vec::new(),
        constraint_effects: Vec::new(),
        claims: None,
        environments: None,
        shared: None,
        tied_with_best: Vec::new(),
        notes,
        min_cost: Some(MinCostView {
            min_score,
            reached: result.stack.is_some(),
            cost_mb: result.stack.as_ref().map(|s| s.memory_mb),
            best_reachable: result.best_reachable.as_ref().map(StackView::new),
            allow_unknown_memory: req.allow_unknown_memory,
            unknown_memory_excluded: result.unknown_memory_excluded.clone(),
            unknown_memory_used: result.unknown_memory_used,
            message,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::ScenarioRequest;

    fn kb() -> KnowledgeBase {
        stackmatrix_model::builtin().unwrap()
    }

    fn req(x: Option<f64>) -> RecommendRequest {
        RecommendRequest {
            scenario: ScenarioRequest::scenario("edge"),
            min_cost: true,
            min_score: x,
            ..RecommendRequest::default()
        }
    }

    #[test]
    fn the_cheapest_stack_reaches_the_threshold() {
        let kb = kb();
        let v = crate::recommend(&kb, Lang::En, &req(Some(8.0))).unwrap();
        let m = v.min_cost.unwrap();
        let s = v.stack.unwrap();
        assert!(m.reached && s.score >= 8.0 - 1e-9);
        assert_eq!(m.cost_mb, Some(s.memory_mb));
        assert!(s.memory_unknown.is_empty());
        assert!(m.unknown_memory_excluded.contains(&"wasmedge".to_string()));
    }

    #[test]
    fn an_unreachable_threshold_reports_the_best_reachable() {
        let kb = kb();
        let v = crate::recommend(&kb, Lang::En, &req(Some(10.0))).unwrap();
        let m = v.min_cost.unwrap();
        assert!(!m.reached && v.stack.is_none());
        let b = m.best_reachable.unwrap();
        assert!(b.score < 10.0);
        assert!(
            m.message.starts_with("no stack reaches 10"),
            "{}",
            m.message
        );
    }

    #[test]
    fn bad_combinations_are_refused_by_field() {
        let kb = kb();
        let field = |r: RecommendRequest| match crate::recommend(&kb, Lang::En, &r).unwrap_err() {
            ApiError::BadInput { field, .. } => field,
            e => panic!("{e}"),
        };
        assert_eq!(field(req(None)), "min_score");
        assert_eq!(field(req(Some(11.0))), "min_score");
        assert_eq!(field(req(Some(-1.0))), "min_score");
        assert_eq!(
            field(RecommendRequest {
                min_cost: false,
                ..req(Some(5.0))
            }),
            "min_score"
        );
        assert_eq!(
            field(RecommendRequest {
                scenario: ScenarioRequest::scenario("hybrid"),
                ..req(Some(5.0))
            }),
            "min_cost"
        );
    }
}
