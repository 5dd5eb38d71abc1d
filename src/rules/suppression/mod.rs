//! Rules about suppression comments.

pub(super) mod unused_suppression;
