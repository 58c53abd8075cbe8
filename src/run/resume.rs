//! The command line that resumes `up` or `down` at a phase after a failure, a declined plan or
//! an interrupt: the command that ran, with every flag that changes what it does, and
//! `--from-phase N`. Owns which flags are repeated and how they are quoted; not running it.

use std::path::Path;

use crate::load::address::shell_quote;

/// What the resumed command must repeat.
#[derive(Debug, Clone, Copy)]
pub struct Resume<'a> {
    /// `up` or `down`.
    pub command: &'a str,
    /// The scope flag as the user wrote it: `--scope NAME` or `--through NAME`.
    pub which: &'a str,
    pub env: Option<&'a str>,
    pub auto_approve: bool,
    pub allow_cascade: bool,
    pub allow_stateful: bool,
    pub allow_replace: &'a [String],
    pub no_verify: bool,
    pub tf: Option<&'a Path>,
    /// `--history FILE`: the resumed phases are recorded in the same file.
    pub history: Option<&'a Path>,
    pub dir: Option<&'a Path>,
}

impl Resume<'_> {
    /// `tfscope COMMAND ... --from-phase PHASE [DIR]`.
    pub fn at(&self, phase: usize) -> String {
        let mut r = format!("tfscope {} {}", self.command, self.which);
        if let Some(e) = self.env {
            r.push_str(&format!(" --env {}", shell_quote(e)));
        }
        let switches = [
            (self.auto_approve, " --auto-approve"),
            (self.allow_cascade, " --allow-cascade"),
            (self.allow_stateful, " --allow-stateful"),
        ];
        for (on, flag) in switches {
            if on {
                r.push_str(flag);
            }
        }
        for a in self.allow_replace {
            r.push_str(&format!(" --allow-replace {}", shell_quote(a)));
        }
        if self.no_verify {
            r.push_str(" --no-verify");
        }
        if let Some(t) = self.tf {
            r.push_str(&format!(" --tf {}", shell_quote(&t.display().to_string())));
        }
        if let Some(h) = self.history {
            let file = shell_quote(&h.display().to_string());
            r.push_str(&format!(" --history {file}"));
        }
        r.push_str(&format!(" --from-phase {phase}"));
        if let Some(d) = self.dir {
            r.push_str(&format!(" {}", shell_quote(&d.display().to_string())));
        }
        r
    }
}

#[cfg(test)]
mod tests {
    //! The resumed command repeats every flag that changes what ran, quoted for a shell.

    use super::*;

    #[test]
    fn a_resume_repeats_the_flags_in_order_and_quotes_values() {
        let replace = vec!["aws_x.y[\"a b\"]".to_string()];
        let resume = Resume {
            command: "down",
            which: "--scope runtime",
            env: Some("dev"),
            auto_approve: true,
            allow_cascade: true,
            allow_stateful: false,
            allow_replace: &replace,
            no_verify: true,
            tf: Some(Path::new("/opt/tf bin/terraform")),
            history: Some(Path::new("h.jsonl")),
            dir: Some(Path::new("infra")),
        };
        assert_eq!(
            resume.at(2),
            "tfscope down --scope runtime --env dev --auto-approve --allow-cascade \
             --allow-replace 'aws_x.y[\"a b\"]' --no-verify --tf '/opt/tf bin/terraform' \
             --history h.jsonl --from-phase 2 infra"
        );
        let bare = Resume {
            command: "up",
            which: "--through base",
            env: None,
            auto_approve: false,
            allow_cascade: false,
            allow_stateful: false,
            allow_replace: &[],
            no_verify: false,
            tf: None,
            history: None,
            dir: None,
        };
        assert_eq!(bare.at(1), "tfscope up --through base --from-phase 1");
    }
}
