//! Turning a [`ScenarioRequest`] into a prepared scenario: the knowledge-base scenario or the
//! vector, with the weights and time slice laid over it, checked and normalised.

use crate::error::{ApiError, ApiResult};
use crate::request::{time_mode, ScenarioRequest};
use crate::views::ScenarioView;
use stackmatrix_engine::{InputError, PreparedScenario, ScenarioInput};
use stackmatrix_model::{KnowledgeBase, Lang, Scenario};

/// The knowledge-base scenario with this id.
pub fn find_scenario<'a>(kb: &'a KnowledgeBase, id: &str) -> ApiResult<&'a Scenario> {
    kb.scenario(id).ok_or_else(|| ApiError::NotFound {
        what: "scenario",
        id: id.to_string(),
        known: kb.scenarios.iter().map(|s| s.id.clone()).collect(),
    })
}

/// The scenario a request asks about, as it would be scored: the scene vector normalised, the
/// weights and time slice settled. Fails as every verb that scores fails on the same request.
pub fn scenario(kb: &KnowledgeBase, lang: Lang, req: &ScenarioRequest) -> ApiResult<ScenarioView> {
    Ok(ScenarioView::new(&resolve(kb, req)?.0, lang))
}

/// The scenario to score and, for a knowledge-base scenario, the scenario itself (its claims
/// and requirements).
pub(crate) fn resolve<'a>(
    kb: &'a KnowledgeBase,
    req: &ScenarioRequest,
) -> ApiResult<(PreparedScenario, Option<&'a Scenario>)> {
    let (mut input, source) = match (&req.scenario, &req.vector) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_input(
                "vector",
                "a scenario and a vector are both given; expected one of them",
            ))
        }
        (Some(id), None) => {
            let s = find_scenario(kb, id)?;
            (ScenarioInput::from_scenario(s), Some(s))
        }
        (None, Some(v)) => (ScenarioInput::from_vector(v.resolve()?), None),
        (None, None) => {
            return Err(ApiError::bad_input(
                "scenario",
                "no scenario and no vector; expected a scenario id or a scene vector",
            ))
        }
    };
    if let Some(w) = &req.weights {
        input.weights = w.resolve()?;
    }
    if let Some(t) = &req.time {
        input.time = time_mode(t)?;
    }
    // Name the field the bad value came from: scene problems are the vector's, concept problems
    // the weights'; either may come from the scenario itself when the field was not given.
    let vector_field = if req.vector.is_some() {
        "vector"
    } else {
        "scenario"
    };
    let weights_field = if req.weights.is_some() {
        "weights"
    } else {
        "scenario"
    };
    // The engine's one constructor: checks, normalises, and lays Θ of the knowledge base
    // (`tables/theta.toml [value]`, learned by `stackmatrix learn`) over the scenario.
    let prepared = input.prepare(kb).map_err(|e| {
        let field = match e {
            InputError::SceneValue { .. } | InputError::SceneAllZero => vector_field,
            InputError::WeightValue { .. } | InputError::WeightAllZero => weights_field,
            // The model validates each θ_c in [0, 1] when it loads.
            InputError::ThetaOutOfRange { .. } => {
                return ApiError::failure(format!("tables/theta.toml: {e}"))
            }
        };
        ApiError::bad_input(field, e.to_string())
    })?;
    Ok((prepared, source))
}
