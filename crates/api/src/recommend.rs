//! `recommend`: the best stack under constraints, proven optimal, with its reasons; one
//! sub-stack per environment for a scenario that spans environments.

use crate::error::{ApiError, ApiResult};
use crate::numbers::short;
use crate::rank::technology_ids;
use crate::request::RecommendRequest;
use crate::scenario::resolve;
use crate::views::*;
use stackmatrix_engine::{
    constraint_effects, member_gains, rank_stacks, recommend_per_environment, recommend_stack,
    ConstraintKind, Constraints, PreparedScenario, ScoredStack, SearchError, StackRequirements,
};
use stackmatrix_model::{Claims, KnowledgeBase, Lang, Scenario, Technology};

/// `recommend`: the best stack for the scenario under the request's constraints and the
/// scenario's own requirements, found by exact search, with the next best stacks, what each
/// member adds, what each constraint costs and the source document's stack beside it. A
/// scenario that spans environments (or `per_environment`) is answered per weighted scene with
/// shared layers.
pub fn recommend(
    kb: &KnowledgeBase,
    lang: Lang,
    req: &RecommendRequest,
) -> ApiResult<RecommendView> {
    let (scenario, source) = resolve(kb, &req.scenario)?;
    let constraints = constraints(kb, req, source)?;
    if let Some(x) = crate::recommend_cost::min_cost_threshold(req, source)? {
        return crate::recommend_cost::recommend_min_cost(
            kb,
            lang,
            &scenario,
            &constraints,
            x,
            req,
        );
    }
    let techs: Vec<&Technology> = kb.technologies.iter().collect();
    let claims = source.and_then(|s| s.claims.as_ref());
    let ctx = Ctx { kb, lang };
    if req.per_environment || source.is_some_and(|s| s.spans_environments) {
        let shared = source
            .map(|s| s.requirements.shared.clone())
            .unwrap_or_default();
        ctx.per_environment(
            &techs,
            &scenario,
            &constraints,
            &shared,
            req.max_shared,
            claims,
        )
    } else {
        ctx.single(&techs, &scenario, &constraints, claims)
    }
}

/// The request's constraints merged with the scenario's requirements: its capabilities come
/// first, then the requested ones not already there; the requested budget wins over the
/// scenario's.
pub(crate) fn constraints(
    kb: &KnowledgeBase,
    req: &RecommendRequest,
    source: Option<&Scenario>,
) -> ApiResult<Constraints> {
    if req.max_size == 0 {
        return Err(ApiError::bad_input(
            "max_size",
            "0 allows no member; expected 1 or more",
        ));
    }
    if let Some(b) = req.budget_mb {
        if !b.is_finite() || b < 0.0 {
            return Err(ApiError::bad_input(
                "budget_mb",
                format!("{b} is not a memory budget; expected megabytes, 0 or more"),
            ));
        }
    }
    let mut require: Vec<String> = source
        .map(|s| s.requirements.capabilities.clone())
        .unwrap_or_default();
    for r in &req.require {
        if !require.contains(r) {
            require.push(r.clone());
        }
    }
    let known_caps: Vec<&str> = {
        let mut v: Vec<&str> = kb
            .technologies
            .iter()
            .flat_map(|t| t.capabilities.iter().map(String::as_str))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    if let Some(unknown) = req
        .require
        .iter()
        .find(|r| !known_caps.contains(&r.as_str()))
    {
        return Err(ApiError::bad_input(
            "require",
            format!(
                "no technology brings '{unknown}'; capabilities in the knowledge base: {}",
                known_caps.join(", ")
            ),
        ));
    }
    Ok(Constraints {
        max_size: req.max_size,
        budget_mb: req
            .budget_mb
            .or(source.and_then(|s| s.requirements.memory_mb_per_node)),
        require,
        include: req.include.clone(),
        exclude: req.exclude.clone(),
        spans_environments: false,
        alternatives: req.alternatives.max(1),
    })
}

/// A search that cannot start: an unknown id is not found; the rest are about `include`.
pub(crate) fn search_error(kb: &KnowledgeBase, e: SearchError) -> ApiError {
    match e {
        SearchError::UnknownId(id) => ApiError::NotFound {
            what: "technology",
            id,
            known: technology_ids(kb),
        },
        other => ApiError::bad_input("include", other.to_string()),
    }
}

pub(crate) fn constraints_view(c: &Constraints) -> ConstraintsView {
    ConstraintsView {
        max_size: c.max_size,
        budget_mb: c.budget_mb,
        require: c.require.clone(),
        include: c.include.clone(),
        exclude: c.exclude.clone(),
        alternatives: c.alternatives,
    }
}

/// `max-size 4`, `budget-mb 512`, `require gpu`, `include k3s`, `exclude k8s`.
fn constraint_label(c: &ConstraintKind) -> String {
    match c {
        ConstraintKind::MaxSize(k) => format!("max-size {k}"),
        ConstraintKind::Budget(b) => format!("budget-mb {}", short(*b)),
        ConstraintKind::Require(r) => format!("require {r}"),
        ConstraintKind::Include(i) => format!("include {i}"),
        ConstraintKind::Exclude(e) => format!("exclude {e}"),
    }
}

struct Ctx<'a> {
    kb: &'a KnowledgeBase,
    lang: Lang,
}

impl Ctx<'_> {
    fn single(
        &self,
        techs: &[&Technology],
        scenario: &PreparedScenario,
        constraints: &Constraints,
        claims: Option<&Claims>,
    ) -> ApiResult<RecommendView> {
        let kb = self.kb;
        let params = &kb.tables.parameters;
        let result = recommend_stack(techs, scenario, params, constraints)
            .map_err(|e| search_error(kb, e))?;
        let best = result.stacks.first();
        let requirements = StackRequirements {
            capabilities: constraints.require.clone(),
            budget_mb: constraints.budget_mb,
            spans_environments: false,
        };
        let members = |s: &ScoredStack| -> Vec<&Technology> {
            s.members.iter().filter_map(|m| kb.technology(m)).collect()
        };
        let gains = best
            .map(|b| member_gains(&members(b), scenario, params, &requirements))
            .unwrap_or_default()
            .into_iter()
            .map(|g| GainView {
                id: g.id,
                total: g.total,
                per_concept: g.per_concept.map(ConceptValues),
                needed_for: g.needed_for.iter().map(|p| p.to_string()).collect(),
            })
            .collect();
        let effects =
            constraint_effects(techs, scenario, params, constraints, best.map(|b| b.score))
                .map_err(|e| search_error(kb, e))?;
        let mut notes = Vec::new();
        if best.is_none() {
            notes.push(
                "no stack meets the constraints; see constraint_effects for what each one costs"
                    .into(),
            );
        }
        Ok(RecommendView {
            scenario: ScenarioView::new(scenario, self.lang),
            constraints: constraints_view(constraints),
            stack: best.map(StackView::new),
            search: Some(SearchView::new(&result.stats)),
            alternatives: result.stacks.iter().skip(1).map(StackView::new).collect(),
            gains,
            constraint_effects: effects
                .iter()
                .map(|e| ConstraintView {
                    constraint: constraint_label(&e.constraint),
                    binds: e.binds,
                    relaxed_best: e.relaxed_best.as_ref().map(StackView::new),
                })
                .collect(),
            claims: claims.map(|c| self.claimed_stack(c, scenario, &requirements, best)),
            environments: None,
            shared: None,
            tied_with_best: result.tied_with_best().iter().map(|s| s.id()).collect(),
            notes,
            min_cost: None,
        })
    }

    fn per_environment(
        &self,
        techs: &[&Technology],
        scenario: &PreparedScenario,
        constraints: &Constraints,
        shared: &[String],
        max_shared: usize,
        claims: Option<&Claims>,
    ) -> ApiResult<RecommendView> {
        let kb = self.kb;
        let params = &kb.tables.parameters;
        let plan =
            recommend_per_environment(techs, scenario, params, constraints, shared, max_shared)
                .map_err(|e| search_error(kb, e))?;
        let mut notes = Vec::new();
        if !plan.shared_missing.is_empty() {
            notes.push(format!(
                "no shared layer: {}",
                plan.shared_missing.join("; ")
            ));
        }
        let environments: Vec<EnvironmentView> = plan
            .environments
            .iter()
            .map(|e| EnvironmentView {
                scene: e.scene.key(),
                weight: e.weight,
                stack: e.result.stacks.first().map(StackView::new),
                score_with_shared: e.score_with_shared,
                alternatives: e.result.stacks.iter().skip(1).map(StackView::new).collect(),
                search: SearchView::new(&e.result.stats),
            })
            .collect();
        let complete = plan
            .environments
            .iter()
            .all(|e| !e.result.stacks.is_empty());
        if !complete {
            notes.push("some environment has no stack that meets the constraints".into());
        }
        let members: Vec<&Technology> = plan
            .members
            .iter()
            .filter_map(|m| kb.technology(m))
            .collect();
        let (memory_mb, memory_unknown) = stackmatrix_engine::stack_memory_mb(&members);
        let stack = complete.then(|| StackView {
            id: plan.members.join("+"),
            members: plan.members.clone(),
            score: plan.score,
            fit: ConceptValues(plan.fit),
            memory_mb,
            memory_unknown,
        });
        let requirements = StackRequirements {
            capabilities: constraints.require.clone(),
            budget_mb: None,
            spans_environments: true,
        };
        let claims = claims.map(|c| {
            let mut view = self.claimed_stack(c, scenario, &requirements, None);
            let claimed: Vec<&str> = c.stack.iter().filter_map(|m| m.tech.as_deref()).collect();
            // A stack's score is linear in the scene vector, so the claimed stack deployed in
            // every environment scores the weighted mean of its per-scene scores: the plan's
            // own measure.
            view.difference = view.score.filter(|_| complete).map(|s| plan.score - s);
            view.same_as_recommended = view.not_in_knowledge_base.is_empty()
                && claimed.len() == plan.members.len()
                && plan.members.iter().all(|m| claimed.contains(&m.as_str()));
            view
        });
        Ok(RecommendView {
            scenario: ScenarioView::new(scenario, self.lang),
            constraints: constraints_view(constraints),
            stack,
            search: None,
            alternatives: Vec::new(),
            gains: Vec::new(),
            constraint_effects: Vec::new(),
            claims,
            environments: Some(environments),
            shared: plan.shared.as_ref().map(|s| SharedView {
                members: s.members.clone(),
                required: s.required.clone(),
                compared: s.compared,
            }),
            tied_with_best: Vec::new(),
            notes,
            min_cost: None,
        })
    }

    /// The claimed stack of the source document, scored as a stack the user named.
    fn claimed_stack(
        &self,
        claims: &Claims,
        scenario: &PreparedScenario,
        requirements: &StackRequirements,
        best: Option<&ScoredStack>,
    ) -> ClaimedStackView {
        let kb = self.kb;
        let (members, not_in_kb) = stackmatrix_engine::resolve_claimed_stack(kb, claims);
        let id = members
            .iter()
            .map(|m| m.id.as_str())
            .collect::<Vec<_>>()
            .join("+");
        let (ranking, infeasible) = rank_stacks(
            &[(id, members.clone())],
            scenario,
            &kb.tables.parameters,
            requirements,
        );
        let score = ranking.entries.first().map(|e| e.score);
        let same = best.is_some_and(|b| {
            not_in_kb.is_empty()
                && b.members.len() == members.len()
                && members.iter().all(|m| b.members.contains(&m.id))
        });
        ClaimedStackView {
            source: claims.source.clone(),
            members: claims.stack.iter().map(StackMemberView::new).collect(),
            not_in_knowledge_base: not_in_kb,
            score,
            problems: infeasible
                .iter()
                .flat_map(|i| i.problems.iter().map(|p| p.to_string()))
                .collect(),
            difference: best.zip(score).map(|(b, s)| b.score - s),
            same_as_recommended: same,
        }
    }
}
