#!/usr/bin/env bash
# The logic of the kbr GitHub Action (ci/github/kbr/action.yml), kept out of the YAML so it can be
# run and tested anywhere: `kbr plan` on pull requests, `kbr apply` on pushes.
#
# Inputs, as environment variables (action.yml maps its inputs onto them):
#   KBR_MODE          auto (default) | plan | apply. auto: apply on a `push` event, plan otherwise.
#   KBR_PLATFORM      --platform value (folder or Git URL). Required.
#   KBR_STATE_URLS    NAME=URL pairs for --state-url, separated by spaces or newlines.
#   KBR_SECRETS_DIR   --secrets-dir value.
#   KBR_EXTRA_ARGS    more kbr arguments, split on whitespace.
#   KBR_COMMENT_ON_PR true to post the plan as a pull request comment (needs gh and GH_TOKEN).
#   KBR_JAR           the kbr jar to run. When empty: KBR_VERSION downloads that release's kbr.jar
#                     with `gh release download` from KBR_RELEASE_REPO, else the jar is built from
#                     the kbr sources around this script (KBR_SOURCE_DIR) with Maven.
#   KBR_JAVA          the java command (default: java).
# And the variables GitHub Actions sets: GITHUB_EVENT_NAME, GITHUB_REF, GITHUB_STEP_SUMMARY,
# GITHUB_OUTPUT, RUNNER_TEMP (KBR_PR_NUMBER overrides the pull request number taken from GITHUB_REF).
#
# Outputs (to $GITHUB_OUTPUT): mode, exit-code (kbr's), has-changes (true/false), summary-file.
# Exits 1 when kbr reports an error, else 0 (a plan with changes is a success).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
java="${KBR_JAVA:-java}"
tmp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"

fail() {
  echo "::error::kbr action: $*" >&2
  exit 1
}

[ -n "${KBR_PLATFORM:-}" ] || fail "the platform input is empty; set it to your platform repo folder or Git URL"

mode="${KBR_MODE:-auto}"
case "$mode" in
  auto)
    if [ "${GITHUB_EVENT_NAME:-}" = "push" ]; then mode=apply; else mode=plan; fi
    ;;
  plan | apply) ;;
  *) fail "mode is '$mode'; use auto, plan or apply" ;;
esac

jar="${KBR_JAR:-}"
if [ -z "$jar" ] && [ -n "${KBR_VERSION:-}" ]; then
  [ -n "${KBR_RELEASE_REPO:-}" ] || fail "kbr-version is set but the repository to download from is unknown (KBR_RELEASE_REPO)"
  mkdir -p "$tmp/kbr-release"
  gh release download "v${KBR_VERSION#v}" --repo "$KBR_RELEASE_REPO" --pattern kbr.jar --dir "$tmp/kbr-release" --clobber \
    || fail "could not download kbr.jar of release v${KBR_VERSION#v} from $KBR_RELEASE_REPO; check kbr-version"
  jar="$tmp/kbr-release/kbr.jar"
elif [ -z "$jar" ]; then
  source_dir="${KBR_SOURCE_DIR:-$here/../../..}"
  [ -f "$source_dir/pom.xml" ] || fail "no kbr-jar or kbr-version given and no kbr sources at $source_dir"
  echo "kbr action: building kbr from $source_dir" >&2
  mvn -B -q -DskipTests -Dspotless.check.skip=true -f "$source_dir/pom.xml" package >&2 \
    || fail "building kbr with Maven failed; see the output above"
  jar="$source_dir/reconciler/target/kbr.jar"
fi
[ -f "$jar" ] || fail "kbr jar $jar does not exist; check kbr-jar"

args=("$mode" --platform "$KBR_PLATFORM")
for pair in ${KBR_STATE_URLS:-}; do
  args+=(--state-url "$pair")
done
if [ -n "${KBR_SECRETS_DIR:-}" ]; then
  args+=(--secrets-dir "$KBR_SECRETS_DIR")
fi
if [ "$mode" = plan ]; then
  args+=(--detailed-exitcode)
fi
# Word splitting is the documented behaviour of extra-args.
# shellcheck disable=SC2206
args+=(${KBR_EXTRA_ARGS:-})

# kbr appends its Markdown summary to the file GITHUB_STEP_SUMMARY names: give it a file of its
# own, so the same text can also become the pull request comment, then add it to the job's.
summary="$(mktemp "$tmp/kbr-summary.XXXXXX.md")"
set +e
GITHUB_STEP_SUMMARY="$summary" "$java" -jar "$jar" "${args[@]}"
code=$?
set -e
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat "$summary" >>"$GITHUB_STEP_SUMMARY"
fi

has_changes=false
if [ "$code" -eq 2 ]; then
  has_changes=true
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "mode=$mode"
    echo "exit-code=$code"
    echo "has-changes=$has_changes"
    echo "summary-file=$summary"
  } >>"$GITHUB_OUTPUT"
fi

if [ "$mode" = plan ] && [ "${KBR_COMMENT_ON_PR:-false}" = true ]; then
  pr="${KBR_PR_NUMBER:-}"
  if [ -z "$pr" ] && [[ "${GITHUB_REF:-}" =~ ^refs/pull/([0-9]+)/ ]]; then
    pr="${BASH_REMATCH[1]}"
  fi
  if [ -z "$pr" ]; then
    echo "::warning::kbr action: comment-on-pr is true but this run is not for a pull request (GITHUB_REF=${GITHUB_REF:-}); no comment posted" >&2
  else
    body="$tmp/kbr-comment.md"
    # GitHub refuses comments over 65,536 characters.
    limit=60000
    if [ "$(wc -c <"$summary")" -gt "$limit" ]; then
      head -c "$limit" "$summary" >"$body"
      printf '\n\n…the plan is cut short here; the job summary has all of it.\n' >>"$body"
    else
      cp "$summary" "$body"
    fi
    # Edit this job's last comment so a pull request keeps one plan comment; the first run has none.
    if ! gh pr comment "$pr" --body-file "$body" --edit-last 2>/dev/null; then
      gh pr comment "$pr" --body-file "$body" \
        || echo "::warning::kbr action: could not comment on pull request #$pr; check the github-token permissions (pull-requests: write)" >&2
    fi
  fi
fi

if [ "$code" -ne 0 ] && [ "$code" -ne 2 ]; then
  echo "::error::kbr $mode failed (exit $code); see the report above" >&2
  exit 1
fi
exit 0
