//! Every integration test file of the workspace is a module of its crate's one test binary:
//! with `autotests = false`, a file left out of `tests/integration.rs` would never run.

use std::path::Path;

#[test]
fn every_test_file_is_a_module_of_its_crates_test_binary() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut checked = 0;
    for krate in std::fs::read_dir(&crates).unwrap() {
        let tests = krate.unwrap().path().join("tests");
        let Ok(files) = std::fs::read_dir(&tests) else {
            continue;
        };
        let root = std::fs::read_to_string(tests.join("integration.rs")).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; each tests/ folder has an integration.rs",
                tests.display()
            )
        });
        for file in files {
            let path = file.unwrap().path();
            let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            if path.extension().is_some_and(|e| e == "rs") && stem != "integration" {
                assert!(
                    root.lines().any(|l| l.trim() == format!("mod {stem};")),
                    "{} is not declared in {}: add `mod {stem};` there",
                    path.display(),
                    tests.join("integration.rs").display()
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 40, "only {checked} test files found");
}
