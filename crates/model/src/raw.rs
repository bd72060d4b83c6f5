//! The on-disk shape of knowledge-base files, with byte spans kept for error messages.
//!
//! These types mirror `docs/knowledge-base.md` one to one. They accept anything TOML can say that
//! has the right structure; the range, length and key checks happen in `check`, which turns them
//! into the validated types of the crate and reports every problem with its place.

use crate::names::Names;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

pub(crate) type SNum = Spanned<f64>;
pub(crate) type SRow = Spanned<Vec<SNum>>;
pub(crate) type SStr = Spanned<String>;
pub(crate) type KeyedRows = BTreeMap<SStr, SRow>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAxes {
    pub concepts: BTreeMap<SStr, Names>,
    pub scenes: BTreeMap<SStr, Names>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProvenance {
    pub kind: SStr,
    pub source: String,
    pub rationale: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFileProvenance {
    pub kind: SStr,
    pub source: String,
    pub rationale: Option<String>,
    #[serde(default, rename = "static")]
    pub static_rows: BTreeMap<SStr, RawProvenance>,
    #[serde(default)]
    pub dynamic: BTreeMap<SStr, RawProvenance>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMaturity {
    #[serde(rename = "static")]
    pub static_rows: Spanned<KeyedRows>,
    #[serde(default)]
    pub dynamic: KeyedRows,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTechnology {
    pub id: SStr,
    pub kind: SStr,
    pub name: Names,
    #[serde(default)]
    pub roles: Vec<String>,
    pub version: Option<String>,
    #[serde(default)]
    pub capabilities: Vec<SStr>,
    #[serde(default)]
    pub requires: Vec<SStr>,
    #[serde(default)]
    pub conflicts: Vec<SStr>,
    #[serde(default)]
    pub hosts: Vec<SStr>,
    pub provenance: RawFileProvenance,
    #[serde(default)]
    pub rationale: BTreeMap<SStr, String>,
    pub maturity: RawMaturity,
    #[serde(default)]
    pub enhancements: Vec<RawEnhancement>,
    #[serde(default)]
    pub footprint: BTreeMap<SStr, RawFigure>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEnhancement {
    pub concept: SStr,
    pub delta: SNum,
    pub range: Option<SRow>,
    pub source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFigure {
    pub value: SNum,
    pub source: String,
    pub note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRequirements {
    #[serde(default)]
    pub capabilities: Vec<SStr>,
    #[serde(default)]
    pub shared: Vec<SStr>,
    pub memory_mb_per_node: Option<SNum>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRankingClaim {
    pub label: String,
    pub tech: Option<SStr>,
    pub score: Option<SNum>,
    pub rank: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStackClaim {
    pub label: String,
    pub tech: Option<SStr>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawClaims {
    pub source: String,
    #[serde(default)]
    pub ranking: Vec<RawRankingClaim>,
    #[serde(default)]
    pub stack: Vec<RawStackClaim>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScenario {
    pub id: SStr,
    pub name: Names,
    pub time: Option<SStr>,
    #[serde(default)]
    pub spans_environments: bool,
    #[serde(default)]
    pub features: Vec<Names>,
    pub vector: Spanned<BTreeMap<SStr, SNum>>,
    pub weights: Option<Spanned<BTreeMap<SStr, SNum>>>,
    pub requirements: Option<RawRequirements>,
    pub claims: Option<RawClaims>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRelations {
    pub dependency: Spanned<KeyedRows>,
    pub transformation: Spanned<KeyedRows>,
    pub combination: Spanned<KeyedRows>,
}

/// A latency cell: a number of milliseconds or the string `"n/a"`.
#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum RawLatency {
    Number(f64),
    Text(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAttributes {
    pub latency_ms: Spanned<BTreeMap<SStr, Spanned<Vec<Spanned<RawLatency>>>>>,
    pub memory_mb: Spanned<KeyedRows>,
    pub compatibility: Spanned<KeyedRows>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawChainTransitions {
    pub columns: Spanned<Vec<SStr>>,
    pub rows: Spanned<KeyedRows>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTransitions {
    pub chain_transition: RawChainTransitions,
    pub scene_migration: Spanned<KeyedRows>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOperation {
    pub id: SStr,
    pub group: SStr,
    pub name: Names,
    pub impact: SRow,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOperations {
    pub operation: Vec<RawOperation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTheta {
    pub learning_rate: Spanned<BTreeMap<SStr, SNum>>,
    #[serde(default)]
    pub value: Option<Spanned<BTreeMap<SStr, SNum>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTimeBlend {
    #[serde(rename = "static")]
    pub static_weight: SNum,
    pub dynamic: SNum,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRiskLambda {
    pub static_drop: SNum,
    pub dynamic_jitter: SNum,
    pub ai_uncertainty: SNum,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSceneAdaptation {
    pub alpha_maturity: SNum,
    pub beta_compatibility: SNum,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawParameters {
    pub service_mesh_loadbalance_uplift: SRow,
    pub time_blend: RawTimeBlend,
    pub risk_lambda: RawRiskLambda,
    pub scene_adaptation: RawSceneAdaptation,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCaseMember {
    pub label: String,
    pub tech: Option<SStr>,
    pub version: Option<String>,
    pub environment: Option<SStr>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawIndicator {
    pub name: Names,
    pub claim: String,
    pub comparator: SStr,
    pub value: SNum,
    pub unit: String,
    pub metric: Option<SStr>,
    pub baseline: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMaturityClaim {
    pub concept: SStr,
    pub value: SNum,
    pub note: Names,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCase {
    pub id: SStr,
    pub scenario: SStr,
    pub name: Names,
    pub source: String,
    pub scale: Names,
    #[serde(default)]
    pub stack: Vec<RawCaseMember>,
    #[serde(default)]
    pub indicators: Vec<RawIndicator>,
    #[serde(default)]
    pub maturity: Vec<RawMaturityClaim>,
}
