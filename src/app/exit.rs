//! Process exit codes, in one place: 0 ok, 1 findings, 2 usage or input error, Terraform's own
//! code when it fails under `up`/`down`, 130 when interrupted.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok,
    Findings,
    Error,
    /// `up`/`down`: Terraform failed with this code.
    Terraform(i32),
    /// `up`/`down` stopped by SIGINT or SIGTERM.
    Interrupted,
}

impl Exit {
    pub fn code(self) -> i32 {
        match self {
            Exit::Ok => 0,
            Exit::Findings => 1,
            Exit::Error => 2,
            Exit::Terraform(code) => code,
            Exit::Interrupted => 130,
        }
    }

    /// Ok when there is nothing to report, Findings otherwise.
    pub fn findings_if(found: bool) -> Exit {
        if found {
            Exit::Findings
        } else {
            Exit::Ok
        }
    }
}

#[cfg(test)]
mod tests {
    //! Exit codes are part of the interface: scripts and CI depend on them.

    use super::*;

    #[test]
    fn exit_codes_are_stable() {
        assert_eq!(Exit::Ok.code(), 0);
        assert_eq!(Exit::Findings.code(), 1);
        assert_eq!(Exit::Error.code(), 2);
        assert_eq!(Exit::Terraform(3).code(), 3);
        assert_eq!(Exit::Interrupted.code(), 130);
        assert_eq!(Exit::findings_if(true), Exit::Findings);
        assert_eq!(Exit::findings_if(false), Exit::Ok);
    }
}
