"""The GitHub workflows, validated offline: schema and security audit."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).parent / name)
    if not Path(found).exists():
        pytest.fail(f"{name} is not installed: pip install -r requirements.txt")
    return found


def test_workflows_match_the_github_schema():
    done = subprocess.run(
        [
            tool("check-jsonschema"),
            "--builtin-schema",
            "vendor.github-workflows",
            *map(str, WORKFLOWS),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_zizmor_finds_nothing():
    done = subprocess.run(
        [tool("zizmor"), "--offline", str(ROOT / ".github" / "workflows")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout + done.stderr


def test_every_action_is_pinned_by_commit():
    for workflow in WORKFLOWS:
        for job in yaml.safe_load(workflow.read_text(encoding="utf-8"))[
            "jobs"
        ].values():
            for step in job.get("steps", []):
                if "uses" in step:
                    reference = step["uses"].split("@", 1)[1]
                    assert len(reference) == 40 and int(reference, 16) >= 0, step[
                        "uses"
                    ]


def test_pull_requests_never_deploy_and_main_deploys_through_an_environment():
    pull = yaml.safe_load(
        (ROOT / ".github" / "workflows" / "pull-request.yml").read_text(
            encoding="utf-8"
        )
    )
    text = str(pull)
    assert "deploy-pages" not in text and "pages: write" not in text
    publish = yaml.safe_load(
        (ROOT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8")
    )
    triggers = publish[True] if True in publish else publish["on"]
    assert triggers["push"]["branches"] == ["main"]
    assert triggers["schedule"] == [{"cron": "*/30 * * * *"}]
    deploy = publish["jobs"]["deploy"]
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["needs"] == "build"
    assert any("deploy-pages" in step["uses"] for step in deploy["steps"])
