//! Chain-to-chain transition difficulty derived from the maturity matrices and Θ (the
//! resolution of reference defect 3), and how well it agrees with the published table.
//!
//! The reference writes the chain-transition difficulty as `A(j) · Θ · A(i)ᵀ`, which does not
//! type-check: `A` is 12 x 6 (concepts x scenes) and Θ is 12 x 12. The consistent reading is
//! [`scene_transfer_matrix`], `M(i, j) = A(j)ᵀ · Θ · A(i)`, a 6 x 6 scene-to-scene matrix;
//! [`derived_chain_transition_difficulty`] reduces it to one number per ordered pair of chains.

use crate::mcdm::{rank_group_sizes, ranks_from_preferences, spearman};
use crate::scoring::compensated_sum;
use stackmatrix_model::{Matrix, CONCEPT_COUNT, SCENE_COUNT};

/// The Θ-weighted scene-to-scene transfer matrix of moving from chain `i` to chain `j`.
///
/// Reference formula (defect 3, read so that it type-checks): `M(i, j) = A(j)ᵀ · Θ · A(i)`, with
/// `A(i)`, `A(j)` the 12 x 6 maturity matrices and `Θ = diag(θ_1..θ_12)`:
/// `M[s][t] = Σ_c θ_c · A(j)[c][s] · A(i)[c][t]`, how much of chain `i`'s maturity in scene `t`
/// chain `j` meets in scene `s`. Its trace `Σ_s M[s][s]` is the Θ-weighted inner product
/// `⟨A(i), A(j)⟩_Θ = Σ_c θ_c Σ_s A(i)[c][s] · A(j)[c][s]` of the two matrices.
pub fn scene_transfer_matrix(
    from: &Matrix,
    to: &Matrix,
    theta: &[f64; CONCEPT_COUNT],
) -> [[f64; SCENE_COUNT]; SCENE_COUNT] {
    let mut m = [[0.0; SCENE_COUNT]; SCENE_COUNT];
    for (s, row) in m.iter_mut().enumerate() {
        for (t, cell) in row.iter_mut().enumerate() {
            *cell = compensated_sum((0..CONCEPT_COUNT).map(|c| theta[c] * to[c][s] * from[c][t]));
        }
    }
    m
}

/// The trace of [`scene_transfer_matrix`]: `tr(A(j)ᵀ · Θ · A(i)) = Σ_c θ_c Σ_s A(i)[c][s] · A(j)[c][s]`.
fn transfer_trace(from: &Matrix, to: &Matrix, theta: &[f64; CONCEPT_COUNT]) -> f64 {
    compensated_sum(
        (0..CONCEPT_COUNT)
            .flat_map(|c| (0..SCENE_COUNT).map(move |s| (c, s)))
            .map(|(c, s)| theta[c] * from[c][s] * to[c][s]),
    )
}

/// The derived difficulty of moving from chain `i` to chain `j`, for every ordered pair of
/// `matrices` (rows: from, columns: to), from the static maturity matrices and Θ.
///
/// Definition (stackmatrix's resolution of reference defect 3), with
/// `M(i, j) = A(j)ᵀ · Θ · A(i)` ([`scene_transfer_matrix`]):
///
/// `difficulty(i → j) = clamp( tr(M(i,i) − M(i,j) − M(j,i) + M(j,j)) / tr(M(j,j)), 0, 1 )`
///
/// that is `‖A(j) − A(i)‖²_Θ / ‖A(j)‖²_Θ` with `‖X‖²_Θ = tr(Xᵀ Θ X)`: the Θ-weighted squared
/// distance the migration travels (maturity to be built up where `j` exceeds `i`, and to be given
/// up or re-established where `i` exceeds `j`), as a share of the destination chain's own
/// Θ-weighted maturity. It is 0 on the diagonal and asymmetric (the share is of the target), in
/// [0, 1] (the clamp binds only when the source is further from the target than the target is
/// from zero), invariant under scaling Θ by a positive constant and under permuting the scenes.
/// A target with no Θ-weighted maturity at all (`tr M(j,j) = 0`) gives 0 when the source has none
/// either and 1 otherwise.
pub fn derived_chain_transition_difficulty(
    matrices: &[Matrix],
    theta: &[f64; CONCEPT_COUNT],
) -> Vec<Vec<f64>> {
    let n = matrices.len();
    let own: Vec<f64> = matrices
        .iter()
        .map(|a| transfer_trace(a, a, theta))
        .collect();
    let mut d = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..n {
            if i == j {
                continue;
            }
            let cross = transfer_trace(&matrices[i], &matrices[j], theta);
            // ‖A(j) − A(i)‖²_Θ, never negative by rounding.
            let distance = (own[i] - 2.0 * cross + own[j]).max(0.0);
            d[i][j] = if own[j] > 0.0 {
                (distance / own[j]).clamp(0.0, 1.0)
            } else if distance > 0.0 {
                1.0
            } else {
                0.0
            };
        }
    }
    d
}

/// How two square difficulty tables over the same nodes agree in order: Kendall's tau-b and
/// Spearman's rho of their off-diagonal entries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TransitionAgreement {
    /// Number of off-diagonal entries compared, `n (n − 1)`.
    pub pairs: usize,
    /// Kendall's tau-b ([`crate::kendall_tau_b`]); `None` when undefined (one side constant).
    pub kendall_tau_b: Option<f64>,
    /// Spearman's rho on average ranks ([`crate::mcdm::spearman`]); `None` when undefined.
    pub spearman: Option<f64>,
}

/// Rank agreement of two difficulty tables (say the published and the derived one): Kendall's
/// tau-b and Spearman's rho over their off-diagonal entries `x[i][j]`, `y[i][j]` (`i ≠ j`), read
/// row by row. Spearman ranks the values with ties at their average position (values within
/// `1e-9` tie, as everywhere in the product); tau-b counts exactly equal values as ties.
pub fn transition_agreement(x: &[Vec<f64>], y: &[Vec<f64>]) -> TransitionAgreement {
    let off = |m: &[Vec<f64>]| -> Vec<f64> {
        let mut v = Vec::new();
        for (i, row) in m.iter().enumerate() {
            for (j, value) in row.iter().enumerate() {
                if i != j {
                    v.push(*value);
                }
            }
        }
        v
    };
    let (a, b) = (off(x), off(y));
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    TransitionAgreement {
        pairs: n,
        kendall_tau_b: crate::kendall_tau_b(a, b),
        spearman: spearman(&average_ranks(a), &average_ranks(b))
            .ok()
            .filter(|r| r.is_finite()),
    }
}

/// Ascending ranks, 1 the smallest, tied values (within `1e-9`) at the average of their
/// positions (1, 2.5, 2.5, 4), as scipy's `rankdata` gives them.
fn average_ranks(values: &[f64]) -> Vec<f64> {
    let competition = ranks_from_preferences(values, false);
    competition
        .iter()
        .zip(rank_group_sizes(&competition))
        .map(|(&r, size)| r as f64 + (size as f64 - 1.0) / 2.0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(v: f64) -> Matrix {
        [[v; SCENE_COUNT]; CONCEPT_COUNT]
    }

    #[test]
    fn the_transfer_matrix_is_a_of_j_transposed_theta_a_of_i() {
        let mut from = flat(0.5);
        from[0][1] = 1.0;
        let mut to = flat(0.25);
        to[0][2] = 1.0;
        let mut theta = [1.0; CONCEPT_COUNT];
        theta[0] = 0.5;
        let m = scene_transfer_matrix(&from, &to, &theta);
        // M[2][1] = Σ_c θ_c to[c][2] from[c][1] = 0.5 · 1 · 1 + 11 · 0.25 · 0.5.
        assert!((m[2][1] - (0.5 + 11.0 * 0.125)).abs() < 1e-12);
        // M[0][0] = 0.5 · 0.25 · 0.5 + 11 · 0.25 · 0.5.
        assert!((m[0][0] - (0.0625 + 11.0 * 0.125)).abs() < 1e-12);
        let trace: f64 = (0..SCENE_COUNT).map(|s| m[s][s]).sum();
        assert!((trace - transfer_trace(&from, &to, &theta)).abs() < 1e-12);
    }

    #[test]
    fn difficulty_is_the_share_of_the_target_the_move_travels() {
        let theta = [1.0; CONCEPT_COUNT];
        let d = derived_chain_transition_difficulty(&[flat(0.5), flat(1.0)], &theta);
        // ‖1 − 0.5‖² / ‖1‖² = 0.25 upwards; ‖0.5 − 1‖² / ‖0.5‖² = 1 downwards.
        assert!((d[0][1] - 0.25).abs() < 1e-12);
        assert!((d[1][0] - 1.0).abs() < 1e-12);
        assert_eq!((d[0][0], d[1][1]), (0.0, 0.0));
    }

    #[test]
    fn an_empty_target_is_0_from_empty_and_1_from_anything_else() {
        let theta = [1.0; CONCEPT_COUNT];
        let d = derived_chain_transition_difficulty(&[flat(0.0), flat(0.0), flat(0.3)], &theta);
        assert_eq!(d[0][1], 0.0);
        assert_eq!(d[2][0], 1.0);
        let none = derived_chain_transition_difficulty(&[flat(0.2), flat(0.7)], &[0.0; 12]);
        assert_eq!(none, vec![vec![0.0, 0.0], vec![0.0, 0.0]]);
    }

    #[test]
    fn agreement_of_a_table_with_itself_is_one_and_reversed_minus_one() {
        let x = vec![
            vec![0.0, 0.1, 0.2],
            vec![0.3, 0.0, 0.4],
            vec![0.5, 0.6, 0.0],
        ];
        let same = transition_agreement(&x, &x);
        assert_eq!(same.pairs, 6);
        assert!((same.kendall_tau_b.unwrap() - 1.0).abs() < 1e-12);
        assert!((same.spearman.unwrap() - 1.0).abs() < 1e-12);
        let reversed: Vec<Vec<f64>> = x
            .iter()
            .map(|r| r.iter().map(|v| 1.0 - v).collect())
            .collect();
        let opposite = transition_agreement(&x, &reversed);
        assert!((opposite.kendall_tau_b.unwrap() + 1.0).abs() < 1e-12);
        assert!((opposite.spearman.unwrap() + 1.0).abs() < 1e-12);
        let constant = vec![vec![0.0, 0.5], vec![0.5, 0.0]];
        let two = vec![vec![0.0, 0.1], vec![0.2, 0.0]];
        let undefined = transition_agreement(&constant, &two);
        assert_eq!(undefined.kendall_tau_b, None);
        assert_eq!(undefined.spearman, None);
    }

    #[test]
    fn average_ranks_share_tied_positions() {
        assert_eq!(
            average_ranks(&[0.3, 0.1, 0.3, 0.5]),
            vec![2.5, 1.0, 2.5, 4.0]
        );
    }
}
