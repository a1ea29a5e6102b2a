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
"""

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
TFD = "infrastructure/environments/development/tests/development.tftest.hcl::"
TFP = "infrastructure/environments/production/tests/production.tftest.hcl::"
TFV = "infrastructure/environments/development/tests/validation.tftest.hcl::"

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
           RD + "test_the_trading_bot_template_renders_a_valid_request_from_the_outputs", TFD + "task_definition",
           TFP + "task_definition")),
    Claim("flow.from-state", "(straight from the state in S3, like ecspresso's `tfstate` lookup)", (FRESH_DEPLOY,),
          partly="make deploy renders from the state (no outputs file); no test tells the state apart from `terraform output`"),
    Claim("flow.ignore-changes", "The service's `task_definition` is owned by the deploy step (`ignore_changes` in "
          "Terraform from the first apply), so Terraform and deploys never fight", (FRESH_DEPLOY,)),
    Claim("flow.template-ships", "a change to the template always ships on the next deploy",
          (R + "test_a_template_change_ships_on_the_next_deploy_and_status_json_names_the_release",)),

    # -- layout --------------------------------------------------------------------------------------------------
    Claim("layout.modules", "what exists: networking, container registry, ECS service stack, config store, alarms, "
          "deploy policy, KMS key (four files each + README)",
          (F + "test_every_path_in_the_layout_table_exists",
           F + "test_the_modules_are_the_ones_the_readme_lists_each_four_files_and_a_readme")),
    Claim("layout.environments", "where and how big: each calls the modules with its values; S3 backend with native "
          "locking (`use_lockfile`)", (F + "test_every_path_in_the_layout_table_exists", ENV_DESIGN, APPLIED)),
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
    Claim("local.override", "Terraform talks to it through a generated, git-ignored `tbctl_local_override.tf`; the real "
          "configuration is never edited", (APPLIED,)),
    Claim("local.state", "The state lives in the emulator's S3, through the same S3 backend as on AWS.",
          (FD + "test_terraform_killed_holding_the_lock_leaves_one_clear_line_and_unlock_lets_the_rerun_finish", APPLIED)),
    Claim("local.memory", "The emulator keeps everything in memory: after `make local-down` the next command starts from "
          "nothing.", (LOCAL_AWS,)),
    Claim("aws.credentials", "`TARGET=aws` uses your credentials (`AWS_PROFILE` or the usual variables)",
          (row("missing AWS credentials"), row("expired AWS credentials"), PRE + "test_credential_problems_are_one_line"),
          partly="the variables are exercised; AWS_PROFILE is boto3's and terraform's own lookup"),
    Claim("aws.bootstrap", "Once per account run `make bootstrap TARGET=aws` (state bucket `trading-bot-tfstate-<account>` "
          "and the `trading-bot` registry", (APPLIED,),
          partly="the same bootstrap runs on TARGET=local (bucket named with the emulator's account); no test has an AWS account"),
    Claim("aws.bootstrap-state", "its state stays in `build/aws/bootstrap/`, keep it or re-import",
          outside="needs an AWS account: TARGET=aws never runs in the tests"),
    Claim("aws.confirm", "Applying production on AWS needs `CONFIRM=production` (CI is confirmed by `CI=true`)",
          (R + "test_applying_production_on_aws_needs_confirm_production_or_ci",)),
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
    Claim("render.shape", "request shape from botocore's own model, so `revision`, `compatibilities`, `registeredAt` copied "
          "from `describe-task-definition` are rejected by name",
          (V + "test_a_definition_copied_from_describe_task_definition_is_rejected_naming_each_server_field",
           V + "test_each_rule_rejects_with_one_line_naming_the_problem_and_the_fix")),
    Claim("render.rules", "Fargate CPU/memory pairs; no `latest`; no secret-looking names in `environment`; prod health check",
          (V + "test_each_rule_rejects_with_one_line_naming_the_problem_and_the_fix",
           row("invalid Fargate CPU/memory pair in the template"), row("secret in plain environment"))),
    Claim("render.saves", "prints and saves under `build/<target>/<env>/task-definitions/`",
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
    Claim("rollback.row", "move the service to the newest revision of that git tag; registers nothing; an unknown tag lists "
          "the known ones", (D + "test_a_new_tag_moves_the_service_and_rollback_returns_to_the_first_without_registering",
                             D + "test_rollback_to_an_unknown_tag_lists_the_tags_that_exist_and_changes_nothing",
                             row("unknown rollback tag")),
          partly="each tag in the tests has one revision: which of several is picked is left to the release rules' tests"),
    Claim("rollback.previous", "`make rollback ENV=dev TO=v1.2.0` / `TO=previous`",
          (D + "test_rollback_to_previous_goes_to_the_release_before_the_current_one",
           F + "test_make_passes_each_variable_the_readme_names_to_tbctl")),
    Claim("status.row", "revision, git tag, commit, image, running/desired, rollout state (`tbctl status --json`)",
          (D + "test_deploy_registers_a_revision_tagged_with_the_release_and_waits_until_completed",
           R + "test_a_template_change_ships_on_the_next_deploy_and_status_json_names_the_release")),
    Claim("prune.row", "deregister older revisions; never the one in use or Terraform's baseline",
          (D + "test_prune_keeps_the_newest_the_one_in_use_and_terraforms_baseline",)),
    Claim("prune.keep", "`make prune ENV=dev KEEP=10`", (F + "test_make_passes_each_variable_the_readme_names_to_tbctl",)),
    Claim("names.production", "production deploys only a clean tree whose HEAD is tagged",
          (REL + "test_production_refuses_a_dirty_tree_or_an_untagged_commit",
           D + "test_production_deploy_from_a_dirty_tree_or_untagged_commit_fails_with_one_line_touching_nothing")),
    Claim("names.image-tag", "(image tag = git tag)", (REL + "test_tagged_clean_head_is_named_by_its_tag_and_ships_that_image",),
          partly="IMAGE_TAG= still overrides the image in production (test_image_tag_override_keeps_the_release_name); "
                 "the release-identity change refuses that"),
    Claim("names.development", "Development uses HEAD's tag, else `TAG=`, else `dev-<shortsha>`",
          (REL + "test_tagged_clean_head_is_named_by_its_tag_and_ships_that_image",
           REL + "test_untagged_dev_commit_uses_explicit_tag_else_one_derived_from_the_commit")),
    Claim("names.dirty", "a dirty tree may deploy and is tagged `git_dirty=true`",
          (REL + "test_dirty_dev_tree_may_deploy_and_is_marked_dirty_in_the_revision_tags",)),
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
    Claim("comment.json", "`tbctl comment --json` prints counts, dangers and the body", (CC + "test_json_output_is_machine_readable",)),
    Claim("comment.summary", "The comment starts with the result and the summary (add/change/destroy/replace, plus "
          "move/import/forget)", (CC + "test_the_first_line_names_the_environment_and_the_result",
                                  CC + "test_move_import_and_forget_are_counted_and_listed",
                                  CC + "test_the_summary_line_agrees_with_terraforms_own_count")),
    Claim("comment.dangers", "then every destroy and replacement with its reason (`action_reason`, `replace_paths`",
          (CC + "test_replacements_name_the_attributes_that_force_them_in_the_first_lines", CC + "test_deletions_say_why_from_action_reason")),
    Claim("comment.sections", "resources by action, drift, output changes",
          (CC + "test_the_sections_come_in_the_issues_order", CC + "test_drift_lists_the_attributes_changed_outside_terraform",
           CC + "test_output_changes_are_listed_with_sensitive_ones_masked")),
    Claim("comment.cost", "the monthly Fargate cost before → after (FARGATE_SPOT priced at its discount; prices in "
          "`scripts/tbctl/data/fargate_prices.json` with region, date and source)",
          (COST + "test_the_cost_section_shows_before_after_and_the_price_source",
           COST + "test_spot_tasks_are_priced_at_the_spot_discount_not_on_demand", COST + "test_the_price_table_says_where_and_when_it_is_from")),
    Claim("comment.checkov", "the checkov result from `make lint`", (CC + "test_checkov_counts_and_failed_checks_are_shown",),
          partly="the comment reads checkov.json beside the plan; no test runs make lint (checkov is installed by make lint itself)"),
    Claim("comment.full-text", "and the full plan text", (CC + "test_the_sections_come_in_the_issues_order",)),
    Claim("comment.sensitive", "Sensitive values and secret-looking text show as `(sensitive)`, including a secret inside a "
          "larger attribute such as `container_definitions`",
          (MASK + "test_a_sensitive_value_inside_a_container_definition_appears_nowhere",
           MASK + "test_secret_looking_text_is_masked_in_the_plan_text")),
    Claim("comment.size", "It always fits GitHub's 65,536 characters: long parts are cut from the middle with a note "
          "pointing to the CI artifact `plan-<env>`, and the markdown stays valid",
          (SIZE + "test_a_large_plan_fits_with_valid_markdown_and_says_what_was_cut",
           SIZE + "test_the_comment_is_cut_from_the_middle_keeping_head_and_tail", SIZE + "test_fit_never_goes_over_its_budget",
           F + "test_in_ci_a_cut_comment_points_to_the_plan_artifact_of_its_environment")),
    Claim("comment.failed", "A failed plan is still commented, with its error, and the command exits non-zero.",
          (CC + "test_a_failed_plan_prints_the_comment_with_the_error_and_exits_non_zero",
           POST + "test_a_failed_plan_is_still_posted_then_the_command_fails",
           CPL + "test_a_failed_plan_gives_a_failed_comment_and_a_non_zero_exit")),
    Claim("ci.workflow", "`.github/workflows/plan.yml` runs plan, lint and comment for dev and prod on every pull request "
          "that changes `infrastructure/`, `task-definitions/`, `scripts/tbctl/` or the Makefile",
          (F + "test_the_plan_workflow_runs_plan_lint_and_comment_for_both_environments_on_pull_requests",
           F + "test_the_plan_workflow_runs_when_what_a_plan_depends_on_changes")),
    Claim("ci.target", "(TARGET=aws with OIDC when the repository variable `AWS_ROLE_ARN` is set, otherwise the local "
          "emulator)", (F + "test_the_plan_workflow_runs_plan_lint_and_comment_for_both_environments_on_pull_requests",)),
    Claim("ci.artifact", "The uploaded artifact holds the plan text and comment, never `plan.json` / `plan.tfplan`",
          (F + "test_the_uploaded_artifact_never_holds_plan_json_or_the_binary_plan",)),
    Claim("ci.fixtures", "Plan fixtures for the tests come from real terraform runs: `.venv/bin/python "
          "tests/fixtures/plans/regenerate.py [case ...]`", (CIN + "test_every_case_of_the_regenerate_script_has_its_fixture",),
          partly="the fixtures are checked against the script's cases; regenerating them is not run by the tests"),

    # -- runtime configuration store -----------------------------------------------------------------------------
    Claim("config.bucket", "The bot reads four documents from its environment's bucket (`trading-config-<env>`, the "
          "`config_bucket` output)", (TFD + "environment", TFP + "environment",
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
    Claim("config.sync", "copies FROM's current documents to TO: backs up TO under `backups/<time>-before-sync-from-<env>/`, "
          "copies, verifies every checksum", (CS + "test_sync_prod_to_dev_backs_up_dev_then_copies_and_verifies",)),
    Claim("config.sync-prod", "`TO=prod` is always refused", (CS + "test_sync_into_production_is_refused_and_changes_nothing",
                                                            CCLI + "test_bad_input_is_refused_before_any_aws_call")),
    Claim("config.sync-secrets", "Secret references (`trading-bot-<env>/NAME`) are moved to TO's own secrets",
          (CS + "test_sync_prod_to_dev_backs_up_dev_then_copies_and_verifies",)),
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
    Claim("infra.names", "| cluster / service / family | trading-bot-dev | trading-bot-prod |",
          (TFD + "environment", TFP + "environment", ENV_DESIGN)),
    Claim("infra.capacity", "| capacity provider | FARGATE_SPOT, weight 100 | FARGATE, weight 100 |",
          (TFD + "cluster_and_service", TFP + "cluster_and_service", ENV_DESIGN)),
    Claim("infra.size", "| task size | 256 CPU / 512 MiB | 1024 CPU / 2048 MiB |",
          (TFD + "task_definition", TFP + "task_definition", ENV_DESIGN)),
    Claim("infra.desired", "| desired count | 1 | 3 |", (TFD + "cluster_and_service", TFP + "cluster_and_service", ENV_DESIGN)),
    Claim("infra.deployment", "| deployment max / min healthy | 200% / 0% | 150% / 50% |",
          (TFD + "cluster_and_service", TFP + "cluster_and_service", ENV_DESIGN)),
    Claim("infra.health", "| health check | none | `curl -f http://localhost:8080/health`, 30 s / 5 s / 3 / 60 s |",
          (TFD + "task_definition", TFP + "task_definition", ENV_DESIGN)),
    Claim("infra.discovery", "| service discovery | no | Cloud Map |",
          (TFD + "cluster_and_service", TFP + "cluster_and_service", ENV_DESIGN)),
    Claim("infra.secrets", "Secrets (BYBIT_API_KEY, BYBIT_SECRET_KEY, TELEGRAM_BOT_TOKEN, SMTP_PASSWORD) are declared without "
          "values, encrypted with a customer-managed key, and injected as `secrets`/`valueFrom`",
          (APPLIED, TFD + "task_definition", TFP + "task_definition", ENV_DESIGN)),
    Claim("infra.secret-names", "`aws secretsmanager put-secret-value --secret-id trading-bot-<env>/BYBIT_API_KEY", (APPLIED,)),
    Claim("infra.revisions", "The task definition's revisions belong to `make deploy` (the service ignores `task_definition`)",
          (FRESH_DEPLOY,)),
    Claim("infra.baseline", "Terraform owns only the baseline revision, tagged `managed-by = terraform`, which `make prune` "
          "never removes", (TFD + "task_definition", TFP + "task_definition",
                            D + "test_prune_keeps_the_newest_the_one_in_use_and_terraforms_baseline")),
    Claim("infra.terraform-test", "Offline checks: `terraform test` in each environment (mock provider), run by `make test`.",
          (TT, F + "test_make_test_runs_every_test_and_test_unit_only_the_fast_ones")),
    Claim("perm.roles", "The execution role pulls only from `trading-bot`, writes only to its environment's log group and "
          "reads only its environment's secrets; the task role reads only its environment's config bucket.", (APPLIED,)),
    Claim("perm.deploy-policy", "`module.deploy_policy` (output `deploy_policy_arn`) holds exactly what `make plan` and "
          "`make deploy` need for one environment", (TFD + "deploy_policy", TFP + "deploy_policy"),
          partly="the tests check the actions the commands call are granted, one by one; the emulator does not enforce IAM, "
                 "so \"exactly\" (nothing missing at run time) is only proven on AWS"),
    Claim("perm.preflight", "its action list is `infrastructure/modules/deploy-policy/permissions.json`, which the Terraform "
          "module scopes to resources and `make preflight` simulates for the caller (`iam:SimulatePrincipalPolicy`), naming "
          "every missing action", (PRE + "test_preflight_names_every_missing_permission",
                                   PRE + "test_preflight_passes_when_every_action_is_allowed", TFD + "deploy_policy")),
    Claim("perm.writers", "To make the config bucket refuse writes from anyone else, set `config_writer_arns`.", (APPLIED,),
          partly="the bucket policy's Deny is checked as deployed; the emulator does not evaluate aws:PrincipalArn"),
    Claim("perm.infra-role", "Infrastructure changes themselves (`make apply` of new resources on AWS) need an "
          "infrastructure role with the rights to create them.", outside="advice about AWS accounts, nothing this repo does"),
    Claim("alarms.down", "| service down (desired − running > 0; no data = down) | 5 min, info | 1 min, critical |",
          (TFD + "alarms", TFP + "alarms", APPLIED)),
    Claim("alarms.memory", "| memory > 90% | 10 min, warning | 5 min, critical |", (TFD + "alarms", TFP + "alarms")),
    Claim("alarms.cpu", "| CPU > 90% | 10 min, warning | 5 min, critical |", (TFD + "alarms", TFP + "alarms")),
    Claim("alarms.deployment", "| deployment failed (EventBridge `SERVICE_DEPLOYMENT_FAILED`) | notify | notify |",
          (TFD + "alarms", TFP + "alarms")),
    Claim("alarms.recipients", "Recipients: `alarm_subscriptions = [{ protocol = \"email\", endpoint = \"...\" }]` (SNS, "
          "encrypted).", (TFV + "unknown_subscription_protocol_is_refused", APPLIED),
          partly="a wrong protocol is refused and the topic is encrypted; no test subscribes an address"),
    Claim("alarms.tested", "`terraform test` asserts this table per environment.", (TFD + "alarms", TFP + "alarms", TT)),
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
          (F + "test_the_checkov_skip_table_is_exactly_the_inline_skips_and_each_has_its_reason", TFP + "task_definition",
           TFD + "task_definition")),
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
    Claim("bad.env", "| `make plan ENV=staging` | `unknown environment 'staging'.", (row("unknown ENV"),)),
    Claim("bad.target", "| `make deploy ENV=dev TARGET=gcp` | `unknown target 'gcp'.", (row("unknown TARGET"),)),
    Claim("bad.terraform", "| any terraform command without terraform | `terraform is not installed or not on PATH.",
          (row("missing terraform"),)),
    Claim("bad.port", "| `make plan` with LOCAL_PORT taken by another program | `port 4599 is in use by another program",
          (row("emulator port taken"),)),
    Claim("bad.no-credentials", "| `TARGET=aws` without credentials | `no AWS credentials found.", (row("missing AWS credentials"),)),
    Claim("bad.expired", "| `TARGET=aws` with expired credentials | `the AWS credentials have expired.",
          (row("expired AWS credentials"),)),
    Claim("bad.syntax", "| template syntax error | `template trading-bot.json.j2 line 7: syntax error", (row("template syntax error"),)),
    Claim("bad.undefined", "| undefined template variable | `template trading-bot.json.j2 line 10: 'tf.cpuu' is undefined.",
          (row("undefined template variable"),)),
    Claim("bad.pair-template", "| invalid Fargate pair in a template | `trading-bot.json.j2 for development is not valid: cpu "
          "256 with memory 4096 is not a valid Fargate pair", (row("invalid Fargate CPU/memory pair in the template"),)),
    Claim("bad.pair-terraform", "| invalid Fargate pair in Terraform | `terraform plan failed for development: Invalid value "
          "for variable", (row("invalid Fargate CPU/memory pair in Terraform"),)),
    Claim("bad.secret-env", "| secret-like name in plain `environment` | `... 'EXCHANGE_API_TOKEN' looks like a secret in plain "
          "environment.", (row("secret in plain environment"),)),
    Claim("bad.dirty", "| `make deploy ENV=prod` from a dirty tree | `production deploys only from a clean working tree",
          (row("production deploy from a dirty tree"),)),
    Claim("bad.untagged", "| `make deploy ENV=prod` from an untagged commit | `production deploys only a tagged commit",
          (row("production deploy from an untagged commit"),)),
    Claim("bad.rollback", "| `make rollback ENV=dev TO=v9` | `no revision of trading-bot-dev is tagged 'v9'",
          (row("unknown rollback tag"),)),
    Claim("bad.plan-json", "| `make comment PLAN_JSON=<broken file>` | `<file> is not valid JSON",
          (row("malformed plan JSON given to make comment"),)),
    Claim("bad.config", "| invalid config document | `invalid config document: config/development/strategy-config.json: "
          "strategies[0].risk_limits.stop_loss_pct: 1.5 is greater than the maximum of 1.", (row("invalid config document"),)),
    Claim("bad.sync-prod", "| `make config-sync FROM=dev TO=prod` | `config sync into production is refused.",
          (row("config sync into production"),)),
    Claim("bad.stale", "| `make plan`, edit a .tf, `make apply` | `the saved plan of development is stale",
          (row("stale saved plan"),)),
    Claim("bad.locked", "| `make apply` while another apply runs | `the state of development is locked by alice@laptop",
          (row("state locked by another run"),
           FD + "test_two_applies_at_once_the_second_fails_fast_naming_the_holder_and_the_state_stays_intact")),

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
    Claim("crash.unlock", "`make unlock ENV=<env> LOCK_ID=<id>`; it refuses an ID that is not the current lock's.",
          (FD + "test_terraform_killed_holding_the_lock_leaves_one_clear_line_and_unlock_lets_the_rerun_finish",
           R + "test_unlock_refuses_an_id_that_is_not_the_current_locks")),
    Claim("crash.ctrl-c", "A single Ctrl-C is safe: tbctl waits for terraform to save the state and release the lock.",
          (APPLIED,)),
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


def test_every_table_row_of_the_readme_is_claimed():
    """A new row in any README table is a new claim: it needs a Claim naming the test that exercises it."""
    quotes = [normalised(claim.quote) for claim in CLAIMS]
    unclaimed = [f"  {row}" for row in _table_rows(README.read_text()) if not any(q in normalised(row) for q in quotes)]
    assert not unclaimed, ("these README table rows have no claim in tests/test_readme_claims.py; add a Claim quoting "
                           "each and naming the test that exercises it:\n" + "\n".join(unclaimed))
