use insta::assert_snapshot;

use crate::{code, fixture, result, tfscope};

#[test]
fn a_promoted_validation_record() {
    let out = tfscope(&[
        "explain",
        "aws_route53_record.validation",
        &fixture("promotion"),
    ]);
    assert_eq!(code(&out), 0);
    assert_snapshot!(result(&out));
}

#[test]
fn instance_keys_in_the_address_are_accepted() {
    let out = tfscope(&[
        "explain",
        "module.app.module.service[\"api\"].aws_ecs_service.this",
    ]);
    assert_eq!(code(&out), 0, "{}", result(&out));
}

#[test]
fn an_unknown_address_suggests_near_ones() {
    let out = tfscope(&["explain", "aws_ecs_service.this"]);
    assert_eq!(code(&out), 2);
    assert_snapshot!(result(&out));
}

/// Regression: `explain module.x` of a local module call said it did not exist.
#[test]
fn a_local_module_call_lists_its_resources() {
    let out = tfscope(&[
        "explain",
        "module.platform.module.db",
        &fixture("nested_modules"),
    ]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    assert_snapshot!(result(&out));
}
