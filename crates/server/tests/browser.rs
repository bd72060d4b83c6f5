//! The web page in a real browser: the server runs in-process, chromedriver drives headless
//! Chromium over WebDriver (the `fantoccini` crate), and the test uses the page as a person
//! would: it waits for the ranking, picks another decision method in the Methods panel, opens
//! the Robustness panel and runs it (the verdict is the API's, each chain's acceptabilities add
//! up to 100 %), moves the edge slider with the keyboard, sees the ranking change, switches to
//! Chinese, checks that the URL holds the state and that reloading it brings the same view back,
//! and saves screenshots under `target/browser/`. A second test loads the planning panels
//! (migration tables compared, scene adaptation, risk, cost, dependencies, operations, Θ), uses
//! their controls (the derived table, one more operation, learning Θ from the example rows) and
//! checks every figure they show against the JSON of the same route.
//!
//! Without `/usr/bin/chromedriver` and `/usr/bin/chromium` (Debian's `chromium-driver` and
//! `chromium`; `STACKMATRIX_CHROMEDRIVER` and `STACKMATRIX_CHROMIUM` name others) the test prints
//! why it is skipped and passes, unless `STACKMATRIX_REQUIRE_BROWSER=1` is set (as `.ci/run`
//! does), when it fails.

use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use stackmatrix_server::{router, AppState};
use std::net::{SocketAddr, TcpListener as StdListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
/// How long any one thing may take to appear on the page.
const PATIENCE: Duration = Duration::from_secs(20);

/// The browser's binaries, or why the test cannot run.
fn browser() -> Result<(PathBuf, PathBuf), String> {
    let path = |var: &str, default: &str| {
        std::env::var_os(var).map_or_else(|| PathBuf::from(default), PathBuf::from)
    };
    let driver = path("STACKMATRIX_CHROMEDRIVER", CHROMEDRIVER);
    let chromium = path("STACKMATRIX_CHROMIUM", CHROMIUM);
    for (p, package) in [(&driver, "chromium-driver"), (&chromium, "chromium")] {
        if !p.exists() {
            return Err(format!(
                "{} is missing (apt-get install {package})",
                p.display()
            ));
        }
    }
    Ok((driver, chromium))
}

/// chromedriver, stopped when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    fn start(path: &Path) -> Driver {
        let port = free_port();
        let child = Command::new(path)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }

    /// Connects a WebDriver session, retrying while chromedriver starts up.
    async fn session(&self, chromium: &Path, profile: &Path) -> Client {
        let caps = json!({
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-dev-shm-usage",
                    "--hide-scrollbars",
                    "--window-size=1440,1000",
                    format!("--user-data-dir={}", profile.display()),
                ],
            }
        });
        let Value::Object(caps) = caps else {
            unreachable!()
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let deadline = Instant::now() + PATIENCE;
        loop {
            match ClientBuilder::new(connector.clone())
                .capabilities(caps.clone())
                .connect(&self.url)
                .await
            {
                Ok(client) => return client,
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("no WebDriver session at {}: {e}", self.url),
            }
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The server on a free port of 127.0.0.1, serving the built-in knowledge base.
async fn start_server() -> SocketAddr {
    let kb = Arc::new(stackmatrix_model::builtin().expect("the built-in knowledge base loads"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(AppState::new(kb));
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

/// Runs `script` in the page and returns its value.
async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
}

/// Waits until `script` returns something truthy; says what it waited for when it times out.
async fn wait_until(c: &Client, what: &str, script: &str) -> Value {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let v = js(c, script).await;
        let truthy = match &v {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::String(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            _ => true,
        };
        if truthy {
            return v;
        }
        if Instant::now() > deadline {
            let banner = js(
                c,
                "return document.getElementById('error-banner').innerText",
            )
            .await;
            panic!("timed out waiting for {what}; error banner: {banner}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

const RANKING: &str =
    "return [...document.querySelectorAll('#ranking [data-tech]')].map(b => b.dataset.tech)";

/// The Methods panel has an answer and no request is pending.
const METHODS_SETTLED: &str =
    "return document.getElementById('methods').getAttribute('aria-busy') === 'false' \
     && document.querySelectorAll('#methods tr[data-alternative]').length > 0 \
     && document.querySelectorAll('#compare .compare-table').length > 0";

const METHOD_RANKING: &str =
    "return [...document.querySelectorAll('#methods tr[data-alternative]')].map(r => r.dataset.alternative)";

/// The robustness verdict, once the analysis has answered and no run is pending.
const ROBUSTNESS_SETTLED: &str = "const b = document.getElementById('robustness'); \
     const v = b.querySelector('.verdict'); \
     return b.getAttribute('aria-busy') === 'false' && !b.classList.contains('stale') && v ? v.textContent : null";

/// The acceptabilities each chain's row displays, as numbers.
const ACCEPTABILITY: &str =
    "return [...document.querySelectorAll('#robustness tr[data-alternative]')] \
     .map(r => [...r.querySelectorAll('td.accept')].map(td => Number(td.textContent)))";

fn ids(v: &Value) -> Vec<String> {
    serde_json::from_value(v.clone()).expect("a list of ids")
}

async fn ranking(c: &Client) -> Vec<String> {
    ids(&js(c, RANKING).await)
}

/// Waits until the ranking region is filled and no request is pending, and returns its order.
async fn settled_ranking(c: &Client) -> Vec<String> {
    wait_until(
        c,
        "the ranking",
        "return document.body.dataset.ready === 'true' \
         && document.getElementById('ranking').getAttribute('aria-busy') === 'false' \
         && document.querySelectorAll('#ranking [data-tech]').length > 0",
    )
    .await;
    ranking(c).await
}

async fn text(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

fn screenshots_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("browser");
    std::fs::create_dir_all(&dir).expect("target/browser can be created");
    dir
}

/// A screenshot of the whole page at `width` CSS pixels: the window is made as tall as the page.
async fn screenshot(c: &Client, width: u32, file: &Path) {
    c.set_window_size(width, 900).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    // The window's height includes whatever the browser draws around the page: measure it.
    let sizes = js(
        c,
        "return [document.documentElement.scrollHeight, window.outerHeight - window.innerHeight]",
    )
    .await;
    let page = sizes[0].as_u64().unwrap_or(3000).clamp(600, 12_000) as u32;
    let frame = sizes[1].as_u64().unwrap_or(0).min(400) as u32;
    c.set_window_size(width, page + frame).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let png = c.screenshot().await.unwrap();
    std::fs::write(file, png).unwrap();
    println!("screenshot: {}", file.display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_ranks_follows_the_sliders_speaks_chinese_and_restores_from_its_url() {
    let (driver_path, chromium) = match browser() {
        Ok(found) => found,
        Err(why) => {
            if std::env::var("STACKMATRIX_REQUIRE_BROWSER").as_deref() == Ok("1") {
                panic!("STACKMATRIX_REQUIRE_BROWSER=1 but the browser is not installed: {why}");
            }
            eprintln!("skipped: the browser test needs Chromium and chromedriver: {why}");
            return;
        }
    };
    let addr = start_server().await;
    let driver = Driver::start(&driver_path);
    let profile = tempfile::tempdir().unwrap();
    let c = driver.session(&chromium, profile.path()).await;
    let shots = screenshots_dir();
    let base = format!("http://{addr}/");

    // The page opens on the edge scenario: K3s first with 8.7500, as the seed's edge analysis.
    c.goto(&base).await.unwrap();
    let edge = settled_ranking(&c).await;
    assert_eq!(
        edge,
        ["k3s", "wasmedge", "opa", "multitenant", "k8s", "docker"]
    );
    let top = text(&c, "#ranking [data-tech='k3s'] .rank-score").await;
    assert_eq!(top, "8.7500");
    assert!(text(&c, "#recommend").await.contains("9.0000"));

    // The Methods panel: TOPSIS by default beside WSM, and every method compared.
    wait_until(&c, "the TOPSIS ranking", METHODS_SETTLED).await;
    assert!(text(&c, "#methods .method-name")
        .await
        .starts_with("topsis"));
    let topsis = ids(&js(&c, METHOD_RANKING).await);
    assert_eq!(topsis[0], "k3s", "{topsis:?}");
    let compare_columns = js(
        &c,
        "return document.querySelectorAll('#compare .compare-table thead th').length",
    )
    .await;
    assert_eq!(
        compare_columns,
        json!(8),
        "the chain and the seven methods that rank edge"
    );
    assert!(
        text(&c, "#compare").await.contains("copras"),
        "the refused method is named"
    );
    // Another method: its name and its direction are shown, its column is marked.
    c.find(Locator::Css("#method"))
        .await
        .unwrap()
        .select_by_value("vikor")
        .await
        .unwrap();
    wait_until(
        &c,
        "the VIKOR ranking",
        &format!(
            "return document.querySelector('#methods .method-name')?.textContent.startsWith('vikor') \
             && (() => {{ {METHODS_SETTLED} }})()"
        ),
    )
    .await;
    let meta = text(&c, "#methods .method-meta").await;
    assert!(meta.contains("lower preference is better"), "{meta}");
    assert!(text(&c, "#methods thead").await.contains("Rank by VIKOR"));
    let chosen = js(
        &c,
        "return [...document.querySelector('#compare .pairs-table').querySelectorAll('tbody th')].map(t => t.textContent)",
    )
    .await;
    assert!(
        chosen.as_array().unwrap().iter().all(|t| t == "VIKOR"),
        "the pairs with the chosen method come first, read from its side: {chosen}"
    );

    // The Robustness panel: closed until opened; run with 10,000 samples and seed 7.
    assert_eq!(
        js(
            &c,
            "return document.getElementById('robustness-body').hidden"
        )
        .await,
        json!(true)
    );
    c.find(Locator::Css("#robustness-toggle"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(
        js(
            &c,
            "return document.getElementById('robustness-toggle').getAttribute('aria-expanded')"
        )
        .await,
        json!("true")
    );
    c.find(Locator::Css("#samples"))
        .await
        .unwrap()
        .select_by_value("10000")
        .await
        .unwrap();
    let seed = c.find(Locator::Css("#seed")).await.unwrap();
    seed.clear().await.unwrap();
    seed.send_keys("7").await.unwrap();
    c.find(Locator::Css("#run-robustness"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let verdict = wait_until(&c, "the robustness verdict", ROBUSTNESS_SETTLED).await;
    // The page shows the API's verdict as it is.
    let kb = stackmatrix_model::builtin().unwrap();
    let expected = stackmatrix_api::robustness(
        &kb,
        stackmatrix_model::Lang::En,
        &stackmatrix_api::request::RobustnessRequest {
            scenario: stackmatrix_api::request::ScenarioRequest::scenario("edge"),
            samples: 10_000,
            seed: 7,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(verdict, json!(expected.summary.text));
    assert!(verdict.as_str().unwrap().starts_with("K3s is first in"));
    // Each chain's acceptabilities, as displayed to one decimal, add up to 100 %.
    let rows = js(&c, ACCEPTABILITY).await;
    let rows: Vec<Vec<f64>> = serde_json::from_value(rows).unwrap();
    assert_eq!(rows.len(), 6);
    for row in &rows {
        assert_eq!(row.len(), 6);
        let sum: f64 = row.iter().sum();
        assert!(
            (sum - 100.0).abs() <= 0.05 * row.len() as f64 + 1e-9,
            "{row:?} sums to {sum}"
        );
    }
    assert_eq!(
        js(
            &c,
            "return document.querySelectorAll('#robustness .intervals .interval').length"
        )
        .await,
        json!(12)
    );
    assert!(text(&c, "#robustness")
        .await
        .contains("Weight stability of K3s"));
    assert!(text(&c, "#robustness")
        .await
        .contains("Central weights of K3s"));
    screenshot(&c, 1440, &shots.join("page-robustness.png")).await;

    // Online production: MultiTenant and OPA share first place, shown as "=1".
    c.find(Locator::Css("#scenario"))
        .await
        .unwrap()
        .select_by_value("prod")
        .await
        .unwrap();
    let prod = wait_until(
        &c,
        "the production ranking",
        &format!("const r = (() => {{ {RANKING} }})(); return r[0] === 'multitenant' ? r : null"),
    )
    .await;
    let prod = ids(&prod);
    assert_eq!(
        prod,
        ["multitenant", "opa", "k8s", "k3s", "wasmedge", "docker"]
    );
    let badges = js(
        &c,
        "return [...document.querySelectorAll('#ranking .rank-badge')].map(b => b.textContent)",
    )
    .await;
    assert_eq!(badges, json!(["=1", "=1", "3", "=4", "=4", "6"]));

    // The edge slider, by keyboard: focus it and press End (its maximum, 1). The vector becomes
    // prod 1, edge 1, shown normalised to 0.5 each, and the ranking changes.
    let slider = c.find(Locator::Css("#scene-edge")).await.unwrap();
    slider.send_keys(&Key::End).await.unwrap();
    let focused = js(&c, "return document.activeElement.id").await;
    assert_eq!(focused, json!("scene-edge"));
    let moved = wait_until(
        &c,
        "the ranking to follow the slider",
        &format!(
            "const r = (() => {{ {RANKING} }})(); \
             return r.join() !== {:?} && document.getElementById('ranking').getAttribute('aria-busy') === 'false' ? r : null",
            prod.join(",")
        ),
    )
    .await;
    let moved = ids(&moved);
    assert_eq!(
        moved,
        ["opa", "multitenant", "k3s", "wasmedge", "k8s", "docker"]
    );
    assert_eq!(
        text(&c, "#normalised").await,
        "[0, 0, 0.5, 0.5, 0, 0]",
        "the normalised vector is shown"
    );
    assert_eq!(
        js(&c, "return document.getElementById('scenario').value").await,
        json!(""),
        "a moved slider makes the vector custom"
    );

    // A bad weight is refused by the API and the page says so; a good one clears the banner.
    let weight = c.find(Locator::Css("#weight-R")).await.unwrap();
    weight.clear().await.unwrap();
    weight.send_keys("-1").await.unwrap();
    let banner = wait_until(
        &c,
        "the error banner",
        "const b = document.getElementById('error-banner'); return b.hidden ? null : b.innerText",
    )
    .await;
    assert!(
        banner.as_str().unwrap().contains("weights"),
        "the banner names the field: {banner}"
    );
    weight.clear().await.unwrap();
    weight.send_keys("2").await.unwrap();
    wait_until(
        &c,
        "the error banner to clear",
        "return document.getElementById('error-banner').hidden",
    )
    .await;

    // Select Kubernetes in the ranking and ask for a GPU.
    c.find(Locator::Css("#ranking [data-tech='k8s']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until(
        &c,
        "the radar of Kubernetes",
        "const l = document.querySelector('#radar .legend'); return l && l.textContent.includes('K8s')",
    )
    .await;
    c.find(Locator::Css("#gpu"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until(
        &c,
        "a stack with the GPU plugin",
        "const m = document.querySelector('#recommend .stack-main'); return m && m.textContent.includes('GPU')",
    )
    .await;
    let after_weights = settled_ranking(&c).await;
    screenshot(&c, 1440, &shots.join("page-en.png")).await;

    // 中文: every label switches, and the names come back in Chinese.
    c.find(Locator::Css("#lang-zh"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until(
        &c,
        "the Chinese labels",
        "return document.getElementById('ranking-title').textContent === '排名' \
         && /[\\u4e00-\\u9fff]/.test(document.querySelector('#ranking .tech-name').textContent)",
    )
    .await;
    assert_eq!(text(&c, "#recommend-title").await, "推荐技术栈");
    assert_eq!(
        js(&c, "return document.documentElement.lang").await,
        json!("zh-CN")
    );

    // The URL holds the whole state.
    let url = c.current_url().await.unwrap();
    let query: std::collections::HashMap<String, String> = url.query_pairs().into_owned().collect();
    assert_eq!(query.get("lang").map(String::as_str), Some("zh"), "{url}");
    assert_eq!(
        query.get("vector").map(String::as_str),
        Some("0,0,1,1,0,0"),
        "{url}"
    );
    assert_eq!(
        query.get("weights").map(String::as_str),
        Some("1,1,1,2,1,1,1,1,1,1,1,1"),
        "{url}"
    );
    assert_eq!(
        query.get("time").map(String::as_str),
        Some("static"),
        "{url}"
    );
    assert_eq!(query.get("tech").map(String::as_str), Some("k8s"), "{url}");
    assert_eq!(query.get("max").map(String::as_str), Some("4"), "{url}");
    assert_eq!(query.get("gpu").map(String::as_str), Some("1"), "{url}");
    assert!(!query.contains_key("scenario"), "{url}");
    assert_eq!(
        query.get("method").map(String::as_str),
        Some("vikor"),
        "{url}"
    );
    assert_eq!(query.get("robust").map(String::as_str), Some("1"), "{url}");
    assert_eq!(
        query.get("samples").map(String::as_str),
        Some("10000"),
        "{url}"
    );
    assert_eq!(query.get("seed").map(String::as_str), Some("7"), "{url}");

    // Reloading the URL restores the view.
    c.goto(url.as_str()).await.unwrap();
    let restored = settled_ranking(&c).await;
    assert_eq!(restored, after_weights);
    wait_until(
        &c,
        "the restored Chinese labels",
        "return document.getElementById('ranking-title').textContent === '排名'",
    )
    .await;
    let state = js(
        &c,
        "const v = id => document.getElementById(id); return {
            scenario: v('scenario').value,
            edge: v('scene-edge').value,
            prod: v('scene-prod').value,
            weightR: v('weight-R').value,
            time: document.querySelector('input[name=time]:checked').value,
            selected: document.querySelector('#ranking [aria-pressed=true]').dataset.tech,
            gpu: v('gpu').checked,
            max: v('max-size').value,
            zh: v('lang-zh').getAttribute('aria-pressed'),
        }",
    )
    .await;
    assert_eq!(
        state,
        json!({"scenario": "", "edge": "1", "prod": "1", "weightR": "2", "time": "static",
               "selected": "k8s", "gpu": true, "max": "4", "zh": "true"})
    );
    // The Methods panel's method and the robustness analysis come back too, in Chinese.
    let verdict = wait_until(&c, "the restored robustness verdict", ROBUSTNESS_SETTLED).await;
    assert!(verdict.as_str().unwrap().contains("排名第一"), "{verdict}");
    let panels = js(
        &c,
        "const v = id => document.getElementById(id); return {
            method: v('method').value, samples: v('samples').value, seed: v('seed').value,
            open: v('robustness-toggle').getAttribute('aria-expanded'),
        }",
    )
    .await;
    assert_eq!(
        panels,
        json!({"method": "vikor", "samples": "10000", "seed": "7", "open": "true"})
    );
    wait_until(&c, "the restored VIKOR ranking", METHODS_SETTLED).await;
    assert!(text(&c, "#methods .method-name").await.starts_with("vikor"));
    let rows: Vec<Vec<f64>> = serde_json::from_value(js(&c, ACCEPTABILITY).await).unwrap();
    for row in &rows {
        let sum: f64 = row.iter().sum();
        assert!(
            (sum - 100.0).abs() <= 0.05 * row.len() as f64 + 1e-9,
            "{row:?} sums to {sum}"
        );
    }

    // Accessible: every control has a label; nothing is wider than a 375 px screen.
    let unlabelled = js(
        &c,
        "return [...document.querySelectorAll('input, select')].filter(e => !e.labels || e.labels.length === 0).map(e => e.id)",
    )
    .await;
    assert_eq!(unlabelled, json!([]), "controls without a <label>");
    screenshot(&c, 1440, &shots.join("page-zh.png")).await;
    c.set_window_size(375, 800).await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let overflow = js(
        &c,
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
    )
    .await;
    if overflow != json!(0) {
        let wide = js(
            &c,
            "const w = document.documentElement.clientWidth; \
             return [...document.querySelectorAll('body *')] \
               .filter(e => e.getBoundingClientRect().right > w + 0.5 && !e.closest('.table-wrap')) \
               .slice(0, 8).map(e => `${e.tagName}#${e.id}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)",
        )
        .await;
        panic!("the page scrolls sideways at 375 px by {overflow} px; too wide: {wide}");
    }
    screenshot(&c, 375, &shots.join("page-375.png")).await;

    // Back to English, the shared screenshot.
    c.find(Locator::Css("#lang-en"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until(
        &c,
        "the English labels",
        "return document.getElementById('ranking-title').textContent === 'Ranking'",
    )
    .await;
    assert!(
        js(&c, "return document.getElementById('error-banner').hidden")
            .await
            .as_bool()
            .unwrap()
    );
    screenshot(&c, 1440, &shots.join("page.png")).await;

    c.close().await.unwrap();
    drop(driver);
}

/// The JSON the server answers at `path` (a POST with `body`, else a GET), through the same
/// router the page talks to.
async fn route_json(method: &str, path: &str, body: Option<Value>) -> Value {
    use tower::ServiceExt;
    let kb = Arc::new(stackmatrix_model::builtin().expect("the built-in knowledge base loads"));
    let app = router(AppState::new(kb));
    let mut req = axum::http::Request::builder().method(method).uri(path);
    let body = match body {
        Some(b) => {
            req = req.header("content-type", "application/json");
            axum::body::Body::from(b.to_string())
        }
        None => axum::body::Body::empty(),
    };
    let res = app.oneshot(req.body(body).unwrap()).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    assert!(
        status.is_success(),
        "{method} {path}: {status} {}",
        String::from_utf8_lossy(&bytes)
    );
    serde_json::from_slice(&bytes).unwrap()
}

/// The number a page element shows, parsed ("1207", "0.5225", "275 MB").
async fn shown(c: &Client, css: &str) -> f64 {
    let t = text(c, css).await;
    let number: String = t
        .trim()
        .chars()
        .take_while(|ch| ch.is_ascii_digit() || *ch == '.' || *ch == '-')
        .collect();
    number
        .parse()
        .unwrap_or_else(|e| panic!("{css} shows {t:?}, not a number ({e})"))
}

/// `shown` equals the engine's `x` written to `digits` decimals.
fn same(shown: f64, x: &Value, digits: i32, what: &str) {
    let x = x
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: {x} is not a number"));
    assert!(
        (shown - x).abs() <= 0.5 * 10f64.powi(-digits) + 1e-12,
        "{what}: the page shows {shown}, the API answers {x}"
    );
}

/// Every planning panel is there when the page is ready and no request is pending.
const PLANNING_SETTLED: &str = "const v = id => document.getElementById(id); \
     return document.body.dataset.ready === 'true' \
     && ['mig-compare', 'adapt', 'risk', 'cost', 'deps', 'ops', 'calibrate'] \
          .every(id => v(id).getAttribute('aria-busy') === 'false') \
     && ['mig-kendall', 'adapt-overall', 'risk-stack-value', 'cost-value', 'min-cost-value', \
         'deps-covered', 'ops-readiness', 'rms-calibrated', 'theta-learned'].every(id => v(id))";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_planning_panels_show_what_their_routes_answer() {
    let (driver_path, chromium) = match browser() {
        Ok(found) => found,
        Err(why) => {
            if std::env::var("STACKMATRIX_REQUIRE_BROWSER").as_deref() == Ok("1") {
                panic!("STACKMATRIX_REQUIRE_BROWSER=1 but the browser is not installed: {why}");
            }
            eprintln!("skipped: the browser test needs Chromium and chromedriver: {why}");
            return;
        }
    };
    let addr = start_server().await;
    let driver = Driver::start(&driver_path);
    let profile = tempfile::tempdir().unwrap();
    let c = driver.session(&chromium, profile.path()).await;
    let shots = screenshots_dir();
    c.goto(&format!("http://{addr}/?scenario=edge"))
        .await
        .unwrap();
    settled_ranking(&c).await;
    wait_until(&c, "the planning panels", PLANNING_SETTLED).await;

    let edge = json!({"scenario": "edge"});
    let rec = route_json("GET", "/v1/recommend?scenario=edge", None).await;
    let members = rec["stack"]["members"].clone();
    let top = route_json("GET", "/v1/rank?scenario=edge", None).await["ranking"][0]["id"].clone();

    // Migration: the two tables' correlations; the derived table's path.
    let cmp = route_json("GET", "/v1/migrate?compare=true", None).await;
    same(
        shown(&c, "#mig-kendall").await,
        &cmp["kendall_tau_b"],
        4,
        "Kendall τ-b",
    );
    same(
        shown(&c, "#mig-spearman").await,
        &cmp["spearman"],
        4,
        "Spearman ρ",
    );
    c.find(Locator::Css("label[for=mig-source-derived]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until(
        &c,
        "the derived migration path",
        "return document.querySelector('#migration .migration-source')?.dataset.source === 'derived'",
    )
    .await;
    let derived = route_json(
        "GET",
        "/v1/migrate?from=docker&to=multitenant&source=derived&alternatives=3",
        None,
    )
    .await;
    same(
        shown(&c, "#migration .path.main .path-total strong").await,
        &derived["path"]["total"],
        3,
        "the derived path's total",
    );

    // Adaptation of the recommended stack from dev to the scenario's main scene (edge).
    let adapt = route_json(
        "POST",
        "/v1/adapt",
        Some(
            json!({"stack": members, "from_scene": "dev", "to_scene": "edge", "scenario": "edge"}),
        ),
    )
    .await;
    same(
        shown(&c, "#adapt-overall").await,
        &adapt["overall"],
        4,
        "overall adaptation",
    );
    let bars = js(
        &c,
        "return [...document.querySelectorAll('#adapt li[data-concept]')].map(li => Number(li.querySelector('.value').textContent))",
    )
    .await;
    for (i, b) in bars.as_array().unwrap().iter().enumerate() {
        same(
            b.as_f64().unwrap(),
            &adapt["concepts"][i]["adaptation"],
            3,
            "a concept's adaptation",
        );
    }

    // Risk: the chains in the scenario, and the recommended stack.
    let risk = route_json("POST", "/v1/risk", Some(edge.clone())).await;
    let rows = js(
        &c,
        "return [...document.querySelectorAll('.risk-table tr[data-alternative]')].map(r => [r.dataset.alternative, Number(r.querySelector('.risk-value').textContent)])",
    )
    .await;
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), risk["ranking"].as_array().unwrap().len());
    for (row, e) in rows.iter().zip(risk["ranking"].as_array().unwrap()) {
        assert_eq!(row[0], e["id"]);
        same(row[1].as_f64().unwrap(), &e["risk"], 4, "a chain's risk");
    }
    let stack_risk = route_json(
        "POST",
        "/v1/risk",
        Some(json!({"scenario": "edge", "stack": members})),
    )
    .await;
    same(
        shown(&c, "#risk-stack-value").await,
        &stack_risk["subject"]["scenario_aware"]["risk"],
        4,
        "the stack's risk",
    );

    // Cost of the recommended stack, and the cheapest stack reaching the threshold shown.
    let cost = route_json(
        "POST",
        "/v1/cost",
        Some(json!({"scenario": "edge", "stack": members})),
    )
    .await;
    same(
        shown(&c, "#cost-value").await,
        &cost["cost_mb"],
        3,
        "the cost model",
    );
    let threshold: f64 = js(&c, "return document.getElementById('min-score').value")
        .await
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let cheapest = route_json(
        "POST",
        "/v1/recommend",
        Some(json!({"scenario": "edge", "min_cost": true, "min_score": threshold})),
    )
    .await;
    same(
        shown(&c, "#min-cost-value").await,
        &cheapest["min_cost"]["cost_mb"],
        3,
        "the cheapest stack's memory",
    );

    // Dependencies: the coverage of the recommended stack.
    let deps = route_json(
        "POST",
        "/v1/deps",
        Some(json!({"scenario": "edge", "stack": members})),
    )
    .await;
    let covered = js(
        &c,
        "return document.getElementById('deps-covered').dataset.covered",
    )
    .await;
    assert_eq!(
        covered,
        json!(deps["covered"].as_bool().unwrap().to_string())
    );
    let depth = route_json("GET", "/v1/deps", None).await["critical"]["chains"]
        .as_array()
        .unwrap()
        .len();
    let listed = js(
        &c,
        "return document.querySelectorAll('.critical-chains li').length",
    )
    .await;
    assert_eq!(listed, json!(depth));

    // Operations: the default chain on the top chain's fit; then one more operation.
    for apply in [
        json!(["build-image", "deploy-container"]),
        json!(["build-image", "deploy-container", "autoscale"]),
    ] {
        if apply.as_array().unwrap().len() == 3 {
            c.find(Locator::Css("#ops-pick"))
                .await
                .unwrap()
                .select_by_value("autoscale")
                .await
                .unwrap();
            c.find(Locator::Css("#ops-add"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            wait_until(
                &c,
                "three operations applied",
                "return document.querySelectorAll('#ops-chain li').length === 3 \
                 && document.getElementById('ops').getAttribute('aria-busy') === 'false' \
                 && new URLSearchParams(location.search).get('ops') === 'build-image,deploy-container,autoscale'",
            )
            .await;
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        let ops = route_json(
            "POST",
            "/v1/ops",
            Some(json!({"scenario": "edge", "tech": top, "apply": apply})),
        )
        .await;
        same(
            shown(&c, "#ops-readiness").await,
            &ops["readiness"],
            4,
            "readiness",
        );
        let results = js(
            &c,
            "return [...document.querySelectorAll('.ops-table tr[data-concept]')].map(r => [r.dataset.concept, Number(r.querySelector('.result').textContent)])",
        )
        .await;
        for r in results.as_array().unwrap() {
            let key = r[0].as_str().unwrap();
            same(r[1].as_f64().unwrap(), &ops["result"][key], 4, key);
        }
    }

    // Θ: the default Θ, the calibration's residuals, and Θ learned from the example rows.
    assert_eq!(text(&c, "#theta-learned").await, "Θ = 1");
    let cal = route_json("GET", "/v1/calibrate", None).await;
    same(
        shown(&c, "#rms-default").await,
        &cal["rms_default"],
        4,
        "RMS, the model's weights",
    );
    same(
        shown(&c, "#rms-calibrated").await,
        &cal["rms_calibrated"],
        4,
        "RMS, calibrated",
    );
    let rows: Vec<Value> = js(&c, "return document.getElementById('learn-rows').value")
        .await
        .as_str()
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    c.find(Locator::Css("#learn-run"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until(
        &c,
        "the learned Θ",
        "return document.getElementById('learn-loss-final')",
    )
    .await;
    let learned = route_json(
        "POST",
        "/v1/learn",
        Some(json!({"rows": rows, "loss": "mse", "optimizer": "gd"})),
    )
    .await;
    same(
        shown(&c, "#learn-loss-final").await,
        &learned["final_loss"],
        6,
        "the final loss",
    );
    let thetas = js(
        &c,
        "return [...document.querySelectorAll('.learn-table tr[data-concept]')].map(r => Number(r.querySelector('.learned').textContent))",
    )
    .await;
    for (i, t) in thetas.as_array().unwrap().iter().enumerate() {
        same(t.as_f64().unwrap(), &learned["theta"][i], 4, "a learned θ");
    }

    // The panels in Chinese, and nothing refused along the way.
    c.find(Locator::Css("#lang-zh"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until(
        &c,
        "the Chinese planning panels",
        "return document.getElementById('risk-title').textContent === '风险' \
         && document.getElementById('deps-covered')?.textContent === '已覆盖' \
         && document.querySelector('#mig-compare h3')?.textContent === '已发布与推导难度表的比较' \
         && document.querySelector('#risk-stack h3')?.textContent.startsWith('推荐技术栈') \
         && document.getElementById('ops').textContent.includes('作用于') \
         && document.querySelector('#calibrate h3')?.textContent === '概念权重校准'",
    )
    .await;
    wait_until(&c, "the planning panels in Chinese", PLANNING_SETTLED).await;
    assert_eq!(text(&c, "#theta-learned").await, "Θ = 1");
    assert!(
        js(&c, "return document.getElementById('error-banner').hidden")
            .await
            .as_bool()
            .unwrap(),
        "{}",
        text(&c, "#error-banner").await
    );
    screenshot(&c, 1440, &shots.join("page-planning-zh.png")).await;

    c.close().await.unwrap();
    drop(driver);
}
