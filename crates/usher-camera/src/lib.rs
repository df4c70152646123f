//! Camera frames to QR payloads, testable without a camera.
//!
//! - [`luma`]: camera pixels (YUYV, NV12, MJPEG, RGB) and still images to 8-bit grey.
//! - [`decode`]: the decoders behind one trait, and the [`decode::Cascade`] the door runs.
//! - [`source`]: frame sources (nokhwa camera, image files, synthetic and demo cameras),
//!   camera states in plain words, and the capture thread that keeps only the newest frame.
//! - [`live`]: the live loop: cascade, noise gate, debouncer, idle slow-down.
//! - [`synth`]: drawn QR frames: the synthetic camera's and the seeded door-frame generator.
//! - [`corpus`]: the shared real-photo corpus, scored as its README says (tests, benchmark).
//!
//! **Architecture invariant:** nothing here opens the door's database. The live loop hands
//! each scan to a closure; the caller decides what a scan does.

#![warn(missing_docs)]

pub mod corpus;
pub mod decode;
pub mod live;
pub mod luma;
pub mod source;
pub mod synth;

pub use decode::{Cascade, QrDecoder, Read};
pub use luma::LumaFrame;
