//! `cases list|show|validate`: the practice cases as documented and checked against the model.

use crate::error::{ApiError, ApiResult};
use crate::views::{
    CaseMemberView, CaseReportView, CaseView, IndicatorClaimView, MaturityClaimView,
};
use stackmatrix_engine::validate_case;
use stackmatrix_model::{KnowledgeBase, Lang, PracticeCase};

/// The practice case with this id.
pub fn find_case<'a>(kb: &'a KnowledgeBase, id: &str) -> ApiResult<&'a PracticeCase> {
    kb.case(id).ok_or_else(|| ApiError::NotFound {
        what: "case",
        id: id.to_string(),
        known: kb.cases.iter().map(|c| c.id.clone()).collect(),
    })
}

fn case_view(c: &PracticeCase, lang: Lang) -> CaseView {
    CaseView {
        id: c.id.clone(),
        name: c.name.get(lang).to_string(),
        scenario: c.scenario.clone(),
        source: c.source.clone(),
        scale: c.scale.get(lang).to_string(),
        stack: c
            .stack
            .iter()
            .map(|m| CaseMemberView {
                label: m.label.clone(),
                tech: m.tech.clone(),
                version: m.version.clone(),
                environment: m.environment.clone(),
            })
            .collect(),
        indicators: c
            .indicators
            .iter()
            .map(|i| IndicatorClaimView {
                name: i.name.get(lang).to_string(),
                claim: i.claim.clone(),
                comparator: i.comparator.symbol(),
                value: i.value,
                unit: i.unit.clone(),
                metric: i.metric.clone(),
                baseline: i.baseline.clone(),
            })
            .collect(),
        maturity: c
            .maturity
            .iter()
            .map(|m| MaturityClaimView {
                concept: m.concept.key(),
                value: m.value,
                note: m.note.get(lang).to_string(),
            })
            .collect(),
    }
}

/// `cases list`: every practice case as documented, by id.
pub fn list_cases(kb: &KnowledgeBase, lang: Lang) -> Vec<CaseView> {
    kb.cases.iter().map(|c| case_view(c, lang)).collect()
}

/// `cases show`: one practice case as documented.
pub fn show_case(kb: &KnowledgeBase, lang: Lang, id: &str) -> ApiResult<CaseView> {
    Ok(case_view(find_case(kb, id)?, lang))
}

/// `cases validate`: a case's claims (every case's when `id` is `None`) checked against the
/// model.
pub fn validate_cases(
    kb: &KnowledgeBase,
    lang: Lang,
    id: Option<&str>,
) -> ApiResult<Vec<CaseReportView>> {
    let cases: Vec<&PracticeCase> = match id {
        Some(id) => vec![find_case(kb, id)?],
        None => kb.cases.iter().collect(),
    };
    cases
        .into_iter()
        .map(|c| {
            let report = validate_case(c, kb).map_err(|e| ApiError::failure(e.to_string()))?;
            Ok(CaseReportView::new(&report, kb, lang))
        })
        .collect()
}
