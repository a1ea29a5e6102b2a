"""Checksums and the stored envelope: formatting never changes a checksum, content always does."""

import json

import pytest

from tbctl.config import canonical, envelope
from tbctl.environments import ENVIRONMENTS
from tbctl.errors import UserError

DOC = {"global_limits": {"max_daily_loss": 500.0, "max_positions": 3}, "note": "ünïcode"}


def test_reordering_or_reformatting_a_document_keeps_its_checksum():
    reordered = json.loads(json.dumps({"note": DOC["note"], "global_limits": {"max_positions": 3, "max_daily_loss": 500.0}}, indent=7))
    assert canonical.sha256(reordered) == canonical.sha256(DOC)
    assert canonical.dumps(DOC) == '{"global_limits":{"max_daily_loss":500.0,"max_positions":3},"note":"ünïcode"}'.encode()


@pytest.mark.parametrize("changed", [
    {"global_limits": {"max_daily_loss": 500.5, "max_positions": 3}, "note": "ünïcode"},
    {"global_limits": {"max_daily_loss": 500.0, "max_positions": 3}, "note": "unicode"},
    {"global_limits": {"max_daily_loss": 500.0}, "note": "ünïcode"},
])
def test_any_change_of_content_changes_the_checksum(changed):
    assert canonical.sha256(changed) != canonical.sha256(DOC)


def test_an_envelope_round_trips_and_verifies():
    built = envelope.build("risk-params", ENVIRONMENTS["dev"], DOC, 7, "a" * 40 + "-dirty", action="push")
    meta = built["metadata"]
    assert (meta["version"], meta["sha256"], meta["environment"]) == (7, canonical.sha256(DOC), "dev")
    assert meta["timestamp"].endswith("Z")
    decoded = envelope.decode(envelope.encode(built), "s3://b/configs/risk-params.json")
    assert envelope.verify(decoded, "s3://b/configs/risk-params.json")["document"] == DOC
    assert envelope.short_commit(meta["git_commit"]) == "a" * 12 + "-dirty"


def test_a_tampered_envelope_fails_with_the_checksum_error_naming_the_object():
    built = envelope.build("risk-params", ENVIRONMENTS["dev"], DOC, 1, "b" * 40)
    built["document"]["global_limits"]["max_daily_loss"] = 10**6
    with pytest.raises(UserError, match=r"checksum mismatch in s3://b/configs/risk-params.json"):
        envelope.verify(built, "s3://b/configs/risk-params.json")


@pytest.mark.parametrize("body", [b"not json", b"{}", b'{"metadata": {"version": "x", "sha256": "y"}, "document": {}}', b"[]"])
def test_an_object_that_is_not_an_envelope_is_an_error_naming_it(body):
    with pytest.raises(UserError, match=r"s3://b/configs/x.json is not a config envelope"):
        envelope.decode(body, "s3://b/configs/x.json")
