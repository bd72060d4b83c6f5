//! Calibration of concept weights against an independent numpy/scipy computation
//! (`fixtures/calibrate/make_calibration.py`, SLSQP from several starts).

use stackmatrix_engine::calibrate_weights;

#[test]
fn calibration_matches_scipy() {
    let v: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/calibrate/calibration.json")).unwrap();
    let kb = stackmatrix_model::builtin().unwrap();
    let c = calibrate_weights(&kb).unwrap();
    let figures = v["figures"].as_array().unwrap();
    assert_eq!(c.figures.len(), figures.len());
    for (ours, theirs) in c.figures.iter().zip(figures) {
        assert_eq!(ours.scenario, theirs["scenario"].as_str().unwrap());
        assert_eq!(ours.tech, theirs["tech"].as_str().unwrap());
        assert_eq!(ours.claimed, theirs["claimed"].as_f64().unwrap());
        assert!((ours.computed_default - theirs["default"].as_f64().unwrap()).abs() < 1e-9);
        for (a, b) in ours.fit.iter().zip(theirs["fit"].as_array().unwrap()) {
            assert!((a - b.as_f64().unwrap()).abs() < 1e-9);
        }
    }
    assert!((c.rms_default - v["rms_default"].as_f64().unwrap()).abs() < 1e-9);
    // The exact solution is at least as good as scipy's iterative one, and they agree.
    let scipy_rms = v["rms_calibrated"].as_f64().unwrap();
    assert!(
        c.rms_calibrated <= scipy_rms + 1e-9,
        "{} vs {scipy_rms}",
        c.rms_calibrated
    );
    assert!((c.rms_calibrated - scipy_rms).abs() < 1e-6);
    // The fitted scores are unique (the weights are not: I and C fit alike everywhere).
    for (ours, theirs) in c.figures.iter().zip(figures) {
        let b = theirs["calibrated"].as_f64().unwrap();
        assert!(
            (ours.computed_calibrated - b).abs() < 1e-6,
            "{ours:?} vs {b}"
        );
    }
    let w: Vec<f64> = v["weights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    for group in &c.interchangeable {
        let ours: f64 = group.iter().map(|k| c.weights[k.index()]).sum();
        let theirs: f64 = group.iter().map(|k| w[k.index()]).sum();
        assert!((ours - theirs).abs() < 1e-4);
    }
    for k in 0..12 {
        if !c.interchangeable.iter().flatten().any(|x| x.index() == k) {
            assert!(
                (c.weights[k] - w[k]).abs() < 1e-4,
                "{:?} vs {w:?}",
                c.weights
            );
        }
    }
    assert_eq!(
        c.interchangeable
            .iter()
            .map(|g| g.iter().map(|k| k.key()).collect::<Vec<_>>())
            .collect::<Vec<_>>(),
        vec![vec!["I", "C"]]
    );
    assert!(c.kkt_verified);
}
