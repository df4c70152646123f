//! The demo's controls: the simulator's network switch, a demo ticket held up to the
//! camera, printable demo tickets.

use super::{Active, Station};
use crate::camera::lock;
use crate::demo::Demo;
use crate::StationError;
use std::path::PathBuf;
use usher_core::i18n::Said;
use usher_core::scanlog::Source;
use usher_core::ScanInput;

impl Station {
    pub(super) fn demo<T>(
        &self,
        f: impl FnOnce(&Active, &Demo) -> Result<T, StationError>,
    ) -> Result<T, StationError> {
        let active = self.active()?;
        let demo = active.demo.as_ref().ok_or(StationError::NotDemo)?;
        f(&active, demo)
    }

    /// Cuts or restores the simulated network; returns whether it is up.
    pub fn demo_network(&self, up: bool) -> Result<bool, StationError> {
        let up = self.demo(|_, demo| demo.set_network(up))?;
        if up {
            self.demo(|active, _| {
                active.nudge.notify_one();
                Ok(())
            })?;
        }
        Ok(up)
    }

    /// The demo camera holds up the next ticket of the tour (on a machine without a camera);
    /// with a real camera, the code is scanned as if typed. Returns the code.
    pub fn demo_show_ticket(&self) -> Result<String, StationError> {
        let (code, held) = self.demo(|active, demo| {
            let code = demo.next_code();
            let held = lock(&active.camera)
                .as_ref()
                .and_then(|c| c.held_up.clone());
            Ok((code, held))
        })?;
        match held {
            Some(queue) => queue.hold_up(code.clone().into_bytes()),
            None => {
                self.scan(ScanInput::new(code.as_bytes(), Source::Manual))?;
            }
        }
        Ok(code)
    }

    /// Writes printable demo tickets (PNG) to `home/demo-tickets`.
    pub fn save_demo_tickets(&self) -> Result<(PathBuf, Vec<PathBuf>), StationError> {
        let folder = self.home.join("demo-tickets");
        self.demo(|_, demo| {
            let files = crate::tickets::write_all(&folder, &demo.event_name(), &demo.printable(12))
                .map_err(|e| {
                    StationError::Io(
                        Said::new("station-write-tickets")
                            .with("path", folder.display().to_string())
                            .with("why", e.to_string()),
                    )
                })?;
            Ok((folder.clone(), files))
        })
    }
}
