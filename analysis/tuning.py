"""The fair tuning rule that both pick scripts (pick_best.py, pick_per_arm.py) apply, in one place (issue #34,
item 4): the same health checks, the same ranking, the optimum inside the grid, and the tuning design (seeds,
iterations, seeds kept apart from the evaluation's).

- Health of a run: |d| = |mean f(data) - mean f(neg)| at the end (median of the last 5 logged values) at most
  --max-abs-d (default: the run's train.warn_abs_d; none when that is 0). The final MH acceptance (median of
  the last 5 logged values) is shown beside it; it is not a criterion. A grid point over several seeds is
  healthy only if every seed is; its |d| is the worst seed's, its acceptance the lowest.
- Ranking: among the points of an arm that finished, the healthy ones first; a finished point running away
  wins only when no point is healthy (the report says so); a diverged or failed point never wins. Equal scores
  go to the smaller setting.
- Optimum inside the grid: a winner whose value of a numeric --keys key (seed excepted) is the smallest or
  largest value tried for its arm (of two or more) is at an open edge of the grid; the pick refuses (exit 1,
  one line on stderr, no overrides) unless --allow-edge. A winner at the largest (smallest) healthy value
  with larger (smaller) values tried where no grid point is healthy sits at a closed edge: accepted, and said.
- Design (off by default): --min-seeds N seeds per grid point, --min-iters N planned iterations per run
  (train.iters of its config), --eval-seeds S no tuning seed among the evaluation's seeds.
"""
import argparse
import re

import numpy as np

from runs import config_value, series


def parse_seeds(text):
    """A set of seeds from '0-9', '0,1,2' or a mix ('0-9,20')."""
    seeds = set()
    for part in (p.strip() for p in str(text).split(",")):
        m = re.fullmatch(r"(\d+)(?:\s*-\s*(\d+))?", part)
        if not m or (m.group(2) is not None and int(m.group(2)) < int(m.group(1))):
            raise argparse.ArgumentTypeError(f"'{text}' is not a list of seeds (say 0-19 or 0,1,2)")
        seeds.update(range(int(m.group(1)), int(m.group(2) or m.group(1)) + 1))
    return seeds


def add_rule_arguments(ap):
    """The options of the rule, the same in both pick scripts."""
    ap.add_argument("--max-abs-d", type=float, default=None,
                    help="final |d| above this is unhealthy (default: each run's train.warn_abs_d; 0 there: no limit)")
    ap.add_argument("--allow-edge", action="store_true",
                    help="keep a winner at the edge of the grid (a warning in the report) instead of refusing")
    ap.add_argument("--min-seeds", type=int, default=0, help="refuse when a grid point has fewer seeds (default: no check)")
    ap.add_argument("--min-iters", type=int, default=0,
                    help="refuse when a run's train.iters is below this (default: no check)")
    ap.add_argument("--eval-seeds", type=parse_seeds, default=None,
                    help="the evaluation's seeds ('0-19' or '0,1,2'): refuse when a tuning seed is among them")


def run_health(f, cfg, max_abs_d=None):
    """One run's health from its open metrics.h5 and config: how far it got (the last f_diff step), its final
    and largest |d|, its final MH acceptance (None for samplers that log none), the |d| limit and whether it is
    within it; with its seed and planned iterations (train.iters) for the design checks."""
    it, d_values = series(f, "f_diff")  # logged every log.every iterations: its steps tell how far a run got
    abs_d = np.abs(d_values) if d_values is not None and len(d_values) else np.array([np.nan])
    final_d = float(np.median(abs_d[-5:]))
    _, accept = series(f, "chain_accept_rate")  # MH samplers only: a chain that rejects everything is frozen
    final_accept = float(np.median(accept[-5:])) if accept is not None and len(accept) else None
    limit = max_abs_d if max_abs_d is not None else float(config_value(cfg, "train.warn_abs_d") or 0)
    return dict(iters=int(it[-1]) if it is not None and len(it) else 0, final_d=final_d, max_d=float(abs_d.max()),
                final_accept=final_accept, limit=limit, healthy=not limit > 0 or final_d <= limit,
                seed=config_value(cfg, "seed"), train_iters=config_value(cfg, "train.iters"))


def pool_health(runs):
    """The health of a grid point over its seeds: healthy only if every seed is; the worst seed's |d|, the
    lowest acceptance, the shortest run."""
    accepts = [r["final_accept"] for r in runs if r["final_accept"] is not None]
    return dict(iters=min(r["iters"] for r in runs), final_d=float(np.max([r["final_d"] for r in runs])),
                max_d=float(np.max([r["max_d"] for r in runs])), final_accept=min(accepts) if accepts else None,
                healthy=all(r["healthy"] for r in runs))


def health_cells(p):
    """A point's health as table cells: final |d| (marked when running away), largest |d|, final acceptance."""
    return [f"{p['final_d']:.3g}{'' if p['healthy'] else ' (running away)'}", f"{p['max_d']:.3g}",
            "—" if p["final_accept"] is None else format(p["final_accept"], ".2f")]


def choose(points, finished, value, setting=None):
    """The winner among an arm's grid points: the lowest value(p) among the finished (finished(p)) healthy ones,
    else among the finished ones (all running away), else None. A tie goes to the smallest setting(p) (in
    setting_order), whatever order the runs were read in: a plateau of identical scores (STANLEY eq. (4) once th
    exceeds every |grad f|) is won by its first point, inside the grid when the grid reaches past it."""
    done = [p for p in points if finished(p)]
    pool = [p for p in done if p["healthy"]] or done
    order = (lambda p: setting_order(setting(p))) if setting else (lambda p: 0)
    return min(pool, key=lambda p: (value(p), order(p))) if pool else None


def as_number(v):
    """A setting as a number for the edge check (None for booleans, null and words)."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return float(v)
    try:
        return float(v)  # YAML 1.1 reads 5e-05 as a string
    except (TypeError, ValueError):
        return None


def setting_order(setting):
    """A sort key for a grid point's settings: numbers by value, the rest as text."""
    return [(0, as_number(v), "") if as_number(v) is not None else (1, 0.0, str(v)) for v in setting]


def edges(points, winner, keys, setting, finished, text=str):
    """Where the winner of an arm sits in its grid, per numeric key of --keys (seed excepted) with two or more
    values tried for the arm: a list of dict(key, value, side 'below'/'above', closed, tried, beyond).
    Open (closed False): the winner's value is the smallest/largest tried. Closed: values beyond it were tried
    and no grid point at the next value beyond is healthy (each diverged, failed or ran away)."""
    out = []
    for i, key in enumerate(keys):
        if key == "seed":
            continue
        w = as_number(setting(winner)[i])
        values = sorted({v for v in (as_number(setting(p)[i]) for p in points) if v is not None})
        if w is None or len(values) < 2:
            continue
        healthy = {as_number(setting(p)[i]) for p in points if finished(p) and p["healthy"]}
        shown = {as_number(setting(p)[i]): text(setting(p)[i]) for p in points}
        for side, beyond in (("below", [v for v in values if v < w][::-1]), ("above", [v for v in values if v > w])):
            if not beyond or (winner["healthy"] and finished(winner) and beyond[0] not in healthy):
                out.append(dict(key=key, value=text(setting(winner)[i]), side=side, closed=bool(beyond),
                                tried=[shown[v] for v in values], beyond=shown[beyond[0]] if beyond else None))
    return out


def edge_text(arm, e):
    """One edge as a sentence."""
    if e["closed"]:
        return (f"{arm}: {e['key']} = {e['value']} is the {'smallest' if e['side'] == 'below' else 'largest'} healthy "
                f"value; no grid point at {e['beyond']} is healthy: a closed edge, accepted")
    return (f"{arm}: {e['key']} = {e['value']} is the {'smallest' if e['side'] == 'below' else 'largest'} value tried "
            f"({', '.join(e['tried'])}): at the edge of the grid: extend it {e['side']}")


def design_problems(points, a, label):
    """What the tuning design lacks against --min-seeds, --min-iters and --eval-seeds (each [] when not given):
    points are grid points with their runs under 'seeds' (each with seed and train_iters); label(p) names one."""
    problems = []
    for p in points:
        seeds = {r["seed"] for r in p["seeds"]}
        if a.min_seeds and len(seeds) < a.min_seeds:
            problems.append(f"{label(p)} has {len(seeds)} seed{'s' if len(seeds) != 1 else ''} (--min-seeds {a.min_seeds})")
        short = sorted({r["train_iters"] for r in p["seeds"] if not isinstance(r["train_iters"], (int, float))
                        or r["train_iters"] < a.min_iters}, key=str) if a.min_iters else []
        if short:
            problems.append(f"{label(p)} runs train.iters = {', '.join(str(s) for s in short)} (--min-iters {a.min_iters})")
    if a.eval_seeds is not None:
        shared = sorted({r["seed"] for p in points for r in p["seeds"]} & a.eval_seeds, key=str)
        if shared:
            problems.append(f"tuning seed{'s' if len(shared) > 1 else ''} {', '.join(str(s) for s in shared)} "
                            f"{'are' if len(shared) > 1 else 'is'} among --eval-seeds: tune on seeds the evaluation does not use")
    return problems


def one_line(script, what, items):
    """Several refusals as the one line a study prints."""
    shown = items[:3] + ([f"and {len(items) - 3} more"] if len(items) > 3 else [])
    return f"{script}: {what}: {'; '.join(shown)}"
