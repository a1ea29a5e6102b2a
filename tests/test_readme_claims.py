"""Every claim of README.md, and the tests that exercise it.

Each Claim quotes a fragment of the README (compared with whitespace collapsed, so line wrapping does not
matter) and names the tests that exercise what the fragment says: pytest node ids, or
`<file>.tftest.hcl::<run>` for a `terraform test` run (tests/integration/test_terraform_test.py runs those).
Only a test that would fail if the claim were false is listed. A claim about something this repository does
not control (Terraform's or AWS's own behaviour, advice) names no test and says why in `outside`; `partly`
says what of a claim its tests leave out.

The tests below keep the two in step: when the README changes, the failure names the claim whose fragment
disappeared (update its quote, or its tests if the promise changed); a new table row needs a claim; a
renamed test is named too.

The bad-input catalog table is not listed here row by row: it is tests/integration/test_bad_input_catalog.py's CASES
table, so a row corresponds to the case whose `words` its "you see" cell holds, each row is claimed by that case's
parametrized test, and a check says which row has no case or which case no row (or matches several: make its words
say what only its message says).
"""

import ast
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"


@dataclass(frozen=True)
class Claim:
    id: str
    quote: str
    tests: tuple[str, ...] = ()
    outside: str = ""  # why no test of this repository can exercise it
    partly: str = ""  # what of the claim its tests do not reach


# Where the tests live; a name ending in "::" is a file, followed by the test's name.
D = "tests/integration/test_deploy.py::"
E = "tests/integration/test_environments.py::"
EM = "tests/integration/test_emulator.py::"
FD = "tests/integration/test_failure_drills.py::"
CAT = "tests/integration/test_bad_input_catalog.py::test_bad_input_is_one_line_with_the_fix_and_changes_nothing"
CS = "tests/integration/test_config_store.py::"
CPL = "tests/integration/test_comment_plan.py::"
POST = "tests/integration/test_comment_post.py::"
PRE = "tests/integration/test_preflight.py::"
TT = "tests/integration/test_terraform_test.py::test_terraform_test_passes"
R = "tests/integration/test_readme_recipes.py::"
F = "tests/unit/test_readme_facts.py::"
REL = "tests/unit/test_release.py::"
RD = "tests/unit/test_render.py::"
V = "tests/unit/test_validate.py::"
DF = "tests/unit/test_diff.py::"
W = "tests/unit/test_wait.py::"
CC = "tests/unit/comment/test_comment_content.py::"
COST = "tests/unit/comment/test_comment_cost.py::"
CIN = "tests/unit/comment/test_comment_inputs.py::"
MASK = "tests/unit/comment/test_comment_masking.py::"
SIZE = "tests/unit/comment/test_comment_size.py::"
CCLI = "tests/unit/config/test_config_cli.py::"
CENV = "tests/unit/config/test_config_envelope.py::"
CR = "tests/unit/config/test_config_rules.py::"
COMMITTED = "tests/unit/config/test_config_committed.py::"
TRAVEL = "tests/unit/config/test_config_travel.py::"
TRUTH = "tests/unit/comment/test_comment_truth.py::"
CORPUS = "tests/unit/comment/test_plan_corpus.py::"
PS = "tests/unit/test_plan_summary.py::"
RI = "tests/integration/test_release_identity.py::"
HK = "tests/integration/test_housekeeping_drills.py::"
MOVE = "tests/integration/test_environment_move.py::"
CLEAN = "tests/unit/test_clean_and_local_down.py::"
ERR = "tests/unit/test_errors.py::"
SN = "tests/unit/test_secret_names.py::"
MR = "tests/unit/test_module_readmes.py::"
VS = "tests/unit/test_validate_shape.py::"
# terraform test: what every environment gets is tested on the environment module; each root's run compares its values
# (names, sizes, capacity, deployment, discovery, health check, secrets, log retention, alarms) with its table.
TFM = "infrastructure/modules/environment/tests/environment.tftest.hcl::"
TFD = "infrastructure/environments/development/tests/development.tftest.hcl::development"
TFP = "infrastructure/environments/production/tests/production.tftest.hcl::production"
TFA = "infrastructure/modules/alarms/tests/validation.tftest.hcl::"

FRESH_DEPLOY = D + "test_make_deploy_from_a_fresh_clone_ships_tags_and_rolls_back_and_terraform_agrees"
APPLIED = R + "test_a_resource_left_by_a_dead_run_fails_apply_in_one_line_and_deleting_it_lets_apply_converge"
LOCAL_AWS = R + "test_make_keeps_one_emulator_with_its_pid_file_and_log_and_local_down_forgets_everything"
ENV_DESIGN = E + "test_apply_then_plan_reports_no_changes_and_aws_matches_the_design"


def row(name: str) -> str:
    return f"{CAT}[{name}]"


CLAIMS = [
    # -- first screen --------------------------------------------------------------------------------------------
    Claim("first.what", "task definitions rendered from Jinja templates and shipped as revisions tied to git tags",
          (D + "test_deploy_registers_a_revision_tagged_with_the_release_and_waits_until_completed", FRESH_DEPLOY)),
    Claim("first.deploy", "from nothing to a running service, on a local AWS (no account, no internet)", (FRESH_DEPLOY,)),
    Claim("first.test", "every test: unit, terraform test, integration against the local AWS",
          (F + "test_make_test_runs_every_test_and_test_unit_only_the_fast_ones", TT)),
    Claim("first.needs", "Needs `python3` (3.10+), `make`, `git` and `terraform` (1.10+)",
          (F + "test_the_declared_requirements_are_python_3_10_and_terraform_1_10", row("missing terraform"))),
    Claim("first.venv", "The first command creates `.venv`",
          (F + "test_the_first_command_creates_the_virtualenv_then_runs_tbctl",)),
    Claim("first.port", "starts the local AWS emulator on `127.0.0.1:4599`",
          (F + "test_the_emulator_port_is_4599_unless_local_port_is_set", LOCAL_AWS)),
    Claim("first.steps", "applies the infrastructure, renders and registers the task definition, moves the service to it "
          "and waits for the rollout", (FRESH_DEPLOY,)),
    Claim("first.local-down", "`make local-down` stops the emulator",
          (E + "test_local_down_leaves_no_emulator_process", LOCAL_AWS)),
    Claim("first.help", "`make help` lists every target", (F + "test_make_help_lists_every_target",)),

    # -- how a release flows -------------------------------------------------------------------------------------
    Claim("flow.state", "terraform apply──▶ state (S3)",
          (FD + "test_terraform_killed_holding_the_lock_leaves_one_clear_line_and_unlock_lets_the_rerun_finish",)),
    Claim("flow.render", "render task-definitions/<service>.json.j2",
          (RD + "test_the_trading_bot_template_renders_a_valid_request_from_the_outputs",)),
    Claim("flow.release", "+ git tag / commit of HEAD",
          (REL + "test_tagged_clean_head_is_named_by_its_tag_and_ships_that_image", FRESH_DEPLOY)),
    Claim("flow.register", "register revision (tags: git_tag, git_commit, environment)",
          (D + "test_deploy_registers_a_revision_tagged_with_the_release_and_waits_until_completed",)),
    Claim("flow.one-source", "One value, one source: sizes, roles, log group, secrets ARNs, environment variables and "
          "ports are Terraform variables of the environment; the renderer reads them from the environment's Terraform outputs",
          (F + "test_sizes_roles_log_group_secrets_environment_and_ports_come_from_the_outputs",
           RD + "test_the_trading_bot_template_renders_a_valid_request_from_the_outputs", TFM + "task_definition",
           TFD, TFP)),
    Claim("flow.from-state", "(straight from the state in S3, like ecspresso's `tfstate` lookup)", (FRESH_DEPLOY,),
          partly="make deploy renders from the state (no outputs file); no test tells the state apart from `terraform output`"),
    Claim("flow.ignore-changes", "The service's `task_definition` is owned by the deploy step (`ignore_changes` in "
          "Terraform from the first apply), so Terraform and deploys never fight", (FRESH_DEPLOY,)),
    Claim("flow.template-ships", "a change to the template always ships on the next deploy",
          (R + "test_a_template_change_ships_on_the_next_deploy_and_status_json_names_the_release",)),

    # -- layout --------------------------------------------------------------------------------------------------
    Claim("layout.modules", "what exists: networking, container registry, ECS service stack, config store, alarms, "
          "deploy policy, KMS key, and `environment`, which puts them together for one environment with its workloads as "
          "a map (four files each + README, tests beside the module)",
          (F + "test_every_path_in_the_layout_table_exists",
           F + "test_the_modules_are_the_ones_the_readme_lists_each_four_files_and_a_readme",
           MR + "test_the_readme_lists_every_variable_and_output_as_the_code_describes_it",
           TFM + "each_workload_gets_its_own_service_alarms_and_deploy_policy",
           "tests/integration/test_terraform_test.py::test_every_module_and_environment_has_terraform_tests")),
    Claim("layout.environments", "where and how big: one call of `modules/environment` with that environment's values and "
          "its value-table test; backend (S3, native locking), provider, variables, outputs and `moved` blocks are "
          "`environments/shared/*.tf`, linked into each",
          (F + "test_every_path_in_the_layout_table_exists", TFD, TFP, ENV_DESIGN, APPLIED,
           MOVE + "test_an_environment_applied_before_the_move_plans_with_no_resource_changes_after_it"),
          partly="no test checks that the shared files are links rather than copies"),
    Claim("layout.bootstrap", "what the backends need first: the state bucket and the shared `trading-bot` registry",
          (F + "test_every_path_in_the_layout_table_exists", APPLIED)),
    Claim("layout.templates", "what runs: one Jinja template per service, shared by all environments",
          (RD + "test_every_template_in_the_folder_is_a_service",
           RD + "test_the_trading_bot_template_renders_a_valid_request_from_the_outputs")),
    Claim("layout.config", "the bot's runtime configuration documents and their JSON Schemas",
          (CR + "test_the_shipped_documents_are_valid", CCLI + "test_config_check_passes_on_the_shipped_documents")),
    Claim("layout.tbctl", "how it ships: the one command line (`tbctl`), one module per verb",
          (F + "test_every_make_target_that_runs_tbctl_has_its_own_command_module",)),
    Claim("layout.tests", "unit beside integration, fixtures apart",
          (F + "test_the_tests_keep_unit_and_integration_beside_each_other_and_fixtures_apart",)),
    Claim("layout.bench", "`make bench`: speed figures as ratios to baselines measured in the same run",
          (F + "test_every_path_in_the_layout_table_exists",),
          partly="bench/ exists and make bench runs it; no test runs the benchmarks (minutes of terraform each)"),
    Claim("layout.build-state", "| `build/`, `state/` (git-ignored) | what tbctl can make again (plans, working data, logs; "
          "`make clean` removes it) and what it cannot (the AWS bootstrap root's Terraform state; never cleaned) |",
          (CLEAN + "test_clean_removes_what_tbctl_made_and_keeps_everything_else",
           CLEAN + "test_clean_moves_an_aws_bootstrap_state_left_in_build_out_of_its_reach",
           CLEAN + "test_clean_never_overwrites_or_deletes_either_of_two_bootstrap_states")),

    # -- targets -------------------------------------------------------------------------------------------------
    Claim("local.default", "`TARGET=local` (default) runs moto's server",
          (E + "test_plan_prod_prints_a_plan_of_production", F + "test_the_emulator_port_is_4599_unless_local_port_is_set")),
    Claim("local.keeps", "where moto drops what real AWS keeps (an ECS service's capacity provider strategy and deployment "
          "configuration)", (EM + "test_service_keeps_strategy_and_deployment_configuration", ENV_DESIGN)),
    Claim("local.behaviour", "where it has no behaviour (deployments that roll out, fail, or are rolled back by the circuit "
          "breaker)", (EM + "test_deployment_rolls_out_then_completes",
                       EM + "test_armed_failure_is_rolled_back_by_the_circuit_breaker",
                       D + "test_a_failing_rollout_exits_nonzero_naming_the_rollback_or_failure")),
    Claim("local.on-demand", "`make` starts it on demand and leaves it running between commands (pid file and log under "
          "`build/local/`); `make local-down` stops it", (LOCAL_AWS, APPLIED)),
    Claim("local.down-only-ours", "and only it: a process is signalled only when its command line is our emulator's for "
          "that port and it listens there, so a stale or garbage pid file is one line and the process it names keeps running",
          (CLEAN + "test_a_garbage_pid_file_is_one_line_and_nothing_is_signalled",
           CLEAN + "test_a_pid_file_naming_an_unrelated_process_leaves_it_running",
           CLEAN + "test_a_pid_file_naming_our_own_caller_or_a_dead_process_signals_nothing",
           CLEAN + "test_an_emulator_command_line_for_another_port_is_not_ours_to_stop")),
    Claim("local.override", "Terraform talks to it through a generated, git-ignored `tbctl_local_override.tf`; the real "
          "configuration is never edited", (APPLIED,)),
    Claim("local.state", "The state lives in the emulator's S3, through the same S3 backend as on AWS.",
          (FD + "test_terraform_killed_holding_the_lock_leaves_one_clear_line_and_unlock_lets_the_rerun_finish", APPLIED)),
    Claim("local.memory", "The emulator keeps everything in memory: after `make local-down` the next command starts from "
          "nothing, and a plan saved before it is made again on the new emulator (`make plan; make local-down; make apply` "
          "says \"planning again\").",
          (LOCAL_AWS, HK + "test_the_readme_recipe_plan_local_down_apply_plans_again_on_the_new_emulator")),
    Claim("aws.credentials", "`TARGET=aws` uses your credentials (`AWS_PROFILE` or the usual variables)",
          (row("missing AWS credentials"), row("expired AWS credentials"), PRE + "test_credential_problems_are_one_line"),
          partly="the variables are exercised; AWS_PROFILE is boto3's and terraform's own lookup"),
    Claim("aws.bootstrap", "Once per account run `make bootstrap TARGET=aws` (state bucket `trading-bot-tfstate-<account>` "
          "and the `trading-bot` registry", (APPLIED,),
          partly="the same bootstrap runs on TARGET=local (bucket named with the emulator's account); no test has an AWS account"),
    Claim("aws.bootstrap-state", "its Terraform state is kept in `state/aws/bootstrap.tfstate`, git-ignored and never "
          "touched by `make clean`: back it up, or re-import",
          (CLEAN + "test_clean_never_overwrites_or_deletes_either_of_two_bootstrap_states",
           CLEAN + "test_clean_removes_what_tbctl_made_and_keeps_everything_else"),
          partly="the place is checked through make clean; no test has an AWS account to bootstrap"),
    Claim("aws.bootstrap-moved", "A state an older tbctl left in `build/aws/bootstrap/` is moved there, with a line saying so",
          (CLEAN + "test_clean_moves_an_aws_bootstrap_state_left_in_build_out_of_its_reach",)),
    Claim("aws.confirm", "Applying production on AWS needs `CONFIRM=production` (CI is confirmed by `CI=true`)",
          (R + "test_applying_production_on_aws_needs_confirm_production_or_ci",)),
    Claim("clean.row", "`make clean` stops every emulator this checkout started and removes what tbctl made in `build/` "
          "(plans, working data, logs); anything else found there is kept and named, and `state/` and `.venv` are never "
          "touched.", (HK + "test_clean_stops_every_emulator_this_checkout_started_and_no_other",
                       CLEAN + "test_clean_removes_what_tbctl_made_and_keeps_everything_else",
                       CLEAN + "test_clean_keeps_a_build_that_is_not_a_folder_it_made",
                       CLEAN + "test_clean_leaves_an_unrelated_process_named_by_a_pid_file_running")),
    Claim("providers.mirror", "Terraform providers come from a local filesystem mirror when one exists (looked for in "
          "`/opt/tf-plugins`, `~/.terraform.d/plugins`, `/usr/share/terraform/plugins`, ... or `TBCTL_TF_MIRROR`)",
          (F + "test_providers_come_from_the_mirror_tbctl_tf_mirror_names", F + "test_the_mirror_is_looked_for_where_the_readme_says")),
    Claim("providers.cli-config", "through a CLI config written to `build/terraformrc` (`TBCTL_TF_CLI_CONFIG` names your "
          "own instead); with none, the public registry",
          (F + "test_tbctl_tf_cli_config_names_your_own_config",
           F + "test_without_a_mirror_providers_come_from_the_public_registry")),
    Claim("providers.init", "`terraform init` runs only when something it depends on changed",
          (E + "test_repeated_plan_does_not_rerun_init",)),

    # -- releases ------------------------------------------------------------------------------------------------
    Claim("render.undefined", "an undefined value fails naming template, line and variable",
          (RD + "test_an_undefined_variable_names_the_template_the_line_and_the_variable", row("undefined template variable"))),
    Claim("render.context", "renders the task definition from the environment's Terraform outputs (`tf.*`), the git "
          "release (`release.tag/commit/image`) and `env.*`", (F + "test_a_template_reads_tf_release_and_env",)),
    Claim("render.one-service", "Today there is one service per environment: `make` ships `trading-bot.json.j2`, and "
          "`tbctl render|diff|deploy --service <name>` renders another template but deploys it to the service the "
          "environment's `service_name` output names.",
          (R + "test_another_template_is_deployed_to_the_environments_one_service",)),
    Claim("render.new-service", "A new service takes a template plus, in each environment, its own `ecs-service` module "
          "call and outputs for the template.", (R + "test_another_template_is_deployed_to_the_environments_one_service",),
          partly="the test shows why (one service per environment today); adding a second service is left to the later change"),
    Claim("render.revision-tags", "Every revision is tagged `git_tag`, `git_commit`, `environment`.",
          (D + "test_deploy_registers_a_revision_tagged_with_the_release_and_waits_until_completed",
           REL + "test_revision_tags_name_tag_commit_and_environment")),
    Claim("render.row", "`make render ENV=dev [TAG=] [IMAGE_TAG=]`",
          (F + "test_make_passes_each_variable_the_readme_names_to_tbctl", F + "test_render_without_aws_prints_and_saves_under_build")),
    Claim("render.shape", "a copy of `describe-task-definition` output gets one line naming the keys to delete; the "
          "request's shape from botocore's own model (keys, types, enums, lengths)",
          (V + "test_a_definition_copied_from_describe_task_definition_names_the_keys_to_delete_in_one_short_line",
           V + "test_the_whole_describe_answer_names_the_wrapper_and_every_server_field_within_300_characters",
           VS + "test_what_botocore_refuses_on_shape_we_refuse",
           VS + "test_a_request_of_the_models_shape_passes_the_shape_layer_and_never_crashes_the_rules",
           row("fields copied from describe-task-definition"))),
    Claim("render.rules", "then AWS's documented rules, each citing its AWS page (unique container names, ports 1-65535 "
          "and hostPort under awsvpc, container memory/cpu within the task's, Fargate cpu/memory pairs and awsvpc, "
          "execution role for secrets/awslogs/ECR, dependsOn/links/volumes naming real containers, health check ranges, ...)",
          (V + "test_each_aws_rule_refuses_what_its_page_says_aws_refuses", V + "test_every_aws_rule_has_a_row",
           V + "test_what_aws_accepts_passes", V + "test_the_rendered_template_passes_every_rule",
           row("container port outside 1-65535"), row("duplicate container name"),
           row("container memory above the task's"), row("secrets without an execution role"),
           row("invalid Fargate CPU/memory pair in the template"))),
    Claim("render.units", "where `cpu` may be `\"1 vCPU\"` and `memory` `\"2 GB\"` as AWS converts them",
          (V + "test_cpu_is_read_as_aws_reads_it", V + "test_memory_is_read_as_aws_reads_it",
           EM + "test_register_task_definition_takes_vcpu_and_gb_and_stores_units_as_ecs_does")),
    Claim("render.house-rules", "then ours: no `latest`, no secret-named plain `environment` variable, prod health check",
          (V + "test_each_house_and_shape_rule_refuses_with_one_line_naming_the_problem_and_the_fix",
           row("secret in plain environment"))),
    Claim("render.emulator-rules", "The local emulator's RegisterTaskDefinition runs the same AWS rules.",
          (EM + "test_register_task_definition_refuses_what_aws_refuses_with_its_client_exception",
           VS + "test_the_emulators_check_never_crashes_on_what_a_client_might_send")),
    Claim("render.saves", "Prints and saves under `build/<target>/<env>/task-definitions/`",
          (F + "test_render_without_aws_prints_and_saves_under_build", RD + "test_render_refuses_bad_input_with_one_line_and_saves_nothing")),
    Claim("diff.row", "rendered vs the revision the service runs, server fields normalised away; exit 1 when it differs",
          (D + "test_diff_exit_status_says_whether_the_next_deploy_changes_the_service",
           DF + "test_a_request_equal_to_the_revision_apart_from_server_fields_and_defaults_has_no_difference",
           DF + "test_a_real_change_shows_in_the_diff")),
    Claim("deploy.options", "`make deploy ENV=dev [TIMEOUT=600] [DRY_RUN=1]`",
          (F + "test_deploy_waits_600_seconds_by_default", F + "test_dry_run_from_make_reaches_every_command_that_changes_something",
           D + "test_dry_run_shows_what_would_happen_and_changes_nothing",
           D + "test_a_rollout_past_the_timeout_exits_nonzero_saying_it_is_still_in_progress")),
    Claim("deploy.verify", "apply, render, verify (image in ECR, secrets, log group, roles; each missing one named)",
          (FRESH_DEPLOY, D + "test_deploy_names_each_missing_resource_and_registers_nothing",
           R + "test_verification_names_a_missing_image_and_a_missing_role")),
    Claim("deploy.unchanged", "register only if changed (\"unchanged, revision N\")",
          (D + "test_deploying_the_same_commit_twice_registers_one_revision",)),
    Claim("deploy.wait", "update the service, wait (progress line, poll ≤ 15 s)",
          (W + "test_progress_in_a_log_prints_one_line_per_change", W + "test_progress_on_a_terminal_rewrites_one_line",
           F + "test_the_rollout_is_polled_at_most_every_15_seconds")),
    Claim("deploy.fails", "Exits non-zero if ECS failed or rolled the deployment back.",
          (D + "test_a_failing_rollout_exits_nonzero_naming_the_rollback_or_failure", W + "test_a_rollout_is_read_as_ecs_reports_it")),
    Claim("deploy.interrupt", "Ctrl-C while waiting leaves the service on a complete revision; re-run to finish",
          (D + "test_interrupt_while_waiting_leaves_the_service_on_a_consistent_revision_and_a_rerun_resumes",)),
    Claim("rollback.row", "move the service to the newest clean revision of that git tag (see below); registers nothing; "
          "an unknown tag lists the known ones",
          (D + "test_a_new_tag_moves_the_service_and_rollback_returns_to_the_first_without_registering",
           D + "test_rollback_to_an_unknown_tag_lists_the_tags_that_exist_and_changes_nothing", row("unknown rollback tag"),
           RI + "test_status_shows_git_dirty_and_rollback_takes_a_clean_revision_of_the_tag_over_a_newer_dirty_one")),
    Claim("rollback.previous", "`make rollback ENV=dev TO=v1.2.0` / `TO=previous`",
          (D + "test_rollback_to_previous_goes_to_the_release_before_the_current_one",
           F + "test_make_passes_each_variable_the_readme_names_to_tbctl")),
    Claim("status.row", "revision, git tag, commit (and `git_dirty` when built from a dirty tree), image (noted when it is "
          "not the git tag's image), running/desired, rollout state (`tbctl status --json`; with `--env all` a JSON list, "
          "one entry per environment; one that cannot be read is listed with its error and the exit is non-zero)",
          (D + "test_deploy_registers_a_revision_tagged_with_the_release_and_waits_until_completed",
           R + "test_a_template_change_ships_on_the_next_deploy_and_status_json_names_the_release",
           RI + "test_status_shows_git_dirty_and_rollback_takes_a_clean_revision_of_the_tag_over_a_newer_dirty_one",
           RI + "test_make_deploy_prod_with_another_image_is_refused_and_status_all_shows_both_environments",
           RI + "test_status_of_every_environment_from_one_outputs_file_is_refused")),
    Claim("prune.row", "deregister older revisions; never the one in use or Terraform's baseline",
          (D + "test_prune_keeps_the_newest_the_one_in_use_and_terraforms_baseline",)),
    Claim("prune.keep", "`make prune ENV=dev KEEP=10`", (F + "test_make_passes_each_variable_the_readme_names_to_tbctl",)),
    Claim("names.production", "a clean tree (no uncommitted changes; untracked files count, gitignored ones do not), a tag "
          "on HEAD, and the image of that tag",
          (REL + "test_production_refuses_a_dirty_tree_or_an_untagged_commit",
           REL + "test_an_untracked_file_makes_the_tree_dirty_and_an_ignored_one_does_not",
           D + "test_production_deploy_from_a_dirty_tree_or_untagged_commit_fails_with_one_line_touching_nothing",
           row("production deploy from a dirty tree"), row("production deploy from an untagged commit"))),
    Claim("names.image-tag", "(image tag = git tag)", (REL + "test_tagged_clean_head_is_named_by_its_tag_and_ships_that_image",
                                                      REL + "test_production_accepts_image_tag_equal_to_its_git_tag")),
    Claim("names.image-tag-refused", "`IMAGE_TAG=` other than the tag is refused in production, given to make or exported in "
          "the shell, and so is a git tag that cannot be an image tag (`release/1.2`, `v1.2.0+build.5`, `latest`)",
          (REL + "test_production_refuses_an_image_tag_other_than_its_git_tags", REL + "test_a_git_tag_that_cannot_be_an_image_tag",
           REL + "test_any_tag_name_ships_as_its_own_image_or_is_refused_in_one_line",
           RI + "test_production_refuses_another_image_from_the_command_line_or_the_environment_touching_nothing",
           row("identity: production deploy of another image"),
           row("identity: production deploy with IMAGE_TAG exported in the shell"),
           row("identity: production git tag that cannot be an image tag"))),
    Claim("names.request-image", "The rendered production request is checked too: every image of the release's repository "
          "must be the tag's (a template cannot pin another) and one container must run it.",
          (REL + "test_image_problem_names_any_image_of_the_release_repository_that_is_not_the_tags",
           RI + "test_a_production_template_cannot_pin_another_image_of_the_release_repository")),
    Claim("names.tag-on-head", "names a tag on HEAD** (lightweight or annotated): a tag on another commit is refused, naming "
          "the commit it points at; a name that is no tag is refused.",
          (REL + "test_explicit_tag_on_another_commit_is_refused_naming_that_commit",
           REL + "test_explicit_tag_that_does_not_exist_is_refused", REL + "test_a_tag_of_a_tag_still_names_the_commit_it_leads_to",
           REL + "test_a_branch_of_that_name_is_not_a_tag", RI + "test_a_tag_on_another_commit_is_refused_naming_that_commit",
           row("identity: TAG of another commit"), row("identity: TAG that is no tag"))),
    Claim("names.several-tags", "the highest version names the release, in semver order (`v1.10.0` > `v1.9.0` > "
          "`v1.9.0-rc.1`; a leading `v`, any number of numeric parts, build metadata ignored), and the output says so",
          (REL + "test_several_tags_on_head_choose_the_highest_version_and_say_so",
           REL + "test_version_order_is_semver_order_whatever_the_prefix_or_build_metadata",
           REL + "test_the_chosen_tag_is_the_semver_highest_whatever_order_kind_or_other_tags",
           RI + "test_several_tags_on_head_ship_the_highest_version_and_the_output_says_why")),
    Claim("names.no-single-tag", "When no single tag wins (two spellings of one version such as `v1.2` and `v1.2.0`, or "
          "several non-version tags), name it with `TAG=`. A pre-release tag ships like any other.",
          (REL + "test_several_tags_with_no_single_highest_version_must_be_named_with_tag",
           REL + "test_choice_is_one_of_the_tags_or_a_refusal_that_names_tag_never_a_crash",
           REL + "test_a_pre_release_tag_ships_to_production_like_any_other",
           row("identity: several tags on HEAD and none a version"))),
    Claim("names.development", "ships any commit: HEAD's tag (chosen as above), else `dev-<shortsha>`",
          (REL + "test_tagged_clean_head_is_named_by_its_tag_and_ships_that_image",
           REL + "test_untagged_dev_commit_is_named_after_the_commit")),
    Claim("names.dirty", "a dirty tree may deploy and its revision is tagged `git_dirty=true`; `IMAGE_TAG=` may run another "
          "image.", (REL + "test_dirty_dev_tree_may_deploy_and_is_marked_dirty_in_the_revision_tags",
                     REL + "test_development_may_run_another_image_under_its_name")),
    Claim("names.rollback", "takes the newest clean revision of the tag (`TO=previous`: of the release before the running "
          "revision). Development falls back to a revision built from a dirty tree only when the tag has no clean one, and "
          "says so; production refuses such revisions, and revisions that run another image under the tag's name",
          (RI + "test_status_shows_git_dirty_and_rollback_takes_a_clean_revision_of_the_tag_over_a_newer_dirty_one",
           RI + "test_production_rollback_never_runs_another_image_under_the_tags_name",
           D + "test_rollback_to_previous_goes_to_the_release_before_the_current_one")),
    Claim("names.standin-image", "On `TARGET=local` a stand-in image for the tag is put in the emulator's ECR so "
          "verification runs as on AWS", (R + "test_a_template_change_ships_on_the_next_deploy_and_status_json_names_the_release",
                                          FRESH_DEPLOY)),
    Claim("names.release-step", "`tbctl deploy --env dev --skip-apply --no-wait`",
          (D + "test_interrupt_while_waiting_leaves_the_service_on_a_consistent_revision_and_a_rerun_resumes",),
          partly="\"benchmarked\": bench/deploy.py measures it; no test runs the benchmark"),
    Claim("names.render-offline", "Render without AWS: `tbctl render --env dev --outputs outputs.json` (from `terraform "
          "output -json`)", (F + "test_render_without_aws_prints_and_saves_under_build",)),

    # -- plan comments -------------------------------------------------------------------------------------------
    Claim("comment.make", "renders the plan saved by `make plan` (`build/<target>/<env>/plan.json`, or any `terraform show "
          "-json` file) as one markdown comment and prints it",
          (CPL + "test_make_plan_then_make_comment_prints_the_summary_first", CC + "test_the_summary_line_agrees_with_terraforms_own_count")),
    Claim("comment.posts", "In a pull request (GitHub Actions: `GITHUB_REPOSITORY`, `GITHUB_TOKEN`, `GITHUB_EVENT_PATH`), "
          "or with `PR=<n>`, it also posts it",
          (POST + "test_the_pull_request_number_comes_from_the_actions_event",
           POST + "test_the_second_run_updates_the_first_comment_instead_of_adding_one",
           POST + "test_outside_a_pull_request_it_only_prints")),
    Claim("comment.updates", "it reads every page of the PR's comments, updates its own comment for that environment "
          "(hidden marker `<!-- tbctl-plan:<env> -->`), or creates one",
          (POST + "test_our_comment_is_found_on_page_3_of_250_comments", POST + "test_each_environment_keeps_its_own_comment",
           POST + "test_the_second_run_updates_the_first_comment_instead_of_adding_one")),
    Claim("comment.dry-run", "`DRY_RUN=1` renders without posting",
          (POST + "test_dry_run_renders_but_does_not_post", F + "test_dry_run_from_make_reaches_every_command_that_changes_something")),
    Claim("comment.json", "`tbctl comment --json` prints counts, dangers, the changes it does not render (`not_rendered`), "
          "why the plan is unfinished (`incomplete`, or null) and the body",
          (CC + "test_json_output_is_machine_readable",
           CORPUS + "test_json_output_is_json_only_and_tells_a_script_what_the_text_tells_a_person",
           TRUTH + "test_an_unfinished_plan_is_said_so_in_json_too")),
    Claim("comment.summary", "The comment starts with the result and the summary (add/change/destroy/replace, plus "
          "move/import/forget)", (CC + "test_the_first_line_names_the_environment_and_the_result",
                                  CC + "test_move_import_and_forget_are_counted_and_listed",
                                  CC + "test_the_summary_line_agrees_with_terraforms_own_count")),
    Claim("comment.dangers", "then every destroy and replacement with its reason (`action_reason`, `replace_paths`",
          (CC + "test_replacements_name_the_attributes_that_force_them_in_the_first_lines", CC + "test_deletions_say_why_from_action_reason")),
    Claim("comment.not-rendered", "every change of a kind this tool does not render in detail (a new Terraform action, "
          "deferred changes, action invocations, any new collection of changes: each named with its address, never dropped)",
          (TRUTH + "test_a_resource_action_this_tool_does_not_know_is_named_on_its_own_line",
           TRUTH + "test_a_collection_of_changes_this_tool_does_not_know_is_named",
           CORPUS + "test_deferred_changes_and_action_invocations_are_named",
           CORPUS + "test_every_resource_change_is_shown_or_named", PS + "test_a_kind_of_change_this_tool_does_not_know_is_named")),
    Claim("comment.sections", "resources by action, drift, output changes",
          (CC + "test_the_sections_come_in_the_issues_order", CC + "test_drift_lists_the_attributes_changed_outside_terraform",
           CC + "test_output_changes_are_listed_with_sensitive_ones_masked")),
    Claim("comment.cost", "the monthly Fargate cost before → after (FARGATE_SPOT priced at its discount; prices in "
          "`scripts/tbctl/data/fargate_prices.json`, cited in the comment as AWS's Fargate pricing page and the day they "
          "were read)", (COST + "test_the_cost_section_shows_before_after_and_the_price_source",
                         COST + "test_spot_tasks_are_priced_at_the_spot_discount_not_on_demand",
                         COST + "test_the_price_table_says_where_and_when_it_is_from",
                         TRUTH + "test_the_price_source_is_the_public_pricing_page_and_the_day_it_was_read",
                         F + "test_the_price_table_lives_where_the_readme_says")),
    Claim("comment.checkov", "the checkov result from `make lint`", (CC + "test_checkov_counts_and_failed_checks_are_shown",),
          partly="the comment reads checkov.json beside the plan; no test runs make lint (checkov is installed by make lint itself)"),
    Claim("comment.full-text", "and the full plan text", (CC + "test_the_sections_come_in_the_issues_order",)),
    Claim("comment.drift", "Drift is listed when the plan depends on it (Terraform's `relevant_attributes`, or an attribute "
          "the plan changes back); drift nothing here uses, such as the service's `task_definition` after every deploy, is "
          "collapsed apart as \"not affecting this plan\".",
          (TRUTH + "test_drift_of_an_attribute_the_plan_depends_on_is_reported", TRUTH + "test_drift_the_plan_undoes_is_reported",
           TRUTH + "test_the_task_definition_a_deploy_moved_is_not_reported_as_drift",
           CORPUS + "test_drift_is_listed_where_terraform_lists_it_or_the_plan_undoes_it")),
    Claim("comment.long-values", "Long values keep their head and tail, and two different values are never shortened to "
          "the same text.", (TRUTH + "test_two_different_long_values_are_never_shortened_to_the_same_text",
                             TRUTH + "test_an_arns_tail_is_kept_when_it_is_shortened",
                             CORPUS + "test_a_before_and_after_never_read_the_same")),
    Claim("comment.sensitive", "Sensitive values and secret-looking text show as `(sensitive)`, including a secret inside a "
          "larger attribute such as `container_definitions`",
          (MASK + "test_a_sensitive_value_inside_a_container_definition_appears_nowhere",
           MASK + "test_secret_looking_text_is_masked_in_the_plan_text")),
    Claim("comment.size", "It always fits GitHub's 65,536 characters: long parts are cut from the middle with a note "
          "pointing to the CI run's artifact `plan-<env>` (run locally, it points nowhere: no local file names), and the "
          "markdown stays valid",
          (SIZE + "test_a_large_plan_fits_with_valid_markdown_and_says_what_was_cut",
           SIZE + "test_the_comment_is_cut_from_the_middle_keeping_head_and_tail", SIZE + "test_fit_never_goes_over_its_budget",
           SIZE + "test_run_locally_a_cut_comment_points_nowhere_rather_than_at_a_local_file",
           TRUTH + "test_a_local_run_points_at_no_file_and_ci_points_at_the_runs_artifact",
           CORPUS + "test_the_comment_fits_githubs_limit_and_its_markdown_is_balanced",
           F + "test_in_ci_a_cut_comment_points_to_the_plan_artifact_of_its_environment")),
    Claim("comment.own-environment", "The plan must say it is this environment's: its `environment` output, `environment` "
          "default tag or `environment` variable must all name it; a plan of another environment, or one that names none, "
          "is refused before anything is printed or posted.",
          (TRUTH + "test_a_plan_of_production_is_refused_as_developments_comment",
           TRUTH + "test_a_plan_that_names_no_environment_is_refused_saying_what_is_missing",
           TRUTH + "test_a_plan_that_names_two_environments_is_refused", TRUTH + "test_the_default_tag_alone_identifies_the_environment",
           TRUTH + "test_an_environment_variable_identifies_the_environment",
           row("another environment's plan given to make comment"),
           row("a plan that names no environment given to make comment"))),
    Claim("comment.failed", "A failed plan is still commented, with its error, and the command exits non-zero; so is a plan "
          "Terraform did not finish (`errored: true`, or `complete: false` from `-target` or deferred changes), which never "
          "reads \"no changes\".",
          (CC + "test_a_failed_plan_prints_the_comment_with_the_error_and_exits_non_zero",
           POST + "test_a_failed_plan_is_still_posted_then_the_command_fails",
           CPL + "test_a_failed_plan_gives_a_failed_comment_and_a_non_zero_exit",
           TRUTH + "test_a_targeted_plan_is_incomplete_never_no_changes_and_fails_after_printing",
           TRUTH + "test_an_unfinished_plan_with_nothing_planned_never_reads_no_changes",
           CORPUS + "test_a_plan_that_did_not_complete_never_reads_as_no_changes_and_fails", PS + "test_an_unfinished_plan_says_so",
           row("an unfinished (-target) plan given to make comment"))),
    Claim("comment.windows", "Plan JSON written by Windows PowerShell (UTF-16, or UTF-8 with a byte-order mark) is read as is.",
          (TRUTH + "test_a_plan_saved_by_windows_reads_like_the_utf8_one",)),
    Claim("ci.workflow", "`.github/workflows/plan.yml` runs plan, lint and comment for dev and prod on every pull request "
          "that changes `infrastructure/`, `task-definitions/`, `scripts/tbctl/` or the Makefile",
          (F + "test_the_plan_workflow_runs_plan_lint_and_comment_for_both_environments_on_pull_requests",
           F + "test_the_plan_workflow_runs_when_what_a_plan_depends_on_changes")),
    Claim("ci.target", "(TARGET=aws with OIDC when the repository variable `AWS_ROLE_ARN` is set, otherwise the local "
          "emulator)", (F + "test_the_plan_workflow_runs_plan_lint_and_comment_for_both_environments_on_pull_requests",)),
    Claim("ci.artifact", "The uploaded artifact holds the plan text and comment, never `plan.json` / `plan.tfplan`",
          (F + "test_the_uploaded_artifact_never_holds_plan_json_or_the_binary_plan",)),
    Claim("ci.fixtures", "Plan fixtures for the tests come from real terraform runs: `.venv/bin/python "
          "tests/fixtures/plans/regenerate.py [case ...]`", (CIN + "test_every_case_of_the_regenerate_script_has_its_fixture",
                                                            CORPUS + "test_generated_plans_come_from_terraform_with_its_text"),
          partly="the fixtures are checked against the script's cases; regenerating them is not run by the tests"),
    Claim("ci.corpus", "They form a corpus with one case per shape Terraform 1.10+ writes",
          (CORPUS + "test_the_corpus_covers_every_shape_terraform_writes", CORPUS + "test_the_corpus_holds_secrets_deep_in_lists_and_maps",
           CORPUS + "test_hand_written_plans_say_why_and_are_copied_unchanged")),
    Claim("ci.corpus-checks", "the unit tests check that every committed plan still has them and that every comment names "
          "each change, counts like the plan and leaks no sensitive value.",
          (CORPUS + "test_each_plan_still_has_the_shape_it_exists_for", CORPUS + "test_every_resource_change_is_shown_or_named",
           CORPUS + "test_the_summary_counts_equal_the_plans_actions", CORPUS + "test_no_sensitive_value_appears_in_the_comment")),

    # -- runtime configuration store -----------------------------------------------------------------------------
    Claim("config.bucket", "The bot reads four documents from its environment's bucket (`trading-config-<env>`, the "
          "`config_bucket` output)", (TFM + "environment", TFD, TFP,
                                      CS + "test_pushed_documents_pull_back_byte_exact_and_versions_list_the_push")),
    Claim("config.names", "`strategy-config`, `risk-params`, `symbols-config`, `notification-config`",
          (CR + "test_the_shipped_documents_are_valid", CCLI + "test_config_check_passes_on_the_shipped_documents")),
    Claim("config.schemas", "They live in `config/<environment>/`, each checked against `config/schemas/<name>.schema.json`",
          (CCLI + "test_config_check_passes_on_the_shipped_documents", CR + "test_each_rule_reports_its_json_path_or_accepts_a_valid_value")),
    Claim("config.secrets", "Tokens and passwords are never in them: `*_secret` fields name a Secrets Manager secret",
          (CR + "test_each_rule_reports_its_json_path_or_accepts_a_valid_value",
           CR + "test_notification_documents_name_secrets_their_environment_declares")),
    Claim("config.check", "validates every document (all environments without ENV) and lists every problem with its JSON path",
          (CCLI + "test_config_check_passes_on_the_shipped_documents",
           CCLI + "test_config_check_of_production_ignores_a_broken_development",
           CR + "test_require_valid_lists_every_problem_and_fails_with_one_line")),
    Claim("config.check-lint", "part of `make lint`", (R + "test_lint_fails_on_any_checkov_finding_and_checks_the_config_documents",)),
    Claim("config.push", "validates, then uploads only the documents whose SHA-256 changed",
          (CS + "test_an_unchanged_push_makes_no_writes_and_a_changed_document_writes_only_itself",
           CCLI + "test_an_invalid_document_is_one_line_naming_the_path_and_nothing_is_uploaded")),
    Claim("config.push-layout", "as `configs/<name>.json` with metadata (version, UTC time, checksum, git commit) plus an "
          "immutable copy `versions/<name>/<version>.json`",
          (CS + "test_pushed_documents_pull_back_byte_exact_and_versions_list_the_push", CENV + "test_an_envelope_round_trips_and_verifies")),
    Claim("config.pull", "prints the current document after verifying its checksum; a mismatch is an error naming the object",
          (CS + "test_pushed_documents_pull_back_byte_exact_and_versions_list_the_push",
           CS + "test_a_tampered_object_fails_the_pull_with_the_checksum_error_naming_it")),
    Claim("config.versions", "versions newest first: time, commit, checksum, action",
          (CS + "test_pushed_documents_pull_back_byte_exact_and_versions_list_the_push",
           CS + "test_rollback_restores_the_exact_earlier_bytes_as_a_new_version")),
    Claim("config.rollback", "makes that version current again as a new version (history is never rewritten) and verifies it",
          (CS + "test_rollback_restores_the_exact_earlier_bytes_as_a_new_version",)),
    Claim("config.sync", "copies FROM's current documents to TO, except the environment-specific fields (see below): backs "
          "up TO under `backups/<time>-before-sync-from-<env>/`, copies, verifies every checksum",
          (CS + "test_sync_prod_to_dev_backs_up_dev_then_copies_and_verifies",
           TRAVEL + "test_production_to_development_keeps_developments_notifications_and_copies_the_rest")),
    Claim("config.sync-prod", "`TO=prod` is always refused", (CS + "test_sync_into_production_is_refused_and_changes_nothing",
                                                            CCLI + "test_bad_input_is_refused_before_any_aws_call")),
    Claim("config.committed", "`make config-push ENV=prod` reads production's documents from HEAD's git objects and is "
          "refused while anything under `config/production/` differs from HEAD",
          (COMMITTED + "test_any_uncommitted_change_under_config_production_is_refused_naming_it",
           COMMITTED + "test_the_documents_published_are_the_committed_bytes_with_the_commit_they_come_from",
           COMMITTED + "test_changes_outside_config_production_do_not_block_it",
           COMMITTED + "test_line_ending_conversion_on_checkout_is_not_a_change",
           COMMITTED + "test_outside_git_or_before_the_first_commit_production_is_refused",
           CS + "test_a_production_push_with_uncommitted_changes_is_refused_and_adds_no_version",
           row("production config push with an uncommitted edit"))),
    Claim("config.committed-commit", "Its metadata therefore always names a real commit. Development publishes its working "
          "tree and records `<sha>-dirty` when it differs from HEAD.",
          (CS + "test_a_committed_production_change_is_pushed_and_names_its_commit",
           COMMITTED + "test_development_still_publishes_its_working_tree_marked_dirty")),
    Claim("config.size", "(1,048,576 bytes); a bigger one is refused by `config-check` and `config-push` alike, naming its "
          "size and the limit.", (CCLI + "test_a_document_over_1_mb_is_refused_with_its_size_and_the_limit",
                                  CCLI + "test_a_document_of_exactly_1_mb_is_accepted",
                                  COMMITTED + "test_a_committed_production_document_over_1_mb_is_refused_like_any_other",
                                  row("config document over 1 MB"))),
    Claim("config.sync-keeps", "The sync keeps TO's own values there; when TO has none (never pushed), it is refused, naming "
          "them, instead of copying FROM's.",
          (TRAVEL + "test_any_marking_keeps_the_destinations_values_and_copies_the_rest",
           TRAVEL + "test_a_destination_without_its_own_values_is_refused_never_given_the_sources",
           TRAVEL + "test_no_recipient_or_secret_of_the_source_ever_reaches_the_destination",
           CS + "test_no_production_recipient_or_secret_reaches_any_object_of_development",
           row("config sync into an environment without its own notification settings"))),
    Claim("config.sync-marked", "Each schema marks its environment-specific fields with `\"x-environment-specific\": true`",
          (TRAVEL + "test_every_marker_marks_one_fixed_path_and_is_true", TRAVEL + "test_the_decisions_are_the_ones_the_readme_states")),
    Claim("config.sync-unmarked", "A new field travels unless its schema marks it; the tests refuse a recipient- or "
          "secret-like field that is not marked.",
          (TRAVEL + "test_recipients_and_secret_references_are_environment_specific_wherever_they_are",)),
    Claim("config.dry-run", "`DRY_RUN=1` shows what push, rollback and sync would change.",
          (R + "test_dry_run_shows_what_push_rollback_and_sync_would_change_and_changes_nothing",)),
    Claim("config.race", "Two pushes at once never silently lose one: writes are conditional on the version read, so the "
          "second either lands after the first or fails with \"lost the race\" (re-run it)",
          (CS + "test_two_config_pushes_at_once_never_silently_lose_one",
           CS + "test_a_write_based_on_a_stale_read_loses_the_race_and_keeps_nothing",
           CS + "test_concurrent_writers_each_win_in_turn_or_fail_saying_they_lost")),
    Claim("config.bucket-override", "`TBCTL_CONFIG_BUCKET=<name with {env}>` overrides the bucket",
          (CS + "test_pushed_documents_pull_back_byte_exact_and_versions_list_the_push",)),

    # -- infrastructure ------------------------------------------------------------------------------------------
    Claim("infra.modules", "`infrastructure/modules/` holds networking, container-registry, ecs-service, config-store, "
          "alarms, deploy-policy and kms-key", (F + "test_the_modules_are_the_ones_the_readme_lists_each_four_files_and_a_readme",)),
    Claim("infra.backend", "their S3 backend (native locking, `use_lockfile`) is completed by tbctl with `-backend-config` "
          "per target", (APPLIED, FD + "test_two_applies_at_once_the_second_fails_fast_naming_the_holder_and_the_state_stays_intact")),
    Claim("infra.bootstrap", "`infrastructure/bootstrap` (state bucket + the shared `trading-bot` registry) is automatic on "
          "TARGET=local", (APPLIED, FD + "test_emulator_killed_mid_apply_rerun_after_restart_converges_without_duplicates")),
    Claim("infra.bootstrap-aws", "and `make bootstrap TARGET=aws` once per account",
          outside="needs an AWS account: TARGET=aws never runs in the tests"),
    Claim("infra.environment-module", "and `environment`, which composes them for one environment (workloads as a map: "
          "`services = { trading-bot = {...} }`)", (TFM + "each_workload_gets_its_own_service_alarms_and_deploy_policy",
                                                   TFM + "no_workload_is_refused",
                                                   "tests/unit/test_outputs_source.py::test_several_workloads_need_one_named")),
    Claim("infra.names", "| cluster / service / family | trading-bot-dev | trading-bot-prod |",
          (TFM + "environment", TFD, TFP, ENV_DESIGN)),
    Claim("infra.capacity", "| capacity provider | FARGATE_SPOT, weight 100 | FARGATE, weight 100 |",
          (TFM + "cluster_and_service", TFD, TFP, ENV_DESIGN)),
    Claim("infra.size", "| task size | 256 CPU / 512 MiB | 1024 CPU / 2048 MiB |",
          (TFM + "task_definition", TFD, TFP, ENV_DESIGN)),
    Claim("infra.desired", "| desired count | 1 | 3 |", (TFM + "cluster_and_service", TFD, TFP, ENV_DESIGN)),
    Claim("infra.deployment", "| deployment max / min healthy | 200% / 0% | 150% / 50% |",
          (TFM + "cluster_and_service", TFD, TFP, ENV_DESIGN)),
    Claim("infra.health", "| health check | none | `curl -f http://localhost:8080/health`, 30 s / 5 s / 3 / 60 s |",
          (TFM + "task_definition", TFD, TFP, ENV_DESIGN)),
    Claim("infra.discovery", "| service discovery | no | Cloud Map |",
          (TFM + "cluster_and_service", TFD, TFP, ENV_DESIGN)),
    Claim("infra.secrets", "Secrets (BYBIT_API_KEY, BYBIT_SECRET_KEY, TELEGRAM_BOT_TOKEN, SMTP_PASSWORD) are declared without "
          "values, encrypted with a customer-managed key, and injected as `secrets`/`valueFrom`",
          (APPLIED, TFM + "task_definition", TFD, TFP, ENV_DESIGN)),
    Claim("infra.secret-names", "`aws secretsmanager put-secret-value --secret-id trading-bot-<env>/BYBIT_API_KEY", (APPLIED,)),
    Claim("infra.secret-rule", "Which names hold secrets is one rule in `scripts/tbctl/data/secret_names.json`, used by the "
          "validator (no such name in plain `environment`), Terraform's `environment_variables` validation (the same two "
          "patterns, kept identical by a test) and the plan comment's masker",
          (SN + "test_terraform_carries_exactly_the_rule_file_patterns", SN + "test_terraform_and_python_agree_on_the_table",
           SN + "test_terraform_and_python_agree_on_generated_names", SN + "test_the_masker_collects_values_by_the_same_rule",
           "infrastructure/modules/ecs-service/tests/validation.tftest.hcl::secret_in_plain_environment_is_refused")),
    Claim("infra.secret-words", "a name holding SECRET, PASSWORD, PASSWD, PASSPHRASE, TOKEN, API_KEY, PRIVATE_KEY or "
          "CREDENTIAL, any case, is a secret, unless it is a setting about one",
          (SN + "test_names_of_secrets_are_secret", SN + "test_settings_about_secrets_and_ordinary_names_are_not",
           "infrastructure/modules/ecs-service/tests/validation.tftest.hcl::"
           "secret_in_plain_environment_is_refused_in_any_case_and_spelling",
           "infrastructure/modules/ecs-service/tests/validation.tftest.hcl::settings_about_secrets_are_plain_environment")),
    Claim("infra.revisions", "The task definition's revisions belong to `make deploy` (the service ignores `task_definition`)",
          (FRESH_DEPLOY,)),
    Claim("infra.baseline", "Terraform owns only the baseline revision, tagged `managed-by = terraform`, which `make prune` "
          "never removes", (TFM + "task_definition",
                            D + "test_prune_keeps_the_newest_the_one_in_use_and_terraforms_baseline")),
    Claim("infra.terraform-test", "Offline checks: `terraform test` in each environment (mock provider), run by `make test`.",
          (TT, F + "test_make_test_runs_every_test_and_test_unit_only_the_fast_ones")),
    Claim("perm.roles", "The execution role pulls only from `trading-bot`, writes only to its environment's log group and "
          "reads only its environment's secrets; the task role reads only its environment's config bucket.", (APPLIED,)),
    Claim("perm.deploy-policy", "Each workload's deploy policy (output `services.<workload>.deploy_policy_arn`) holds "
          "exactly what `make plan` and `make deploy` need for one environment",
          (TFM + "deploy_policy", TFM + "each_workload_gets_its_own_service_alarms_and_deploy_policy"),
          partly="the tests check the actions the commands call are granted, one by one; the emulator does not enforce IAM, "
                 "so \"exactly\" (nothing missing at run time) is only proven on AWS"),
    Claim("perm.preflight", "its action list is `infrastructure/modules/deploy-policy/permissions.json`, which the Terraform "
          "module scopes to resources and `make preflight` simulates for the caller (`iam:SimulatePrincipalPolicy`), naming "
          "every missing action", (PRE + "test_preflight_names_every_missing_permission",
                                   PRE + "test_preflight_passes_when_every_action_is_allowed", TFM + "deploy_policy")),
    Claim("perm.writers", "To make the config bucket refuse writes from anyone else, set `config_writer_arns`.", (APPLIED,),
          partly="the bucket policy's Deny is checked as deployed; the emulator does not evaluate aws:PrincipalArn"),
    Claim("perm.infra-role", "Infrastructure changes themselves (`make apply` of new resources on AWS) need an "
          "infrastructure role with the rights to create them.", outside="advice about AWS accounts, nothing this repo does"),
    Claim("alarms.down", "| service down (desired − running > 0; no data = down) | 5 min, info | 1 min, critical |",
          (TFM + "alarms", TFD, TFP, APPLIED)),
    Claim("alarms.memory", "| memory > 90% | 10 min, warning | 5 min, critical |", (TFM + "alarms", TFD, TFP)),
    Claim("alarms.cpu", "| CPU > 90% | 10 min, warning | 5 min, critical |", (TFM + "alarms", TFD, TFP)),
    Claim("alarms.deployment", "| deployment failed (EventBridge `SERVICE_DEPLOYMENT_FAILED`) | notify | notify |",
          (TFM + "alarms",)),
    Claim("alarms.recipients", "Recipients: `alarm_subscriptions = [{ protocol = \"email\", endpoint = \"...\" }]` (SNS, "
          "encrypted).", (TFA + "unknown_subscription_protocol_is_refused", APPLIED),
          partly="a wrong protocol is refused and the topic is encrypted; no test subscribes an address"),
    Claim("alarms.tested", "`terraform test` asserts this table per environment.", (TFM + "alarms", TFD, TFP, TT)),
    Claim("checkov.lint", "`make lint` runs checkov on the Terraform and on both plans and fails on any finding that is not "
          "skipped inline with a reason.", (F + "test_the_checkov_skip_table_is_exactly_the_inline_skips_and_each_has_its_reason",),
          partly="every skip is inline with its reason; no test runs checkov (make lint installs it on first use)"),
    Claim("checkov.kms", "| CKV_AWS_109, CKV_AWS_111, CKV_AWS_356 | kms-key key policy |",
          (F + "test_the_checkov_skip_table_is_exactly_the_inline_skips_and_each_has_its_reason",)),
    Claim("checkov.deploy-policy", "| CKV_AWS_355 | deploy-policy |",
          (F + "test_the_checkov_skip_table_is_exactly_the_inline_skips_and_each_has_its_reason",)),
    Claim("checkov.secrets", "| CKV2_AWS_57 | exchange and notification secrets |",
          (F + "test_the_checkov_skip_table_is_exactly_the_inline_skips_and_each_has_its_reason",)),
    Claim("checkov.log-group", "| CKV_AWS_338 | container log group | retention per environment: production 365 days (tested)",
          (F + "test_the_checkov_skip_table_is_exactly_the_inline_skips_and_each_has_its_reason", TFD, TFP)),
    Claim("checkov.access-logs", "| CKV_AWS_18 | state and config buckets |",
          (F + "test_the_checkov_skip_table_is_exactly_the_inline_skips_and_each_has_its_reason",)),
    Claim("checkov.replication", "| CKV_AWS_144 | state and config buckets |",
          (F + "test_the_checkov_skip_table_is_exactly_the_inline_skips_and_each_has_its_reason",)),
    Claim("checkov.notifications", "| CKV2_AWS_62 | state and config buckets |",
          (F + "test_the_checkov_skip_table_is_exactly_the_inline_skips_and_each_has_its_reason",)),

    # -- bad input -----------------------------------------------------------------------------------------------
    Claim("bad.promise", "Every mistake below exits non-zero with one `error: <problem>. Fix: <fix>` line (make adds its own "
          "`make: *** ... Error 1` after it), no traceback, and changes nothing in AWS or the state.", (CAT,)),
    Claim("bad.how", "`tests/integration/test_bad_input_catalog.py` runs each through `make` in a fresh copy of the repo and "
          "compares the emulator's whole content before and after.", (CAT,)),
    Claim("bad.terraform-whole", "When terraform failed, its own error text is printed whole above that line.",
          (HK + "test_terraforms_multi_line_error_is_shown_whole_above_the_one_line",
           ERR + "test_a_wrapped_terraform_error_is_read_whole",
           ERR + "test_the_first_sentence_of_terraforms_detail_does_not_depend_on_its_line_width")),
    Claim("bad.yours", "A mistake in your AWS settings (profile, config file, region, credential helper), your disk or your "
          "`build/` folder is named as such; \"unexpected ... report it\" means a bug of ours.",
          (ERR + "test_a_mistyped_aws_profile_names_the_profiles_there_are", ERR + "test_a_broken_aws_config_file_is_the_users_to_fix",
           ERR + "test_an_invalid_region_is_the_users_to_fix", ERR + "test_a_full_disk_is_named_with_the_path",
           ERR + "test_an_unwritable_build_folder_is_one_line_naming_it", ERR + "test_a_file_instead_of_the_build_folder_is_one_line",
           ERR + "test_botocore_errors_left_unexpected_are_ours_to_fix", ERR + "test_a_missing_file_of_ours_stays_unexpected"),
          partly="a failing credential helper is not among the tests"),
    # the catalog table's rows: catalog_claims() below

    # -- after a crash -------------------------------------------------------------------------------------------
    Claim("crash.drills", "Drilled in `tests/integration/test_failure_drills.py`: the emulator killed mid-apply, two applies "
          "at once, terraform killed while holding the lock, and Ctrl-C during a deploy's wait (in `test_deploy.py`).",
          (FD + "test_emulator_killed_mid_apply_rerun_after_restart_converges_without_duplicates",
           FD + "test_two_applies_at_once_the_second_fails_fast_naming_the_holder_and_the_state_stays_intact",
           FD + "test_terraform_killed_holding_the_lock_leaves_one_clear_line_and_unlock_lets_the_rerun_finish",
           D + "test_interrupt_while_waiting_leaves_the_service_on_a_consistent_revision_and_a_rerun_resumes")),
    Claim("crash.aws", "A killed `make apply` on AWS (a lost CI runner, a closed laptop) can leave two things behind.",
          outside="what AWS and Terraform leave after a killed run; the local drills above reproduce both"),
    Claim("crash.lock-line", "Every later plan or apply stops with one line naming who holds the lock, since when, and its ID.",
          (FD + "test_terraform_killed_holding_the_lock_leaves_one_clear_line_and_unlock_lets_the_rerun_finish",
           row("state locked by another run"))),
    Claim("crash.unlock", "`make unlock ENV=<env> LOCK_ID=<id>`; it refuses an ID that is not the current lock's, and a lock "
          "whose terraform still runs on this machine (naming its process).",
          (FD + "test_terraform_killed_holding_the_lock_leaves_one_clear_line_and_unlock_lets_the_rerun_finish",
           R + "test_unlock_refuses_an_id_that_is_not_the_current_locks",
           HK + "test_unlock_refuses_a_live_holder_and_ctrl_c_in_a_terminal_is_passed_on_once",
           row("unlock of a lock whose terraform still runs"))),
    Claim("crash.ctrl-c", "A single Ctrl-C is safe, as is a SIGINT to tbctl alone (a CI cancel; tbctl passes it on to "
          "terraform once): terraform stops at a safe point, saves the state and releases the lock, and the one line says "
          "so and to run `make apply` again to finish.",
          (HK + "test_sigint_to_tbctl_alone_during_apply_stops_terraform_cleanly_and_says_to_apply_again",
           HK + "test_unlock_refuses_a_live_holder_and_ctrl_c_in_a_terminal_is_passed_on_once", APPLIED)),
    Claim("crash.persist", "Terraform saves state every 20 s during an apply, so anything created in the last seconds before "
          "the crash is unknown to it.", outside="Terraform's own behaviour"),
    Claim("crash.named", "Named resources (IAM roles, S3 buckets, log groups, secrets, KMS aliases) fail with one line saying "
          "\"an earlier run created it but died before recording it: import or delete it\".", (APPLIED,),
          partly="a log group is left behind in the test; the other kinds share AWS's AlreadyExists answer"),
    Claim("crash.adopt", "Adopt each one with an `import` block (or `terraform import` with tbctl's working data: "
          "`TF_DATA_DIR=build/aws/<env>/tfdata`) or delete it in AWS, then re-run `make apply`.", (APPLIED,),
          partly="deleting and re-running is tested, and the working data's place on the local target; importing is not"),
    Claim("crash.unnamed", "Unnamed resources (VPCs, subnets, route tables, security groups) are created a second time "
          "without an error, and the old copy stays as a paid orphan.", outside="AWS's and Terraform's own behaviour"),
    Claim("crash.tags", "Everything we create carries `project=trading-bot` and `environment=<env>` tags", (APPLIED,),
          partly="checked on the VPC and its subnets, the resources this recipe is about"),
    Claim("crash.describe-vpcs", "`aws ec2 describe-vpcs --filters Name=tag:environment,Values=development` lists every dev VPC",
          (APPLIED, FD + "test_emulator_killed_mid_apply_rerun_after_restart_converges_without_duplicates")),
    Claim("crash.no-changes", "Then `make plan ENV=<env>` says \"No changes.\"",
          (FD + "test_emulator_killed_mid_apply_rerun_after_restart_converges_without_duplicates", APPLIED)),
    Claim("crash.local", "On the local target none of this matters: `make local-down && make apply ENV=<env>` starts from an "
          "empty AWS.", (LOCAL_AWS, APPLIED)),
    Claim("crash.emulator-dies", "If the emulator itself dies mid-apply, any `make` restarts it, bootstraps again and "
          "converges.", (FD + "test_emulator_killed_mid_apply_rerun_after_restart_converges_without_duplicates", APPLIED)),
]


def _table_rows(text: str) -> list[str]:
    """Every data row of every markdown table (the lines after a |---| separator)."""
    rows, in_body = [], False
    for line in text.splitlines():
        if not line.startswith("|"):
            in_body = False
        elif re.fullmatch(r"[|\s:-]+", line):
            in_body = True
        elif in_body:
            rows.append(line)
    return rows


# -- the bad-input catalog -------------------------------------------------------------------------------------
# The README's catalog table is test_bad_input_catalog.py's CASES table: a row and a case correspond when the row's
# "you see" cell holds every `words` fragment of the case (what the catalog test asserts of the real error line).
# Each row is then claimed by its case's parametrized node id, so a new row needs no hand-written claim here.

CATALOG = REPO / "tests/integration/test_bad_input_catalog.py"
CATALOG_HEADING = "## Bad input"

# Cases reaching the same message as another case, so they share its README row (the row names both ways).
SHARED_ROWS = {
    "identity: production deploy with IMAGE_TAG exported in the shell":
        "the row of IMAGE_TAG= on the command line says \"(or `IMAGE_TAG` exported in the shell)\"",
}


def _catalog_cases() -> list[tuple[str, list[str]]]:
    """(name, words) of every Case in CASES, read from the source (the module needs the emulator's fixtures)."""
    tree = ast.parse(CATALOG.read_text())
    table = next(node.value for node in tree.body if isinstance(node, ast.Assign)
                 and any(isinstance(target, ast.Name) and target.id == "CASES" for target in node.targets))
    cases = []
    for call in table.elts:
        fields = dict(zip(["name", "args", "words"], call.args)) | {kw.arg: kw.value for kw in call.keywords}
        cases.append((ast.literal_eval(fields["name"]), ast.literal_eval(fields["words"])))
    return cases


def _cells(line: str) -> list[str]:
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line)[1:-1]]


def _catalog_rows() -> list[str]:
    text = README.read_text()
    section = text[text.index(CATALOG_HEADING):]
    section = section[:section.find("\n## ", 1)] if "\n## " in section[1:] else section
    return _table_rows(section)


def _fragment(word: str) -> re.Pattern:
    """A case's fragment as a pattern: its {placeholders} (a port, a path, a pid) stand for any one word, and
    backticks are dropped (the README's cell is a code span, which cannot hold them)."""
    parts = re.split(r"\{\w+\}", word.replace("`", ""))
    return re.compile(r"\S+".join(re.escape(part) for part in parts))


def catalog_correspondence() -> tuple[dict[str, list[str]], list[str]]:
    """Each README catalog row with the cases it stands for, and every way the two tables disagree."""
    rows = _catalog_rows()
    seen = {row: [] for row in rows}
    problems = []
    for name, words in _catalog_cases():
        patterns = [_fragment(word) for word in words]
        matches = [row for row in rows if all(p.search(_cells(row)[-1].replace("`", "")) for p in patterns)]
        if len(matches) != 1:
            problems.append(f"  case {name!r} ({words}) matches {len(matches)} README catalog rows: " + "; ".join(matches))
        for row in matches:
            seen[row].append(name)
    for row, names in seen.items():
        if not names:
            problems.append(f"  README catalog row with no case: {row}")
        elif len([name for name in names if name not in SHARED_ROWS]) != 1:
            problems.append(f"  README catalog row matched by cases {names}: {row}")
    return seen, problems


def catalog_claims() -> list[Claim]:
    return [Claim("bad.row." + names[0], row, tuple(f"{CAT}[{name}]" for name in names))
            for row, names in catalog_correspondence()[0].items() if names]


CLAIMS += catalog_claims()


def normalised(text: str) -> str:
    return " ".join(text.split())


def test_every_quoted_fragment_is_still_in_the_readme():
    readme = normalised(README.read_text())
    gone = [f"  {claim.id}: {claim.quote!r}" for claim in CLAIMS if normalised(claim.quote) not in readme]
    assert not gone, ("README.md no longer says what these claims quote; update each quote (and its tests if the promise "
                      "changed) in tests/test_readme_claims.py:\n" + "\n".join(gone))


def test_claim_ids_are_unique_and_each_names_a_test_or_says_why_not():
    ids = [claim.id for claim in CLAIMS]
    assert sorted(ids) == sorted(set(ids)), [i for i in ids if ids.count(i) > 1]
    for claim in CLAIMS:
        assert bool(claim.tests) != bool(claim.outside), f"{claim.id}: name its tests, or say in `outside` why none can exist"


def _collected() -> set[str]:
    done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "tests"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return {line.strip() for line in done.stdout.splitlines() if "::" in line}


def _tftest_runs(path: str) -> set[str]:
    return set(re.findall(r'^run "([^"]+)"', (REPO / path).read_text(), re.M)) if (REPO / path).is_file() else set()


def test_every_test_a_claim_names_exists():
    collected = _collected()
    functions = {node.split("[", 1)[0] for node in collected}
    missing = []
    for claim in CLAIMS:
        for test in claim.tests:
            if ".tftest.hcl::" in test:
                path, run = test.split("::")
                found = run in _tftest_runs(path)
            else:
                found = test in collected or test in functions
            if not found:
                missing.append(f"  {claim.id}: {test}")
    assert not missing, "these tests do not exist (renamed or removed?); update tests/test_readme_claims.py:\n" + "\n".join(missing)


def test_every_table_row_of_the_readme_is_claimed():
    """A new row in any README table is a new claim: it needs a Claim naming the test that exercises it."""
    quotes = [normalised(claim.quote) for claim in CLAIMS]
    unclaimed = [f"  {row}" for row in _table_rows(README.read_text()) if not any(q in normalised(row) for q in quotes)]
    assert not unclaimed, ("these README table rows have no claim in tests/test_readme_claims.py; add a Claim quoting "
                           "each and naming the test that exercises it:\n" + "\n".join(unclaimed))


def test_the_readme_catalog_table_is_the_catalog_tests_cases_table():
    """Every README catalog row is one case of test_bad_input_catalog.py, and every case has its row."""
    cases = {name for name, _ in _catalog_cases()}
    problems = catalog_correspondence()[1] + [f"  SHARED_ROWS names no case: {name!r}" for name in SHARED_ROWS if name not in cases]
    assert not problems, ("README.md's bad-input table and CASES in tests/integration/test_bad_input_catalog.py disagree; "
                          "give each case its row (its `words` in the \"you see\" cell) and each row its case:\n"
                          + "\n".join(problems))
