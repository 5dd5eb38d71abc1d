//! The ports servers and frameworks listen on when nothing on their command line or in their
//! environment says otherwise. A default is an inference, not a statement: it is used only
//! when none of the configuration files that could change it is in the image, and rules
//! speak of it softly (info).

/// (server as `ports::service` names it, its default port, configuration files relative to the
/// working directory that may set another port).
pub const DEFAULT_PORTS: &[(&str, u16, &[&str])] = &[
    (
        "gunicorn",
        8000,
        &["gunicorn.conf.py", "gunicorn_config.py", "gunicorn.py"],
    ),
    ("uvicorn", 8000, &[]),
    ("hypercorn", 8000, &["hypercorn.toml"]),
    ("flask run", 5000, &[".flaskenv", ".env"]),
    ("manage.py runserver", 8000, &[]),
    ("rails server", 3000, &["config/puma.rb"]),
    ("rails s", 3000, &["config/puma.rb"]),
    ("puma", 9292, &["config/puma.rb"]),
    ("rackup", 9292, &["config.ru"]),
    ("next start", 3000, &[]),
    ("streamlit run", 8501, &[".streamlit/config.toml"]),
    ("jupyter notebook", 8888, &[]),
    ("jupyter lab", 8888, &[]),
    ("mkdocs serve", 8000, &["mkdocs.yml", "mkdocs.yaml"]),
    ("hugo server", 1313, &[]),
    ("mlflow server", 5000, &[]),
    ("tensorboard", 6006, &[]),
    ("http-server", 8080, &[]),
    ("serve", 3000, &["serve.json"]),
    (
        "vite preview",
        4173,
        &[
            "vite.config.js",
            "vite.config.ts",
            "vite.config.mjs",
            "vite.config.mts",
        ],
    ),
    ("nuxt start", 3000, &["nuxt.config.ts", "nuxt.config.js"]),
    ("nuxt preview", 3000, &["nuxt.config.ts", "nuxt.config.js"]),
    ("nuxi preview", 3000, &["nuxt.config.ts", "nuxt.config.js"]),
    (
        "astro preview",
        4321,
        &["astro.config.mjs", "astro.config.ts"],
    ),
    ("ng serve", 4200, &["angular.json"]),
    ("artisan serve", 8000, &[]),
    (
        "mix phx.server",
        4000,
        &["config/runtime.exs", "config/prod.exs", "config/config.exs"],
    ),
    ("react-router-serve", 3000, &[]),
    ("remix-serve", 3000, &[]),
];

/// The default port of `server` and the files that could override it.
pub fn default_port(server: &str) -> Option<(u16, &'static [&'static str])> {
    DEFAULT_PORTS
        .iter()
        .find(|(s, _, _)| *s == server)
        .map(|(_, p, files)| (*p, *files))
}

/// Environment variables that pass options to a server's command line, so that a default
/// cannot be assumed while one is set.
pub const OPTION_VARIABLES: &[(&str, &str)] = &[("gunicorn", "GUNICORN_CMD_ARGS")];

/// Flask's `app.run()` without a port listens on 5000: the 1-based line of such a call in a
/// Python source, if it has one and no other listening call states a port.
pub fn flask_run_default(text: &str) -> Option<(usize, String)> {
    if !text.contains("Flask(") {
        return None;
    }
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with('#') {
            continue;
        }
        let Some(pos) = line.find(".run(") else {
            continue;
        };
        let args = &line[pos + 5..];
        // Arguments that continue on the next line, a `port=`, a `**options` or a positional
        // first argument (the host, then the port) may set the port.
        if !args.contains(')') || args.contains("port") || args.contains("**") {
            return None;
        }
        let positional = args
            .split([',', ')'])
            .filter(|a| !a.trim().is_empty())
            .filter(|a| !a.contains('='))
            .count();
        if positional > 1 {
            return None;
        }
        return Some((n + 1, line.to_string()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flask_defaults() {
        let app = |run: &str| {
            format!("from flask import Flask\napp = Flask(__name__)\n\nif __name__ == '__main__':\n    {run}\n")
        };
        assert_eq!(
            flask_run_default(&app("app.run(host='0.0.0.0')")),
            Some((5, "app.run(host='0.0.0.0')".into()))
        );
        assert_eq!(flask_run_default(&app("app.run()")).map(|r| r.0), Some(5));
        assert_eq!(
            flask_run_default(&app("app.run(debug=True)")).map(|r| r.0),
            Some(5)
        );
        for stated in [
            "app.run(host='0.0.0.0', port=8080)",
            "app.run('0.0.0.0', 8080)",
            "app.run(**config)",
            "app.run(",
        ] {
            assert_eq!(flask_run_default(&app(stated)), None, "{stated}");
        }
        // Not a Flask app.
        assert_eq!(flask_run_default("import bottle\nbottle.run()\n"), None);
    }

    #[test]
    fn table_lookup() {
        assert_eq!(default_port("gunicorn").map(|d| d.0), Some(8000));
        assert_eq!(default_port("flask run").map(|d| d.0), Some(5000));
        assert_eq!(default_port("nginx"), None);
    }
}
