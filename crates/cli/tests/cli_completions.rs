//! `stackmatrix completions`: a script for each shell, naming the program.

use crate::common;

use common::ok_stdout;

#[test]
fn bash_completions_name_the_program() {
    let out = ok_stdout(&["completions", "bash"]);
    assert!(out.contains("stackmatrix"), "{out}");
    assert!(
        out.contains("complete"),
        "a bash script registers a completion"
    );
}

#[test]
fn every_shell_gets_a_script() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = ok_stdout(&["completions", shell]);
        assert!(out.contains("stackmatrix"), "{shell}");
    }
}
