#!/usr/bin/env python3
"""Fails when a file in lib/ includes a layer above its own, or anything in experiments/ or app/.

The layers, lowest first (docs/layout.md): config < runtime < store (torch-free) < random < data, models <
samplers < {metrics, training} < run < diagnose; launch (sweeps) sits on the torch-free three alone.
metrics and training are siblings: neither includes the other.

usage: check_layers.py SOURCE_DIR
"""
import pathlib
import re
import sys

IO = {"config", "runtime", "store"}
BELOW = {
    "config": set(),
    "runtime": {"config"},
    "store": {"config", "runtime"},
    "launch": IO,
    "random": IO,
    "data": IO | {"random"},
    "models": IO | {"random"},
    "samplers": IO | {"random", "data", "models"},
    "metrics": IO | {"random", "data", "models", "samplers"},
    "training": IO | {"random", "data", "models", "samplers"},
    "run": IO | {"random", "data", "models", "samplers", "metrics", "training"},
    "diagnose": IO | {"random", "data", "models", "samplers", "metrics", "training", "run"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"/]+)/', re.M)


def main():
    lib = pathlib.Path(sys.argv[1]) / "lib"
    bad = []
    for layer, allowed in BELOW.items():
        for path in sorted((lib / layer).glob("*.[ch]*")):
            for target in INCLUDE.findall(path.read_text()):
                if target != layer and target not in allowed:
                    bad.append(f"{path.relative_to(lib.parent)} includes {target}/ (layer {layer} may include: "
                               f"{', '.join(sorted(allowed)) or 'nothing'})")
    unknown = sorted(p.name for p in lib.iterdir() if p.is_dir() and p.name not in BELOW)
    if unknown:
        bad.append(f"lib/ has folders with no layer: {', '.join(unknown)} (add them to scripts/check_layers.py)")
    print("\n".join(bad) or f"layering: {sum(1 for _ in lib.rglob('*.[ch]*'))} files follow the layers")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
