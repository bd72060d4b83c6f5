//! `audit`: every documented claim beside what the model computes.

use crate::error::{ApiError, ApiResult};
use crate::numbers::fixed;
use crate::views::*;
use stackmatrix_engine::ScenarioAudit;
use stackmatrix_model::{KnowledgeBase, Lang};

/// `audit`: every scenario's documented ranking and stack beside the computed ones, every
/// practice case checked, the verdicts counted and summed up in words.
pub fn audit(kb: &KnowledgeBase, lang: Lang) -> ApiResult<AuditView> {
    let result = stackmatrix_engine::audit(kb).map_err(|e| ApiError::failure(e.to_string()))?;
    let scenarios: Vec<ScenarioAuditView> = result.scenarios.iter().map(scenario_view).collect();
    let cases: Vec<CaseReportView> = result
        .cases
        .iter()
        .map(|c| CaseReportView::new(c, kb, lang))
        .collect();
    let verdicts = VerdictCounts::of(&cases);
    let top1 = scenarios
        .iter()
        .filter(|s| s.top1_agrees == Some(true))
        .count();
    let ranked = scenarios.iter().filter(|s| s.top1_agrees.is_some()).count();
    let same_stack = scenarios
        .iter()
        .filter(|s| s.stack.as_ref().is_some_and(|k| k.jaccard == 1.0))
        .count();
    let with_stack = scenarios.iter().filter(|s| s.stack.is_some()).count();
    let summary = format!(
        "{} scenarios audited: top-1 agrees in {top1} of {ranked} documented rankings; the documented stack equals the recommended one in {same_stack} of {with_stack}. {} cases: maturity claims {} agree, {} model lower, {} model higher, {} no data; performance claims {} supported, {} contradicted, {} no data.",
        scenarios.len(),
        cases.len(),
        verdicts.maturity_agrees,
        verdicts.maturity_model_lower,
        verdicts.maturity_model_higher,
        verdicts.maturity_no_data,
        verdicts.indicators_supported,
        verdicts.indicators_contradicted,
        verdicts.indicators_no_data
    );
    Ok(AuditView {
        scenarios,
        cases,
        verdicts,
        summary,
    })
}

impl VerdictCounts {
    /// The verdicts of these case reports, counted.
    pub fn of(cases: &[CaseReportView]) -> VerdictCounts {
        let mut verdicts = VerdictCounts::default();
        for c in cases {
            for m in &c.maturity {
                match m.verdict {
                    "agrees" => verdicts.maturity_agrees += 1,
                    "model lower" => verdicts.maturity_model_lower += 1,
                    "model higher" => verdicts.maturity_model_higher += 1,
                    _ => verdicts.maturity_no_data += 1,
                }
            }
            for i in &c.indicators {
                match i.verdict {
                    "supported" => verdicts.indicators_supported += 1,
                    "contradicted" => verdicts.indicators_contradicted += 1,
                    _ => verdicts.indicators_no_data += 1,
                }
            }
        }
        verdicts
    }
}

fn scenario_view(s: &ScenarioAudit) -> ScenarioAuditView {
    let ranking: Vec<ClaimLineView> = s.lines.iter().map(ClaimLineView::new).collect();
    let stack = s.stack.as_ref().map(|k| StackAuditView {
        claimed_labels: k.claimed_labels.clone(),
        claimed_members: k.claimed_members.clone(),
        not_in_knowledge_base: k.not_in_knowledge_base.clone(),
        claimed_score: k.claimed_score,
        claimed_problems: k
            .claimed_infeasible
            .iter()
            .flat_map(|i| i.problems.iter().map(|p| p.to_string()))
            .collect(),
        recommended_members: k.recommended_members.clone(),
        recommended_score: k.recommended_score,
        jaccard: k.jaccard,
    });
    let mut parts = Vec::new();
    match s.top1_agrees {
        Some(true) => {
            let firsts = s
                .lines
                .iter()
                .filter(|l| l.computed_rank == Some(1))
                .count();
            parts.push(if firsts > 1 {
                "top-1 agrees (first place is shared)".to_string()
            } else {
                "top-1 agrees".to_string()
            })
        }
        Some(false) => parts.push("top-1 differs".to_string()),
        None => parts.push("no documented ranking the model can compare".to_string()),
    }
    if let Some(t) = s.kendall_tau {
        parts.push(format!(
            "Kendall tau {} over {} lines",
            fixed(t, 3),
            s.compared
        ));
    }
    if let Some((label, d)) = &s.largest_gap {
        parts.push(format!(
            "largest gap {label} {}{}",
            if *d > 0.0 { "+" } else { "" },
            fixed(*d, 2)
        ));
    }
    if let Some(k) = &stack {
        let verdict = if k.jaccard == 1.0 {
            "documented stack = recommended".to_string()
        } else if !k.claimed_problems.is_empty() {
            format!(
                "documented stack is not a stack here ({})",
                k.claimed_problems.join("; ")
            )
        } else if k
            .claimed_score
            .zip(k.recommended_score)
            .is_some_and(|(a, b)| (a - b).abs() <= 1e-9)
        {
            format!(
                "documented stack differs but scores the same as the recommended one (overlap {}; both {})",
                fixed(k.jaccard, 2),
                k.claimed_score.map(|x| fixed(x, 4)).unwrap_or_default()
            )
        } else {
            format!(
                "documented stack differs (overlap {}; scores {} vs recommended {})",
                fixed(k.jaccard, 2),
                k.claimed_score
                    .map(|x| fixed(x, 4))
                    .unwrap_or_else(|| "-".into()),
                k.recommended_score
                    .map(|x| fixed(x, 4))
                    .unwrap_or_else(|| "-".into())
            )
        };
        parts.push(verdict);
    }
    ScenarioAuditView {
        scenario: s.scenario.clone(),
        source: s.source.clone(),
        ranking,
        kendall_tau: s.kendall_tau,
        compared: s.compared,
        top1_agrees: s.top1_agrees,
        largest_gap: s.largest_gap.as_ref().map(|(label, d)| GapView {
            label: label.clone(),
            difference: *d,
        }),
        stack,
        summary: format!("{}: {}", s.scenario, parts.join("; ")),
    }
}
