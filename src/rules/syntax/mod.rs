//! Rules about what BuildKit cannot parse or reads differently than written.

pub(super) mod empty_continuation;
pub(super) mod syntax_error;
