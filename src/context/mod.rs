//! The build context as a lazy read-only view of a directory, with BuildKit's `.dockerignore`
//! semantics and COPY/ADD source resolution.
