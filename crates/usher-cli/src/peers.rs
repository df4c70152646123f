//! Glue for `usher peers`: the door group (create, join, leave, rotate), the manual peer
//! list, and `serve`, which runs this door's side of the exchange (`usher_peers::Node`)
//! until interrupted. The work is in `usher-peers` and `usher_core::peers`.

use crate::render::Output;
use crate::CliError;
use clap::{Args, Subcommand};
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;
use usher_core::settings;
use usher_peers::discover::DiscoverOn;
use usher_peers::exchange::DoorName;
use usher_peers::join::{self, Offer, JOIN_DEADLINE};
use usher_peers::{group, GroupKey, PeerError, Sharing, SharingPlace};
use usher_sync::token;

#[derive(Subcommand)]
pub enum PeersAction {
    /// Create a door group for this door: a new key in the OS keychain.
    Create,
    /// Exchange scans with the group's doors until interrupted.
    Serve(ServeArgs),
    /// Join the group of the door at --at with its join code: the group key, and the
    /// door's set-up to edit (and its token, when that door handed it on).
    Join {
        /// The join code that door shows (ABCDE-FGHJK), or its join QR code's text.
        code: String,
        /// That door's address (host:port); not needed with a QR code's text.
        #[arg(long, value_name = "HOST:PORT")]
        at: Option<String>,
        /// This door's gate name (default: that door's).
        #[arg(long)]
        gate: Option<String>,
    },
    /// The doors to pull from, for networks that block multicast (replaces the list; none
    /// empties it).
    List {
        /// Each door's address.
        #[arg(value_name = "HOST:PORT")]
        addresses: Vec<String>,
    },
    /// Leave the door group: its key is removed from this door's keychain.
    Leave,
    /// Give the group a new key: only doors given it again stay in.
    Rotate,
}

#[derive(Args)]
pub struct ServeArgs {
    /// Where to listen for the group's doors.
    #[arg(long, default_value = "0.0.0.0:7300", value_name = "ADDR:PORT")]
    listen: SocketAddr,
    /// Find the group's doors by mDNS: on every interface, or only on loopback (tests).
    #[arg(long, value_name = "WHERE")]
    discover: Option<DiscoverOn>,
    /// Open a join code: doors that give it within --invite-minutes join the group.
    #[arg(long)]
    invite: bool,
    /// With --invite: hand this door's token on to the joining doors, over the encrypted
    /// channel, straight into their keychain.
    #[arg(long, requires = "invite")]
    with_token: bool,
    /// How long the join code stays open.
    #[arg(
        long,
        default_value_t = 10,
        value_name = "MINUTES",
        requires = "invite"
    )]
    invite_minutes: u64,
    /// Stop after this many seconds (default: until interrupted).
    #[arg(long, value_name = "SECONDS")]
    seconds: Option<u64>,
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("the async runtime starts")
}

fn key_of(dir: &Path) -> Result<GroupKey, CliError> {
    group::group_key(&*token::store(), dir)?.ok_or(CliError::Peers(PeerError::NotInGroup))
}

pub fn run(action: Option<PeersAction>, dir: &Path, out: &Output) -> Result<(), CliError> {
    let keychain = token::store();
    match action {
        None => {
            let (store, _) = crate::open_store(dir)?;
            let key = group::group_key(&*keychain, dir)?;
            let list = usher_core::peers::peer_list(store.conn())?;
            let origins = usher_core::peers::origins(store.conn())?;
            out.peers(key.as_ref(), &list, &origins);
        }
        Some(PeersAction::Create) => {
            let key = group::create_group(&*keychain, dir)?;
            out.group_made(&key);
        }
        Some(PeersAction::Rotate) => {
            key_of(dir)?;
            let key = group::rotate_group(&*keychain, dir)?;
            out.group_made(&key);
        }
        Some(PeersAction::Leave) => {
            let left = group::leave_group(&*keychain, dir)?;
            out.group_left(left);
        }
        Some(PeersAction::List { addresses }) => {
            let (store, _) = crate::open_store(dir)?;
            usher_core::peers::set_peer_list(store.conn(), &addresses)?;
            out.peer_list(&usher_core::peers::peer_list(store.conn())?);
        }
        Some(PeersAction::Join { code, at, gate }) => {
            let (at, code) = join::target(&code, at.as_deref())?;
            // The cache key first, as `usher setup` makes it: the guest list this door will
            // download is encrypted from the start.
            if let Err(e) = token::create_cache_key(&*keychain, dir) {
                tracing::warn!(error = %e, "no key for the guest list: it stays plain");
            }
            let (store, _) = crate::open_store(dir)?;
            let me = DoorName {
                device_id: settings::device_id(store.conn())?,
                gate_name: gate.clone().unwrap_or_default(),
            };
            let joined = runtime().block_on(join::join(&at, &code, &me, JOIN_DEADLINE))?;
            let inviter = joined.inviter.clone();
            let (config, token_kept) = join::keep(&*keychain, &store, joined, &at, gate)?;
            out.joined(&inviter, &config, token_kept);
        }
        Some(PeersAction::Serve(a)) => serve(a, dir, out)?,
    }
    Ok(())
}

fn serve(a: ServeArgs, dir: &Path, out: &Output) -> Result<(), CliError> {
    let keychain = token::store();
    let key = key_of(dir)?;
    let (store, _) = crate::open_store(dir)?;
    let config = settings::load(store.conn())?;
    let place = SharingPlace {
        listen: a.listen,
        discover: a.discover.and_then(|d| d.0),
    };
    let offer = a.invite.then(|| -> Result<Offer, CliError> {
        let token = if a.with_token {
            Some(token::resolve(
                &*keychain,
                &config.api.to_string(),
                &config.tenant_id,
            )?)
        } else {
            None
        };
        Ok(Offer {
            config: config.clone(),
            token,
        })
    });
    let rt = runtime();
    rt.block_on(async move {
        let sharing = Sharing::start(store, key, &config.gate.name, place).await?;
        let node = sharing.node();
        out.serving(node.address());
        if let Some(offer) = offer {
            let minutes = a.invite_minutes;
            let code = node.open_invite(offer?, Duration::from_secs(minutes * 60))?;
            out.invite(&code, node.address(), minutes);
        }
        let until = a
            .seconds
            .map(|s| tokio::time::Instant::now() + Duration::from_secs(s));
        let mut shown = String::new();
        loop {
            let links = node.links();
            // Shown again when a link changes state or brings scans, not at every answer.
            let now: String = links
                .iter()
                .map(|l| {
                    format!(
                        "{} {:?} {:?} {};",
                        l.address, l.state, l.gate_name, l.received
                    )
                })
                .collect();
            if now != shown {
                out.links(&links, node.linked());
                shown = now;
            }
            let tick = tokio::time::sleep(Duration::from_millis(500));
            tokio::select! {
                _ = tick => {}
                _ = tokio::signal::ctrl_c() => break,
            }
            if until.is_some_and(|u| tokio::time::Instant::now() >= u) {
                break;
            }
        }
        Ok::<(), CliError>(())
    })
}
