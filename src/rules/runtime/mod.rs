//! Rules about what the container runs and listens on.

pub(super) mod expose_port_mismatch;
pub(super) mod missing_cmd;
pub(super) mod missing_expose;
pub(super) mod shell_form_cmd;
