//! `rank` and `explain`: the chains (or named stacks) ranked in a scenario, and one chain's
//! score concept by concept.

use crate::error::{ApiError, ApiResult};
use crate::request::{ExplainRequest, RankRequest};
use crate::scenario::resolve;
use crate::views::{ExplainView, InfeasibleView, RankView};
use stackmatrix_engine::{
    check_ranking_claims, explain as explain_in, rank_stacks, rank_technologies, PreparedScenario,
    Ranking, StackRequirements,
};
use stackmatrix_model::{KnowledgeBase, Lang, Scenario, TechKind, Technology};

/// The technology with this id.
pub fn find_technology<'a>(kb: &'a KnowledgeBase, id: &str) -> ApiResult<&'a Technology> {
    kb.technology(id).ok_or_else(|| ApiError::NotFound {
        what: "technology",
        id: id.to_string(),
        known: technology_ids(kb),
    })
}

pub(crate) fn technology_ids(kb: &KnowledgeBase) -> Vec<String> {
    kb.technologies.iter().map(|t| t.id.clone()).collect()
}

/// `rank`: the chains of the knowledge base ranked in the scenario, with the source document's
/// claims beside them and, with `explain`, the explanation of the top-ranked chain. With
/// `stacks`, the named stacks are ranked instead (by the composition rule, under the
/// scenario's requirements), with the ones that cannot be stacks here and why; `explain` is then
/// ignored.
pub fn rank(kb: &KnowledgeBase, lang: Lang, req: &RankRequest) -> ApiResult<RankView> {
    let (scenario, source) = resolve(kb, &req.scenario)?;
    if let Some(stacks) = &req.stacks {
        return rank_named_stacks(kb, lang, stacks, &scenario, source);
    }
    let ranking = rank_technologies(kb.chains(), &scenario, &kb.tables.parameters);
    let claims = source.and_then(|s| s.claims.as_ref());
    let checks = claims.map(|c| check_ranking_claims(&ranking, c));
    let mut view = RankView::new(&ranking, claims.zip(checks), lang);
    if req.explain {
        view.explanation = ranking
            .entries
            .first()
            .and_then(|top| explain_in(&ranking, &top.id))
            .map(|x| ExplainView::new(&ranking, &x, kb, lang));
    }
    Ok(view)
}

/// The named stacks ranked by the composition rule.
fn rank_named_stacks(
    kb: &KnowledgeBase,
    lang: Lang,
    specs: &[Vec<String>],
    scenario: &PreparedScenario,
    source: Option<&Scenario>,
) -> ApiResult<RankView> {
    let (ranking, infeasible) = named_stacks_ranking(kb, specs, scenario, source)?;
    let mut view = RankView::new(&ranking, None, lang);
    view.infeasible = Some(infeasible);
    Ok(view)
}

/// Resolves stacks named by member ids and ranks them under the scenario's requirements (a
/// scenario that spans environments waives conflicts); the ones that cannot be stacks here are
/// returned with their reasons. Shared by `rank --stacks` and the method ranking.
pub(crate) fn named_stacks_ranking(
    kb: &KnowledgeBase,
    specs: &[Vec<String>],
    scenario: &PreparedScenario,
    source: Option<&Scenario>,
) -> ApiResult<(Ranking, Vec<InfeasibleView>)> {
    let mut stacks: Vec<(String, Vec<&Technology>)> = Vec::new();
    for spec in specs {
        if spec.is_empty() {
            return Err(ApiError::bad_input(
                "stacks",
                "an empty stack; expected stacks separated by ',' with members joined by '+', e.g. k8s+istio,k3s",
            ));
        }
        let name = spec.join("+");
        let mut members = Vec::new();
        for id in spec.iter().map(|m| m.trim()) {
            let t = kb.technology(id).ok_or_else(|| {
                ApiError::bad_input(
                    "stacks",
                    format!(
                        "unknown technology '{id}' in '{name}'; expected one of: {}",
                        technology_ids(kb).join(", ")
                    ),
                )
            })?;
            members.push(t);
        }
        if stacks.iter().any(|(s, _)| *s == name) {
            return Err(ApiError::bad_input(
                "stacks",
                format!("'{name}' is named twice"),
            ));
        }
        stacks.push((name, members));
    }
    let requirements = StackRequirements {
        capabilities: source
            .map(|s| s.requirements.capabilities.clone())
            .unwrap_or_default(),
        budget_mb: source.and_then(|s| s.requirements.memory_mb_per_node),
        spans_environments: source.is_some_and(|s| s.spans_environments),
    };
    let (ranking, infeasible) =
        rank_stacks(&stacks, scenario, &kb.tables.parameters, &requirements);
    let infeasible = infeasible
        .iter()
        .map(|i| InfeasibleView {
            id: i.id.clone(),
            problems: i.problems.iter().map(|p| p.to_string()).collect(),
        })
        .collect();
    Ok((ranking, infeasible))
}

/// `explain`: one chain's score in the scenario, concept by concept, against the best
/// alternative; the top-ranked chain when `tech` is not given. An addon cannot be explained
/// alone: it is scored only as part of a stack.
pub fn explain(kb: &KnowledgeBase, lang: Lang, req: &ExplainRequest) -> ApiResult<ExplainView> {
    let (scenario, _) = resolve(kb, &req.scenario)?;
    let ranking = rank_technologies(kb.chains(), &scenario, &kb.tables.parameters);
    let id = match &req.tech {
        Some(id) => {
            if find_technology(kb, id)?.kind == TechKind::Addon {
                return Err(ApiError::bad_input(
                    "tech",
                    format!(
                        "'{id}' is an addon; it covers only some concepts and is scored as part of a stack, not alone"
                    ),
                ));
            }
            id.clone()
        }
        None => ranking
            .entries
            .first()
            .map(|e| e.id.clone())
            .ok_or_else(|| ApiError::failure("the knowledge base has no chain to rank"))?,
    };
    let x = explain_in(&ranking, &id)
        .ok_or_else(|| ApiError::failure(format!("'{id}' was not ranked")))?;
    Ok(ExplainView::new(&ranking, &x, kb, lang))
}
