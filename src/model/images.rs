//! What layerlint knows about well-known base images without pulling them: whether their own
//! CMD starts the service the image exists for, or only a shell or an interpreter's REPL, and
//! which shell `/bin/sh` is.

use crate::shell::exec::ShellKind;

/// A parsed image reference: `docker.io/library/python:3.12-slim@sha256:...` →
/// repository `python`, tag `3.12-slim`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    /// Repository path without registry and without `library/` (`python`, `bitnami/redis`).
    pub repository: String,
    pub tag: String,
}

impl ImageRef {
    pub fn parse(image: &str) -> ImageRef {
        let without_digest = image.split('@').next().unwrap_or(image);
        let (name, tag) = match without_digest.rsplit_once(':') {
            Some((n, t)) if !t.contains('/') => (n, t),
            _ => (without_digest, "latest"),
        };
        let mut parts: Vec<&str> = name.split('/').collect();
        // A first component with a dot, a colon or `localhost` is a registry host.
        if parts.len() > 1 && (parts[0].contains(['.', ':']) || parts[0] == "localhost") {
            parts.remove(0);
        }
        if parts.len() > 1 && parts[0] == "library" {
            parts.remove(0);
        }
        ImageRef {
            repository: parts.join("/").to_ascii_lowercase(),
            tag: tag.to_ascii_lowercase(),
        }
    }

    /// The last path component (`bitnami/redis` → `redis`).
    pub fn short_name(&self) -> &str {
        self.repository
            .rsplit('/')
            .next()
            .unwrap_or(&self.repository)
    }
}

/// How an image reference, as written, fixes what a build pulls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pin<'a> {
    /// `@sha256:…`: the same image every build, whatever its tag says.
    Digest,
    /// A tag (`3.12-slim`, `latest`) and its byte offset in the reference.
    Tag(&'a str, usize),
    /// Neither: the registry gives its `latest`.
    Untagged,
}

/// The pin of `image` (`python:3.12`, `localhost:5000/app`, `alpine@sha256:…`).
pub fn pin_of(image: &str) -> Pin<'_> {
    if image.contains('@') {
        return Pin::Digest;
    }
    match image.rsplit_once(':') {
        // A colon before the last `/` is a registry port.
        Some((name, tag)) if !tag.contains('/') => Pin::Tag(tag, name.len() + 1),
        _ => Pin::Untagged,
    }
}

/// Docker Hub's official images (`docker.io/library/…`) that Dockerfiles copy files from by
/// their bare name (`COPY --from=busybox`, `--from=composer:2`): such a name is an image
/// BuildKit pulls, not a stage that is missing.
const LIBRARY_IMAGES: &[&str] = &[
    "almalinux",
    "alpine",
    "amazoncorretto",
    "amazonlinux",
    "archlinux",
    "bash",
    "buildpack-deps",
    "busybox",
    "caddy",
    "cassandra",
    "centos",
    "clojure",
    "composer",
    "consul",
    "couchdb",
    "dart",
    "debian",
    "docker",
    "drupal",
    "eclipse-mosquitto",
    "eclipse-temurin",
    "elasticsearch",
    "elixir",
    "erlang",
    "fedora",
    "gcc",
    "ghost",
    "golang",
    "gradle",
    "groovy",
    "haproxy",
    "haskell",
    "hello-world",
    "httpd",
    "ibm-semeru-runtimes",
    "ibmjava",
    "influxdb",
    "jetty",
    "joomla",
    "julia",
    "kong",
    "mariadb",
    "maven",
    "memcached",
    "mongo",
    "mono",
    "mysql",
    "nats",
    "neo4j",
    "nextcloud",
    "nginx",
    "node",
    "openjdk",
    "oraclelinux",
    "perl",
    "photon",
    "php",
    "postgres",
    "pypy",
    "python",
    "r-base",
    "rabbitmq",
    "redis",
    "registry",
    "rockylinux",
    "ruby",
    "rust",
    "sapmachine",
    "solr",
    "sonarqube",
    "swift",
    "telegraf",
    "tomcat",
    "tomee",
    "traefik",
    "ubuntu",
    "vault",
    "wordpress",
    "zookeeper",
];

/// Is `name` (a repository without registry, tag or digest) an official Docker Hub image?
pub fn is_library_image(name: &str) -> bool {
    LIBRARY_IMAGES.contains(&name.to_ascii_lowercase().as_str())
}

/// What a base image runs when nothing overrides its CMD.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefaultCommand {
    /// The image's CMD starts the service it exists for (nginx, postgres, …).
    Service,
    /// A shell, a REPL, or nothing at all: a container from it does nothing useful.
    ShellOrNothing,
    /// Not a well-known image.
    Unknown,
}

const SERVICE_IMAGES: &[&str] = &[
    "nginx",
    "httpd",
    "apache",
    "postgres",
    "postgis",
    "redis",
    "valkey",
    "mysql",
    "mariadb",
    "mongo",
    "memcached",
    "rabbitmq",
    "elasticsearch",
    "opensearch",
    "kibana",
    "traefik",
    "caddy",
    "haproxy",
    "tomcat",
    "jetty",
    "wordpress",
    "ghost",
    "drupal",
    "joomla",
    "nextcloud",
    "grafana",
    "prometheus",
    "alertmanager",
    "node-exporter",
    "influxdb",
    "telegraf",
    "cassandra",
    "couchdb",
    "neo4j",
    "zookeeper",
    "kafka",
    "consul",
    "vault",
    "registry",
    "minio",
    "keycloak",
    "sonarqube",
    "jenkins",
    "gitlab-ce",
    "nginx-unprivileged",
    "openresty",
    "varnish",
    "squid",
    "mosquitto",
    "eclipse-mosquitto",
    "solr",
    "odoo",
    "redmine",
    "mediawiki",
    "matomo",
    "phpmyadmin",
    "adminer",
    "envoy",
    "etcd",
    "clickhouse-server",
    "selenium",
    "standalone-chrome",
    "nats",
    "emqx",
    "superset",
    "airflow",
    "metabase",
    "owncloud",
];

const SHELL_IMAGES: &[&str] = &[
    "python",
    "node",
    "ruby",
    "golang",
    "go",
    "debian",
    "ubuntu",
    "alpine",
    "centos",
    "fedora",
    "rockylinux",
    "almalinux",
    "amazonlinux",
    "oraclelinux",
    "busybox",
    "archlinux",
    "opensuse",
    "leap",
    "tumbleweed",
    "openjdk",
    "eclipse-temurin",
    "amazoncorretto",
    "ibmjava",
    "sapmachine",
    "rust",
    "gcc",
    "perl",
    "erlang",
    "elixir",
    "haskell",
    "julia",
    "r-base",
    "swift",
    "clojure",
    "dart",
    "groovy",
    "kotlin",
    "pypy",
    "bash",
    "buildpack-deps",
    "maven",
    "gradle",
    "sbt",
    "mono",
    "aspnet",
    "runtime",
    "sdk",
    "runtime-deps",
    "deno",
    "bun",
    "ubi",
    "ubi-minimal",
    "ubi8",
    "ubi9",
    "ubi-micro",
    "static",
    "base",
    "cc",
    "java",
    "nodejs",
    "python3",
    "miniconda3",
    "micromamba",
    "anaconda3",
    "mambaforge",
    "miniforge3",
    "wolfi-base",
    "chainguard",
    "distroless",
    "php",
    "composer",
];

const OFFICIAL_NAMESPACES: &[&str] = &[
    "amd64",
    "arm32v5",
    "arm32v6",
    "arm32v7",
    "arm64v8",
    "i386",
    "ppc64le",
    "riscv64",
    "s390x",
    "dotnet",
    "distroless",
    "docker",
    "ubi8",
    "ubi9",
    "ubi10",
];

/// What `image`'s own CMD does, from its name alone.
pub fn default_command(image: &str) -> DefaultCommand {
    let r = ImageRef::parse(image);
    // Only official images are known by name: `webdevops/php` is not `php` and has its own CMD.
    // Architecture mirrors (`amd64/alpine`) and vendor paths of official images are the same image.
    let official = match r.repository.split_once('/') {
        None => true,
        Some((ns, _)) => OFFICIAL_NAMESPACES.contains(&ns),
    };
    if !official {
        return DefaultCommand::Unknown;
    }
    let name = r.short_name();
    if name == "php" {
        // php:*-apache and php:*-fpm run their server; the plain and -cli tags run `php -a`.
        return if r.tag.contains("apache") || r.tag.contains("fpm") {
            DefaultCommand::Service
        } else {
            DefaultCommand::ShellOrNothing
        };
    }
    if SERVICE_IMAGES.contains(&name) {
        DefaultCommand::Service
    } else if SHELL_IMAGES.contains(&name) {
        DefaultCommand::ShellOrNothing
    } else {
        DefaultCommand::Unknown
    }
}

/// Official images built on Debian or Ubuntu by default, where `/bin/sh` is dash.
const BIN_SH_DASH: &[&str] = &[
    "debian",
    "ubuntu",
    "buildpack-deps",
    "python",
    "pypy",
    "node",
    "ruby",
    "golang",
    "rust",
    "gcc",
    "perl",
    "php",
    "openjdk",
    "eclipse-temurin",
    "maven",
    "gradle",
    "erlang",
    "elixir",
    "haskell",
    "julia",
    "r-base",
    "swift",
    "deno",
    "bun",
    "aspnet",
    "runtime",
    "runtime-deps",
    "sdk",
    "nginx",
    "httpd",
    "postgres",
    "redis",
    "mariadb",
    "mongo",
    "rabbitmq",
    "tomcat",
    "wordpress",
    "memcached",
    "haproxy",
];

/// Official images built on Alpine or BusyBox, where `/bin/sh` is busybox ash.
const BIN_SH_BUSYBOX: &[&str] = &["alpine", "busybox", "bash", "docker", "caddy", "traefik"];

/// Official images built on Red Hat-like or other distributions whose `/bin/sh` is bash.
const BIN_SH_BASH: &[&str] = &[
    "centos",
    "fedora",
    "rockylinux",
    "almalinux",
    "amazonlinux",
    "oraclelinux",
    "amazoncorretto",
    "mysql",
    "ubi",
    "ubi-minimal",
    "ubi-init",
    "archlinux",
    "leap",
    "tumbleweed",
];

/// Tag words that name the distribution under an official image and so decide its `/bin/sh`
/// (`python:3.12-alpine`, `eclipse-temurin:21-jre-ubi9-minimal`, `node:20-bookworm-slim`);
/// a word matches when it starts with the prefix.
const TAG_BIN_SH: &[(&str, ShellKind)] = &[
    ("windowsservercore", ShellKind::Cmd),
    ("nanoserver", ShellKind::Cmd),
    ("alpine", ShellKind::BusyboxAsh),
    ("ubi", ShellKind::Bash),
    ("oraclelinux", ShellKind::Bash),
    ("amazonlinux", ShellKind::Bash),
    ("al2", ShellKind::Bash),
    ("centos", ShellKind::Bash),
    ("rockylinux", ShellKind::Bash),
    ("almalinux", ShellKind::Bash),
    ("fedora", ShellKind::Bash),
    ("debian", ShellKind::Dash),
    ("ubuntu", ShellKind::Dash),
    ("slim", ShellKind::Dash),
    ("trixie", ShellKind::Dash),
    ("bookworm", ShellKind::Dash),
    ("bullseye", ShellKind::Dash),
    ("buster", ShellKind::Dash),
    ("stretch", ShellKind::Dash),
    ("noble", ShellKind::Dash),
    ("jammy", ShellKind::Dash),
    ("focal", ShellKind::Dash),
    ("bionic", ShellKind::Dash),
];

/// What `/bin/sh` is in `image`, from its name alone: `Missing` for images without any shell
/// (distroless, Chainguard's non-`-dev` images), `Cmd` for Windows images, `Unknown` for an
/// image this table does not know.
pub fn bin_sh(image: &str) -> ShellKind {
    if image.contains('$') {
        return ShellKind::Unknown;
    }
    let r = ImageRef::parse(image);
    let tag_words = || r.tag.split(['-', '_']);
    // Windows images, official or not, by the names Microsoft gives them
    // (`microsoft/windowsservercore`, `mcr.microsoft.com/windows/nanoserver`, `*:ltsc2022`).
    let windows_word = |w: &str| {
        ["windows", "servercore", "nanoserver"]
            .iter()
            .any(|k| w.contains(k))
    };
    if r.repository.split(['/', '-']).any(windows_word)
        || tag_words().any(|w| windows_word(w) || w.starts_with("ltsc"))
    {
        return ShellKind::Cmd;
    }
    match r.repository.split_once('/') {
        // The debug tags add a busybox under /busybox, not at /bin/sh.
        Some(("distroless", _)) if !r.tag.contains("debug") => return ShellKind::Missing,
        Some(("distroless", _)) => return ShellKind::Unknown,
        Some(("chainguard", "wolfi-base")) => return ShellKind::BusyboxAsh,
        Some(("chainguard", _)) if tag_words().any(|w| w == "dev") => return ShellKind::BusyboxAsh,
        Some(("chainguard", _)) => return ShellKind::Missing,
        Some((ns, _)) if !OFFICIAL_NAMESPACES.contains(&ns) => return ShellKind::Unknown,
        _ => {}
    }
    let name = r.short_name();
    let family = if BIN_SH_DASH.contains(&name) {
        ShellKind::Dash
    } else if BIN_SH_BUSYBOX.contains(&name) {
        ShellKind::BusyboxAsh
    } else if BIN_SH_BASH.contains(&name) {
        ShellKind::Bash
    } else {
        return ShellKind::Unknown;
    };
    let by_tag = tag_words().find_map(|w| {
        TAG_BIN_SH
            .iter()
            .find(|(prefix, _)| w.starts_with(prefix))
            .map(|(_, k)| *k)
    });
    by_tag.unwrap_or(family)
}

/// Directories that official images create and leave empty, though directories of that name
/// usually hold files in other images: the php images' document root.
const LEFT_EMPTY: &[(&str, &[&str])] = &[("php", &["/var/www/html"])];

/// `image` is known to hold nothing at or below `p` (absolute, cleaned).
pub fn leaves_empty(image: &str, p: &str) -> bool {
    let r = ImageRef::parse(image);
    if r.repository.contains('/') {
        return false;
    }
    LEFT_EMPTY.iter().any(|(name, dirs)| {
        *name == r.repository
            && dirs
                .iter()
                .any(|d| p == *d || p.strip_prefix(d).is_some_and(|r| r.starts_with('/')))
    })
}

/// Official images whose configuration sets no environment but `PATH`: in a stage built on one
/// of them (or on `scratch`, where BuildKit sets `PATH`), every other variable comes from the
/// Dockerfile. Images that set more (`python` sets `PYTHON_VERSION`, `node` `NODE_VERSION`, ...)
/// are not listed: what they set is theirs to change.
const PATH_ONLY_IMAGES: &[&str] = &["alpine", "busybox", "debian", "ubuntu"];

/// Does the image set no environment variable but `PATH`?
pub fn sets_only_path(image: &str) -> bool {
    let r = ImageRef::parse(image);
    !r.repository.contains('/') && PATH_ONLY_IMAGES.contains(&r.repository.as_str())
}

/// Variables that base images commonly set in their configuration (`ENV` of the image), by
/// name or ending: a Dockerfile may use them without defining them.
pub fn commonly_set_by_images(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "PATH",
        "HOME",
        "LANG",
        "LANGUAGE",
        "LC_ALL",
        "TZ",
        "HOSTNAME",
        "USER",
        "GOPATH",
        "GOROOT",
        "GOTOOLCHAIN",
        "CARGO_HOME",
        "RUSTUP_HOME",
        "GPG_KEY",
        "PHPIZE_DEPS",
        "PHP_INI_DIR",
        "APACHE_CONFDIR",
        "APACHE_ENVVARS",
        "NGINX_VERSION",
        "JAVA_HOME",
        "MAVEN_HOME",
        "GRADLE_HOME",
        "DOTNET_RUNNING_IN_CONTAINER",
        "ASPNETCORE_HTTP_PORTS",
        "BUNDLE_APP_CONFIG",
        "GEM_HOME",
        "VIRTUAL_ENV",
        "CONDA_DIR",
        "NVM_DIR",
        "DEBIAN_FRONTEND",
    ];
    NAMES.contains(&name)
        || ["_VERSION", "_HOME", "_SHA256", "_DIR", "_PATH", "_URL"]
            .iter()
            .any(|s| name.ends_with(s))
}

/// Would `reference.ParseNormalizedNamed` (what BuildKit checks a base image name with) accept
/// `name`? `[host[:port]/]path[:tag][@digest]`, where the path is lower-case components
/// separated by `/`, a component being alphanumerics joined by `.`, `_`, `__` or dashes.
pub fn is_valid_reference(name: &str) -> bool {
    let (rest, digest) = match name.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (name, None),
    };
    if let Some(d) = digest {
        let Some((algo, hex)) = d.split_once(':') else {
            return false;
        };
        if algo.is_empty() || hex.len() < 32 || !hex.chars().all(|c| c.is_ascii_alphanumeric()) {
            return false;
        }
    }
    // A tag follows the last `:` that comes after the last `/`.
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (path, tag) = match rest[slash..].rfind(':') {
        Some(i) => (&rest[..slash + i], Some(&rest[slash + i + 1..])),
        None => (rest, None),
    };
    if let Some(t) = tag {
        let ok_first = t.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
        if !ok_first
            || t.len() > 128
            || !t
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        {
            return false;
        }
    }
    let mut parts: Vec<&str> = path.split('/').collect();
    if parts.len() > 1 && (parts[0].contains(['.', ':']) || parts[0] == "localhost") {
        let host = parts.remove(0);
        let (h, port) = host.split_once(':').unwrap_or((host, ""));
        let host_ok = !h.is_empty()
            && h.split('.').all(|l| {
                !l.is_empty()
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if !host_ok
            || (host.contains(':')
                && (port.is_empty() || !port.chars().all(|c| c.is_ascii_digit())))
        {
            return false;
        }
    }
    !parts.is_empty() && parts.iter().all(|c| path_component_ok(c))
}

fn path_component_ok(c: &str) -> bool {
    let b = c.as_bytes();
    let alnum = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    if b.is_empty() || !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        // A separator: `.`, `_`, `__`, or one or more `-`, between alphanumerics.
        let start = i;
        match b[i] {
            b'.' => i += 1,
            b'_' => i += if b.get(i + 1) == Some(&b'_') { 2 } else { 1 },
            b'-' => {
                while b.get(i) == Some(&b'-') {
                    i += 1;
                }
            }
            _ => return false,
        }
        if i == start || !b.get(i).is_some_and(|x| alnum(*x)) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    #[test]
    fn references() {
        for ok in [
            "busybox",
            "busybox:latest",
            "scratch",
            "ghcr.io/a/b-c__d.e:1.2",
            "localhost:5000/x",
            "a/b@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "build",
        ] {
            assert!(super::is_valid_reference(ok), "{ok}");
        }
        for bad in [
            "",
            "busybox:",
            "busybox:stable:",
            "Busybox",
            "a//b",
            "a/",
            ":latest",
            "a-",
            "a@sha256",
            "a:-x",
        ] {
            assert!(!super::is_valid_reference(bad), "{bad}");
        }
    }

    use super::*;

    #[test]
    fn parses_references() {
        let r = ImageRef::parse("docker.io/library/python:3.12-slim@sha256:abc");
        assert_eq!(
            (r.repository.as_str(), r.tag.as_str()),
            ("python", "3.12-slim")
        );
        let r = ImageRef::parse("localhost:5000/team/app");
        assert_eq!(
            (r.repository.as_str(), r.tag.as_str()),
            ("team/app", "latest")
        );
        assert_eq!(
            ImageRef::parse("mcr.microsoft.com/dotnet/aspnet:8.0").short_name(),
            "aspnet"
        );
    }

    #[test]
    fn pins() {
        assert_eq!(pin_of("python:3.12"), Pin::Tag("3.12", 7));
        assert_eq!(pin_of("localhost:5000/app"), Pin::Untagged);
        assert_eq!(pin_of("localhost:5000/app:1"), Pin::Tag("1", 19));
        assert_eq!(pin_of("alpine:latest@sha256:abc"), Pin::Digest);
        assert_eq!(pin_of("ubuntu"), Pin::Untagged);
    }

    #[test]
    fn classifies() {
        assert_eq!(
            default_command("python:3.12"),
            DefaultCommand::ShellOrNothing
        );
        assert_eq!(default_command("nginx:alpine"), DefaultCommand::Service);
        assert_eq!(default_command("php:8.3-apache"), DefaultCommand::Service);
        assert_eq!(
            default_command("php:8.3-cli"),
            DefaultCommand::ShellOrNothing
        );
        assert_eq!(default_command("myorg/base"), DefaultCommand::Unknown);
        assert_eq!(
            default_command("webdevops/php:7.3"),
            DefaultCommand::Unknown
        );
        assert_eq!(
            default_command("amd64/alpine:3.20"),
            DefaultCommand::ShellOrNothing
        );
        assert_eq!(
            default_command("mcr.microsoft.com/dotnet/aspnet:8.0"),
            DefaultCommand::ShellOrNothing
        );
    }

    #[test]
    fn bin_sh_by_family_and_tag() {
        let cases = [
            ("python:3.12-slim", ShellKind::Dash),
            ("python:3.12-alpine", ShellKind::BusyboxAsh),
            ("python:3.12-windowsservercore-ltsc2022", ShellKind::Cmd),
            ("alpine:3.22", ShellKind::BusyboxAsh),
            ("docker.io/library/ubuntu:24.04", ShellKind::Dash),
            ("node:20-bookworm-slim", ShellKind::Dash),
            ("eclipse-temurin:21-jre-ubi9-minimal", ShellKind::Bash),
            ("eclipse-temurin:21-jre-alpine", ShellKind::BusyboxAsh),
            ("amazoncorretto:21", ShellKind::Bash),
            (
                "registry.access.redhat.com/ubi9/ubi-minimal",
                ShellKind::Bash,
            ),
            ("rockylinux:9", ShellKind::Bash),
            (
                "gcr.io/distroless/static-debian12:nonroot",
                ShellKind::Missing,
            ),
            ("gcr.io/distroless/base:debug", ShellKind::Unknown),
            ("cgr.dev/chainguard/python:latest", ShellKind::Missing),
            (
                "cgr.dev/chainguard/python:latest-dev",
                ShellKind::BusyboxAsh,
            ),
            (
                "mcr.microsoft.com/windows/servercore:ltsc2022",
                ShellKind::Cmd,
            ),
            ("mcr.microsoft.com/dotnet/aspnet:8.0", ShellKind::Dash),
            ("myorg/base:alpine", ShellKind::Unknown),
            ("${BASE}", ShellKind::Unknown),
            ("scratchy", ShellKind::Unknown),
        ];
        for (image, want) in cases {
            assert_eq!(bin_sh(image), want, "{image}");
        }
    }

    #[test]
    fn empty_document_root() {
        assert!(leaves_empty(
            "php:8.3-apache",
            "/var/www/html/composer.json"
        ));
        assert!(leaves_empty("docker.io/library/php:8-fpm", "/var/www/html"));
        assert!(!leaves_empty(
            "php:8.3-apache",
            "/var/www/htmlx/composer.json"
        ));
        assert!(!leaves_empty("php:8.3-apache", "/var/www/composer.json"));
        assert!(!leaves_empty("wordpress:6", "/var/www/html/wp-config.php"));
        assert!(!leaves_empty(
            "bitnami/php-fpm",
            "/var/www/html/composer.json"
        ));
    }
}
