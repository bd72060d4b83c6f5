//! Turning `--scenario`, `--vector`, `--weights` and `--time` into a [`ScenarioRequest`].

use crate::args::{ScenarioArgs, TimeArg};
use crate::context::{short, Ctx};
use crate::error::CliResult;
use crate::i18n::words;
use stackmatrix_api::request::{ConceptWeights, ScenarioRequest, SceneVector};
use stackmatrix_model::{KnowledgeBase, TimeMode};

pub fn time_mode(t: TimeArg) -> TimeMode {
    match t {
        TimeArg::Static => TimeMode::Static,
        TimeArg::Dynamic => TimeMode::Dynamic,
        TimeArg::Blend => TimeMode::Blend,
    }
}

/// The request the flags make. The text of `--vector` and `--weights` (comma-separated numbers
/// in axis order, or `KEY=VALUE` pairs) is read by the api, which says what is wrong; errors
/// name the flag (`--vector: ...`). The scenario is looked up before the weights are read, so
/// an unknown scenario is the error reported when both are wrong.
pub fn scenario_request(kb: &KnowledgeBase, args: &ScenarioArgs) -> CliResult<ScenarioRequest> {
    let vector = args
        .vector
        .as_deref()
        .map(SceneVector::parse_list)
        .transpose()?;
    if let Some(id) = &args.scenario {
        stackmatrix_api::find_scenario(kb, id)?;
    }
    let weights = args
        .weights
        .as_deref()
        .map(ConceptWeights::parse_list)
        .transpose()?;
    Ok(ScenarioRequest {
        scenario: args.scenario.clone(),
        vector,
        weights,
        time: args.time.map(|t| time_mode(t).key().to_string()),
    })
}

/// The request of a verb whose scenario is optional (`risk`, `cost`): none given is the default
/// request (every scene, every concept); one given is read as [`scenario_request`] reads it, and
/// a rescaled vector is noted on stderr.
pub fn optional_scenario_request(ctx: &Ctx, args: &ScenarioArgs) -> CliResult<ScenarioRequest> {
    if args.scenario.is_none() && args.vector.is_none() {
        return Ok(ScenarioRequest::default());
    }
    let req = scenario_request(&ctx.kb, args)?;
    note_normalisation(ctx, &req)?;
    Ok(req)
}

/// Tells the user on stderr when their vector is rescaled; machine output stays clean. Resolves
/// the scenario as the verb will, so a bad request fails here with the verb's own error.
pub fn note_normalisation(ctx: &Ctx, req: &ScenarioRequest) -> CliResult<()> {
    let s = stackmatrix_api::scenario(&ctx.kb, ctx.lang, req)?;
    if s.normalised {
        let msg = words(ctx.lang)
            .normalised_note
            .replace("{sum}", &short(s.input_sum));
        let parts: Vec<String> = s.vector.iter().map(|x| short(*x)).collect();
        say!("note: {msg}: {}", parts.join(","));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::ScenarioArgs;

    fn request(
        scenario: Option<&str>,
        vector: Option<&str>,
        weights: Option<&str>,
    ) -> CliResult<ScenarioRequest> {
        let kb = stackmatrix_model::builtin().unwrap();
        let args = ScenarioArgs {
            scenario: scenario.map(String::from),
            vector: vector.map(String::from),
            weights: weights.map(String::from),
            time: Some(TimeArg::Blend),
        };
        scenario_request(&kb, &args)
    }

    #[test]
    fn reads_positional_and_keyed_forms() {
        let r = request(None, Some("edge=2, prod=1"), Some("R=2,Θ=0")).unwrap();
        assert_eq!(
            r.vector.unwrap().resolve().unwrap(),
            [0.0, 0.0, 1.0, 2.0, 0.0, 0.0]
        );
        let w = r.weights.unwrap().resolve().unwrap();
        assert_eq!((w[0], w[3], w[11]), (1.0, 2.0, 0.0));
        assert_eq!(r.time.as_deref(), Some("blend"));
        let r = request(None, Some("0,0,0,1,0,0"), None).unwrap();
        assert_eq!(
            r.vector.unwrap().resolve().unwrap(),
            [0.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        );
    }

    #[test]
    fn says_what_is_wrong_after_the_flag() {
        let err = |vector: &str| request(None, Some(vector), None).unwrap_err().to_string();
        assert!(err("1,2,3").starts_with("error: --vector: expected 6 numbers"));
        assert!(err("1,2,x,0,0,0").contains("'x' (item 3, prod) is not a number"));
        assert!(err("edg=1").contains("unknown scene 'edg'"));
        assert!(err("edge=1,edge=2").contains("given twice"));
        assert!(err("edge=1,2").contains("not KEY=VALUE"));
        let weights = request(Some("edge"), None, Some("Z=1"))
            .unwrap_err()
            .to_string();
        assert!(weights.starts_with("error: --weights: unknown concept 'Z'"));
        // Both wrong: the unknown scenario is reported, as it always was.
        let both = request(Some("nope"), None, Some("Z=1"))
            .unwrap_err()
            .to_string();
        assert!(both.starts_with("error: --scenario: unknown scenario 'nope'"));
    }
}
