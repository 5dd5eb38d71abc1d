//! Rules about reproducible installs: packages installed without a version. Off by default:
//! package repositories drop superseded versions (Alpine's always do), so a pinned install can
//! break a later build, and whether to pin is a project's choice.

pub(super) mod unpinned_package;
