//! Rules about the build context: what COPY and ADD read.

pub(super) mod context_secret_copied;
pub(super) mod copy_source_ignored;
pub(super) mod copy_source_missing;
pub(super) mod secret_content;
