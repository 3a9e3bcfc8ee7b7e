"""gen_nesting.py MODE N - writes a policy with N nested parentheses / N condition operators /
N nested braces to stdout, for the L0007 tests (the role body `{` is a bracket level too)."""
import sys

mode, n = sys.argv[1], int(sys.argv[2])
prelude = "policy p;\nscope tenant;\nusertype u at tenant;\nflag a on u;\nresource doc { read; }\n"
if mode == "parens":
    print(prelude + "role r for u { allow doc.read when " + "(" * n + "a" + ")" * n + "; }")
elif mode == "operators":
    print(prelude + "role r for u { allow doc.read when a" + " and a" * n + "; }")
elif mode == "braces":
    print(prelude + "role r for u { allow doc.{" + "{" * n + "read" + "}" * n + "}; }")
else:
    sys.exit("unknown mode " + mode)
