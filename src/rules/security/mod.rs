//! Rules about secrets the image would keep.

pub(super) mod final_user_root;
pub(super) mod secret_in_arg_or_env;
pub(super) mod untrusted_registry;
