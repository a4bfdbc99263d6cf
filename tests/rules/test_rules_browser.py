"""The rules admin UI in a real headless Chromium against a real service: a rule learned from a highlighted
sample, dry-run, saved, activated and run on the stored mail; the record is there."""

from __future__ import annotations

import pytest

from tests.browser import Service, browser_page, sign_in
from tests.rules.forms import build

pytestmark = pytest.mark.browser

# Select `text` inside the sample shown as `source`, as a person dragging the mouse would.
_SELECT = """([source, text]) => {
  const pre = document.querySelector(`pre.sample[data-source="${source}"]`);
  const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.textContent.indexOf(text);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + text.length);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      return true;
    }
  }
  return false;
}"""


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    data = tmp_path_factory.mktemp("rules") / "data"
    svc = Service(data)  # `mailassist serve`: its app and job catalog include the rules
    svc.cli("setup", "--no-demo")
    samples = tmp_path_factory.mktemp("samples")
    for index in (0, 1):
        (samples / f"form-{index}.eml").write_bytes(build("web_form", index))
    svc.cli("import", str(samples))
    svc.start()
    try:
        yield svc
    finally:
        svc.stop()


def test_a_rule_made_from_a_highlighted_sample_creates_the_record(service):
    with browser_page() as page:
        sign_in(page, service)
        page.wait_for_url("**/inbox")
        page.click("header nav a:has-text('Rules')")  # the admin's nav leads to the rules
        page.wait_for_url("**/admin/rules")
        page.click("a:has-text('New rule from a sample')")
        page.wait_for_url("**/admin/rules/new")
        sample_id = page.evaluate("""() => [...document.querySelectorAll('#choose-sample option')]
            .find(o => o.textContent.includes('Request a quote')).value""")
        page.select_option("#choose-sample select", sample_id)
        page.click("#choose-sample button")
        page.wait_for_selector('pre.sample[data-source="body"]')
        assert page.input_value("#rule-form input[name=name]") == "[Acme Widgets] New contact form submission"

        for field, text in (("first_name", "Sarah"), ("last_name", "Chen"),
                            ("email", "sarah.chen@northwind.example"), ("company", "Northwind Logistics"),
                            ("phone", "(415) 555-0134")):
            assert page.evaluate(_SELECT, ["body", text])
            page.click(f'#field-picker button[data-field="{field}"]')
            page.wait_for_selector(f'#mappings tbody tr[data-field="{field}"]')
            if field == "first_name":  # what it gives on the other mail of the same form
                assert "Jonathan Q." in page.inner_text("#learn-result .others")
        assert page.inner_text('#mappings tr[data-field="phone"] td.value') == "+14155550134"
        assert page.locator("pre.sample mark").count() == 5  # the highlighted values stay marked

        page.click("#dry-run")
        page.wait_for_selector('#dry-run-plans .plan[data-outcome="created"]')
        dry = page.inner_text("#dry-run-result")
        assert "would create a leads record" in dry and "sarah.chen@northwind.example" in dry

        page.click("#save-rule")
        page.wait_for_url("**/admin/rules/*")
        assert page.inner_text("#rule-state") == "inactive"
        page.click("#toggle-active")
        page.wait_for_selector("#rule-state.succeeded")
        assert page.inner_text("#rule-state") == "active"

        page.click("#apply-recent")
        page.wait_for_url("**/jobs*")
        page.wait_for_selector("#jobs tr:has-text('rules.apply') .badge.succeeded", timeout=30000)
        assert "created: 2" in page.inner_text("#jobs")  # the sample and the other mail of the form
        page.goto(f"{service.url}/records/leads")
        page.click("#records tr:has-text('sarah.chen@northwind.example') a")
        assert "Northwind Logistics" in page.content()
        history = page.inner_text("#history")
        assert "rule" in history and "Sarah" in history
        page.goto(f"{service.url}/admin/rules/log")
        assert "created" in page.inner_text("#parse-log")
