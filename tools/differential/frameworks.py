#!/usr/bin/env python3
"""
The real frameworks' values for the differential tool (run.ts): each case {source, spec, steps} is
run through tools/golden/sources/<source>.py (configure, construct, then the value at t = 0, 1, ...),
the same modules that produce the goldens, so the frameworks are found the same way (--src NAME=DIR
or the SCHEDGPU_SRC_* variables; see tools/golden/README.md).

  python3 frameworks.py cases.json out.json values.f64 [--src NAME=DIR ...]

out.json holds one entry per case: {n, error?} where n is how many values were written to
values.f64 (float64, native order, cases one after another) and error {phase, step, type, message}
is where the framework raised (phase config, construct or evaluate; step only for evaluate), or
{unavailable: reason} for a source that cannot run here.
"""
import importlib
import json
import math
import os
import struct
import sys
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'golden'))
from staging import Unavailable  # noqa: E402


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--src')]
    src_dirs = {}
    for i, a in enumerate(sys.argv):
        if a == '--src' and i + 1 < len(sys.argv):
            name, folder = sys.argv[i + 1].split('=', 1)
            src_dirs[name] = folder
            args.remove(sys.argv[i + 1])
    cases_path, out_path, values_path = args
    cases = json.load(open(cases_path))
    warnings.simplefilter('ignore')
    loaded, unavailable = {}, {}
    out = []
    with open(values_path, 'wb') as values:
        for case in cases:
            name = case['source']
            if name not in loaded and name not in unavailable:
                module = importlib.import_module(f'sources.{name}')
                try:
                    module.load(src_dirs.get(module.CHECKOUT_NAME) if module.CHECKOUT_NAME else None)
                    loaded[name] = module
                except Unavailable as e:
                    unavailable[name] = str(e)
            if name in unavailable:
                out.append({'n': 0, 'unavailable': unavailable[name]})
                continue
            out.append(run_case(loaded[name], case['spec'], case['steps'], values))
    json.dump(out, open(out_path, 'w'))


def run_case(source, spec, steps, values):
    phase, t, got = 'config', None, []
    try:
        cfg = source.configure(spec)
        phase = 'construct'
        stream = source.construct(cfg, steps)
        phase = 'evaluate'
        t = 0
        for v in stream:
            if t >= steps:
                break
            got.append(float(v))
            t += 1
    except Exception as e:  # the framework's own refusal, recorded as it raised it
        values.write(struct.pack(f'{len(got)}d', *got))
        return {'n': len(got), 'error': {'phase': phase, 'step': t, 'type': type(e).__name__, 'message': str(e)[:300]}}
    values.write(struct.pack(f'{len(got)}d', *got))
    return {'n': len(got)}


if __name__ == '__main__':
    main()
