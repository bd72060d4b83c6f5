//! Why a technology scores what it scores: each concept's fit and share, against the best
//! alternative.

use crate::ranking::{RankedTech, Ranking, TIE_TOLERANCE};
use stackmatrix_model::{Concept, CONCEPT_COUNT};

/// One concept's part in a technology's score.
#[derive(Debug, Clone, PartialEq)]
pub struct ConceptShare {
    /// The concept.
    pub concept: Concept,
    /// Fit in [0, 1]: `Σ_j s_j · A[c][j]`.
    pub fit: f64,
    /// Concept weight.
    pub weight: f64,
    /// Share of the score: `10 · w_c · θ_c · f_c / Σ w` (θ_c = 1 unless Θ is learned).
    pub contribution: f64,
    /// The best alternative's fit for this concept, when there is an alternative.
    pub alternative_fit: Option<f64>,
    /// Score difference this concept makes against the alternative:
    /// `10 · w_c · θ_c · (f_c − f'_c) / Σ w`. Positive where the technology leads.
    pub score_delta: Option<f64>,
}

/// The explanation of one technology's score in one scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation<'a> {
    /// The explained entry of the ranking.
    pub entry: &'a RankedTech,
    /// The best alternative: the top-ranked other technology (the runner-up when this one is
    /// first), or `None` when nothing else was ranked.
    pub alternative: Option<&'a RankedTech>,
    /// Per-concept parts, in concept order.
    pub concepts: Vec<ConceptShare>,
    /// Concepts where it leads the alternative, largest score difference first.
    pub leads: Vec<Concept>,
    /// Concepts where it trails the alternative, largest score difference first.
    pub trails: Vec<Concept>,
}

/// Explains the score of `id` in a ranking. Returns `None` when `id` was not ranked.
///
/// The contributions sum to the score; the score deltas sum to the score difference with the
/// alternative. A concept counts as leading or trailing when its delta exceeds the tie tolerance.
pub fn explain<'a>(ranking: &'a Ranking, id: &str) -> Option<Explanation<'a>> {
    let entry = ranking.entry(id)?;
    let alternative = ranking.entries.iter().find(|e| e.id != id);
    let weights = &ranking.scenario.weights;
    let contributions = ranking.scenario.contributions(&entry.fit);
    let deltas: Option<[f64; CONCEPT_COUNT]> = alternative.map(|alt| {
        let theirs = ranking.scenario.contributions(&alt.fit);
        std::array::from_fn(|i| contributions[i] - theirs[i])
    });
    let concepts = Concept::ALL
        .iter()
        .map(|&c| {
            let i = c.index();
            ConceptShare {
                concept: c,
                fit: entry.fit[i],
                weight: weights[i],
                contribution: contributions[i],
                alternative_fit: alternative.map(|a| a.fit[i]),
                score_delta: deltas.map(|d| d[i]),
            }
        })
        .collect();
    let (mut leads, mut trails) = (Vec::new(), Vec::new());
    if let Some(d) = deltas {
        for c in Concept::ALL {
            let x = d[c.index()];
            if x > TIE_TOLERANCE {
                leads.push(c);
            } else if x < -TIE_TOLERANCE {
                trails.push(c);
            }
        }
        leads.sort_by(|a, b| d[b.index()].total_cmp(&d[a.index()]));
        trails.sort_by(|a, b| d[a.index()].total_cmp(&d[b.index()]));
    }
    Some(Explanation {
        entry,
        alternative,
        concepts,
        leads,
        trails,
    })
}
