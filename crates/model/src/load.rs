//! Loading a knowledge base from files: parsing, checking, overlaying and cross-references.

use crate::axes::{CONCEPT_COUNT, SCENE_COUNT};
use crate::case::PracticeCase;
use crate::check::{self, PendingRef};
use crate::diagnostic::{Diagnostic, Diagnostics, FileReporter};
use crate::names::Names;
use crate::raw::{RawCase, RawScenario, RawTechnology};
use crate::scenario::Scenario;
use crate::tables::{Tables, ThetaTable};
use crate::technology::{TechKind, Technology};
use crate::KnowledgeBase;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, BTreeSet};

/// The text of one knowledge-base file and its path relative to the knowledge-base root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Relative path with `/` separators (`technologies/k3s.toml`).
    pub path: String,
    /// Where the file was read from, for messages (the relative path for built-in files).
    pub display: String,
    /// The file's text.
    pub text: String,
}

/// Table files, by their path in a knowledge base.
pub const TABLE_FILES: [&str; 6] = [
    "tables/relations.toml",
    "tables/attributes.toml",
    "tables/transitions.toml",
    "tables/operations.toml",
    "tables/theta.toml",
    "tables/parameters.toml",
];

/// Where a file sits in the layout, which decides how it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Axes,
    Technology,
    Scenario,
    Case,
    Table(usize),
}

fn role_of(path: &str) -> Option<Role> {
    if path == "axes.toml" {
        return Some(Role::Axes);
    }
    if let Some(i) = TABLE_FILES.iter().position(|t| *t == path) {
        return Some(Role::Table(i));
    }
    let (dir, name) = path.split_once('/')?;
    if name.contains('/') || !name.ends_with(".toml") {
        return None;
    }
    match dir {
        "technologies" => Some(Role::Technology),
        "scenarios" => Some(Role::Scenario),
        "cases" => Some(Role::Case),
        _ => None,
    }
}

const LAYOUT: &str = "axes.toml, technologies/<id>.toml, scenarios/<id>.toml, cases/<id>.toml or tables/{relations,attributes,transitions,operations,theta,parameters}.toml";

/// What one layer of files (the built-in knowledge base, or an overlay) contributes.
#[derive(Default)]
struct Layer {
    axes: Option<([Names; CONCEPT_COUNT], [Names; SCENE_COUNT])>,
    technologies: BTreeMap<String, (Technology, Vec<PendingRef>)>,
    scenarios: BTreeMap<String, (Scenario, Vec<PendingRef>)>,
    cases: BTreeMap<String, (PracticeCase, Vec<PendingRef>)>,
    tables: [Option<(TableValue, Vec<PendingRef>)>; 6],
    /// Whether a file was given for axes.toml and for each table, valid or not: a broken file
    /// is reported for what is wrong with it, not as missing.
    axes_given: bool,
    tables_given: [bool; 6],
    /// Ids of technologies whose file was read but had problems: references to them are not
    /// reported as unknown ids on top of the problems of the file itself.
    broken_technologies: BTreeSet<String>,
    /// References made by files that had problems: still checked, so one run shows every
    /// problem of a file, not only those found before its first one.
    broken_refs: Vec<PendingRef>,
}

// Boxed-free on purpose: a handful of tables exist per load, so the size difference costs nothing.
#[allow(clippy::large_enum_variant)]
enum TableValue {
    Relations(crate::tables::Relations),
    Attributes(crate::tables::Attributes),
    Transitions(crate::tables::Transitions),
    Operations(Vec<crate::tables::Operation>),
    Theta(ThetaTable),
    Parameters(crate::tables::Parameters),
}

/// The kinds of files that hold one entry with an id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum EntryKind {
    Technology,
    Scenario,
    Case,
}

impl EntryKind {
    fn noun(self) -> &'static str {
        match self {
            EntryKind::Technology => "technology",
            EntryKind::Scenario => "scenario",
            EntryKind::Case => "case",
        }
    }
}

// One value per file read, moved into its map at once: the size difference costs nothing.
#[allow(clippy::large_enum_variant)]
enum Entry {
    Technology(Technology),
    Scenario(Scenario),
    Case(PracticeCase),
}

fn parse<T: DeserializeOwned>(r: &mut FileReporter, text: &str) -> Option<T> {
    match toml::from_str::<T>(text) {
        Ok(v) => Some(v),
        Err(e) => {
            r.toml_error(&e);
            None
        }
    }
}

/// Reads one layer; files with problems are left out and their problems recorded.
fn read_layer(files: &[SourceFile], out: &mut Vec<Diagnostic>) -> Layer {
    let mut layer = Layer::default();
    // Where each id was first defined in this layer, to report duplicates at the second one.
    let mut first_seen: BTreeMap<(EntryKind, String), String> = BTreeMap::new();
    for f in files {
        let mut r = FileReporter::new(&f.display, &f.text, out);
        let Some(role) = role_of(&f.path) else {
            r.file(
                "",
                "is not in a place the knowledge base reads".into(),
                LAYOUT,
            );
            continue;
        };
        let mut refs = Vec::new();
        match role {
            Role::Axes => {
                layer.axes_given = true;
                if let Some(raw) = parse(&mut r, &f.text) {
                    layer.axes = check::axes_from_raw(&mut r, &raw);
                }
            }
            Role::Technology | Role::Scenario | Role::Case => {
                let kind = match role {
                    Role::Technology => EntryKind::Technology,
                    Role::Scenario => EntryKind::Scenario,
                    _ => EntryKind::Case,
                };
                let parsed = match kind {
                    EntryKind::Technology => parse::<RawTechnology>(&mut r, &f.text).map(|raw| {
                        let entry = check::technology_from_raw(&mut r, &raw, &mut refs);
                        (raw.id, entry.map(Entry::Technology))
                    }),
                    EntryKind::Scenario => parse::<RawScenario>(&mut r, &f.text).map(|raw| {
                        let entry = check::scenario_from_raw(&mut r, &raw, &mut refs);
                        (raw.id, entry.map(Entry::Scenario))
                    }),
                    EntryKind::Case => parse::<RawCase>(&mut r, &f.text).map(|raw| {
                        let entry = check::case_from_raw(&mut r, &raw, &mut refs);
                        (raw.id, entry.map(Entry::Case))
                    }),
                };
                let is_tech = kind == EntryKind::Technology;
                let Some((id, entry)) = parsed else {
                    // The file does not parse, so its id is unknown; the file name stands in.
                    if let (true, Some(stem)) = (is_tech, f.path.rsplit('/').next()) {
                        let stem = stem.trim_end_matches(".toml");
                        layer.broken_technologies.insert(stem.to_string());
                    }
                    continue;
                };
                let key = (kind, id.get_ref().clone());
                // An overlay file `k3s.toml` with another id adds an entry instead of
                // replacing k3s: say so rather than let the user believe k3s was changed.
                // (An invalid id is reported as such; a misnamed copy of a file is reported
                // as misnamed, not as a duplicate of the file it was copied from.)
                let stem = f.path.rsplit('/').next().unwrap_or("");
                let misnamed = stem.strip_suffix(".toml") != Some(key.1.as_str());
                if misnamed && check::is_valid_id(&key.1) {
                    r.at(
                        id.span(),
                        "id",
                        format!("id '{}' differs from the file name '{stem}'", key.1),
                        &format!("the file named after its id ({}.toml)", key.1),
                    );
                } else if let Some(first) = first_seen.get(&key) {
                    r.at(
                        id.span(),
                        "id",
                        format!(
                            "duplicate {} id '{}', first defined in {first}",
                            kind.noun(),
                            key.1
                        ),
                        "ids that are unique within a directory",
                    );
                    continue;
                } else {
                    first_seen.insert(key.clone(), f.display.clone());
                }
                match entry {
                    Some(Entry::Technology(t)) => {
                        layer.technologies.insert(t.id.clone(), (t, refs));
                    }
                    Some(Entry::Scenario(s)) => {
                        layer.scenarios.insert(s.id.clone(), (s, refs));
                    }
                    Some(Entry::Case(c)) => {
                        layer.cases.insert(c.id.clone(), (c, refs));
                    }
                    None => {
                        if is_tech {
                            layer.broken_technologies.insert(key.1);
                        }
                        layer.broken_refs.append(&mut refs);
                    }
                }
            }
            Role::Table(i) => {
                layer.tables_given[i] = true;
                let value = match i {
                    0 => parse(&mut r, &f.text)
                        .and_then(|raw| check::relations_from_raw(&mut r, &raw))
                        .map(TableValue::Relations),
                    1 => parse(&mut r, &f.text)
                        .and_then(|raw| check::attributes_from_raw(&mut r, &raw))
                        .map(TableValue::Attributes),
                    2 => parse(&mut r, &f.text)
                        .and_then(|raw| check::transitions_from_raw(&mut r, &raw, &mut refs))
                        .map(TableValue::Transitions),
                    3 => parse(&mut r, &f.text)
                        .and_then(|raw| check::operations_from_raw(&mut r, &raw))
                        .map(TableValue::Operations),
                    4 => parse(&mut r, &f.text)
                        .and_then(|raw| check::theta_from_raw(&mut r, &raw))
                        .map(TableValue::Theta),
                    _ => parse(&mut r, &f.text)
                        .and_then(|raw| check::parameters_from_raw(&mut r, &raw))
                        .map(TableValue::Parameters),
                };
                match value {
                    Some(v) => layer.tables[i] = Some((v, refs)),
                    None => layer.broken_refs.append(&mut refs),
                }
            }
        }
    }
    layer
}

/// Loads a complete knowledge base from one set of files (no built-in underneath).
///
/// Every problem is reported, not just the first; the knowledge base is returned only when there
/// is none.
pub fn load(files: &[SourceFile]) -> Result<KnowledgeBase, Diagnostics> {
    load_layers(&[files])
}

/// Loads `base` with `overlay` on top: overlay entries with a new id are added, entries with an
/// existing id replace the base entry, overlay table files replace the base table file.
pub fn load_overlay(
    base: &[SourceFile],
    overlay: &[SourceFile],
) -> Result<KnowledgeBase, Diagnostics> {
    load_layers(&[base, overlay])
}

fn load_layers(layers: &[&[SourceFile]]) -> Result<KnowledgeBase, Diagnostics> {
    let mut out = Vec::new();
    let mut merged = Layer::default();
    for files in layers {
        let layer = read_layer(files, &mut out);
        if layer.axes.is_some() {
            merged.axes = layer.axes;
        }
        merged.axes_given |= layer.axes_given;
        for (given, g) in merged.tables_given.iter_mut().zip(layer.tables_given) {
            *given |= g;
        }
        merged.broken_technologies.extend(layer.broken_technologies);
        merged.broken_refs.extend(layer.broken_refs);
        merged.technologies.extend(layer.technologies);
        merged.scenarios.extend(layer.scenarios);
        merged.cases.extend(layer.cases);
        for (slot, table) in merged.tables.iter_mut().zip(layer.tables) {
            if table.is_some() {
                *slot = table;
            }
        }
    }
    // A part is missing when no layer has a file for it; a file with an error is already
    // reported and is not reported again as missing.
    {
        let origin = layers
            .last()
            .and_then(|l| l.first())
            .map(|f| {
                f.display
                    .trim_end_matches(&f.path)
                    .trim_end_matches('/')
                    .to_string()
            })
            .unwrap_or_default();
        let missing = |what: &str| Diagnostic {
            file: if origin.is_empty() {
                what.to_string()
            } else {
                format!("{origin}/{what}")
            },
            line: None,
            column: None,
            field: String::new(),
            message: "is missing".into(),
            expected: "a complete knowledge base (see docs/knowledge-base.md)".into(),
        };
        if !merged.axes_given {
            out.push(missing("axes.toml"));
        }
        for (name, given) in TABLE_FILES.iter().zip(merged.tables_given) {
            if !given {
                out.push(missing(name));
            }
        }
    }
    check_references(&merged, &mut out);
    if !out.is_empty() {
        // Reference problems are found after every file is read, and a table's rows are
        // checked in key order: put everything back in file order, then line order.
        let files: Vec<&str> = layers
            .iter()
            .flat_map(|l| l.iter().map(|f| f.display.as_str()))
            .collect();
        out.sort_by_key(|d| {
            let file = files.iter().position(|f| *f == d.file);
            (file.unwrap_or(usize::MAX), d.line, d.column)
        });
        return Err(Diagnostics(out));
    }
    let (concepts, scenes) = merged.axes.expect("checked above");
    let mut tables = merged.tables.into_iter().map(|t| t.map(|(v, _)| v));
    let mut next = || tables.next().flatten();
    let (
        Some(TableValue::Relations(relations)),
        Some(TableValue::Attributes(attributes)),
        Some(TableValue::Transitions(transitions)),
        Some(TableValue::Operations(operations)),
        Some(TableValue::Theta(theta)),
        Some(TableValue::Parameters(parameters)),
    ) = (next(), next(), next(), next(), next(), next())
    else {
        unreachable!("each table slot holds its own kind and all were checked present")
    };
    Ok(KnowledgeBase {
        concepts,
        scenes,
        technologies: merged.technologies.into_values().map(|(t, _)| t).collect(),
        scenarios: merged.scenarios.into_values().map(|(s, _)| s).collect(),
        cases: merged.cases.into_values().map(|(c, _)| c).collect(),
        tables: Tables {
            relations,
            attributes,
            transitions,
            operations,
            theta,
            parameters,
        },
    })
}

/// Checks that every id an entry refers to exists (after the overlay), and that no technology
/// requires or conflicts with itself. Chain-transition columns must name chains.
fn check_references(merged: &Layer, out: &mut Vec<Diagnostic>) {
    let techs = &merged.technologies;
    let known = || techs.keys().cloned().collect::<Vec<_>>().join(", ");
    let mut report = |p: &PendingRef, message: String, expected: String| {
        out.push(Diagnostic {
            file: p.file.clone(),
            line: Some(p.line),
            column: Some(p.column),
            field: p.field.clone(),
            message,
            expected,
        })
    };
    let tech_refs = techs.values().flat_map(|(_, r)| r);
    let scenario_refs = merged.scenarios.values().flat_map(|(_, r)| r);
    let case_refs = merged.cases.values().flat_map(|(_, r)| r);
    let table_refs = merged.tables.iter().flatten().flat_map(|(_, r)| r);
    let refs = tech_refs
        .chain(scenario_refs)
        .chain(case_refs)
        .chain(table_refs);
    for p in refs.chain(&merged.broken_refs) {
        if p.to_scenario {
            if !merged.scenarios.contains_key(&p.id) {
                let ids: Vec<&str> = merged.scenarios.keys().map(String::as_str).collect();
                report(
                    p,
                    format!("unknown scenario id '{}'", p.id),
                    format!("one of {}", ids.join(", ")),
                );
            }
            continue;
        }
        match techs.get(&p.id) {
            None if merged.broken_technologies.contains(&p.id) => {}
            None => report(
                p,
                format!("unknown technology id '{}'", p.id),
                format!("one of {}", known()),
            ),
            Some(_) if p.id == p.owner => report(
                p,
                format!("'{}' refers to itself", p.id),
                "another technology's id".into(),
            ),
            Some((t, _))
                if p.field.starts_with("chain_transition") && t.kind != TechKind::Chain =>
            {
                report(
                    p,
                    format!("'{}' is an addon, not a chain", p.id),
                    "the id of a chain".into(),
                )
            }
            Some(_) => {}
        }
    }
    report_requires_cycles(merged, out);
}

/// A cycle in `requires` (a needs b, b needs a) makes every stack with either member unbuildable
/// by the rule "an addon needs what it requires"; report each cycle once, at its first member.
fn report_requires_cycles(merged: &Layer, out: &mut Vec<Diagnostic>) {
    let techs = &merged.technologies;
    let mut reported: BTreeSet<String> = BTreeSet::new();
    for start in techs.keys() {
        // Depth-first walk from `start`, looking for a way back to it.
        let mut stack: Vec<(String, Vec<String>)> = vec![(start.clone(), vec![start.clone()])];
        let mut seen: BTreeSet<String> = BTreeSet::new();
        while let Some((id, path)) = stack.pop() {
            let Some((t, _)) = techs.get(&id) else {
                continue;
            };
            for next in &t.requires {
                // A technology requiring itself directly is reported as a self-reference.
                if *next == id {
                    continue;
                }
                if next == start && !reported.contains(start) {
                    reported.extend(path.iter().cloned());
                    let (root, root_refs) = &techs[start];
                    let place = root_refs.iter().find(|r| r.field.starts_with("requires"));
                    let mut cycle = path.clone();
                    cycle.push(start.clone());
                    out.push(Diagnostic {
                        file: place.map(|p| p.file.clone()).unwrap_or_default(),
                        line: place.map(|p| p.line),
                        column: place.map(|p| p.column),
                        field: "requires".into(),
                        message: format!(
                            "'{}' requires itself through {}",
                            root.id,
                            cycle.join(" -> ")
                        ),
                        expected: "requirements without a cycle".into(),
                    });
                } else if seen.insert(next.clone()) {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next.clone(), p));
                }
            }
        }
    }
}
