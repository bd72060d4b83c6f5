//! `robustness`: how much a scenario's ranking depends on uncertain numbers. SMAA-2 (rank
//! acceptability indices, central weights, confidence factors) with the matrix entries drawn
//! within their provenance's spread and the weights drawn by a model, and the exact weight
//! stability intervals of the deterministic leader, with a verdict in words.

use crate::decide::scenario_ranking;
use crate::error::{ApiError, ApiResult};
use crate::numbers::fixed;
use crate::request::{RobustnessRequest, DEFAULT_CONCENTRATION, MAX_SMAA_SAMPLES};
use crate::views::{
    AcceptabilityView, ConceptValues, FirstPlaceView, RobustnessView, ScenarioView,
    SmaaSummaryView, SpreadView, StabilityView, WeightIntervalView, WeightModelView,
};
use stackmatrix_engine::{
    ranking_weight_stability, smaa_rank, Ranking, SmaaAlternative, SmaaError, SmaaOptions,
    SmaaResult, Spread, WeightInterval, WeightModel,
};
use stackmatrix_model::{Concept, KnowledgeBase, Lang, Technology, CONCEPT_COUNT};

/// `robustness` without progress reports.
pub fn robustness(
    kb: &KnowledgeBase,
    lang: Lang,
    req: &RobustnessRequest,
) -> ApiResult<RobustnessView> {
    robustness_with_progress(kb, lang, req, &|_, _| {})
}

/// `robustness`: SMAA-2 of the scenario's chains (or named stacks) and the weight stability of
/// the deterministic leader.
///
/// `progress(done, total)` is called after each chunk of samples, from the worker threads one at
/// a time, with `done` increasing up to `total` (both passes). The answer depends only on the
/// request: the same seed gives the same view, to the last bit, on any number of threads.
pub fn robustness_with_progress(
    kb: &KnowledgeBase,
    lang: Lang,
    req: &RobustnessRequest,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> ApiResult<RobustnessView> {
    if req.samples == 0 || req.samples > MAX_SMAA_SAMPLES {
        return Err(ApiError::bad_input(
            "samples",
            format!("{} samples; expected 1 to {MAX_SMAA_SAMPLES}", req.samples),
        ));
    }
    for (field, v) in [
        ("spread_published", req.spread_published),
        ("spread_estimated", req.spread_estimated),
        ("spread_measured", req.spread_measured),
    ] {
        if !(v.is_finite() && (0.0..=1.0).contains(&v)) {
            return Err(ApiError::bad_input(
                field,
                format!("{v} is not a spread; expected a half-width from 0 to 1, such as 0.05"),
            ));
        }
    }
    let model = req.weights_model.as_deref().unwrap_or("uniform");
    let model = match model.trim().to_ascii_lowercase().as_str() {
        "uniform" => "uniform",
        "around" | "dirichlet" => "around",
        "fixed" => "fixed",
        _ => {
            return Err(ApiError::bad_input(
                "weights_model",
                format!("unknown weights model '{model}'; expected uniform, around or fixed"),
            ))
        }
    };
    let concentration = match (model, req.concentration) {
        ("around", None) => Some(DEFAULT_CONCENTRATION),
        ("around", Some(k)) if k.is_finite() && k > 0.0 => Some(k),
        ("around", Some(k)) => {
            return Err(ApiError::bad_input(
                "concentration",
                format!("{k} is not a concentration; expected a positive number such as 30"),
            ))
        }
        (_, Some(_)) => {
            return Err(ApiError::bad_input(
                "concentration",
                format!(
                    "the concentration is used only with the weights model around, not {model}"
                ),
            ))
        }
        (_, None) => None,
    };
    let (ranking, infeasible) = scenario_ranking(kb, &req.scenario, req.stacks.as_deref())?;
    if ranking.entries.is_empty() {
        return Err(match req.stacks {
            Some(_) => ApiError::bad_input(
                "stacks",
                "none of the named stacks can be a stack here; expected at least one that can",
            ),
            None => ApiError::failure("the knowledge base has no chain to analyse"),
        });
    }
    let prepared = &ranking.scenario;
    let mode = prepared.time_mode();
    let params = &kb.tables.parameters;
    let alternatives = ranking
        .entries
        .iter()
        .map(|e| {
            let members: Vec<&Technology> =
                e.members.iter().filter_map(|m| kb.technology(m)).collect();
            let alt = match (&req.stacks, members.as_slice()) {
                (None, [t]) => SmaaAlternative::from_technology(t, mode, params),
                _ => SmaaAlternative::from_stack(e.id.clone(), &members, mode, params),
            };
            // Θ scales each concept row (ΘA) as it scales the score; the draws are around ΘA.
            alt.map(|mut a| {
                for (row, t) in a.matrix.iter_mut().zip(&prepared.theta) {
                    if *t != 1.0 {
                        row.iter_mut().for_each(|x| *x *= t);
                    }
                }
                a
            })
            .ok_or_else(|| ApiError::failure(format!("'{}' has no matrix to draw from", e.id)))
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let weights_total: f64 = prepared.weights.iter().sum();
    let normalised_weights = prepared.weights.map(|w| w / weights_total);
    let weight_model = match model {
        "around" => WeightModel::Dirichlet {
            weights: prepared.weights.to_vec(),
            concentration: concentration.unwrap_or(DEFAULT_CONCENTRATION),
        },
        "fixed" => WeightModel::Fixed(prepared.weights.to_vec()),
        _ => WeightModel::Uniform,
    };
    let spread = Spread {
        published: req.spread_published,
        estimated: req.spread_estimated,
        measured: req.spread_measured,
    };
    let options = SmaaOptions {
        samples: req.samples,
        confidence_samples: req.samples,
        seed: req.seed,
        weights: weight_model,
    };
    let total = options.total_samples();
    let result = smaa_rank(
        &alternatives,
        &prepared.vector,
        &spread,
        &options,
        &|done| progress(done, total),
    )
    .map_err(smaa_error)?;
    let names: Vec<String> = ranking
        .entries
        .iter()
        .map(|e| e.name.get(lang).to_string())
        .collect();
    let views = ranking
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| AcceptabilityView {
            id: e.id.clone(),
            name: names[i].clone(),
            rank: e.rank,
            score: e.score,
            acceptability_percent: result.acceptability[i].iter().map(|b| 100.0 * b).collect(),
            standard_error_percent: (0..result.acceptability[i].len())
                .map(|r| 100.0 * result.standard_error(i, r))
                .collect(),
            expected_rank: result.expected_rank(i),
            central_weights: result.central_weights[i].as_ref().map(|w| {
                let mut values = [0.0; CONCEPT_COUNT];
                values.copy_from_slice(w);
                ConceptValues(values)
            }),
            confidence_percent: result.confidence[i].map(|c| 100.0 * c),
        })
        .collect();
    let kind = if req.stacks.is_some() {
        Kind::Stacks
    } else {
        Kind::Chains
    };
    Ok(RobustnessView {
        scenario: ScenarioView::new(prepared, lang),
        samples: req.samples,
        seed: req.seed,
        spread: SpreadView {
            published: spread.published,
            estimated: spread.estimated,
            measured: spread.measured,
        },
        weights_model: WeightModelView {
            model,
            concentration,
            weights: (model != "uniform").then_some(ConceptValues(normalised_weights)),
        },
        alternatives: views,
        summary: summary(&result, &names, kind, lang),
        stability: stability(&ranking, &names, lang)?,
        infeasible,
    })
}

/// An engine refusal, on a request already checked: the field where it can be named.
fn smaa_error(e: SmaaError) -> ApiError {
    match e {
        SmaaError::NoSamples => ApiError::bad_input("samples", e.to_string()),
        SmaaError::Concentration(_) => ApiError::bad_input("concentration", e.to_string()),
        SmaaError::AllZero("weight") => ApiError::bad_input("weights", e.to_string()),
        other => ApiError::failure(other.to_string()),
    }
}

/// What the alternatives are, for the verdict's words.
#[derive(Clone, Copy)]
enum Kind {
    Chains,
    Stacks,
}

/// A probability as a percentage with one decimal (`<0.1` when it rounds to 0 but is not).
fn pct(b: f64) -> String {
    if b > 0.0 && b < 0.0005 {
        return "<0.1".into();
    }
    fixed(100.0 * b, 1)
}

/// The verdict in words, from the engine's summary numbers.
fn summary(result: &SmaaResult, names: &[String], kind: Kind, lang: Lang) -> SmaaSummaryView {
    let s = result.summary();
    let n = result.ids.len();
    let place = |i: usize| FirstPlaceView {
        id: result.ids[i].clone(),
        name: names[i].clone(),
        acceptability_percent: 100.0 * result.acceptability[i][0],
    };
    // Everyone ever first after the most likely, by first-rank acceptability (at most five).
    let others: Vec<usize> = result
        .by_first_acceptability()
        .into_iter()
        .skip(1)
        .filter(|&i| result.acceptability[i][0] > 0.0)
        .collect();
    let shown = &others[..others.len().min(5)];
    let more = others.len() - shown.len();
    let first = &names[s.most_likely_first];
    let b = pct(s.first_acceptability);
    let se = fixed(100.0 * s.first_standard_error, 2);
    let text = match lang {
        Lang::En => {
            let mut t = format!("{first} is first in {b}% of cases (±{se}%)");
            for &i in shown {
                t.push_str(&format!(
                    "; {} in {}%",
                    names[i],
                    pct(result.acceptability[i][0])
                ));
            }
            if more > 0 {
                t.push_str(&format!("; {more} more below"));
            }
            let what = match kind {
                Kind::Chains => "chains",
                Kind::Stacks => "stacks",
            };
            t.push_str(&format!(
                ". {} of the {n} {what} rank first in at least one sample.",
                s.contenders
            ));
            if let Some(c) = s.confidence {
                t.push_str(&format!(
                    " At its central weights {first} is first in {}% of the matrix draws (confidence factor).",
                    pct(c)
                ));
            }
            t
        }
        Lang::Zh => {
            let mut t = format!("{first} 在 {b}% 的情况下排名第一（±{se}%）");
            for &i in shown {
                t.push_str(&format!(
                    "；{} 为 {}%",
                    names[i],
                    pct(result.acceptability[i][0])
                ));
            }
            if more > 0 {
                t.push_str(&format!("；另有 {more} 个更低"));
            }
            let what = match kind {
                Kind::Chains => "技术链",
                Kind::Stacks => "技术栈",
            };
            t.push_str(&format!(
                "。{n} 个{what}中有 {} 个至少在一次抽样中排名第一。",
                s.contenders
            ));
            if let Some(c) = s.confidence {
                t.push_str(&format!(
                    "在其中心权重下，{first} 在 {}% 的矩阵抽样中排名第一（置信因子）。",
                    pct(c)
                ));
            }
            t
        }
    };
    SmaaSummaryView {
        most_likely_first: place(s.most_likely_first),
        standard_error_percent: 100.0 * s.first_standard_error,
        confidence_percent: s.confidence.map(|c| 100.0 * c),
        runner_up: s.runner_up.map(|(i, _)| place(i)),
        contenders: s.contenders,
        of: n,
        text,
    }
}

/// A weight as short as it reads well: three decimals at most, trailing zeros dropped.
fn compact(x: f64) -> String {
    if x != 0.0 && x.abs() < 0.0005 {
        return format!("{x:.1e}");
    }
    let s = fixed(x, 3);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// The weight stability of the deterministic leader, with each interval in words.
fn stability(ranking: &Ranking, names: &[String], lang: Lang) -> ApiResult<StabilityView> {
    let ws = ranking_weight_stability(ranking)
        .ok_or_else(|| ApiError::failure("no alternative to find the weight stability of"))?;
    let leader = &names[ws.leader];
    let intervals = ws
        .intervals
        .iter()
        .map(|iv| WeightIntervalView {
            concept: Concept::ALL[iv.criterion].key(),
            weight: iv.weight,
            share: iv.share,
            lo: iv.lo,
            hi: iv.hi.is_finite().then_some(iv.hi),
            lo_share: iv.lo_share,
            hi_share: iv.hi_share,
            below: iv.below.map(|i| ranking.entries[i].id.clone()),
            above: iv.above.map(|i| ranking.entries[i].id.clone()),
            text: interval_text(iv, names, leader, lang),
        })
        .collect();
    Ok(StabilityView {
        leader: ranking.entries[ws.leader].id.clone(),
        intervals,
    })
}

/// "R (now 1) can move from 0.4 to 3.1 before WasmEdge (below 0.4) overtakes K3s."
fn interval_text(iv: &WeightInterval, names: &[String], leader: &str, lang: Lang) -> String {
    let c = Concept::ALL[iv.criterion].symbol();
    let (w, lo, hi) = (compact(iv.weight), compact(iv.lo), compact(iv.hi));
    let below = iv.below.map(|i| names[i].as_str());
    let above = iv.above.map(|i| names[i].as_str());
    match lang {
        Lang::En => {
            if below.is_none() && above.is_none() {
                return format!("{c} (now {w}) can take any value: {leader} stays first.");
            }
            let range = if iv.hi.is_finite() {
                format!("from {lo} to {hi}")
            } else {
                format!("from {lo} upwards without limit")
            };
            let takeover = match (below, above) {
                (Some(b), Some(a)) if a == b => format!("{b} (below {lo} or above {hi})"),
                (Some(b), Some(a)) => format!("{b} (below {lo}) or {a} (above {hi})"),
                (Some(b), None) => format!("{b} (below {lo})"),
                (None, Some(a)) => format!("{a} (above {hi})"),
                (None, None) => unreachable!("handled above"),
            };
            format!("{c} (now {w}) can move {range} before {takeover} overtakes {leader}.")
        }
        Lang::Zh => {
            if below.is_none() && above.is_none() {
                return format!("{c}（当前 {w}）取任何值时 {leader} 都保持第一。");
            }
            let range = if iv.hi.is_finite() {
                format!("在 {lo} 到 {hi} 之间变动时")
            } else {
                format!("不低于 {lo} 时")
            };
            let mut sides = Vec::new();
            if let Some(b) = below {
                sides.push(format!("低于 {lo} 时 {b} 超过它"));
            }
            if let Some(a) = above {
                sides.push(format!("高于 {hi} 时 {a} 超过它"));
            }
            format!(
                "{c}（当前 {w}）{range} {leader} 保持第一；{}。",
                sides.join("，")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_read_short() {
        assert_eq!(compact(2.0), "2");
        assert_eq!(compact(0.4), "0.4");
        assert_eq!(compact(3.125), "3.125");
        assert_eq!(compact(2.0000000001), "2");
        assert_eq!(compact(0.0), "0");
        assert_eq!(compact(0.0001), "1.0e-4");
    }
}
