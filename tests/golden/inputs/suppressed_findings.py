#!/usr/bin/env python3
# suppressed_findings.py - reads `lattice check --format json` on stdin and prints one line per
# diagnostic: `CODE FILE:LINE:COL: MESSAGE` and, for a finding suppressed in source, `  because:
# JUSTIFICATION`. The example goldens pin which findings each example keeps, where and why.
import json
import sys

document = json.load(sys.stdin)
for diag in document["diagnostics"]:
    loc = diag["location"]
    print(f"{diag['code']} {loc['file']}:{loc['line']}:{loc['column']}: {diag['message']}")
    if "suppression" in diag:
        print(f"  because: {diag['suppression']['justification']}")
    else:
        print("  NOT SUPPRESSED")
print(f"errors: {document['errors']}, warnings: {document['warnings']}")
