//! Rules about consistency and deprecated forms.

pub(super) mod add_instead_of_copy;
pub(super) mod apt_in_script;
pub(super) mod deprecated_maintainer;
pub(super) mod description_comment;
pub(super) mod expose_protocol_case;
pub(super) mod from_as_casing;
pub(super) mod instruction_casing;
pub(super) mod label_schema;
pub(super) mod legacy_key_value;
pub(super) mod stage_name_case;
