//! Checking a practice case against the model: every maturity claim beside the model's value for
//! the case's stack in the case's scenario, every performance claim beside the knowledge-base
//! figure it rests on. No claim is skipped: a claim the model cannot check says so.

use crate::input::{PreparedScenario, ScenarioInput};
use crate::scoring::{scenario_fit, time_matrix};
use crate::stack::{
    compose_stack, stack_fit_and_score, stack_problems, StackProblem, StackRequirements,
};
use stackmatrix_model::{
    Comparator, Concept, Indicator, KnowledgeBase, MaturityClaim, PracticeCase, Scene, Technology,
    CONCEPT_COUNT,
};

/// A claimed maturity agrees with the model when they differ by at most this much.
pub const CLAIM_TOLERANCE: f64 = 0.05;

/// How a claimed maturity compares with the model's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaturityVerdict {
    /// Within [`CLAIM_TOLERANCE`].
    Agrees,
    /// The model's value is lower than the claim by more than the tolerance.
    ModelLower,
    /// The model's value is higher than the claim by more than the tolerance.
    ModelHigher,
    /// No member of the case's stack covers the concept.
    NoData,
}

impl MaturityVerdict {
    /// The key used in JSON and tables.
    pub fn key(self) -> &'static str {
        match self {
            MaturityVerdict::Agrees => "agrees",
            MaturityVerdict::ModelLower => "model lower",
            MaturityVerdict::ModelHigher => "model higher",
            MaturityVerdict::NoData => "no data",
        }
    }
}

/// One maturity claim checked.
#[derive(Debug, Clone, PartialEq)]
pub struct MaturityCheck {
    /// The claim.
    pub claim: MaturityClaim,
    /// The model's fit for the concept: `Σ_j s_j · A_stack[c][j]`.
    pub model: Option<f64>,
    /// The verdict.
    pub verdict: MaturityVerdict,
}

/// How a performance claim compares with the knowledge base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndicatorVerdict {
    /// The knowledge-base figure satisfies the claim.
    Supported,
    /// The knowledge-base figure contradicts the claim.
    Contradicted,
    /// The knowledge base holds no figure the claim can be checked against.
    NoData,
}

impl IndicatorVerdict {
    /// The key used in JSON and tables.
    pub fn key(self) -> &'static str {
        match self {
            IndicatorVerdict::Supported => "supported",
            IndicatorVerdict::Contradicted => "contradicted",
            IndicatorVerdict::NoData => "no data",
        }
    }
}

/// One footprint figure a check rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureUse {
    /// The technology.
    pub tech: String,
    /// Its figure.
    pub value: f64,
    /// Where the figure comes from.
    pub source: String,
}

/// One performance claim checked.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorCheck {
    /// The claim.
    pub indicator: Indicator,
    /// The stack's figure for the claim's metric, aggregated over members (see [`stack_figure`]).
    pub figure: Option<f64>,
    /// The member figures it rests on.
    pub rests_on: Vec<FigureUse>,
    /// Members whose figure is unknown.
    pub unknown: Vec<String>,
    /// The verdict.
    pub verdict: IndicatorVerdict,
    /// Why, in words.
    pub reason: String,
}

/// One environment of a case that spans environments.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseEnvironment {
    /// The scene.
    pub scene: Scene,
    /// Members in that environment plus the shared ones.
    pub members: Vec<String>,
    /// The sub-stack's score in its scene, when it can be scored.
    pub score: Option<f64>,
    /// Why the sub-stack is not a stack, when it is not.
    pub problems: Vec<StackProblem>,
}

/// A case checked against the model.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseReport {
    /// The case id.
    pub case: String,
    /// The scenario id.
    pub scenario: String,
    /// Knowledge-base ids of the stack's members.
    pub members: Vec<String>,
    /// Labels the knowledge base does not hold.
    pub not_in_knowledge_base: Vec<String>,
    /// Why the members do not form a stack in one environment, when they do not.
    pub problems: Vec<StackProblem>,
    /// Score of the case's stack in the case's scenario, when it can be scored. For a case that
    /// spans environments: `Σ_j s_j · score_j / Σ_j s_j` over the environments the case has.
    pub score: Option<f64>,
    /// Per environment, for a case whose members name environments.
    pub environments: Vec<CaseEnvironment>,
    /// Scenes the scenario weighs where the case deploys nothing of its own; the case's score is
    /// the weighted mean over the environments it has.
    pub uncovered_scenes: Vec<Scene>,
    /// Every maturity claim, checked.
    pub maturity: Vec<MaturityCheck>,
    /// Every performance claim, checked.
    pub indicators: Vec<IndicatorCheck>,
}

/// Why a case cannot be checked at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CaseError {
    /// The case names a scenario the knowledge base does not hold.
    #[error("case '{case}' names unknown scenario '{scenario}'")]
    UnknownScenario {
        /// The case.
        case: String,
        /// The scenario.
        scenario: String,
    },
}

/// The stack's figure for a footprint metric, aggregated over its members:
/// `memory_mb`, `disk_mb`, `binary_mb`: the sum (every member takes its share on the node);
/// `cold_start_ms`: the smallest (the fastest runtime serves the request);
/// `pods_per_node`: the largest. Returns the figure, the member figures used, and the members
/// whose figure is unknown.
pub fn stack_figure(
    members: &[&Technology],
    metric: &str,
) -> (Option<f64>, Vec<FigureUse>, Vec<String>) {
    let mut used = Vec::new();
    let mut unknown = Vec::new();
    for m in members {
        match m.footprint.get(metric) {
            Some(f) => used.push(FigureUse {
                tech: m.id.clone(),
                value: f.value,
                source: f.source.clone(),
            }),
            None => unknown.push(m.id.clone()),
        }
    }
    let values = used.iter().map(|u| u.value);
    let figure = match metric {
        "cold_start_ms" => values.reduce(f64::min),
        "pods_per_node" => values.reduce(f64::max),
        _ if used.is_empty() => None,
        _ => Some(values.sum()),
    };
    (figure, used, unknown)
}

fn satisfies(figure: f64, comparator: Comparator, value: f64) -> bool {
    match comparator {
        Comparator::AtMost => figure <= value,
        Comparator::Below => figure < value,
        Comparator::AtLeast => figure >= value,
        Comparator::Above => figure > value,
        Comparator::About => (figure - value).abs() <= 0.1 * value.abs(),
    }
}

/// Checks one performance claim against the stack's knowledge-base figures.
///
/// A sum metric with members of unknown figure can still be contradicted (the unknown members
/// only add), but not supported; the other metrics use the members that state a figure.
pub fn check_indicator(indicator: &Indicator, members: &[&Technology]) -> IndicatorCheck {
    let Some(metric) = &indicator.metric else {
        let reason = match &indicator.baseline {
            Some(b) => {
                format!("a relative claim (compared with: {b}); the knowledge base holds no such comparison")
            }
            None => "no knowledge-base figure measures this".to_string(),
        };
        return IndicatorCheck {
            indicator: indicator.clone(),
            figure: None,
            rests_on: Vec::new(),
            unknown: Vec::new(),
            verdict: IndicatorVerdict::NoData,
            reason,
        };
    };
    let (figure, rests_on, unknown) = stack_figure(members, metric);
    let sum_metric = !matches!(metric.as_str(), "cold_start_ms" | "pods_per_node");
    let (verdict, reason) = match figure {
        None => (
            IndicatorVerdict::NoData,
            format!("no member states {metric}"),
        ),
        Some(f) => {
            let ok = satisfies(f, indicator.comparator, indicator.value);
            let upper = matches!(indicator.comparator, Comparator::AtMost | Comparator::Below);
            let claim = format!(
                "{} {} {}",
                metric,
                indicator.comparator.symbol(),
                indicator.value
            );
            if sum_metric && !unknown.is_empty() {
                if !ok && upper {
                    (
                        IndicatorVerdict::Contradicted,
                        format!("the known members alone need {f}, against {claim}"),
                    )
                } else {
                    (
                        IndicatorVerdict::NoData,
                        format!("{metric} unknown for {}", unknown.join(", ")),
                    )
                }
            } else if ok {
                (
                    IndicatorVerdict::Supported,
                    format!("the stack's figure {f} meets {claim}"),
                )
            } else {
                (
                    IndicatorVerdict::Contradicted,
                    format!("the stack's figure {f} does not meet {claim}"),
                )
            }
        }
    };
    IndicatorCheck {
        indicator: indicator.clone(),
        figure,
        rests_on,
        unknown,
        verdict,
        reason,
    }
}

/// Checks every claim of a practice case.
///
/// The case's stack is composed with [`compose_stack`] and read in the case's scenario: a
/// maturity claim for concept `c` is compared with `fit_c = Σ_j s_j · A_stack[c][j]`. For a case
/// whose members name environments, each environment's members plus the shared ones form its
/// sub-stack, scored in its own scene, and the case's score is the weighted mean.
pub fn validate_case(case: &PracticeCase, kb: &KnowledgeBase) -> Result<CaseReport, CaseError> {
    let scenario = kb
        .scenario(&case.scenario)
        .ok_or_else(|| CaseError::UnknownScenario {
            case: case.id.clone(),
            scenario: case.scenario.clone(),
        })?;
    let prepared = ScenarioInput::from_scenario(scenario)
        .prepare(kb)
        .expect("a knowledge-base scenario and Θ are validated when loaded");
    let params = &kb.tables.parameters;
    let mut members: Vec<&Technology> = Vec::new();
    let mut not_in_kb = Vec::new();
    for m in &case.stack {
        match m.tech.as_deref().and_then(|id| kb.technology(id)) {
            Some(t) if !members.iter().any(|x| x.id == t.id) => members.push(t),
            Some(_) => {}
            None => not_in_kb.push(m.label.clone()),
        }
    }
    let spans = case.stack.iter().any(|m| m.environment.is_some());
    let requirements = StackRequirements {
        capabilities: scenario.requirements.capabilities.clone(),
        budget_mb: None,
        spans_environments: spans,
    };
    let problems = stack_problems(&members, &requirements);
    let mut environments = Vec::new();
    let mut uncovered_scenes = Vec::new();
    let score = if spans {
        let shared: Vec<&Technology> = case
            .stack
            .iter()
            .filter(|m| m.environment.as_deref() == Some("shared"))
            .filter_map(|m| m.tech.as_deref().and_then(|id| kb.technology(id)))
            .collect();
        let mut total = Some(0.0);
        let mut covered_weight = 0.0;
        for scene in Scene::ALL {
            let weight = prepared.vector[scene.index()];
            let mut sub: Vec<&Technology> = case
                .stack
                .iter()
                .filter(|m| m.environment.as_deref() == Some(scene.key()))
                .filter_map(|m| m.tech.as_deref().and_then(|id| kb.technology(id)))
                .collect();
            // A scene the case deploys nothing of its own in is not one of its environments.
            if sub.is_empty() {
                if weight > 0.0 {
                    uncovered_scenes.push(scene);
                }
                continue;
            }
            covered_weight += weight;
            for s in &shared {
                if !sub.iter().any(|m| m.id == s.id) {
                    sub.push(s);
                }
            }
            let basis = prepared.basis(scene);
            let scored = stack_fit_and_score(&sub, &basis, params).map(|x| x.1);
            total = match (total, scored) {
                (Some(t), Some(s)) => Some(t + weight * s),
                _ => None,
            };
            environments.push(CaseEnvironment {
                scene,
                members: sub.iter().map(|m| m.id.clone()).collect(),
                score: scored,
                // Shared layers run once for the whole plan: their hosts may be anywhere in it.
                problems: stack_problems(
                    &sub,
                    &StackRequirements {
                        spans_environments: false,
                        ..requirements.clone()
                    },
                )
                .into_iter()
                .filter(|p| match p {
                    StackProblem::MissingHost { member, hosts } => {
                        !(shared.iter().any(|s| &s.id == member)
                            && members.iter().any(|m| hosts.contains(&m.id)))
                    }
                    StackProblem::MissingRequirement { member, required } => {
                        !(shared.iter().any(|s| &s.id == member)
                            && members.iter().any(|m| &m.id == required))
                    }
                    _ => true,
                })
                .collect(),
            });
        }
        // The weighted mean over the environments the case has, renormalised to their weight.
        total
            .filter(|_| covered_weight > 0.0)
            .map(|t| t / covered_weight)
    } else {
        stack_fit_and_score(&members, &prepared, params).map(|x| x.1)
    };
    let fit = concept_fits(&members, &prepared, params);
    let maturity = case
        .maturity
        .iter()
        .map(|claim| {
            let model = fit[claim.concept.index()];
            let verdict = match model {
                None => MaturityVerdict::NoData,
                Some(v) if (v - claim.value).abs() <= CLAIM_TOLERANCE + 1e-12 => {
                    MaturityVerdict::Agrees
                }
                Some(v) if v < claim.value => MaturityVerdict::ModelLower,
                Some(_) => MaturityVerdict::ModelHigher,
            };
            MaturityCheck {
                claim: claim.clone(),
                model,
                verdict,
            }
        })
        .collect();
    let indicators = case
        .indicators
        .iter()
        .map(|i| check_indicator(i, &members))
        .collect();
    Ok(CaseReport {
        case: case.id.clone(),
        scenario: case.scenario.clone(),
        members: members.iter().map(|m| m.id.clone()).collect(),
        not_in_knowledge_base: not_in_kb,
        problems,
        score,
        environments,
        uncovered_scenes,
        maturity,
        indicators,
    })
}

/// Per-concept fit of the composed stack, concept by concept, so a concept the stack covers has a
/// value even when another concept is uncovered.
fn concept_fits(
    members: &[&Technology],
    scenario: &PreparedScenario,
    params: &stackmatrix_model::Parameters,
) -> [Option<f64>; CONCEPT_COUNT] {
    let tensor = compose_stack(members);
    if let Some(m) = time_matrix(&tensor, scenario.time_mode(), params) {
        return scenario_fit(&scenario.vector, &m).map(Some);
    }
    std::array::from_fn(|i| {
        let c = Concept::ALL[i];
        let row = tensor.row(stackmatrix_model::TimeSlice::Static, c)?;
        Some(row.iter().zip(&scenario.vector).map(|(a, s)| a * s).sum())
    })
}
