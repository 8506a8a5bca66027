"""The grading child's confinement (mmgen.sandbox): each rule, tried from a forked, confined child."""

import errno
import os
import socket
from pathlib import Path

import pytest

from mmgen.catalog import REPO
from mmgen.sandbox import Policy, confine, in_forked_child, missing_layers, policy

MISSING = missing_layers()
pytestmark = pytest.mark.skipif(bool(MISSING), reason=f"this machine cannot confine: {'; '.join(MISSING)}")


def in_confined_child(rules: Policy, action) -> str:
    """Run ``action()`` in a forked child confined by ``rules``: "ok", or the errno name it raised
    (or what could not be confined)."""

    def confined() -> str:
        unconfined = "; ".join(confine(rules))
        if unconfined:
            return unconfined
        try:
            action()
        except OSError as exc:
            return errno.errorcode.get(exc.errno, str(exc))
        return "ok"

    return in_forked_child(confined)


@pytest.fixture
def layout(tmp_path) -> dict[str, Path]:
    """A candidate's answers folder, a neighbour's beside it, and a work folder with a scratch folder."""
    folders = {name: tmp_path / name for name in ("answers", "neighbour", "work", "work/scratch")}
    for folder in folders.values():
        folder.mkdir()
    (folders["answers"] / "gan_losses.py").write_text("mine\n")
    (folders["neighbour"] / "gan_losses.py").write_text("theirs\n")
    return folders


def rules_for(layout: dict[str, Path], quota: int = 2**20) -> Policy:
    rules = policy(REPO, layout["answers"], layout["work/scratch"], (REPO / "tests" / "test_gan_losses.py",),
                   layout["work"] / "report.jsonl")
    return Policy(rules.readable, rules.scratch, rules.listable, rules.report, quota)


def test_a_confined_child_reads_its_own_answers(layout):
    assert in_confined_child(rules_for(layout), (layout["answers"] / "gan_losses.py").read_text) == "ok"


KNOWN_ANSWER = min((REPO / "tests" / "answers" / "gan_losses").glob("*.py"))
GIT = ".git/HEAD" if (REPO / ".git").is_dir() else ".git"  # a worktree's .git is a file


@pytest.mark.parametrize("secret", ["neighbour/gan_losses.py", "solutions/gan_losses.py", KNOWN_ANSWER, GIT, "home"])
def test_a_confined_child_cannot_read_the_reference_its_neighbours_or_the_home_folder(layout, secret):
    where = {"home": Path.home(), "neighbour/gan_losses.py": layout["neighbour"] / "gan_losses.py"}.get(secret, REPO / secret)
    read = (lambda: os.listdir(where)) if where.is_dir() else where.read_bytes
    assert in_confined_child(rules_for(layout), read) == "EACCES"


@pytest.mark.parametrize("target", ["neighbour", "checkout", "work folder"])
def test_a_confined_child_writes_nowhere_but_its_scratch_folder(layout, target):
    folder = {"neighbour": layout["neighbour"], "checkout": REPO / "mmgen", "work folder": layout["work"]}[target]
    outcome = in_confined_child(rules_for(layout), lambda: (folder / "planted.py").write_text("x"))
    assert outcome == "EACCES" and not (folder / "planted.py").exists()


def test_the_scratch_folder_holds_its_quota_and_no_more_and_leaves_nothing_behind(layout):
    scratch = layout["work/scratch"]

    def fill(megabytes: int):
        return lambda: (scratch / "big").write_bytes(bytes(megabytes * 2**20))

    assert in_confined_child(rules_for(layout, quota=2 * 2**20), fill(1)) == "ok"
    assert in_confined_child(rules_for(layout, quota=2 * 2**20), fill(3)) == "ENOSPC"
    assert list(scratch.iterdir()) == [], "the scratch folder is the child's own and vanishes with it"


def test_a_confined_child_has_no_network(layout):
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        outcome = in_confined_child(rules_for(layout), lambda: socket.create_connection(("127.0.0.1", port), timeout=2))
    assert outcome in ("EACCES", "ENETUNREACH", "ECONNREFUSED")


def test_a_confined_child_can_neither_signal_nor_inspect_the_grader(layout):
    grader = os.getpid()
    assert in_confined_child(rules_for(layout), lambda: os.kill(grader, 0)) == "EPERM"
    assert in_confined_child(rules_for(layout), lambda: os.readlink(f"/proc/{grader}/cwd")) == "EACCES"


def test_the_policy_never_opens_the_checkout_the_answers_neighbours_or_the_home_folder(layout):
    for path in map(Path, rules_for(layout).readable):
        for guarded in (REPO, layout["answers"].parent, Path.home()):
            assert not (path == guarded or path in guarded.parents), f"{path} opens {guarded}"
