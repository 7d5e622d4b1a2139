#!/usr/bin/env python3
"""
Recompute the golden values in test/golden/ by running the real frameworks' code.

  python3 tools/golden/golden.py --check [--only torch,timm] [--src timm=/path/to/checkout]
  python3 tools/golden/golden.py --write [...]

The cases are the JSON files themselves: each <source>.json case gives id, spec, steps (and, for a
long case, sample_steps); rejects.json gives the configs the frameworks refuse. --check recomputes
every case of the chosen sources and prints the worst relative difference per file; it exits 1 if a
value differs by more than 1e-12 relative, or a reject no longer raises the recorded error, and 2 if
a chosen source cannot run here. --write replaces the values (values, value_at_steps...) of every
case of the chosen sources; a new case is added by appending {id, source, spec, steps} and running
--write. Rejects are only checked, never rewritten: a changed refusal is a finding to look at.

One module per source in sources/ (see sources/__init__.py for what a module provides).
"""
import argparse
import importlib
import json
import math
import os
import sys
import warnings

from staging import Unavailable

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCES = ['torch', 'timm', 'pytorch_accelerated', 'noether', 'noether_periodic', 'pamiq', 'transformers', 'optax', 'megatron',
           'torchtitan', 'pytorch_optimizer']
TOLERANCE = 1e-12
LONG = 20000  # a case with more steps keeps only sample_steps (see long_samples)


def relative_difference(a, b):
    if a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)):
        return 0.0
    if not (isinstance(a, (int, float)) and isinstance(b, (int, float))):
        return math.inf
    scale = max(abs(a), abs(b))
    return abs(a - b) / scale if scale > 0 else math.inf


def run_values(source, cfg, steps, wanted):
    """values at the steps in `wanted` (sorted), running the framework through every step before them."""
    keep = set(wanted)
    out = []
    stream = source.construct(cfg, steps)
    for t, v in zip(range(wanted[-1] + 1 if wanted else 0), stream):
        if t in keep:
            out.append(float(v))
    return out


def long_samples(values):
    """
    Steps to keep of a new long case: the first and last 10, every step near a kink or jump (a second
    difference above 1e-6 x max|v|, kept with 2 steps either side) and ~1000 evenly spaced steps.
    Existing cases keep the sample_steps they have.
    """
    n = len(values)
    scale = max((abs(v) for v in values), default=0) or 1.0
    keep = set(range(min(10, n))) | set(range(max(0, n - 10), n))
    keep |= set(range(0, n, max(1, n // 1000)))
    for t in range(1, n - 1):
        if abs(values[t + 1] - 2 * values[t] + values[t - 1]) > 1e-6 * scale:
            keep |= set(range(max(0, t - 2), min(n, t + 3)))
    return sorted(keep)


def recompute(source, case):
    """The fields of `case` the framework determines, recomputed: values (+ sample_steps, extras)."""
    cfg = source.configure(case['spec'])
    steps = case['steps']
    fields = {}
    if 'sample_steps' in case:
        fields['values'] = run_values(source, cfg, steps, case['sample_steps'])
    elif steps > LONG:
        full = run_values(source, cfg, steps, list(range(steps)))
        fields['sample_steps'] = long_samples(full)
        fields['values'] = [full[t] for t in fields['sample_steps']]
    else:
        fields['values'] = run_values(source, cfg, steps, list(range(steps)))
    if hasattr(source, 'extras'):
        fields.update(source.extras(cfg, steps))
    return fields


def compare_case(case, fields):
    """(worst relative difference, description of the worst or of a structural mismatch)."""
    worst, where = 0.0, ''
    old, new = case.get('values', []), fields['values']
    if len(old) != len(new):
        return math.inf, f'{len(new)} values, file has {len(old)}'
    steps = case.get('sample_steps') or range(len(old))
    for t, a, b in zip(steps, old, new):
        d = relative_difference(a, b)
        if d > worst:
            worst, where = d, f'step {t}: file {a!r}, framework {b!r}'
    for key in fields.keys() - {'values', 'sample_steps'}:
        a, b = case.get(key), fields[key]
        d = relative_difference(a, b) if isinstance(b, float) else (0.0 if a == b else math.inf)
        if d > worst:
            worst, where = d, f'{key}: file {a!r}, framework {b!r}'
    for key in ('value_at_steps', 'value_at_steps_error'):
        if key in case and key not in fields:
            return math.inf, f'{key} in the file, not produced by the framework'
    return worst, where


def check_reject(source, r):
    """None if the framework still refuses `r` as recorded (phase, step, type, message), else what it does."""
    reached, step = 'config', 0
    try:
        cfg = source.configure(r['spec'])
        if r['phase'] == 'config':
            return 'configures without error'
        reached = 'construct'
        stream = source.construct(cfg, r.get('steps', 1))
        if r['phase'] == 'construct':
            return 'constructs without error'
        reached = 'evaluate'
        for _ in stream:
            if step == r['at_step']:
                return f'evaluates step {step} without error'
            step += 1
        return 'evaluates every step without error'
    except Exception as e:  # the refusal we are after, compared below
        if reached != r['phase']:
            return f'raises at {reached}, not {r["phase"]}: {type(e).__name__}: {e}'
        if type(e).__name__ != r['error_type']:
            return f'raises {type(e).__name__}: {e}'
        if 'messages' in r:
            messages = [err['msg'] for err in e.errors()]
            if messages != r['messages']:
                return f'messages {messages}'
        elif str(e) != r['error']:
            return f'message {str(e)!r}'
        if reached == 'evaluate' and step != r['at_step']:
            return f'raises at step {step}, not {r["at_step"]}'
        return None


def write_json(path, cases):
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(cases, f, separators=(',', ':'), allow_nan=False)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.strip().split('\n')[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument('--check', action='store_true', help='recompute and compare; exit 1 on a difference')
    mode.add_argument('--write', action='store_true', help='recompute and rewrite the values')
    ap.add_argument('--only', help=f'comma-separated sources (default all: {",".join(SOURCES)})')
    ap.add_argument('--golden', default=os.path.join(REPO, 'test', 'golden'), help='folder of the JSON files')
    ap.add_argument('--src', action='append', default=[], metavar='NAME=DIR',
                    help='a framework checkout (instead of its environment variable; see README)')
    args = ap.parse_args()

    chosen = args.only.split(',') if args.only else SOURCES
    unknown = set(chosen) - set(SOURCES)
    if unknown:
        ap.error(f'unknown source(s) {", ".join(sorted(unknown))}; known: {", ".join(SOURCES)}')
    src_dirs = dict(s.split('=', 1) for s in args.src)
    rejects_path = os.path.join(args.golden, 'rejects.json')
    rejects = json.load(open(rejects_path)) if os.path.exists(rejects_path) else []
    warnings.simplefilter('ignore')  # torch warns about step order and deprecated arguments

    failed = unavailable = False
    for name in chosen:
        source = importlib.import_module(f'sources.{name}')
        try:
            source.load(src_dirs.get(source.CHECKOUT_NAME) if source.CHECKOUT_NAME else None)
        except Unavailable as e:
            print(f'{name}: cannot run here: {e}')
            unavailable = True
            continue
        path = os.path.join(args.golden, f'{name}.json')
        cases = json.load(open(path))
        worst, worst_at, bad = 0.0, '', 0
        for case in cases:
            if case['source'] != name:
                sys.exit(f'{path}: case {case["id"]} has source {case["source"]}')
            try:
                fields = recompute(source, case)
            except Exception as e:
                print(f'  {case["id"]}: the framework raises {type(e).__name__}: {e}')
                bad += 1
                continue
            if args.write:
                case.update(fields)
                continue
            d, where = compare_case(case, fields)
            if d > TOLERANCE:
                bad += 1
                print(f'  {case["id"]}: relative difference {d:.3g} at {where}')
            if d > worst:
                worst, worst_at = d, f'{case["id"]} {where}'
        own = [r for r in rejects if r['source'] == name]
        refused = 0
        for r in own:
            problem = check_reject(source, r)
            if problem:
                bad += 1
                print(f'  reject {r["id"]} ({r["phase"]}, {r["error_type"]}): {problem}')
            else:
                refused += 1
        if args.write and not bad:
            write_json(path, cases)
        summary = f'{len(cases)} cases, worst relative difference {worst:.3g}' if not args.write else \
            f'{len(cases)} cases rewritten' if not bad else f'{len(cases)} cases, NOT rewritten'
        print(f'{name}: {summary}; {refused}/{len(own)} rejects still refused' +
              (f'\n  worst: {worst_at}' if worst > 0 else ''))
        failed |= bad > 0
    sys.exit(1 if failed else 2 if unavailable else 0)


if __name__ == '__main__':
    main()
