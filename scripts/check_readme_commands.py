#!/usr/bin/env python3
"""Every `build/stanley run ...` example in README.md composes: each is run with `--cfg job` (print
the resolved config, run nothing), a multirun (`run -m`) with `--dry-run` (compose every job, run
nothing), so a stale example fails CI.

usage: check_readme_commands.py STANLEY_BINARY SOURCE_DIR
"""
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
            if line.startswith("build/stanley run"):
                yield line


def main():
    binary, source = sys.argv[1], pathlib.Path(sys.argv[2])
    found = list(examples((source / "README.md").read_text()))
    failed = []
    for command in found:
        args = shlex.split(command)[1:]
        if args[1] in ("-m", "--multirun"):
            args = [a for a in args if a != "--dry-run"] + ["--dry-run"]
        else:
            args = [a for a in args if a != "--cfg" and a != "job"] + ["--cfg", "job"]
        r = subprocess.run([binary, "--config-dir", str(source / "configs")] + args, capture_output=True, text=True)
        if r.returncode != 0:
            failed.append(f"{command}\n    -> exit {r.returncode}: {(r.stderr or r.stdout).strip()}")
    print(f"{len(found)} README examples of `stanley run`; {len(failed)} failed")
    print("\n".join(failed))
    sys.exit(1 if failed or not found else 0)


if __name__ == "__main__":
    main()
