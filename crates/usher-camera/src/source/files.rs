//! Still images (png, jpg, webp) played as a camera at a frame rate, looping or once: for
//! `usher decode`, tests and the benchmark.

use super::{CameraState, FrameClock, FrameSource, Pull};
use crate::luma::{self, LumaFrame};
use std::path::{Path, PathBuf};

/// Still images played as a camera at a frame rate, looping or once.
pub struct FileSource {
    frames: Vec<LumaFrame>,
    index: usize,
    looping: bool,
    clock: FrameClock,
}

impl FileSource {
    /// `paths`: image files, or folders whose images (png, jpg, webp) are taken in name order.
    /// Each image is decoded once, up front.
    pub fn open(paths: &[PathBuf], fps: f32, looping: bool) -> Result<FileSource, luma::LumaError> {
        let mut files = vec![];
        for p in paths {
            if p.is_dir() {
                let mut inside: Vec<PathBuf> = std::fs::read_dir(p)
                    .map_err(|e| luma::LumaError::Image {
                        path: p.display().to_string(),
                        reason: e.to_string(),
                    })?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| is_image(p))
                    .collect();
                inside.sort();
                files.extend(inside);
            } else {
                files.push(p.clone());
            }
        }
        if files.is_empty() {
            return Err(luma::LumaError::Image {
                path: paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                reason: "no png, jpg or webp images there".into(),
            });
        }
        let frames = files
            .iter()
            .map(|f| LumaFrame::open(f))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(FileSource::from_frames(frames, fps, looping))
    }

    /// Plays these frames.
    pub fn from_frames(frames: Vec<LumaFrame>, fps: f32, looping: bool) -> FileSource {
        FileSource {
            frames,
            index: 0,
            looping,
            clock: FrameClock::new(fps),
        }
    }

    /// The number of frames it plays.
    pub fn len(&self) -> usize {
        self.frames.len()
    }

    /// True when it has no frame to play.
    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }
}

pub(crate) fn is_image(p: &Path) -> bool {
    matches!(
        p.extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref(),
        Some("png" | "jpg" | "jpeg" | "webp")
    )
}

impl FrameSource for FileSource {
    fn pull(&mut self) -> Pull {
        if self.index >= self.frames.len() {
            if !self.looping || self.frames.is_empty() {
                return Pull::State(CameraState::Ended);
            }
            self.index = 0;
        }
        self.clock.wait();
        // A camera hands over a new buffer per frame; so does this.
        let f = self.frames[self.index].clone();
        self.index += 1;
        Pull::Frame(f)
    }

    fn skip(&mut self) -> Option<CameraState> {
        if self.index >= self.frames.len() {
            if !self.looping || self.frames.is_empty() {
                return Some(CameraState::Ended);
            }
            self.index = 0;
        }
        self.clock.wait();
        self.index += 1;
        None
    }
}
