//! `stackmatrix serve` as a process: it says where it listens, answers every /v1 route with
//! the document `-o json` prints for the same request, stops with exit code 0 on SIGTERM or
//! Ctrl-C, and fails with exit code 1 and a clear message when the address is taken.
#![cfg(unix)]

use crate::common;

use common::ok_stdout;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, ChildStderr, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A running `stackmatrix serve` and the address it said it listens on.
struct Server {
    child: Child,
    addr: SocketAddr,
    stderr: mpsc::Receiver<String>,
}

/// Starts `stackmatrix [global...] serve --addr 127.0.0.1:0` and reads the address from its
/// first line on standard error.
fn start(global: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stackmatrix"))
        .args(global)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let stderr = lines_of(child.stderr.take().unwrap());
    let first = stderr
        .recv_timeout(Duration::from_secs(60))
        .expect("the server says where it listens");
    let addr = first
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line: {first}"))
        .parse()
        .expect("an address");
    Server {
        child,
        addr,
        stderr,
    }
}

/// Standard error, line by line, read on a thread.
fn lines_of(stderr: ChildStderr) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

impl Server {
    /// GET over a fresh connection: the status and the body.
    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(self.addr).expect("connects");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("the answer reads");
        let text = String::from_utf8(raw).expect("UTF-8");
        let (head, body) = text.split_once("\r\n\r\n").expect("head and body");
        let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
        assert!(
            !head
                .to_ascii_lowercase()
                .contains("transfer-encoding: chunked"),
            "{head}"
        );
        (status, body.to_string())
    }

    fn get_json(&self, path: &str) -> Value {
        let (status, body) = self.get(path);
        assert_eq!(status, 200, "{path}: {body}");
        serde_json::from_str(&body).expect("a JSON body")
    }

    /// Sends a signal and waits for the exit code; the rest of standard error.
    fn stop(mut self, signal: &str) -> (Option<i32>, String) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(30);
        let code = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s.code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not stop within 30 s of {signal}");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let rest: Vec<String> = self.stderr.try_iter().collect();
        (code, rest.join("\n"))
    }
}

/// The same document from the command line.
fn cli_json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["-o", "json"]);
    serde_json::from_str(&ok_stdout(&all)).expect("JSON")
}

#[test]
fn serve_answers_as_the_command_line_does_and_stops_on_sigterm() {
    let server = start(&[]);
    assert_eq!(server.addr.ip().to_string(), "127.0.0.1");
    assert_ne!(server.addr.port(), 0);
    let pairs: &[(&str, &[&str])] = &[
        (
            "/v1/rank?scenario=edge&explain=true",
            &["rank", "--scenario", "edge", "--explain"],
        ),
        (
            "/v1/rank?vector=edge=2,prod=1&weights=R=2&time=blend",
            &[
                "rank",
                "--vector",
                "edge=2,prod=1",
                "--weights",
                "R=2",
                "--time",
                "blend",
            ],
        ),
        (
            "/v1/rank?scenario=edge&stacks=k8s%2Bistio,k3s",
            &["rank", "--scenario", "edge", "--stacks", "k8s+istio,k3s"],
        ),
        (
            "/v1/explain?scenario=edge&tech=k8s",
            &["explain", "--scenario", "edge", "--tech", "k8s"],
        ),
        (
            "/v1/recommend?scenario=edge&max_size=3&exclude=k3s",
            &[
                "recommend",
                "--scenario",
                "edge",
                "--max-size",
                "3",
                "--exclude",
                "k3s",
            ],
        ),
        (
            "/v1/recommend?scenario=hybrid",
            &["recommend", "--scenario", "hybrid"],
        ),
        ("/v1/techs?lang=zh", &["--lang", "zh", "list", "techs"]),
        ("/v1/scenarios", &["list", "scenarios"]),
        ("/v1/concepts", &["list", "concepts"]),
        ("/v1/scenes", &["list", "scenes"]),
        (
            "/v1/techs/k3s?time=blend",
            &["show", "k3s", "--time", "blend"],
        ),
        ("/v1/cases", &["cases", "list"]),
        ("/v1/cases/inspur-edge", &["cases", "show", "inspur-edge"]),
        ("/v1/cases/validate", &["cases", "validate"]),
        (
            "/v1/cases/inspur-edge/validate",
            &["cases", "validate", "inspur-edge"],
        ),
        ("/v1/audit", &["audit"]),
    ];
    for (path, args) in pairs {
        assert_eq!(server.get_json(path), cli_json(args), "{path} vs {args:?}");
    }
    // The page and the health check.
    let (status, page) = server.get("/");
    assert_eq!(status, 200);
    assert!(page.to_ascii_lowercase().contains("<html"), "{page}");
    assert_eq!(server.get_json("/healthz")["status"], "ok");
    // An error is JSON.
    let (status, body) = server.get("/v1/rank?scenario=nope");
    assert_eq!(status, 400);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["error"],
        "not_found"
    );
    let (code, stderr) = server.stop("-TERM");
    assert_eq!(code, Some(0), "stderr: {stderr}");
    assert!(stderr.contains("shutting down"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn ctrl_c_stops_it_and_lang_sets_the_default_language() {
    let server = start(&["--lang", "zh"]);
    assert_eq!(
        server.get_json("/v1/scenes"),
        cli_json(&["--lang", "zh", "list", "scenes"])
    );
    assert_eq!(
        server.get_json("/v1/scenes?lang=en"),
        cli_json(&["list", "scenes"])
    );
    let (code, stderr) = server.stop("-INT");
    assert_eq!(code, Some(0), "stderr: {stderr}");
}

#[test]
fn a_busy_address_is_exit_1_with_a_clear_message() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_stackmatrix"))
        .args(["serve", "--addr", &addr])
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("cannot listen on {addr}")) && stderr.contains("already in use"),
        "{stderr}"
    );
    assert!(!stderr.contains("listening on"), "{stderr}");
    // A bad --model is refused before anything is bound.
    let out = Command::new(env!("CARGO_BIN_EXE_stackmatrix"))
        .args(["--model", "/no/such/dir", "serve", "--addr", "127.0.0.1:0"])
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--model"));
}
