//! `list` and `show`: what the knowledge base holds.

use crate::error::ApiResult;
use crate::rank::find_technology;
use crate::request::{time_mode, ShowRequest};
use crate::views::{AxisView, ScenarioListView, ShowRowView, ShowView, TechView};
use stackmatrix_engine::time_matrix;
use stackmatrix_model::{Concept, KnowledgeBase, Lang, Scene, Technology, TimeMode, TimeSlice};

/// `list techs`: every technology, chains and addons, by id.
pub fn list_techs(kb: &KnowledgeBase, lang: Lang) -> Vec<TechView> {
    kb.technologies
        .iter()
        .map(|t| TechView {
            id: t.id.clone(),
            kind: t.kind.key(),
            name: t.name.get(lang).to_string(),
            roles: t.roles.clone(),
            version: t.version.clone(),
            capabilities: t.capabilities.clone(),
            requires: t.requires.clone(),
            conflicts: t.conflicts.clone(),
            provenance: provenance_summary(t),
            source: t.provenance.source.clone(),
        })
        .collect()
}

/// `published`, `estimated`, `measured`, or `mixed` when rows differ.
fn provenance_summary(t: &Technology) -> &'static str {
    let kinds: std::collections::BTreeSet<_> = Concept::ALL
        .iter()
        .flat_map(|c| [TimeSlice::Static, TimeSlice::Dynamic].map(|s| t.provenance_of(s, *c).kind))
        .collect();
    match kinds.len() {
        1 => kinds.into_iter().next().map_or("mixed", |k| k.key()),
        _ => "mixed",
    }
}

/// `list scenarios`: every scenario, by id.
pub fn list_scenarios(kb: &KnowledgeBase, lang: Lang) -> Vec<ScenarioListView> {
    kb.scenarios
        .iter()
        .map(|s| ScenarioListView {
            id: s.id.clone(),
            name: s.name.get(lang).to_string(),
            vector: s.vector,
            weights: s.weights,
            time: s.time.map(|t| t.key()),
            required_capabilities: s.requirements.capabilities.clone(),
            features: s.features.iter().map(|f| f.get(lang).to_string()).collect(),
            has_claims: s.claims.is_some(),
        })
        .collect()
}

/// `list concepts`: the 12 concepts in concept order.
pub fn list_concepts(kb: &KnowledgeBase, lang: Lang) -> Vec<AxisView> {
    Concept::ALL
        .iter()
        .map(|c| AxisView {
            index: c.index(),
            key: c.key(),
            symbol: c.symbol(),
            name: kb.concept_names(*c).get(lang).to_string(),
        })
        .collect()
}

/// `list scenes`: the 6 scenes in scene order.
pub fn list_scenes(kb: &KnowledgeBase, lang: Lang) -> Vec<AxisView> {
    Scene::ALL
        .iter()
        .map(|s| AxisView {
            index: s.index(),
            key: s.key(),
            symbol: s.key(),
            name: kb.scene_names(*s).get(lang).to_string(),
        })
        .collect()
}

/// `show`: a technology's maturity matrix in a time slice (static by default), with the
/// provenance of every row. An addon's rows cover only some concepts; the others are `null`.
pub fn show_tech(kb: &KnowledgeBase, lang: Lang, req: &ShowRequest) -> ApiResult<ShowView> {
    let t = find_technology(kb, &req.tech)?;
    let mode = match &req.time {
        Some(time) => time_mode(time)?,
        None => TimeMode::Static,
    };
    // Addons have partial rows; a full matrix exists only for chains, so rows are read one by one
    // through the engine's time rule where possible.
    let full = time_matrix(&t.maturity, mode, &kb.tables.parameters);
    let slice = match mode {
        TimeMode::Dynamic => TimeSlice::Dynamic,
        _ => TimeSlice::Static,
    };
    let rows = Concept::ALL
        .iter()
        .map(|&c| {
            let p = t.provenance_of(slice, c);
            ShowRowView {
                concept: c.key(),
                name: kb.concept_names(c).get(lang).to_string(),
                values: full
                    .map(|m| m[c.index()])
                    .or_else(|| t.maturity.row(slice, c)),
                provenance: p.kind.key(),
                source: p.source.clone(),
                rationale: p.rationale.clone(),
                dynamic_given: t.maturity.has_dynamic_row(c),
            }
        })
        .collect();
    Ok(ShowView {
        id: t.id.clone(),
        name: t.name.get(lang).to_string(),
        kind: t.kind.key(),
        time: mode.key(),
        scenes: Scene::KEYS,
        rows,
    })
}
