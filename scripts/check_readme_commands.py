#!/usr/bin/env python3
"""Every `build/stanley run ...` and `build/stanley study ...` example in README.md and docs/*.md, and every
sweep and study a Makefile target runs, composes: each is run with `--cfg job` (print the resolved config,
run nothing), a multirun (`run -m`) or a study with `--dry-run` (compose every job, run nothing; a study's
settings and params are checked), so a stale example or target fails CI. And every number
in the README's measured sections (the headline results, the GPU table) and in the whole of
docs/experiments.md is found in a committed report (docs/figures/*.md, docs/gpu_check.md, docs/build.md),
so no README or experiments-page number stands without one (settings written as `code` are not results).

usage: check_readme_commands.py STANLEY_BINARY SOURCE_DIR
"""
import bisect
import pathlib
import re
import shlex
import subprocess
import sys


def examples(readme):
    """Commands from the README's code blocks, continuation lines joined, comments dropped."""
    blocks = re.findall(r"```sh\n(.*?)```", readme, re.S)
    for block in blocks:
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split("  #")[0].split(" # ")[0].strip()
            if line.startswith(("build/stanley run", "build/stanley study")):
                yield line


# Values for the Makefile's variables in its sweep lines (the shell loop variables included).
MAKE_VALUES = {"$(SEEDS)": "0,1,2", "$(JOBS)": "2", "$(FIG4_SAMPLERS)": "langevin,stanley,mala,hmc,gd",
               "$(DEVICE)": "cpu", "$(INCEPTION)": "/tmp/inception.pt", "$(DATA_CIFAR10)": "/tmp/d",
               "$(DATA_FLOWERS)": "/tmp/d", "$(DATA_CELEBA)": "/tmp/d", "$$root": "/tmp/d", "$$exp": "cifar10"}


def makefile_commands(makefile):
    """`$(STANLEY) run -m ...` and `$(STANLEY) study ...` lines of the Makefile, continuations joined,
    variables substituted (the Makefile's own `NAME := value` / `NAME ?= value` definitions first;
    `$(if A,B)` is B when A is set)."""
    joined = makefile.replace("\\\n", " ")
    defined = {}
    for line in joined.splitlines():
        m = re.match(r"^([A-Z0-9_]+)\s*[:?]?=\s*(.*)$", line)
        if m:
            defined[f"$({m.group(1)})"] = m.group(2).split(" # ")[0].strip()
    defined.pop("$(STANLEY)", None)
    values = dict(defined, **MAKE_VALUES)
    for line in joined.splitlines():
        at = max(line.find("$(STANLEY) run -m"), line.find("$(STANLEY) study"))
        if at < 0:
            continue
        command = line[at:].split("||")[0].split(";")[0].strip()
        for _ in range(10):  # a variable's value may name another variable: expand until nothing changes
            expanded = command
            for k, v in values.items():
                command = command.replace(k, v)
            command = re.sub(r"\$\(if ([^,()]*),([^()]*)\)", lambda m: m.group(2) if m.group(1).strip() else "", command)
            if command == expanded:
                break
        yield command.replace("$(STANLEY)", "build/stanley")


# The README's measured sections: from the headline results to the end of the GPU section.
MEASURED_FROM, MEASURED_TO = "**Headline", "## Layout"
REPORTS = ["docs/figures/*.md", "docs/gpu_check.md", "docs/build.md"]
NUMBER = re.compile(r"(?<![\w.])[-−+]?\d[\d,]*(?:\.\d+)?(?:e[-−+]?\d+)?")


def value_and_precision(text):
    """The number and half a unit of its last written digit: 39.0 -> (39.0, 0.05), 1.6e6 -> (1.6e6, 5e4)."""
    t = text.replace(",", "").replace("−", "-").lstrip("+")
    mantissa, _, exponent = t.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return float(t), 0.5 * 10.0 ** (-decimals + (int(exponent) if exponent else 0))


# Pages whose numbers must each be found in a report: (path, from, to); None is the page's start or end.
CHECKED_PAGES = [("README.md", MEASURED_FROM, MEASURED_TO), ("docs/experiments.md", None, None)]


def report_numbers(source):
    """Every number written in a committed report, as sorted absolute values."""
    reports = "\n".join(p.read_text() for pattern in REPORTS for p in sorted(source.glob(pattern)))
    return sorted({abs(value_and_precision(n)[0]) for n in NUMBER.findall(reports)})


def missing_numbers(text, known):
    """Numbers of text with a decimal point or three or more digits (results, not settings such as K = 10)
    that no report contains, to the digits the text shows (a report's -0.8233 backs the text's −0.82).
    Code spans and link targets are not claims."""
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    text = re.sub(r"\]\([^)]*\)|\(docs/[^)]*\)|\(\S+\.md\)|`[^`]*`", "", text)
    missing = []
    for n in NUMBER.findall(text):
        v, half = value_and_precision(n)
        v = abs(v)
        plain = n.replace(",", "").lstrip("+-−")
        if ("." not in plain and "e" not in plain.lower() and len(plain) < 3) or re.fullmatch(r"20\d\d", plain):
            continue  # small settings (K = 10, 5 seeds) and years
        i = bisect.bisect_left(known, v - half * (1 + 1e-9))
        if i == len(known) or known[i] > v + half * (1 + 1e-9):
            missing.append(n.rstrip(","))
    return sorted(set(missing))


def untraceable_by_page(source):
    """{page: numbers in no committed report} for each page of CHECKED_PAGES (README: its measured section;
    docs/experiments.md: the whole page)."""
    known = report_numbers(source)
    found = {}
    for page, start, end in CHECKED_PAGES:
        text = (source / page).read_text()
        a = text.index(start) if start else 0
        b = text.index(end) if end else len(text)
        found[page] = missing_numbers(text[a:b], known)
    return found


def untraceable_numbers(source):
    """Numbers of the checked pages (README's measured section, docs/experiments.md) in no committed report,
    each as "page: number"."""
    return [f"{page}: {n}" for page, numbers in untraceable_by_page(source).items() for n in numbers]


def main():
    binary, source = sys.argv[1], pathlib.Path(sys.argv[2])
    found = list(examples((source / "README.md").read_text()))
    for page in sorted((source / "docs").glob("*.md")):  # the manual's pages (not the reports in docs/figures/)
        found += list(examples(page.read_text()))
    found += list(makefile_commands((source / "Makefile").read_text()))
    failed = []
    for command in found:
        args = shlex.split(command)[1:]
        if args[0] == "study" or args[1] in ("-m", "--multirun"):
            args = [a for a in args if a != "--dry-run"] + ["--dry-run"]
        else:
            args = [a for a in args if a != "--cfg" and a != "job"] + ["--cfg", "job"]
        r = subprocess.run([binary, "--config-dir", str(source / "configs")] + args, capture_output=True, text=True)
        if r.returncode != 0:
            failed.append(f"{command}\n    -> exit {r.returncode}: {(r.stderr or r.stdout).strip()}")
    print(f"{len(found)} README examples and Makefile sweeps and studies of `stanley run` and `stanley study`; {len(failed)} failed")
    print("\n".join(failed))
    missing = untraceable_by_page(source)
    for page, numbers in missing.items():
        print(f"{page}: numbers in no committed report: {', '.join(numbers) if numbers else 'none'}")
    sys.exit(1 if failed or not found or any(missing.values()) else 0)


if __name__ == "__main__":
    main()
