"""The HTML report in a real headless Chromium (Debian's `chromium`), opened from disk.

Chromium is driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: commands go in
on fd 3, answers and events come out on fd 4, each a JSON message ended by a NUL byte), so no
extra package is needed. The tests check that pages load without console errors or failed
resources, that the links resolve in the browser, and they write a screenshot of the overview.
In CI (CI=true) a missing chromium fails the tests instead of skipping them.
"""

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urldefrag, urlsplit
from urllib.request import url2pathname

import pytest
from PIL import Image

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--remote-debugging-pipe", "--window-size=1280,1800"]
TIMEOUT = 30.0
LINKS = """Array.from(document.querySelectorAll('a')).map(a => {
  const raw = (typeof a.href === 'string') ? a.href : a.href.baseVal;
  return new URL(raw, document.baseURI).href;
})"""


class Browser:
    """One headless Chromium and one tab, spoken to over the DevTools pipe."""

    def __init__(self, executable: str, profile: Path):
        commands_read, self._commands = os.pipe()
        self._answers, answers_write = os.pipe()

        def wire() -> None:  # runs in the child: put the pipe ends on fds 3 and 4
            inbound, outbound = os.dup(commands_read), os.dup(answers_write)
            os.dup2(inbound, 3)
            os.dup2(outbound, 4)

        self.process = subprocess.Popen([executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                        preexec_fn=wire, pass_fds=(3, 4), stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(commands_read)
        os.close(answers_write)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=self.session)

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._answers], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise TimeoutError("chromium did not answer in time")
            chunk = os.read(self._answers, 1 << 16)
            if not chunk:
                raise EOFError("chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            answer = self._read(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer["result"]
            self.events.append(answer)

    def wait_for(self, event: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not any(e.get("method") == event for e in self.events):
            self.events.append(self._read(deadline))

    def open(self, url: str) -> tuple[str | None, list[str]]:
        """Load a page; (the navigation error or None, the console errors and failed loads it caused)."""
        self.events.clear()
        navigation = self.call("Page.navigate", {"url": url}, session=self.session)
        if navigation.get("errorText"):
            return navigation["errorText"], []
        self.wait_for("Page.loadEventFired")
        self.evaluate("1")  # lets the events of the load arrive before they are read
        return None, problems(self.events)

    def evaluate(self, expression: str) -> object:
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                           session=self.session)
        return result["result"].get("value")

    def screenshot(self, path: Path) -> None:
        data = self.call("Page.captureScreenshot", {"format": "png"}, session=self.session)["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        with contextlib.suppress(EOFError, TimeoutError, OSError):  # it may close the pipe before answering
            self.call("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._commands)
        os.close(self._answers)


def problems(events: list[dict]) -> list[str]:
    """Console errors, uncaught exceptions and failed resource loads among DevTools events."""
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            found.append("console: " + " ".join(str(a.get("value", a.get("description"))) for a in params["args"]))
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            found.append(f"exception: {details.get('text', '')} {details.get('exception', {}).get('description', '')}")
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            found.append(f"log: {params['entry']['text']} {params['entry'].get('url', '')}")
    return found


@pytest.fixture(scope="module")
def chromium() -> str:
    executable = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: CI must install Debian's chromium (.ci/run does)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return executable


@pytest.fixture(scope="module")
def browser(chromium: str, tmp_path_factory: pytest.TempPathFactory):
    session = Browser(chromium, tmp_path_factory.mktemp("chromium-profile"))
    yield session
    session.close()


def test_the_overview_loads_cleanly_and_is_photographed(browser, report_site, tmp_path):
    error, found = browser.open((report_site / "index.html").as_uri())
    assert error is None and found == []
    assert browser.evaluate("document.title").startswith("Overview")
    assert browser.evaluate("document.querySelector('img.thumb').naturalWidth") > 500  # the heatmap drew
    shot = tmp_path / "overview.png"
    browser.screenshot(shot)
    with Image.open(shot) as image:
        assert image.format == "PNG" and image.width == 1280
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
        assert len(colours) > 200  # text, SDG colours and the heatmap, not a blank page


def test_links_resolve_in_the_browser(browser, report_site):
    """Every page the overview, the heatmap and an action line link to opens cleanly (test_site checks all links
    on disk; here the browser follows them)."""
    start = [report_site / name for name in ("index.html", "heatmap.html", "action-line/C2.html")]
    links: set[str] = set()
    for page in start:
        error, found = browser.open(page.as_uri())
        assert error is None and found == [], page
        links |= set(browser.evaluate(LINKS))
    local = {link for link in links if urlsplit(link).scheme == "file"}
    assert len(local) > 60 and any(link.startswith("https://w3id.org/wsisgraph/") for link in links)
    downloads = {link for link in local if not urlsplit(link).path.endswith(".html")}  # CSV: the browser saves it
    assert all(Path(url2pathname(urlsplit(link).path)).is_file() for link in downloads), downloads
    for page in sorted({urldefrag(link).url for link in local - downloads}):
        error, found = browser.open(page)
        assert error is None, f"{page}: {error}"
        assert found == [], f"{page}: {found}"
        assert browser.evaluate("document.title"), page
        for link in (link for link in local if urldefrag(link).url == page and urldefrag(link).fragment):
            fragment = urldefrag(link).fragment
            assert browser.evaluate(f"document.getElementById({json.dumps(fragment)}) !== null"), link


def test_the_arabic_site_reads_right_to_left(browser, report_site, tmp_path):
    """The report's Arabic folder: lang="ar" dir="rtl", Arabic titles laid out right to left in an
    Arabic font (Debian fonts-noto-core), a switcher to the same page in the other languages, and
    English labels where the graph has no Arabic one marked as such."""
    page = report_site / "ar" / "goal" / "1.html"
    error, found = browser.open(page.as_uri())
    assert error is None and found == []
    assert browser.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    assert browser.evaluate("getComputedStyle(document.querySelector('main h1')).direction") == "rtl"
    assert "لا فقر" in browser.evaluate("document.querySelector('main h1').textContent")
    switcher = browser.evaluate("[...document.querySelectorAll('nav.languages a')].map(a => a.hreflang)")
    assert sorted(switcher) == sorted(["en", "ar", "zh-Hans", "fr", "ru", "es"])
    assert browser.evaluate("document.querySelectorAll('a[lang=en]').length") > 0  # action lines: English only
    # The title's right edge is the page's right edge: right-to-left layout.
    box = browser.evaluate("(() => { const t = document.createRange(); "
                           "t.selectNodeContents(document.querySelector('main h1')); "
                           "const r = t.getBoundingClientRect(); "
                           "const m = document.querySelector('.goal-band').getBoundingClientRect(); "
                           "return [m.right - r.right, r.left - m.left]; })()")
    assert box[0] < box[1]
    shot = tmp_path / "goal-1-ar.png"
    browser.screenshot(shot)
    with Image.open(shot) as image:
        assert len(image.convert("RGB").getcolors(maxcolors=1 << 20)) > 100
    error, found = browser.open((report_site / "zh-Hans" / "index.html").as_uri())
    assert error is None and found == []
    assert browser.evaluate("document.documentElement.lang") == "zh-Hans"


def test_the_checks_catch_errors(browser, tmp_path):
    """The same checks report a console error, an exception and a missing image, and a missing page."""
    page = tmp_path / "bad.html"
    page.write_text('<!doctype html><title>bad</title><img src="missing.png">'
                    '<script>console.error("boom"); throw new Error("bang");</script>')
    error, found = browser.open(page.as_uri())
    assert error is None
    assert any("boom" in item for item in found)
    assert any("bang" in item for item in found)
    assert any("missing.png" in item for item in found)
    error, _ = browser.open((tmp_path / "absent.html").as_uri())
    assert error and "FILE_NOT_FOUND" in error

