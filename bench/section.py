"""Puts a section into bench/RESULTS.md: replaces the section with the same
'## ' heading, or adds it at the end. The section's text comes on stdin.

usage: python3 bench/section.py bench/RESULTS.md < section.md
"""
import re
import sys

path = sys.argv[1]
section = sys.stdin.read().rstrip("\n") + "\n"
heading = section.splitlines()[0]
assert heading.startswith("## "), "a section starts with its '## ' heading"
try:
    text = open(path).read()
except FileNotFoundError:
    text = "# spotgen benchmarks\n"
pattern = re.escape(heading) + r"\n.*?(?=\n## |\Z)"
if re.search(pattern, text, flags=re.S):
    text = re.sub(pattern, lambda m: section, text, count=1, flags=re.S)
else:
    text = text.rstrip("\n") + "\n\n" + section
open(path, "w").write(text.rstrip("\n") + "\n")
