//! The instruction tree of a Dockerfile: what the parser produces and every later step reads.
//! All positions are byte ranges into the original text, so nothing is ever re-located by search.

/// A byte range `start..end` into the original Dockerfile text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
    pub fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }
}

/// A piece of text as the parser understood it (continuations removed) and where it came from.
/// `value` is the logical text; `span` covers it in the source (it may cross continuation lines).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Word {
    pub value: String,
    pub span: Span,
}

/// The keyword of an instruction, case-folded. `Unknown` keeps the text for error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    Unknown,
}

impl Keyword {
    pub fn parse(word: &str) -> Keyword {
        match word.to_ascii_lowercase().as_str() {
            "add" => Keyword::Add,
            "arg" => Keyword::Arg,
            "cmd" => Keyword::Cmd,
            "copy" => Keyword::Copy,
            "entrypoint" => Keyword::Entrypoint,
            "env" => Keyword::Env,
            "expose" => Keyword::Expose,
            "from" => Keyword::From,
            "healthcheck" => Keyword::Healthcheck,
            "label" => Keyword::Label,
            "maintainer" => Keyword::Maintainer,
            "onbuild" => Keyword::Onbuild,
            "run" => Keyword::Run,
            "shell" => Keyword::Shell,
            "stopsignal" => Keyword::Stopsignal,
            "user" => Keyword::User,
            "volume" => Keyword::Volume,
            "workdir" => Keyword::Workdir,
            _ => Keyword::Unknown,
        }
    }

    /// Lower-case name as BuildKit prints it in a dump.
    pub fn as_str(&self) -> &'static str {
        match self {
            Keyword::Add => "add",
            Keyword::Arg => "arg",
            Keyword::Cmd => "cmd",
            Keyword::Copy => "copy",
            Keyword::Entrypoint => "entrypoint",
            Keyword::Env => "env",
            Keyword::Expose => "expose",
            Keyword::From => "from",
            Keyword::Healthcheck => "healthcheck",
            Keyword::Label => "label",
            Keyword::Maintainer => "maintainer",
            Keyword::Onbuild => "onbuild",
            Keyword::Run => "run",
            Keyword::Shell => "shell",
            Keyword::Stopsignal => "stopsignal",
            Keyword::User => "user",
            Keyword::Volume => "volume",
            Keyword::Workdir => "workdir",
            Keyword::Unknown => "unknown",
        }
    }
}

/// A parser directive from the leading comment block: `# syntax=...`, `# escape=...`, `# check=...`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// Lower-case directive name.
    pub name: String,
    pub value: String,
    /// The whole comment line (without the newline).
    pub span: Span,
    pub value_span: Span,
}

/// A `--name=value` (or bare `--name`) flag in front of an instruction's arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    /// Name without the leading dashes, e.g. `from`, `mount`, `chown`.
    pub name: String,
    /// `None` for a bare `--link`.
    pub value: Option<String>,
    /// The whole flag word `--name=value`.
    pub span: Span,
    pub name_span: Span,
    pub value_span: Option<Span>,
}

/// A `KEY=value` (or legacy `KEY value`) pair of ENV, LABEL or ARG. Values are kept raw
/// (quotes and escapes intact), because expansion happens later, as in BuildKit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyValue {
    pub key: Word,
    /// `None` only for `ARG NAME` without a default.
    pub value: Option<Word>,
    /// True for `k=v`, false for the legacy `k v` form (BuildKit's sep `"="` vs `""`).
    pub equals: bool,
    pub span: Span,
}

/// The body of a heredoc (`<<EOF` ... `EOF`) attached to RUN, COPY or ADD.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    /// Delimiter name without quotes or `-`, e.g. `EOF`.
    pub name: String,
    /// The content, exactly as BuildKit gives it (with `<<-`, leading tabs removed).
    pub content: String,
    /// False when the delimiter was quoted (`<<'EOF'`, `<<"EOF"`): no variable expansion.
    pub expand: bool,
    /// `<<-EOF`: leading tabs are stripped.
    pub chomp: bool,
    /// `3<<EOF` gives 3; `None` when no descriptor is written.
    pub file_descriptor: Option<u32>,
    /// The `<<EOF` marker in the instruction line.
    pub marker_span: Span,
    /// The body lines in the source, from the first byte after the instruction line up to
    /// (not including) the terminator line.
    pub body_span: Span,
    /// The terminator line (`EOF`).
    pub end_span: Span,
}

/// The text of a shell-form command after continuation characters and comment lines were removed,
/// with a map back to the source so that a shell parser's offsets become Dockerfile spans.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShellText {
    pub text: String,
    /// Sorted pieces: `(offset in text, offset in source)`; each piece runs until the next one.
    pub pieces: Vec<(usize, usize)>,
}

impl ShellText {
    /// Map an offset in `text` to an offset in the source. An offset at the end of the text maps
    /// just past the last character.
    pub fn to_source(&self, offset: usize) -> usize {
        let idx = match self.pieces.binary_search_by(|p| p.0.cmp(&offset)) {
            Ok(i) => i,
            Err(0) => return offset,
            Err(i) => i - 1,
        };
        let (t, s) = self.pieces[idx];
        s + (offset - t)
    }

    /// Map a text range to a source span.
    pub fn span(&self, start: usize, end: usize) -> Span {
        if end <= start {
            let s = self.to_source(start);
            return Span::new(s, s);
        }
        Span::new(self.to_source(start), self.to_source(end - 1) + 1)
    }
}

/// The arguments of an instruction, in the shape BuildKit gives them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Args {
    /// A valid JSON array of strings (CMD/RUN/ENTRYPOINT/SHELL, and the JSON form of
    /// ADD/COPY/VOLUME). Each word's `value` is the decoded string, `span` the element with quotes.
    Exec(Vec<Word>),
    /// Shell form of RUN/CMD/ENTRYPOINT (and HEALTHCHECK CMD): one string, as in the dump.
    Shell(ShellText),
    /// Whitespace-separated words (FROM, EXPOSE, ADD, COPY, VOLUME, and the rest that BuildKit
    /// treats as a plain string list; for those single-string instructions such as WORKDIR,
    /// USER, STOPSIGNAL, MAINTAINER there is one word holding the whole rest of the line).
    Words(Vec<Word>),
    /// ENV, LABEL, ARG.
    KeyValues(Vec<KeyValue>),
    /// ONBUILD: the nested instruction.
    Onbuild(Box<Instruction>),
    /// HEALTHCHECK: `NONE` or `CMD` followed by its command; `None` for a bare `HEALTHCHECK`.
    /// A missing command (`HEALTHCHECK NONE`, `HEALTHCHECK CMD`) is an empty `Words`.
    Healthcheck(Option<(Word, Box<Args>)>),
    /// Nothing could be made of the arguments (see the instruction's `error`).
    Invalid,
}

/// One instruction, from its keyword to the end of its last continuation line and heredoc body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    pub keyword: Keyword,
    /// The keyword as written (any case).
    pub keyword_word: Word,
    /// Whole instruction in the source, excluding the final line break.
    pub span: Span,
    /// 1-based first and last source line (heredoc bodies included, as BuildKit's EndLine).
    pub start_line: usize,
    pub end_line: usize,
    pub flags: Vec<Flag>,
    pub args: Args,
    pub heredocs: Vec<Heredoc>,
    /// Set when the instruction is malformed: it is kept in the tree but rules should not
    /// trust its arguments. The message is BuildKit's where BuildKit has one.
    pub error: Option<String>,
}

impl Instruction {
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }
    pub fn is_exec_form(&self) -> bool {
        matches!(self.args, Args::Exec(_))
    }
}

/// A syntax problem with its place. The parser goes on after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
    pub kind: ErrorKind,
}

/// Which of BuildKit's checks an error comes from, for the few that a reader (or another tool's
/// code) names on their own; everything else is `Other`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ErrorKind {
    #[default]
    Other,
    /// An instruction other than ARG before the first FROM: BuildKit's `instructions.Parse`
    /// has no stage to add it to.
    NoStage,
    /// ONBUILD whose trigger is ONBUILD, FROM or MAINTAINER.
    OnbuildTrigger,
}

/// A parsed Dockerfile. `text` is the input as given (BOM and CRLF included), and the tree
/// covers it completely: everything outside an instruction is a comment or whitespace.
#[derive(Clone, Debug, Default)]
pub struct Dockerfile {
    pub text: String,
    /// The escape character in force: `\` unless `# escape=` says `` ` ``.
    pub escape: char,
    pub directives: Vec<Directive>,
    pub instructions: Vec<Instruction>,
    /// Every comment line (`# ...`), including directives and comments inside continuations.
    pub comments: Vec<Span>,
    pub errors: Vec<SyntaxError>,
    /// Warnings BuildKit prints but that do not stop the build (empty continuation lines).
    pub warnings: Vec<SyntaxError>,
    /// Indices into `errors` of the ones BuildKit's own parser stops at (a non-string JSON
    /// array, `ENV`/`LABEL` without a value or `=`, an unterminated heredoc, a repeated or
    /// invalid directive, a line over 64 KiB). The other errors come from BuildKit's later
    /// instruction checks.
    pub fatal_errors: Vec<usize>,
}

impl Dockerfile {
    /// The errors that make BuildKit's parser reject the file (see `fatal_errors`).
    pub fn parse_errors(&self) -> impl Iterator<Item = &SyntaxError> {
        self.fatal_errors.iter().filter_map(|i| self.errors.get(*i))
    }
}

/// Why a whole file could not be parsed (no instruction at all).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ParseError {
    #[error("file with no instructions")]
    NoInstructions,
}
