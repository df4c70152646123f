//! `usher-desktop --measure`: start-up time and memory, printed as one JSON line, then exit.
//!
//! Start-up is from `main` to the page saying its scan screen is painted (`screen_ready`).
//! Memory is the resident size of this process and of its WebKit helper processes after the
//! first sync round (a door with a token refreshes its guest list at start) and after the
//! guest search index is loaded (as the lookup screen loads it). Linux only: it reads /proc.

use std::sync::OnceLock;
use std::time::Instant;
use usher_station::Station;

static STARTED: OnceLock<Instant> = OnceLock::new();

/// Call first thing in `main`.
pub fn mark_start() {
    STARTED.get_or_init(Instant::now);
}

/// The page is usable: print the figures and exit.
pub fn report_and_exit(station: &Station) -> ! {
    let ready_ms = STARTED
        .get()
        .map(|t| t.elapsed().as_secs_f64() * 1e3)
        .unwrap_or(f64::NAN);
    // A door with a token refreshes its guest list at once: count that refresh's memory
    // too, so the figure is the running door's (a minute at most; a failed round counts).
    let sync = Instant::now();
    while station.sync_rounds().ok().flatten() == Some(0) && sync.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let first_sync_ms = sync.elapsed().as_secs_f64() * 1e3;
    let synced = station.sync_rounds().ok().flatten();
    let me = std::process::id();
    let before_lookup = rss_kib(me).unwrap_or(0);
    // Build the search index the way the lookup screen's first search does, so its memory
    // is counted.
    let lookup = Instant::now();
    let hits = station.lookup("a", 50).map(|h| h.len()).unwrap_or(0);
    let lookup_ms = lookup.elapsed().as_secs_f64() * 1e3;
    let tickets = station.view().map(|v| v.status.total).unwrap_or(0);
    let webkit: Vec<(String, u64)> = descendants(me)
        .into_iter()
        .filter_map(|pid| Some((name(pid)?, rss_kib(pid)?)))
        .collect();
    let line = serde_json::json!({
        "tickets": tickets,
        "readyMs": ready_ms,
        // Sync rounds ended before the figures (null: no token, so no sync loop), and how
        // long the first one took after the screen was ready.
        "syncRounds": synced,
        "firstSyncMs": first_sync_ms,
        "firstLookupMs": lookup_ms,
        "lookupHits": hits,
        "appRssBeforeLookupMiB": before_lookup as f64 / 1024.0,
        "appRssMiB": rss_kib(me).unwrap_or(0) as f64 / 1024.0,
        // Shared libraries counted in proportion to the processes sharing them.
        "appPssMiB": pss_kib(me).unwrap_or(0) as f64 / 1024.0,
        // Where the app's resident pages are: the biggest mappings (heap, libraries).
        "appRssTop": biggest_mappings(me, 8).into_iter().map(|(n, kib)| serde_json::json!({"mapping": n, "rssMiB": kib as f64 / 1024.0})).collect::<Vec<_>>(),
        "webkit": webkit.iter().map(|(n, kib)| serde_json::json!({"process": n, "rssMiB": *kib as f64 / 1024.0})).collect::<Vec<_>>(),
    });
    println!("{line}");
    std::process::exit(0);
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

/// Resident KiB per mapped file (anonymous memory as "[anon]", the heap as "[heap]"),
/// the `n` biggest first.
fn biggest_mappings(pid: u32, n: usize) -> Vec<(String, u64)> {
    let Ok(smaps) = std::fs::read_to_string(format!("/proc/{pid}/smaps")) else {
        return vec![];
    };
    let mut by_name: std::collections::HashMap<String, u64> = Default::default();
    let mut current = String::new();
    for line in smaps.lines() {
        let mut fields = line.split_whitespace();
        let first = fields.next().unwrap_or_default();
        if first.contains('-') && first.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            // A mapping's header: address range, perms, offset, device, inode, [path].
            current = fields.nth(4).unwrap_or("[anon]").to_string();
        } else if first == "Rss:" {
            let kib: u64 = fields.next().and_then(|v| v.parse().ok()).unwrap_or(0);
            *by_name.entry(current.clone()).or_default() += kib;
        }
    }
    let mut all: Vec<(String, u64)> = by_name.into_iter().collect();
    all.sort_by_key(|a| std::cmp::Reverse(a.1));
    all.truncate(n);
    all
}

fn pss_kib(pid: u32) -> Option<u64> {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    rollup
        .lines()
        .find_map(|l| l.strip_prefix("Pss:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

fn name(pid: u32) -> Option<String> {
    Some(
        std::fs::read_to_string(format!("/proc/{pid}/comm"))
            .ok()?
            .trim()
            .to_string(),
    )
}

/// Every process below `root` (WebKit's web and network processes, and a sandbox between).
fn descendants(root: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return vec![];
    };
    let parents: Vec<(u32, u32)> = dir
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // The command name may hold spaces: the fields follow its closing paren.
            let rest = &stat[stat.rfind(')')? + 2..];
            Some((pid, rest.split_whitespace().nth(1)?.parse().ok()?))
        })
        .collect();
    let mut found = vec![root];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(
            parents
                .iter()
                .filter(|(_, p)| *p == parent)
                .map(|(c, _)| *c),
        );
        i += 1;
    }
    found.split_off(1)
}
