#!/usr/bin/env python3
"""Fails when C++ outside lib/random/ draws random numbers or makes a generator itself.

The rule (lib/random/draws.h): every draw is made on its generator's own device and then moved, and
lib/random/ is the only code that calls torch's random functions. A draw written anywhere else can
hand a CUDA generator to a CPU kernel ("Expected a 'cpu' device type for generator but found 'cuda'":
KID crashed every image run on a GPU that way), and no CPU run would notice: this scan does.

usage: check_random_owner.py SOURCE_DIR
"""
import pathlib
import re
import sys

SCANNED = ("lib", "experiments", "app", "bench")
OWNER = pathlib.PurePosixPath("lib/random")
RULES = [
    (re.compile(r"\b(?:at|torch)::(rand|randn|randint|randperm|normal|bernoulli|multinomial|poisson|"
                r"rand_like|randn_like|randint_like)\s*\("), "calls torch's {0} (use stanley::draw::*)"),
    (re.compile(r"\.(normal_|uniform_|bernoulli_|random_|exponential_|geometric_|cauchy_|log_normal_)\s*\("),
     "draws in place with Tensor::{0} (use stanley::draw::*)"),
    (re.compile(r"\b(createCPUGenerator|getDefaultCPUGenerator|getDefaultCUDAGenerator|defaultGenerator|"
                r"make_generator\s*<)"), "makes a generator with {0} (use make_generator/default_generator)"),
]


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def main():
    root = pathlib.Path(sys.argv[1])
    bad, scanned = [], 0
    for top in SCANNED:
        for path in sorted((root / top).rglob("*")):
            if path.suffix not in (".cpp", ".h", ".cc", ".hpp"):
                continue
            rel = pathlib.PurePosixPath(path.relative_to(root).as_posix())
            if OWNER in rel.parents:
                continue
            scanned += 1
            for n, line in enumerate(strip_comments(path.read_text()).splitlines(), 1):
                for pattern, message in RULES:
                    for m in pattern.finditer(line):
                        bad.append(f"{rel}:{n}: {message.format(m.group(1))}")
    print("\n".join(bad) or f"random_owner: {scanned} files outside lib/random/ draw only through it")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
