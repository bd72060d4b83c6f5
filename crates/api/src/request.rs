//! What a caller asks: the same requests from a JSON body and from command-line flags.
//!
//! Every request deserialises from JSON (missing fields take the command line's defaults) and
//! serialises back. A scene vector and concept weights are given either as an array in axis
//! order or as an object keyed by axis key:
//!
//! ```
//! use stackmatrix_api::request::{RankRequest, SceneVector};
//! let a: RankRequest = serde_json::from_str(r#"{"vector": [0, 0, 0, 1, 0, 0]}"#).unwrap();
//! let b: RankRequest = serde_json::from_str(r#"{"vector": {"edge": 1}}"#).unwrap();
//! let c = SceneVector::parse_list("edge=1").unwrap(); // the command line's text form
//! let resolved = |r: &RankRequest| r.scenario.vector.as_ref().unwrap().resolve().unwrap();
//! assert_eq!(resolved(&a), resolved(&b));
//! assert_eq!(resolved(&a), c.resolve().unwrap());
//! ```

use crate::error::{ApiError, ApiResult};
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use stackmatrix_model::{Concept, Scene, TimeMode, CONCEPT_COUNT, SCENE_COUNT};
use std::fmt;

/// What to score: a scenario of the knowledge base or a scene vector, with optional concept
/// weights and time slice.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScenarioRequest {
    /// A scenario id (see `list scenarios`). Give this or `vector`, not both.
    #[serde(default)]
    pub scenario: Option<String>,
    /// A scene vector; normalised to sum 1. Give this or `scenario`, not both.
    #[serde(default)]
    pub vector: Option<SceneVector>,
    /// Concept weights [default: the scenario's, else 1 for every concept].
    #[serde(default)]
    pub weights: Option<ConceptWeights>,
    /// `static`, `dynamic` or `blend` [default: the scenario's, else `static`].
    #[serde(default)]
    pub time: Option<String>,
}

impl ScenarioRequest {
    /// A request for a scenario of the knowledge base.
    pub fn scenario(id: impl Into<String>) -> ScenarioRequest {
        ScenarioRequest {
            scenario: Some(id.into()),
            ..ScenarioRequest::default()
        }
    }
}

/// `rank`: the chains ranked in a scenario, or the named stacks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RankRequest {
    /// What to score.
    #[serde(flatten)]
    pub scenario: ScenarioRequest,
    /// Also explain the top-ranked technology (not with `stacks`).
    #[serde(default)]
    pub explain: bool,
    /// Rank these stacks instead of single chains: each a list of technology ids. A stack's id
    /// is its members joined by `+` as given; ids are looked up without surrounding whitespace.
    #[serde(default)]
    pub stacks: Option<Vec<Vec<String>>>,
}

/// `explain`: one technology's score, concept by concept, against the best alternative.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ExplainRequest {
    /// What to score.
    #[serde(flatten)]
    pub scenario: ScenarioRequest,
    /// The chain to explain [default: the top-ranked one].
    #[serde(default)]
    pub tech: Option<String>,
}

/// `recommend`: the best stack under constraints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RecommendRequest {
    /// What to score.
    #[serde(flatten)]
    pub scenario: ScenarioRequest,
    /// Most members a stack may have (per environment for a scenario that spans environments)
    /// [default: 4].
    #[serde(default = "default_max_size")]
    pub max_size: usize,
    /// Memory per node the stack may use, in MB [default: the scenario's budget, else none].
    #[serde(default)]
    pub budget_mb: Option<f64>,
    /// Capabilities the stack must bring, besides the scenario's own.
    #[serde(default)]
    pub require: Vec<String>,
    /// Technologies the stack must contain.
    #[serde(default)]
    pub include: Vec<String>,
    /// Technologies the stack may not contain.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// How many stacks to answer: the best and the next best (at least 1) [default: 5].
    #[serde(default = "default_alternatives")]
    pub alternatives: usize,
    /// Answer each weighted scene as its own environment (automatic for scenarios that span
    /// environments, such as hybrid).
    #[serde(default)]
    pub per_environment: bool,
    /// Most members of the shared layers of a scenario that spans environments [default: 3].
    #[serde(default = "default_max_shared")]
    pub max_shared: usize,
    /// Answer the cheapest stack (memory per node) whose score reaches `min_score`, instead of
    /// the best-scoring one (`docs/cost.md`).
    #[serde(default)]
    pub min_cost: bool,
    /// With `min_cost`: the score, 0 to 10, the stack must reach.
    #[serde(default)]
    pub min_score: Option<f64>,
    /// With `min_cost`: admit members of unknown memory (counted 0 MB, every stack with one ranked
    /// after every fully priced stack) instead of leaving them out.
    #[serde(default)]
    pub allow_unknown_memory: bool,
}

/// `recommend`'s default `max_size`.
pub const DEFAULT_MAX_SIZE: usize = 4;
/// `recommend`'s default `alternatives`.
pub const DEFAULT_ALTERNATIVES: usize = 5;
/// `recommend`'s default `max_shared`.
pub const DEFAULT_MAX_SHARED: usize = 3;

fn default_max_size() -> usize {
    DEFAULT_MAX_SIZE
}

fn default_alternatives() -> usize {
    DEFAULT_ALTERNATIVES
}

fn default_max_shared() -> usize {
    DEFAULT_MAX_SHARED
}

impl Default for RecommendRequest {
    fn default() -> Self {
        RecommendRequest {
            scenario: ScenarioRequest::default(),
            max_size: DEFAULT_MAX_SIZE,
            budget_mb: None,
            require: Vec::new(),
            include: Vec::new(),
            exclude: Vec::new(),
            alternatives: DEFAULT_ALTERNATIVES,
            per_environment: false,
            max_shared: DEFAULT_MAX_SHARED,
            min_cost: false,
            min_score: None,
            allow_unknown_memory: false,
        }
    }
}

/// `show`: a technology's maturity matrix.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ShowRequest {
    /// The technology id.
    pub tech: String,
    /// `static`, `dynamic` or `blend` [default: `static`].
    #[serde(default)]
    pub time: Option<String>,
}

/// The time mode a request names: `static`, `dynamic` or `blend`.
pub(crate) fn time_mode(time: &str) -> ApiResult<TimeMode> {
    TimeMode::from_key(time).ok_or_else(|| {
        ApiError::bad_input(
            "time",
            format!("unknown time slice '{time}'; expected static, dynamic or blend"),
        )
    })
}

/// Values by axis key, in the order given. Serialised as a JSON object; a key given twice is
/// kept twice, so that it can be refused by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeyedValues(pub Vec<(String, f64)>);

impl Serialize for KeyedValues {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for KeyedValues {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = KeyedValues;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of numbers keyed by axis key")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeyedValues, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, f64>()? {
                    out.push((k, v));
                }
                Ok(KeyedValues(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// A scene vector as given: 6 numbers in scene order (dev, ci, prod, edge, serverless,
/// multitenant), or numbers keyed by scene key where scenes not named weigh 0.
#[derive(Debug, Clone, PartialEq)]
pub enum SceneVector {
    /// Numbers in scene order.
    Values(Vec<f64>),
    /// Numbers by scene key.
    Keyed(KeyedValues),
}

/// Concept weights as given: 12 numbers in concept order (I, C, Q, R, M, V, L, S, B, P, T,
/// Theta), or numbers keyed by concept key (`Θ` for `Theta` too) where concepts not named
/// weigh 1.
#[derive(Debug, Clone, PartialEq)]
pub enum ConceptWeights {
    /// Numbers in concept order.
    Values(Vec<f64>),
    /// Numbers by concept key.
    Keyed(KeyedValues),
}

/// One axis: its request field, keys, the value of a key not named, and what a key names.
struct Axis<const N: usize> {
    field: &'static str,
    keys: &'static [&'static str; N],
    default: f64,
    what: &'static str,
}

const SCENES: Axis<SCENE_COUNT> = Axis {
    field: "vector",
    keys: &Scene::KEYS,
    default: 0.0,
    what: "scene",
};

const CONCEPTS: Axis<CONCEPT_COUNT> = Axis {
    field: "weights",
    keys: &Concept::KEYS,
    default: 1.0,
    what: "concept",
};

/// A concept vector to act on (`ops apply --to`): concepts not named are 1, the neutral value
/// of the operations' products.
const MATURITY: Axis<CONCEPT_COUNT> = Axis {
    field: "to",
    keys: &Concept::KEYS,
    default: 1.0,
    what: "concept",
};

/// A value as given: a number, or the text of one (the command line's form).
#[derive(Clone, Copy)]
enum Given<'a> {
    Number(f64),
    Text(&'a str),
}

/// One item of a keyed list: `KEY=VALUE`, or text that is not a pair.
enum KeyedItem<'a> {
    Pair(&'a str, Given<'a>),
    NotAPair(&'a str),
}

/// A checked list: the values in axis order and, for the keyed form, the pairs as given.
struct Checked<const N: usize> {
    values: [f64; N],
    pairs: Option<Vec<(String, f64)>>,
}

impl<const N: usize> Axis<N> {
    fn bad(&self, message: String) -> ApiError {
        ApiError::bad_input(self.field, message)
    }

    fn number(&self, given: Given, place: String) -> ApiResult<f64> {
        // `f64::from_str` accepts NaN and inf; they are no more a usable value than "x".
        let (text, parsed) = match given {
            Given::Number(x) => (format!("{x}"), Some(x)),
            Given::Text(t) => (t.to_string(), t.parse::<f64>().ok()),
        };
        match parsed {
            Some(x) if x.is_finite() => Ok(x),
            Some(_) => Err(self.bad(format!(
                "'{text}' ({place}) is not a finite number; expected a decimal number such as 0.5"
            ))),
            None => Err(self.bad(format!(
                "'{text}' ({place}) is not a number; expected a decimal number such as 0.5"
            ))),
        }
    }

    /// `N` values in axis order. Says exactly what was wrong: the count or the item that is not
    /// a finite number.
    fn positional(&self, items: &[Given]) -> ApiResult<Checked<N>> {
        if items.len() != N {
            return Err(self.bad(format!(
                "expected {N} numbers ({}) or {} KEY=VALUE pairs, got {} value{}",
                self.keys.join(","),
                self.what,
                items.len(),
                if items.len() == 1 { "" } else { "s" }
            )));
        }
        let mut values = [0.0; N];
        for (i, item) in items.iter().enumerate() {
            values[i] = self.number(*item, format!("item {}, {}", i + 1, self.keys[i]))?;
        }
        Ok(Checked {
            values,
            pairs: None,
        })
    }

    /// Values by key; keys not named take the axis default. Says exactly what was wrong: the
    /// item that is not a pair, the unknown or repeated key, the value that is not a number.
    fn keyed(&self, items: &[KeyedItem]) -> ApiResult<Checked<N>> {
        let mut values = [self.default; N];
        let mut seen = [false; N];
        let mut pairs = Vec::with_capacity(items.len());
        for item in items {
            let (k, v) = match item {
                KeyedItem::Pair(k, v) => (k.trim(), *v),
                KeyedItem::NotAPair(text) => {
                    return Err(self.bad(format!(
                        "'{text}' is not KEY=VALUE; do not mix plain numbers with KEY=VALUE pairs"
                    )))
                }
            };
            let index = self.keys.iter().position(|key| *key == k).or_else(|| {
                (self.what == "concept")
                    .then(|| Concept::from_key(k).map(Concept::index))
                    .flatten()
            });
            let Some(i) = index else {
                return Err(self.bad(format!(
                    "unknown {} '{k}'; expected one of {}",
                    self.what,
                    self.keys.join(", ")
                )));
            };
            if seen[i] {
                return Err(self.bad(format!(
                    "{what} '{k}' is given twice; give each {what} at most once",
                    what = self.what
                )));
            }
            seen[i] = true;
            values[i] = self.number(v, format!("value of {k}"))?;
            pairs.push((k.to_string(), values[i]));
        }
        Ok(Checked {
            values,
            pairs: Some(pairs),
        })
    }

    /// Reads the command line's text form: `N` comma-separated numbers in axis order, or
    /// comma-separated `KEY=VALUE` pairs.
    fn text(&self, text: &str) -> ApiResult<Checked<N>> {
        let items: Vec<&str> = text.split(',').map(str::trim).collect();
        if items.iter().any(|i| i.contains('=')) {
            let items: Vec<KeyedItem> = items
                .iter()
                .map(|item| match item.split_once('=') {
                    Some((k, v)) => KeyedItem::Pair(k, Given::Text(v.trim())),
                    None => KeyedItem::NotAPair(item),
                })
                .collect();
            return self.keyed(&items);
        }
        let items: Vec<Given> = items.into_iter().map(Given::Text).collect();
        self.positional(&items)
    }

    fn values(&self, values: &[f64]) -> ApiResult<[f64; N]> {
        let items: Vec<Given> = values.iter().map(|x| Given::Number(*x)).collect();
        Ok(self.positional(&items)?.values)
    }

    fn pairs(&self, pairs: &KeyedValues) -> ApiResult<[f64; N]> {
        let items: Vec<KeyedItem> = pairs
            .0
            .iter()
            .map(|(k, v)| KeyedItem::Pair(k, Given::Number(*v)))
            .collect();
        Ok(self.keyed(&items)?.values)
    }
}

impl<const N: usize> Checked<N> {
    /// The list in the form it was given.
    fn into_form<T>(self, values: fn(Vec<f64>) -> T, keyed: fn(KeyedValues) -> T) -> T {
        match self.pairs {
            Some(p) => keyed(KeyedValues(p)),
            None => values(self.values.to_vec()),
        }
    }
}

impl SceneVector {
    /// The vector in scene order, checked: 6 finite numbers, or known scene keys each given
    /// once with finite values. Errors name the field `vector`. (Negative values and a vector
    /// of zeros are refused when the scenario is prepared.)
    pub fn resolve(&self) -> ApiResult<[f64; SCENE_COUNT]> {
        match self {
            SceneVector::Values(v) => SCENES.values(v),
            SceneVector::Keyed(k) => SCENES.pairs(k),
        }
    }

    /// Reads the command line's text form: `0,0,0,1,0,0` or `edge=1,prod=0.5`. Checks it as
    /// [`SceneVector::resolve`] does, and also says which item is not a number at all.
    pub fn parse_list(text: &str) -> ApiResult<SceneVector> {
        Ok(SCENES
            .text(text)?
            .into_form(SceneVector::Values, SceneVector::Keyed))
    }
}

impl ConceptWeights {
    /// The weights in concept order, checked: 12 finite numbers, or known concept keys each
    /// given once with finite values. Errors name the field `weights`. (Negative weights and
    /// weights of zero are refused when the scenario is prepared.)
    pub fn resolve(&self) -> ApiResult<[f64; CONCEPT_COUNT]> {
        match self {
            ConceptWeights::Values(v) => CONCEPTS.values(v),
            ConceptWeights::Keyed(k) => CONCEPTS.pairs(k),
        }
    }

    /// Reads the command line's text form: 12 comma-separated numbers or `R=2,Theta=0`. Checks
    /// it as [`ConceptWeights::resolve`] does, and also says which item is not a number at all.
    pub fn parse_list(text: &str) -> ApiResult<ConceptWeights> {
        Ok(CONCEPTS
            .text(text)?
            .into_form(ConceptWeights::Values, ConceptWeights::Keyed))
    }
}

/// A vector over the concepts as given (`ops apply --to`): 12 numbers in concept order (I, C, Q,
/// R, M, V, L, S, B, P, T, Theta), or numbers keyed by concept key (`Θ` for `Theta` too) where
/// concepts not named are 1. Errors name the field `to`; the range [0, 1] is checked by `ops`.
#[derive(Debug, Clone, PartialEq)]
pub enum MaturityVector {
    /// Numbers in concept order.
    Values(Vec<f64>),
    /// Numbers by concept key.
    Keyed(KeyedValues),
}

impl MaturityVector {
    /// The vector in concept order, checked: 12 finite numbers, or known concept keys each given
    /// once with finite values.
    pub fn resolve(&self) -> ApiResult<[f64; CONCEPT_COUNT]> {
        match self {
            MaturityVector::Values(v) => MATURITY.values(v),
            MaturityVector::Keyed(k) => MATURITY.pairs(k),
        }
    }

    /// Reads the command line's text form: 12 comma-separated numbers or `I=0.9,C=0.8`.
    pub fn parse_list(text: &str) -> ApiResult<MaturityVector> {
        Ok(MATURITY
            .text(text)?
            .into_form(MaturityVector::Values, MaturityVector::Keyed))
    }
}

/// Serialises an array or an object, as given.
macro_rules! array_or_object {
    ($t:ident, $expecting:literal) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    $t::Values(v) => v.serialize(s),
                    $t::Keyed(k) => k.serialize(s),
                }
            }
        }

        /// Accepts an array or an object (as `#[serde(untagged)]` would), and says which when
        /// the value is neither.
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $t;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<$t, A::Error> {
                        let mut v = Vec::new();
                        while let Some(x) = seq.next_element::<f64>()? {
                            v.push(x);
                        }
                        Ok($t::Values(v))
                    }
                    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<$t, A::Error> {
                        KeyedValues::deserialize(de::value::MapAccessDeserializer::new(map))
                            .map($t::Keyed)
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}

array_or_object!(
    SceneVector,
    "an array of 6 numbers in scene order (dev, ci, prod, edge, serverless, multitenant) or an object of numbers keyed by scene"
);
array_or_object!(
    ConceptWeights,
    "an array of 12 numbers in concept order (I, C, Q, R, M, V, L, S, B, P, T, Theta) or an object of numbers keyed by concept"
);
array_or_object!(
    MaturityVector,
    "an array of 12 numbers in concept order (I, C, Q, R, M, V, L, S, B, P, T, Theta) or an object of numbers keyed by concept"
);

/// `decide`'s default method when none is given.
pub const DEFAULT_DECIDE_METHOD: &str = "topsis";
/// `robustness`'s default number of samples (both passes).
pub const DEFAULT_SMAA_SAMPLES: u64 = 100_000;
/// `robustness`'s default seed.
pub const DEFAULT_SMAA_SEED: u64 = 1;
/// `robustness`'s largest number of samples.
pub const MAX_SMAA_SAMPLES: u64 = 100_000_000;
/// `robustness`'s default concentration of `weights_model` `around`.
pub const DEFAULT_CONCENTRATION: f64 = 30.0;

/// `decide`: a decision matrix of your own, ranked by a multi-criteria method.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DecideRequest {
    /// Alternative names, one per row of `matrix`.
    pub alternatives: Vec<String>,
    /// Criterion names, one per column of `matrix`.
    pub criteria: Vec<String>,
    /// The values, one row per alternative with one value per criterion.
    pub matrix: Vec<Vec<f64>>,
    /// One type per criterion: `+` or `benefit` (more is better), `-` or `cost` (less is better)
    /// [default: every criterion a benefit].
    #[serde(default)]
    pub types: Option<Vec<String>>,
    /// Weights: one number per criterion (divided by their sum when it is not 1), or the name of
    /// a weighting method that derives them from the matrix (`equal`, `entropy`, `std`,
    /// `critic`, ...) [default: equal]. Not with `ahp`.
    #[serde(default)]
    pub weights: Option<DecideWeights>,
    /// A pairwise comparison matrix of the criteria: AHP weights. Not with `weights`.
    #[serde(default)]
    pub ahp: Option<PairwiseRequest>,
    /// The ranking method, `NAME[:PARAM]...` (`topsis`, `vikor:v=0.3`, ...) [default: `topsis`].
    #[serde(default)]
    pub method: Option<String>,
}

/// `decide`'s weights as given: numbers, or a weighting method's name. In JSON an array of
/// numbers or a string.
#[derive(Debug, Clone, PartialEq)]
pub enum DecideWeights {
    /// One number per criterion.
    Values(Vec<f64>),
    /// A weighting method that derives the weights from the matrix.
    Method(String),
}

impl DecideWeights {
    /// Reads the command line's text form: comma-separated numbers (`0.2,0.3,0.5`) or one
    /// weighting method's name (`entropy`). Says which item is not a number.
    pub fn parse(text: &str) -> ApiResult<DecideWeights> {
        let items: Vec<&str> = text.split(',').map(str::trim).collect();
        if items.len() == 1 && !items[0].is_empty() && items[0].parse::<f64>().is_err() {
            return Ok(DecideWeights::Method(items[0].to_string()));
        }
        let mut values = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item.parse::<f64>() {
                Ok(x) if x.is_finite() => values.push(x),
                Ok(_) => {
                    return Err(ApiError::bad_input(
                        "weights",
                        format!("'{item}' (item {}) is not a finite number", i + 1),
                    ))
                }
                Err(_) => {
                    return Err(ApiError::bad_input(
                        "weights",
                        format!(
                            "'{item}' (item {}) is not a number; expected numbers such as 0.2,0.3,0.5 or one weighting method ({})",
                            i + 1,
                            WEIGHTING_METHODS_TEXT
                        ),
                    ))
                }
            }
        }
        Ok(DecideWeights::Values(values))
    }
}

/// The weighting methods `decide` takes by name, for messages.
pub(crate) const WEIGHTING_METHODS_TEXT: &str =
    "equal, entropy, std, merec, critic, cilos, idocriw, angle, gini, variance, lopcow";

impl Serialize for DecideWeights {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            DecideWeights::Values(v) => v.serialize(s),
            DecideWeights::Method(m) => m.serialize(s),
        }
    }
}

/// Accepts an array of numbers or a string, and says so when the value is neither.
impl<'de> Deserialize<'de> for DecideWeights {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DecideWeights;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "an array of numbers, one per criterion, or the name of a weighting method",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DecideWeights, E> {
                Ok(DecideWeights::Method(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<DecideWeights, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = seq.next_element::<f64>()? {
                    v.push(x);
                }
                Ok(DecideWeights::Values(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// A pairwise comparison matrix (AHP): `matrix[i][j]` says how much more important criterion
/// `i` is than criterion `j`, on Saaty's scale (1/9 to 9, reciprocal, ones on the diagonal).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PairwiseRequest {
    /// The criteria compared, in the order of the rows and columns: the decision matrix's
    /// criteria in any order [default: the decision matrix's criteria, in its order].
    #[serde(default)]
    pub labels: Option<Vec<String>>,
    /// The judgements, one row per criterion.
    pub matrix: Vec<Vec<f64>>,
}

/// The criterion types of the command line's text form, `+,-,+` or `benefit,cost,benefit`,
/// split on commas; `decide` checks them.
pub fn parse_types(text: &str) -> Vec<String> {
    text.split(',').map(|t| t.trim().to_string()).collect()
}

/// The cost criteria of the command line's text form, `memory` or `memory=2`, split on commas.
pub fn parse_cost_criteria(text: &str) -> Vec<String> {
    text.split(',')
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

pub use crate::matrix_csv::{CsvShape, LabelledMatrix};

/// `rank` with a multi-criteria method: the decision matrix of the scenario (alternatives =
/// the chains or the named stacks, criteria = the 12 concept fits, benefits, and any cost
/// criteria), ranked by `method`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MethodRankRequest {
    /// What to score.
    #[serde(flatten)]
    pub scenario: ScenarioRequest,
    /// Rank these stacks instead of single chains, as in [`RankRequest`].
    #[serde(default)]
    pub stacks: Option<Vec<Vec<String>>>,
    /// The method, `NAME[:PARAM]...` (`topsis`, `vikor:v=0.3`, ...).
    pub method: String,
    /// Cost criteria added to the 12 fits: `memory` (memory per node, MB) or `memory=W` with its
    /// weight on the scale of the concept weights [default W: 1]. Alternatives without a figure
    /// are left out and listed.
    #[serde(default)]
    pub cost_criteria: Vec<String>,
}

/// `compare`: the scenario's decision matrix ranked by several methods, side by side, with the
/// rank correlations between each pair.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CompareRequest {
    /// What to score.
    #[serde(flatten)]
    pub scenario: ScenarioRequest,
    /// Rank these stacks instead of single chains, as in [`RankRequest`].
    #[serde(default)]
    pub stacks: Option<Vec<Vec<String>>>,
    /// The methods, each `NAME[:PARAM]...` [default: every method with its defaults].
    #[serde(default)]
    pub methods: Option<Vec<String>>,
    /// Cost criteria, as in [`MethodRankRequest`].
    #[serde(default)]
    pub cost_criteria: Vec<String>,
}

/// `robustness`: SMAA-2 of the scenario's ranking and the weight stability of its leader.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RobustnessRequest {
    /// What to score.
    #[serde(flatten)]
    pub scenario: ScenarioRequest,
    /// Analyse these stacks instead of single chains, as in [`RankRequest`].
    #[serde(default)]
    pub stacks: Option<Vec<Vec<String>>>,
    /// Monte Carlo samples of each pass (acceptability, confidence), 1 to 100,000,000
    /// [default: 100,000].
    #[serde(default = "default_smaa_samples")]
    pub samples: u64,
    /// The seed: the same seed gives the same answer on any number of threads [default: 1].
    #[serde(default = "default_smaa_seed")]
    pub seed: u64,
    /// Half-width of the uniform draw of a published matrix entry, in [0, 1] [default: 0.05].
    #[serde(default = "default_spread_published")]
    pub spread_published: f64,
    /// Half-width for an estimated entry [default: 0.15].
    #[serde(default = "default_spread_estimated")]
    pub spread_estimated: f64,
    /// Half-width for a measured entry [default: 0.05].
    #[serde(default = "default_spread_measured")]
    pub spread_measured: f64,
    /// How the concept weights are drawn: `uniform` (from the simplex, the scenario's weights
    /// unused), `around` (Dirichlet around the scenario's weights) or `fixed` (the scenario's
    /// weights) [default: `uniform`].
    #[serde(default)]
    pub weights_model: Option<String>,
    /// The Dirichlet concentration of `around`, larger is tighter [default: 30].
    #[serde(default)]
    pub concentration: Option<f64>,
}

fn default_smaa_samples() -> u64 {
    DEFAULT_SMAA_SAMPLES
}

fn default_smaa_seed() -> u64 {
    DEFAULT_SMAA_SEED
}

fn default_spread_published() -> f64 {
    stackmatrix_engine::Spread::default().published
}

fn default_spread_estimated() -> f64 {
    stackmatrix_engine::Spread::default().estimated
}

fn default_spread_measured() -> f64 {
    stackmatrix_engine::Spread::default().measured
}

impl Default for RobustnessRequest {
    fn default() -> Self {
        RobustnessRequest {
            scenario: ScenarioRequest::default(),
            stacks: None,
            samples: DEFAULT_SMAA_SAMPLES,
            seed: DEFAULT_SMAA_SEED,
            spread_published: default_spread_published(),
            spread_estimated: default_spread_estimated(),
            spread_measured: default_spread_measured(),
            weights_model: None,
            concentration: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    /// The field and message of a bad input.
    fn bad(e: ApiError) -> (&'static str, String) {
        match e {
            ApiError::BadInput { field, message } => (field, message),
            other => panic!("not bad input: {other:?}"),
        }
    }

    #[test]
    fn a_vector_is_an_array_or_an_object() {
        let array: SceneVector = json("[0, 0, 1, 2, 0, 0]").unwrap();
        let object: SceneVector = json(r#"{"edge": 2, "prod": 1}"#).unwrap();
        assert_eq!(
            array,
            SceneVector::Values(vec![0.0, 0.0, 1.0, 2.0, 0.0, 0.0])
        );
        assert_eq!(
            object,
            SceneVector::Keyed(KeyedValues(vec![
                ("edge".into(), 2.0),
                ("prod".into(), 1.0)
            ]))
        );
        assert_eq!(array.resolve().unwrap(), object.resolve().unwrap());
        // Scenes not named weigh 0.
        let one: SceneVector = json(r#"{"serverless": 0.5}"#).unwrap();
        assert_eq!(one.resolve().unwrap(), [0.0, 0.0, 0.0, 0.0, 0.5, 0.0]);
    }

    #[test]
    fn weights_are_an_array_or_an_object_and_unnamed_concepts_weigh_one() {
        let array: ConceptWeights = json("[1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 0]").unwrap();
        let object: ConceptWeights = json(r#"{"R": 2, "Theta": 0}"#).unwrap();
        let symbol: ConceptWeights = json(r#"{"R": 2, "Θ": 0}"#).unwrap();
        assert_eq!(array.resolve().unwrap(), object.resolve().unwrap());
        assert_eq!(object.resolve().unwrap(), symbol.resolve().unwrap());
    }

    #[test]
    fn the_text_form_reads_as_the_json_forms() {
        let text = SceneVector::parse_list("edge=2, prod=1").unwrap();
        let object: SceneVector = json(r#"{"edge": 2, "prod": 1}"#).unwrap();
        assert_eq!(text, object);
        let text = SceneVector::parse_list("0,0,1,2,0,0").unwrap();
        assert_eq!(
            text,
            SceneVector::Values(vec![0.0, 0.0, 1.0, 2.0, 0.0, 0.0])
        );
        let w = ConceptWeights::parse_list("R=2,Θ=0")
            .unwrap()
            .resolve()
            .unwrap();
        assert_eq!((w[0], w[3], w[11]), (1.0, 2.0, 0.0));
    }

    #[test]
    fn a_wrong_count_says_what_is_accepted() {
        let v: SceneVector = json("[1, 0, 0, 0, 0]").unwrap();
        let (field, message) = bad(v.resolve().unwrap_err());
        assert_eq!(field, "vector");
        assert_eq!(
            message,
            "expected 6 numbers (dev,ci,prod,edge,serverless,multitenant) or scene KEY=VALUE pairs, got 5 values"
        );
        let w: ConceptWeights = json("[1]").unwrap();
        let (field, message) = bad(w.resolve().unwrap_err());
        assert_eq!(field, "weights");
        assert!(message.starts_with("expected 12 numbers (I,C,Q,R,M,V,L,S,B,P,T,Theta)"));
        assert!(message.ends_with("got 1 value"));
    }

    #[test]
    fn unknown_and_repeated_keys_are_refused_by_name() {
        let v: SceneVector = json(r#"{"edg": 1}"#).unwrap();
        let (field, message) = bad(v.resolve().unwrap_err());
        assert_eq!(field, "vector");
        assert_eq!(
            message,
            "unknown scene 'edg'; expected one of dev, ci, prod, edge, serverless, multitenant"
        );
        let w: ConceptWeights = json(r#"{"R": 1, "Z": 1}"#).unwrap();
        let (field, message) = bad(w.resolve().unwrap_err());
        assert_eq!(field, "weights");
        assert!(message.starts_with("unknown concept 'Z'; expected one of I, C, Q"));
        // JSON allows a key twice; the request keeps both and refuses the second.
        let v: SceneVector = json(r#"{"edge": 1, "edge": 2}"#).unwrap();
        let (_, message) = bad(v.resolve().unwrap_err());
        assert_eq!(
            message,
            "scene 'edge' is given twice; give each scene at most once"
        );
        let w = ConceptWeights::parse_list("Θ=1,Theta=2").unwrap_err();
        assert!(bad(w).1.contains("'Theta' is given twice"));
    }

    #[test]
    fn nan_and_infinity_are_not_numbers_to_score_with() {
        // JSON has no NaN; a request built in code can hold one.
        assert!(json::<SceneVector>("[0, 0, NaN, 1, 0, 0]").is_err());
        let v = SceneVector::Values(vec![0.0, 0.0, f64::NAN, 1.0, 0.0, 0.0]);
        let (field, message) = bad(v.resolve().unwrap_err());
        assert_eq!(field, "vector");
        assert_eq!(
            message,
            "'NaN' (item 3, prod) is not a finite number; expected a decimal number such as 0.5"
        );
        let w = ConceptWeights::Keyed(KeyedValues(vec![("R".into(), f64::INFINITY)]));
        let (field, message) = bad(w.resolve().unwrap_err());
        assert_eq!(field, "weights");
        assert!(message.starts_with("'inf' (value of R) is not a finite number"));
        // The text form quotes the item as typed.
        let (_, message) = bad(SceneVector::parse_list("0,0,1e400,1,0,0").unwrap_err());
        assert!(message.starts_with("'1e400' (item 3, prod) is not a finite number"));
        let (_, message) = bad(SceneVector::parse_list("0,0,x,1,0,0").unwrap_err());
        assert!(message.starts_with("'x' (item 3, prod) is not a number"));
    }

    #[test]
    fn the_text_form_refuses_mixed_items_in_order() {
        let (_, message) = bad(SceneVector::parse_list("edge=1,2").unwrap_err());
        assert_eq!(
            message,
            "'2' is not KEY=VALUE; do not mix plain numbers with KEY=VALUE pairs"
        );
        // The first problem in order is the one reported.
        let (_, message) = bad(SceneVector::parse_list("edg=x,2").unwrap_err());
        assert!(message.starts_with("unknown scene 'edg'"));
    }

    #[test]
    fn values_that_are_neither_array_nor_object_say_what_is_accepted() {
        let e = json::<SceneVector>(r#""edge=1""#).unwrap_err();
        assert!(e.contains("an array of 6 numbers in scene order"), "{e}");
        let e = json::<ConceptWeights>("[1, \"x\"]").unwrap_err();
        assert!(e.contains("invalid type"), "{e}");
    }

    #[test]
    fn requests_take_the_command_line_defaults() {
        let r: RecommendRequest = json(r#"{"scenario": "edge"}"#).unwrap();
        assert_eq!(r.max_size, 4);
        assert_eq!(r.alternatives, 5);
        assert_eq!(r.max_shared, 3);
        assert!(!r.per_environment && r.require.is_empty() && r.budget_mb.is_none());
        assert_eq!(
            r,
            RecommendRequest {
                scenario: ScenarioRequest::scenario("edge"),
                ..RecommendRequest::default()
            }
        );
        let r: RankRequest =
            json(r#"{"vector": {"edge": 1}, "stacks": [["k8s", "istio"], ["k3s"]]}"#).unwrap();
        assert!(!r.explain);
        assert_eq!(r.stacks.unwrap()[0], vec!["k8s", "istio"]);
        let r: ExplainRequest =
            json(r#"{"scenario": "edge", "tech": "k8s", "time": "blend"}"#).unwrap();
        assert_eq!(r.tech.as_deref(), Some("k8s"));
        assert_eq!(r.scenario.time.as_deref(), Some("blend"));
    }

    #[test]
    fn requests_serialise_back_to_themselves() {
        let r: RecommendRequest = json(
            r#"{"vector": {"edge": 1, "prod": 0.5}, "weights": [1,1,1,2,1,1,1,1,1,1,1,1],
                "max_size": 2, "budget_mb": 512, "require": ["gpu"], "include": ["k3s"]}"#,
        )
        .unwrap();
        let text = serde_json::to_string(&r).unwrap();
        assert!(
            text.contains(r#""vector":{"edge":1.0,"prod":0.5}"#),
            "{text}"
        );
        assert_eq!(json::<RecommendRequest>(&text).unwrap(), r);
    }

    #[test]
    fn an_unknown_time_slice_is_bad_input() {
        let (field, message) = bad(time_mode("later").unwrap_err());
        assert_eq!(field, "time");
        assert_eq!(
            message,
            "unknown time slice 'later'; expected static, dynamic or blend"
        );
        assert_eq!(time_mode("blend").unwrap(), TimeMode::Blend);
    }
}
