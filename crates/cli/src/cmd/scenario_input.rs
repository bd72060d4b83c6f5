//! Turning `--scenario`, `--vector`, `--weights` and `--time` into an engine input.

use crate::args::{ScenarioArgs, TimeArg};
use crate::error::{CliError, CliResult};
use stackmatrix_engine::{InputError, PreparedScenario, ScenarioInput};
use stackmatrix_model::{
    Concept, KnowledgeBase, Scenario, Scene, TimeMode, CONCEPT_COUNT, SCENE_COUNT,
};

pub fn time_mode(t: TimeArg) -> TimeMode {
    match t {
        TimeArg::Static => TimeMode::Static,
        TimeArg::Dynamic => TimeMode::Dynamic,
        TimeArg::Blend => TimeMode::Blend,
    }
}

/// The scenario to score and, for a knowledge-base scenario, the scenario itself (its claims
/// and requirements).
pub fn scenario_from_args<'a>(
    kb: &'a KnowledgeBase,
    args: &ScenarioArgs,
) -> CliResult<(PreparedScenario, Option<&'a Scenario>)> {
    let (mut input, source) = match (&args.scenario, &args.vector) {
        (Some(id), _) => {
            let s = kb.scenario(id).ok_or_else(|| {
                let ids: Vec<&str> = kb.scenarios.iter().map(|s| s.id.as_str()).collect();
                CliError::Usage(format!(
                    "--scenario: unknown scenario '{id}'; expected one of: {}",
                    ids.join(", ")
                ))
            })?;
            (ScenarioInput::from_scenario(s), Some(s))
        }
        (None, Some(v)) => {
            let vector =
                parse_keyed_list::<SCENE_COUNT>("--vector", v, &Scene::KEYS, 0.0, "scene")?;
            let input = ScenarioInput {
                id: None,
                name: None,
                vector,
                weights: [1.0; CONCEPT_COUNT],
                time: TimeMode::Static,
            };
            (input, None)
        }
        (None, None) => {
            return Err(CliError::Usage(
                "give --scenario ID or --vector V1,..,V6".into(),
            ))
        }
    };
    if let Some(w) = &args.weights {
        input.weights =
            parse_keyed_list::<CONCEPT_COUNT>("--weights", w, &Concept::KEYS, 1.0, "concept")?;
    }
    if let Some(t) = args.time {
        input.time = time_mode(t);
    }
    // Name the flag the bad value came from: scene problems are the vector's, concept problems
    // the weights'; either may come from the scenario itself when the flag was not given.
    let vector_flag = if args.vector.is_some() {
        "--vector"
    } else {
        "--scenario"
    };
    let weights_flag = if args.weights.is_some() {
        "--weights"
    } else {
        "--scenario"
    };
    let prepared = input.prepare().map_err(|e| {
        let flag = match e {
            InputError::SceneNotFinite { .. }
            | InputError::SceneNegative { .. }
            | InputError::SceneAllZero => vector_flag,
            _ => weights_flag,
        };
        CliError::Usage(format!("{flag}: {e}"))
    })?;
    // Finite values can still add up to infinity, which would turn every score into 0 or NaN.
    let too_large = |flag: &str, what: &str| {
        CliError::Usage(format!(
            "{flag}: the {what} are too large to add up (their sum overflows); expected ordinary decimal numbers such as 0.5"
        ))
    };
    if !prepared.input_sum.is_finite() {
        return Err(too_large(vector_flag, "scene values"));
    }
    if !prepared.weights.iter().sum::<f64>().is_finite() {
        return Err(too_large(weights_flag, "concept weights"));
    }
    Ok((prepared, source))
}

/// Parses `N` comma-separated numbers in axis order, or `KEY=VALUE` pairs where unnamed keys take
/// `default`. Says exactly what was wrong: the count, the item that is not a number, the unknown
/// or repeated key.
pub fn parse_keyed_list<const N: usize>(
    flag: &str,
    text: &str,
    keys: &[&str; N],
    default: f64,
    what: &str,
) -> CliResult<[f64; N]> {
    let usage = |m: String| CliError::Usage(format!("{flag}: {m}"));
    let items: Vec<&str> = text.split(',').map(str::trim).collect();
    let number = |item: &str, place: String| -> CliResult<f64> {
        // `f64::from_str` accepts NaN and inf; they are no more a usable value than "x".
        match item.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(x),
            Ok(_) => Err(usage(format!(
                "'{item}' ({place}) is not a finite number; expected a decimal number such as 0.5"
            ))),
            Err(_) => Err(usage(format!(
                "'{item}' ({place}) is not a number; expected a decimal number such as 0.5"
            ))),
        }
    };
    if items.iter().any(|i| i.contains('=')) {
        let mut out = [default; N];
        let mut seen = [false; N];
        for item in &items {
            let Some((k, v)) = item.split_once('=') else {
                return Err(usage(format!(
                    "'{item}' is not KEY=VALUE; do not mix plain numbers with KEY=VALUE pairs"
                )));
            };
            let k = k.trim();
            let key_index = keys.iter().position(|key| *key == k).or_else(|| {
                (what == "concept")
                    .then(|| Concept::from_key(k).map(Concept::index))
                    .flatten()
            });
            let Some(i) = key_index else {
                return Err(usage(format!(
                    "unknown {what} '{k}'; expected one of {}",
                    keys.join(", ")
                )));
            };
            if seen[i] {
                return Err(usage(format!(
                    "{what} '{k}' is given twice; give each {what} at most once"
                )));
            }
            seen[i] = true;
            out[i] = number(v.trim(), format!("value of {k}"))?;
        }
        return Ok(out);
    }
    if items.len() != N {
        return Err(usage(format!(
            "expected {N} numbers ({}) or {what} KEY=VALUE pairs, got {} value{}",
            keys.join(","),
            items.len(),
            if items.len() == 1 { "" } else { "s" }
        )));
    }
    let mut out = [0.0; N];
    for (i, item) in items.iter().enumerate() {
        out[i] = number(
            item,
            format!("item {} , {}", i + 1, keys[i]).replace(" ,", ","),
        )?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_positional_and_keyed_forms() {
        let v = parse_keyed_list("--vector", "0,0,0,1,0,0", &Scene::KEYS, 0.0, "scene").unwrap();
        assert_eq!(v, [0.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
        let v = parse_keyed_list("--vector", "edge=2, prod=1", &Scene::KEYS, 0.0, "scene").unwrap();
        assert_eq!(v, [0.0, 0.0, 1.0, 2.0, 0.0, 0.0]);
        let w = parse_keyed_list("--weights", "R=2,Θ=0", &Concept::KEYS, 1.0, "concept").unwrap();
        assert_eq!(w[3], 2.0);
        assert_eq!(w[11], 0.0);
        assert_eq!(w[0], 1.0);
    }

    #[test]
    fn says_what_is_wrong() {
        let err = |t: &str| {
            parse_keyed_list("--vector", t, &Scene::KEYS, 0.0, "scene")
                .unwrap_err()
                .to_string()
        };
        assert!(err("1,2,3").contains("expected 6 numbers"));
        assert!(err("1,2,x,0,0,0").contains("'x' (item 3, prod) is not a number"));
        assert!(err("edg=1").contains("unknown scene 'edg'"));
        assert!(err("edge=1,edge=2").contains("given twice"));
        assert!(err("edge=1,2").contains("not KEY=VALUE"));
    }
}
