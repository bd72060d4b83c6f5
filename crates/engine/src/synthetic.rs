//! Synthetic catalogs: seeded, deterministic, realistic-looking technology lists of any size.
//!
//! # Why this exists
//!
//! The built-in knowledge base holds a few dozen technologies, too few to show how the exact stack
//! search ([`crate::recommend_stack`]) scales, and too few (and too regular) to test it against
//! the brute-force reference ([`crate::exhaustive_stacks`]) on many different shapes of data.
//! [`synthetic_catalog`] makes catalogs of any size with the structure real catalogs have, so the
//! benchmarks (`crates/engine/benches/`, `BENCHMARKS.md`) and the optimality tests measure and
//! check the search on the kind of input it will meet. The figures are not about any real
//! technology: nothing here is knowledge, it is only data shaped like knowledge.
//!
//! # What a catalog looks like
//!
//! For `n` technologies with ids `t000`, `t001`, ... (`{:03}`, wider when `n > 1000`):
//!
//! - About 15% are **chains** (at least one): every concept has a static row, roles
//!   `orchestrator` (most) or `runtime`. The rest are **addons** with 1 to 4 static rows, mostly
//!   on the concepts their role is about (a mesh on L, M and P; an autoscaler on S; ...).
//! - **Values** lie in [0, 1] on a 0.05 grid (so exact ties happen, as in real files). Each
//!   technology has a quality level (0.35 to 0.95); each scene an offset, with one or two scenes
//!   of the technology markedly weaker (a heavy orchestrator at the edge); each cell some noise.
//!   About a quarter of the technologies give dynamic rows (a little lower than the static ones)
//!   for some concepts, so the dynamic and blend time modes differ from the static one.
//! - **Conflicts**: two technologies that share an exclusive role (`orchestrator`, `mesh`)
//!   conflict with probability 0.35 (recorded on one side, as files often do).
//! - **Hosts**: an addon names 1 to 3 chains as hosts with probability 0.6. **Requires**: an
//!   addon needs an earlier addon it does not conflict with with probability 0.04 (earlier only,
//!   so there is never a cycle).
//! - **Enhancements**: about 10% of the addons lift one concept (a mesh lifts L) by 0.05 to 0.3.
//! - **Footprint**: `memory_mb` between 20 and 2000 (log-uniform; chains heavier) on about 90%.
//! - **Capabilities** from {gpu, wasm, offline, gitops, monitoring}, each with probability 0.06.
//! - Names in English and Chinese; provenance `estimated` with a rationale for every static row
//!   (the validation requires one in real files; here the rationale only says it is synthetic).
//!
//! The same `(n, seed)` always gives the same catalog, on every platform: the generator is a
//! self-contained SplitMix64, and the values are computed with plain arithmetic.

use stackmatrix_model::{
    Concept, Enhancement, Figure, MaturityTensor, Names, Provenance, ProvenanceKind, Row, TechKind,
    Technology, CONCEPT_COUNT, SCENE_COUNT,
};
use std::collections::BTreeMap;

/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, fast, well-mixed 64-bit generator. Enough
/// for data generation; no cryptographic claim.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform value in [0, 1) with 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform value in [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// A uniform integer in `lo..=hi`.
    pub fn int(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// An element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.int(0, items.len() - 1)]
    }

    /// Shuffles a slice in place (Fisher-Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.int(0, i);
            items.swap(i, j);
        }
    }
}

/// Roles a synthetic addon may play, with their Chinese names and the concepts they are about.
const ADDON_ROLES: [(&str, &str, &[Concept]); 9] = [
    (
        "mesh",
        "服务网格",
        &[Concept::LoadBalance, Concept::Monitor, Concept::Policy],
    ),
    ("autoscaler", "自动伸缩", &[Concept::Scale, Concept::Quota]),
    ("policy", "策略", &[Concept::Policy, Concept::Tenant]),
    (
        "observability",
        "可观测性",
        &[Concept::Monitor, Concept::Theta],
    ),
    ("storage", "存储", &[Concept::BackupRestore, Concept::Image]),
    ("tenancy", "多租户", &[Concept::Tenant, Concept::Quota]),
    (
        "delivery",
        "持续交付",
        &[Concept::VersionUpgrade, Concept::Image],
    ),
    (
        "functions",
        "函数计算",
        &[Concept::Scale, Concept::RuntimeTransform, Concept::Theta],
    ),
    (
        "runtime",
        "运行时",
        &[Concept::RuntimeTransform, Concept::Container],
    ),
];

/// Roles of which one environment holds one: technologies sharing them may conflict.
const EXCLUSIVE_ROLES: [&str; 2] = ["orchestrator", "mesh"];

/// Capabilities a synthetic technology may bring.
pub const SYNTHETIC_CAPABILITIES: [&str; 5] = ["gpu", "wasm", "offline", "gitops", "monitoring"];

/// Rounds to the 0.05 grid and clamps to [0, 1].
fn grid(x: f64) -> f64 {
    ((x * 20.0).round() / 20.0).clamp(0.0, 1.0)
}

/// A row around `quality`, with the technology's scene profile and cell noise.
fn row(rng: &mut SplitMix64, quality: f64, profile: &[f64; SCENE_COUNT]) -> Row {
    std::array::from_fn(|j| grid(quality + profile[j] + rng.range(-0.1, 0.1)))
}

/// A seeded catalog of `n` synthetic technologies, for benchmarks and tests of the stack search.
///
/// Deterministic: the same `n` and `seed` give the same catalog. See the module documentation for
/// its shape. The technologies are returned in id order (`t000`, `t001`, ...).
pub fn synthetic_catalog(n: usize, seed: u64) -> Vec<Technology> {
    let mut rng = SplitMix64::new(seed ^ 0x5EED_CA7A_1060_0000 ^ (n as u64).rotate_left(32));
    let width = n.saturating_sub(1).to_string().len().max(3);
    let ids: Vec<String> = (0..n).map(|i| format!("t{i:0width$}")).collect();

    // Which positions are chains: about 15%, at least one.
    let chains = if n == 0 {
        0
    } else {
        ((n as f64 * 0.15).round() as usize).clamp(1, n)
    };
    let mut kinds: Vec<TechKind> = (0..n)
        .map(|i| {
            if i < chains {
                TechKind::Chain
            } else {
                TechKind::Addon
            }
        })
        .collect();
    rng.shuffle(&mut kinds);
    let chain_ids: Vec<&String> = ids
        .iter()
        .zip(&kinds)
        .filter(|(_, k)| **k == TechKind::Chain)
        .map(|(id, _)| id)
        .collect();

    let mut techs: Vec<Technology> = Vec::with_capacity(n);
    for (i, id) in ids.iter().enumerate() {
        let kind = kinds[i];
        let (role, role_zh, focus): (&str, &str, &[Concept]) = match kind {
            TechKind::Chain if rng.chance(0.8) => ("orchestrator", "编排", &[]),
            TechKind::Chain => ("runtime", "运行时链", &[]),
            TechKind::Addon => *rng.pick(&ADDON_ROLES),
        };

        // Quality and scene profile: one or two scenes markedly weaker.
        let quality = rng.range(0.35, 0.95);
        let mut profile = [0.0; SCENE_COUNT];
        for p in profile.iter_mut() {
            *p = rng.range(-0.08, 0.08);
        }
        for _ in 0..rng.int(1, 2) {
            let j = rng.int(0, SCENE_COUNT - 1);
            profile[j] -= rng.range(0.15, 0.45);
        }

        // Concepts with a row.
        let concepts: Vec<Concept> = match kind {
            TechKind::Chain => Concept::ALL.to_vec(),
            TechKind::Addon => {
                let count = rng.int(1, 4);
                let mut chosen: Vec<Concept> = Vec::new();
                while chosen.len() < count {
                    let c = if rng.chance(0.7) {
                        *rng.pick(focus)
                    } else {
                        *rng.pick(&Concept::ALL)
                    };
                    if !chosen.contains(&c) {
                        chosen.push(c);
                    }
                }
                chosen.sort();
                chosen
            }
        };
        let mut static_rows: [Option<Row>; CONCEPT_COUNT] = [None; CONCEPT_COUNT];
        let mut dynamic_rows: [Option<Row>; CONCEPT_COUNT] = [None; CONCEPT_COUNT];
        let gives_dynamic = rng.chance(0.25);
        let mut rationale = BTreeMap::new();
        for c in &concepts {
            // Chains are uneven across concepts too: some concepts a little weaker.
            let concept_shift = rng.range(-0.12, 0.06);
            let r = row(&mut rng, quality + concept_shift, &profile);
            static_rows[c.index()] = Some(r);
            if gives_dynamic && rng.chance(0.5) {
                let drop = rng.range(0.0, 0.2);
                dynamic_rows[c.index()] = Some(r.map(|v| grid(v - drop)));
            }
            rationale.insert(
                *c,
                format!(
                    "synthetic: quality {quality:.2} with scene profile and noise (seed {seed})"
                ),
            );
        }

        let mut footprint = BTreeMap::new();
        if rng.chance(0.9) {
            // Log-uniform in [20, 2000]; chains sit in the upper part.
            let (lo, hi): (f64, f64) = match kind {
                TechKind::Chain => (200.0, 2000.0),
                TechKind::Addon => (20.0, 1000.0),
            };
            let mb = (lo.ln() + rng.unit() * (hi.ln() - lo.ln())).exp().round();
            footprint.insert(
                "memory_mb".to_string(),
                Figure {
                    value: mb,
                    source: "synthetic".to_string(),
                    note: None,
                },
            );
        }

        let capabilities: Vec<String> = SYNTHETIC_CAPABILITIES
            .iter()
            .filter(|_| rng.chance(0.06))
            .map(|c| c.to_string())
            .collect();

        let hosts: Vec<String> = if kind == TechKind::Addon && rng.chance(0.6) {
            let mut pool = chain_ids.clone();
            rng.shuffle(&mut pool);
            let k = rng.int(1, 3).min(pool.len());
            let mut h: Vec<String> = pool[..k].iter().map(|s| s.to_string()).collect();
            h.sort();
            h
        } else {
            Vec::new()
        };

        let mut enhancements = Vec::new();
        if kind == TechKind::Addon && rng.chance(0.1) {
            let concept = if role == "mesh" {
                Concept::LoadBalance
            } else {
                *rng.pick(&Concept::ALL)
            };
            enhancements.push(Enhancement {
                concept,
                delta: grid(rng.range(0.05, 0.3)).max(0.05),
                range: None,
                source: "synthetic".to_string(),
            });
        }

        techs.push(Technology {
            id: id.clone(),
            name: Names {
                en: format!("Synthetic {role} {i}"),
                zh: format!("合成{role_zh} {i}"),
            },
            kind,
            roles: vec![role.to_string()],
            version: rng
                .chance(0.5)
                .then(|| format!("{}.{}", rng.int(0, 3), rng.int(0, 30))),
            capabilities,
            requires: Vec::new(),
            conflicts: Vec::new(),
            hosts,
            enhancements,
            footprint,
            maturity: MaturityTensor {
                static_rows,
                dynamic_rows,
            },
            provenance: Provenance {
                kind: ProvenanceKind::Estimated,
                source: format!("synthetic_catalog({n}, {seed})"),
                rationale: Some("generated data for benchmarks and tests, not knowledge".into()),
            },
            row_provenance: BTreeMap::new(),
            rationale,
        });
    }

    // Conflicts among technologies sharing an exclusive role.
    for i in 0..n {
        for j in i + 1..n {
            let shared = techs[i]
                .roles
                .iter()
                .any(|r| EXCLUSIVE_ROLES.contains(&r.as_str()) && techs[j].roles.contains(r));
            if shared && rng.chance(0.35) {
                let other = techs[j].id.clone();
                techs[i].conflicts.push(other);
            }
        }
    }

    // Rare requirements: an addon needs an earlier addon it does not conflict with.
    for i in 0..n {
        if techs[i].kind != TechKind::Addon || !rng.chance(0.04) {
            continue;
        }
        let earlier: Vec<usize> = (0..i)
            .filter(|&j| techs[j].kind == TechKind::Addon && !techs[i].conflicts_with(&techs[j]))
            .collect();
        if !earlier.is_empty() {
            let j = *rng.pick(&earlier);
            let required = techs[j].id.clone();
            techs[i].requires.push(required);
        }
    }
    techs
}

#[cfg(test)]
mod tests {
    use super::*;
    use stackmatrix_model::TimeSlice;

    #[test]
    fn is_deterministic_and_seed_dependent() {
        assert_eq!(synthetic_catalog(60, 7), synthetic_catalog(60, 7));
        assert_ne!(synthetic_catalog(60, 7), synthetic_catalog(60, 8));
        assert!(synthetic_catalog(0, 1).is_empty());
        let one = synthetic_catalog(1, 1);
        assert_eq!(one[0].kind, TechKind::Chain);
    }

    #[test]
    fn has_the_documented_shape() {
        let n = 400;
        let techs = synthetic_catalog(n, 42);
        assert_eq!(techs.len(), n);
        assert_eq!(techs[0].id, "t000");
        assert_eq!(techs[399].id, "t399");
        let chains = techs.iter().filter(|t| t.kind == TechKind::Chain).count();
        assert_eq!(chains, 60);
        let ids: Vec<&str> = techs.iter().map(|t| t.id.as_str()).collect();
        let mut with_memory = 0;
        let mut with_hosts = 0;
        let mut with_enh = 0;
        let mut conflicts = 0;
        for (i, t) in techs.iter().enumerate() {
            let rows = Concept::ALL
                .iter()
                .filter(|c| t.maturity.row(TimeSlice::Static, **c).is_some())
                .count();
            match t.kind {
                TechKind::Chain => assert_eq!(rows, CONCEPT_COUNT),
                TechKind::Addon => assert!((1..=4).contains(&rows), "{} has {rows}", t.id),
            }
            for slice in [TimeSlice::Static, TimeSlice::Dynamic] {
                for c in Concept::ALL {
                    if let Some(r) = t.maturity.row(slice, c) {
                        assert!(r.iter().all(|v| (0.0..=1.0).contains(v)));
                    }
                }
            }
            assert_eq!(t.rationale.len(), rows);
            if let Some(m) = t.memory_mb() {
                assert!((20.0..=2000.0).contains(&m));
                with_memory += 1;
            }
            if !t.hosts.is_empty() {
                assert_eq!(t.kind, TechKind::Addon);
                assert!(t.hosts.len() <= 3);
                for h in &t.hosts {
                    let host = techs.iter().find(|x| &x.id == h).unwrap();
                    assert_eq!(host.kind, TechKind::Chain);
                }
                with_hosts += 1;
            }
            for r in &t.requires {
                let j = ids.iter().position(|x| x == r).unwrap();
                assert!(j < i, "requires only earlier technologies");
            }
            for e in &t.enhancements {
                assert!((0.05..=0.3).contains(&e.delta));
                with_enh += 1;
            }
            for c in &t.conflicts {
                let other = techs.iter().find(|x| &x.id == c).unwrap();
                assert!(t.roles.iter().any(|r| other.roles.contains(r)));
                conflicts += 1;
            }
            for c in &t.capabilities {
                assert!(SYNTHETIC_CAPABILITIES.contains(&c.as_str()));
            }
        }
        assert!((320..=390).contains(&with_memory), "{with_memory}");
        assert!((150..=260).contains(&with_hosts), "{with_hosts}");
        assert!((15..=60).contains(&with_enh), "{with_enh}");
        assert!(conflicts > 0);
    }
}
