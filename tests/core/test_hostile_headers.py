"""Rate-limit headers a hostile (or broken) server sends: never INTERNAL_ERROR.

``x-ratelimit-reset`` and ``retry-after`` are numbers the server chooses. A value far
in the future (a year past 9999), or ``inf``, is the server's fault: the import must
end with a code of DESIGN §6, not as an unexpected error.
"""

from __future__ import annotations

import pytest

from core.models import FAILURE, Project
from tests.lifecycle import run_to_end

FAR = "99999999999999"  # epoch seconds in the year 3 million


@pytest.mark.parametrize("status, headers, code", [
    (403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": FAR}, "RATE_LIMITED"),
    (429, {"retry-after": FAR}, "RATE_LIMITED"),
    (404, {"x-ratelimit-remaining": "inf"}, "REPO_NOT_FOUND"),
    (404, {"x-ratelimit-reset": "-inf", "x-ratelimit-remaining": "0"}, "REPO_NOT_FOUND"),
], ids=["reset-far-future", "retry-after-far-future", "remaining-inf", "reset-minus-inf"])
def test_absurd_rate_limit_headers_end_in_a_contract_code(runtime, fake_github, status,
                                                          headers, code):
    fake_github.fail(r"^/repos/pallets/flask$", status, headers=headers, times=None)
    job = run_to_end(runtime.importer, runtime.importer.submit("pallets/flask").id)
    assert job.status == FAILURE
    assert job.error_code == code, job.error_message
    assert Project.select().count() == 0


def test_a_far_reset_on_a_good_answer_is_not_believed(runtime, fake_github):
    """A 200 saying the quota is spent until the year 3 million: nonsense for an hourly
    window, so the next requests still go out and the import ends well (it crashed
    wording the reset time, then would have refused the token's every request)."""
    fake_github.fail(r"^/repos/pallets/flask$", 200, times=1, body=_flask_json(fake_github),
                     headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": FAR})
    job = run_to_end(runtime.importer, runtime.importer.submit("pallets/flask").id)
    assert job.status == "SUCCESS", job.error_message


def _flask_json(fake_github) -> dict:
    import json
    import urllib.request
    with urllib.request.urlopen(fake_github.url + "/repos/pallets/flask") as answer:
        return json.loads(answer.read())


@pytest.mark.parametrize("status, headers", [
    (403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": FAR}),
    (429, {"retry-after": FAR}),
], ids=["reset", "retry-after"])
def test_an_absurd_reset_does_not_hold_the_token_for_the_rest_of_the_session(
        runtime, fake_github, status, headers):
    """GitHub's window is an hour: one answer claiming the quota is spent until the year
    3 million fails that import, but the next import of the token (the server answering
    normally again) is not refused without a request for as long as the app runs."""
    fake_github.fail(r"^/repos/pallets/flask$", status, times=1, headers=headers)
    first = run_to_end(runtime.importer, runtime.importer.submit("pallets/flask").id)
    assert first.error_code == "RATE_LIMITED"

    second = run_to_end(runtime.importer, runtime.importer.submit("psf/requests").id)
    assert second.status == "SUCCESS", second.error_message
