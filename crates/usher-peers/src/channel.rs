//! An authenticated, encrypted connection between two doors: the Noise protocol
//! (`Noise_NNpsk0_25519_ChaChaPoly_BLAKE2s`, through the `snow` crate) over TCP.
//!
//! The pre-shared key is the group key for the exchange, or a join code's stretched key for a
//! join (`join.rs`). Fresh ephemeral keys on both sides give each connection its own keys
//! (forward secrecy); the PSK in the first message means a door without it fails the
//! handshake. The responder answers nothing until the initiator's first message decrypted,
//! so a door outside the group learns nothing, not even whether it guessed a group.
//!
//! On the wire: one byte in the clear saying what the connection is for (exchange or join,
//! bound into the handshake as the prologue), then frames of a 2-byte big-endian length and a
//! Noise message. A message of the exchange is JSON, split over as many frames as it needs;
//! the first frame's plaintext starts with its whole length (4 bytes, big-endian).

use crate::PeerError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const PATTERN: &str = "Noise_NNpsk0_25519_ChaChaPoly_BLAKE2s";
const PROLOGUE: &[u8] = b"usher doors v1 ";
/// The longest Noise message (the protocol's limit), and the plaintext that fits in one.
const MAX_FRAME: usize = 65_535;
const MAX_PLAIN: usize = MAX_FRAME - 16;
/// The longest message this side accepts: a batch of scans fits many times over.
const MAX_MESSAGE: usize = 16 * 1024 * 1024;

/// What a connection is for, said in the clear before the handshake (and bound into it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Doors of one group pulling each other's scans (the group key).
    Exchange,
    /// A new door joining by a join code (the code's key).
    Join,
}

impl Purpose {
    fn byte(self) -> u8 {
        match self {
            Purpose::Exchange => b'X',
            Purpose::Join => b'J',
        }
    }

    fn from_byte(b: u8) -> Option<Purpose> {
        match b {
            b'X' => Some(Purpose::Exchange),
            b'J' => Some(Purpose::Join),
            _ => None,
        }
    }
}

/// An open, encrypted connection.
pub struct Channel {
    stream: TcpStream,
    noise: snow::TransportState,
}

fn builder<'a>(psk: &'a [u8; 32], prologue: &'a [u8]) -> Result<snow::Builder<'a>, PeerError> {
    let params = PATTERN.parse().map_err(noise)?;
    snow::Builder::new(params)
        .psk(0, psk)
        .and_then(|b| b.prologue(prologue))
        .map_err(noise)
}

fn noise(e: snow::Error) -> PeerError {
    PeerError::Protocol(format!("noise: {e}"))
}

fn prologue(purpose: Purpose) -> Vec<u8> {
    let mut p = PROLOGUE.to_vec();
    p.push(purpose.byte());
    p
}

async fn write_frame(stream: &mut TcpStream, frame: &[u8]) -> Result<(), PeerError> {
    let len =
        u16::try_from(frame.len()).map_err(|_| PeerError::Protocol("frame too long".into()))?;
    let mut out = Vec::with_capacity(2 + frame.len());
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(frame);
    stream.write_all(&out).await.map_err(PeerError::io)
}

async fn read_frame(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<(), PeerError> {
    let mut len = [0u8; 2];
    stream.read_exact(&mut len).await.map_err(PeerError::io)?;
    buf.resize(u16::from_be_bytes(len) as usize, 0);
    stream.read_exact(buf).await.map_err(PeerError::io)?;
    Ok(())
}

/// Connects to a door at `addr` and runs the handshake as the initiator, within `deadline`.
/// A door that does not hold `psk` closes the connection: [`PeerError::NotInGroup`].
pub async fn connect(
    addr: &str,
    psk: &[u8; 32],
    purpose: Purpose,
    deadline: Duration,
) -> Result<Channel, PeerError> {
    tokio::time::timeout(deadline, async {
        let mut stream = TcpStream::connect(addr).await.map_err(PeerError::io)?;
        stream.set_nodelay(true).map_err(PeerError::io)?;
        stream
            .write_all(&[purpose.byte()])
            .await
            .map_err(PeerError::io)?;
        let prologue = prologue(purpose);
        let mut hs = builder(psk, &prologue)?.build_initiator().map_err(noise)?;
        let mut buf = vec![0u8; MAX_FRAME];
        let n = hs.write_message(&[], &mut buf).map_err(noise)?;
        write_frame(&mut stream, &buf[..n]).await?;
        let mut frame = Vec::new();
        // A responder without our key closes without a word.
        read_frame(&mut stream, &mut frame)
            .await
            .map_err(|_| PeerError::NotInGroup)?;
        hs.read_message(&frame, &mut buf)
            .map_err(|_| PeerError::NotInGroup)?;
        let noise = hs.into_transport_mode().map_err(noise)?;
        Ok(Channel { stream, noise })
    })
    .await
    .map_err(|_| PeerError::Timeout)?
}

/// Reads what an incoming connection is for.
pub async fn purpose(stream: &mut TcpStream) -> Result<Purpose, PeerError> {
    let mut b = [0u8; 1];
    stream.read_exact(&mut b).await.map_err(PeerError::io)?;
    Purpose::from_byte(b[0]).ok_or_else(|| PeerError::Protocol("not an Usher door".into()))
}

/// Runs the handshake as the responder on a connection whose [`purpose`] was read, within
/// `deadline`. Nothing is sent unless the initiator proved it holds `psk`.
pub async fn respond(
    mut stream: TcpStream,
    psk: &[u8; 32],
    purpose: Purpose,
    deadline: Duration,
) -> Result<Channel, PeerError> {
    tokio::time::timeout(deadline, async {
        stream.set_nodelay(true).map_err(PeerError::io)?;
        let prologue = prologue(purpose);
        let mut hs = builder(psk, &prologue)?.build_responder().map_err(noise)?;
        let mut frame = Vec::new();
        read_frame(&mut stream, &mut frame).await?;
        let mut buf = vec![0u8; MAX_FRAME];
        hs.read_message(&frame, &mut buf)
            .map_err(|_| PeerError::NotInGroup)?;
        let n = hs.write_message(&[], &mut buf).map_err(noise)?;
        write_frame(&mut stream, &buf[..n]).await?;
        let noise = hs.into_transport_mode().map_err(noise)?;
        Ok(Channel { stream, noise })
    })
    .await
    .map_err(|_| PeerError::Timeout)?
}

impl Channel {
    /// Sends one message, as JSON.
    pub async fn send<T: Serialize>(&mut self, message: &T) -> Result<(), PeerError> {
        let json = serde_json::to_vec(message).expect("exchange messages serialize");
        let mut plain = Vec::with_capacity(4 + json.len());
        plain.extend_from_slice(&(json.len() as u32).to_be_bytes());
        plain.extend_from_slice(&json);
        let mut cipher = vec![0u8; MAX_FRAME];
        let mut out = Vec::with_capacity(plain.len() + plain.len() / MAX_PLAIN * 18 + 18);
        for chunk in plain.chunks(MAX_PLAIN) {
            let n = self
                .noise
                .write_message(chunk, &mut cipher)
                .map_err(noise)?;
            out.extend_from_slice(&(n as u16).to_be_bytes());
            out.extend_from_slice(&cipher[..n]);
        }
        self.stream.write_all(&out).await.map_err(PeerError::io)
    }

    /// Receives one message. A frame that does not decrypt, a message longer than 16 MiB or
    /// JSON of another shape is an error, and the connection is not to be used again.
    pub async fn recv<T: DeserializeOwned>(&mut self) -> Result<T, PeerError> {
        let mut frame = Vec::new();
        let mut plain = vec![0u8; MAX_FRAME];
        read_frame(&mut self.stream, &mut frame).await?;
        let n = self
            .noise
            .read_message(&frame, &mut plain)
            .map_err(|_| PeerError::Protocol("a frame that does not decrypt".into()))?;
        if n < 4 {
            return Err(PeerError::Protocol("a message without its length".into()));
        }
        let total = u32::from_be_bytes([plain[0], plain[1], plain[2], plain[3]]) as usize;
        if total > MAX_MESSAGE {
            return Err(PeerError::Protocol(format!("a message of {total} bytes")));
        }
        let mut message = Vec::with_capacity(total);
        message.extend_from_slice(&plain[4..n]);
        while message.len() < total {
            read_frame(&mut self.stream, &mut frame).await?;
            let n = self
                .noise
                .read_message(&frame, &mut plain)
                .map_err(|_| PeerError::Protocol("a frame that does not decrypt".into()))?;
            message.extend_from_slice(&plain[..n]);
        }
        if message.len() != total {
            return Err(PeerError::Protocol("a message longer than it said".into()));
        }
        serde_json::from_slice(&message)
            .map_err(|e| PeerError::Protocol(format!("a message that does not read: {e}")))
    }
}
