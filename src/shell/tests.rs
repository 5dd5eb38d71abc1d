use super::*;
use crate::syntax::{Heredoc, Keyword, ShellText, Word};

fn split(s: &str) -> Vec<SimpleCommand> {
    commands_of_script(s, |i| i)
}

fn argvs(s: &str) -> Vec<Vec<String>> {
    split(s)
        .iter()
        .map(|c| c.argv.iter().map(|w| w.value.clone()).collect())
        .collect()
}

fn v(list: &[&[&str]]) -> Vec<Vec<String>> {
    list.iter()
        .map(|c| c.iter().map(|s| s.to_string()).collect())
        .collect()
}

#[test]
fn splits_table() {
    let table: &[(&str, &[&[&str]])] = &[
        (
            "apt-get update && apt-get install -y curl",
            &[
                &["apt-get", "update"],
                &["apt-get", "install", "-y", "curl"],
            ],
        ),
        (
            "a; b || c | d & e",
            &[&["a"], &["b"], &["c"], &["d"], &["e"]],
        ),
        (
            "echo 'a b' \"c $X d\" e\\ f",
            &[&["echo", "a b", "c $X d", "e f"]],
        ),
        (
            "PIP_NO_CACHE_DIR=1 pip install -r r.txt",
            &[&["pip", "install", "-r", "r.txt"]],
        ),
        ("cmd > out 2>&1 < in", &[&["cmd"]]),
        (
            "cat <<EOF > /f\nhello && world\nEOF\necho done",
            &[&["cat"], &["echo", "done"]],
        ),
        ("cat <<-'X'\n\tbody\n\tX\nls", &[&["cat"], &["ls"]]),
        ("{ a; b; }", &[&["a"], &["b"]]),
        ("(cd x && make)", &[&["cd", "x"], &["make"]]),
        (
            "if [ -f x ]; then a; elif b; then c; else d; fi",
            &[&["[", "-f", "x", "]"], &["a"], &["b"], &["c"], &["d"]],
        ),
        ("for i in 1 2 3; do echo $i; done", &[&["echo", "$i"]]),
        (
            "while read l; do echo $l; done < file",
            &[&["read", "l"], &["echo", "$l"]],
        ),
        ("case $A in a|b) x;; *) y ;; esac", &[&["x"], &["y"]]),
        ("case $A in\n  (a) x\n  ;;\nesac; z", &[&["x"], &["z"]]),
        (
            "echo $(date +%s) `id -u`",
            &[
                &["date", "+%s"],
                &["id", "-u"],
                &["echo", "$(date +%s)", "`id -u`"],
            ],
        ),
        ("x=$(cat f | wc -l)", &[&["cat", "f"], &["wc", "-l"], &[]]),
        (
            "# comment\napt-get update # trailing\n",
            &[&["apt-get", "update"]],
        ),
        ("a \\\n  && b", &[&["a"], &["b"]]),
        ("f() { a; }; f", &[&["a"], &["f"]]),
        ("function g { a; }", &[&["a"]]),
        (
            "Write-Host ('x' -f $y); b",
            &[&["Write-Host", "x", "-f", "$y"], &["b"]],
        ),
        (
            "[[ -n $X && -z $Y ]] && b",
            &[&["[[", "-n", "$X", "-z", "$Y", "]]"], &["b"]],
        ),
        ("((i++)) && b", &[&["((i++))"], &["b"]]),
        ("arr=(a b c) && b", &[&[], &["b"]]),
        (
            "[[ $x =~ ^(a|b)$ ]] || c",
            &[&["[[", "$x", "=~", "^", "a", "b", "$", "]]"], &["c"]],
        ),
        (
            "echo ${A:-a b} $((1+2))",
            &[&["echo", "${A:-a b}", "$((1+2))"]],
        ),
        (
            "diff <(ls a) <(ls b)",
            &[&["ls", "a"], &["ls", "b"], &["diff", "<(ls a)", "<(ls b)"]],
        ),
        (
            "sh -c 'pip install -r req.txt && echo ok'",
            &[
                &["sh", "-c", "pip install -r req.txt && echo ok"],
                &["pip", "install", "-r", "req.txt"],
                &["echo", "ok"],
            ],
        ),
        (
            "bash -ec \"npm ci\"",
            &[&["bash", "-ec", "npm ci"], &["npm", "ci"]],
        ),
        (
            "/bin/sh -o pipefail -c 'a | b'",
            &[
                &["/bin/sh", "-o", "pipefail", "-c", "a | b"],
                &["a"],
                &["b"],
            ],
        ),
        ("! grep x f", &[&["grep", "x", "f"]]),
        ("echo \"unterminated", &[&["echo", "unterminated"]]),
        ("a &&", &[&["a"]]),
        ("echo a#b #c", &[&["echo", "a#b"]]),
        ("", &[]),
        (";;;", &[]),
        ("echo $'a\\'b'", &[&["echo", "a\\'b"]]),
    ];
    for (script, expected) in table {
        assert_eq!(argvs(script), v(expected), "script: {script:?}");
    }
}

#[test]
fn assignments_and_redirects() {
    let c = &split("PIP_NO_CACHE_DIR=1 A+=x pip install x 2>&1 >/dev/null")[0];
    assert_eq!(c.assignment("PIP_NO_CACHE_DIR"), Some("1"));
    assert_eq!(c.assignments.len(), 2);
    assert_eq!(c.program(), Some("pip"));
    assert_eq!(c.redirects.len(), 2);
    assert_eq!(c.redirects[0].fd, Some(2));
    assert_eq!(c.redirects[0].op, ">&");
    assert_eq!(
        c.redirects[1].target.as_ref().map(|t| t.value.as_str()),
        Some("/dev/null")
    );
}

#[test]
fn program_is_basename() {
    let c = &split("/usr/local/bin/pip3 install x")[0];
    assert_eq!(c.program(), Some("pip3"));
    assert_eq!(c.args().len(), 2);
}

#[test]
fn connectors_and_context() {
    let cs = split("apt-get update || true; if x; then y; fi\nfor a in b; do c; done");
    assert_eq!(cs[0].followed_by, Some(Connector::Or));
    assert!(cs[0].failure_ignored());
    assert_eq!(cs[1].preceded_by, Some(Connector::Or));
    assert!(cs[1].is_conditional());
    assert_eq!(cs[2].nesting, vec![Nesting::IfCondition]);
    assert!(cs[2].failure_ignored());
    assert_eq!(cs[3].nesting, vec![Nesting::IfBranch]);
    assert!(cs[3].is_conditional());
    assert!(cs[4].in_loop());
    assert_eq!(
        cs.iter().map(|c| c.index).collect::<Vec<_>>(),
        vec![0, 1, 2, 3, 4]
    );
    let cs = split("a &&\n b");
    assert_eq!(cs[1].preceded_by, Some(Connector::And));
    let cs = split("sh -c 'x'");
    assert_eq!(cs[1].nesting, vec![Nesting::ShellC]);
}

#[test]
fn spans_follow_map_and_quotes() {
    let s = "echo hi && sh -c 'pip  install \"a b\"'";
    let cs = split(s);
    assert_eq!(&s[cs[0].span.start..cs[0].span.end], "echo hi");
    let w = &cs[1].argv[2];
    assert_eq!(&s[w.span.start..w.span.end], "'pip  install \"a b\"'");
    let inner = &cs[2];
    assert_eq!(&s[inner.argv[0].span.start..inner.argv[0].span.end], "pip");
    assert_eq!(
        &s[inner.argv[2].span.start..inner.argv[2].span.end],
        "\"a b\""
    );
    assert_eq!(inner.argv[2].value, "a b");
    // A shifted map moves every span.
    let cs = commands_of_script("ls -l", |i| i + 100);
    assert_eq!(cs[0].argv[1].span, Span::new(103, 105));
}

fn word(value: &str, start: usize) -> Word {
    Word {
        value: value.to_string(),
        span: Span::new(start, start + value.len()),
    }
}

fn run_instr(src: &str, args: Args, heredocs: Vec<Heredoc>) -> Instruction {
    Instruction {
        keyword: Keyword::Run,
        keyword_word: word("RUN", 0),
        span: Span::new(0, src.len()),
        start_line: 1,
        end_line: 1,
        flags: vec![],
        args,
        heredocs,
        error: None,
    }
}

fn shell(src: &str, at: usize) -> Args {
    Args::Shell(ShellText {
        text: src[at..].lines().next().unwrap_or("").to_string(),
        pieces: vec![(0, at)],
    })
}

fn heredoc(src: &str, marker: &str) -> Heredoc {
    let m = src.find(marker).unwrap_or(0);
    let body_start = src.find('\n').map(|k| k + 1).unwrap_or(src.len());
    let end = src.rfind("\nEOF").map(|k| k + 1).unwrap_or(src.len());
    Heredoc {
        name: "EOF".into(),
        content: src[body_start..end].to_string(),
        expand: true,
        chomp: false,
        file_descriptor: None,
        marker_span: Span::new(m, m + marker.len()),
        body_span: Span::new(body_start, end),
        end_span: Span::new(end, src.len()),
    }
}

#[test]
fn shell_form_with_continuation_map() {
    // Source "RUN a \\\n  && b": the text "a   && b" is pieced at the continuation.
    let src = "RUN a \\\n  && b";
    let st = ShellText {
        text: "a   && b".into(),
        pieces: vec![(0, 4), (2, 8)],
    };
    let i = run_instr(src, Args::Shell(st), vec![]);
    let cs = commands_of_run(&i);
    assert_eq!(cs.len(), 2);
    assert_eq!(&src[cs[1].span.start..cs[1].span.end], "b");

    // A `sh -c` script that crosses a continuation maps through the same pieces.
    let src = "RUN sh -c 'a \\\n  && pip install x'";
    let st = ShellText {
        text: "sh -c 'a   && pip install x'".into(),
        pieces: vec![(0, 4), (9, 15)],
    };
    let i = run_instr(src, Args::Shell(st), vec![]);
    let cs = commands_of_run(&i);
    let pip = &cs[2];
    assert_eq!(&src[pip.span.start..pip.span.end], "pip install x");
    assert_eq!(&src[pip.argv[2].span.start..pip.argv[2].span.end], "x");
}

#[test]
fn heredoc_scripts() {
    let src = "RUN <<EOF\napt-get update\npip install -r r.txt\nEOF";
    let i = run_instr(src, shell(src, 4), vec![heredoc(src, "<<EOF")]);
    let cs = commands_of_run(&i);
    let progs: Vec<_> = cs.iter().filter_map(|c| c.program()).collect();
    assert_eq!(progs, vec!["apt-get", "pip"]);
    assert_eq!(
        &src[cs[1].argv[3].span.start..cs[1].argv[3].span.end],
        "r.txt"
    );
    assert!(cs[1].nesting.contains(&Nesting::HeredocScript));

    let src = "RUN bash -e <<EOF\nnpm ci\nEOF";
    let i = run_instr(src, shell(src, 4), vec![heredoc(src, "<<EOF")]);
    let progs: Vec<_> = commands_of_run(&i)
        .iter()
        .filter_map(|c| c.program().map(String::from))
        .collect();
    assert_eq!(progs, vec!["bash", "npm"]);

    let src = "RUN python3 <<EOF\nimport os\nEOF";
    let i = run_instr(src, shell(src, 4), vec![heredoc(src, "<<EOF")]);
    let progs: Vec<_> = commands_of_run(&i)
        .iter()
        .filter_map(|c| c.program().map(String::from))
        .collect();
    assert_eq!(progs, vec!["python3"]);
}

#[test]
fn exec_form() {
    let src = r#"RUN ["sh", "-c", "npm ci && npm run build"]"#;
    let words = vec![
        word("sh", 5),
        word("-c", 11),
        word("npm ci && npm run build", 17),
    ];
    let words: Vec<Word> = words
        .into_iter()
        .map(|w| Word {
            span: Span::new(w.span.start, w.span.end + 2),
            ..w
        })
        .collect();
    let i = run_instr(src, Args::Exec(words), vec![]);
    let cs = commands_of_run(&i);
    let progs: Vec<_> = cs.iter().filter_map(|c| c.program()).collect();
    assert_eq!(progs, vec!["sh", "npm", "npm"]);
    assert_eq!(
        &src[cs[2].argv[2].span.start..cs[2].argv[2].span.end],
        "build"
    );
}

#[test]
fn working_dirs_follow_cd() {
    let cs = split("cd app && npm ci; (cd sub && make); ls; cd /x; cd y; pwd; sh -c 'cd z; a'; b");
    let d = working_dirs(&cs);
    let progs: Vec<_> = cs.iter().filter_map(|c| c.program()).collect();
    assert_eq!(
        progs,
        vec!["cd", "npm", "cd", "make", "ls", "cd", "cd", "pwd", "sh", "cd", "a", "b"]
    );
    let want = [
        None,
        Some("app"),
        Some("app"),
        Some("app/sub"),
        Some("app"),
        Some("app"),
        Some("/x"),
        Some("/x/y"),
        Some("/x/y"),
        Some("/x/y"),
        Some("/x/y/z"),
        Some("/x/y"),
    ];
    let got: Vec<Option<&str>> = d.iter().map(|o| o.as_deref()).collect();
    assert_eq!(got, want);
}

#[test]
fn working_dirs_of_sibling_subshells() {
    let cs = split("(cd a && make) && (cd b && make); ls");
    let got: Vec<Option<String>> = working_dirs(&cs);
    let got: Vec<Option<&str>> = got.iter().map(|o| o.as_deref()).collect();
    assert_eq!(got, vec![None, Some("a"), None, Some("b"), None]);
}

#[test]
fn adversarial_input_is_fast() {
    let inputs = [
        "$(".repeat(50_000),
        "\"".repeat(50_000),
        "<<A\n".repeat(20_000),
        "((".repeat(50_000),
        "`".repeat(50_000),
        "if ".repeat(50_000),
        "case x in ".repeat(20_000),
        "sh -c '".repeat(20_000),
        "${".repeat(50_000),
        "f() ".repeat(50_000),
    ];
    for s in &inputs {
        let t = std::time::Instant::now();
        let _ = split(s);
        assert!(t.elapsed().as_secs() < 5, "slow on {:?}", &s[..10]);
    }
}

#[test]
fn chomped_heredoc_maps_exactly_with_source() {
    let src = "RUN <<-EOF\n\tapt-get update\n\t\tpip install -r r.txt\n\tEOF";
    let body_start = src.find('\n').map(|k| k + 1).unwrap_or(0);
    let body_end = src.rfind("\tEOF").unwrap_or(src.len());
    let doc = Heredoc {
        name: "EOF".into(),
        content: "apt-get update\npip install -r r.txt\n".into(),
        expand: true,
        chomp: true,
        file_descriptor: None,
        marker_span: Span::new(4, 10),
        body_span: Span::new(body_start, body_end),
        end_span: Span::new(body_end, src.len()),
    };
    let i = run_instr(src, shell(src, 4), vec![doc]);
    let cs = commands_of_run_in(&i, src);
    let w = &cs[1].argv[3];
    assert_eq!(&src[w.span.start..w.span.end], "r.txt");
    assert_eq!(&src[cs[0].span.start..cs[0].span.end], "apt-get update");
    // Without the source the spans still stay inside the body.
    for c in commands_of_run(&i) {
        assert!(c.span.start >= body_start && c.span.end <= body_end);
    }
}

#[test]
fn exec_form_with_json_escapes() {
    let src = r#"RUN ["sh", "-c", "echo \"a\" && pip install -r \u0072.txt"]"#;
    let s = src.find("\"echo").unwrap_or(0);
    let e = src.rfind('"').map(|k| k + 1).unwrap_or(src.len());
    let words = vec![
        Word {
            value: "sh".into(),
            span: Span::new(5, 9),
        },
        Word {
            value: "-c".into(),
            span: Span::new(11, 15),
        },
        Word {
            value: "echo \"a\" && pip install -r r.txt".into(),
            span: Span::new(s, e),
        },
    ];
    let i = run_instr(src, Args::Exec(words), vec![]);
    let cs = commands_of_run_in(&i, src);
    let pip = &cs[2];
    assert_eq!(pip.program(), Some("pip"));
    assert_eq!(&src[pip.argv[0].span.start..pip.argv[0].span.end], "pip");
    assert_eq!(
        &src[pip.argv[3].span.start..pip.argv[3].span.end],
        "\\u0072.txt"
    );
}

#[test]
fn constructs_are_recorded() {
    let text = "if [[ -f x ]]; then for ((i=0;i<2;i++)); do ((n++)); done; fi; \
                function f { ls |& cat; }; g() { (cd x); }; for a in b; do :; done; \
                while x; do y; done; sh -c 'select s in a; do break; done'";
    let got: Vec<(ConstructKind, &str)> = script::script_of_text(text, |i| i)
        .constructs
        .iter()
        .map(|c| (c.kind, &text[c.span.start..c.span.end]))
        .collect();
    use ConstructKind::*;
    assert_eq!(
        got,
        vec![
            (If, "if"),
            (Test, "[["),
            (ArithFor, "for"),
            (ArithCommand, "(("),
            (FunctionKeyword, "function"),
            (Group, "{"),
            (PipeAll, "|&"),
            (FunctionDef, "g"),
            (Group, "{"),
            (Subshell, "("),
            (For, "for"),
            (While, "while"),
            (Select, "select"),
        ]
    );
}
