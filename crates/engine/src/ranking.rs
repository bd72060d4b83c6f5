//! Ranking technologies in a scenario, with ties detected by tolerance.

use crate::input::PreparedScenario;
use crate::scoring::{scenario_fit, time_matrix};
use crate::stack::{stack_fit_and_score, stack_problems, StackProblem, StackRequirements};
use stackmatrix_model::{Names, Parameters, Technology, CONCEPT_COUNT};

/// Scores closer than this are a tie: they share a rank.
pub const TIE_TOLERANCE: f64 = 1e-9;

/// One technology's place in a ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedTech {
    /// Competition rank: tied entries share a rank and the next rank skips (1, 2, 2, 4).
    pub rank: usize,
    /// True when another entry shares this rank.
    pub tied: bool,
    /// Technology id.
    pub id: String,
    /// Display names (members' names joined by ` + ` for a stack).
    pub name: Names,
    /// The technologies scored: the technology itself, or a stack's members.
    pub members: Vec<String>,
    /// Score on the 0 to 10 scale, full precision.
    pub score: f64,
    /// Per-concept fit in [0, 1], in concept order.
    pub fit: [f64; CONCEPT_COUNT],
}

/// The technologies of a knowledge base ranked in one scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    /// The scenario as scored.
    pub scenario: PreparedScenario,
    /// Entries by rank; ties ordered by id.
    pub entries: Vec<RankedTech>,
}

impl Ranking {
    /// The entry of a technology, when it was ranked.
    pub fn entry(&self, id: &str) -> Option<&RankedTech> {
        self.entries.iter().find(|e| e.id == id)
    }
}

/// Ranks every technology that covers all 12 concepts (chains; addons cannot be scored alone and
/// are left out) by [`crate::theta_weighted_score`] (the seed's [`crate::weighted_score`] when Θ
/// is the identity) of its [`scenario_fit`].
///
/// Order: score descending; scores within [`TIE_TOLERANCE`] of the first score of their group
/// share its rank and are listed by id in ascending byte order, so the output does not depend on
/// the order the technologies were given in.
pub fn rank_technologies<'a>(
    technologies: impl IntoIterator<Item = &'a Technology>,
    scenario: &PreparedScenario,
    params: &Parameters,
) -> Ranking {
    let entries = technologies
        .into_iter()
        .filter_map(|t| {
            let matrix = time_matrix(&t.maturity, scenario.time_mode(), params)?;
            let fit = scenario_fit(&scenario.vector, &matrix);
            Some(RankedTech {
                rank: 0,
                tied: false,
                id: t.id.clone(),
                name: t.name.clone(),
                members: vec![t.id.clone()],
                score: scenario.score(&fit),
                fit,
            })
        })
        .collect();
    order_and_rank(entries, scenario)
}

/// A stack the user named that cannot be ranked, with every reason.
#[derive(Debug, Clone, PartialEq)]
pub struct InfeasibleStack {
    /// The stack id as named (`k8s+k3s`).
    pub id: String,
    /// Why it cannot be a stack here.
    pub problems: Vec<StackProblem>,
}

/// Ranks stacks the user names (each a list of technologies) by the score of their composed
/// tensor ([`crate::compose_stack`]), with the same order and tie rules as single technologies.
/// Stacks that break a rule of [`crate::stack_problems`] under `requirements` are not ranked;
/// they are returned with their reasons.
pub fn rank_stacks(
    stacks: &[(String, Vec<&Technology>)],
    scenario: &PreparedScenario,
    params: &Parameters,
    requirements: &StackRequirements,
) -> (Ranking, Vec<InfeasibleStack>) {
    let mut entries = Vec::new();
    let mut infeasible = Vec::new();
    for (id, members) in stacks {
        let problems = stack_problems(members, requirements);
        match stack_fit_and_score(members, scenario, params) {
            Some((fit, score)) if problems.is_empty() => entries.push(RankedTech {
                rank: 0,
                tied: false,
                id: id.clone(),
                name: Names {
                    en: members
                        .iter()
                        .map(|m| m.name.en.as_str())
                        .collect::<Vec<_>>()
                        .join(" + "),
                    zh: members
                        .iter()
                        .map(|m| m.name.zh.as_str())
                        .collect::<Vec<_>>()
                        .join(" + "),
                },
                members: members.iter().map(|m| m.id.clone()).collect(),
                score,
                fit,
            }),
            _ => infeasible.push(InfeasibleStack {
                id: id.clone(),
                problems,
            }),
        }
    }
    (order_and_rank(entries, scenario), infeasible)
}

/// Sorts entries by score and assigns competition ranks; ties are ordered by id.
fn order_and_rank(mut entries: Vec<RankedTech>, scenario: &PreparedScenario) -> Ranking {
    entries.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    let scores: Vec<f64> = entries.iter().map(|e| e.score).collect();
    let ranks = competition_ranks(&scores);
    // Within a tie group the id decides the order, not the last bits of the score.
    let mut start = 0;
    while start < entries.len() {
        let end = start
            + ranks[start..]
                .iter()
                .take_while(|r| **r == ranks[start])
                .count();
        entries[start..end].sort_by(|a, b| a.id.cmp(&b.id));
        for e in &mut entries[start..end] {
            e.rank = ranks[start];
            e.tied = end - start > 1;
        }
        start = end;
    }
    Ranking {
        scenario: scenario.clone(),
        entries,
    }
}

/// Competition ranks of scores sorted in descending order.
///
/// A group starts at a score and takes in every following score within [`TIE_TOLERANCE`] of
/// that first score (so a chain of near-equal scores cannot drift into one group); each group
/// shares the rank of its first position, 1-based: `[9, 8, 8, 7]` ranks `[1, 2, 2, 4]`.
pub fn competition_ranks(sorted_desc: &[f64]) -> Vec<usize> {
    let mut ranks = Vec::with_capacity(sorted_desc.len());
    let mut leader = 0;
    for (i, s) in sorted_desc.iter().enumerate() {
        if (sorted_desc[leader] - s).abs() > TIE_TOLERANCE {
            leader = i;
        }
        ranks.push(leader + 1);
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_a_rank_and_the_next_rank_skips() {
        assert_eq!(competition_ranks(&[9.0, 8.0, 8.0, 7.0]), vec![1, 2, 2, 4]);
        assert_eq!(
            competition_ranks(&[5.0, 5.0 - 5e-10, 5.0 - 1.5e-9]),
            vec![1, 1, 3]
        );
        assert_eq!(competition_ranks(&[]), Vec::<usize>::new());
    }
}
