//! Where output goes: data to stdout (buffered, so a closed pipe cuts it short without an
//! error), warnings and diagnostics to stderr, errors rendered with miette and the offending
//! line. Owns the streams; what is printed comes from `output` and `cost::render`.

use std::io::Write;

use crate::error::{Error, Warning};

/// A command's standard output, written in one piece when the command ends.
#[derive(Debug, Default)]
pub struct Out {
    buf: String,
}

impl Out {
    /// Appends `s`, ending it with a newline when it has none.
    pub fn line<S: AsRef<str> + Into<String>>(&mut self, s: S) {
        let newline = !s.as_ref().ends_with('\n');
        if self.buf.is_empty() {
            // A command's whole output is often one string (a large JSON document): take it.
            self.buf = s.into();
        } else {
            self.buf.push_str(s.as_ref());
        }
        if newline {
            self.buf.push('\n');
        }
    }

    /// A value as pretty JSON.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, value: &T) {
        self.line(serde_json::to_string_pretty(value).expect("JSON values serialize"));
    }

    /// Writes everything to stdout; a closed pipe is not an error.
    pub fn flush(self) -> std::io::Result<()> {
        let mut stdout = std::io::stdout().lock();
        match stdout
            .write_all(self.buf.as_bytes())
            .and_then(|_| stdout.flush())
        {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e),
            _ => Ok(()),
        }
    }
}

/// Prints warnings to stderr unless `quiet`.
pub fn warn(warnings: impl IntoIterator<Item = Warning>, quiet: bool) {
    if quiet {
        return;
    }
    for w in warnings {
        eprintln!("warning: {w}");
    }
}

/// Who answers a question on stdin. A person at a terminal is asked first and answers after;
/// a pipe or a file has answered already.
#[derive(Debug)]
pub enum Answerer {
    Terminal,
    Given(String),
}

impl Answerer {
    /// Whoever is on stdin: a terminal, or the first line of a pipe or file; `None` when there
    /// is no line to read (`/dev/null`, an empty pipe, a closed stdin), which is no answer.
    pub fn on_stdin() -> Option<Answerer> {
        use std::io::IsTerminal;
        if std::io::stdin().is_terminal() {
            return Some(Answerer::Terminal);
        }
        read_line().map(Answerer::Given)
    }

    /// Asks `question` on stderr and returns the answer (`None`: end of input at the terminal).
    /// A given answer is echoed after the question, as a terminal would show it.
    pub fn ask(self, question: &str) -> Option<String> {
        eprint!("{question}");
        match self {
            Answerer::Terminal => read_line(),
            Answerer::Given(answer) => {
                eprintln!("{answer}");
                Some(answer)
            }
        }
    }
}

/// One line of stdin without its line ending; `None` at end of input.
fn read_line() -> Option<String> {
    use std::io::BufRead;
    let mut line = String::new();
    let read = std::io::stdin().lock().read_line(&mut line).unwrap_or(0);
    (read > 0).then(|| line.trim_end_matches(['\n', '\r']).to_string())
}

/// Renders an error as a diagnostic with the offending line, without colour when NO_COLOR is
/// set or stderr is not a terminal.
pub fn render_error(e: &Error) -> String {
    use std::io::IsTerminal;
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stderr().is_terminal();
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let mut s = String::new();
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(100);
    if handler.render_report(&mut s, e).is_err() {
        s = format!("error: {e}\n");
    }
    s
}

#[cfg(test)]
mod tests {
    //! Output lines end with exactly one newline.

    use super::*;

    #[test]
    fn lines_end_with_one_newline() {
        let mut out = Out::default();
        out.line("a");
        out.line("b\n".to_string());
        out.json(&serde_json::json!({"k": 1}));
        assert_eq!(out.buf, "a\nb\n{\n  \"k\": 1\n}\n");
    }
}
