//! expose-invalid-port: an `EXPOSE` value that BuildKit cannot read as a port, so that
//! `docker build` stops there: a number outside 0–65535, a protocol other than tcp, udp or
//! sctp, a range that runs backwards.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};
use crate::syntax::{Args, Keyword};

pub static RULE: Rule = Rule {
    name: "expose-invalid-port",
    group: "correctness",
    severity: Severity::Error,
    summary: "an EXPOSE port that docker build rejects",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/expose-invalid-port.md"),
    aliases: &["DL3011"],
    default: true,
    check,
};

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    let built = m.built_stages();
    for (i, ins) in m.instructions_of(Keyword::Expose) {
        // BuildKit reads the EXPOSE lines of the stages it builds only.
        if !m.stage_of[i].is_some_and(|s| built.get(s).copied().unwrap_or(false)) {
            continue;
        }
        let Args::Words(words) = &ins.args else {
            continue;
        };
        for w in words {
            // A value that depends on a variable the model does not know is left alone.
            if !m.unset_vars_at(i, &w.value).is_empty() {
                continue;
            }
            let value = m.expand_at(i, &w.value);
            for spec in value.split_whitespace() {
                let Err(problem) = port_spec(spec) else {
                    continue;
                };
                out.push(
                    Diagnostic::new(
                        RULE.name,
                        RULE.severity,
                        format!("`{spec}` is not a port EXPOSE accepts: {problem}"),
                        w.span,
                    )
                    .label("docker build stops here")
                    .help("write a port number from 0 to 65535, optionally with `/tcp`, `/udp` or `/sctp` (`EXPOSE 8080/tcp`)")
                    .answers_to(RULE.aliases),
                );
            }
        }
    }
}

/// Reads one port spec as BuildKit's EXPOSE does (`[ip:][host:]port[-end][/proto]`), saying why
/// it fails. Host parts are read only to be validated: `expose-host-port` reports them.
fn port_spec(spec: &str) -> Result<(), String> {
    let parts: Vec<&str> = spec.split(':').collect();
    let (ip, host, container) = match parts.as_slice() {
        [c] => (String::new(), "", *c),
        [h, c] => (String::new(), *h, *c),
        [rest @ .., h, c] => (rest.join(":"), *h, *c),
        [] => return Err("it is empty".into()),
    };
    let (port, proto) = container.split_once('/').unwrap_or((container, ""));
    if port.is_empty() {
        return Err("no port is given".into());
    }
    if !matches!(
        proto.to_ascii_lowercase().as_str(),
        "" | "tcp" | "udp" | "sctp"
    ) {
        return Err(format!("`{proto}` is not a protocol (tcp, udp or sctp)"));
    }
    if !ip.is_empty() {
        let bare = match ip.strip_prefix('[') {
            Some(rest) => rest
                .strip_suffix(']')
                .ok_or(format!("`{ip}` is not an IP address"))?,
            None => ip.as_str(),
        };
        if bare.parse::<std::net::IpAddr>().is_err() {
            return Err(format!("`{ip}` is not an IP address"));
        }
    }
    let (start, end) = range(port)?;
    if !host.is_empty() {
        let (hs, he) = range(host).map_err(|e| format!("host port: {e}"))?;
        if end - start != he - hs && end != start {
            return Err(format!(
                "the ranges `{port}` and `{host}` are not the same length"
            ));
        }
    }
    Ok(())
}

/// A port or `start-end` range, as BuildKit reads it.
fn range(text: &str) -> Result<(i64, i64), String> {
    if text.is_empty() {
        return Err("no port is given".into());
    }
    let (start, end) = match text.split_once('-') {
        Some((s, e)) if s != e => (s, Some(e)),
        Some((s, _)) => (s, None),
        None => (text, None),
    };
    let s = number(start)?;
    let Some(end) = end else {
        return Ok((s, s));
    };
    let e = number(end)?;
    if e < s {
        return Err(format!("the range `{text}` runs backwards"));
    }
    Ok((s, e))
}

fn number(text: &str) -> Result<i64, String> {
    if text.is_empty() {
        return Err("a port of a range is missing".into());
    }
    match text.parse::<i64>() {
        Ok(n) if (0..=65535).contains(&n) => Ok(n),
        Ok(_) => Err(format!("{text} is outside 0–65535")),
        Err(_) if text.bytes().all(|b| b.is_ascii_digit()) => {
            Err(format!("{text} is outside 0–65535"))
        }
        Err(_) => Err(format!("`{text}` is not a number")),
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::assert_counts;

    #[test]
    fn table() {
        let cases: &[(&str, usize)] = &[
            ("FROM scratch\nEXPOSE 80000\n", 1),
            (
                "FROM scratch\nEXPOSE 80 443/tcp 53/udp 9/sctp 8000-8010 0 65535\n",
                0,
            ),
            ("FROM scratch\nEXPOSE 80/TCP\n", 0),
            ("FROM scratch\nEXPOSE 80/http\n", 1),
            ("FROM scratch\nEXPOSE 9000-8000\n", 1),
            ("FROM scratch\nEXPOSE 80-\n", 1),
            ("FROM scratch\nEXPOSE http\n", 1),
            ("FROM scratch\nEXPOSE /tcp\n", 1),
            (
                "FROM scratch\nEXPOSE 127.0.0.1:8080:80 [::1]:80:80 8080:80\n",
                0,
            ),
            ("FROM scratch\nEXPOSE 300.1.1.1:80:80\n", 1),
            ("FROM scratch\nEXPOSE 8000-8001:80-90\n", 1),
            ("FROM scratch\nEXPOSE 8000-8010:80\n", 0),
            // After expansion; an unknown variable is left alone.
            ("FROM scratch\nARG PORT=70000\nEXPOSE $PORT\n", 1),
            ("FROM scratch\nARG PORT=8080\nEXPOSE $PORT\n", 0),
            ("FROM scratch\nEXPOSE $PORT\n", 0),
            ("FROM scratch\nARG PORTS=\"80 99999\"\nEXPOSE $PORTS\n", 1),
            // A stage the build does not run is not read.
            (
                "FROM scratch AS unused\nEXPOSE 80000\nFROM scratch\nEXPOSE 80\n",
                0,
            ),
            (
                "FROM scratch AS base\nEXPOSE 80000\nFROM base\nEXPOSE 80\n",
                1,
            ),
            (
                "FROM alpine AS tools\nEXPOSE 80000\nFROM scratch\nCOPY --from=tools /bin/sh /sh\n",
                1,
            ),
        ];
        assert_counts(super::check, cases);
    }
}
