//! A door's sharing as it runs beside the door: the node over the door's data folder, with
//! the manual peer list and, when asked, mDNS discovery feeding it. The window's station and
//! `usher peers serve` both start it here.

use crate::discover::{Discovery, Interfaces};
use crate::group::GroupKey;
use crate::node::{Node, NodeConfig};
use crate::PeerError;
use std::net::SocketAddr;
use std::sync::Arc;
use usher_core::Store;

/// Where a door shares, and how it finds the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SharingPlace {
    /// Where to listen for the group's doors.
    pub listen: SocketAddr,
    /// Find the group's doors by mDNS on these interfaces (`None`: the manual list only).
    pub discover: Option<Interfaces>,
}

impl Default for SharingPlace {
    /// A door at a venue: every interface, port 7300, mDNS on every interface.
    fn default() -> Self {
        SharingPlace {
            listen: SocketAddr::from(([0, 0, 0, 0], 7300)),
            discover: Some(Interfaces::All),
        }
    }
}

/// A running node and its discovery. Dropping it stops both.
pub struct Sharing {
    node: Arc<Node>,
    // Dropped after the node's handle: the browse thread only adds peers.
    _discovery: Option<Discovery>,
}

impl Sharing {
    /// Starts sharing `store`'s door (a connection of its own) in the group of `key`, as
    /// `gate_name`, pulling from the door's manual peer list and what discovery finds. Runs
    /// on the current Tokio runtime.
    pub async fn start(
        store: Store,
        key: GroupKey,
        gate_name: &str,
        place: SharingPlace,
    ) -> Result<Sharing, PeerError> {
        let mut config = NodeConfig::new(place.listen, key.clone(), gate_name);
        config.peers = usher_core::peers::peer_list(store.conn())?;
        let node = Arc::new(Node::start(store, config).await?);
        let discovery = match place.discover {
            None => None,
            Some(interfaces) => {
                let (pull, handle) = (Arc::downgrade(&node), tokio::runtime::Handle::current());
                Some(Discovery::start(
                    &key.hint(),
                    node.device_id(),
                    node.address().port(),
                    interfaces,
                    move |address| {
                        let pull = pull.clone();
                        handle.spawn(async move {
                            if let Some(node) = pull.upgrade() {
                                node.add_peer(&address)
                            }
                        });
                    },
                )?)
            }
        };
        Ok(Sharing {
            node,
            _discovery: discovery,
        })
    }

    /// The node: its links, its address, its join codes.
    pub fn node(&self) -> &Arc<Node> {
        &self.node
    }
}
