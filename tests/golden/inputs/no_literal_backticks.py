#!/usr/bin/env python3
# no_literal_backticks.py - fails when a rendered `lattice doc` page would show a backtick: in a
# .md file, a line with an odd number of backticks (an unclosed code span shows them); in an
# .html file, any backtick in the text a browser renders (outside <script> and <style>).
import html.parser
import sys


class VisibleText(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.skip = 0
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.skip:
            self.text.append(data)


bad = []
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8").read()
    if path.endswith(".md"):
        bad += [f"{path}:{n}: {line}" for n, line in enumerate(text.splitlines(), 1)
                if line.count("`") % 2]
    else:
        parser = VisibleText()
        parser.feed(text)
        bad += [f"{path}: {chunk.strip()}" for chunk in parser.text if "`" in chunk]
if bad:
    print("literal backticks:\n" + "\n".join(bad[:20]))
    sys.exit(1)
print(f"{len(sys.argv) - 1} files: no literal backtick")
