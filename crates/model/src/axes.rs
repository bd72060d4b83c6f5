//! The fixed axes of the model: 12 concepts and 6 scenes, in the reference order.
//!
//! The order is part of the model, not of the data: every matrix row in a knowledge-base file is
//! read in this order, and every vector the engine returns is indexed by it. Names (English and
//! Chinese) are data and live in `axes.toml`.

use std::fmt;

/// Number of concepts (rows of a maturity matrix).
pub const CONCEPT_COUNT: usize = 12;
/// Number of scenes (columns of a maturity matrix).
pub const SCENE_COUNT: usize = 6;

/// One of the 12 concepts of the matrix model (rows of a maturity matrix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Concept {
    /// I: image.
    Image,
    /// C: container.
    Container,
    /// Q: quota.
    Quota,
    /// R: runtime transform (runc, crun, wasm).
    RuntimeTransform,
    /// M: monitor.
    Monitor,
    /// V: version upgrade.
    VersionUpgrade,
    /// L: load balance.
    LoadBalance,
    /// S: scale.
    Scale,
    /// B: backup and restore.
    BackupRestore,
    /// P: policy.
    Policy,
    /// T: tenant isolation.
    Tenant,
    /// Θ: the learnable AI parameter.
    Theta,
}

/// One of the 6 scenes of the matrix model (columns of a maturity matrix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scene {
    /// Local development.
    Dev,
    /// CI and testing.
    Ci,
    /// Online production.
    Prod,
    /// Edge and IoT.
    Edge,
    /// Serverless and AI.
    Serverless,
    /// Multi-tenant platform.
    Multitenant,
}

impl Concept {
    /// All concepts in the fixed order.
    pub const ALL: [Concept; CONCEPT_COUNT] = [
        Concept::Image,
        Concept::Container,
        Concept::Quota,
        Concept::RuntimeTransform,
        Concept::Monitor,
        Concept::VersionUpgrade,
        Concept::LoadBalance,
        Concept::Scale,
        Concept::BackupRestore,
        Concept::Policy,
        Concept::Tenant,
        Concept::Theta,
    ];

    /// The keys used in files and JSON, in the fixed order (Θ is `Theta`).
    pub const KEYS: [&'static str; CONCEPT_COUNT] = [
        "I", "C", "Q", "R", "M", "V", "L", "S", "B", "P", "T", "Theta",
    ];

    /// Position of the concept in the fixed order.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The file and JSON key of the concept.
    pub fn key(self) -> &'static str {
        Self::KEYS[self.index()]
    }

    /// The symbol used in formulas and tables (Θ for `Theta`).
    pub fn symbol(self) -> &'static str {
        match self {
            Concept::Theta => "Θ",
            other => other.key(),
        }
    }

    /// Looks a concept up by key; `Θ` is accepted as a synonym of `Theta`.
    pub fn from_key(key: &str) -> Option<Concept> {
        if key == "Θ" {
            return Some(Concept::Theta);
        }
        Self::KEYS
            .iter()
            .position(|k| *k == key)
            .map(|i| Self::ALL[i])
    }
}

impl Scene {
    /// All scenes in the fixed order.
    pub const ALL: [Scene; SCENE_COUNT] = [
        Scene::Dev,
        Scene::Ci,
        Scene::Prod,
        Scene::Edge,
        Scene::Serverless,
        Scene::Multitenant,
    ];

    /// The keys used in files and JSON, in the fixed order.
    pub const KEYS: [&'static str; SCENE_COUNT] =
        ["dev", "ci", "prod", "edge", "serverless", "multitenant"];

    /// Position of the scene in the fixed order.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The file and JSON key of the scene.
    pub fn key(self) -> &'static str {
        Self::KEYS[self.index()]
    }

    /// Looks a scene up by key.
    pub fn from_key(key: &str) -> Option<Scene> {
        Self::KEYS
            .iter()
            .position(|k| *k == key)
            .map(|i| Self::ALL[i])
    }
}

impl fmt::Display for Concept {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl fmt::Display for Scene {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_in_the_reference_order() {
        for (i, c) in Concept::ALL.iter().enumerate() {
            assert_eq!(c.index(), i);
            assert_eq!(Concept::from_key(c.key()), Some(*c));
        }
        for (i, s) in Scene::ALL.iter().enumerate() {
            assert_eq!(s.index(), i);
            assert_eq!(Scene::from_key(s.key()), Some(*s));
        }
        assert_eq!(Concept::from_key("Θ"), Some(Concept::Theta));
        assert_eq!(Concept::from_key("theta"), None);
        assert_eq!(Scene::from_key("Edge"), None);
    }
}
