//! The simulated image filesystem of a stage: which paths each instruction put where, and
//! where nothing can be known (a base image's contents, what a RUN may write).

/// Where the contents of a path came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A path of the build context (relative, cleaned; `.` is the root).
    Context(String),
    /// A path of an earlier stage of this Dockerfile (`COPY --from=stage`).
    Stage { stage: usize, path: String },
    /// A path of an external image (`COPY --from=image`): contents unknown.
    Image { image: String, path: String },
    /// The body of a heredoc (`COPY <<EOF /x`).
    Heredoc(String),
    /// A URL downloaded by ADD.
    Url(String),
}

/// Why the contents under a path cannot be known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unknown {
    /// The stage's base is an external image.
    BaseImage(String),
    /// A RUN may have written files anywhere.
    Run,
    /// A build command of a RUN writes its output here (`dotnet publish -o /app`): which files
    /// depends on the project. `by` is the command (`dotnet publish`); `dir` tells an output
    /// directory from an output file (`go build -o /out/web`).
    BuildOutput { by: String, dir: bool },
    /// A `COPY --from=<external image>` of a directory.
    Image(String),
    /// ADD of a local archive (extracted) or of a git repository.
    Extracted,
    /// Earlier instructions that a lookup did not look at: it reads a bounded number of
    /// entries, so that a file with thousands of COPY and RUN instructions stays linear.
    Unscanned,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// Exactly this file (or directory when `dir`), from `Origin`.
    Path { origin: Origin, dir: bool },
    /// A directory whose contents mirror the directory `Origin` (COPY of a directory or `.`).
    Tree(Origin),
    /// An empty directory known to exist (WORKDIR).
    Dir,
    /// Anything may exist at or below this path.
    Unknown(Unknown),
}

/// One thing an instruction did to the image filesystem, at an absolute, cleaned path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FsEntry {
    pub path: String,
    pub kind: EntryKind,
    pub instr: usize,
}

/// A path found in the image: which instruction provided it and from where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub instr: usize,
    /// The source of the path itself (for a tree, the source path of this very file).
    pub origin: Option<Origin>,
    pub is_dir: bool,
}

/// The answer to "is this path present": found with its origin, and the unknowns that might
/// also (or instead) have provided it. `found: None, unknowns: []` means certainly absent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lookup {
    pub found: Option<Found>,
    pub unknowns: Vec<(usize, Unknown)>,
}

impl Lookup {
    pub fn is_present(&self) -> bool {
        self.found.is_some()
    }
    /// Certainly not in the image: nothing provided it and nothing unknown could have.
    pub fn is_absent(&self) -> bool {
        self.found.is_none() && self.unknowns.is_empty()
    }
}
