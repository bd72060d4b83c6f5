//! Turns the raw file shapes into validated model types, reporting every problem with its place.
//!
//! Each `*_from_raw` function checks one kind of file and returns `None` when the file had a
//! problem; the problems themselves go to the [`FileReporter`], so one pass reports all of them.

use crate::axes::{Concept, Scene, CONCEPT_COUNT, SCENE_COUNT};
use crate::case::{CaseMember, Comparator, Indicator, MaturityClaim, PracticeCase};
use crate::diagnostic::FileReporter;
use crate::names::Names;
use crate::raw::*;
use crate::scenario::{Claims, RankingClaim, Requirements, Scenario, StackClaim, TimeMode};
use crate::tables::*;
use crate::technology::{
    Enhancement, Figure, MaturityTensor, Provenance, ProvenanceKind, Row, TechKind, Technology,
    TimeSlice, FOOTPRINT_KEYS,
};
use crate::values;
use std::collections::BTreeMap;
use toml::Spanned;

/// The allowed range of a number, with the words used to say so.
#[derive(Clone, Copy, PartialEq)]
pub(crate) struct Range {
    lo: f64,
    hi: f64,
    what: &'static str,
}

pub(crate) const UNIT: Range = Range {
    lo: 0.0,
    hi: 1.0,
    what: "a number between 0 and 1",
};
/// A quantity: checked by [`values::quantity`], the rule the verbs apply to their inputs too.
pub(crate) const NON_NEGATIVE: Range = Range {
    lo: 0.0,
    hi: values::MAX_QUANTITY,
    what: values::ValueProblem::EXPECTED,
};

/// A reference from one entry to another id, checked once every file is loaded.
#[derive(Debug, Clone)]
pub(crate) struct PendingRef {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub field: String,
    pub id: String,
    /// The id of the entry holding the reference (to catch self-references).
    pub owner: String,
    /// True when the reference names a scenario rather than a technology.
    pub to_scenario: bool,
}

const ID_RULE: &str = "an id of lowercase letters, digits and '-', starting with a letter";

pub(crate) fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl FileReporter<'_> {
    /// Checks one number against a range; NaN and infinities are always refused. Quantities
    /// ([`NON_NEGATIVE`]) follow [`values::quantity`], the rule the engine applies to flags.
    pub(crate) fn number(&mut self, field: &str, v: &SNum, range: Range) -> Option<f64> {
        let x = *v.get_ref();
        if range == NON_NEGATIVE {
            return match values::quantity(x) {
                Ok(x) => Some(x),
                Err(problem) => {
                    self.at(v.span(), field, problem.to_string(), range.what);
                    None
                }
            };
        }
        if !x.is_finite() {
            self.at(
                v.span(),
                field,
                format!("{x} is not a finite number"),
                range.what,
            );
            return None;
        }
        if x < range.lo || x > range.hi {
            let message = format!("{x} is outside [{}, {}]", range.lo, range.hi);
            self.at(v.span(), field, message, range.what);
            return None;
        }
        Some(x)
    }

    /// Checks a row: exactly `len` numbers, each in `range`. Reports every bad value.
    pub(crate) fn row<const N: usize>(
        &mut self,
        field: &str,
        row: &SRow,
        range: Range,
        columns: &str,
    ) -> Option<[f64; N]> {
        let values = row.get_ref();
        if values.len() != N {
            self.at(
                row.span(),
                field,
                format!("row has {} values", values.len()),
                &format!("{N} values ({columns})"),
            );
            return None;
        }
        let mut out = [0.0; N];
        let mut ok = true;
        for (i, v) in values.iter().enumerate() {
            match self.number(&format!("{field}[{i}]"), v, range) {
                Some(x) => out[i] = x,
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn id(&mut self, field: &str, id: &SStr) -> Option<String> {
        if is_valid_id(id.get_ref()) {
            Some(id.get_ref().clone())
        } else {
            self.at(
                id.span(),
                field,
                format!("'{}' is not a valid id", id.get_ref()),
                ID_RULE,
            );
            None
        }
    }

    fn names(&mut self, field: &str, names: &Names, span: Option<std::ops::Range<usize>>) -> bool {
        let mut ok = true;
        for (lang, text) in [("en", &names.en), ("zh", &names.zh)] {
            if text.trim().is_empty() {
                let msg = format!("the {lang} name is empty");
                match &span {
                    Some(s) => self.at(
                        s.clone(),
                        &format!("{field}.{lang}"),
                        msg,
                        "a non-empty name",
                    ),
                    None => self.file(&format!("{field}.{lang}"), msg, "a non-empty name"),
                }
                ok = false;
            }
        }
        ok
    }

    fn pending_ref(&self, field: &str, id: &SStr, owner: &str) -> PendingRef {
        let (line, column) = self.position(id.span().start);
        PendingRef {
            file: self.file_name().to_string(),
            line,
            column,
            field: field.to_string(),
            id: id.get_ref().clone(),
            owner: owner.to_string(),
            to_scenario: false,
        }
    }

    /// Checks rows keyed by concept; `require_all` demands all 12.
    fn concept_rows(
        &mut self,
        field: &str,
        rows: &KeyedRows,
        whole: Option<std::ops::Range<usize>>,
        require_all: bool,
    ) -> Option<[Option<Row>; CONCEPT_COUNT]> {
        let mut out = [None; CONCEPT_COUNT];
        let mut ok = self.theta_once(field, rows.keys());
        for (key, row) in rows {
            let Some(concept) = Concept::from_key(key.get_ref()) else {
                self.at(
                    key.span(),
                    field,
                    format!("unknown concept key '{}'", key.get_ref()),
                    &format!("one of {}", Concept::KEYS.join(", ")),
                );
                ok = false;
                continue;
            };
            let f = format!("{field}.{}", concept.key());
            match self.row::<SCENE_COUNT>(&f, row, UNIT, SCENE_COLUMNS) {
                Some(r) => out[concept.index()] = Some(r),
                None => ok = false,
            }
        }
        if require_all {
            let missing: Vec<&str> = Concept::ALL
                .iter()
                .filter(|c| {
                    !rows
                        .keys()
                        .any(|k| Concept::from_key(k.get_ref()) == Some(**c))
                })
                .map(|c| c.key())
                .collect();
            if !missing.is_empty() {
                let msg = format!("missing rows for {}", missing.join(", "));
                let exp = "all 12 concept rows (I C Q R M V L S B P T Theta)";
                match whole {
                    Some(span) => self.at(span, field, msg, exp),
                    None => self.file(field, msg, exp),
                }
                ok = false;
            }
        }
        ok.then_some(out)
    }

    /// Checks a complete concept-keyed table of fixed-length rows.
    fn full_concept_table<const N: usize>(
        &mut self,
        field: &str,
        rows: &Spanned<KeyedRows>,
        range: Range,
        columns: &str,
    ) -> Option<[[f64; N]; CONCEPT_COUNT]> {
        let mut out = [[0.0; N]; CONCEPT_COUNT];
        let mut seen = [false; CONCEPT_COUNT];
        let mut ok = self.theta_once(field, rows.get_ref().keys());
        for (key, row) in rows.get_ref() {
            match Concept::from_key(key.get_ref()) {
                Some(c) => {
                    // A row that is there but wrong is reported as wrong, not also as missing.
                    seen[c.index()] = true;
                    let f = format!("{field}.{}", c.key());
                    match self.row::<N>(&f, row, range, columns) {
                        Some(r) => out[c.index()] = r,
                        None => ok = false,
                    }
                }
                None => {
                    self.unknown_key(field, key, "concept", &Concept::KEYS);
                    ok = false;
                }
            }
        }
        ok &= self.all_seen(field, rows.span(), &seen, &Concept::KEYS);
        ok.then_some(out)
    }

    /// Checks a complete scene-keyed table of 6-value rows.
    fn full_scene_table(
        &mut self,
        field: &str,
        rows: &Spanned<KeyedRows>,
        range: Range,
    ) -> Option<SceneMatrix> {
        let mut out = [[0.0; SCENE_COUNT]; SCENE_COUNT];
        let mut seen = [false; SCENE_COUNT];
        let mut ok = true;
        for (key, row) in rows.get_ref() {
            match Scene::from_key(key.get_ref()) {
                Some(s) => {
                    seen[s.index()] = true;
                    let f = format!("{field}.{}", s.key());
                    match self.row::<SCENE_COUNT>(&f, row, range, SCENE_COLUMNS) {
                        Some(r) => out[s.index()] = r,
                        None => ok = false,
                    }
                }
                None => {
                    self.unknown_key(field, key, "scene", &Scene::KEYS);
                    ok = false;
                }
            }
        }
        ok &= self.all_seen(field, rows.span(), &seen, &Scene::KEYS);
        ok.then_some(out)
    }

    fn unknown_key(&mut self, field: &str, key: &SStr, what: &str, keys: &[&str]) {
        self.at(
            key.span(),
            field,
            format!("unknown {what} key '{}'", key.get_ref()),
            &format!("one of {}", keys.join(", ")),
        );
    }

    /// Refuses a table that gives Θ twice, as `Theta` and as its synonym `Θ`: TOML only rejects
    /// keys spelled the same, and one of the two would otherwise be dropped without a word.
    fn theta_once<'k>(&mut self, field: &str, keys: impl IntoIterator<Item = &'k SStr>) -> bool {
        let thetas: Vec<&SStr> = keys
            .into_iter()
            .filter(|k| Concept::from_key(k.get_ref()) == Some(Concept::Theta))
            .collect();
        if let [_, second, ..] = thetas.as_slice() {
            self.at(
                second.span(),
                field,
                "Theta is given twice, as 'Theta' and as 'Θ'".into(),
                "one entry per concept (Theta or Θ, not both)",
            );
            return false;
        }
        true
    }

    fn all_seen(
        &mut self,
        field: &str,
        span: std::ops::Range<usize>,
        seen: &[bool],
        keys: &[&str],
    ) -> bool {
        let missing: Vec<&str> = keys
            .iter()
            .zip(seen)
            .filter(|(_, s)| !**s)
            .map(|(k, _)| *k)
            .collect();
        if missing.is_empty() {
            return true;
        }
        self.at(
            span,
            field,
            format!("missing rows for {}", missing.join(", ")),
            &format!("one row for each of {}", keys.join(", ")),
        );
        false
    }

    /// Checks a map of keyed weights (scene or concept) into a dense vector with a default.
    fn weights<const N: usize>(
        &mut self,
        field: &str,
        map: &Spanned<BTreeMap<SStr, SNum>>,
        lookup: impl Fn(&str) -> Option<usize>,
        keys: &[&str],
        default: f64,
        what: &str,
    ) -> Option<[f64; N]> {
        let mut out = [default; N];
        let mut ok = true;
        for (key, v) in map.get_ref() {
            match lookup(key.get_ref()) {
                Some(i) => {
                    match self.number(&format!("{field}.{}", key.get_ref()), v, NON_NEGATIVE) {
                        Some(x) => out[i] = x,
                        None => ok = false,
                    }
                }
                None => {
                    self.unknown_key(field, key, what, keys);
                    ok = false;
                }
            }
        }
        // The set rule the engine applies to vectors and weights from flags and requests; each
        // value has passed the per-value rule above, so only "all zero" can remain.
        if ok && values::weights(&out).is_err() {
            self.at(
                map.span(),
                field,
                "every weight is zero".to_string(),
                "at least one positive weight",
            );
            ok = false;
        }
        ok.then_some(out)
    }

    fn provenance(
        &mut self,
        field: &str,
        kind: &SStr,
        source: &str,
        rationale: &Option<String>,
    ) -> Option<Provenance> {
        let k = match kind.get_ref().as_str() {
            "published" => ProvenanceKind::Published,
            "estimated" => ProvenanceKind::Estimated,
            "measured" => ProvenanceKind::Measured,
            other => {
                self.at(
                    kind.span(),
                    &format!("{field}.kind"),
                    format!("unknown provenance kind '{other}'"),
                    "published, estimated or measured",
                );
                return None;
            }
        };
        if source.trim().is_empty() {
            self.file(
                &format!("{field}.source"),
                "the source is empty".into(),
                "where the figures come from",
            );
            return None;
        }
        Some(Provenance {
            kind: k,
            source: source.to_string(),
            rationale: rationale.clone(),
        })
    }
}

/// Column names of a scene row, for "expected" messages.
pub(crate) const SCENE_COLUMNS: &str = "dev, ci, prod, edge, serverless, multitenant";
const CONCEPT_COLUMNS: &str = "I, C, Q, R, M, V, L, S, B, P, T, Theta";

/// Validates `axes.toml`.
pub(crate) fn axes_from_raw(
    r: &mut FileReporter,
    raw: &RawAxes,
) -> Option<([Names; CONCEPT_COUNT], [Names; SCENE_COUNT])> {
    let mut ok = r.theta_once("concepts", raw.concepts.keys());
    let mut concepts: [Option<Names>; CONCEPT_COUNT] = Default::default();
    for (key, names) in &raw.concepts {
        match Concept::from_key(key.get_ref()) {
            Some(c) => {
                ok &= r.names(&format!("concepts.{}", c.key()), names, Some(key.span()));
                concepts[c.index()] = Some(names.clone());
            }
            None => {
                r.unknown_key("concepts", key, "concept", &Concept::KEYS);
                ok = false;
            }
        }
    }
    let mut scenes: [Option<Names>; SCENE_COUNT] = Default::default();
    for (key, names) in &raw.scenes {
        match Scene::from_key(key.get_ref()) {
            Some(s) => {
                ok &= r.names(&format!("scenes.{}", s.key()), names, Some(key.span()));
                scenes[s.index()] = Some(names.clone());
            }
            None => {
                r.unknown_key("scenes", key, "scene", &Scene::KEYS);
                ok = false;
            }
        }
    }
    for (c, n) in Concept::ALL.iter().zip(&concepts) {
        if n.is_none() {
            r.file(
                &format!("concepts.{}", c.key()),
                "missing".into(),
                "names for every concept",
            );
            ok = false;
        }
    }
    for (s, n) in Scene::ALL.iter().zip(&scenes) {
        if n.is_none() {
            r.file(
                &format!("scenes.{}", s.key()),
                "missing".into(),
                "names for every scene",
            );
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    Some((concepts.map(Option::unwrap), scenes.map(Option::unwrap)))
}

/// Validates a technology file; references to other ids go to `refs`.
pub(crate) fn technology_from_raw(
    r: &mut FileReporter,
    raw: &RawTechnology,
    refs: &mut Vec<PendingRef>,
) -> Option<Technology> {
    let id = r.id("id", &raw.id);
    let kind = match raw.kind.get_ref().as_str() {
        "chain" => Some(TechKind::Chain),
        "addon" => Some(TechKind::Addon),
        other => {
            r.at(
                raw.kind.span(),
                "kind",
                format!("unknown kind '{other}'"),
                "chain or addon",
            );
            None
        }
    };
    let mut ok = r.names("name", &raw.name, None);
    let owner = raw.id.get_ref().clone();
    for (field, list) in [
        ("requires", &raw.requires),
        ("conflicts", &raw.conflicts),
        ("hosts", &raw.hosts),
    ] {
        for (i, target) in list.iter().enumerate() {
            refs.push(r.pending_ref(&format!("{field}[{i}]"), target, &owner));
        }
    }
    let static_rows = r.concept_rows(
        "maturity.static",
        raw.maturity.static_rows.get_ref(),
        Some(raw.maturity.static_rows.span()),
        kind == Some(TechKind::Chain),
    );
    if kind == Some(TechKind::Addon) && raw.maturity.static_rows.get_ref().is_empty() {
        r.at(
            raw.maturity.static_rows.span(),
            "maturity.static",
            "an addon with no rows".into(),
            "at least one concept row",
        );
        ok = false;
    }
    let dynamic_rows = r.concept_rows("maturity.dynamic", &raw.maturity.dynamic, None, false);
    if let (Some(st), Some(dy)) = (&static_rows, &dynamic_rows) {
        for (key, row) in &raw.maturity.dynamic {
            if let Some(c) = Concept::from_key(key.get_ref()) {
                if dy[c.index()].is_some() && st[c.index()].is_none() {
                    r.at(
                        row.span(),
                        &format!("maturity.dynamic.{}", c.key()),
                        "a dynamic row without a static row".into(),
                        "a static row for every dynamic row",
                    );
                    ok = false;
                }
            }
        }
    }
    let p = &raw.provenance;
    let provenance = r.provenance("provenance", &p.kind, &p.source, &p.rationale);
    let mut row_provenance = BTreeMap::new();
    for (slice, map) in [
        (TimeSlice::Static, &p.static_rows),
        (TimeSlice::Dynamic, &p.dynamic),
    ] {
        ok &= r.theta_once(&format!("provenance.{}", slice.key()), map.keys());
        for (key, rp) in map {
            let field = format!("provenance.{}", slice.key());
            let Some(c) = Concept::from_key(key.get_ref()) else {
                r.unknown_key(&field, key, "concept", &Concept::KEYS);
                ok = false;
                continue;
            };
            let f = format!("{field}.{}", c.key());
            match r.provenance(&f, &rp.kind, &rp.source, &rp.rationale) {
                Some(prov) => {
                    row_provenance.insert((slice, c), prov);
                }
                None => ok = false,
            }
        }
    }
    let mut enhancements = Vec::new();
    for (i, e) in raw.enhancements.iter().enumerate() {
        let field = format!("enhancements[{i}]");
        let concept = Concept::from_key(e.concept.get_ref());
        if concept.is_none() {
            r.unknown_key(
                &format!("{field}.concept"),
                &e.concept,
                "concept",
                &Concept::KEYS,
            );
        }
        let delta = r.number(&format!("{field}.delta"), &e.delta, UNIT);
        let range = match &e.range {
            Some(row) => r
                .row::<2>(&format!("{field}.range"), row, UNIT, "low, high")
                .map(Some),
            None => Some(None),
        };
        if let (Some(d), Some(Some([lo, hi]))) = (delta, range) {
            if !(lo <= d && d <= hi) {
                r.at(
                    e.delta.span(),
                    &format!("{field}.delta"),
                    format!("{d} is outside its published range [{lo}, {hi}]"),
                    "a delta within its range",
                );
                ok = false;
            }
        }
        match (concept, delta, range) {
            (Some(concept), Some(delta), Some(range)) => enhancements.push(Enhancement {
                concept,
                delta,
                range,
                source: e.source.clone(),
            }),
            _ => ok = false,
        }
    }
    let mut footprint = BTreeMap::new();
    for (key, fig) in &raw.footprint {
        let field = format!("footprint.{}", key.get_ref());
        if !FOOTPRINT_KEYS.iter().any(|(k, _)| k == key.get_ref()) {
            let keys: Vec<&str> = FOOTPRINT_KEYS.iter().map(|(k, _)| *k).collect();
            r.unknown_key("footprint", key, "footprint", &keys);
            ok = false;
            continue;
        }
        if fig.source.trim().is_empty() {
            r.at(
                fig.value.span(),
                &format!("{field}.source"),
                "the source is empty".into(),
                "where the figure comes from",
            );
            ok = false;
        }
        match r.number(&format!("{field}.value"), &fig.value, NON_NEGATIVE) {
            Some(value) => {
                footprint.insert(
                    key.get_ref().clone(),
                    Figure {
                        value,
                        source: fig.source.clone(),
                        note: fig.note.clone(),
                    },
                );
            }
            None => ok = false,
        }
    }
    let given_rows: Vec<Concept> = raw
        .maturity
        .static_rows
        .get_ref()
        .keys()
        .filter_map(|k| Concept::from_key(k.get_ref()))
        .collect();
    let mut rationale = BTreeMap::new();
    for (key, text) in &raw.rationale {
        match Concept::from_key(key.get_ref()) {
            Some(c) if given_rows.contains(&c) => {
                rationale.insert(c, text.clone());
            }
            Some(c) => {
                r.at(
                    key.span(),
                    &format!("rationale.{}", c.key()),
                    "a rationale for a row the file does not give".into(),
                    "a rationale only for rows under [maturity.static]",
                );
                ok = false;
            }
            None => {
                r.unknown_key("rationale", key, "concept", &Concept::KEYS);
                ok = false;
            }
        }
    }
    let capabilities = raw
        .capabilities
        .iter()
        .map(|c| c.get_ref().clone())
        .collect();

    let (id, kind, static_rows, dynamic_rows, provenance) =
        (id?, kind?, static_rows?, dynamic_rows?, provenance?);
    ok.then(|| Technology {
        id,
        name: raw.name.clone(),
        kind,
        roles: raw.roles.clone(),
        version: raw.version.clone(),
        capabilities,
        requires: raw.requires.iter().map(|s| s.get_ref().clone()).collect(),
        conflicts: raw.conflicts.iter().map(|s| s.get_ref().clone()).collect(),
        hosts: raw.hosts.iter().map(|s| s.get_ref().clone()).collect(),
        maturity: MaturityTensor {
            static_rows,
            dynamic_rows,
        },
        provenance,
        row_provenance,
        rationale,
        enhancements,
        footprint,
    })
    .and_then(|t| estimated_rows_explained(r, raw, t))
}

/// Every estimated static row needs a one-line rationale: in `[rationale]`, in its provenance
/// override, or in the file's default provenance.
fn estimated_rows_explained(
    r: &mut FileReporter,
    raw: &RawTechnology,
    t: Technology,
) -> Option<Technology> {
    let mut ok = true;
    for (key, row) in raw.maturity.static_rows.get_ref() {
        let Some(c) = Concept::from_key(key.get_ref()) else {
            continue;
        };
        let p = t.provenance_of(TimeSlice::Static, c);
        let explained = p.rationale.is_some() || t.rationale.contains_key(&c);
        if p.kind == ProvenanceKind::Estimated && !explained {
            r.at(
                row.span(),
                &format!("maturity.static.{}", c.key()),
                "an estimated row without a rationale".into(),
                &format!(
                    "a one-line reason under [rationale] ({} = \"...\")",
                    c.key()
                ),
            );
            ok = false;
        }
    }
    ok.then_some(t)
}

/// Validates a scenario file; references to technologies go to `refs`.
pub(crate) fn scenario_from_raw(
    r: &mut FileReporter,
    raw: &RawScenario,
    refs: &mut Vec<PendingRef>,
) -> Option<Scenario> {
    let id = r.id("id", &raw.id);
    let mut ok = r.names("name", &raw.name, None);
    for (i, f) in raw.features.iter().enumerate() {
        ok &= r.names(&format!("features[{i}]"), f, None);
    }
    let vector = r.weights::<SCENE_COUNT>(
        "vector",
        &raw.vector,
        |k| Scene::from_key(k).map(Scene::index),
        &Scene::KEYS,
        0.0,
        "scene",
    );
    if let Some(w) = &raw.weights {
        ok &= r.theta_once("weights", w.get_ref().keys());
    }
    let weights = match &raw.weights {
        Some(w) => r.weights::<CONCEPT_COUNT>(
            "weights",
            w,
            |k| Concept::from_key(k).map(Concept::index),
            &Concept::KEYS,
            1.0,
            "concept",
        ),
        None => Some([1.0; CONCEPT_COUNT]),
    };
    let time = match &raw.time {
        None => Some(None),
        Some(t) => match TimeMode::from_key(t.get_ref()) {
            Some(m) => Some(Some(m)),
            None => {
                r.at(
                    t.span(),
                    "time",
                    format!("unknown time mode '{}'", t.get_ref()),
                    "static, dynamic or blend",
                );
                None
            }
        },
    };
    // Scenario ids live in their own namespace: a scenario may share an id with a technology.
    let owner = String::new();
    let memory = match raw
        .requirements
        .as_ref()
        .and_then(|q| q.memory_mb_per_node.as_ref())
    {
        Some(m) => r
            .number("requirements.memory_mb_per_node", m, NON_NEGATIVE)
            .map(Some),
        None => Some(None),
    };
    let list = |f: fn(&RawRequirements) -> &Vec<SStr>| -> Vec<String> {
        raw.requirements
            .iter()
            .flat_map(|q| f(q).iter().map(|c| c.get_ref().clone()))
            .collect()
    };
    let shared = list(|q| &q.shared);
    if !shared.is_empty() && !raw.spans_environments {
        r.file(
            "requirements.shared",
            "shared-layer requirements in a scenario that does not span environments".into(),
            "spans_environments = true, or the capabilities under requirements.capabilities",
        );
        ok = false;
    }
    let requirements = Requirements {
        capabilities: list(|q| &q.capabilities),
        shared,
        memory_mb_per_node: memory.flatten(),
    };

    let claims = raw.claims.as_ref().map(|c| {
        let mut ranking = Vec::new();
        for (i, rc) in c.ranking.iter().enumerate() {
            if let Some(t) = &rc.tech {
                refs.push(r.pending_ref(&format!("claims.ranking[{i}].tech"), t, &owner));
            }
            let score = rc.score.as_ref().and_then(|s| {
                let x = *s.get_ref();
                if x.is_finite() && (0.0..=10.0).contains(&x) {
                    Some(x)
                } else {
                    r.at(
                        s.span(),
                        &format!("claims.ranking[{i}].score"),
                        format!("{x} is outside [0, 10]"),
                        "a score between 0 and 10",
                    );
                    ok = false;
                    None
                }
            });
            let rank = rc
                .rank
                .as_ref()
                .and_then(|k| match u32::try_from(*k.get_ref()) {
                    Ok(v) if v >= 1 => Some(v),
                    _ => {
                        r.at(
                            k.span(),
                            &format!("claims.ranking[{i}].rank"),
                            format!("{} is not a rank", k.get_ref()),
                            "a whole number of 1 or more",
                        );
                        ok = false;
                        None
                    }
                });
            ranking.push(RankingClaim {
                label: rc.label.clone(),
                tech: rc.tech.as_ref().map(|t| t.get_ref().clone()),
                score,
                rank,
            });
        }
        let mut stack = Vec::new();
        for (i, sc) in c.stack.iter().enumerate() {
            if let Some(t) = &sc.tech {
                refs.push(r.pending_ref(&format!("claims.stack[{i}].tech"), t, &owner));
            }
            stack.push(StackClaim {
                label: sc.label.clone(),
                tech: sc.tech.as_ref().map(|t| t.get_ref().clone()),
            });
        }
        Claims {
            source: c.source.clone(),
            ranking,
            stack,
        }
    });
    let (id, vector, weights, time, _) = (id?, vector?, weights?, time?, memory?);
    ok.then(|| Scenario {
        id,
        name: raw.name.clone(),
        features: raw.features.clone(),
        vector,
        weights,
        time,
        spans_environments: raw.spans_environments,
        requirements,
        claims,
    })
}

/// Validates `tables/relations.toml`.
pub(crate) fn relations_from_raw(r: &mut FileReporter, raw: &RawRelations) -> Option<Relations> {
    let dependency =
        r.full_concept_table::<CONCEPT_COUNT>("dependency", &raw.dependency, UNIT, CONCEPT_COLUMNS);
    if let Some(dep) = &dependency {
        for (key, row) in raw.dependency.get_ref() {
            if let Some(c) = Concept::from_key(key.get_ref()) {
                for (j, v) in dep[c.index()].iter().enumerate() {
                    if *v != 0.0 && *v != 1.0 {
                        r.at(
                            row.get_ref()[j].span(),
                            &format!("dependency.{}[{j}]", c.key()),
                            format!("{v} is neither 0 nor 1"),
                            "0 (independent) or 1 (linked)",
                        );
                    }
                }
            }
        }
    }
    let transformation = r.full_concept_table::<CONCEPT_COUNT>(
        "transformation",
        &raw.transformation,
        UNIT,
        CONCEPT_COLUMNS,
    );
    let combination = r.full_concept_table::<CONCEPT_COUNT>(
        "combination",
        &raw.combination,
        UNIT,
        CONCEPT_COLUMNS,
    );
    Some(Relations {
        dependency: dependency?,
        transformation: transformation?,
        combination: combination?,
    })
}

/// Validates `tables/attributes.toml`.
pub(crate) fn attributes_from_raw(r: &mut FileReporter, raw: &RawAttributes) -> Option<Attributes> {
    let mut ok = true;
    let mut latency = [[None; SCENE_COUNT]; CONCEPT_COUNT];
    let mut seen = [false; CONCEPT_COUNT];
    ok &= r.theta_once("latency_ms", raw.latency_ms.get_ref().keys());
    for (key, row) in raw.latency_ms.get_ref() {
        let Some(c) = Concept::from_key(key.get_ref()) else {
            r.unknown_key("latency_ms", key, "concept", &Concept::KEYS);
            ok = false;
            continue;
        };
        let field = format!("latency_ms.{}", c.key());
        seen[c.index()] = true;
        if row.get_ref().len() != SCENE_COUNT {
            r.at(
                row.span(),
                &field,
                format!("row has {} values", row.get_ref().len()),
                &format!("{SCENE_COUNT} values ({SCENE_COLUMNS})"),
            );
            ok = false;
            continue;
        }
        for (j, cell) in row.get_ref().iter().enumerate() {
            let f = format!("{field}[{j}]");
            match cell.get_ref() {
                RawLatency::Number(x) => {
                    let n = Spanned::new(cell.span(), *x);
                    match r.number(&f, &n, NON_NEGATIVE) {
                        Some(x) => latency[c.index()][j] = Some(x),
                        None => ok = false,
                    }
                }
                RawLatency::Text(t) if t == "n/a" => {}
                RawLatency::Text(t) => {
                    r.at(
                        cell.span(),
                        &f,
                        format!("'{t}' is not a latency"),
                        "milliseconds (a number of 0 or more) or \"n/a\"",
                    );
                    ok = false;
                }
            }
        }
    }
    ok &= r.all_seen("latency_ms", raw.latency_ms.span(), &seen, &Concept::KEYS);
    let memory = r.full_concept_table::<SCENE_COUNT>(
        "memory_mb",
        &raw.memory_mb,
        NON_NEGATIVE,
        SCENE_COLUMNS,
    );
    // Compatibility has one extra row, L_mesh, beside the 12 concepts.
    let mut compat_rows = raw.compatibility.get_ref().clone();
    let mesh_key = compat_rows
        .keys()
        .find(|k| k.get_ref() == "L_mesh")
        .cloned();
    let mesh = match mesh_key.and_then(|k| compat_rows.remove(&k)) {
        Some(row) => r.row::<SCENE_COUNT>("compatibility.L_mesh", &row, UNIT, SCENE_COLUMNS),
        None => {
            r.at(
                raw.compatibility.span(),
                "compatibility",
                "missing row L_mesh".into(),
                "a row L_mesh (load balance with a service mesh)",
            );
            None
        }
    };
    let compat = r.full_concept_table::<SCENE_COUNT>(
        "compatibility",
        &Spanned::new(raw.compatibility.span(), compat_rows),
        UNIT,
        SCENE_COLUMNS,
    );
    let (memory_mb, compatibility, compatibility_l_mesh) = (memory?, compat?, mesh?);
    ok.then_some(Attributes {
        latency_ms: latency,
        memory_mb,
        compatibility,
        compatibility_l_mesh,
    })
}

/// Validates `tables/transitions.toml`; chain ids go to `refs`.
pub(crate) fn transitions_from_raw(
    r: &mut FileReporter,
    raw: &RawTransitions,
    refs: &mut Vec<PendingRef>,
) -> Option<Transitions> {
    let mut ok = true;
    let ct = &raw.chain_transition;
    let ids: Vec<String> = ct
        .columns
        .get_ref()
        .iter()
        .map(|s| s.get_ref().clone())
        .collect();
    for (i, col) in ct.columns.get_ref().iter().enumerate() {
        refs.push(r.pending_ref(&format!("chain_transition.columns[{i}]"), col, ""));
        if ids[..i].contains(col.get_ref()) {
            r.at(
                col.span(),
                &format!("chain_transition.columns[{i}]"),
                format!("'{}' appears twice", col.get_ref()),
                "each chain id once",
            );
            ok = false;
        }
    }
    let n = ids.len();
    let mut difficulty = vec![vec![0.0; n]; n];
    let mut seen = vec![false; n];
    for (key, row) in ct.rows.get_ref() {
        let field = format!("chain_transition.rows.{}", key.get_ref());
        let Some(i) = ids.iter().position(|id| id == key.get_ref()) else {
            r.at(
                key.span(),
                "chain_transition.rows",
                format!("row '{}' is not among the columns", key.get_ref()),
                &format!("one of {}", ids.join(", ")),
            );
            ok = false;
            continue;
        };
        seen[i] = true;
        if row.get_ref().len() != n {
            r.at(
                row.span(),
                &field,
                format!("row has {} values", row.get_ref().len()),
                &format!("{n} values, one per column ({})", ids.join(", ")),
            );
            ok = false;
            continue;
        }
        for (j, v) in row.get_ref().iter().enumerate() {
            match r.number(&format!("{field}[{j}]"), v, UNIT) {
                Some(x) => difficulty[i][j] = x,
                None => ok = false,
            }
        }
    }
    let keys: Vec<&str> = ids.iter().map(String::as_str).collect();
    ok &= r.all_seen("chain_transition.rows", ct.rows.span(), &seen, &keys);
    let scene_migration = r.full_scene_table("scene_migration", &raw.scene_migration, UNIT);
    let scene_migration = scene_migration?;
    ok.then_some(Transitions {
        chains: ChainTransitions { ids, difficulty },
        scene_migration,
    })
}

/// Validates `tables/operations.toml`.
pub(crate) fn operations_from_raw(
    r: &mut FileReporter,
    raw: &RawOperations,
) -> Option<Vec<Operation>> {
    let mut ok = true;
    let mut out: Vec<Operation> = Vec::new();
    for (i, op) in raw.operation.iter().enumerate() {
        let field = format!("operation[{i}]");
        let id = r.id(&format!("{field}.id"), &op.id);
        if out.iter().any(|o| &o.id == op.id.get_ref()) {
            r.at(
                op.id.span(),
                &format!("{field}.id"),
                format!("duplicate operation id '{}'", op.id.get_ref()),
                "unique ids",
            );
            ok = false;
        }
        let groups = ["build", "deploy", "scale", "upgrade"];
        if !groups.contains(&op.group.get_ref().as_str()) {
            r.at(
                op.group.span(),
                &format!("{field}.group"),
                format!("unknown group '{}'", op.group.get_ref()),
                "build, deploy, scale or upgrade",
            );
            ok = false;
        }
        ok &= r.names(&format!("{field}.name"), &op.name, Some(op.id.span()));
        let impact = r.row::<CONCEPT_COUNT>(
            &format!("{field}.impact"),
            &op.impact,
            UNIT,
            CONCEPT_COLUMNS,
        );
        if let (Some(id), Some(impact)) = (id, impact) {
            out.push(Operation {
                id,
                group: op.group.get_ref().clone(),
                name: op.name.clone(),
                impact,
            });
        } else {
            ok = false;
        }
    }
    ok.then_some(out)
}

/// Validates `tables/theta.toml`.
pub(crate) fn theta_from_raw(r: &mut FileReporter, raw: &RawTheta) -> Option<ThetaTable> {
    let mut learning_rate = [0.0; CONCEPT_COUNT];
    let mut ok = theta_entries(
        r,
        "learning_rate",
        &raw.learning_rate,
        &mut learning_rate,
        |r, field, v| match r.number(field, v, NON_NEGATIVE) {
            Some(x) if x > 0.0 => Some(x),
            Some(_) => {
                r.at(
                    v.span(),
                    field,
                    "0 is not a learning rate".into(),
                    "a positive number",
                );
                None
            }
            None => None,
        },
    );
    let mut value = [1.0; CONCEPT_COUNT];
    if let Some(values) = &raw.value {
        ok &= theta_entries(r, "value", values, &mut value, |r, field, v| {
            r.number(field, v, UNIT)
        });
    }
    ok.then_some(ThetaTable {
        learning_rate,
        value,
    })
}

/// Reads one per-concept table of `tables/theta.toml` (every concept once, `Theta` or `Θ`).
fn theta_entries(
    r: &mut FileReporter,
    table: &str,
    raw: &Spanned<BTreeMap<SStr, SNum>>,
    out: &mut [f64; CONCEPT_COUNT],
    mut read: impl FnMut(&mut FileReporter, &str, &SNum) -> Option<f64>,
) -> bool {
    let mut seen = [false; CONCEPT_COUNT];
    let mut ok = r.theta_once(table, raw.get_ref().keys());
    for (key, v) in raw.get_ref() {
        let Some(c) = Concept::from_key(key.get_ref()) else {
            r.unknown_key(table, key, "concept", &Concept::KEYS);
            ok = false;
            continue;
        };
        let field = format!("{table}.{}", c.key());
        seen[c.index()] = true;
        match read(r, &field, v) {
            Some(x) => out[c.index()] = x,
            None => ok = false,
        }
    }
    ok &= r.all_seen(table, raw.span(), &seen, &Concept::KEYS);
    ok
}

/// Validates `tables/parameters.toml`.
pub(crate) fn parameters_from_raw(r: &mut FileReporter, raw: &RawParameters) -> Option<Parameters> {
    let uplift = r.row::<2>(
        "service_mesh_loadbalance_uplift",
        &raw.service_mesh_loadbalance_uplift,
        UNIT,
        "low, high",
    );
    let mut ok = true;
    if let Some([lo, hi]) = uplift {
        if lo > hi {
            r.at(
                raw.service_mesh_loadbalance_uplift.span(),
                "service_mesh_loadbalance_uplift",
                format!("low {lo} is above high {hi}"),
                "[low, high] with low ≤ high",
            );
            ok = false;
        }
    }
    let tb = &raw.time_blend;
    let s = r.number("time_blend.static", &tb.static_weight, UNIT);
    let d = r.number("time_blend.dynamic", &tb.dynamic, UNIT);
    if let (Some(s), Some(d)) = (s, d) {
        if (s + d - 1.0).abs() > 1e-9 {
            r.at(
                tb.static_weight.span(),
                "time_blend",
                format!("static {s} and dynamic {d} sum to {}", s + d),
                "weights that sum to 1",
            );
            ok = false;
        }
    }
    let rl = &raw.risk_lambda;
    let sa = &raw.scene_adaptation;
    let values = [
        r.number("risk_lambda.static_drop", &rl.static_drop, NON_NEGATIVE),
        r.number(
            "risk_lambda.dynamic_jitter",
            &rl.dynamic_jitter,
            NON_NEGATIVE,
        ),
        r.number(
            "risk_lambda.ai_uncertainty",
            &rl.ai_uncertainty,
            NON_NEGATIVE,
        ),
        r.number("scene_adaptation.alpha_maturity", &sa.alpha_maturity, UNIT),
        r.number(
            "scene_adaptation.beta_compatibility",
            &sa.beta_compatibility,
            UNIT,
        ),
    ];
    let [Some(sd), Some(dj), Some(ai), Some(alpha), Some(beta)] = values else {
        return None;
    };
    let (uplift, s, d) = (uplift?, s?, d?);
    ok.then_some(Parameters {
        time_blend_static: s,
        time_blend_dynamic: d,
        risk_static_drop: sd,
        risk_dynamic_jitter: dj,
        risk_ai_uncertainty: ai,
        adaptation_alpha_maturity: alpha,
        adaptation_beta_compatibility: beta,
        mesh_uplift_range: uplift,
    })
}

/// Validates a practice case; technology and scenario ids go to `refs`.
pub(crate) fn case_from_raw(
    r: &mut FileReporter,
    raw: &RawCase,
    refs: &mut Vec<PendingRef>,
) -> Option<PracticeCase> {
    let id = r.id("id", &raw.id);
    let mut ok = r.names("name", &raw.name, None);
    ok &= r.names("scale", &raw.scale, None);
    let mut scenario_ref = r.pending_ref("scenario", &raw.scenario, "");
    scenario_ref.to_scenario = true;
    refs.push(scenario_ref);
    let mut stack = Vec::new();
    for (i, m) in raw.stack.iter().enumerate() {
        if let Some(t) = &m.tech {
            refs.push(r.pending_ref(&format!("stack[{i}].tech"), t, ""));
        }
        if let Some(env) = &m.environment {
            if env.get_ref() != "shared" && Scene::from_key(env.get_ref()).is_none() {
                r.at(
                    env.span(),
                    &format!("stack[{i}].environment"),
                    format!("unknown environment '{}'", env.get_ref()),
                    &format!("a scene key ({}) or shared", Scene::KEYS.join(", ")),
                );
                ok = false;
            }
        }
        stack.push(CaseMember {
            label: m.label.clone(),
            tech: m.tech.as_ref().map(|t| t.get_ref().clone()),
            version: m.version.clone(),
            environment: m.environment.as_ref().map(|e| e.get_ref().clone()),
        });
    }
    let mut indicators = Vec::new();
    for (i, ind) in raw.indicators.iter().enumerate() {
        let field = format!("indicators[{i}]");
        ok &= r.names(&format!("{field}.name"), &ind.name, None);
        let comparator = Comparator::from_symbol(ind.comparator.get_ref());
        if comparator.is_none() {
            r.at(
                ind.comparator.span(),
                &format!("{field}.comparator"),
                format!("unknown comparator '{}'", ind.comparator.get_ref()),
                &format!("one of {}", Comparator::SYMBOLS.join(" ")),
            );
        }
        let value = *ind.value.get_ref();
        if !value.is_finite() {
            r.at(
                ind.value.span(),
                &format!("{field}.value"),
                format!("{value} is not a finite number"),
                "a number",
            );
        }
        if let Some(m) = &ind.metric {
            if !FOOTPRINT_KEYS.iter().any(|(k, _)| k == m.get_ref()) {
                let keys: Vec<&str> = FOOTPRINT_KEYS.iter().map(|(k, _)| *k).collect();
                r.unknown_key(&format!("{field}.metric"), m, "footprint", &keys);
                ok = false;
            }
        }
        match comparator {
            Some(comparator) if value.is_finite() => indicators.push(Indicator {
                name: ind.name.clone(),
                claim: ind.claim.clone(),
                comparator,
                value,
                unit: ind.unit.clone(),
                metric: ind.metric.as_ref().map(|m| m.get_ref().clone()),
                baseline: ind.baseline.clone(),
            }),
            _ => ok = false,
        }
    }
    let mut maturity = Vec::new();
    for (i, m) in raw.maturity.iter().enumerate() {
        let field = format!("maturity[{i}]");
        ok &= r.names(&format!("{field}.note"), &m.note, None);
        let concept = Concept::from_key(m.concept.get_ref());
        if concept.is_none() {
            r.unknown_key(
                &format!("{field}.concept"),
                &m.concept,
                "concept",
                &Concept::KEYS,
            );
        }
        let value = r.number(&format!("{field}.value"), &m.value, UNIT);
        match (concept, value) {
            (Some(concept), Some(value)) => maturity.push(MaturityClaim {
                concept,
                value,
                note: m.note.clone(),
            }),
            _ => ok = false,
        }
    }
    let id = id?;
    ok.then(|| PracticeCase {
        id,
        scenario: raw.scenario.get_ref().clone(),
        name: raw.name.clone(),
        source: raw.source.clone(),
        scale: raw.scale.clone(),
        stack,
        indicators,
        maturity,
    })
}
