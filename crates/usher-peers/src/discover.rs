//! Finding the doors of the group on the venue network: mDNS/DNS-SD through `mdns-sd`.
//!
//! A door announces `_usher-door._tcp.local.` with its exchange port, named by its device id
//! (random, it tells nothing) and one TXT property, `g`, the group's *hint*
//! (`GroupKey::hint`). It never says the event, the tenant or a gate name in the clear. A door
//! browses for the same service and pulls from every one with its own group's hint. Networks
//! that block multicast use the manual peer list instead; both feed `Node::add_peer`.
//!
//! Tests bind discovery to the loopback interface alone ([`Interfaces::LoopbackOnly`]), so
//! no datagram leaves the machine.

use crate::PeerError;
use mdns_sd::{IfKind, ServiceDaemon, ServiceEvent, ServiceInfo};
use std::net::IpAddr;

/// The DNS-SD service doors announce.
pub const SERVICE: &str = "_usher-door._tcp.local.";

/// Which interfaces discovery uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interfaces {
    /// Every interface of the machine (a door at a venue).
    All,
    /// Only loopback (tests, simulations).
    LoopbackOnly,
}

/// Whether and where to find the group's doors by mDNS, as a flag or the environment says
/// it: `all` (every interface), `loopback` or `lo` (tests), `off` (the manual list only).
/// `usher peers serve --discover` and the window's `USHER_PEER_DISCOVER` both read it here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiscoverOn(pub Option<Interfaces>);

impl std::str::FromStr for DiscoverOn {
    type Err = String;

    fn from_str(text: &str) -> Result<DiscoverOn, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "all" => Ok(DiscoverOn(Some(Interfaces::All))),
            "loopback" | "lo" => Ok(DiscoverOn(Some(Interfaces::LoopbackOnly))),
            "off" => Ok(DiscoverOn(None)),
            _ => Err(format!(
                "{text:?} is not where to discover doors: all, loopback (lo) or off"
            )),
        }
    }
}

/// A running announcement and browse. Dropping it stops both.
pub struct Discovery {
    daemon: ServiceDaemon,
    thread: Option<std::thread::JoinHandle<()>>,
}

fn mdns(e: mdns_sd::Error) -> PeerError {
    PeerError::Io(format!("mDNS: {e}"))
}

impl Discovery {
    /// Announces this door (`device_id`, listening on `port`) under the group's `hint`, and
    /// calls `found` with "host:port" for each door of the same group it finds.
    pub fn start(
        hint: &str,
        device_id: &str,
        port: u16,
        interfaces: Interfaces,
        found: impl Fn(String) + Send + 'static,
    ) -> Result<Discovery, PeerError> {
        let daemon = ServiceDaemon::new().map_err(mdns)?;
        let host = format!("{device_id}.local.");
        let props = [("g", hint)];
        let info = match interfaces {
            Interfaces::LoopbackOnly => {
                daemon.disable_interface(IfKind::All).map_err(mdns)?;
                daemon.enable_interface(IfKind::LoopbackV4).map_err(mdns)?;
                daemon.set_multicast_loop_v4(true).map_err(mdns)?;
                ServiceInfo::new(SERVICE, device_id, &host, "127.0.0.1", port, &props[..])
                    .map_err(mdns)?
            }
            Interfaces::All => ServiceInfo::new(SERVICE, device_id, &host, "", port, &props[..])
                .map_err(mdns)?
                .enable_addr_auto(),
        };
        let own = info.get_fullname().to_owned();
        daemon.register(info).map_err(mdns)?;
        let events = daemon.browse(SERVICE).map_err(mdns)?;
        let hint = hint.to_owned();
        let thread = std::thread::Builder::new()
            .name("usher-mdns".into())
            .spawn(move || {
                while let Ok(event) = events.recv() {
                    let ServiceEvent::ServiceResolved(s) = event else {
                        continue;
                    };
                    if s.fullname == own || s.get_property_val_str("g") != Some(hint.as_str()) {
                        continue;
                    }
                    for ip in &s.addresses {
                        let ip = ip.to_ip_addr();
                        if interfaces == Interfaces::LoopbackOnly && !ip.is_loopback() {
                            continue;
                        }
                        found(match ip {
                            IpAddr::V4(v4) => format!("{v4}:{}", s.port),
                            IpAddr::V6(v6) => format!("[{v6}]:{}", s.port),
                        });
                    }
                }
            })
            .map_err(PeerError::io)?;
        Ok(Discovery {
            daemon,
            thread: Some(thread),
        })
    }
}

impl Drop for Discovery {
    fn drop(&mut self) {
        // The browse channel closes when the daemon shuts down, which ends the thread.
        let _ = self.daemon.shutdown();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn where_to_discover_reads_all_loopback_and_off_and_refuses_the_rest() {
        assert_eq!("all".parse(), Ok(DiscoverOn(Some(Interfaces::All))));
        for lo in ["lo", "loopback", " LO "] {
            assert_eq!(lo.parse(), Ok(DiscoverOn(Some(Interfaces::LoopbackOnly))));
        }
        assert_eq!("off".parse(), Ok(DiscoverOn(None)));
        for bad in ["", "on", "eth0", "yes"] {
            let err = bad.parse::<DiscoverOn>().unwrap_err();
            assert!(err.contains("all, loopback (lo) or off"), "{err}");
        }
    }
}
