//! What the build is for: which stage is the image (`--target`, compose's or a dev container's
//! `build.target`) and who starts containers from it, which decides whether it must name a command.

/// Who runs the image the build produces.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Runner {
    /// Started with `docker run` or the like: the image's own CMD/ENTRYPOINT is what runs.
    #[default]
    Image,
    /// Every compose service that builds it sets `command:` or `entrypoint:`.
    Compose { service: String },
    /// A dev container: the editor starts it with a command of its own and keeps it alive.
    DevContainer { config: String },
    /// Another Dockerfile builds on it (`FROM` or `COPY --from`): a base image, never run as
    /// the application.
    BaseOf { consumer: String },
}

/// How the image of this Dockerfile is built and used.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Purpose {
    /// The stage to build, like `docker build --target`; `None` builds the last stage.
    pub target: Option<String>,
    pub runner: Runner,
    /// The container ports that the compose service building the image publishes or
    /// exposes, each with where it is said (`` `ports: 8097:8088` of service `web` ``).
    pub published: Vec<(u16, String)>,
    /// `published` comes from services that run the image's own command (none overrides it
    /// with `command:` or `entrypoint:`), so it is evidence of the port that command serves.
    pub published_runs_image: bool,
    /// The registries base images may come from (configuration `trusted-registries`, hadolint's
    /// `trustedRegistries`); empty: any.
    pub trusted_registries: Vec<String>,
    /// The labels the image must carry and the kind of value each holds (configuration
    /// `[label-schema]`, hadolint's `label-schema`), by name; empty: no schema.
    pub label_schema: Vec<(String, LabelKind)>,
    /// Labels outside the schema are reported too (`strict-labels`).
    pub strict_labels: bool,
}

/// The kinds of label values a label schema names, as hadolint spells them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelKind {
    Text,
    Url,
    Email,
    Rfc3339,
    Spdx,
    Hash,
    Semver,
}

impl LabelKind {
    pub const NAMES: &'static str = "text, url, email, rfc3339, spdx, hash or semver";

    pub fn parse(s: &str) -> Option<LabelKind> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "text" => LabelKind::Text,
            "url" => LabelKind::Url,
            "email" => LabelKind::Email,
            "rfc3339" => LabelKind::Rfc3339,
            "spdx" => LabelKind::Spdx,
            "hash" => LabelKind::Hash,
            "semver" => LabelKind::Semver,
            _ => return None,
        })
    }
}

impl Purpose {
    /// Does the image have to say what a container runs? Not when its runner supplies the
    /// command or it is only ever built upon.
    pub fn needs_command(&self) -> bool {
        matches!(self.runner, Runner::Image)
    }

    /// Does the image have to declare the ports it serves? Not for a base image (its children
    /// declare theirs) nor a dev container (the editor forwards ports from its own settings).
    pub fn declares_ports(&self) -> bool {
        matches!(self.runner, Runner::Image | Runner::Compose { .. })
    }
}
