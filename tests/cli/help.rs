//! Every command reads like Terraform's own help: each argument and flag of every subcommand
//! says what it is for.

use clap::CommandFactory;

#[test]
fn every_argument_of_every_command_has_a_help_line() {
    let cli = tfscope::app::Cli::command();
    let mut missing = Vec::new();
    let mut checked = 0;
    for command in cli.get_subcommands() {
        for arg in command.get_arguments() {
            let id = arg.get_id().as_str();
            if id == "help" || id == "version" {
                continue;
            }
            checked += 1;
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            if help.trim().is_empty() {
                missing.push(format!("{} {id}", command.get_name()));
            }
        }
    }
    assert!(checked > 50, "only {checked} arguments found");
    assert!(missing.is_empty(), "no help line: {missing:?}");
}
