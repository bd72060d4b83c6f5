//! The planning sections of the report (risk, cost, dependencies, migration, adaptation, Θ):
//! present for every seed scenario in both languages, their figures those of the api's views,
//! `--from` and `--min-score` honoured, a learned Θ said, bad options refused by field.

use stackmatrix_api::numbers::fixed;
use stackmatrix_api::request::{RecommendRequest, ScenarioRequest, SceneVector};
use stackmatrix_api::{
    ApiError, CostRequest, DepsAnswer, DepsRequest, MigrateRequest, RiskRequest,
};
use stackmatrix_model::{KnowledgeBase, Lang};
use stackmatrix_report::{
    collect_with, render_html, render_markdown, MigrationPart, PlanningOptions, ReportData,
    ReportOptions,
};

const SEEDS: [&str; 5] = [
    "edge",
    "serverless",
    "ai-inference",
    "multitenant",
    "hybrid",
];

const SECTIONS: [&str; 6] = [
    "risk",
    "cost",
    "dependencies",
    "migration",
    "adaptation",
    "theta",
];

fn kb() -> KnowledgeBase {
    stackmatrix_model::builtin().expect("the built-in knowledge base loads")
}

fn request(scenario: &str) -> RecommendRequest {
    RecommendRequest {
        scenario: ScenarioRequest::scenario(scenario),
        ..RecommendRequest::default()
    }
}

/// The report without the slow sections, with these planning options.
fn options(planning: PlanningOptions) -> ReportOptions {
    ReportOptions {
        robustness: None,
        methods: false,
        planning: Some(planning),
    }
}

fn collect(kb: &KnowledgeBase, lang: Lang, scenario: &str, p: PlanningOptions) -> ReportData {
    collect_with(
        kb,
        lang,
        &request(scenario),
        "stackmatrix test",
        &options(p),
    )
    .expect("the report collects")
}

#[test]
fn every_seed_scenario_has_the_six_planning_sections_in_both_languages() {
    let kb = kb();
    for scenario in SEEDS {
        for lang in [Lang::En, Lang::Zh] {
            let d = collect(&kb, lang, scenario, PlanningOptions::default());
            let html = render_html(&d);
            let md = render_markdown(&d);
            for id in SECTIONS {
                assert!(
                    html.contains(&format!("<section id=\"{id}\">")),
                    "{scenario} {lang:?}: section {id}"
                );
            }
            // Still one self-contained file: no script, no external reference.
            let lower = html.to_ascii_lowercase();
            assert!(!lower.contains("<script") && !lower.contains("<link"));
            assert!(!lower.contains("src=\"http") && !lower.contains("href=\"http"));
            let heading = if lang == Lang::Zh {
                "## 风险"
            } else {
                "## Risk"
            };
            assert!(md.contains(heading), "{scenario} {lang:?}");
        }
    }
}

#[test]
fn the_risk_and_cost_figures_are_those_of_the_api() {
    let kb = kb();
    let d = collect(&kb, Lang::En, "edge", PlanningOptions::default());
    let md = render_markdown(&d);
    let scenario = ScenarioRequest::scenario("edge");
    let risk = stackmatrix_api::risk(
        &kb,
        Lang::En,
        &RiskRequest {
            scenario: scenario.clone(),
            ..RiskRequest::default()
        },
    )
    .unwrap();
    for e in &risk.ranking {
        let line = format!(
            "| `{}` | {} | {} | {} |",
            e.id,
            e.name,
            fixed(e.risk, 4),
            fixed(e.components.static_drop, 4)
        );
        assert!(md.contains(&line), "missing {line}\n{md}");
    }
    let stack = d.recommend.stack.as_ref().unwrap().members.clone();
    let cost = stackmatrix_api::cost(
        &kb,
        Lang::En,
        &CostRequest {
            scenario: scenario.clone(),
            stack: Some(stack.clone()),
            ..CostRequest::default()
        },
    )
    .unwrap();
    assert!(md.contains(&format!("**{}**", fixed(cost.attribute.score, 4))));
    let headline = cost.weightings.iter().find(|w| w.headline).unwrap();
    assert!((headline.cost_mb - cost.cost_mb).abs() < 1e-12);
    let DepsAnswer::Coverage(cov) = stackmatrix_api::deps(
        &kb,
        Lang::En,
        &DepsRequest {
            scenario,
            stack: Some(stack),
            ..DepsRequest::default()
        },
    )
    .unwrap() else {
        panic!("a coverage view")
    };
    assert!(md.contains(&cov.summary));
    // The cheapest stack: the recommended score minus the margin, the api's answer.
    let m = d.planning.as_ref().unwrap().min_cost.as_ref().unwrap();
    let best = d.recommend.stack.as_ref().unwrap().score;
    assert!((m.min_score - (best - stackmatrix_report::DEFAULT_COST_MARGIN)).abs() < 1e-12);
    let answer = m.answer.as_ref().unwrap();
    let cheapest = answer.stack.as_ref().unwrap();
    assert!(cheapest.score >= m.min_score - 1e-9);
    assert!(md.contains(&format!("`{}`: **", cheapest.members.join("` + `"))));
}

#[test]
fn migration_compares_the_tables_or_walks_from_the_given_chain() {
    let kb = kb();
    let d = collect(&kb, Lang::En, "edge", PlanningOptions::default());
    let Some(MigrationPart::Compare(c)) = &d.planning.as_ref().unwrap().migration else {
        panic!("the comparison without --from")
    };
    let md = render_markdown(&d);
    assert!(md.contains(&format!(
        "Kendall's τ-b {}",
        fixed(c.kendall_tau_b.unwrap(), 4)
    )));
    assert!(md.contains(&format!("Spearman's ρ {}", fixed(c.spearman.unwrap(), 4))));

    let d = collect(
        &kb,
        Lang::En,
        "multitenant",
        PlanningOptions {
            from: Some("docker".into()),
            ..PlanningOptions::default()
        },
    );
    let top = d.rank.ranking[0].id.clone();
    let Some(MigrationPart::Path(p)) = &d.planning.as_ref().unwrap().migration else {
        panic!("a path with --from")
    };
    let direct = stackmatrix_api::migrate(
        &kb,
        Lang::En,
        &MigrateRequest::chains("docker", top.clone()),
    )
    .unwrap();
    assert_eq!(p.to.id, top);
    let (mine, theirs) = (p.path.as_ref().unwrap(), direct.path.as_ref().unwrap());
    assert_eq!(mine.total, theirs.total);
    let md = render_markdown(&d);
    assert!(md.contains("| **cheapest** | **`docker` →("), "{md}");
    assert!(md.contains(&format!("`{top}`**")), "{md}");
}

#[test]
fn a_threshold_that_no_stack_reaches_says_so() {
    let kb = kb();
    let d = collect(
        &kb,
        Lang::En,
        "edge",
        PlanningOptions {
            min_score: Some(10.0),
            ..PlanningOptions::default()
        },
    );
    let md = render_markdown(&d);
    assert!(md.contains("### The cheapest stack with a score of at least 10\n"));
    assert!(md.contains("No stack reaches this score"), "{md}");
}

#[test]
fn bad_planning_options_are_refused_by_field() {
    let kb = kb();
    let err = collect_with(
        &kb,
        Lang::En,
        &request("edge"),
        "t",
        &options(PlanningOptions {
            from: Some("nope".into()),
            ..PlanningOptions::default()
        }),
    )
    .unwrap_err();
    assert!(
        matches!(&err, ApiError::NotFound { what: "chain", id, .. } if id == "nope"),
        "{err:?}"
    );
    let err = collect_with(
        &kb,
        Lang::En,
        &request("edge"),
        "t",
        &options(PlanningOptions {
            min_score: Some(f64::NAN),
            ..PlanningOptions::default()
        }),
    )
    .unwrap_err();
    assert!(
        matches!(
            &err,
            ApiError::BadInput {
                field: "min_score",
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn a_learned_theta_is_said_and_a_vector_lists_every_calibrated_figure() {
    let mut kb = kb();
    kb.tables.theta.value[0] = 0.5;
    let d = collect(&kb, Lang::En, "edge", PlanningOptions::default());
    assert!(d.planning.as_ref().unwrap().theta_learned);
    let md = render_markdown(&d);
    assert!(
        md.contains("The scores use a learned Θ from tables/theta.toml"),
        "{md}"
    );
    assert!(md.contains("I=0.5 C=1"));

    let kb = self::kb();
    let req = RecommendRequest {
        scenario: ScenarioRequest {
            vector: Some(SceneVector::parse_list("prod=3,edge=1").unwrap()),
            ..ScenarioRequest::default()
        },
        ..RecommendRequest::default()
    };
    let d = collect_with(
        &kb,
        Lang::En,
        &req,
        "t",
        &options(PlanningOptions::default()),
    )
    .unwrap();
    let p = d.planning.as_ref().unwrap();
    assert!(!p.theta_learned);
    let md = render_markdown(&d);
    assert!(md.contains("Every documented score:"));
    for f in &p.calibration.figures {
        assert!(
            md.contains(&format!("| `{}` | {} |", f.scenario, f.label)),
            "{}",
            f.label
        );
    }
    // The main scene of prod=3,edge=1 is prod: the top chain adapted from dev to prod.
    let a = p.adaptation.as_ref().unwrap();
    assert_eq!(a.to_scene.as_ref().unwrap().key, "prod");
    assert_eq!(a.from_scene.key, "dev");
}
