//! The API token: a type that never prints, logs or serializes, and where it is kept.
//!
//! **Architecture invariant:** the token exists only in the OS keychain, in the
//! `SESSION_SERVICES_TOKEN` environment variable, and in memory inside [`Token`]. It is never
//! written to the data folder, a log or an error message.

use std::fmt;

/// A bearer token. `Debug` and `Display` print `Token(…)`; there is no `Serialize`.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Trims surrounding whitespace (a pasted token often ends in a newline); refuses an
    /// empty or multi-line token.
    pub fn new(raw: &str) -> Result<Token, TokenError> {
        let t = raw.trim();
        if t.is_empty() {
            return Err(TokenError::Empty);
        }
        if t.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(TokenError::Malformed);
        }
        Ok(Token(t.to_string()))
    }

    /// The secret itself, for the `Authorization` header and the keychain only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(…)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(…)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("no token given")]
    Empty,
    #[error("the token has spaces or line breaks inside it; paste it again")]
    Malformed,
    #[error(
        "no token for tenant {tenant} on {api}: run `usher login` (or set SESSION_SERVICES_TOKEN)"
    )]
    Missing { tenant: String, api: String },
    #[error("the OS keychain failed: {0}")]
    Keychain(String),
}

/// Where tokens are kept, per tenant and API. The real one is [`Keychain`]; tests that are
/// not about the keychain pass another.
pub trait TokenStore: Send + Sync {
    fn get(&self, api: &str, tenant: &str) -> Result<Option<Token>, TokenError>;
    fn set(&self, api: &str, tenant: &str, token: &Token) -> Result<(), TokenError>;
    /// Returns whether a token was there.
    fn delete(&self, api: &str, tenant: &str) -> Result<bool, TokenError>;
}

/// The OS keychain (Secret Service on Linux) through keyring 3.
pub struct Keychain;

const SERVICE: &str = "services.usher.door";

fn entry(api: &str, tenant: &str) -> Result<keyring::Entry, TokenError> {
    keyring::Entry::new(SERVICE, &format!("{tenant}@{api}"))
        .map_err(|e| TokenError::Keychain(e.to_string()))
}

impl TokenStore for Keychain {
    fn get(&self, api: &str, tenant: &str) -> Result<Option<Token>, TokenError> {
        match entry(api, tenant)?.get_password() {
            Ok(p) => Token::new(&p).map(Some),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(TokenError::Keychain(e.to_string())),
        }
    }

    fn set(&self, api: &str, tenant: &str, token: &Token) -> Result<(), TokenError> {
        entry(api, tenant)?
            .set_password(token.expose())
            .map_err(|e| TokenError::Keychain(e.to_string()))
    }

    fn delete(&self, api: &str, tenant: &str) -> Result<bool, TokenError> {
        match entry(api, tenant)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(TokenError::Keychain(e.to_string())),
        }
    }
}

/// The environment variable that overrides the keychain, for automation.
pub const TOKEN_ENV: &str = "SESSION_SERVICES_TOKEN";

/// The token to use: `SESSION_SERVICES_TOKEN` when set, otherwise the store's.
pub fn resolve(store: &dyn TokenStore, api: &str, tenant: &str) -> Result<Token, TokenError> {
    if let Ok(raw) = std::env::var(TOKEN_ENV) {
        if !raw.trim().is_empty() {
            return Token::new(&raw);
        }
    }
    store.get(api, tenant)?.ok_or_else(|| TokenError::Missing {
        tenant: tenant.to_string(),
        api: api.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_never_prints_its_secret() {
        let t = Token::new("s3cret-value\n").unwrap();
        assert_eq!(t.expose(), "s3cret-value");
        assert!(!format!("{t:?} {t}").contains("s3cret"));
        let wrapped = Some(t);
        assert!(!format!("{wrapped:?}").contains("s3cret"));
    }

    #[test]
    fn empty_or_multiline_tokens_are_refused() {
        assert!(matches!(Token::new("  \n"), Err(TokenError::Empty)));
        assert!(matches!(Token::new("abc def"), Err(TokenError::Malformed)));
    }
}
