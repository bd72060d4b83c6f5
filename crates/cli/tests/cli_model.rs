//! `stackmatrix model export|check` and `--model` overlays.

use crate::common;

use common::{exported_kb, num, ok_json, ok_stdout, run, score_of, usage_error};
use std::collections::BTreeMap;
use std::path::Path;

/// Every file under `dir`, by relative path, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The ids of the built-in technologies, as `list techs -o json` gives them.
fn builtin_tech_ids() -> Vec<String> {
    ok_json(&["list", "techs", "-o", "json"])
        .as_array()
        .expect("list techs is an array")
        .iter()
        .map(|t| t["id"].as_str().expect("an id").to_string())
        .collect()
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

#[test]
fn exported_files_check_standalone_and_as_overlay() {
    let kb = exported_kb();
    let dir = path_str(kb.path());
    let files = snapshot(kb.path());
    assert!(files.contains_key("axes.toml"));
    assert!(files.contains_key("technologies/k3s.toml"));
    assert!(files.contains_key("scenarios/edge.toml"));
    assert!(files.contains_key("tables/parameters.toml"));
    assert!(
        !files.keys().any(|k| k.ends_with(".tmp")),
        "no temporary files are left behind: {:?}",
        files.keys()
    );

    let standalone = ok_stdout(&["model", "check", "--standalone", dir]);
    assert!(standalone.starts_with("ok:"), "{standalone}");
    assert!(standalone.contains("standalone"), "{standalone}");
    let overlay = ok_stdout(&["model", "check", dir]);
    assert!(overlay.starts_with("ok:"), "{overlay}");

    let json = ok_json(&["model", "check", "--standalone", dir, "-o", "json"]);
    assert_eq!(json["ok"], true);
    assert_eq!(json["standalone"], true);
    // As many as the export wrote files for.
    let count = |dir: &str| files.keys().filter(|k| k.starts_with(dir)).count();
    assert_eq!(json["technologies"], count("technologies/"));
    assert_eq!(json["scenarios"], count("scenarios/"));
    assert_eq!(
        json["technologies"],
        builtin_tech_ids().len(),
        "the export holds every built-in technology"
    );
}

#[test]
fn exported_files_are_the_built_in_data() {
    let kb = exported_kb();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let exported = snapshot(kb.path());
    // Only the knowledge-base files; a README beside them is not part of it, nor are the fleet
    // rules (data/fleet/, printed by `stackmatrix fleet rules`).
    let mut builtin = snapshot(&data);
    builtin.retain(|path, _| path.ends_with(".toml") && !path.starts_with("fleet/"));
    assert_eq!(
        exported.keys().collect::<Vec<_>>(),
        builtin.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &exported {
        assert!(builtin[path] == *bytes, "{path} differs from data/{path}");
    }
}

#[test]
fn export_again_is_idempotent_but_protects_edits() {
    let kb = exported_kb();
    let dir = path_str(kb.path());
    let first = snapshot(kb.path());

    // Same files again: nothing to overwrite, so no --force needed.
    ok_stdout(&["model", "export", dir]);
    assert_eq!(
        snapshot(kb.path()),
        first,
        "a second export leaves identical files"
    );

    // An edited file is not overwritten without --force.
    let k3s = kb.path().join("technologies/k3s.toml");
    let edited = std::fs::read_to_string(&k3s).unwrap() + "\n# my note\n";
    std::fs::write(&k3s, &edited).unwrap();
    usage_error(
        &["model", "export", dir],
        &["k3s.toml", "would be overwritten", "--force"],
    );
    assert_eq!(
        std::fs::read_to_string(&k3s).unwrap(),
        edited,
        "the refused export left the edit alone"
    );

    ok_stdout(&["model", "export", "--force", dir]);
    assert_eq!(
        snapshot(kb.path()),
        first,
        "--force restores the built-in files"
    );
}

#[test]
fn export_onto_a_file_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "keep me").unwrap();
    usage_error(&["model", "export", path_str(&file)], &["not a directory"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
}

/// Sets the edge value (column 4) of k3s's static R row from 1.0 to `new`.
fn set_k3s_r_edge(path: &Path, new: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let old = "R     = [0.3, 0.7, 0.9, 1.0, 1.0, 0.9]";
    assert!(text.contains(old), "k3s.toml changed; update this test");
    let line = format!("R     = [0.3, 0.7, 0.9, {new}, 1.0, 0.9]");
    std::fs::write(path, text.replace(old, &line)).unwrap();
}

/// Scores of the edge scenario, with and without the overlay, and the expected k3s change.
fn check_k3s_moved(overlay: &Path) {
    // A[R][edge] goes from 1.0 to 0.4: d = -0.6. The edge vector is [0,0,0,1,0,0] and the
    // weights are equal, so the k3s score moves by 10 · d / 12 = -0.5 and nothing else moves.
    let d = 0.4 - 1.0;
    let before = ok_json(&["rank", "--scenario", "edge", "-o", "json"]);
    let after = ok_json(&[
        "--model",
        path_str(overlay),
        "rank",
        "--scenario",
        "edge",
        "-o",
        "json",
    ]);
    let moved = score_of(&after, "k3s") - score_of(&before, "k3s");
    assert!(
        (moved - 10.0 * d / 12.0).abs() <= 1e-12,
        "k3s moved by {moved}, expected {}",
        10.0 * d / 12.0
    );
    for e in common::ranking(&before) {
        let id = e["id"].as_str().unwrap();
        if id != "k3s" {
            assert_eq!(
                score_of(&after, id),
                num(&e["score"]),
                "{id} should not move"
            );
        }
    }
    // k3s fell from first (8.75) to 8.25, behind wasmedge and opa.
    assert_eq!(common::ranking(&after)[0]["id"], "wasmedge");
}

#[test]
fn overlay_of_an_edited_export_changes_one_score_exactly() {
    let kb = exported_kb();
    set_k3s_r_edge(&kb.path().join("technologies/k3s.toml"), "0.4");
    check_k3s_moved(kb.path());
}

#[test]
fn overlay_of_a_single_edited_file_changes_one_score_exactly() {
    let kb = exported_kb();
    let overlay = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(overlay.path().join("technologies")).unwrap();
    let k3s = overlay.path().join("technologies/k3s.toml");
    std::fs::copy(kb.path().join("technologies/k3s.toml"), &k3s).unwrap();
    set_k3s_r_edge(&k3s, "0.4");
    check_k3s_moved(overlay.path());
}

#[test]
fn overlay_with_a_new_technology_adds_it() {
    let kb = exported_kb();
    let overlay = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(overlay.path().join("technologies")).unwrap();
    let k3s = std::fs::read_to_string(kb.path().join("technologies/k3s.toml")).unwrap();
    assert!(k3s.contains("\nid = \"k3s\"\n"));
    let tuned = k3s.replace("\nid = \"k3s\"\n", "\nid = \"k3s-tuned\"\n");
    std::fs::write(overlay.path().join("technologies/k3s-tuned.toml"), tuned).unwrap();
    let dir = path_str(overlay.path());

    let builtin_ids = builtin_tech_ids();
    assert!(!builtin_ids.contains(&"k3s-tuned".to_string()));
    let check = ok_stdout(&["model", "check", dir]);
    assert!(check.starts_with("ok:"), "{check}");
    let count = format!(" {} technologies", builtin_ids.len() + 1);
    assert!(check.contains(&count), "{check}");

    let techs = ok_json(&["--model", dir, "list", "techs", "-o", "json"]);
    let ids: Vec<&str> = techs
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"k3s-tuned"), "{ids:?}");
    assert!(ids.contains(&"k3s"), "the built-in k3s stays: {ids:?}");
    assert_eq!(ids.len(), builtin_ids.len() + 1);

    // The copy has the same matrix, so it ties with k3s for first place on the edge.
    let ranked = ok_json(&["--model", dir, "rank", "--scenario", "edge", "-o", "json"]);
    assert_eq!(score_of(&ranked, "k3s-tuned"), score_of(&ranked, "k3s"));
    let tuned = common::ranking(&ranked)
        .iter()
        .find(|e| e["id"] == "k3s-tuned")
        .unwrap();
    assert_eq!(tuned["rank"], 1);
    assert_eq!(tuned["tied"], true);

    // Without --model the new technology is unknown.
    let out = run(&["show", "k3s-tuned"]);
    assert_eq!(out.status.code(), Some(2));
}
