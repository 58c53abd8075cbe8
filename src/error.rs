//! Library errors and warnings. Every input error names the file, line and column where one
//! exists and says what to do; the command layer renders them with miette and exits with 2.
//! This module owns the error types and location arithmetic, not their rendering.

use std::fmt;
use std::path::{Path, PathBuf};

use miette::{Diagnostic, NamedSource, SourceSpan};

/// A position in a source file, 1-based, as editors show it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// Maps byte offsets of one source text to lines and columns.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The location of a byte offset of `text`, read from `file`.
    pub fn location(&self, file: &str, text: &str, offset: usize) -> Location {
        let (line, column) = self.line_col(text, offset);
        Location {
            file: file.to_string(),
            line,
            column,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let end = offset.min(text.len());
        let column = text
            .get(start..end)
            .map_or(end - start, |s| s.chars().count())
            + 1;
        (line, column)
    }
}

/// Renders a path for messages: as given, with forward slashes.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Invalid HCL, with the source text for a caret diagnostic.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{location}: {message}")]
#[diagnostic(code(tfscope::syntax))]
pub struct SyntaxError {
    pub location: Location,
    pub message: String,
    #[help]
    pub help: Option<String>,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("here")]
    pub span: SourceSpan,
}

/// A `tfscope.hcl` that parses but says something tfscope cannot use.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{location}: {message}")]
#[diagnostic(code(tfscope::config))]
pub struct ConfigError {
    pub location: Location,
    pub message: String,
    #[help]
    pub help: Option<String>,
    /// The file's text, to show the line.
    #[source_code]
    pub src: Option<NamedSource<String>>,
    #[label("here")]
    pub span: Option<SourceSpan>,
}

/// A file given on the command line (`--prices`, `--usage`) that tfscope cannot use.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{}: {message}", location.as_ref().map_or_else(|| display_path(path), |l| l.to_string()))]
#[diagnostic(code(tfscope::input))]
pub struct InputError {
    pub path: PathBuf,
    pub location: Option<Location>,
    pub message: String,
    #[help]
    pub help: Option<String>,
    #[source_code]
    pub src: Option<NamedSource<String>>,
    #[label("here")]
    pub span: Option<SourceSpan>,
}

/// A state document tfscope cannot read: where it came from, and, for invalid JSON, the line.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("cannot read the state from {origin}: {message}")]
#[diagnostic(
    code(tfscope::state),
    help("pass --state with a terraform.tfstate file or `terraform show -json` output, or - for `terraform state pull` on stdin")
)]
pub struct StateError {
    pub origin: String,
    pub message: String,
    #[source_code]
    pub src: Option<NamedSource<String>>,
    #[label("here")]
    pub span: Option<SourceSpan>,
}

impl Error {
    /// A state document that is not what tfscope reads, without a position in it.
    pub fn state(origin: String, message: String) -> Error {
        Error::State(Box::new(StateError {
            origin,
            message,
            src: None,
            span: None,
        }))
    }
}

/// Everything that can go wrong while reading a configuration or answering a question about it.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum Error {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Syntax(Box<SyntaxError>),

    #[error("cannot read {}: {source}", display_path(path))]
    #[diagnostic(code(tfscope::io), help("check that the path exists and is readable"))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot write {}: {source}", display_path(path))]
    #[diagnostic(
        code(tfscope::write),
        help("check that the directory is writable; no file was changed")
    )]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "{}: no Terraform configuration files (*.tf or *.tf.json)",
        display_path(dir)
    )]
    #[diagnostic(
        code(tfscope::empty),
        help("pass the directory of a root module, e.g. `tfscope classify path/to/root`")
    )]
    EmptyDirectory { dir: PathBuf },

    #[error(
        "{location}: module {call:?} has source {source_addr:?}, but {} does not exist",
        display_path(dir)
    )]
    #[diagnostic(
        code(tfscope::missing_module),
        help("fix the module's `source`, or create the directory")
    )]
    MissingModule {
        location: Location,
        call: String,
        source_addr: String,
        dir: PathBuf,
    },

    #[error(
        "{location}: module nesting is deeper than {limit} levels (does a module call itself?)"
    )]
    #[diagnostic(code(tfscope::module_depth))]
    ModuleTooDeep { location: Location, limit: usize },

    #[error("{}: invalid modules.json: {message}", display_path(path))]
    #[diagnostic(
        code(tfscope::modules_json),
        help("run `terraform init` again to rewrite it")
    )]
    ModulesJson { path: PathBuf, message: String },

    #[error("dependency cycle: {}", .cycle.join(" -> "))]
    #[diagnostic(
        code(tfscope::cycle),
        help("Terraform rejects cyclic configurations too; break the cycle by removing one of these references")
    )]
    Cycle {
        /// Each member as `address (file:line:col)`, the first repeated at the end.
        cycle: Vec<String>,
    },

    #[error("unknown scope {name:?}; the scopes are: {}", .known.join(", "))]
    #[diagnostic(
        code(tfscope::unknown_scope),
        help("use one of the declared scopes, or `all`")
    )]
    UnknownScope { name: String, known: Vec<String> },

    #[error("no resource, data source or module call {address:?} in the configuration")]
    #[diagnostic(code(tfscope::unknown_address))]
    UnknownAddress {
        address: String,
        #[help]
        help: Option<String>,
    },

    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(Box<ConfigError>),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Input(Box<InputError>),

    #[error("environment {name:?}: no tfvars file; looked for {}", .tried.iter().map(|p| display_path(p)).collect::<Vec<_>>().join(", "))]
    #[diagnostic(
        code(tfscope::unknown_env),
        help("create environments/NAME.tfvars beside the root module, or pass another --env")
    )]
    UnknownEnv { name: String, tried: Vec<PathBuf> },

    #[error("no terraform binary found; tried: {}", .tried.join(", "))]
    #[diagnostic(
        code(tfscope::no_terraform),
        help("install Terraform or OpenTofu, or pass --tf PATH (or set TFSCOPE_TERRAFORM)")
    )]
    TerraformNotFound { tried: Vec<String> },

    #[error("cannot run {binary}: {source}")]
    #[diagnostic(code(tfscope::spawn))]
    Spawn {
        binary: String,
        #[source]
        source: std::io::Error,
    },

    #[error(transparent)]
    #[diagnostic(transparent)]
    State(Box<StateError>),

    /// A command-line value tfscope cannot use (not a file: those are [`Error::Input`]).
    #[error("{flag}: {message}")]
    #[diagnostic(code(tfscope::usage))]
    Usage {
        flag: &'static str,
        value: String,
        message: String,
        #[help]
        help: Option<String>,
    },

    #[error("{message}")]
    #[diagnostic(code(tfscope::refused))]
    Refused {
        message: String,
        #[help]
        help: Option<String>,
    },

    #[error("{message}")]
    #[diagnostic(code(tfscope::targets))]
    Targets {
        message: String,
        #[help]
        help: Option<String>,
    },
}

/// Reads a file as text; the error names it.
pub fn read_file(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// The byte offset of a 1-based line and column as serde_json reports them (the column in
/// bytes), clamped to the text.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}

/// Where a byte span of `text` is, and the text and span for a caret under it.
pub fn locate(
    file: &str,
    text: &str,
    span: std::ops::Range<usize>,
) -> (Location, NamedSource<String>, SourceSpan) {
    let location = LineIndex::new(text).location(file, text, span.start);
    let start = span.start.min(text.len());
    let len = span
        .end
        .saturating_sub(span.start)
        .max(1)
        .min(text.len().saturating_sub(start))
        .max(usize::from(start < text.len()));
    (
        location,
        NamedSource::new(file, text.to_string()),
        (start, len).into(),
    )
}

impl Error {
    /// An input file tfscope cannot use: at a span of its text when one is known.
    pub fn input(
        path: &Path,
        text: &str,
        span: Option<std::ops::Range<usize>>,
        message: String,
        help: Option<String>,
    ) -> Error {
        let file = display_path(path);
        let (location, src, span) = match span.map(|s| locate(&file, text, s)) {
            Some((l, src, span)) => (Some(l), Some(src), Some(span)),
            None => (None, None, None),
        };
        Error::Input(Box::new(InputError {
            path: path.to_path_buf(),
            location,
            message,
            help,
            src,
            span,
        }))
    }

    /// A syntax error at a byte span of `text`, read from `file`.
    pub fn syntax(file: &str, text: &str, span: std::ops::Range<usize>, message: String) -> Self {
        let (location, src, span) = locate(file, text, span);
        Error::Syntax(Box::new(SyntaxError {
            location,
            message,
            help: Some("fix the syntax; `terraform validate` reports the same file".into()),
            src,
            span,
        }))
    }
}

/// A problem worth telling the user that does not stop the command.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Warning {
    pub location: Option<Location>,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(loc) => write!(f, "{loc}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

#[cfg(test)]
mod tests {
    //! Locations count like an editor, and syntax errors name file, line and column.

    use super::*;

    #[test]
    fn line_col_counts_from_one_and_in_characters() {
        let text = "ab\nc\u{e9}d\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), (1, 1));
        assert_eq!(index.line_col(text, 3), (2, 1));
        // 'd' sits after a two-byte character: byte 6, column 3.
        assert_eq!(index.line_col(text, 6), (2, 3));
    }

    #[test]
    fn syntax_error_message_names_file_line_and_column() {
        let text = "resource \"a\" \"b\" {\n  x = \n}\n";
        let err = Error::syntax("main.tf", text, 25..26, "expected expression".into());
        assert_eq!(err.to_string(), "main.tf:2:7: expected expression");
    }
}
