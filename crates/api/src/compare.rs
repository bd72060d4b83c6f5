//! `compare`: one scenario's decision matrix ranked by several methods, side by side, with
//! Spearman's rho, Kendall's tau and the WS rank similarity between each pair of rankings.

use crate::decide::{method_refusal, ordered_entries, parse_method, scenario_matrix};
use crate::error::{ApiError, ApiResult};
use crate::request::CompareRequest;
use crate::views::{
    CompareView, ComparedAlternativeView, ComparedMethodView, MethodPairView, RefusedMethodView,
    ScenarioView,
};
use stackmatrix_engine::mcdm::{kendall_tau, rank_similarity, spearman, Method};
use stackmatrix_model::{KnowledgeBase, Lang};

/// Average ranks from competition ranks: a group of `k` alternatives sharing rank `r` occupies
/// positions `r … r + k − 1` and gets their mean, `r + (k − 1) / 2` (the convention of the rank
/// correlations, pymcdm's `rankdata`).
pub(crate) fn average_ranks(ranks: &[usize]) -> Vec<f64> {
    ranks
        .iter()
        .map(|&r| {
            let k = ranks.iter().filter(|&&s| s == r).count();
            r as f64 + (k as f64 - 1.0) / 2.0
        })
        .collect()
}

/// `compare`: the scenario's decision matrix (as `rank --method` builds it) ranked by each
/// method [default: all eight with their defaults], and every pair of rankings correlated.
pub fn compare(kb: &KnowledgeBase, lang: Lang, req: &CompareRequest) -> ApiResult<CompareView> {
    let methods: Vec<Method> = match &req.methods {
        None => Method::all(),
        Some(specs) if specs.is_empty() => {
            return Err(ApiError::bad_input(
                "methods",
                format!(
                    "no method given; expected at least one of {}",
                    Method::NAMES.join(", ")
                ),
            ))
        }
        Some(specs) => specs
            .iter()
            .map(|s| parse_method("methods", s))
            .collect::<ApiResult<_>>()?,
    };
    let specs: Vec<String> = methods.iter().map(Method::to_string).collect();
    for (i, s) in specs.iter().enumerate() {
        if specs[..i].contains(s) {
            return Err(ApiError::bad_input(
                "methods",
                format!("{s} is given twice; give each method at most once"),
            ));
        }
    }
    let problem = scenario_matrix(kb, &req.scenario, req.stacks.as_deref(), &req.cost_criteria)?;
    let mut results = Vec::with_capacity(methods.len());
    let mut kept = Vec::with_capacity(methods.len());
    let mut refused = Vec::new();
    for (m, spec) in methods.into_iter().zip(specs) {
        match m.rank(&problem.matrix, &problem.weights) {
            Ok(r) => {
                results.push(r);
                kept.push((m, spec));
            }
            // A method asked for by name that cannot rank the matrix is the request's error;
            // one of the default list is skipped and named.
            Err(e) if req.methods.is_some() => {
                let message = method_refusal("methods", &m, e).message();
                return Err(ApiError::bad_input("methods", format!("{spec}: {message}")));
            }
            Err(e) => refused.push(RefusedMethodView {
                method: spec,
                reason: e.to_string(),
            }),
        }
    }
    if kept.is_empty() {
        return Err(ApiError::bad_input(
            "methods",
            format!(
                "no method can rank this matrix: {}",
                refused
                    .iter()
                    .map(|r| r.reason.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        ));
    }
    let (methods, specs): (Vec<Method>, Vec<String>) = kept.into_iter().unzip();
    let first_ranks = &results[0].1;
    let alternatives = ordered_entries(&problem.entries, first_ranks)
        .into_iter()
        .map(|i| {
            let e = &problem.entries[i];
            ComparedAlternativeView {
                id: e.id.clone(),
                name: e.name.get(lang).to_string(),
                ranks: results.iter().map(|(_, r)| r[i]).collect(),
                preferences: results.iter().map(|(p, _)| p[i]).collect(),
            }
        })
        .collect();
    let average: Vec<Vec<f64>> = results.iter().map(|(_, r)| average_ranks(r)).collect();
    let mut pairs = Vec::new();
    for a in 0..methods.len() {
        for b in a + 1..methods.len() {
            let (x, y) = (&average[a], &average[b]);
            pairs.push(MethodPairView {
                first: specs[a].clone(),
                second: specs[b].clone(),
                spearman: spearman(x, y).ok(),
                kendall_tau: kendall_tau(x, y).ok(),
                rank_similarity: rank_similarity(x, y).ok(),
                rank_similarity_reversed: rank_similarity(y, x).ok(),
            });
        }
    }
    Ok(CompareView {
        scenario: ScenarioView::new(&problem.prepared, lang),
        criteria: problem.criteria,
        methods: methods
            .iter()
            .zip(&specs)
            .map(|(m, spec)| ComparedMethodView {
                method: spec.clone(),
                name: m.name(),
                higher_is_better: m.higher_is_better(),
            })
            .collect(),
        alternatives,
        pairs,
        infeasible: problem.infeasible,
        left_out: problem.left_out,
        refused,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_take_the_average_of_their_positions() {
        assert_eq!(average_ranks(&[1, 2, 2, 4]), vec![1.0, 2.5, 2.5, 4.0]);
        assert_eq!(average_ranks(&[1, 1, 1]), vec![2.0, 2.0, 2.0]);
        assert_eq!(average_ranks(&[3, 1, 2]), vec![3.0, 1.0, 2.0]);
    }
}
