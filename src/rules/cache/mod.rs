//! Rules about layer-cache order and image size.

pub(super) mod apt_update_separate;
pub(super) mod broad_copy_unfiltered;
pub(super) mod build_fetches_deps;
pub(super) mod copy_before_install;
pub(super) mod no_install_recommends;
pub(super) mod package_cache_kept;
pub(super) mod useradd_high_uid;
