//! The `session-sim` binary: first line, demo defaults, tokens and a fixed dataset.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use session_sim::{demo, Dataset, DatasetSpec};

struct Running {
    child: Child,
    /// Kept open so the binary's stdout stays writable.
    _out: BufReader<std::process::ChildStdout>,
    base: String,
    lines: Vec<String>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run(args: &[&str]) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_session-sim"))
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    for _ in 0..4 {
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        lines.push(line.trim_end().to_string());
    }
    let base = lines[0]
        .strip_prefix("listening on ")
        .expect("first line")
        .to_string();
    Running {
        child,
        _out: out,
        base,
        lines,
    }
}

#[tokio::test]
async fn binary_prints_the_listening_line_first_then_the_demo_defaults() {
    let sim = run(&["--addr", "127.0.0.1:0", "--tickets", "60"]);
    assert!(
        sim.base.starts_with("http://127.0.0.1:"),
        "{}",
        sim.lines[0]
    );
    assert!(
        sim.lines[0]
            .rsplit(':')
            .next()
            .unwrap()
            .parse::<u16>()
            .unwrap()
            > 0
    );
    assert!(sim.lines.iter().any(|l| l.contains(demo::TENANT_ID)));
    assert!(sim
        .lines
        .iter()
        .any(|l| l.contains(demo::SCAN_TOKEN) && l.contains("ticket.scan")));
    assert!(sim.lines.iter().any(|l| l.starts_with("event: evt_")));
    let resp = reqwest::Client::new()
        .get(format!("{}/users/me", sim.base))
        .header("x-tenant-id", demo::TENANT_ID)
        .bearer_auth(demo::SCAN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
}

#[tokio::test]
async fn binary_serves_a_fixed_dataset_with_the_given_tokens_and_tenant() {
    let ds = Dataset::generate(&DatasetSpec {
        seed: 3,
        tickets: 40,
        ..DatasetSpec::default()
    });
    let ticket = ds.ticket_ids(0, session_api::TicketStatus::Active)[0].clone();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("event.json");
    ds.write_import_json(0, &mut std::fs::File::create(&file).unwrap())
        .unwrap();
    let tenant = "tnt_01jzzzzzzzzzzzzzzzzzzzzzzz";
    let sim = run(&[
        "--data",
        file.to_str().unwrap(),
        "--tenant",
        tenant,
        "--token",
        "door-7=ticket.scan,ticket.read",
    ]);
    let client = reqwest::Client::new();
    let get = |token: &str| {
        client
            .get(format!("{}/tickets/{ticket}", sim.base))
            .header("x-tenant-id", tenant)
            .bearer_auth(token)
            .send()
    };
    assert_eq!(get("door-7").await.unwrap().status().as_u16(), 200);
    assert_eq!(
        get(demo::SCAN_TOKEN).await.unwrap().status().as_u16(),
        401,
        "given tokens replace the demo one"
    );
}
