//! Calibrating concept weights to the source document's scores: how close can any non-negative
//! concept weighting bring the computed scores to the documented ones?
//!
//! # The problem
//!
//! Each documented figure `i` (a `[[claims.ranking]]` line with a score, naming a chain of the
//! knowledge base) has a claimed score `y_i` and the chain's fits `f_i` in its scenario (scene
//! vector and time slice of the scenario, each fit scaled by the knowledge base's θ_c, so the
//! default weights reproduce `rank` exactly). With concept weights `w ≥ 0` normalised to
//! `Σ_c w_c = 12` (so all ones is the default), the score is
//! `score_i(w) = 10 · Σ_c w_c f_ic / 12`, linear in `w`. Calibration solves
//!
//! `minimise Σ_i (score_i(w) − y_i)²  subject to  w ≥ 0, Σ_c w_c = 12`,
//!
//! a convex least-squares problem on a simplex, exactly: with `u = w / 12` and `A_ic = 10 f_ic`,
//! every support `S ⊆ {1..12}` gives the equality-constrained system (KKT)
//! `[2 A_Sᵀ A_S, 1; 1ᵀ, 0] [u_S; λ] = [2 A_Sᵀ y; 1]`. Some optimum is a vertex of the optimal face,
//! whose support has linearly independent columns of `[A_S; 1ᵀ]`, for which this system is
//! non-singular; so the optimum is the best non-negative solution over all 4095 supports. The
//! answer is checked against the full KKT conditions (`u ≥ 0`, gradient `g = 2Aᵀ(Au − y)` equal
//! to `−λ` on the support and at least `−λ` off it). The fitted scores `A u` are unique (the
//! objective is strictly convex in them); the weights need not be. Concepts whose fits are equal
//! in every figure (in the built-in knowledge base, I and C) are interchangeable: only their sum
//! is determined, and it is split equally among them; they are reported as such. Otherwise, when
//! several weightings fit equally well, the one with the smallest support, then the first support
//! in concept order, is reported.

use crate::input::ScenarioInput;
use crate::ranking::rank_technologies;
use stackmatrix_model::{Concept, KnowledgeBase, CONCEPT_COUNT};

/// One documented score and the chain's fits in its scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationFigure {
    /// The scenario id.
    pub scenario: String,
    /// The chain id.
    pub tech: String,
    /// The name as the document writes it.
    pub label: String,
    /// The documented score.
    pub claimed: f64,
    /// The chain's Θ-scaled fits `θ_c f_c` in the scenario.
    pub fit: [f64; CONCEPT_COUNT],
    /// The score `rank` computes (the scenario's own weights).
    pub computed_default: f64,
    /// The score with the calibrated weights.
    pub computed_calibrated: f64,
}

/// The calibration.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    /// The figures, in scenario file order, then document order.
    pub figures: Vec<CalibrationFigure>,
    /// Documented lines left out, with why (`scenario`, `label`, reason).
    pub skipped: Vec<(String, String, String)>,
    /// The calibrated weights, concept order, summing to 12.
    pub weights: [f64; CONCEPT_COUNT],
    /// Root mean square of `computed − claimed` with the default weights.
    pub rms_default: f64,
    /// Root mean square of `computed − claimed` with the calibrated weights.
    pub rms_calibrated: f64,
    /// True when the answer meets the KKT conditions within 1e-9 (it always should).
    pub kkt_verified: bool,
    /// Groups of concepts whose fits are equal in every figure: only each group's total weight
    /// is determined (it is split equally).
    pub interchangeable: Vec<Vec<Concept>>,
}

/// Why calibration cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CalibrationError {
    /// No documented score names a chain of the knowledge base.
    #[error("no documented ranking score names a chain of the knowledge base; nothing to calibrate against")]
    NoFigures,
}

/// Weight sum of the calibration: 12, so all ones is the default.
pub const CALIBRATION_WEIGHT_SUM: f64 = CONCEPT_COUNT as f64;

/// Calibrates the concept weights to every documented ranking score (see the module docs).
pub fn calibrate_weights(kb: &KnowledgeBase) -> Result<Calibration, CalibrationError> {
    let mut figures = Vec::new();
    let mut skipped = Vec::new();
    for s in &kb.scenarios {
        let Some(claims) = &s.claims else { continue };
        let prepared = ScenarioInput::from_scenario(s)
            .prepare(kb)
            .expect("a knowledge-base scenario and Θ are validated when loaded");
        let ranking = rank_technologies(kb.chains(), &prepared, &kb.tables.parameters);
        for c in &claims.ranking {
            let Some(claimed) = c.score else {
                skipped.push((s.id.clone(), c.label.clone(), "no documented score".into()));
                continue;
            };
            let Some(entry) = c.tech.as_deref().and_then(|id| ranking.entry(id)) else {
                skipped.push((
                    s.id.clone(),
                    c.label.clone(),
                    "not a chain of the knowledge base (cannot be scored alone)".into(),
                ));
                continue;
            };
            figures.push(CalibrationFigure {
                scenario: s.id.clone(),
                tech: entry.id.clone(),
                label: c.label.clone(),
                claimed,
                fit: std::array::from_fn(|k| entry.fit[k] * prepared.theta[k]),
                computed_default: entry.score,
                computed_calibrated: f64::NAN,
            });
        }
    }
    if figures.is_empty() {
        return Err(CalibrationError::NoFigures);
    }
    let a: Vec<[f64; CONCEPT_COUNT]> = figures.iter().map(|f| f.fit.map(|x| 10.0 * x)).collect();
    let y: Vec<f64> = figures.iter().map(|f| f.claimed).collect();
    let (mut u, kkt_verified) = simplex_least_squares(&a, &y);
    let mut interchangeable: Vec<Vec<Concept>> = Vec::new();
    let mut grouped = [false; CONCEPT_COUNT];
    for i in 0..CONCEPT_COUNT {
        if grouped[i] {
            continue;
        }
        let group: Vec<usize> = (i..CONCEPT_COUNT)
            .filter(|j| !grouped[*j] && a.iter().all(|row| row[*j] == row[i]))
            .collect();
        if group.len() > 1 {
            let share = group.iter().map(|j| u[*j]).sum::<f64>() / group.len() as f64;
            for j in &group {
                u[*j] = share;
                grouped[*j] = true;
            }
            interchangeable.push(group.iter().map(|j| Concept::ALL[*j]).collect());
        }
    }
    let weights = u.map(|x| x * CALIBRATION_WEIGHT_SUM);
    for (f, row) in figures.iter_mut().zip(&a) {
        f.computed_calibrated = row.iter().zip(&u).map(|(x, w)| x * w).sum();
    }
    let rms = |get: &dyn Fn(&CalibrationFigure) -> f64| {
        (figures
            .iter()
            .map(|f| (get(f) - f.claimed).powi(2))
            .sum::<f64>()
            / figures.len() as f64)
            .sqrt()
    };
    let rms_default = rms(&|f| f.computed_default);
    let rms_calibrated = rms(&|f| f.computed_calibrated);
    Ok(Calibration {
        figures,
        skipped,
        weights,
        rms_default,
        rms_calibrated,
        kkt_verified,
        interchangeable,
    })
}

/// `argmin_u ‖A u − y‖²` over the probability simplex (`u ≥ 0`, `Σ u = 1`), exactly, by
/// enumerating supports (see the module documentation); also whether the answer meets the KKT
/// conditions within 1e-9 (relative to the gradient's scale).
pub fn simplex_least_squares(
    a: &[[f64; CONCEPT_COUNT]],
    y: &[f64],
) -> ([f64; CONCEPT_COUNT], bool) {
    let n = CONCEPT_COUNT;
    let objective = |u: &[f64; CONCEPT_COUNT]| -> f64 {
        a.iter()
            .zip(y)
            .map(|(row, yi)| (row.iter().zip(u).map(|(x, w)| x * w).sum::<f64>() - yi).powi(2))
            .sum()
    };
    // Gram matrix and A^T y.
    let mut q = [[0.0; CONCEPT_COUNT]; CONCEPT_COUNT];
    let mut b = [0.0; CONCEPT_COUNT];
    for (row, yi) in a.iter().zip(y) {
        for i in 0..n {
            b[i] += row[i] * yi;
            for j in 0..n {
                q[i][j] += row[i] * row[j];
            }
        }
    }
    let mut best: Option<(f64, usize, [f64; CONCEPT_COUNT])> = None;
    let mut masks: Vec<u32> = (1..(1u32 << n)).collect();
    masks.sort_by_key(|m| (m.count_ones(), *m));
    for mask in masks {
        let support: Vec<usize> = (0..n).filter(|i| mask & (1 << i) != 0).collect();
        let k = support.len();
        // KKT system of size k + 1.
        let mut m = vec![vec![0.0; k + 2]; k + 1];
        for (r, &i) in support.iter().enumerate() {
            for (c, &j) in support.iter().enumerate() {
                m[r][c] = 2.0 * q[i][j];
            }
            m[r][k] = 1.0;
            m[r][k + 1] = 2.0 * b[i];
        }
        for x in &mut m[k][..k] {
            *x = 1.0;
        }
        m[k][k + 1] = 1.0;
        let Some(sol) = solve(m) else { continue };
        if sol[..k].iter().any(|x| *x < -1e-12) {
            continue;
        }
        let mut u = [0.0; CONCEPT_COUNT];
        for (r, &i) in support.iter().enumerate() {
            u[i] = sol[r].max(0.0);
        }
        let total: f64 = u.iter().sum();
        u = u.map(|x| x / total);
        let value = objective(&u);
        let better = match &best {
            None => true,
            Some((v, _, _)) => value < v - 1e-12 * v.abs().max(1.0),
        };
        if better {
            best = Some((value, k, u));
        }
    }
    let (_, _, u) = best.expect("every single-concept support is non-singular or another is");
    // KKT check: g = 2 (Q u − b); on the support g_i = −λ, off it g_i ≥ −λ.
    let g: [f64; CONCEPT_COUNT] =
        std::array::from_fn(|i| 2.0 * ((0..n).map(|j| q[i][j] * u[j]).sum::<f64>() - b[i]));
    let scale = g.iter().fold(1.0f64, |m, x| m.max(x.abs()));
    let on: Vec<f64> = (0..n).filter(|i| u[*i] > 1e-12).map(|i| g[i]).collect();
    let lambda = -on.iter().sum::<f64>() / on.len().max(1) as f64;
    let kkt = on.iter().all(|gi| (gi + lambda).abs() <= 1e-9 * scale)
        && (0..n)
            .filter(|i| u[*i] <= 1e-12)
            .all(|i| g[i] + lambda >= -1e-9 * scale);
    (u, kkt)
}

/// Solves a square linear system given as an augmented matrix by Gaussian elimination with
/// partial pivoting; `None` when it is singular (a pivot below 1e-12 of the matrix's scale).
fn solve(mut m: Vec<Vec<f64>>) -> Option<Vec<f64>> {
    let n = m.len();
    let scale = m
        .iter()
        .flat_map(|r| r[..n].iter())
        .fold(0.0f64, |a, x| a.max(x.abs()));
    for col in 0..n {
        let p = (col..n).max_by(|a, b| m[*a][col].abs().total_cmp(&m[*b][col].abs()))?;
        if m[p][col].abs() <= 1e-12 * scale.max(1.0) {
            return None;
        }
        m.swap(col, p);
        for r in col + 1..n {
            let f = m[r][col] / m[col][col];
            if f != 0.0 {
                let pivot = m[col].clone();
                for (x, p) in m[r][col..=n].iter_mut().zip(&pivot[col..=n]) {
                    *x -= f * p;
                }
            }
        }
    }
    let mut x = vec![0.0; n];
    for r in (0..n).rev() {
        let s: f64 = (r + 1..n).map(|c| m[r][c] * x[c]).sum();
        x[r] = (m[r][n] - s) / m[r][r];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_weights_that_reproduce_the_figures_exactly() {
        // Figures made from known simplex weights are reproduced with zero residual.
        let truth: [f64; CONCEPT_COUNT] = {
            let mut u = [0.0; CONCEPT_COUNT];
            u[0] = 0.5;
            u[4] = 0.3;
            u[9] = 0.2;
            u
        };
        let a: Vec<[f64; CONCEPT_COUNT]> = (0..20)
            .map(|i| std::array::from_fn(|c| ((i * 7 + c * 13) % 17) as f64 / 1.7))
            .collect();
        let y: Vec<f64> = a
            .iter()
            .map(|r| r.iter().zip(&truth).map(|(x, w)| x * w).sum())
            .collect();
        let (u, kkt) = simplex_least_squares(&a, &y);
        assert!(kkt);
        for (x, t) in u.iter().zip(&truth) {
            assert!((x - t).abs() < 1e-9, "{u:?}");
        }
    }

    #[test]
    fn builtin_calibration_never_does_worse_than_the_default() {
        let kb = stackmatrix_model::builtin().unwrap();
        let c = calibrate_weights(&kb).unwrap();
        assert!(c.kkt_verified);
        assert!(c.rms_calibrated <= c.rms_default + 1e-12);
        assert!((c.weights.iter().sum::<f64>() - 12.0).abs() < 1e-9);
        assert!(c.weights.iter().all(|w| *w >= 0.0));
        // The default weights are all ones: their scores are rank's scores.
        let edge_k3s = c
            .figures
            .iter()
            .find(|f| f.scenario == "edge" && f.tech == "k3s")
            .unwrap();
        assert!((edge_k3s.computed_default - 8.75).abs() < 1e-12);
    }
}
