//! `decide` and `rank --method`: multi-criteria decision methods on a decision matrix of your
//! own, or on the decision matrix of a scenario (the chains or named stacks by their 12 concept
//! fits, plus optional cost criteria).

use crate::error::{ApiError, ApiResult};
use crate::request::{
    DecideRequest, DecideWeights, MethodRankRequest, PairwiseRequest, ScenarioRequest,
    DEFAULT_DECIDE_METHOD, WEIGHTING_METHODS_TEXT,
};
use crate::scenario::resolve;
use crate::views::{
    AhpView, ConceptValues, CriterionView, DecideView, DecisionEntryView, InfeasibleView,
    JudgementView, LeftOutView, MethodRankEntryView, MethodRankView, ScenarioView, WeightingView,
};
use stackmatrix_engine::mcdm::{
    ahp, order_by_rank, tied_ranks, CriterionType, DecisionMatrix, McdmError, Method,
    PairwiseComparisons, WeightingMethod, CONSISTENCY_THRESHOLD,
};
use stackmatrix_engine::{
    rank_technologies, stack_memory_mb, PreparedScenario, RankedTech, Ranking,
};
use stackmatrix_model::{Concept, KnowledgeBase, Lang, Technology};
use std::collections::HashMap;
use std::hash::Hash;

/// The decision methods `--method`, `methods` and the page offer: the engine's one list
/// ([`Method::NAMES`]), so that a method added to the engine is offered everywhere at once.
pub const METHOD_NAMES: [&str; Method::NAMES.len()] = Method::NAMES;

/// The method names as help texts write them: `wsm, wpm, …, edas`.
pub fn method_names_text() -> String {
    METHOD_NAMES.join(", ")
}

/// What a method argument accepts, as help texts say it: the names, then examples of parameters.
pub fn method_choices_text() -> String {
    format!(
        "{}, with parameters (topsis:norm=vector, vikor:v=0.3)",
        method_names_text()
    )
}

/// Parses a method specification; errors are bad input of `field`.
pub(crate) fn parse_method(field: &'static str, spec: &str) -> ApiResult<Method> {
    Method::from_name(spec).map_err(|e| ApiError::bad_input(field, e.to_string()))
}

/// A method's refusal as bad input of `field`; when a normalisation refused the matrix and the
/// method takes another, the message says so.
pub(crate) fn method_refusal(field: &'static str, method: &Method, e: McdmError) -> ApiError {
    let mut message = e.to_string();
    let normalisation_refused =
        matches!(&e, McdmError::Unsupported { method, .. } if method.ends_with("_normalization"));
    let takes_norm = matches!(
        method,
        Method::Wsm(_) | Method::Wpm(_) | Method::Topsis(_) | Method::Vikor(_) | Method::Waspas(_)
    );
    if normalisation_refused && takes_norm {
        message.push_str(&format!(
            "; another normalisation may accept it, e.g. {}:norm=minmax",
            method.name()
        ));
    }
    ApiError::bad_input(field, message)
}

/// The type a request names: `+`, `benefit` or `1`; `-`, `cost` or `-1` (case ignored).
fn criterion_type(text: &str) -> Option<CriterionType> {
    match text.trim().to_ascii_lowercase().as_str() {
        "+" | "benefit" | "1" | "+1" => Some(CriterionType::Benefit),
        "-" | "cost" | "-1" => Some(CriterionType::Cost),
        _ => None,
    }
}

fn type_name(t: CriterionType) -> &'static str {
    match t {
        CriterionType::Benefit => "benefit",
        CriterionType::Cost => "cost",
    }
}

/// The weighting method a request names: pymcdm's names (`standard_deviation`) and the short
/// ones (`std`), ASCII case ignored and `-` read as `_`.
fn weighting_method(name: &str) -> ApiResult<WeightingMethod> {
    let key = name.trim().to_ascii_lowercase().replace('-', "_");
    let key = key.strip_suffix("_weights").unwrap_or(&key);
    let key = match key {
        "std" | "sd" | "stdev" | "stddev" => "standard_deviation",
        k => k,
    };
    if key == "ahp" {
        return Err(ApiError::bad_input(
            "weights",
            "AHP weights come from a pairwise comparison matrix; give it as ahp instead of naming the method",
        ));
    }
    WeightingMethod::from_name(key).ok_or_else(|| {
        ApiError::bad_input(
            "weights",
            format!(
                "unknown weighting method '{name}'; expected numbers, one per criterion, or one of {WEIGHTING_METHODS_TEXT}"
            ),
        )
    })
}

/// Words of the notes of `decide`.
struct Notes {
    types: &'static str,
    weights: &'static str,
    method: &'static str,
    normalised: &'static str,
}

fn notes(lang: Lang) -> Notes {
    match lang {
        Lang::En => Notes {
            types:
                "no criterion types given: every criterion is taken as a benefit (more is better)",
            weights: "no weights given: equal weights",
            method: "no method given",
            normalised: "the weights summed to {sum} and were divided by their sum",
        },
        Lang::Zh => Notes {
            types: "未给出准则类型：所有准则按效益型（越大越好）处理",
            weights: "未给出权重：使用等权重",
            method: "未给出方法",
            normalised: "权重之和为 {sum}，已除以其和",
        },
    }
}

/// Checks that `names` are unique and not empty; `what` names them in messages.
///
/// One pass with a set of the names seen ([`first_repeat`]), `O(m)`: comparing each name with
/// the ones before it made `decide` quadratic in the alternatives.
fn check_names(field: &'static str, what: &str, names: &[String]) -> ApiResult<()> {
    if names.is_empty() {
        return Err(ApiError::bad_input(
            field,
            format!("no {what}s; expected at least one"),
        ));
    }
    // The first problem in the order of the names, as one loop over them would find it.
    let empty = names.iter().position(|n| n.trim().is_empty());
    let repeat = first_repeat(names);
    if let Some(i) = empty.filter(|&e| repeat.is_none_or(|(_, i)| e <= i)) {
        return Err(ApiError::bad_input(
            field,
            format!("{what} {} has an empty name; expected a name", i + 1),
        ));
    }
    if let Some((j, i)) = repeat {
        return Err(ApiError::bad_input(
            field,
            format!(
                "{what} '{}' is named twice ({} and {}); expected each name once",
                names[i],
                j + 1,
                i + 1
            ),
        ));
    }
    Ok(())
}

/// The first item equal to an earlier one, as `(earlier, later)` indices: one pass with a map of
/// the items seen, `O(m)` hashes and at most a few equality checks per item (a test counts
/// them), never a comparison of every pair.
pub(crate) fn first_repeat<T: Hash + Eq>(items: &[T]) -> Option<(usize, usize)> {
    let mut seen: HashMap<&T, usize> = HashMap::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if let Some(&j) = seen.get(item) {
            return Some((j, i));
        }
        seen.insert(item, i);
    }
    None
}

/// `decide`: a decision matrix of your own ranked by a method, with the weights given, derived
/// by a weighting method, or from an AHP pairwise comparison matrix (refused when its
/// consistency ratio exceeds 0.1, naming the least consistent judgements).
pub fn decide(lang: Lang, req: &DecideRequest) -> ApiResult<DecideView> {
    let words = notes(lang);
    let mut notes = Vec::new();
    check_names("alternatives", "alternative", &req.alternatives)?;
    check_names("criteria", "criterion", &req.criteria)?;
    let (m, n) = (req.alternatives.len(), req.criteria.len());
    if req.matrix.len() != m {
        return Err(ApiError::bad_input(
            "matrix",
            format!(
                "{} rows; expected {m}, one per alternative",
                req.matrix.len()
            ),
        ));
    }
    for (i, row) in req.matrix.iter().enumerate() {
        if row.len() != n {
            return Err(ApiError::bad_input(
                "matrix",
                format!(
                    "row {} ('{}') has {} values; expected {n}, one per criterion",
                    i + 1,
                    req.alternatives[i],
                    row.len()
                ),
            ));
        }
        if let Some(j) = row.iter().position(|x| !x.is_finite()) {
            return Err(ApiError::bad_input(
                "matrix",
                format!(
                    "row {} ('{}'), criterion '{}': {} is not a finite number",
                    i + 1,
                    req.alternatives[i],
                    req.criteria[j],
                    row[j]
                ),
            ));
        }
    }
    let types = match &req.types {
        None => {
            notes.push(words.types.to_string());
            vec![CriterionType::Benefit; n]
        }
        Some(given) => {
            if given.len() != n {
                return Err(ApiError::bad_input(
                    "types",
                    format!(
                        "{} type{} given; expected {n}, one per criterion ({})",
                        given.len(),
                        if given.len() == 1 { "" } else { "s" },
                        req.criteria.join(", ")
                    ),
                ));
            }
            given
                .iter()
                .enumerate()
                .map(|(j, t)| {
                    criterion_type(t).ok_or_else(|| {
                        ApiError::bad_input(
                            "types",
                            format!(
                                "'{t}' (criterion '{}') is not a type; expected + or benefit, - or cost",
                                req.criteria[j]
                            ),
                        )
                    })
                })
                .collect::<ApiResult<Vec<_>>>()?
        }
    };
    let matrix = DecisionMatrix::from_rows(
        req.alternatives.clone(),
        req.criteria.clone(),
        types.clone(),
        &req.matrix,
    )
    .map_err(|e| ApiError::bad_input("matrix", e.to_string()))?;
    let method = match &req.method {
        Some(spec) => parse_method("method", spec)?,
        None => {
            let m = parse_method("method", DEFAULT_DECIDE_METHOD)?;
            notes.push(format!("{}: {m}", words.method));
            m
        }
    };
    // A method quadratic in the alternatives (PROMETHEE II) refuses a matrix past its limit
    // here, before the weights are derived.
    method
        .check_size(m, n)
        .map_err(|e| method_refusal("method", &method, e))?;
    let (weights, weighting) = match (&req.weights, &req.ahp) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_input(
                "ahp",
                "both weights and a pairwise comparison matrix are given; expected one of them",
            ))
        }
        (None, Some(pairwise)) => ahp_weights(&req.criteria, pairwise)?,
        (Some(DecideWeights::Values(values)), None) => {
            let (w, sum) = normalised_weights(values, &req.criteria)?;
            let normalised = (sum - 1.0).abs() > 1e-9;
            if normalised {
                notes.push(
                    words
                        .normalised
                        .replace("{sum}", &crate::numbers::short(sum)),
                );
            }
            let view = WeightingView {
                source: "given".into(),
                input_sum: Some(sum),
                normalised,
                ahp: None,
            };
            (w, view)
        }
        (Some(DecideWeights::Method(name)), None) => {
            let wm = weighting_method(name)?;
            // The engine's error names the weighting method already ("Gini weights: ...").
            let w = wm
                .weights(&matrix)
                .map_err(|e| ApiError::bad_input("weights", e.to_string()))?;
            let view = WeightingView {
                source: wm.name().into(),
                input_sum: None,
                normalised: false,
                ahp: None,
            };
            (w, view)
        }
        (None, None) => {
            notes.push(words.weights.to_string());
            let view = WeightingView {
                source: "equal".into(),
                input_sum: None,
                normalised: false,
                ahp: None,
            };
            (
                WeightingMethod::Equal.weights(&matrix).unwrap_or_default(),
                view,
            )
        }
    };
    let (preferences, ranks) = method
        .rank(&matrix, &weights)
        .map_err(|e| method_refusal("method", &method, e))?;
    // By rank, then by row; the tie flags in one counting pass (counting each alternative's
    // rank among all the others made `decide` quadratic).
    let tied = tied_ranks(&ranks);
    let ranking = order_by_rank(&ranks)
        .into_iter()
        .map(|i| DecisionEntryView {
            rank: ranks[i],
            tied: tied[i],
            index: i,
            alternative: req.alternatives[i].clone(),
            preference: preferences[i],
        })
        .collect();
    Ok(DecideView {
        method: method.to_string(),
        higher_is_better: method.higher_is_better(),
        criteria: criteria_views(&req.criteria, &types, &weights),
        weighting,
        ranking,
        notes,
    })
}

fn criteria_views(
    names: &[String],
    types: &[CriterionType],
    weights: &[f64],
) -> Vec<CriterionView> {
    names
        .iter()
        .zip(types)
        .zip(weights)
        .map(|((name, t), w)| CriterionView {
            name: name.clone(),
            kind: type_name(*t),
            weight: *w,
        })
        .collect()
}

/// Given weights divided by their sum, and the sum.
fn normalised_weights(values: &[f64], criteria: &[String]) -> ApiResult<(Vec<f64>, f64)> {
    if values.len() != criteria.len() {
        return Err(ApiError::bad_input(
            "weights",
            format!(
                "{} weight{} given; expected {}, one per criterion ({})",
                values.len(),
                if values.len() == 1 { "" } else { "s" },
                criteria.len(),
                criteria.join(", ")
            ),
        ));
    }
    for (w, c) in values.iter().zip(criteria) {
        if !w.is_finite() {
            return Err(ApiError::bad_input(
                "weights",
                format!("the weight of '{c}' ({w}) is not a finite number"),
            ));
        }
        if *w < 0.0 {
            return Err(ApiError::bad_input(
                "weights",
                format!("the weight of '{c}' is negative ({w}); expected weights of 0 or more"),
            ));
        }
    }
    let sum: f64 = values.iter().sum();
    if !(sum > 0.0 && sum.is_finite()) {
        return Err(ApiError::bad_input(
            "weights",
            format!(
                "the weights sum to {sum}; expected weights of 0 or more that add up to a positive number"
            ),
        ));
    }
    Ok((values.iter().map(|w| w / sum).collect(), sum))
}

/// AHP weights in the order of `criteria`, refusing an inconsistent matrix with the engine's
/// message (which names the least consistent judgements).
fn ahp_weights(
    criteria: &[String],
    pairwise: &PairwiseRequest,
) -> ApiResult<(Vec<f64>, WeightingView)> {
    let labels = pairwise.labels.clone().unwrap_or_else(|| criteria.to_vec());
    let unknown: Vec<&str> = labels
        .iter()
        .filter(|l| !criteria.contains(l))
        .map(String::as_str)
        .collect();
    let missing: Vec<&str> = criteria
        .iter()
        .filter(|c| !labels.contains(c))
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() || !missing.is_empty() || labels.len() != criteria.len() {
        let mut parts = Vec::new();
        if !unknown.is_empty() {
            parts.push(format!(
                "it compares {} that the matrix does not have",
                unknown.join(", ")
            ));
        }
        if !missing.is_empty() {
            parts.push(format!("it does not compare {}", missing.join(", ")));
        }
        if parts.is_empty() {
            parts.push("it names a criterion twice".into());
        }
        return Err(ApiError::bad_input(
            "ahp",
            format!(
                "the pairwise comparison matrix does not match the criteria: {}; expected each of {} once",
                parts.join("; "),
                criteria.join(", ")
            ),
        ));
    }
    let comparisons = PairwiseComparisons::new(labels.clone(), pairwise.matrix.clone())
        .map_err(|e| ApiError::bad_input("ahp", e.to_string()))?;
    let analysis = ahp(&comparisons).map_err(|e| ApiError::bad_input("ahp", e.to_string()))?;
    let weights = criteria
        .iter()
        .map(|c| {
            let k = labels.iter().position(|l| l == c).unwrap_or_default();
            analysis.weights[k]
        })
        .collect();
    let view = AhpView {
        labels,
        weights: analysis.weights.clone(),
        lambda_max: analysis.lambda_max,
        consistency_index: analysis.consistency_index,
        random_index: analysis.random_index,
        random_index_table: analysis.random_index_table.source(),
        consistency_ratio: analysis.consistency_ratio,
        threshold: CONSISTENCY_THRESHOLD,
        least_consistent: analysis
            .least_consistent(3)
            .iter()
            .map(|j| JudgementView {
                row: j.row_label.clone(),
                column: j.column_label.clone(),
                said: j.said,
                implied: j.implied,
                deviation: j.deviation,
            })
            .collect(),
    };
    Ok((
        weights,
        WeightingView {
            source: "ahp".into(),
            input_sum: None,
            normalised: false,
            ahp: Some(view),
        },
    ))
}

/// The scenario's deterministic ranking of the chains, or of the named stacks (with the ones
/// that cannot be stacks here).
pub(crate) fn scenario_ranking(
    kb: &KnowledgeBase,
    scenario: &ScenarioRequest,
    stacks: Option<&[Vec<String>]>,
) -> ApiResult<(Ranking, Option<Vec<InfeasibleView>>)> {
    let (prepared, source) = resolve(kb, scenario)?;
    let Some(specs) = stacks else {
        let ranking = rank_technologies(kb.chains(), &prepared, &kb.tables.parameters);
        return Ok((ranking, None));
    };
    let (ranking, infeasible) = crate::rank::named_stacks_ranking(kb, specs, &prepared, source)?;
    Ok((ranking, Some(infeasible)))
}

/// The decision matrix of a scenario: alternatives (in the deterministic ranking's order) by
/// the 12 concept fits and any cost criteria, with the weights.
pub(crate) struct ScenarioMatrix {
    pub prepared: PreparedScenario,
    pub entries: Vec<RankedTech>,
    pub memory: Option<Vec<f64>>,
    pub matrix: DecisionMatrix,
    pub weights: Vec<f64>,
    pub criteria: Vec<CriterionView>,
    pub infeasible: Option<Vec<InfeasibleView>>,
    pub left_out: Vec<LeftOutView>,
}

/// The weight of the `memory` cost criterion, or `None` without it.
fn memory_weight(cost_criteria: &[String]) -> ApiResult<Option<f64>> {
    let mut weight = None;
    for item in cost_criteria {
        let (name, value) = match item.split_once('=') {
            Some((n, v)) => (n.trim(), Some(v.trim())),
            None => (item.trim(), None),
        };
        if !matches!(name, "memory" | "memory_mb") {
            return Err(ApiError::bad_input(
                "cost_criteria",
                format!(
                    "unknown cost criterion '{name}'; expected memory (memory per node, MB), optionally with its weight on the scale of the concept weights, e.g. memory=2"
                ),
            ));
        }
        if weight.is_some() {
            return Err(ApiError::bad_input(
                "cost_criteria",
                "memory is given twice; give each cost criterion at most once",
            ));
        }
        let w = match value {
            None => 1.0,
            Some(v) => match v.parse::<f64>() {
                Ok(x) if x.is_finite() && x >= 0.0 => x,
                _ => {
                    return Err(ApiError::bad_input(
                        "cost_criteria",
                        format!(
                            "the weight of memory, '{v}', is not a number of 0 or more; expected e.g. memory=2"
                        ),
                    ))
                }
            },
        };
        weight = Some(w);
    }
    Ok(weight)
}

/// Builds the scenario's decision matrix.
pub(crate) fn scenario_matrix(
    kb: &KnowledgeBase,
    scenario: &ScenarioRequest,
    stacks: Option<&[Vec<String>]>,
    cost_criteria: &[String],
) -> ApiResult<ScenarioMatrix> {
    let memory_weight = memory_weight(cost_criteria)?;
    let (ranking, infeasible) = scenario_ranking(kb, scenario, stacks)?;
    let mut entries = Vec::new();
    let mut memory = Vec::new();
    let mut left_out = Vec::new();
    for e in ranking.entries {
        if memory_weight.is_some() {
            let members: Vec<&Technology> =
                e.members.iter().filter_map(|m| kb.technology(m)).collect();
            let (total, unknown) = stack_memory_mb(&members);
            if !unknown.is_empty() {
                left_out.push(LeftOutView {
                    id: e.id.clone(),
                    reason: format!("no memory figure for {}", unknown.join(", ")),
                });
                continue;
            }
            memory.push(total);
        }
        entries.push(e);
    }
    if entries.is_empty() {
        let why = if left_out.is_empty() {
            "nothing to rank".to_string()
        } else {
            format!(
                "every alternative was left out for lack of a memory figure ({})",
                left_out
                    .iter()
                    .map(|l| l.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let field = if left_out.is_empty() {
            "stacks"
        } else {
            "cost_criteria"
        };
        return Err(ApiError::bad_input(field, why));
    }
    let prepared = ranking.scenario;
    let mut names: Vec<String> = Concept::KEYS.iter().map(|k| k.to_string()).collect();
    let mut types = vec![CriterionType::Benefit; names.len()];
    let mut raw: Vec<f64> = prepared.weights.to_vec();
    if let Some(w) = memory_weight {
        names.push("memory_mb".into());
        types.push(CriterionType::Cost);
        raw.push(w);
    }
    let total: f64 = raw.iter().sum();
    if !(total > 0.0 && total.is_finite()) {
        return Err(ApiError::bad_input(
            "weights",
            "the criterion weights add up to 0; expected at least one positive weight",
        ));
    }
    let weights: Vec<f64> = raw.iter().map(|w| w / total).collect();
    let rows: Vec<Vec<f64>> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            // Θ scales each concept's fit as it scales the score (θ∘f; with Θ the identity the
            // fits are used as they are).
            let mut row: Vec<f64> = e
                .fit
                .iter()
                .zip(&prepared.theta)
                .map(|(f, t)| f * t)
                .collect();
            if memory_weight.is_some() {
                row.push(memory[i]);
            }
            row
        })
        .collect();
    let matrix = DecisionMatrix::new(
        entries.iter().map(|e| e.id.clone()).collect(),
        names.clone(),
        types.clone(),
        rows,
    )
    .map_err(|e| ApiError::failure(format!("the scenario's decision matrix: {e}")))?;
    Ok(ScenarioMatrix {
        prepared,
        entries,
        memory: memory_weight.map(|_| memory),
        matrix,
        criteria: criteria_views(&names, &types, &weights),
        weights,
        infeasible,
        left_out,
    })
}

/// `rank` with a multi-criteria method: the scenario's decision matrix (the chains or the named
/// stacks by their 12 concept fits (times θ_c when the knowledge base has learned Θ), benefits,
/// weighted by the concept weights divided by their sum; with `memory`, memory per node as a cost, alternatives without a figure left out and
/// listed) ranked by the method. Each entry's `score` is the method's preference.
pub fn rank_by_method(
    kb: &KnowledgeBase,
    lang: Lang,
    req: &MethodRankRequest,
) -> ApiResult<MethodRankView> {
    let method = parse_method("method", &req.method)?;
    let problem = scenario_matrix(kb, &req.scenario, req.stacks.as_deref(), &req.cost_criteria)?;
    let (preferences, ranks) = method
        .rank(&problem.matrix, &problem.weights)
        .map_err(|e| method_refusal("method", &method, e))?;
    let tied = tied_ranks(&ranks);
    let ranking = ordered_entries(&problem.entries, &ranks)
        .into_iter()
        .map(|i| {
            let e = &problem.entries[i];
            MethodRankEntryView {
                rank: ranks[i],
                tied: tied[i],
                id: e.id.clone(),
                name: e.name.get(lang).to_string(),
                members: e.members.clone(),
                score: preferences[i],
                fit: ConceptValues(e.fit),
                memory_mb: problem.memory.as_ref().map(|m| m[i]),
            }
        })
        .collect();
    Ok(MethodRankView {
        scenario: ScenarioView::new(&problem.prepared, lang),
        method: method.to_string(),
        higher_is_better: method.higher_is_better(),
        criteria: problem.criteria,
        ranking,
        infeasible: problem.infeasible,
        left_out: problem.left_out,
    })
}

/// Indices of `entries` by rank, ties by id.
pub(crate) fn ordered_entries(entries: &[RankedTech], ranks: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| {
        ranks[a]
            .cmp(&ranks[b])
            .then_with(|| entries[a].id.cmp(&entries[b].id))
    });
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::hash::Hasher;

    /// A name whose equality checks are counted.
    struct Counted<'a> {
        name: String,
        checks: &'a Cell<usize>,
    }

    impl PartialEq for Counted<'_> {
        fn eq(&self, other: &Self) -> bool {
            self.checks.set(self.checks.get() + 1);
            self.name == other.name
        }
    }

    impl Eq for Counted<'_> {}

    impl Hash for Counted<'_> {
        fn hash<H: Hasher>(&self, state: &mut H) {
            self.name.hash(state);
        }
    }

    /// The structural guard against a quadratic name check (defect 13 of issue 13): finding a
    /// repeated name among `m` names takes a few equality checks per name, not one per pair
    /// (`m (m − 1) / 2` = 50 million at `m` = 10,000). Counted, not timed.
    #[test]
    fn a_repeated_name_is_found_with_a_few_checks_per_name() {
        let m = 10_000;
        let checks = Cell::new(0);
        let names = |last: Option<usize>| -> Vec<Counted<'_>> {
            (0..m)
                .map(|i| Counted {
                    name: format!("a{}", if i == m - 1 { last.unwrap_or(i) } else { i }),
                    checks: &checks,
                })
                .collect()
        };
        assert_eq!(first_repeat(&names(None)), None);
        assert!(
            checks.get() <= 2 * m,
            "{} checks for {m} names",
            checks.get()
        );
        checks.set(0);
        assert_eq!(first_repeat(&names(Some(17))), Some((17, m - 1)));
        assert!(
            checks.get() <= 2 * m,
            "{} checks for {m} names",
            checks.get()
        );
    }

    #[test]
    fn names_report_the_first_problem_in_their_order() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let message = |v: &[&str]| {
            check_names("alternatives", "alternative", &names(v))
                .unwrap_err()
                .to_string()
        };
        assert!(message(&["a", "b", "a", " "]).contains("'a' is named twice (1 and 3)"));
        assert!(message(&["a", " ", "a"]).contains("alternative 2 has an empty name"));
        assert!(message(&["", ""]).contains("alternative 1 has an empty name"));
        assert!(check_names("alternatives", "alternative", &names(&["a", "b"])).is_ok());
    }
}
