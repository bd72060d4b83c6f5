//! The score distribution of a fleet: exact quantiles and a histogram computed from how many
//! rows got each score (a fleet has few distinct scores, so the counts are the whole data).

use serde::{Deserialize, Serialize};

/// The quantiles reported.
pub const QUANTILES: [f64; 7] = [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99];

/// Histogram bins over the 0 to 10 score scale (each 0.5 wide).
pub const HISTOGRAM_BINS: usize = 20;

/// One quantile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScoreQuantile {
    /// The probability, in (0, 1).
    pub q: f64,
    /// The score.
    pub score: f64,
}

/// One histogram bin `[from, to)` (the last one includes 10).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScoreHistogramBin {
    /// Lower edge.
    pub from: f64,
    /// Upper edge.
    pub to: f64,
    /// Rows whose score falls in the bin.
    pub rows: u64,
}

/// How the scores of a fleet are spread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScoreDistribution {
    /// Rows counted.
    pub rows: u64,
    /// Lowest score.
    pub min: f64,
    /// Highest score.
    pub max: f64,
    /// Mean score: `Σ s · n_s / Σ n_s`.
    pub mean: f64,
    /// Quantiles at [`QUANTILES`], nearest rank: the `q`-quantile is the smallest score `s` such
    /// that at least `⌈q · N⌉` rows score `s` or less (numpy's `method="inverted_cdf"`).
    pub quantiles: Vec<ScoreQuantile>,
    /// [`HISTOGRAM_BINS`] bins of width 0.5 over [0, 10]; bin `i` holds `i/2 <= s < (i+1)/2`,
    /// the last one also `s = 10` (numpy's `histogram(bins=20, range=(0, 10))`).
    pub histogram: Vec<ScoreHistogramBin>,
}

impl ScoreDistribution {
    /// The distribution of scores given as `(score, rows)` pairs, in any order; `None` when no
    /// row is counted. Scores must be finite.
    pub fn from_counts(counts: &[(f64, u64)]) -> Option<ScoreDistribution> {
        let mut sorted: Vec<(f64, u64)> = counts.iter().copied().filter(|c| c.1 > 0).collect();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
        let rows: u64 = sorted.iter().map(|c| c.1).sum();
        if rows == 0 {
            return None;
        }
        let total: f64 = sorted.iter().map(|(s, n)| s * *n as f64).sum();
        let quantiles = QUANTILES
            .iter()
            .map(|&q| {
                let rank = ((q * rows as f64).ceil() as u64).max(1);
                let mut seen = 0;
                let score = sorted
                    .iter()
                    .find(|(_, n)| {
                        seen += n;
                        seen >= rank
                    })
                    .map_or(sorted[sorted.len() - 1].0, |c| c.0);
                ScoreQuantile { q, score }
            })
            .collect();
        let width = 10.0 / HISTOGRAM_BINS as f64;
        let mut histogram: Vec<ScoreHistogramBin> = (0..HISTOGRAM_BINS)
            .map(|i| ScoreHistogramBin {
                from: i as f64 * width,
                to: (i + 1) as f64 * width,
                rows: 0,
            })
            .collect();
        for (s, n) in &sorted {
            if (0.0..=10.0).contains(s) {
                let i = ((s / width).floor() as usize).min(HISTOGRAM_BINS - 1);
                histogram[i].rows += n;
            }
        }
        Some(ScoreDistribution {
            rows,
            min: sorted[0].0,
            max: sorted[sorted.len() - 1].0,
            mean: total / rows as f64,
            quantiles,
            histogram,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_nearest_rank() {
        let d = ScoreDistribution::from_counts(&[(5.0, 1), (1.0, 1), (3.0, 2), (9.0, 0)]).unwrap();
        assert_eq!(d.rows, 4);
        assert_eq!((d.min, d.max, d.mean), (1.0, 5.0, 3.0));
        let q = |p: f64| d.quantiles.iter().find(|x| x.q == p).unwrap().score;
        assert_eq!(q(0.25), 1.0);
        assert_eq!(q(0.5), 3.0);
        assert_eq!(q(0.75), 3.0);
        assert_eq!(q(0.99), 5.0);
        assert_eq!(d.histogram[2].rows, 1);
        assert_eq!(d.histogram.iter().map(|b| b.rows).sum::<u64>(), 4);
        assert!(ScoreDistribution::from_counts(&[]).is_none());
        let top = ScoreDistribution::from_counts(&[(10.0, 3)]).unwrap();
        assert_eq!(top.histogram[HISTOGRAM_BINS - 1].rows, 3);
    }
}
