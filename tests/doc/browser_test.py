#!/usr/bin/env python3
# browser_test.py - opens the HTML matrix of an example (`lattice doc --format html`) in headless
# Chromium, reads cells back, types into the filter box and checks that non-matching rows hide.
#
# Chromium is driven through the DevTools protocol over a pipe (--remote-debugging-pipe: JSON
# messages separated by NUL on file descriptors 3 and 4), so nothing beyond Python's standard
# library and Debian's `chromium` is needed. A screenshot is saved to WORK/<example>.png.
# Exit 77 (skip) when chromium is missing, unless CI=true: then that is a failure.
import argparse
import base64
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77


class Browser:
    def __init__(self, executable, profile):
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()
        os.set_inheritable(to_child_r, True)
        os.set_inheritable(from_child_w, True)

        def fds():  # the protocol pipe is fds 3 (commands in) and 4 (replies out) in the child
            commands = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)  # out of the way of 3 and 4
            replies = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(commands, 3)
            os.dup2(replies, 4)

        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--user-data-dir=" + profile, "--remote-debugging-pipe",
                 "--window-size=1400,900", "about:blank"]
        self.proc = subprocess.Popen([executable] + flags, preexec_fn=fds, pass_fds=(),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     close_fds=False)
        os.close(to_child_r)
        os.close(from_child_w)
        self.next_id = 0
        self.buffer = b""
        self.session = None

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            if time.time() > deadline:
                raise TimeoutError("no reply from chromium")
            chunk = os.read(self.from_child, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the protocol pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, params=None, session=True, timeout=30):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_child, json.dumps(message).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError("%s: %s" % (method, reply["error"]))
                return reply.get("result", {})

    def wait_event(self, method, timeout=30):
        deadline = time.time() + timeout
        while True:
            event = self._read_message(deadline)
            if event.get("method") == method:
                return event

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError("script failed: %s" % result["exceptionDetails"])
        return result["result"].get("value")

    def close(self):
        try:
            self.send("Browser.close", session=False, timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lattice", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--example", required=True)
    args = parser.parse_args()

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        if os.environ.get("CI") == "true":
            print("FAIL: chromium is not installed (.ci/setup installs it)")
            return 1
        print("SKIP: chromium is not installed (apt-get install chromium)")
        return SKIP

    os.makedirs(args.work, exist_ok=True)
    name = os.path.basename(os.path.normpath(args.example))
    html = os.path.abspath(os.path.join(args.work, name + ".html"))
    png = os.path.abspath(os.path.join(args.work, name + ".png"))
    sources = [os.path.join(args.example, f) for f in ("policy.lat", "tests.lat")]
    run = subprocess.run([args.lattice, "doc", *sources, "--format", "html", "-o", html],
                         stderr=subprocess.PIPE, text=True)
    if run.returncode != 0:
        print("FAIL: lattice doc exited %d\n%s" % (run.returncode, run.stderr))
        return 1
    with open(html, encoding="utf-8") as f:
        page = f.read()
    # Self-contained: no external scripts, styles, images or fonts.
    for needle in ("src=\"http", "href=\"http", "src=\"//", "@import", "url(http"):
        if needle in page:
            print("FAIL: the page refers to the network: %s" % needle)
            return 1

    failures = []

    def expect(what, got, want):
        ok = got == want
        print("%s %s: got %r%s" % ("ok  " if ok else "FAIL", what, got,
                                   "" if ok else ", want %r" % (want,)))
        if not ok:
            failures.append(what)

    profile = tempfile.mkdtemp(prefix="lattice-doc-chromium-")
    browser = Browser(chromium, profile)
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"}, session=False)
        attached = browser.send("Target.attachToTarget",
                                {"targetId": target["targetId"], "flatten": True}, session=False)
        browser.session = attached["sessionId"]
        browser.send("Page.enable")
        browser.send("Emulation.setDeviceMetricsOverride",
                     {"width": 1400, "height": 900, "deviceScaleFactor": 1, "mobile": False})
        browser.send("Page.navigate", {"url": "file://" + html})
        browser.wait_event("Page.loadEventFired")

        def cell(permission, role):
            return browser.evaluate(
                "(function(){var c=document.querySelector('tr.row[data-permission=\"%s\"] "
                "td[data-role=\"%s\"]');return c?c.textContent:null;})()" % (permission, role))

        def visible_rows():
            return browser.evaluate(
                "Array.from(document.querySelectorAll('tr.row')).filter(function(r){"
                "return r.offsetParent!==null;}).map(function(r){"
                "return r.getAttribute('data-permission');})")

        # Cells read back as rendered (seed 004: tenant roles see the whole tenant, account roles
        # their node and below, BUSINESS rows only on a business plan).
        expect("title", browser.evaluate("document.title"), "Access matrix: ev_charging")
        expect("tenant admin resets stations", cell("station.reset", "tenant_admin"),
               "✔ whole tenant")
        expect("branding specialist cannot reset stations",
               cell("station.reset", "branding_specialist"), "✖")
        expect("account owner views stations", cell("station.view", "account_owner"),
               "✔ own node and below")
        expect("tenant-user-only permission is n/a to drivers",
               cell("station.create_tenant_profile", "driver"), "n/a")
        business = browser.evaluate(
            "Array.from(document.querySelectorAll('td[data-access=\"conditional\"]'))"
            ".map(function(c){return c.textContent;}).filter(function(t){"
            "return t.indexOf('when business')>=0;}).length")
        expect("some cells are conditional on business", business > 0, True)
        expect("legend present", browser.evaluate("!!document.getElementById('legend')"), True)
        expect("headers are sticky", browser.evaluate(
            "getComputedStyle(document.querySelector('thead tr.roles th')).position"), "sticky")
        all_rows = visible_rows()
        expect("rows visible before filtering", len(all_rows) > 50, True)

        # Type into the filter box like a user: focus it, insert text as key input.
        browser.evaluate("document.getElementById('filter').focus()")
        browser.send("Input.insertText", {"text": "firmware"})
        filtered = visible_rows()
        expect("filter 'firmware' leaves only the firmware row", filtered,
               ["station.update_firmware"])
        expect("sections without matches are hidden", browser.evaluate(
            "Array.from(document.querySelectorAll('section.resource')).filter(function(s){"
            "return s.offsetParent!==null;}).length"), 1)
        expect("the counter follows the filter",
               browser.evaluate("document.getElementById('count').textContent"), "1")

        # Clear it, then filter by a label word; take the screenshot on that view.
        browser.evaluate("var b=document.getElementById('filter');b.select();")
        browser.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": "Backspace",
                                                "code": "Backspace",
                                                "windowsVirtualKeyCode": 8})
        browser.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": "Backspace",
                                                "code": "Backspace",
                                                "windowsVirtualKeyCode": 8})
        expect("clearing the filter shows every row again", len(visible_rows()), len(all_rows))
        browser.send("Input.insertText", {"text": "charging"})
        charging = visible_rows()
        expect("filter 'charging' keeps matching rows only", bool(charging) and all(
            "charg" in browser.evaluate(
                "document.querySelector('tr.row[data-permission=\"%s\"]').getAttribute("
                "'data-text')" % p) for p in charging) and len(charging) < len(all_rows), True)
        shot = browser.send("Page.captureScreenshot", {"format": "png"})
        with open(png, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        print("screenshot: %s" % png)
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("all browser checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
