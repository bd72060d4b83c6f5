//! `stackmatrix report`'s planning sections from the binary: `--from CHAIN` walks from that chain
//! to the top chain with the numbers `migrate -o json` gives, `--min-score X` is the cheapest
//! stack's threshold with the numbers `recommend --min-cost -o json` gives, and bad values are
//! usage errors (exit 2) that name the flag.

use crate::common;

use stackmatrix_api::numbers::fixed;

#[test]
fn from_gives_the_cheapest_path_to_the_top_chain() {
    let rank = common::ok_json(&["rank", "--scenario", "multitenant", "-o", "json"]);
    let top = rank["ranking"][0]["id"].as_str().unwrap().to_string();
    let md = common::ok_stdout(&["report", "--scenario", "multitenant", "--from", "docker"]);
    let m = common::ok_json(&["migrate", "--from", "docker", "--to", &top, "-o", "json"]);
    let total = common::num(&m["path"]["total"]);
    let section = &md[md.find("## Migration").expect("a migration section")..];
    assert!(
        section.contains("| **cheapest** | **`docker` →("),
        "{section}"
    );
    let first_step = common::num(&m["path"]["steps"][0]["difficulty"]);
    assert!(
        section.contains(&format!("`docker` →({first_step})")),
        "{section}"
    );
    let shown = format!(
        "| **{}** |",
        fixed(total, 4).trim_end_matches('0').trim_end_matches('.')
    );
    assert!(section.contains(&shown), "{shown} in {section}");
    // Without --from: the two tables compared, with the correlations of migrate --compare.
    let md = common::ok_stdout(&["report", "--scenario", "edge"]);
    let c = common::ok_json(&["migrate", "--compare", "-o", "json"]);
    let tau = fixed(common::num(&c["kendall_tau_b"]), 4);
    assert!(md.contains(&format!("Kendall's τ-b {tau}")), "{md}");
}

#[test]
fn min_score_sets_the_cheapest_stacks_threshold() {
    let md = common::ok_stdout(&["report", "--scenario", "edge", "--min-score", "8.5"]);
    let r = common::ok_json(&[
        "recommend",
        "--scenario",
        "edge",
        "--min-cost",
        "--min-score",
        "8.5",
        "-o",
        "json",
    ]);
    let members: Vec<&str> = r["stack"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    let cost = common::num(&r["min_cost"]["cost_mb"]);
    assert!(md.contains("### The cheapest stack with a score of at least 8.5\n"));
    assert!(
        md.contains(&format!("`{}`: **{cost} MB**", members.join("` + `"))),
        "{md}"
    );
    let zh = common::ok_stdout(&[
        "--lang",
        "zh",
        "report",
        "--scenario",
        "edge",
        "--min-score",
        "8.5",
    ]);
    assert!(zh.contains("### 得分至少为 8.5 的最便宜技术栈"));
}

#[test]
fn bad_from_and_min_score_are_usage_errors_naming_the_flag() {
    for (args, expected) in [
        (
            vec!["report", "--scenario", "edge", "--from", "nope"],
            "error: --from: unknown chain 'nope'; expected one of: docker",
        ),
        (
            vec!["report", "--scenario", "edge", "--min-score", "11"],
            "error: --min-score: 11 is not a score; expected a number from 0 to 10",
        ),
        (
            vec!["report", "--scenario", "hybrid", "--min-score", "8"],
            "error: --min-score: min_cost answers one stack for one environment",
        ),
    ] {
        let out = common::run(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty());
        assert!(stderr.starts_with(expected), "{args:?}: {stderr}");
    }
}
