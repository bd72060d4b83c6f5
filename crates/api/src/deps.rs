//! `deps`: the dependency relation between concepts (row depends on column), its transitive
//! closure, the groups of mutually dependent concepts and the critical chains; one concept's
//! dependencies; and whether a stack covers what a scenario's concepts depend on.

use crate::error::{ApiError, ApiResult};
use crate::numbers::short;
use crate::rank::technology_ids;
use crate::request::ScenarioRequest;
use crate::scenario::resolve;
use crate::views::{ConceptValues, ScenarioView};
use serde::{Deserialize, Serialize};
use stackmatrix_engine::{
    analyse_dependencies, dependency_coverage, dependency_relation, shortest_dependency_chain,
    stack_fit_and_score, stack_problems, DependencyAnalysis, PreparedScenario, StackProblem,
    StackRequirements,
};
use stackmatrix_model::{Concept, KnowledgeBase, Lang, Technology, CONCEPT_COUNT};

/// How the published dependency table is read.
pub const DEPENDENCY_DIRECTION: &str = "row depends on column";

/// `deps`'s default `min_fit`.
pub const DEFAULT_MIN_FIT: f64 = 0.5;

fn default_min_fit() -> f64 {
    DEFAULT_MIN_FIT
}

/// `deps`: with nothing else, the whole analysis; with `concept`, one concept's dependencies;
/// with a scenario (`scenario` or `vector`) and `tech` or `stack`, the coverage check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DepsRequest {
    /// The scenario of the coverage check (with `tech` or `stack`).
    #[serde(flatten)]
    pub scenario: ScenarioRequest,
    /// One concept key (`C`, `Theta` or `Θ`): what it depends on and what depends on it.
    #[serde(default)]
    pub concept: Option<String>,
    /// The technology of the coverage check. Give this or `stack`.
    #[serde(default)]
    pub tech: Option<String>,
    /// The stack of the coverage check: technology ids, composed by the composition rule.
    #[serde(default)]
    pub stack: Option<Vec<String>>,
    /// A concept is covered when its fit in the scenario is at least this, in [0, 1]
    /// [default: 0.5].
    #[serde(default = "default_min_fit")]
    pub min_fit: f64,
}

impl Default for DepsRequest {
    fn default() -> Self {
        DepsRequest {
            scenario: ScenarioRequest::default(),
            concept: None,
            tech: None,
            stack: None,
            min_fit: DEFAULT_MIN_FIT,
        }
    }
}

/// A concept: key, symbol and name.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ConceptRefView {
    /// Key (`Theta` for Θ).
    pub key: &'static str,
    /// Symbol (`Θ`).
    pub symbol: &'static str,
    /// Name in the chosen language.
    pub name: String,
}

/// A strongly connected group of concepts.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct DepsGroupView {
    /// Concept keys, in concept order.
    pub concepts: Vec<&'static str>,
    /// True when the members depend on each other in a cycle.
    pub cyclic: bool,
    /// The longest chain of groups below this one in the condensation DAG (0: depends on no
    /// other group).
    pub level: usize,
    /// Positions (in `groups`) of the groups this one depends on directly.
    pub depends_on: Vec<usize>,
}

/// A concept's critical dependency chain.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct DepsDepthView {
    /// The concept key.
    pub concept: &'static str,
    /// Links to its farthest prerequisite along the shortest chain (0: depends on nothing).
    pub depth: usize,
    /// That chain, concept keys from the concept to the prerequisite.
    pub chain: Vec<&'static str>,
}

/// The critical chains of the relation.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct DepsCriticalView {
    /// The greatest depth of any concept.
    pub depth: usize,
    /// The critical chains of the concepts of that depth, in concept order.
    pub chains: Vec<Vec<&'static str>>,
}

/// `deps`: the whole analysis.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct DepsView {
    /// `relation`.
    pub kind: &'static str,
    /// How the table is read: `row depends on column`.
    pub direction: &'static str,
    /// The concepts, in the order of the rows and columns.
    pub concepts: Vec<ConceptRefView>,
    /// The published table, 0/1, `relation[i][j] = 1`: concept i depends on concept j.
    pub relation: Vec<Vec<u8>>,
    /// Its transitive closure (Warshall): 1 where a chain of one or more links leads from i to j.
    pub closure: Vec<Vec<u8>>,
    /// Links in the relation.
    pub links: usize,
    /// Links in the closure.
    pub closure_links: usize,
    /// Pairs that depend on each other directly (both 1s published), keys in concept order.
    pub mutual: Vec<[&'static str; 2]>,
    /// Strongly connected groups, in topological order (dependencies first).
    pub groups: Vec<DepsGroupView>,
    /// The longest chain of groups of the condensation DAG, as positions in `groups`.
    pub group_chain: Vec<usize>,
    /// Each concept's critical chain.
    pub depths: Vec<DepsDepthView>,
    /// The relation's critical chains.
    pub critical: DepsCriticalView,
    /// The analysis in one sentence.
    pub summary: String,
}

/// A concept reached through the dependency relation.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct DepsLinkView {
    /// The concept key.
    pub concept: &'static str,
    /// Its name in the chosen language.
    pub name: String,
    /// Links along the shortest chain (1: direct).
    pub distance: usize,
    /// The shortest chain, concept keys, from the dependent concept to the concept depended on.
    pub chain: Vec<&'static str>,
}

/// `deps --concept C`: one concept's dependencies.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct DepsConceptView {
    /// `concept`.
    pub kind: &'static str,
    /// How the table is read: `row depends on column`.
    pub direction: &'static str,
    /// The concept.
    pub concept: ConceptRefView,
    /// What it depends on, directly (distance 1) and transitively, nearest first.
    pub depends_on: Vec<DepsLinkView>,
    /// What depends on it, directly and transitively, nearest first; each chain runs from the
    /// dependent concept to this one.
    pub required_by: Vec<DepsLinkView>,
    /// True when the concept depends on itself through others.
    pub cyclic: bool,
    /// The concepts of its strongly connected group (itself included).
    pub group: Vec<&'static str>,
    /// Its critical chain.
    pub critical: DepsDepthView,
    /// In one sentence.
    pub summary: String,
}

/// The stack of a coverage check.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct DepsStackView {
    /// Member ids joined by `+`.
    pub id: String,
    /// Member names in the chosen language joined by ` + `.
    pub name: String,
    /// Member ids.
    pub members: Vec<String>,
}

/// A weighed concept that needs an uncovered one.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct DepsNeedView {
    /// The weighed concept's key.
    pub concept: &'static str,
    /// The shortest chain from it to the uncovered concept.
    pub chain: Vec<&'static str>,
}

/// A dependency the stack does not cover.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct DepsUncoveredView {
    /// The concept key.
    pub concept: &'static str,
    /// Its name in the chosen language.
    pub name: String,
    /// Its fit in the scenario (below `min_fit`).
    pub fit: f64,
    /// The weighed concepts that depend on it, in concept order.
    pub needed_by: Vec<DepsNeedView>,
}

/// `deps --scenario X --stack a,b`: the coverage check.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct DepsCoverageView {
    /// `coverage`.
    pub kind: &'static str,
    /// How the table is read: `row depends on column`.
    pub direction: &'static str,
    /// The scenario as scored.
    pub scenario: ScenarioView,
    /// The stack.
    pub stack: DepsStackView,
    /// The threshold: covered means fit ≥ min_fit.
    pub min_fit: f64,
    /// The stack's fit per concept in the scenario (`s · Aᵀ` of the composed stack).
    pub fit: ConceptValues,
    /// The concepts the scenario weighs (weight > 0).
    pub weighed: Vec<&'static str>,
    /// The concepts some weighed concept depends on, transitively.
    pub required: Vec<&'static str>,
    /// True when every required concept is covered.
    pub covered: bool,
    /// The required concepts below the threshold, with who needs them and through which chain.
    pub uncovered: Vec<DepsUncoveredView>,
    /// Why the members would not form a stack by the stack rules (requires, hosts, conflicts);
    /// the coverage is computed all the same.
    pub stack_problems: Vec<String>,
    /// The verdict in one sentence.
    pub summary: String,
}

/// `deps`'s answer: one of its three views (each names itself in `kind`).
#[derive(Debug, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum DepsAnswer {
    /// The whole analysis.
    Relation(DepsView),
    /// One concept.
    Concept(DepsConceptView),
    /// The coverage check.
    Coverage(Box<DepsCoverageView>),
}

fn key(i: usize) -> &'static str {
    Concept::ALL[i].key()
}

fn keys(chain: &[usize]) -> Vec<&'static str> {
    chain.iter().map(|&i| key(i)).collect()
}

/// Concept symbols (`Θ`) of concept keys, for sentences.
fn symbols(keys: &[&str]) -> Vec<&'static str> {
    keys.iter()
        .map(|k| Concept::from_key(k).map_or("?", Concept::symbol))
        .collect()
}

fn name(kb: &KnowledgeBase, lang: Lang, i: usize) -> String {
    kb.concept_names(Concept::ALL[i]).get(lang).to_string()
}

fn concept_ref(kb: &KnowledgeBase, lang: Lang, i: usize) -> ConceptRefView {
    let c = Concept::ALL[i];
    ConceptRefView {
        key: c.key(),
        symbol: c.symbol(),
        name: name(kb, lang, i),
    }
}

fn matrix(r: &[[bool; CONCEPT_COUNT]; CONCEPT_COUNT]) -> Vec<Vec<u8>> {
    r.iter()
        .map(|row| row.iter().map(|&x| u8::from(x)).collect())
        .collect()
}

fn count(r: &[[bool; CONCEPT_COUNT]; CONCEPT_COUNT]) -> usize {
    r.iter().flatten().filter(|&&x| x).count()
}

/// The concept a request names.
pub(crate) fn find_concept(text: &str, field: &'static str) -> ApiResult<usize> {
    Concept::from_key(text.trim())
        .map(Concept::index)
        .ok_or_else(|| {
            ApiError::bad_input(
                field,
                format!(
                    "unknown concept '{}'; expected one of {}",
                    text.trim(),
                    Concept::KEYS.join(", ")
                ),
            )
        })
}

/// `deps`: the analysis, one concept, or the coverage check (see [`DepsRequest`]).
///
/// ```
/// use stackmatrix_api::{deps, DepsAnswer, DepsRequest};
/// let kb = stackmatrix_model::builtin().unwrap();
/// let DepsAnswer::Relation(v) = deps(&kb, stackmatrix_model::Lang::En, &DepsRequest::default()).unwrap() else { panic!() };
/// assert_eq!(v.direction, "row depends on column");
/// assert_eq!(v.relation[1][0], 1); // C depends on I
/// assert_eq!(v.groups.len(), 1);   // every concept depends on every other, transitively
/// ```
pub fn deps(kb: &KnowledgeBase, lang: Lang, req: &DepsRequest) -> ApiResult<DepsAnswer> {
    let relation = dependency_relation(&kb.tables.relations.dependency);
    let has_scenario = req.scenario.scenario.is_some() || req.scenario.vector.is_some();
    let has_stack = req.tech.is_some() || req.stack.is_some();
    if !has_scenario {
        if has_stack {
            return Err(ApiError::bad_input(
                "scenario",
                "a technology or stack is given without a scenario; the coverage check needs a scenario id or a scene vector",
            ));
        }
        for (given, field) in [
            (req.scenario.weights.is_some(), "weights"),
            (req.scenario.time.is_some(), "time"),
        ] {
            if given {
                return Err(ApiError::bad_input(
                    field,
                    format!("{field} is given without a scenario; it is used only by the coverage check (a scenario and a tech or stack)"),
                ));
            }
        }
        let analysis = analyse_dependencies(&relation);
        return Ok(match &req.concept {
            None => DepsAnswer::Relation(relation_view(kb, lang, &analysis)),
            Some(c) => {
                let i = find_concept(c, "concept")?;
                DepsAnswer::Concept(concept_view(kb, lang, &analysis, i))
            }
        });
    }
    if req.concept.is_some() {
        return Err(ApiError::bad_input(
            "concept",
            "a concept and a scenario are both given; expected a concept (its dependencies) or a scenario with a tech or stack (the coverage check)",
        ));
    }
    if !(req.min_fit.is_finite() && (0.0..=1.0).contains(&req.min_fit)) {
        return Err(ApiError::bad_input(
            "min_fit",
            format!(
                "{} is outside [0, 1]; expected a fit threshold such as 0.5",
                req.min_fit
            ),
        ));
    }
    let (stack_id, members) = resolve_members(kb, req.tech.as_deref(), req.stack.as_deref())?;
    let (scenario, source) = resolve(kb, &req.scenario)?;
    let fit = members_fit(kb, &members, &scenario)?;
    let requirements = StackRequirements {
        spans_environments: source.is_some_and(|s| s.spans_environments),
        ..StackRequirements::default()
    };
    let stack_problems: Vec<String> = stack_problems(&members, &requirements)
        .iter()
        .map(|p| p.to_string())
        .collect();
    let cov = dependency_coverage(&relation, &fit, &scenario.weights, req.min_fit);
    let uncovered: Vec<DepsUncoveredView> = cov
        .uncovered
        .iter()
        .map(|u| DepsUncoveredView {
            concept: key(u.concept),
            name: name(kb, lang, u.concept),
            fit: u.fit,
            needed_by: u
                .needed_by
                .iter()
                .map(|(c, chain)| DepsNeedView {
                    concept: key(*c),
                    chain: keys(chain),
                })
                .collect(),
        })
        .collect();
    let stack = DepsStackView {
        name: members
            .iter()
            .map(|m| m.name.get(lang))
            .collect::<Vec<_>>()
            .join(" + "),
        members: members.iter().map(|m| m.id.clone()).collect(),
        id: stack_id,
    };
    let summary = coverage_summary(&stack.name, &cov, &uncovered, req.min_fit, lang);
    Ok(DepsAnswer::Coverage(Box::new(DepsCoverageView {
        kind: "coverage",
        direction: DEPENDENCY_DIRECTION,
        scenario: ScenarioView::new(&scenario, lang),
        stack,
        min_fit: req.min_fit,
        fit: ConceptValues(fit),
        weighed: keys(&cov.weighed),
        required: keys(&cov.required),
        covered: cov.covered(),
        uncovered,
        stack_problems,
        summary,
    })))
}

/// The members a request names: `tech` (one) or `stack` (several), not both; ids known, none
/// twice. Errors name the field.
pub(crate) fn resolve_members<'a>(
    kb: &'a KnowledgeBase,
    tech: Option<&str>,
    stack: Option<&[String]>,
) -> ApiResult<(String, Vec<&'a Technology>)> {
    let (field, ids): (&'static str, Vec<&str>) = match (tech, stack) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_input(
                "stack",
                "a tech and a stack are both given; expected one of them",
            ))
        }
        (Some(t), None) => ("tech", vec![t.trim()]),
        (None, Some(s)) => ("stack", s.iter().map(|m| m.trim()).collect()),
        (None, None) => {
            return Err(ApiError::bad_input(
                "tech",
                "no tech and no stack; expected a technology id or a stack of technology ids",
            ))
        }
    };
    if ids.is_empty() || ids.iter().any(|i| i.is_empty()) {
        return Err(ApiError::bad_input(
            field,
            "an empty technology id; expected ids such as k3s,wasmedge",
        ));
    }
    let mut members: Vec<&Technology> = Vec::new();
    for id in &ids {
        let t = kb.technology(id).ok_or_else(|| {
            ApiError::bad_input(
                field,
                format!(
                    "unknown technology '{id}'; expected one of: {}",
                    technology_ids(kb).join(", ")
                ),
            )
        })?;
        if members.iter().any(|m| m.id == t.id) {
            return Err(ApiError::bad_input(
                field,
                format!("'{id}' is named twice; name each member once"),
            ));
        }
        members.push(t);
    }
    Ok((ids.join("+"), members))
}

/// The members' fit in the scenario by the composition rule, or bad input when some concept has
/// no row (addons without a chain).
pub(crate) fn members_fit(
    kb: &KnowledgeBase,
    members: &[&Technology],
    scenario: &PreparedScenario,
) -> ApiResult<[f64; CONCEPT_COUNT]> {
    let field = if members.len() == 1 { "tech" } else { "stack" };
    let uncovered = stack_problems(members, &StackRequirements::default())
        .into_iter()
        .find(|p| matches!(p, StackProblem::Uncovered(_)));
    if let Some(p) = uncovered {
        return Err(ApiError::bad_input(
            field,
            format!("{p}; add a chain such as k8s or k3s"),
        ));
    }
    stack_fit_and_score(members, scenario, &kb.tables.parameters)
        .map(|(fit, _)| fit)
        .ok_or_else(|| {
            ApiError::bad_input(field, "the stack cannot be scored: a concept has no row")
        })
}

fn relation_view(kb: &KnowledgeBase, lang: Lang, a: &DependencyAnalysis) -> DepsView {
    let groups: Vec<DepsGroupView> = a
        .groups
        .iter()
        .map(|g| DepsGroupView {
            concepts: keys(&g.members),
            cyclic: g.cyclic,
            level: g.level,
            depends_on: g.depends_on.clone(),
        })
        .collect();
    let depths: Vec<DepsDepthView> = a.depths.iter().map(depth_view).collect();
    let critical = DepsCriticalView {
        depth: a.critical_depth,
        chains: a.critical_chains.iter().map(|c| keys(c)).collect(),
    };
    let cyclic: Vec<&DepsGroupView> = groups.iter().filter(|g| g.cyclic).collect();
    let chain_text = |c: &Vec<&str>| symbols(c).join(" → ");
    let summary = match lang {
        Lang::En => format!(
            "{} links, {} mutual pair{}; the closure has {} of 144. {} strongly connected group{}{}. Critical chains ({} links): {}.",
            count(&a.relation),
            a.mutual.len(),
            if a.mutual.len() == 1 { "" } else { "s" },
            count(&a.closure),
            groups.len(),
            if groups.len() == 1 { "" } else { "s" },
            match cyclic.as_slice() {
                [] => ", none cyclic".to_string(),
                [g] if g.concepts.len() == CONCEPT_COUNT => ": every concept depends, transitively, on every concept (one cycle)".to_string(),
                gs => format!(", cyclic: {}", gs.iter().map(|g| symbols(&g.concepts).join(" ")).collect::<Vec<_>>().join("; ")),
            },
            critical.depth,
            if critical.chains.is_empty() { "none".to_string() } else { critical.chains.iter().map(chain_text).collect::<Vec<_>>().join("; ") },
        ),
        Lang::Zh => format!(
            "{} 条依赖，{} 对相互依赖；传递闭包 {}/144。{} 个强连通组{}。关键链（{} 步）：{}。",
            count(&a.relation),
            a.mutual.len(),
            count(&a.closure),
            groups.len(),
            match cyclic.as_slice() {
                [] => "，均无环".to_string(),
                [g] if g.concepts.len() == CONCEPT_COUNT => "：每个概念都传递地依赖于每个概念（一个环）".to_string(),
                gs => format!("，有环：{}", gs.iter().map(|g| symbols(&g.concepts).join(" ")).collect::<Vec<_>>().join("；")),
            },
            critical.depth,
            if critical.chains.is_empty() { "无".to_string() } else { critical.chains.iter().map(chain_text).collect::<Vec<_>>().join("；") },
        ),
    };
    DepsView {
        kind: "relation",
        direction: DEPENDENCY_DIRECTION,
        concepts: (0..CONCEPT_COUNT)
            .map(|i| concept_ref(kb, lang, i))
            .collect(),
        relation: matrix(&a.relation),
        closure: matrix(&a.closure),
        links: count(&a.relation),
        closure_links: count(&a.closure),
        mutual: a.mutual.iter().map(|&(i, j)| [key(i), key(j)]).collect(),
        groups,
        group_chain: a.group_chain.clone(),
        depths,
        critical,
        summary,
    }
}

fn depth_view(d: &stackmatrix_engine::ConceptDepth) -> DepsDepthView {
    DepsDepthView {
        concept: key(d.concept),
        depth: d.depth,
        chain: keys(&d.chain),
    }
}

fn concept_view(
    kb: &KnowledgeBase,
    lang: Lang,
    a: &DependencyAnalysis,
    i: usize,
) -> DepsConceptView {
    let link = |from: usize, to: usize, other: usize| -> Option<DepsLinkView> {
        let d = a.distances[from][to]?;
        (from != to).then(|| DepsLinkView {
            concept: key(other),
            name: name(kb, lang, other),
            distance: d,
            chain: keys(
                &shortest_dependency_chain(&a.relation, &a.distances, from, to)
                    .expect("a reachable concept has a chain"),
            ),
        })
    };
    let by_distance = |mut v: Vec<DepsLinkView>| {
        // Stable: concept order within a distance.
        v.sort_by_key(|l| l.distance);
        v
    };
    let depends_on = by_distance((0..CONCEPT_COUNT).filter_map(|j| link(i, j, j)).collect());
    let required_by = by_distance((0..CONCEPT_COUNT).filter_map(|j| link(j, i, j)).collect());
    let group = a
        .groups
        .iter()
        .find(|g| g.members.contains(&i))
        .expect("every concept has a group");
    let c = concept_ref(kb, lang, i);
    let direct = |v: &[DepsLinkView]| {
        v.iter()
            .filter(|l| l.distance == 1)
            .map(|l| Concept::from_key(l.concept).map_or("?", Concept::symbol))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let summary = match lang {
        Lang::En => format!(
            "{} {} depends directly on {} ({} in all, transitively); {} depend on it directly ({} in all).{}",
            c.symbol,
            c.name,
            or_none(&direct(&depends_on), "nothing"),
            depends_on.len(),
            or_none(&direct(&required_by), "none"),
            required_by.len(),
            if a.closure[i][i] { " It depends on itself through others (a cycle)." } else { "" },
        ),
        Lang::Zh => format!(
            "{} {} 直接依赖 {}（传递共 {} 个）；直接依赖它的有 {}（共 {} 个）。{}",
            c.symbol,
            c.name,
            or_none(&direct(&depends_on), "无"),
            depends_on.len(),
            or_none(&direct(&required_by), "无"),
            required_by.len(),
            if a.closure[i][i] { "它经由其他概念依赖自身（成环）。" } else { "" },
        ),
    };
    DepsConceptView {
        kind: "concept",
        direction: DEPENDENCY_DIRECTION,
        concept: c,
        depends_on,
        required_by,
        cyclic: a.closure[i][i],
        group: keys(&group.members),
        critical: depth_view(&a.depths[i]),
        summary,
    }
}

fn or_none(text: &str, none: &str) -> String {
    if text.is_empty() {
        none.to_string()
    } else {
        text.to_string()
    }
}

fn coverage_summary(
    stack: &str,
    cov: &stackmatrix_engine::DependencyCoverage,
    uncovered: &[DepsUncoveredView],
    min_fit: f64,
    lang: Lang,
) -> String {
    let list = uncovered
        .iter()
        .map(|u| {
            let symbol = Concept::from_key(u.concept).map_or("?", Concept::symbol);
            format!("{symbol} ({})", crate::numbers::fixed(u.fit, 4))
        })
        .collect::<Vec<_>>()
        .join(", ");
    match (lang, cov.covered()) {
        (Lang::En, true) => format!(
            "{stack} covers every dependency of the {} weighed concepts: all {} required concepts fit at least {}.",
            cov.weighed.len(),
            cov.required.len(),
            short(min_fit)
        ),
        (Lang::En, false) => format!(
            "{stack} leaves {} of {} required concepts below fit {}: {list}.",
            uncovered.len(),
            cov.required.len(),
            short(min_fit)
        ),
        (Lang::Zh, true) => format!(
            "{stack} 覆盖了 {} 个加权概念的全部依赖：{} 个必需概念的适配度均不低于 {}。",
            cov.weighed.len(),
            cov.required.len(),
            short(min_fit)
        ),
        (Lang::Zh, false) => format!(
            "{stack} 有 {}/{} 个必需概念的适配度低于 {}：{list}。",
            uncovered.len(),
            cov.required.len(),
            short(min_fit)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb() -> KnowledgeBase {
        stackmatrix_model::builtin().unwrap()
    }

    fn bad(e: ApiError) -> (&'static str, String) {
        match e {
            ApiError::BadInput { field, message } => (field, message),
            other => panic!("not bad input: {other:?}"),
        }
    }

    #[test]
    fn the_analysis_states_its_direction_and_the_mutual_pairs() {
        let DepsAnswer::Relation(v) = deps(&kb(), Lang::En, &DepsRequest::default()).unwrap()
        else {
            panic!("not the relation view")
        };
        assert_eq!(v.kind, "relation");
        assert_eq!(v.relation[1][0], 1);
        assert!(v.mutual.contains(&["I", "C"]));
        assert_eq!(v.links, 48);
        assert_eq!(v.closure_links, 144);
        assert_eq!(v.groups.len(), 1);
        assert!(v.summary.contains("one cycle"), "{}", v.summary);
    }

    #[test]
    fn one_concept_lists_both_directions() {
        let req = DepsRequest {
            concept: Some("C".into()),
            ..DepsRequest::default()
        };
        let DepsAnswer::Concept(v) = deps(&kb(), Lang::En, &req).unwrap() else {
            panic!("not the concept view")
        };
        // Row C: I, Q, R, P.
        let direct: Vec<&str> = v
            .depends_on
            .iter()
            .filter(|l| l.distance == 1)
            .map(|l| l.concept)
            .collect();
        assert_eq!(direct, ["I", "Q", "R", "P"]);
        assert_eq!(v.depends_on.len(), 11);
        assert!(v.cyclic);
        assert_eq!(v.required_by[0].chain.last(), Some(&"C"));
        let theta = DepsRequest {
            concept: Some("Θ".into()),
            ..DepsRequest::default()
        };
        assert!(deps(&kb(), Lang::Zh, &theta).is_ok());
    }

    #[test]
    fn coverage_reports_each_uncovered_dependency() {
        let req = DepsRequest {
            scenario: ScenarioRequest::scenario("edge"),
            tech: Some("docker".into()),
            ..DepsRequest::default()
        };
        let DepsAnswer::Coverage(v) = deps(&kb(), Lang::En, &req).unwrap() else {
            panic!("not the coverage view")
        };
        assert!(!v.covered);
        assert!(!v.uncovered.is_empty());
        for u in &v.uncovered {
            assert!(u.fit < 0.5);
            for n in &u.needed_by {
                assert_eq!(n.chain.first(), Some(&n.concept));
                assert_eq!(n.chain.last(), Some(&u.concept));
            }
        }
        let k3s = DepsRequest {
            tech: Some("k3s".into()),
            ..req.clone()
        };
        let DepsAnswer::Coverage(v) = deps(&kb(), Lang::En, &k3s).unwrap() else {
            panic!()
        };
        assert!(v.covered, "{}", v.summary);
    }

    #[test]
    fn bad_requests_name_the_field() {
        let kb = kb();
        let e = |req: DepsRequest| bad(deps(&kb, Lang::En, &req).unwrap_err());
        let edge = ScenarioRequest::scenario("edge");
        assert_eq!(
            e(DepsRequest {
                concept: Some("Z".into()),
                ..DepsRequest::default()
            })
            .0,
            "concept"
        );
        assert_eq!(
            e(DepsRequest {
                tech: Some("k3s".into()),
                ..DepsRequest::default()
            })
            .0,
            "scenario"
        );
        assert_eq!(
            e(DepsRequest {
                scenario: edge.clone(),
                ..DepsRequest::default()
            })
            .0,
            "tech"
        );
        let (field, message) = e(DepsRequest {
            scenario: edge.clone(),
            stack: Some(vec!["k3s".into(), "nope".into()]),
            ..DepsRequest::default()
        });
        assert_eq!(field, "stack");
        assert!(message.contains("unknown technology 'nope'"), "{message}");
        let (field, message) = e(DepsRequest {
            scenario: edge.clone(),
            tech: Some("istio".into()),
            ..DepsRequest::default()
        });
        assert_eq!(field, "tech");
        assert!(message.contains("a stack needs a chain"), "{message}");
        assert_eq!(
            e(DepsRequest {
                scenario: edge.clone(),
                tech: Some("k3s".into()),
                min_fit: 1.5,
                ..DepsRequest::default()
            })
            .0,
            "min_fit"
        );
        assert_eq!(
            e(DepsRequest {
                scenario: edge,
                tech: Some("k3s".into()),
                concept: Some("C".into()),
                ..DepsRequest::default()
            })
            .0,
            "concept"
        );
    }

    #[test]
    fn requests_take_their_defaults_from_json() {
        let r: DepsRequest =
            serde_json::from_str(r#"{"scenario": "edge", "stack": ["k3s", "wasmedge"]}"#).unwrap();
        assert_eq!(r.min_fit, DEFAULT_MIN_FIT);
        assert_eq!(r.stack.unwrap().len(), 2);
    }
}
