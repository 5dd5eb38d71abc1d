//! Rules about mistakes that break the build or change what it builds.

pub(super) mod bashism;
pub(super) mod cd_failure_ignored;
pub(super) mod cmd_file_missing;
pub(super) mod copy_from_unknown_stage;
pub(super) mod export_masks_failure;
pub(super) mod expose_host_port;
pub(super) mod expose_invalid_port;
pub(super) mod from_arg_default_invalid;
pub(super) mod from_platform;
pub(super) mod install_failure_masked;
pub(super) mod install_manifest_missing;
pub(super) mod install_without_yes;
pub(super) mod overridden_instruction;
pub(super) mod pipe_masks_download_failure;
pub(super) mod single_quoted_variable;
pub(super) mod stage_name_conflict;
pub(super) mod undefined_run_variable;
pub(super) mod undefined_variable;
pub(super) mod untagged_base_image;
pub(super) mod workdir_relative;
