use super::*;
use crate::shell::commands_of_script;

fn rec(s: &str) -> Option<ToolCommand> {
    let cmds = commands_of_script(s, |i| i);
    cmds.iter().find_map(recognise)
}

fn reads(tc: &ToolCommand) -> Vec<String> {
    tc.reads.iter().map(|r| r.candidates.join("|")).collect()
}

fn pkgs(tc: &ToolCommand) -> Vec<String> {
    tc.packages.iter().map(|w| w.value.clone()).collect()
}

use CommandKind::*;

/// Script, tool, kind, reads (alternatives joined by `|`), packages.
type Case<'a> = (&'a str, Tool, CommandKind, &'a [&'a str], &'a [&'a str]);

#[test]
fn kinds_and_reads_table() {
    let table: &[Case] = &[
        ("pip install -r requirements.txt", Tool::Pip, DependencyInstall, &["requirements.txt"], &[]),
        ("pip3 install --no-cache-dir --index-url https://x/simple -r req/base.txt", Tool::Pip, DependencyInstall, &["req/base.txt"], &[]),
        ("pip install -rrequirements.txt -c constraints.txt", Tool::Pip, DependencyInstall, &["requirements.txt", "constraints.txt"], &[]),
        ("pip install --requirement=r.txt", Tool::Pip, DependencyInstall, &["r.txt"], &[]),
        ("python3 -m pip install -r r.txt", Tool::Pip, DependencyInstall, &["r.txt"], &[]),
        ("/usr/bin/pip3.11 install flask==2.0 'uvicorn[standard]'", Tool::Pip, PackageInstall, &[], &["flask==2.0", "uvicorn[standard]"]),
        ("pip install .", Tool::Pip, WholeSourceStep, &[], &[]),
        ("pip install -e .[dev]", Tool::Pip, WholeSourceStep, &[], &[]),
        ("pip install --upgrade pip setuptools", Tool::Pip, PackageInstall, &[], &["pip", "setuptools"]),
        ("pip install dist/app-1.0.whl", Tool::Pip, PackageInstall, &[], &["dist/app-1.0.whl"]),
        ("pip cache purge", Tool::Pip, CacheClean, &[], &[]),
        ("uv pip install --system -r requirements.txt", Tool::Uv, DependencyInstall, &["requirements.txt"], &[]),
        ("uv sync --frozen --no-install-project", Tool::Uv, DependencyInstall, &["pyproject.toml", "uv.lock"], &[]),
        ("uv pip install --system fastapi", Tool::Uv, PackageInstall, &[], &["fastapi"]),
        ("poetry install --no-root --without dev", Tool::Poetry, DependencyInstall, &["pyproject.toml", "poetry.lock"], &[]),
        ("poetry add requests", Tool::Poetry, PackageInstall, &[], &["requests"]),
        ("pipenv install --deploy --system", Tool::Pipenv, DependencyInstall, &["Pipfile", "Pipfile.lock"], &[]),
        ("pipenv sync", Tool::Pipenv, DependencyInstall, &["Pipfile", "Pipfile.lock"], &[]),
        ("pdm install --prod", Tool::Pdm, DependencyInstall, &["pyproject.toml", "pdm.lock"], &[]),
        ("conda env create -f environment.yml", Tool::Conda, DependencyInstall, &["environment.yml"], &[]),
        ("micromamba install -y -n base -f /tmp/env.yaml", Tool::Conda, DependencyInstall, &["/tmp/env.yaml"], &[]),
        ("conda install -y -c conda-forge numpy", Tool::Conda, PackageInstall, &[], &["numpy"]),
        ("conda clean -afy", Tool::Conda, CacheClean, &[], &[]),
        ("npm ci", Tool::Npm, DependencyInstall, &["package.json", "package-lock.json|npm-shrinkwrap.json"], &[]),
        ("npm install --omit dev", Tool::Npm, DependencyInstall, &["package.json", "package-lock.json|npm-shrinkwrap.json"], &[]),
        ("npm --prefix app ci", Tool::Npm, DependencyInstall, &["app/package.json", "app/package-lock.json|app/npm-shrinkwrap.json"], &[]),
        ("npm install -g pm2", Tool::Npm, PackageInstall, &[], &["pm2"]),
        ("npm run build", Tool::Npm, WholeSourceStep, &[], &[]),
        ("npm cache clean --force", Tool::Npm, CacheClean, &[], &[]),
        ("yarn", Tool::Yarn, DependencyInstall, &["package.json", "yarn.lock"], &[]),
        ("yarn install --frozen-lockfile --network-timeout 100000", Tool::Yarn, DependencyInstall, &["package.json", "yarn.lock"], &[]),
        ("yarn build", Tool::Yarn, WholeSourceStep, &[], &[]),
        ("yarn global add serve", Tool::Yarn, PackageInstall, &[], &["serve"]),
        ("yarn cache clean", Tool::Yarn, CacheClean, &[], &[]),
        ("pnpm install --frozen-lockfile", Tool::Pnpm, DependencyInstall, &["package.json", "pnpm-lock.yaml"], &[]),
        ("pnpm fetch --prod", Tool::Pnpm, DependencyInstall, &["pnpm-lock.yaml"], &[]),
        ("pnpm run build", Tool::Pnpm, WholeSourceStep, &[], &[]),
        ("bun install --frozen-lockfile", Tool::Bun, DependencyInstall, &["package.json", "bun.lock|bun.lockb"], &[]),
        ("go mod download", Tool::Go, DependencyInstall, &["go.mod", "go.sum"], &[]),
        ("CGO_ENABLED=0 go build -o /app -ldflags '-s -w' ./cmd/app", Tool::Go, WholeSourceStep, &[], &[]),
        ("go install github.com/x/y@latest", Tool::Go, PackageInstall, &[], &["github.com/x/y@latest"]),
        ("bundle install --jobs 4", Tool::Bundler, DependencyInstall, &["Gemfile|gems.rb", "Gemfile.lock|gems.locked"], &[]),
        ("gem install bundler -v 2.4.22", Tool::Gem, PackageInstall, &[], &["bundler"]),
        ("composer install --no-dev --working-dir=/app", Tool::Composer, DependencyInstall, &["/app/composer.json", "/app/composer.lock"], &[]),
        ("composer require monolog/monolog", Tool::Composer, PackageInstall, &[], &["monolog/monolog"]),
        ("mvn -B dependency:go-offline", Tool::Maven, DependencyInstall, &["pom.xml"], &[]),
        ("./mvnw -f backend/pom.xml dependency:resolve", Tool::Maven, DependencyInstall, &["backend/pom.xml"], &[]),
        ("mvn -B package -DskipTests", Tool::Maven, WholeSourceStep, &[], &[]),
        ("gradle dependencies --no-daemon", Tool::Gradle, DependencyInstall, &["build.gradle|build.gradle.kts"], &[]),
        ("./gradlew bootJar -x test", Tool::Gradle, WholeSourceStep, &[], &[]),
        ("dotnet restore", Tool::Dotnet, DependencyInstall, &["*.csproj|*.fsproj|*.vbproj|*.sln|*.slnx"], &[]),
        ("dotnet restore src/App/App.csproj -r linux-x64", Tool::Dotnet, DependencyInstall, &["src/App/App.csproj"], &[]),
        ("dotnet publish -c Release -o /out", Tool::Dotnet, WholeSourceStep, &[], &[]),
        ("mix deps.get --only prod", Tool::Mix, DependencyInstall, &["mix.exs", "mix.lock"], &[]),
        ("mix do deps.get, compile", Tool::Mix, WholeSourceStep, &[], &[]),
        ("cargo fetch", Tool::Cargo, DependencyInstall, &["Cargo.toml", "Cargo.lock"], &[]),
        ("cargo chef cook --release --recipe-path recipe.json", Tool::Cargo, DependencyInstall, &["recipe.json"], &[]),
        ("cargo build --release", Tool::Cargo, WholeSourceStep, &[], &[]),
        ("cargo install --locked ripgrep", Tool::Cargo, PackageInstall, &[], &["ripgrep"]),
        ("apt-get update", Tool::AptGet, IndexUpdate, &[], &[]),
        ("apt-get install -yq -o Dpkg::Options::=--force-confold --no-install-recommends curl git", Tool::AptGet, PackageInstall, &[], &["curl", "git"]),
        ("sudo DEBIAN_FRONTEND=noninteractive apt install -y vim", Tool::AptGet, PackageInstall, &[], &["vim"]),
        ("env DEBIAN_FRONTEND=noninteractive apt-get -y install vim", Tool::AptGet, PackageInstall, &[], &["vim"]),
        ("apt-get clean", Tool::AptGet, CacheClean, &[], &[]),
        ("apt-get dist-clean", Tool::AptGet, CacheClean, &[], &[]),
        ("npm cache clear --force", Tool::Npm, CacheClean, &[], &[]),
        ("apk add --no-cache --virtual .build-deps gcc musl-dev", Tool::Apk, PackageInstall, &[], &["gcc", "musl-dev"]),
        ("apk update", Tool::Apk, IndexUpdate, &[], &[]),
        ("yum install -y --setopt=tsflags=nodocs httpd", Tool::Yum, PackageInstall, &[], &["httpd"]),
        ("dnf makecache", Tool::Dnf, IndexUpdate, &[], &[]),
        ("yum clean all", Tool::Yum, CacheClean, &[], &[]),
        ("microdnf install -y java", Tool::Microdnf, PackageInstall, &[], &["java"]),
        ("zypper -n install -y curl", Tool::Zypper, PackageInstall, &[], &["curl"]),
        ("yum clean packages", Tool::Yum, Other, &[], &[]),
        ("microdnf clean all", Tool::Microdnf, CacheClean, &[], &[]),
        ("zypper clean", Tool::Zypper, Other, &[], &[]),
        ("zypper clean --all", Tool::Zypper, CacheClean, &[], &[]),
        ("rm -rf /var/lib/apt/lists/*", Tool::Rm, CacheClean, &[], &[]),
    ];
    for (script, tool, kind, want_reads, want_pkgs) in table {
        let tc = rec(script).unwrap_or_else(|| panic!("not recognised: {script}"));
        assert_eq!(tc.tool, *tool, "{script}");
        assert_eq!(tc.kind, *kind, "{script}");
        assert_eq!(reads(&tc), *want_reads, "{script}");
        assert_eq!(pkgs(&tc), *want_pkgs, "{script}");
    }
}

#[test]
fn not_recognised() {
    for s in [
        "echo pip install -r x",
        "rm -rf /app/build",
        "python3 app.py",
        "python -m venv /venv",
        "pipx install x",
        "ls",
        "",
    ] {
        assert!(rec(s).is_none(), "{s}");
    }
}

#[test]
fn negatives_in_kind() {
    // Recognised tools doing something that is neither install nor source step.
    for s in [
        "npm config set registry x",
        "apt-get remove -y x",
        "yarn --version",
        "go version",
    ] {
        let tc = rec(s).unwrap_or_else(|| panic!("{s}"));
        assert_eq!(tc.kind, Other, "{s}");
    }
}

#[test]
fn flags_and_spans() {
    let s = "pip install --no-cache-dir -r requirements.txt";
    let tc = rec(s).unwrap_or_else(|| panic!("pip"));
    assert!(tc.has_flag(&["--no-cache-dir"]));
    let r = &tc.reads[0];
    let sp = r.span.unwrap_or_default();
    assert_eq!(&s[sp.start..sp.end], "requirements.txt");
    assert!(r.required);

    let s = "pip install --requirement=req.txt";
    let tc = rec(s).unwrap_or_else(|| panic!("pip"));
    let sp = tc.reads[0].span.unwrap_or_default();
    assert_eq!(&s[sp.start..sp.end], "req.txt");

    let tc = rec("apk add --no-cache curl").unwrap_or_else(|| panic!("apk"));
    assert!(tc.has_flag(&["--no-cache"]));
    let tc = rec("apt-get install -qy curl").unwrap_or_else(|| panic!("apt"));
    assert!(tc.has_flag(&["-y"]));

    let tc = rec("yarn install").unwrap_or_else(|| panic!("yarn"));
    assert!(!tc.reads[1].required);
    assert_eq!(tc.reads[1].span, None);

    let tc = rec("rm -rf /var/lib/apt/lists/* /var/cache/apt/*").unwrap_or_else(|| panic!("rm"));
    assert_eq!(
        tc.cleans,
        vec![CacheTarget::AptLists, CacheTarget::AptArchives]
    );
}

#[test]
fn env_in_force() {
    let tc = rec("PIP_NO_CACHE_DIR=1 pip install flask").unwrap_or_else(|| panic!("pip"));
    assert_eq!(tc.env_value("PIP_NO_CACHE_DIR"), Some("1"));
    let tc =
        rec("env -u X PIP_NO_CACHE_DIR=off pip install flask").unwrap_or_else(|| panic!("pip"));
    assert_eq!(tc.env_value("PIP_NO_CACHE_DIR"), Some("off"));
    assert_eq!(tc.argv_start, 4);
    let tc = rec("python3 -m pip install flask").unwrap_or_else(|| panic!("pip"));
    assert_eq!(tc.argv_start, 2);
    assert_eq!(tc.env_value("PIP_NO_CACHE_DIR"), None);
}
