//! The audit of documented claims: every scenario's documented ranking and stack beside what the
//! model computes, with rank agreement measured, and every practice case checked.

use crate::case_check::{validate_case, CaseError, CaseReport};
use crate::claims::{check_ranking_claims, RankingClaimCheck};
use crate::environments::recommend_per_environment;
use crate::input::ScenarioInput;
use crate::ranking::{rank_stacks, rank_technologies, InfeasibleStack};
use crate::recommend::{recommend_stack, Constraints};
use crate::stack::StackRequirements;
use stackmatrix_model::{KnowledgeBase, Scenario, Technology};

/// Kendall's tau-b between two rankings of the same items (ties allowed in either).
///
/// `τ_b = (n_c − n_d) / sqrt((n_0 − n_1)(n_0 − n_2))` with `n_0 = n(n−1)/2`, `n_1` and `n_2` the
/// pairs tied in `x` and in `y`, `n_c` / `n_d` the concordant / discordant pairs. `None` when
/// fewer than two items or one side is all ties (the coefficient is undefined), as scipy's
/// `kendalltau` returns NaN.
pub fn kendall_tau_b(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len().min(y.len());
    let (mut concordant, mut discordant, mut tied_x, mut tied_y) = (0i64, 0i64, 0i64, 0i64);
    for i in 0..n {
        for j in i + 1..n {
            let dx = (x[i] - x[j]).signum() * if x[i] == x[j] { 0.0 } else { 1.0 };
            let dy = (y[i] - y[j]).signum() * if y[i] == y[j] { 0.0 } else { 1.0 };
            if dx == 0.0 {
                tied_x += 1;
            }
            if dy == 0.0 {
                tied_y += 1;
            }
            if dx != 0.0 && dy != 0.0 {
                if dx == dy {
                    concordant += 1;
                } else {
                    discordant += 1;
                }
            }
        }
    }
    let pairs = (n * n.saturating_sub(1) / 2) as i64;
    let denominator = (((pairs - tied_x) * (pairs - tied_y)) as f64).sqrt();
    (n >= 2 && denominator > 0.0).then(|| (concordant - discordant) as f64 / denominator)
}

/// The documented stack beside the recommended one.
#[derive(Debug, Clone, PartialEq)]
pub struct StackAudit {
    /// Labels of the documented stack.
    pub claimed_labels: Vec<String>,
    /// Ids of its members the knowledge base holds.
    pub claimed_members: Vec<String>,
    /// Labels the knowledge base does not hold.
    pub not_in_knowledge_base: Vec<String>,
    /// Score of the documented members as a stack in the scenario, when they form one.
    pub claimed_score: Option<f64>,
    /// Why they do not, when they do not.
    pub claimed_infeasible: Option<InfeasibleStack>,
    /// Members of the recommended stack (or plan, for a scenario that spans environments).
    pub recommended_members: Vec<String>,
    /// Its score (the weighted plan score for a scenario that spans environments).
    pub recommended_score: Option<f64>,
    /// `|claimed ∩ recommended| / |claimed ∪ recommended|` over knowledge-base ids.
    pub jaccard: f64,
}

/// One scenario's audit.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioAudit {
    /// The scenario id.
    pub scenario: String,
    /// Where the claims come from.
    pub source: String,
    /// Every documented ranking line beside the computed one.
    pub lines: Vec<RankingClaimCheck>,
    /// Kendall's tau-b between documented and computed ranks, over the lines the model ranks.
    pub kendall_tau: Option<f64>,
    /// How many lines the tau compares.
    pub compared: usize,
    /// Whether the documented #1 is among the computed #1s, when the document ranks anything the
    /// model ranks.
    pub top1_agrees: Option<bool>,
    /// The line with the largest |computed − documented| score, and that gap.
    pub largest_gap: Option<(String, f64)>,
    /// The documented stack, when the document names one.
    pub stack: Option<StackAudit>,
}

/// The whole audit.
#[derive(Debug, Clone, PartialEq)]
pub struct Audit {
    /// Every scenario with documented claims, by id.
    pub scenarios: Vec<ScenarioAudit>,
    /// Every practice case, by id.
    pub cases: Vec<CaseReport>,
}

/// Audits every scenario with claims and every practice case of a knowledge base.
///
/// Rankings are computed over the chains in the scenario's own time mode; the documented stack is
/// compared with the stack `recommend` gives under default constraints (at most
/// `max(4, documented size)` members, the scenario's requirements), or, for a scenario that spans
/// environments, with the per-environment plan under the default constraints of `recommend`. Works on whatever the knowledge base holds, built-in or
/// overlaid.
pub fn audit(kb: &KnowledgeBase) -> Result<Audit, CaseError> {
    let scenarios = kb
        .scenarios
        .iter()
        .filter(|s| s.claims.is_some())
        .map(|s| audit_scenario(kb, s))
        .collect();
    let cases = kb
        .cases
        .iter()
        .map(|c| validate_case(c, kb))
        .collect::<Result<_, _>>()?;
    Ok(Audit { scenarios, cases })
}

fn audit_scenario(kb: &KnowledgeBase, s: &Scenario) -> ScenarioAudit {
    let claims = s.claims.as_ref().expect("filtered on claims");
    let params = &kb.tables.parameters;
    let prepared = ScenarioInput::from_scenario(s)
        .prepare(kb)
        .expect("a knowledge-base scenario and Θ are validated when loaded");
    let ranking = rank_technologies(kb.chains(), &prepared, params);
    let lines = check_ranking_claims(&ranking, claims);
    let both: Vec<&RankingClaimCheck> = lines
        .iter()
        .filter(|l| l.claimed_rank.is_some() && l.computed_rank.is_some())
        .collect();
    let x: Vec<f64> = both
        .iter()
        .map(|l| l.claimed_rank.unwrap_or(0) as f64)
        .collect();
    let y: Vec<f64> = both
        .iter()
        .map(|l| l.computed_rank.unwrap_or(0) as f64)
        .collect();
    let top1_agrees = both
        .iter()
        .min_by_key(|l| l.claimed_rank)
        .map(|l| l.computed_rank == Some(1));
    let largest_gap = lines
        .iter()
        .filter_map(|l| l.score_difference().map(|d| (l.label.clone(), d)))
        .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()));
    let stack = (!claims.stack.is_empty()).then(|| audit_stack(kb, s, &prepared));
    ScenarioAudit {
        scenario: s.id.clone(),
        source: claims.source.clone(),
        kendall_tau: kendall_tau_b(&x, &y),
        compared: both.len(),
        top1_agrees,
        largest_gap,
        lines,
        stack,
    }
}

fn audit_stack(
    kb: &KnowledgeBase,
    s: &Scenario,
    prepared: &crate::input::PreparedScenario,
) -> StackAudit {
    let claims = s.claims.as_ref().expect("filtered on claims");
    let params = &kb.tables.parameters;
    let (members, not_in_kb) = crate::claims::resolve_claimed_stack(kb, claims);
    let requirements = StackRequirements {
        capabilities: s.requirements.capabilities.clone(),
        budget_mb: s.requirements.memory_mb_per_node,
        spans_environments: s.spans_environments,
    };
    let id = members
        .iter()
        .map(|m| m.id.as_str())
        .collect::<Vec<_>>()
        .join("+");
    let (ranked, mut infeasible) =
        rank_stacks(&[(id, members.clone())], prepared, params, &requirements);
    let techs: Vec<&Technology> = kb.technologies.iter().collect();
    // A plan that spans environments is searched per environment, where the documented plan's
    // total size means nothing: the default size applies to each environment.
    let constraints = Constraints {
        max_size: if s.spans_environments {
            Constraints::default().max_size
        } else {
            members.len().max(Constraints::default().max_size)
        },
        budget_mb: s.requirements.memory_mb_per_node,
        require: s.requirements.capabilities.clone(),
        alternatives: 1,
        ..Constraints::default()
    };
    let (recommended_members, recommended_score) = if s.spans_environments {
        match recommend_per_environment(
            &techs,
            prepared,
            params,
            &constraints,
            &s.requirements.shared,
            3,
        ) {
            Ok(plan)
                if plan
                    .environments
                    .iter()
                    .all(|e| !e.result.stacks.is_empty()) =>
            {
                (plan.members, Some(plan.score))
            }
            _ => (Vec::new(), None),
        }
    } else {
        match recommend_stack(&techs, prepared, params, &constraints) {
            Ok(r) => r
                .stacks
                .into_iter()
                .next()
                .map(|b| (b.members, Some(b.score)))
                .unwrap_or_default(),
            Err(_) => (Vec::new(), None),
        }
    };
    let claimed_ids: Vec<String> = members.iter().map(|m| m.id.clone()).collect();
    let union = claimed_ids
        .iter()
        .chain(&recommended_members)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let common = claimed_ids
        .iter()
        .filter(|c| recommended_members.contains(c))
        .count();
    StackAudit {
        claimed_labels: claims.stack.iter().map(|m| m.label.clone()).collect(),
        claimed_members: claimed_ids,
        not_in_knowledge_base: not_in_kb,
        claimed_score: ranked.entries.first().map(|e| e.score),
        claimed_infeasible: infeasible.pop(),
        recommended_members,
        recommended_score,
        jaccard: if union == 0 {
            0.0
        } else {
            common as f64 / union as f64
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tau_b_matches_known_values() {
        assert_eq!(kendall_tau_b(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0]), Some(1.0));
        assert_eq!(
            kendall_tau_b(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]),
            Some(-1.0)
        );
        // scipy.stats.kendalltau([1,2,3,4], [1,1,3,4]).statistic == 0.9128709291752769
        let t = kendall_tau_b(&[1.0, 2.0, 3.0, 4.0], &[1.0, 1.0, 3.0, 4.0]).unwrap();
        assert!((t - 0.912_870_929_175_276_9).abs() < 1e-12);
        assert_eq!(kendall_tau_b(&[1.0], &[1.0]), None);
        assert_eq!(kendall_tau_b(&[1.0, 1.0], &[1.0, 2.0]), None);
    }
}
