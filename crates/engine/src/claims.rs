//! The source document's claims beside what the model computes.

use crate::ranking::Ranking;
use stackmatrix_model::{Claims, KnowledgeBase, Technology};

/// One claimed ranking line and what the model computes for the same technology.
#[derive(Debug, Clone, PartialEq)]
pub struct RankingClaimCheck {
    /// The name as the document writes it.
    pub label: String,
    /// Knowledge-base id, when the knowledge base holds the technology.
    pub tech: Option<String>,
    /// Claimed rank.
    pub claimed_rank: Option<u32>,
    /// Claimed score (0 to 10).
    pub claimed_score: Option<f64>,
    /// Computed rank, when the technology was ranked.
    pub computed_rank: Option<usize>,
    /// Computed score, when the technology was ranked.
    pub computed_score: Option<f64>,
}

impl RankingClaimCheck {
    /// Computed minus claimed score, when both exist.
    pub fn score_difference(&self) -> Option<f64> {
        Some(self.computed_score? - self.claimed_score?)
    }
}

/// Sets each claimed ranking line beside the computed one. Lines naming a technology the
/// knowledge base does not rank keep `None` as computed values: they are shown, never dropped.
pub fn check_ranking_claims(ranking: &Ranking, claims: &Claims) -> Vec<RankingClaimCheck> {
    claims
        .ranking
        .iter()
        .map(|c| {
            let entry = c.tech.as_deref().and_then(|id| ranking.entry(id));
            RankingClaimCheck {
                label: c.label.clone(),
                tech: c.tech.clone(),
                claimed_rank: c.rank,
                claimed_score: c.score,
                computed_rank: entry.map(|e| e.rank),
                computed_score: entry.map(|e| e.score),
            }
        })
        .collect()
}

/// The documented stack resolved against the knowledge base: the members it holds, and the labels
/// of those it does not (kept so that no documented member is dropped silently).
pub fn resolve_claimed_stack<'a>(
    kb: &'a KnowledgeBase,
    claims: &Claims,
) -> (Vec<&'a Technology>, Vec<String>) {
    let mut members = Vec::new();
    let mut missing = Vec::new();
    for m in &claims.stack {
        match m.tech.as_deref().and_then(|id| kb.technology(id)) {
            Some(t) => members.push(t),
            None => missing.push(m.label.clone()),
        }
    }
    (members, missing)
}
