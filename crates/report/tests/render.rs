//! The HTML and Markdown reports of every seed scenario (and of a vector), in both languages:
//! self-contained, well-formed, with their charts and tables, and every text escaped.

use stackmatrix_api::request::{RecommendRequest, ScenarioRequest, SceneVector};
use stackmatrix_model::Lang;
use stackmatrix_report::{
    collect, collect_with, render_html, render_markdown, ReportData, ReportOptions,
    RobustnessOptions,
};

const SEEDS: [&str; 5] = [
    "edge",
    "serverless",
    "ai-inference",
    "multitenant",
    "hybrid",
];

fn data(scenario: &str, lang: Lang) -> ReportData {
    let kb = stackmatrix_model::builtin().expect("the built-in knowledge base loads");
    let req = RecommendRequest {
        scenario: ScenarioRequest::scenario(scenario),
        ..RecommendRequest::default()
    };
    collect(&kb, lang, &req, "stackmatrix test").expect("the report collects")
}

fn vector_data() -> ReportData {
    let kb = stackmatrix_model::builtin().unwrap();
    let req = RecommendRequest {
        scenario: ScenarioRequest {
            vector: Some(SceneVector::parse_list("prod=3,edge=1").unwrap()),
            ..ScenarioRequest::default()
        },
        ..RecommendRequest::default()
    };
    collect(&kb, Lang::En, &req, "stackmatrix test").unwrap()
}

/// Elements that have no end tag in HTML.
const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Checks that every element is closed in order: a tiny tag parser over the whole document.
/// Returns how many elements of each name were opened.
fn check_balanced(html: &str) -> std::collections::BTreeMap<String, usize> {
    let mut stack: Vec<String> = Vec::new();
    let mut opened = std::collections::BTreeMap::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start..];
        let end = rest
            .find('>')
            .unwrap_or_else(|| panic!("a '<' that is never closed: {:.80}", rest));
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue; // <!DOCTYPE html>
        }
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            let top = stack
                .pop()
                .unwrap_or_else(|| panic!("</{name}> closes nothing"));
            assert_eq!(top, name, "</{name}> closes <{top}>");
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
            .to_ascii_lowercase();
        assert!(!name.is_empty(), "a stray '<' in text: <{tag}>");
        *opened.entry(name.clone()).or_insert(0) += 1;
        if tag.ends_with('/') || VOID.contains(&name.as_str()) {
            continue;
        }
        stack.push(name);
    }
    assert!(stack.is_empty(), "elements never closed: {stack:?}");
    opened
}

/// No external resource of any kind: nothing to fetch, nothing to run.
fn check_self_contained(html: &str) {
    let lower = html.to_ascii_lowercase();
    for attr in ["src=", "href="] {
        for quote in ['"', '\''] {
            for scheme in ["http:", "https:", "//", "ftp:", "data:", "file:"] {
                let pattern = format!("{attr}{quote}{scheme}");
                assert!(
                    !lower.contains(&pattern),
                    "an external reference: {pattern}"
                );
            }
        }
    }
    assert!(!lower.contains("<script"), "a script");
    assert!(!lower.contains("<link"), "a link element");
    assert!(!lower.contains("<img"), "an image element");
    assert!(!lower.contains("<iframe"), "an iframe");
    assert!(!lower.contains("@import"), "a CSS import");
    assert!(!lower.contains("@font-face"), "a web font");
    // url() is allowed only for fragments within the document (the SVG gradients).
    for (i, _) in lower.match_indices("url(") {
        assert!(
            lower[i + 4..].starts_with('#'),
            "a url() that is not a fragment: {:.40}",
            &lower[i..]
        );
    }
}

#[test]
fn every_seed_scenario_renders_a_self_contained_well_formed_html_report() {
    for scenario in SEEDS {
        for lang in [Lang::En, Lang::Zh] {
            let d = data(scenario, lang);
            let html = render_html(&d);
            let top = &d.rank.ranking[0].id;
            assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\""));
            let tag = if lang == Lang::Zh { "zh" } else { "en" };
            assert!(
                html.contains(&format!("<html lang=\"{tag}\">")),
                "{scenario}"
            );
            assert!(html.contains("<meta charset=\"utf-8\">"));
            assert!(html.contains("<title>") && html.contains("@media print"));
            check_self_contained(&html);
            let opened = check_balanced(&html);
            for one in ["html", "head", "body", "style", "main", "footer"] {
                assert_eq!(opened.get(one), Some(&1), "{scenario}: <{one}>");
            }
            let charts = opened.get("svg").copied().unwrap_or(0);
            assert!(charts >= 3, "{scenario} {lang:?}: {charts} charts");
            assert!(html.contains("id=\"chart-ranking\""));
            assert!(html.contains("id=\"chart-matrix\""));
            assert!(html.contains("id=\"chart-stacks\""));
            assert!(html.contains("-scale\""), "a heatmap legend");
            assert!(html.contains(&format!("<code>{top}</code>")), "{scenario}");
            assert!(html.contains("<section id=\"ranking\">"));
            assert!(html.contains("<section id=\"stack\">"));
            assert!(html.contains("<section id=\"cases\">"));
            assert!(html.contains("<section id=\"audit\">"), "{scenario}");
            assert!(html.contains("<section id=\"methods\">"), "{scenario}");
            assert!(html.contains("<section id=\"robustness\">"), "{scenario}");
            assert!(html.contains("id=\"chart-acceptability\""), "{scenario}");
            if scenario == "hybrid" {
                assert!(html.contains("dev") && html.contains("<th>"));
            }
        }
    }
}

#[test]
fn the_radar_compares_the_winner_with_the_best_alternative() {
    let html = render_html(&data("edge", Lang::En));
    assert!(html.contains("id=\"chart-radar\""));
    assert!(html.contains("class=\"series-top\"") && html.contains("class=\"series-alt\""));
    assert!(html.contains("Per-concept fit: K3s vs WasmEdge"));
    // The ranking chart labels every bar with its score and marks the seed's claims.
    assert!(html.contains(">8.7500</text>"));
    assert!(html.contains("seed&#39;s claimed score"));
}

#[test]
fn labels_follow_the_language() {
    let zh = render_html(&data("edge", Lang::Zh));
    assert!(zh.contains("技术链排名") && zh.contains("推荐技术栈") && zh.contains("实践案例"));
    assert!(zh.contains("由知识库计算得出"));
    let en = render_markdown(&data("edge", Lang::En));
    assert!(en.contains("## Ranking of the chains"));
    let zh = render_markdown(&data("edge", Lang::Zh));
    assert!(zh.contains("## 技术链排名"));
}

#[test]
fn every_text_is_escaped() {
    let mut d = data("edge", Lang::En);
    let hostile = "<script>alert('x')</script> & \"q\" | pipe";
    d.rank.ranking[0].name = hostile.to_string();
    d.rank.ranking[0].id = "<b>id</b>".to_string();
    d.generated_by = "<img src=\"http://x/y.png\">".to_string();
    if let Some(x) = d.rank.explanation.as_mut() {
        x.tech.name = hostile.to_string();
    }
    let html = render_html(&d);
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<b>id</b>"));
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"));
    check_self_contained(&html);
    check_balanced(&html);

    let md = render_markdown(&d);
    assert!(!md.contains("<script>"));
    assert!(md.contains(r"\| pipe"));
    // Every row of the ranking table has as many unescaped pipes as its header.
    let table: Vec<&str> = md
        .lines()
        .skip_while(|l| !l.starts_with("| Rank |"))
        .take_while(|l| l.starts_with('|'))
        .collect();
    let pipes = |l: &str| {
        let b = l.as_bytes();
        (0..b.len())
            .filter(|&i| b[i] == b'|' && (i == 0 || b[i - 1] != b'\\'))
            .count()
    };
    assert!(table.len() > 3);
    for l in &table {
        assert_eq!(pipes(l), pipes(table[0]), "{l}");
    }
}

#[test]
fn markdown_has_the_tables_numbers_to_4_decimals_and_the_provenance() {
    for scenario in SEEDS {
        let d = data(scenario, Lang::En);
        let md = render_markdown(&d);
        let top = &d.rank.ranking[0];
        assert!(md.starts_with("# Stack report: "), "{scenario}");
        assert!(md.contains(&format!("`{}`", top.id)));
        assert!(md.contains(&stackmatrix_api::numbers::fixed(top.score, 4)));
        assert!(md.contains(
            "Computed from the knowledge base; documented figures shown beside, never used as answers."
        ));
        assert!(md.contains("| Rank | Id | Technology | Score |"));
        assert!(md.contains("| ---: |"));
        assert!(!md.contains("<svg"));
        assert!(md.ends_with('\n'));
        if scenario == "hybrid" {
            assert!(md.contains("### Per-environment plan"));
            assert!(md.contains("**Shared layers:**"));
        }
    }
}

#[test]
fn a_vector_report_has_every_case_and_no_audit() {
    let d = vector_data();
    assert!(d.audit.is_none() && d.scenario.is_none());
    assert_eq!(d.cases.len(), 5);
    let md = render_markdown(&d);
    assert!(md.starts_with("# Stack report: scene vector"));
    assert!(md.contains("Every practice case, each checked in its own scenario."));
    assert!(!md.contains("## Audit"));
    let html = render_html(&d);
    check_self_contained(&html);
    check_balanced(&html);
}

#[test]
fn the_methods_and_robustness_sections_render_only_when_asked_for() {
    let kb = stackmatrix_model::builtin().unwrap();
    let req = RecommendRequest {
        scenario: ScenarioRequest::scenario("serverless"),
        ..RecommendRequest::default()
    };
    let none = ReportOptions {
        robustness: None,
        methods: false,
        planning: None,
    };
    let d = collect_with(&kb, Lang::En, &req, "stackmatrix test", &none).unwrap();
    let md = render_markdown(&d);
    assert!(!md.contains("## Robustness") && !md.contains("## Decision methods compared"));
    let html = render_html(&d);
    assert!(!html.contains("id=\"robustness\"") && !html.contains("id=\"chart-acceptability\""));
    check_balanced(&html);

    // Asked for: the api's views, rendered as they are.
    let some = ReportOptions {
        robustness: Some(RobustnessOptions {
            samples: 5_000,
            seed: 3,
        }),
        methods: true,
        planning: None,
    };
    let d = collect_with(&kb, Lang::En, &req, "stackmatrix test", &some).unwrap();
    let r = d.robustness.as_ref().unwrap();
    assert_eq!((r.samples, r.seed), (5_000, 3));
    let md = render_markdown(&d);
    assert!(
        md.contains(&format!("## Robustness\n\n{}", r.summary.text)),
        "{md}"
    );
    assert!(md.contains("SMAA-2 with 5,000 samples and seed 3"));
    assert!(md.contains("| Rank | Id | Technology | Score | #1 % |"));
    assert!(md.contains("### Weight stability of "));
    assert!(md.contains("## Decision methods compared"));
    assert!(md.contains(
        "| Method | Compared with | Spearman's rho | Kendall's tau | WS | WS reversed |"
    ));
    // Every row of the acceptability table lists one percentage per rank, as the view has it
    // (the most likely first in bold).
    let percent = |a: &stackmatrix_api::views::AcceptabilityView| -> Vec<String> {
        a.acceptability_percent
            .iter()
            .map(|p| stackmatrix_api::numbers::fixed(*p, 1))
            .collect()
    };
    let top = &r.alternatives[0];
    let cells = percent(top);
    for a in &r.alternatives {
        let row = if a.id == r.summary.most_likely_first.id {
            percent(a)
                .iter()
                .map(|c| format!("**{c}**"))
                .collect::<Vec<_>>()
                .join(" | ")
        } else {
            percent(a).join(" | ")
        };
        assert!(md.contains(&format!("| {row} |")), "{}: {row}", a.id);
    }
    let html = render_html(&d);
    check_balanced(&html);
    check_self_contained(&html);
    assert!(
        html.contains("<section id=\"methods\">") && html.contains("<section id=\"robustness\">")
    );
    // The stacked bars: one segment per chain and rank with a share above zero, each with its
    // exact value on hover.
    let chart = &html[html.find("id=\"chart-acceptability\"").unwrap()..];
    let chart = &chart[..chart.find("</svg>").unwrap()];
    let drawn = r
        .alternatives
        .iter()
        .flat_map(|a| &a.acceptability_percent)
        .filter(|p| **p > 0.0)
        .count();
    assert_eq!(chart.matches("class=\"segment\"").count(), drawn);
    assert!(chart.contains(&format!(
        "{} ({}) · Rank 1: {}%",
        top.name, top.id, cells[0]
    )));
    // The same request, the same report: the seed makes it deterministic.
    let again = collect_with(&kb, Lang::En, &req, "stackmatrix test", &some).unwrap();
    assert_eq!(render_markdown(&again), md);
}

#[test]
fn the_robustness_section_speaks_chinese() {
    let d = data("edge", Lang::Zh);
    let md = render_markdown(&d);
    assert!(md.contains("## 稳健性"), "{md}");
    assert!(md.contains("## 决策方法比较"));
    assert!(md.contains("排名第一"));
    assert!(md.contains("### K3s 轻量 Kubernetes 的权重稳定性") || md.contains("的权重稳定性"));
    let html = render_html(&d);
    assert!(html.contains("第 1 名"));
}
