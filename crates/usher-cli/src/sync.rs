//! Glue for `login`, `logout`, `events` and `sync`: flags in, `usher-sync` calls, output.

use crate::render::Output;
use std::io::{IsTerminal, Read};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;
use usher_core::i18n::Said;
use usher_core::settings::{self, DeviceConfig};
use usher_core::{outbox, Error, Store};
use usher_sync::download::{self, Progress};
use usher_sync::token::{self, Token, TOKEN_ENV};
use usher_sync::upload::{self, RetryPolicy, Target};
use usher_sync::{ApiClient, SyncError};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("the async runtime starts")
}

fn config(dir: &Path) -> Result<(Store, DeviceConfig), SyncError> {
    let store = crate::open_store(dir)?.0;
    let config = settings::load(store.conn())?;
    Ok((store, config))
}

/// The token: `SESSION_SERVICES_TOKEN`, else standard input (hidden when it is a terminal).
fn read_token(out: &Output) -> Result<Token, SyncError> {
    if let Ok(raw) = std::env::var(TOKEN_ENV) {
        if !raw.trim().is_empty() {
            return Ok(Token::new(&raw)?);
        }
    }
    let raw = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(out.words.text("cli-token-prompt", &[])).map_err(|e| {
            Error::Io {
                context: Said::new("io-read-token"),
                source: e,
            }
        })?
    } else {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(Error::io(Said::new("io-read-token")))?;
        s
    };
    Ok(Token::new(&raw)?)
}

pub fn login(dir: &Path, out: &Output) -> Result<(), SyncError> {
    let (_store, config) = config(dir)?;
    let token = read_token(out)?;
    let api = config.api.to_string();
    let report = runtime().block_on(async {
        let access = usher_sync::login::login(
            config.api.base_url(),
            &api,
            &config.tenant_id,
            token.clone(),
            &*token::store(),
        )
        .await?;
        // The event tells whose team it is; if it cannot be fetched the hint stays
        // unconfirmed (the token is kept either way).
        let client = ApiClient::new(config.api.base_url(), &config.tenant_id, Some(token))?;
        let event = client.event(&config.event_id).await.ok().map(|e| e.event);
        let this = access.event(&config.event_id, event.as_ref(), &out.words);
        Ok::<_, SyncError>(access.report(vec![this], &out.words))
    })?;
    out.login(&report, &config);
    Ok(())
}

pub fn logout(dir: &Path, forget: bool, out: &Output) -> Result<(), SyncError> {
    let (store, config) = config(dir)?;
    if forget {
        return logout_and_forget(dir, store, &config, out);
    }
    let api = config.api.to_string();
    let removed = token::store().delete(&api, &config.tenant_id)?;
    let target = Target {
        tenant_id: &config.tenant_id,
        api: &api,
    };
    out.logout(removed, outbox::waiting(store.conn(), target)?.count);
    Ok(())
}

/// `usher logout --forget`: every event's data, then the database file and its key, then the
/// token. Refused as a whole, with nothing removed, while any scan waits to upload (the token
/// is still needed to send it).
fn logout_and_forget(
    dir: &Path,
    mut store: Store,
    config: &DeviceConfig,
    out: &Output,
) -> Result<(), SyncError> {
    use usher_core::forget;
    let events = forget::events_held(store.conn())?;
    let waiting = outbox::waiting_anywhere(store.conn())?;
    if waiting > 0 {
        return Err(
            Error::Refused(Said::new("refused-logout-waiting").with("waiting", waiting)).into(),
        );
    }
    let mut gone = vec![];
    for e in &events {
        let g = forget::forget_event(store.conn_mut(), e, jiff::Timestamp::now())?;
        tracing::warn!(event = %g.event_id, tickets = g.tickets, scans = g.scans, "event forgotten at logout");
        gone.push(g);
    }
    drop(store);
    for suffix in ["", "-wal", "-shm"] {
        let file = dir.join(format!("{}{suffix}", usher_core::store::DB_FILE));
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(Said::io("remove", &file))(e).into()),
        }
    }
    token::forget_cache_key(&*token::store(), dir)?;
    token::store().delete(&config.api.to_string(), &config.tenant_id)?;
    tracing::warn!(events = gone.len(), "logged out and forgot every event");
    out.forgotten(&gone);
    Ok(())
}

/// The token, waiting at most a few seconds for a keychain that is locked on its prompt.
fn kept_token(api: &str, tenant: &str) -> Result<usher_sync::Token, token::TokenError> {
    token::resolve_within(token::store(), api, tenant, token::KEYCHAIN_DEADLINE).now()
}

fn client(config: &DeviceConfig) -> Result<ApiClient, SyncError> {
    let api = config.api.to_string();
    let token = kept_token(&api, &config.tenant_id)?;
    Ok(ApiClient::new(
        config.api.base_url(),
        &config.tenant_id,
        Some(token),
    )?)
}

pub fn events(dir: &Path, out: &Output) -> Result<(), SyncError> {
    let (_store, config) = config(dir)?;
    let client = ApiClient::new(config.api.base_url(), &config.tenant_id, None)?;
    let rt = runtime();
    let mut all = vec![];
    let mut cursor: Option<String> = None;
    loop {
        let page = rt.block_on(client.events(cursor.as_deref()))?;
        all.extend(page.events);
        match page.after {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    out.events(&all, &config.event_id);
    Ok(())
}

pub fn sync(dir: &Path, wait: u64, upload_only: bool, out: &Output) -> Result<(), SyncError> {
    let (store, config) = config(dir)?;
    let client = client(&config)?;
    let store = Mutex::new(store);
    let rt = runtime();
    let bar = (!out.json && std::io::stderr().is_terminal()).then(|| {
        let b = indicatif::ProgressBar::new(1);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} guest list {bar:30} {pos}/{len} guests · {msg}",
            )
            .expect("the template is valid"),
        );
        b
    });
    let show = |p: Progress| {
        if let Some(b) = &bar {
            // Rows of the server's count; with no index, of what has come so far.
            b.set_length(p.expected.unwrap_or(p.rows).max(p.rows));
            b.set_position(p.rows);
            b.set_message(format!("{}/{} walks done", p.walks_done, p.walks));
        }
    };
    let downloaded = if upload_only {
        None
    } else {
        Some(rt.block_on(download::download(&store, &client, &config, &show))?)
    };
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let api = config.api.to_string();
    let target = Target {
        tenant_id: &config.tenant_id,
        api: &api,
    };
    let uploaded = rt.block_on(upload::upload(
        &store,
        &client,
        &target,
        RetryPolicy::default(),
        (wait > 0).then(|| Duration::from_secs(wait)),
    ))?;
    out.synced(downloaded.as_ref(), &uploaded);
    // Uploaded scans may free an event past retention.
    let mut store = store.into_inner().unwrap_or_else(|p| p.into_inner());
    if let Err(e) = usher_station::retention::run(&mut store, jiff::Timestamp::now()) {
        tracing::warn!(error = %e, "retention could not run");
    }
    match uploaded.paused {
        // Automation sees a failure; the queue is kept for the next good token.
        Some(message) => Err(usher_sync::Failure::Auth { status: 0, message }.into()),
        None => Ok(()),
    }
}

/// Online confirm for a door, when the device is not forced offline and a token is at hand;
/// otherwise the cache decides every scan.
pub fn online_confirm(config: &DeviceConfig) -> Option<Box<dyn usher_core::online::OnlineConfirm>> {
    if config.offline {
        return None;
    }
    let token = kept_token(&config.api.to_string(), &config.tenant_id)
        .map_err(|e| tracing::warn!(error = %e, "no online confirm: the token cannot be read"))
        .ok()?;
    let client = ApiClient::new(config.api.base_url(), &config.tenant_id, Some(token)).ok()?;
    Some(Box::new(
        usher_sync::online::OnlineClient::new(client).ok()?,
    ))
}

/// Opens the door for scanning, with online confirm when possible.
pub fn open_door(dir: &Path) -> Result<usher_core::Door, Error> {
    let door = usher_core::Door::open(crate::open_store(dir)?.0)?;
    Ok(match online_confirm(door.config()) {
        Some(c) => door.with_online_confirm(c, usher_core::online::DEFAULT_TIMEOUT),
        None => door,
    })
}

/// `usher sync --watch`: the background loop, until Ctrl-C or SIGTERM.
pub fn watch(dir: &Path, out: &Output) -> Result<(), SyncError> {
    let (store, config) = config(dir)?;
    let client = client(&config)?;
    let rt = runtime();
    let stop = std::sync::Arc::new(tokio::sync::Notify::new());
    let nudge = std::sync::Arc::new(tokio::sync::Notify::new());
    rt.block_on(async {
        let stopper = stop.clone();
        tokio::spawn(async move {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .expect("signals can be watched");
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            stopper.notify_one();
        });
        usher_sync::watch::watch(
            store,
            client,
            config,
            usher_sync::watch::WatchConfig::default(),
            nudge,
            stop,
            {
                let out = out.clone();
                move |event| out.sync_event(&event)
            },
        )
        .await;
    });
    Ok(())
}

/// `usher report --out FILE.html`: the shift report, reconciled with the server when the
/// token is at hand and the server answers; written either way.
pub fn report(dir: &Path, html: &Path, out: &Output) -> Result<(), crate::CliError> {
    let (store, config) = config(dir)?;
    let client = client(&config).map_err(|e| e.said());
    let saved = usher_station::shift_report::save(
        &runtime(),
        &Mutex::new(store),
        &config,
        client.as_ref().map_err(Clone::clone),
        html,
        &out.words,
    )?;
    out.report(&saved);
    Ok(())
}
