//! Camera-like pictures of QR codes, drawn from scratch: the synthetic camera's frames and the
//! benchmark's seeded door frames.
//!
//! A code sits on a card (a paper ticket, or a phone screen, sometimes in dark mode) that is
//! placed in 3-D in front of a pinhole camera, so rotation and tilt come out as real
//! perspective. The picture then goes through what a door webcam does to it: defocus and
//! motion blur, glare, low contrast, sensor noise and JPEG compression.
//!
//! Hand-written rather than imageproc: that crate needs a newer Rust than the workspace's
//! 1.85 and brings rayon and an FFT; the generator needs only a ray-plane projection and a
//! box blur.

use crate::luma::LumaFrame;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The QR modules of `payload` (error correction M, as ticket printers use), `true` = dark.
pub fn qr_modules(payload: &[u8]) -> Option<(usize, Vec<bool>)> {
    let code = qrcode::QrCode::with_error_correction_level(payload, qrcode::EcLevel::M).ok()?;
    Some((
        code.width(),
        code.to_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect(),
    ))
}

/// A clean, axis-aligned code image with a 4-module quiet zone: for printable tickets and
/// tests.
pub fn qr_image(payload: &[u8], module_px: u32) -> Option<LumaFrame> {
    let (n, modules) = qr_modules(payload)?;
    let side = (n as u32 + 8) * module_px;
    let mut f = LumaFrame::filled(side, side, 255);
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = ((x / module_px) as i64 - 4, (y / module_px) as i64 - 4);
            if mx >= 0
                && my >= 0
                && (mx as usize) < n
                && (my as usize) < n
                && modules[my as usize * n + mx as usize]
            {
                f.data[(y * side + x) as usize] = 0;
            }
        }
    }
    Some(f)
}

/// What the code is shown on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carrier {
    /// A printed ticket: dark modules on white paper with a printed band.
    Paper,
    /// A phone: a bright screen in a black bezel.
    Phone,
    /// A phone in dark mode: light modules on a black screen.
    PhoneDark,
}

/// Everything that decides how one frame looks.
#[derive(Debug, Clone)]
pub struct Shot {
    /// Frame width in pixels.
    pub width: u32,
    /// Frame height in pixels.
    pub height: u32,
    /// `None`: a frame with no code (an empty door, a sleeve, a hand).
    pub payload: Option<Vec<u8>>,
    /// What the code is shown on.
    pub carrier: Carrier,
    /// Size of one module in pixels at the card's centre.
    pub module_px: f32,
    /// Card centre in the frame, as a fraction of its size (0.5, 0.5 = middle).
    pub centre: (f32, f32),
    /// In-plane rotation, degrees.
    pub rotation: f32,
    /// Tilt away from the camera around the card's horizontal and vertical axes, degrees.
    pub tilt: (f32, f32),
    /// Defocus: box blur radius in pixels (applied three times, close to a Gaussian).
    pub defocus: u32,
    /// Motion blur length in pixels, and its direction in degrees.
    pub motion: (u32, f32),
    /// Peak brightness added by a glare spot (0 = none).
    pub glare: f32,
    /// Picture contrast, 1 = full range.
    pub contrast: f32,
    /// Standard deviation of sensor noise, grey levels.
    pub noise: f32,
    /// JPEG quality of the camera's compression (`None` = raw).
    pub jpeg_quality: Option<u8>,
    /// Seed for the background, noise and glare placement.
    pub seed: u64,
}

impl Shot {
    /// A sharp, frontal ticket in the middle of a 1280x720 frame.
    pub fn clean(payload: &[u8]) -> Shot {
        Shot {
            width: 1280,
            height: 720,
            payload: Some(payload.to_vec()),
            carrier: Carrier::Paper,
            module_px: 6.0,
            centre: (0.5, 0.5),
            rotation: 0.0,
            tilt: (0.0, 0.0),
            defocus: 0,
            motion: (0, 0.0),
            glare: 0.0,
            contrast: 1.0,
            noise: 0.0,
            jpeg_quality: None,
            seed: 1,
        }
    }

    /// Draws the frame.
    pub fn render(&self) -> LumaFrame {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let mut f = background(self.width, self.height, &mut rng);
        if let Some(payload) = &self.payload {
            if let Some((n, modules)) = qr_modules(payload) {
                self.draw_card(&mut f, n, &modules);
            }
        } else if rng.random_bool(0.5) {
            // Something in front of the camera that is not a code: a hand or a sleeve.
            let card = Shot {
                payload: None,
                ..self.clone()
            };
            card.draw_card(&mut f, 25, &[]);
        }
        if self.defocus > 0 {
            for _ in 0..3 {
                box_blur(&mut f, self.defocus);
            }
        }
        if self.motion.0 > 1 {
            motion_blur(&mut f, self.motion.0, self.motion.1);
        }
        if self.glare > 0.0 {
            let gx = rng.random_range(0.3..0.7) * self.width as f32;
            let gy = rng.random_range(0.3..0.7) * self.height as f32;
            let r = rng.random_range(0.08..0.2) * self.width as f32;
            for y in 0..self.height {
                for x in 0..self.width {
                    let d2 = ((x as f32 - gx).powi(2) + (y as f32 - gy).powi(2)) / (r * r);
                    if d2 < 4.0 {
                        let i = (y * self.width + x) as usize;
                        let v = f.data[i] as f32 + self.glare * (-d2).exp();
                        f.data[i] = v.min(255.0) as u8;
                    }
                }
            }
        }
        if self.contrast < 1.0 || self.noise > 0.0 {
            let mid = 128.0;
            for v in f.data.iter_mut() {
                let mut x = mid + (*v as f32 - mid) * self.contrast;
                if self.noise > 0.0 {
                    // Sum of four uniforms: close enough to Gaussian for sensor noise.
                    let s: f32 = (0..4).map(|_| rng.random::<f32>()).sum::<f32>() - 2.0;
                    x += s * self.noise * 1.732;
                }
                *v = x.clamp(0.0, 255.0) as u8;
            }
        }
        if let Some(q) = self.jpeg_quality {
            f = jpeg_round_trip(&f, q);
        }
        f
    }

    /// Projects the card into the frame.
    fn draw_card(&self, f: &mut LumaFrame, n: usize, modules: &[bool]) {
        // Card coordinates are in modules; the code's top-left module is at (0, 0).
        let focal = 0.75 * self.width as f32;
        let z = focal / self.module_px.max(0.5);
        let (rot, tx, ty) = (
            self.rotation.to_radians(),
            self.tilt.0.to_radians(),
            self.tilt.1.to_radians(),
        );
        // Card axes: rotate in plane, then tilt about x and y.
        let rot3 = |v: [f32; 3]| -> [f32; 3] {
            let (c, s) = (rot.cos(), rot.sin());
            let v = [c * v[0] - s * v[1], s * v[0] + c * v[1], v[2]];
            let (c, s) = (tx.cos(), tx.sin());
            let v = [v[0], c * v[1] - s * v[2], s * v[1] + c * v[2]];
            let (c, s) = (ty.cos(), ty.sin());
            [c * v[0] + s * v[2], v[1], -s * v[0] + c * v[2]]
        };
        let u = rot3([1.0, 0.0, 0.0]);
        let v = rot3([0.0, 1.0, 0.0]);
        let normal = [
            u[1] * v[2] - u[2] * v[1],
            u[2] * v[0] - u[0] * v[2],
            u[0] * v[1] - u[1] * v[0],
        ];
        let (w, h) = (self.width as f32, self.height as f32);
        let half = n as f32 / 2.0;
        // The card centre sits on the ray through `centre`, at depth z.
        let c = [
            (self.centre.0 * w - w / 2.0) / focal * z,
            (self.centre.1 * h - h / 2.0) / focal * z,
            z,
        ];
        // Card extent around the code, in modules.
        let (margin_x, margin_top, margin_bottom) = match self.carrier {
            Carrier::Paper => (8.0, 8.0, 20.0),
            Carrier::Phone | Carrier::PhoneDark => (6.0, 18.0, 22.0),
        };
        let (u0, u1) = (-half - margin_x, half + margin_x);
        let (v0, v1) = (-half - margin_top, half + margin_bottom);
        let project = |a: f32, b: f32| -> (f32, f32) {
            let p = [
                c[0] + a * u[0] + b * v[0],
                c[1] + a * u[1] + b * v[1],
                c[2] + a * u[2] + b * v[2],
            ];
            (p[0] / p[2] * focal + w / 2.0, p[1] / p[2] * focal + h / 2.0)
        };
        let corners = [
            project(u0, v0),
            project(u1, v0),
            project(u1, v1),
            project(u0, v1),
        ];
        let x0 = corners
            .iter()
            .map(|p| p.0)
            .fold(f32::MAX, f32::min)
            .floor()
            .max(0.0) as u32;
        let x1 = corners
            .iter()
            .map(|p| p.0)
            .fold(f32::MIN, f32::max)
            .ceil()
            .min(w) as u32;
        let y0 = corners
            .iter()
            .map(|p| p.1)
            .fold(f32::MAX, f32::min)
            .floor()
            .max(0.0) as u32;
        let y1 = corners
            .iter()
            .map(|p| p.1)
            .fold(f32::MIN, f32::max)
            .ceil()
            .min(h) as u32;
        let n_dot_c = normal[0] * c[0] + normal[1] * c[1] + normal[2] * c[2];
        let carrier = self.carrier;
        let sample = |px: f32, py: f32| -> Option<f32> {
            let d = [(px - w / 2.0) / focal, (py - h / 2.0) / focal, 1.0];
            let nd = normal[0] * d[0] + normal[1] * d[1] + normal[2] * d[2];
            if nd.abs() < 1e-6 {
                return None;
            }
            let t = n_dot_c / nd;
            let q = [t * d[0] - c[0], t * d[1] - c[1], t * d[2] - c[2]];
            let a = q[0] * u[0] + q[1] * u[1] + q[2] * u[2];
            let b = q[0] * v[0] + q[1] * v[1] + q[2] * v[2];
            if a < u0 || a > u1 || b < v0 || b > v1 {
                return None;
            }
            let (mx, my) = (a + half, b + half);
            let in_code = mx >= 0.0 && my >= 0.0 && (mx as usize) < n && (my as usize) < n;
            let dark = in_code && !modules.is_empty() && modules[my as usize * n + mx as usize];
            Some(match carrier {
                Carrier::Paper => {
                    if dark {
                        30.0
                    } else if b > half + 6.0 && b < half + 9.0 && a.abs() < half {
                        90.0 // a printed line of text under the code
                    } else {
                        235.0
                    }
                }
                Carrier::Phone => {
                    if a.abs() > half + 4.0 || b < -half - 14.0 || b > half + 18.0 {
                        15.0 // bezel
                    } else if dark {
                        20.0
                    } else {
                        250.0
                    }
                }
                Carrier::PhoneDark => {
                    if a.abs() > half + 4.0 || b < -half - 14.0 || b > half + 18.0 {
                        10.0
                    } else if dark {
                        225.0
                    } else {
                        25.0
                    }
                }
            })
        };
        // 2x2 supersampling: module edges land between pixels as they do through a lens.
        for y in y0..y1 {
            for x in x0..x1 {
                let mut sum = 0.0;
                let mut hits = 0;
                for (ox, oy) in [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)] {
                    if let Some(s) = sample(x as f32 + ox, y as f32 + oy) {
                        sum += s;
                        hits += 1;
                    }
                }
                if hits > 0 {
                    let i = (y * self.width + x) as usize;
                    let bg = f.data[i] as f32 * (4 - hits) as f32;
                    f.data[i] = ((sum + bg) / 4.0) as u8;
                }
            }
        }
    }
}

/// A door behind the ticket: a soft gradient with a few blocks of furniture and clothing.
fn background(width: u32, height: u32, rng: &mut ChaCha8Rng) -> LumaFrame {
    let base = rng.random_range(60.0..170.0f32);
    let slope = rng.random_range(-60.0..60.0f32);
    let mut f = LumaFrame::filled(width, height, 0);
    for y in 0..height {
        let v = (base + slope * y as f32 / height as f32).clamp(0.0, 255.0) as u8;
        f.data[(y * width) as usize..((y + 1) * width) as usize].fill(v);
    }
    for _ in 0..rng.random_range(2..7) {
        let (bw, bh) = (
            rng.random_range(40..width / 3),
            rng.random_range(40..height / 2),
        );
        let (bx, by) = (
            rng.random_range(0..width - bw),
            rng.random_range(0..height - bh),
        );
        let v = rng.random_range(20..230u32) as u8;
        for y in by..by + bh {
            f.data[(y * width + bx) as usize..(y * width + bx + bw) as usize].fill(v);
        }
    }
    f
}

/// One pass of a box blur of radius `r`, horizontal then vertical, with running sums.
pub fn box_blur(f: &mut LumaFrame, r: u32) {
    let (w, h) = (f.width as usize, f.height as usize);
    let r = r as usize;
    let mut line = vec![0u8; w.max(h)];
    let run = |get: &dyn Fn(usize) -> u8, len: usize, out: &mut [u8]| {
        let mut sum: u32 = 0;
        let at = |i: isize| get(i.clamp(0, len as isize - 1) as usize) as u32;
        for i in -(r as isize)..=(r as isize) {
            sum += at(i);
        }
        for (i, o) in out.iter_mut().enumerate().take(len) {
            *o = (sum / (2 * r as u32 + 1)) as u8;
            sum += at(i as isize + r as isize + 1);
            sum -= at(i as isize - r as isize);
        }
    };
    for y in 0..h {
        let row: Vec<u8> = f.data[y * w..(y + 1) * w].to_vec();
        run(&|i| row[i], w, &mut line[..w]);
        f.data[y * w..(y + 1) * w].copy_from_slice(&line[..w]);
    }
    for x in 0..w {
        let col: Vec<u8> = (0..h).map(|y| f.data[y * w + x]).collect();
        run(&|i| col[i], h, &mut line[..h]);
        for (y, v) in line[..h].iter().enumerate() {
            f.data[y * w + x] = *v;
        }
    }
}

/// Averages `len` samples along the direction `angle` (degrees).
pub fn motion_blur(f: &mut LumaFrame, len: u32, angle: f32) {
    let (w, h) = (f.width as i64, f.height as i64);
    let (dx, dy) = (angle.to_radians().cos(), angle.to_radians().sin());
    let offsets: Vec<i64> = (0..len)
        .map(|k| {
            let t = k as f32 - (len - 1) as f32 / 2.0;
            let (ox, oy) = ((t * dx).round() as i64, (t * dy).round() as i64);
            oy * w + ox
        })
        .collect();
    let src = f.data.clone();
    let n = (w * h) as usize;
    for (i, out) in f.data.iter_mut().enumerate() {
        let sum: u32 = offsets
            .iter()
            .map(|o| src[(i as i64 + o).clamp(0, n as i64 - 1) as usize] as u32)
            .sum();
        *out = (sum / len) as u8;
    }
}

/// Compresses the frame as a camera's MJPEG would, and decodes it back.
pub fn jpeg_round_trip(f: &LumaFrame, quality: u8) -> LumaFrame {
    let mut bytes = vec![];
    let ok = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality)
        .encode(&f.data, f.width, f.height, image::ExtendedColorType::L8)
        .is_ok();
    let mut data = vec![];
    match ok.then(|| crate::luma::mjpeg_to_luma(&bytes, &mut data)) {
        Some(Ok(_)) => LumaFrame {
            width: f.width,
            height: f.height,
            data,
        },
        _ => f.clone(),
    }
}

/// How hard a door frame is to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Difficulty {
    /// Big modules, a near-frontal card, little rotation, blur or glare; no dark mode.
    Easy,
    /// Smaller modules, any rotation, steeper tilt, more blur, glare and noise.
    Medium,
    /// The smallest modules, the steepest tilt, low contrast, strong blur, glare and
    /// JPEG loss.
    Hard,
}

impl Difficulty {
    /// Every difficulty, easiest first.
    pub const ALL: [Difficulty; 3] = [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard];

    /// Its name in reports: `easy`, `medium`, `hard`.
    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }
}

/// One generated door frame and what it shows.
#[derive(Debug, Clone)]
pub struct DoorFrame {
    /// How to draw it ([`Shot::render`]).
    pub shot: Shot,
    /// How hard it was made to read.
    pub difficulty: Difficulty,
}

/// A ticket-like payload: a `tkt_` id of 26 lowercase base-32 characters, sometimes in a URL.
pub fn ticket_payload(rng: &mut impl Rng) -> Vec<u8> {
    const ALPHABET: &[u8] = b"0123456789abcdefghjkmnpqrstvwxyz";
    let body: String = (0..26)
        .map(|_| ALPHABET[rng.random_range(0..32)] as char)
        .collect();
    if rng.random_bool(0.3) {
        format!("https://tickets.example/t/tkt_{body}").into_bytes()
    } else {
        format!("tkt_{body}").into_bytes()
    }
}

/// The seeded door-frame set: `per_difficulty` frames with a code at each difficulty, and
/// `no_code` frames without one (all at medium-to-hard conditions, so phantoms get a chance).
///
/// - easy: modules 6–10 px, up to 15° rotation and 15° tilt, light blur and noise;
/// - medium: modules 4–8 px, any rotation, up to 35° tilt, defocus or motion blur, glare,
///   contrast down to 60 %, noise σ ≤ 6, JPEG q 60–90; one in six phones in dark mode;
/// - hard: modules 3–6 px, any rotation, up to 50° tilt, stronger blur, glare, contrast down
///   to 35 %, noise σ ≤ 10, JPEG q 35–75; one in five inverted.
pub fn door_frames(
    seed: u64,
    per_difficulty: usize,
    no_code: usize,
    width: u32,
    height: u32,
) -> Vec<DoorFrame> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = vec![];
    for difficulty in Difficulty::ALL {
        for _ in 0..per_difficulty {
            let payload = ticket_payload(&mut rng);
            out.push(DoorFrame {
                shot: door_shot(&mut rng, difficulty, Some(payload), width, height),
                difficulty,
            });
        }
    }
    for i in 0..no_code {
        let difficulty = if i % 2 == 0 {
            Difficulty::Medium
        } else {
            Difficulty::Hard
        };
        out.push(DoorFrame {
            shot: door_shot(&mut rng, difficulty, None, width, height),
            difficulty,
        });
    }
    out
}

fn door_shot(
    rng: &mut ChaCha8Rng,
    d: Difficulty,
    payload: Option<Vec<u8>>,
    width: u32,
    height: u32,
) -> Shot {
    use Difficulty::*;
    let pick = |rng: &mut ChaCha8Rng, e: (f32, f32), m: (f32, f32), h: (f32, f32)| {
        let (lo, hi) = match d {
            Easy => e,
            Medium => m,
            Hard => h,
        };
        if hi > lo {
            rng.random_range(lo..hi)
        } else {
            lo
        }
    };
    let module_px = pick(rng, (6.0, 10.0), (4.0, 8.0), (3.0, 6.0));
    let rotation = pick(rng, (-15.0, 15.0), (-180.0, 180.0), (-180.0, 180.0));
    let tilt = (
        pick(rng, (-15.0, 15.0), (-35.0, 35.0), (-50.0, 50.0)),
        pick(rng, (-15.0, 15.0), (-35.0, 35.0), (-50.0, 50.0)),
    );
    let carrier = match (d, rng.random_range(0..30)) {
        (Easy, 0..=19) => Carrier::Paper,
        (Easy, _) => Carrier::Phone,
        (Medium, 0..=14) => Carrier::Paper,
        (Medium, 15..=24) => Carrier::Phone,
        (Medium, _) => Carrier::PhoneDark,
        (Hard, 0..=11) => Carrier::Paper,
        (Hard, 12..=23) => Carrier::Phone,
        (Hard, _) => Carrier::PhoneDark,
    };
    let blur_kind = rng.random_range(0..3);
    let defocus = if blur_kind == 1 {
        pick(rng, (0.0, 1.5), (1.0, 2.5), (1.0, 3.0)) as u32
    } else {
        0
    };
    let motion = if blur_kind == 2 {
        (
            pick(rng, (0.0, 4.0), (2.0, 8.0), (4.0, 12.0)) as u32,
            rng.random_range(0.0..180.0),
        )
    } else {
        (0, 0.0)
    };
    let glare = if rng.random_bool(match d {
        Easy => 0.1,
        Medium => 0.3,
        Hard => 0.5,
    }) {
        pick(rng, (20.0, 60.0), (40.0, 120.0), (80.0, 180.0))
    } else {
        0.0
    };
    let contrast = pick(rng, (0.8, 1.0), (0.6, 1.0), (0.35, 0.8));
    let noise = pick(rng, (0.0, 3.0), (2.0, 6.0), (4.0, 10.0));
    let jpeg_quality = Some(pick(rng, (80.0, 95.0), (60.0, 90.0), (35.0, 75.0)) as u8);
    let centre = (rng.random_range(0.3..0.7), rng.random_range(0.3..0.7));
    Shot {
        width,
        height,
        payload,
        carrier,
        module_px,
        centre,
        rotation,
        tilt,
        defocus,
        motion,
        glare,
        contrast,
        noise,
        jpeg_quality,
        seed: rng.random(),
    }
}
