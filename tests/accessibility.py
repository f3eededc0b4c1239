"""Accessibility checks in a real browser: axe-core, bundled by axe-playwright-python."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

# axe's impact levels that a reader with a screen reader or a keyboard cannot work around.
BLOCKING_IMPACTS = {"serious", "critical"}


def serious_violations(page) -> list[str]:
    """Run axe on the page as it is now; one line per serious or critical violation."""
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} "
        f"at {[node['target'] for node in violation['nodes']]}"
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def assert_accessible(page) -> None:
    """Fail with axe's own words when the page has a serious or critical violation."""
    found = serious_violations(page)
    assert not found, "axe found:\n" + "\n".join(found)
