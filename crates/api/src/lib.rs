//! The read verbs of `stackmatrix` as functions: a typed request in, a serialisable view out.
//!
//! Every front end answers with these: the command line prints a view with `-o json` and renders
//! its tables from it, and the HTTP server serialises the same view under `/v1/`. One function
//! per verb takes the knowledge base, the language of names and the request; it calls the
//! engine and builds the view, and does no I/O and no printing. The JSON shapes are documented
//! in `docs/json.md`.
//!
//! - requests ([`request`]) deserialise from JSON bodies and are built from command-line flags
//!   alike; missing fields take the command line's defaults;
//! - views ([`views`]) are the answers;
//! - errors ([`ApiError`]) say which field was wrong and what is accepted, and carry their HTTP
//!   status and exit code.
//!
//! ```
//! use stackmatrix_api::request::{RankRequest, ScenarioRequest};
//! use stackmatrix_api::{rank, ApiError};
//! use stackmatrix_model::Lang;
//!
//! let kb = stackmatrix_model::builtin().unwrap();
//! let req: RankRequest = serde_json::from_str(r#"{"scenario": "edge", "explain": true}"#).unwrap();
//! let view = rank(&kb, Lang::En, &req).unwrap();
//! assert_eq!(view.ranking[0].id, "k3s");
//! assert_eq!(view.explanation.unwrap().tech.id, "k3s");
//!
//! // The same request from flags; JSON output is serde_json of the view.
//! let same = RankRequest { scenario: ScenarioRequest::scenario("edge"), ..Default::default() };
//! let json = serde_json::to_string(&rank(&kb, Lang::En, &same).unwrap()).unwrap();
//! assert!(json.starts_with(r#"{"scenario":{"id":"edge""#));
//!
//! let err = rank(&kb, Lang::En, &RankRequest {
//!     scenario: ScenarioRequest::scenario("nope"),
//!     ..Default::default()
//! })
//! .unwrap_err();
//! assert!(matches!(err, ApiError::NotFound { what: "scenario", .. }));
//! assert_eq!((err.http_status(), err.exit_code()), (404, 2));
//! ```

#![deny(missing_docs)]

mod adapt;
mod audit;
mod cases;
mod error;
mod fleet;
mod given_numbers;
mod list;
mod matrix_csv;
mod migrate;
pub mod numbers;
mod rank;
mod recommend;
pub mod request;
mod scenario;
mod schema_impls;
pub mod views;

pub use crate::adapt::{
    adapt, AdaptMemberView, AdaptRequest, AdaptSceneView, AdaptSubjectView, AdaptTargetView,
    AdaptView, ConceptAdaptationView, WeakestConceptView,
};
pub use crate::audit::audit;
pub use crate::cases::{find_case, list_cases, show_case, validate_cases};
pub use crate::error::{ApiError, ApiResult};
pub use crate::fleet::{fleet, FleetRequest, FleetRowView, FleetView};
pub use crate::list::{list_concepts, list_scenarios, list_scenes, list_techs, show_tech};
pub use crate::migrate::{
    migrate, migrate_compare, MigrateRequest, TransitionComparisonView, TransitionMatrixView,
    DEFAULT_MIGRATE_ALTERNATIVES, DERIVED_TRANSITION_RULE, TRANSITION_SOURCES,
};
pub use crate::rank::{explain, find_technology, rank};
pub use crate::recommend::recommend;
pub use crate::scenario::{find_scenario, scenario};

// Decision methods on a matrix of your own or a scenario's, and the robustness of a ranking.
mod compare;
mod cost;
mod decide;
mod recommend_cost;
mod risk;
mod robustness;

pub use crate::compare::compare;
pub use crate::cost::{
    cost, AttributeScoreView, AttributeTermsView, AttributeWeightsSpec, CostRequest, CostView,
    CostWeightingView, FootprintView, ATTRIBUTE_TERMS,
};
pub use crate::decide::{
    decide, method_choices_text, method_names_text, rank_by_method, METHOD_NAMES,
};
pub use crate::recommend_cost::MinCostView;
pub use crate::risk::{
    risk_view as risk, RiskAtView, RiskComponentsView, RiskRankView, RiskRequest, RiskSubjectView,
    RiskTermsView, RiskView, ThetaValues,
};
pub use crate::robustness::{robustness, robustness_with_progress};

// Concept dependencies and operation chains.
mod deps;
mod ops;

pub use crate::deps::{
    deps, ConceptRefView, DepsAnswer, DepsConceptView, DepsCoverageView, DepsCriticalView,
    DepsDepthView, DepsGroupView, DepsLinkView, DepsNeedView, DepsRequest, DepsStackView,
    DepsUncoveredView, DepsView, DEFAULT_MIN_FIT, DEPENDENCY_DIRECTION,
};
pub use crate::ops::{
    list_operations, ops, OpNamesView, OperationView, OpsAnswer, OpsApplyView, OpsInputView,
    OpsListView, OpsRequest, OpsStepView, OPERATION_SEMANTICS,
};

// Learning Θ from feedback, and calibrating concept weights to the source document's scores.
mod calibrate;
pub mod feedback;
mod learn;

pub use crate::calibrate::{
    calibrate, CalibrateRequest, CalibrateView, CalibratedWeightView, CalibrationFigureView,
    CalibrationSkipView,
};
pub use crate::learn::{
    learn, theta_toml, EpochLossView, LearnRequest, LearnView, ThetaChangeView,
    DEFAULT_LEARN_EPOCHS, DEFAULT_LEARN_TOLERANCE,
};
