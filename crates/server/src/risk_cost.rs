//! `/v1/risk` and `/v1/cost`: the requests read from the query (the command line's text forms)
//! or a JSON body, and the api's views answered as they are.

use crate::error::HttpError;
use crate::handlers::{Answer, QueryVerb, Verb};
use crate::input::{field_naming, request_error, Query, WithinLimits};
use crate::limits::Limits;
use axum::response::IntoResponse;
use axum::Json;
use stackmatrix_api::{AttributeWeightsSpec, CostRequest, RiskRequest, ThetaValues};
use stackmatrix_model::{KnowledgeBase, Lang};

/// `risk`.
pub struct Risk;
/// `cost`.
pub struct Cost;

/// `stack=k8s,istio` (members separated by `,`, or by `+`, or a raw `+` read as a space).
fn stack_list(q: &Query) -> Result<Option<Vec<String>>, HttpError> {
    Ok(q.one("stack")?.map(|s| {
        s.split([',', '+', ' '])
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(String::from)
            .collect()
    }))
}

/// Which field named an unknown id: `tech` or `stack`; the scenario's own.
fn locate(
    req_tech: &Option<String>,
    req_stack: &Option<Vec<String>>,
) -> impl Fn(&str, &str) -> Option<&'static str> {
    let tech: Vec<String> = req_tech.iter().cloned().collect();
    let stack: Vec<String> = req_stack.clone().unwrap_or_default();
    move |what, id| match what {
        "technology" => field_naming(&[("tech", &tech), ("stack", &stack)], id),
        "scenario" => Some("scenario"),
        _ => None,
    }
}

fn check_stack(stack: &Option<Vec<String>>, limits: &Limits) -> Result<(), HttpError> {
    if let Some(s) = stack {
        if s.len() > limits.stack_members {
            return Err(HttpError::bad_input(
                "stack",
                format!(
                    "a stack of {} members asked; this server answers at most {} members per stack",
                    s.len(),
                    limits.stack_members
                ),
            ));
        }
    }
    Ok(())
}

impl WithinLimits for RiskRequest {
    fn check(&self, limits: &Limits) -> Result<(), HttpError> {
        check_stack(&self.stack, limits)
    }
}

impl WithinLimits for CostRequest {
    fn check(&self, limits: &Limits) -> Result<(), HttpError> {
        check_stack(&self.stack, limits)
    }
}

impl Verb for Risk {
    type Req = RiskRequest;
    const BLOCKING: bool = false;
    fn run(kb: &KnowledgeBase, lang: Lang, req: &RiskRequest) -> Answer {
        stackmatrix_api::risk(kb, lang, req)
            .map(|v| Json(v).into_response())
            .map_err(|e| request_error(e, &locate(&req.tech, &req.stack)))
    }
}

impl QueryVerb for Risk {
    fn from_query(q: &Query) -> Result<RiskRequest, HttpError> {
        let theta = q
            .one("theta")?
            .map(ThetaValues::parse_list)
            .transpose()
            .map_err(HttpError::from)?;
        Ok(RiskRequest {
            scenario: q.scenario()?,
            tech: q.one("tech")?.map(String::from),
            stack: stack_list(q)?,
            theta,
        })
    }
}

impl Verb for Cost {
    type Req = CostRequest;
    const BLOCKING: bool = false;
    fn run(kb: &KnowledgeBase, lang: Lang, req: &CostRequest) -> Answer {
        stackmatrix_api::cost(kb, lang, req)
            .map(|v| Json(v).into_response())
            .map_err(|e| request_error(e, &locate(&req.tech, &req.stack)))
    }
}

impl QueryVerb for Cost {
    fn from_query(q: &Query) -> Result<CostRequest, HttpError> {
        let attribute_weights = q
            .one("attribute_weights")?
            .map(AttributeWeightsSpec::parse_list)
            .transpose()
            .map_err(HttpError::from)?;
        Ok(CostRequest {
            scenario: q.scenario()?,
            tech: q.one("tech")?.map(String::from),
            stack: stack_list(q)?,
            attribute_weights,
        })
    }
}
