//! The cost model: the reference's weighted memory cost with a stated weighting, and a
//! normalised attribute score that never divides by zero (reference defect 6).
//!
//! The attribute tables (`tables/attributes.toml`: latency, memory, compatibility) are per
//! concept and scene, not per technology: they say what providing concept `i` in scene `j`
//! typically costs. A technology enters only through the weighting `W` and its maturity.
//!
//! # Reference cost
//!
//! `cost = Σ_ij W_ij · Acost[i][j]` with `Acost = memory_mb` (12 x 6, MB). Three weightings
//! ([`CostWeighting`]), each computed and shown:
//!
//! - `reference`: `W_ij = 1`, the reference's default. The same figure for every technology.
//! - `scenario`: `W_ij = w_i · s_j` (concept weights times the normalised scene vector; without a
//!   scenario, `W_ij = 1`). The expected memory of the concepts in the scenario's scenes, still
//!   the same for every technology.
//! - `technology` (the headline): `W_ij = A[i][j] · w_i · s_j`, where `A` is the technology's (or
//!   stack's) maturity matrix in the scenario's time slice: the memory of the concept-scene
//!   capability the technology actually provides, in proportion to how fully it provides it.
//!   It is the only weighting under which two technologies can cost differently, which is what
//!   a cost is for.
//!
//! # Attribute score
//!
//! The reference's `w1·mat + w2/latency + w3/cost + w4·compat` divides by zero (memory 0 MB for B
//! and T in some scenes; latency "n/a") and adds milliseconds to megabytes. Here every term is
//! rescaled to [0, 1] first, per cell `(i, j)`:
//!
//! - maturity `A[i][j]` (already in [0, 1]);
//! - latency `(max − x) / (max − min)` over the latency table's present values (lower is better);
//!   an "n/a" cell drops the term and the weights of the cell are renormalised over the present
//!   terms;
//! - memory `(max − x) / (max − min)` over the memory table (lower is better; 0 MB is the best,
//!   never a division);
//! - compatibility as published; the row "L + Service Mesh" replaces L when a member of the
//!   stack lifts L (a service mesh).
//!
//! `e_ij = Σ_k ω_k x_k / Σ_{k present} ω_k`, and the score is the weighted mean
//! `Σ_ij B_ij e_ij / Σ_ij B_ij` with `B_ij = w_i · s_j` (all ones without a scenario), in [0, 1].
//! The default weights ω = (0.4, 0.2, 0.2, 0.2) give maturity, the one technology-specific term,
//! as much weight as latency and memory together ([`AttributeWeights::default`]).

use stackmatrix_model::{Attributes, Matrix, CONCEPT_COUNT, SCENE_COUNT};

/// How the reference cost weighs the memory table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CostWeighting {
    /// `W_ij = 1`.
    Reference,
    /// `W_ij = w_i · s_j`.
    Scenario,
    /// `W_ij = A[i][j] · w_i · s_j`.
    Technology,
}

impl CostWeighting {
    /// Every weighting, in the order shown.
    pub const ALL: [CostWeighting; 3] = [
        CostWeighting::Reference,
        CostWeighting::Scenario,
        CostWeighting::Technology,
    ];

    /// `reference`, `scenario` or `technology`.
    pub fn key(self) -> &'static str {
        match self {
            CostWeighting::Reference => "reference",
            CostWeighting::Scenario => "scenario",
            CostWeighting::Technology => "technology",
        }
    }
}

/// The base weights `B_ij = w_i · s_j` of a scenario, or all ones without one.
pub fn scene_concept_weights(
    scenario: Option<(&[f64; SCENE_COUNT], &[f64; CONCEPT_COUNT])>,
) -> Matrix {
    match scenario {
        None => [[1.0; SCENE_COUNT]; CONCEPT_COUNT],
        Some((s, w)) => {
            let total: f64 = s.iter().sum();
            std::array::from_fn(|i| std::array::from_fn(|j| w[i] * s[j] / total))
        }
    }
}

/// The weighting matrix `W` of a cost: ones, the base weights, or the maturity times the base.
pub fn cost_weights(weighting: CostWeighting, maturity: &Matrix, base: &Matrix) -> Matrix {
    match weighting {
        CostWeighting::Reference => [[1.0; SCENE_COUNT]; CONCEPT_COUNT],
        CostWeighting::Scenario => *base,
        CostWeighting::Technology => {
            std::array::from_fn(|i| std::array::from_fn(|j| maturity[i][j] * base[i][j]))
        }
    }
}

/// The reference cost `Σ_ij W_ij · Acost[i][j]`.
pub fn weighted_cost(weights: &Matrix, cost: &Matrix) -> f64 {
    crate::scoring::compensated_sum(
        weights
            .iter()
            .zip(cost)
            .flat_map(|(w, c)| w.iter().zip(c).map(|(a, b)| a * b)),
    )
}

/// The weights ω of the attribute score's four terms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AttributeWeights {
    /// ω1: maturity.
    pub maturity: f64,
    /// ω2: latency (lower is better).
    pub latency: f64,
    /// ω3: memory (lower is better).
    pub memory: f64,
    /// ω4: compatibility.
    pub compatibility: f64,
}

impl Default for AttributeWeights {
    /// ω = (0.4, 0.2, 0.2, 0.2).
    fn default() -> Self {
        AttributeWeights {
            maturity: 0.4,
            latency: 0.2,
            memory: 0.2,
            compatibility: 0.2,
        }
    }
}

impl AttributeWeights {
    /// The four weights in order: maturity, latency, memory, compatibility.
    pub fn as_array(&self) -> [f64; 4] {
        [self.maturity, self.latency, self.memory, self.compatibility]
    }

    /// Weights from four values in order.
    pub fn from_array(v: [f64; 4]) -> AttributeWeights {
        AttributeWeights {
            maturity: v[0],
            latency: v[1],
            memory: v[2],
            compatibility: v[3],
        }
    }
}

/// The attribute score and its parts.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeScore {
    /// The weighted mean of the cell scores, in [0, 1].
    pub score: f64,
    /// The base-weighted mean of each normalised term over the cells where it is present:
    /// maturity, latency, memory, compatibility.
    pub terms: [f64; 4],
    /// Cells whose latency is "n/a" among those weighed (the latency term is dropped there).
    pub latency_missing: usize,
    /// True when the compatibility of L was read from the "L + Service Mesh" row.
    pub mesh_compatibility: bool,
}

/// `(max − x) / (max − min)` over the present values of a table; 1 when they are all equal.
fn lower_is_better(
    table: &[[Option<f64>; SCENE_COUNT]; CONCEPT_COUNT],
) -> [[Option<f64>; SCENE_COUNT]; CONCEPT_COUNT] {
    let present = table.iter().flatten().flatten().copied();
    let (min, max) = present.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
        (lo.min(x), hi.max(x))
    });
    table.map(|row| {
        row.map(|x| {
            x.map(|x| {
                if max > min {
                    (max - x) / (max - min)
                } else {
                    1.0
                }
            })
        })
    })
}

/// The normalised attribute score of a maturity matrix (see the module documentation): `None`
/// when the weights are not usable (negative, not finite, or no positive weight) or no weighed
/// cell has a present term with positive weight.
pub fn attribute_score(
    maturity: &Matrix,
    attributes: &Attributes,
    base: &Matrix,
    weights: &AttributeWeights,
    mesh: bool,
) -> Option<AttributeScore> {
    let omega = weights.as_array();
    if omega.iter().any(|w| !w.is_finite() || *w < 0.0) || omega.iter().sum::<f64>() <= 0.0 {
        return None;
    }
    let latency = lower_is_better(&attributes.latency_ms);
    let memory = lower_is_better(&attributes.memory_mb.map(|r| r.map(Some)));
    let l = stackmatrix_model::Concept::LoadBalance.index();
    let (mut num, mut den) = (0.0, 0.0);
    let mut term_num = [0.0; 4];
    let mut term_den = [0.0; 4];
    let mut latency_missing = 0;
    for i in 0..CONCEPT_COUNT {
        for j in 0..SCENE_COUNT {
            let b = base[i][j];
            if b <= 0.0 {
                continue;
            }
            let compat = if mesh && i == l {
                attributes.compatibility_l_mesh[j]
            } else {
                attributes.compatibility[i][j]
            };
            let terms = [
                Some(maturity[i][j]),
                latency[i][j],
                memory[i][j],
                Some(compat),
            ];
            if terms[1].is_none() {
                latency_missing += 1;
            }
            let (mut cn, mut cd) = (0.0, 0.0);
            for (k, t) in terms.iter().enumerate() {
                if let Some(x) = t {
                    cn += omega[k] * x;
                    cd += omega[k];
                    term_num[k] += b * x;
                    term_den[k] += b;
                }
            }
            if cd > 0.0 {
                num += b * cn / cd;
                den += b;
            }
        }
    }
    if den <= 0.0 {
        return None;
    }
    Some(AttributeScore {
        score: num / den,
        terms: std::array::from_fn(|k| {
            if term_den[k] > 0.0 {
                term_num[k] / term_den[k]
            } else {
                0.0
            }
        }),
        latency_missing,
        mesh_compatibility: mesh,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attributes() -> Attributes {
        stackmatrix_model::builtin().unwrap().tables.attributes
    }

    #[test]
    fn the_reference_weighting_sums_the_memory_table() {
        let a = attributes();
        let ones = [[1.0; SCENE_COUNT]; CONCEPT_COUNT];
        let total: f64 = a.memory_mb.iter().flatten().sum();
        assert!((weighted_cost(&ones, &a.memory_mb) - total).abs() < 1e-9);
        let m = [[0.5; SCENE_COUNT]; CONCEPT_COUNT];
        let w = cost_weights(CostWeighting::Technology, &m, &ones);
        assert!((weighted_cost(&w, &a.memory_mb) - total / 2.0).abs() < 1e-9);
    }

    #[test]
    fn scenario_weights_are_an_expectation_over_scenes() {
        let base = scene_concept_weights(Some((&[0.0, 0.0, 0.0, 2.0, 0.0, 0.0], &[1.0; 12])));
        let a = attributes();
        let edge: f64 = a.memory_mb.iter().map(|r| r[3]).sum();
        assert!((weighted_cost(&base, &a.memory_mb) - edge).abs() < 1e-9);
    }

    #[test]
    fn the_attribute_score_never_divides_by_zero_and_stays_in_range() {
        let a = attributes();
        let ones = [[1.0; SCENE_COUNT]; CONCEPT_COUNT];
        for m in [0.0, 0.3, 1.0] {
            let mat = [[m; SCENE_COUNT]; CONCEPT_COUNT];
            let s = attribute_score(&mat, &a, &ones, &AttributeWeights::default(), false).unwrap();
            assert!(s.score.is_finite() && (0.0..=1.0).contains(&s.score));
            // 6 cells of the latency table are n/a (B dev; T dev, ci, edge, serverless; Θ dev).
            assert_eq!(s.latency_missing, 6);
        }
        // Only latency weighs: the n/a cells drop out, the rest still averages.
        let only_latency = AttributeWeights::from_array([0.0, 1.0, 0.0, 0.0]);
        let s = attribute_score(&ones, &a, &ones, &only_latency, false).unwrap();
        assert!((s.score - s.terms[1]).abs() < 1e-12);
        assert!(attribute_score(
            &ones,
            &a,
            &ones,
            &AttributeWeights::from_array([0.0; 4]),
            false
        )
        .is_none());
        let mesh = attribute_score(&ones, &a, &ones, &AttributeWeights::default(), true).unwrap();
        let plain = attribute_score(&ones, &a, &ones, &AttributeWeights::default(), false).unwrap();
        assert!(mesh.score > plain.score);
    }
}
